#!/usr/bin/env bash
# Live stream benchmark: status change committed → event received on a stream (GET /api/v1/events/stream). Not a test:
# prints figures.
#
#   bench/stream.sh                                # 200 changes/s, 100 streams over 10 clients, 10 s warm-up, 30 s measured
#   RATE=500 STREAMS=200 CLIENTS=20 bench/stream.sh
#
# 1. Builds crud-service and notifier-job and starts their jars as users do (JAVA_OPTS, the services' defaults) on a
#    database and Redis key prefix of their own.
# 2. Runs bench/StreamBench.java: CLIENTS clients with 100 sensors each (straight into PostgreSQL), STREAMS streams
#    spread evenly over them (JDK HttpClient, line by line; the default limit is 10 per client), and a writer of
#    status changes exactly as sensor-consumer records them (status_changes + outbox + NOTIFY, one transaction each) at
#    RATE a second. After WARMUP seconds it measures SECONDS_MEASURED: commit (the writer's clock right after commit)
#    → the event's arrival on each of its client's streams, p50/p99/max.
# 3. The ceiling, in the same run at the same rate: a bare PostgreSQL NOTIFY, commit → heard by a LISTEN connection
#    (the stream's path is two such hops with notifier-job's fan-out transaction between them); then the ratio.
# 4. Prints the CPU each process used, removes everything it created; the services' logs stay in bench/target/stream/.
#
# Needs: java, psql, curl; PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis (6379) on localhost.
# Settings (environment): RATE=200 STREAMS=100 CLIENTS=10 SECONDS_MEASURED=30 WARMUP=10
#   JAVA_OPTS="-XX:+UseParallelGC -Xmx512m"; CRUD_ARGS, NOTIFIER_ARGS (more Spring Boot arguments)
#   CRUD_PORT=18380 NOTIFIER_PORT=18382
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-200}
STREAMS=${STREAMS:-100}
CLIENTS=${CLIENTS:-10}
SECONDS_MEASURED=${SECONDS_MEASURED:-30}
WARMUP=${WARMUP:-10}
JAVA_OPTS=${JAVA_OPTS-"-XX:+UseParallelGC -Xmx512m"}
CRUD_ARGS=${CRUD_ARGS:-}
NOTIFIER_ARGS=${NOTIFIER_ARGS:-}
CRUD_PORT=${CRUD_PORT:-18380}
NOTIFIER_PORT=${NOTIFIER_PORT:-18382}
NAME="sensorhub_stream_$(date +%s)_$$"
WORK=$(mktemp -d)
declare -A PIDS=()

for tool in java psql curl; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done

cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  psql -h 127.0.0.1 -U postgres -q -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1
  mkdir -p bench/target/stream && rm -f bench/target/stream/*.log && cp "$WORK"/*.log bench/target/stream/ 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building crud-service and notifier-job"   # always: a jar left from older code would be measured
./mvnw -B -q -pl crud-service,notifier-job -am -DskipTests package
(cd "$WORK" && unzip -q -j -o "$OLDPWD/notifier-job/target/notifier-job.jar" 'BOOT-INF/lib/postgresql-*.jar')
DRIVER_JAR=$(ls "$WORK"/postgresql-*.jar)

echo "== database and key prefix $NAME"
psql -h 127.0.0.1 -U postgres -q -d postgres -c "CREATE DATABASE $NAME" >/dev/null

start_service() { # module port extra-arguments
  # shellcheck disable=SC2086 # JAVA_OPTS and the argument variables are lists of arguments
  java $JAVA_OPTS -jar "$1/target/$1.jar" \
    --server.port="$2" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$NAME" \
    --sensorhub.redis.key-prefix="$NAME:" \
    $3 >"$WORK/$1.log" 2>&1 &
  PIDS[$1]=$!
}
. bench/lib.sh   # await_ready
echo "== starting crud-service and notifier-job: java $JAVA_OPTS -jar …"
# One after the other, so that one of them migrates the schema and the other finds it done.
start_service crud-service "$CRUD_PORT" "$CRUD_ARGS"
await_ready crud-service "$CRUD_PORT"
start_service notifier-job "$NOTIFIER_PORT" "--sensorhub.webhooks.allow-private-networks=true $NOTIFIER_ARGS"
await_ready notifier-job "$NOTIFIER_PORT"

jiffies() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
cpu_share() { # name before after seconds → "name N%"
  awk -v n="$1" -v a="$2" -v b="$3" -v s="$4" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%s %.0f%%", n, 100 * (b - a) / hz / s }'
}

echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
C0=$(jiffies "${PIDS[crud-service]}"); N0=$(jiffies "${PIDS[notifier-job]}"); T0=$(date +%s.%N)
# compiled with NotifyBench, whose recording of status changes and helpers it uses
javac -d "$WORK/driver" -cp "$DRIVER_JAR" bench/NotifyBench.java bench/StreamBench.java
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$WORK/driver:$DRIVER_JAR" StreamBench \
  "jdbc:postgresql://127.0.0.1:5432/$NAME" "http://127.0.0.1:$CRUD_PORT" "$CLIENTS" "$STREAMS" "$RATE" "$SECONDS_MEASURED" "$WARMUP"
C1=$(jiffies "${PIDS[crud-service]}"); N1=$(jiffies "${PIDS[notifier-job]}"); T1=$(date +%s.%N)
ELAPSED=$(awk -v a="$T0" -v b="$T1" 'BEGIN { print b - a }')
echo "CPU over the whole run (100 % = one core): $(cpu_share crud-service "$C0" "$C1" "$ELAPSED"), $(cpu_share notifier-job "$N0" "$N1" "$ELAPSED")"
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
