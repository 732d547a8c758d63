#!/usr/bin/env bash
# Latency benchmark: publish → webhook arrival through the whole of SensorHub (issue 13). Not a test: prints figures.
#
#   bench/latency.sh                              # 200 changes/s over 100 sensors, 60 s warm-up, 30 s measured
#   RATE=500 SECONDS_MEASURED=60 bench/latency.sh
#
# 1. Builds sensor-consumer and notifier-job and starts their jars as users do (JAVA_OPTS, the services' defaults) on
#    a database, RabbitMQ virtual host and Redis key prefix of their own.
# 2. Runs bench/LatencyBench.java: a webhook receiver that keeps connections alive (JDK HttpServer), a client with
#    SENSORS sensors and one webhook to the receiver (straight into PostgreSQL), and a publisher of readings through
#    the readings exchange at RATE a second, each sensor alternating OK / CRITICAL so that every reading is a status
#    change; a reading's timestamp is its publish time, which the webhook body carries back. After WARMUP seconds it
#    measures SECONDS_MEASURED and prints publish → arrival p50/p90/p99/max, then the same per stage from
#    PostgreSQL's timestamps (publish → consumer transaction → its commit, heard as a NOTIFY by a LISTEN of the
#    driver's own → fan-out → first attempt → arrival).
# 3. The ceiling, in the same run at the same rate: publish → consume through a bare quorum queue, and POSTs to the
#    same receiver over a kept-alive connection; then the ratio of SensorHub's latency to the two together.
# 4. Prints the CPU each process used while measuring (and the rest of the machine's), removes everything it
#    created; the services' logs of the last run stay in bench/target/latency/.
#
# Needs: java, psql, curl, redis-cli; PostgreSQL (127.0.0.1:5432, user postgres, trust), RabbitMQ (5672, guest, with
# the management API on 15672) and Redis (6379) on localhost.
# Settings (environment): RATE=200 SENSORS=100 SECONDS_MEASURED=30 WARMUP=60 CEILING_SECONDS=10
#   (WARMUP: at 200 changes/s the JIT compiles the services' hot paths over the first minute; WARMUP=15 measures
#   them half-compiled: p50 and p99 about 1.5 and 2-3 times higher here, docs/benchmarks.md)
#   JAVA_OPTS="-XX:+UseParallelGC -Xmx512m" (every service's JVM options, as the README tells users)
#   SERVICE_ARGS, CONSUMER_ARGS, NOTIFIER_ARGS (more Spring Boot arguments: both services, or one)
#   CONSUMER_PORT=18281 NOTIFIER_PORT=18282
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-200}
SENSORS=${SENSORS:-100}
SECONDS_MEASURED=${SECONDS_MEASURED:-30}
WARMUP=${WARMUP:-60}
CEILING_SECONDS=${CEILING_SECONDS:-10}
JAVA_OPTS=${JAVA_OPTS-"-XX:+UseParallelGC -Xmx512m"}
SERVICE_ARGS=${SERVICE_ARGS:-}
CONSUMER_ARGS=${CONSUMER_ARGS:-}
NOTIFIER_ARGS=${NOTIFIER_ARGS:-}
CONSUMER_PORT=${CONSUMER_PORT:-18281}
NOTIFIER_PORT=${NOTIFIER_PORT:-18282}
MGMT=http://127.0.0.1:15672/api
NAME="sensorhub_latency_$(date +%s)_$$"
WORK=$(mktemp -d)
declare -A PIDS=()

for tool in java psql curl redis-cli; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done

mgmt() { curl -fs -u guest:guest -H 'content-type: application/json' -X "$1" "$MGMT$2" ${3:+-d "$3"}; }

cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  psql -h 127.0.0.1 -U postgres -q -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1
  mgmt DELETE "/vhosts/$NAME" >/dev/null 2>&1
  redis-cli --scan --pattern "$NAME:*" 2>/dev/null | xargs -r -n 1000 redis-cli del >/dev/null 2>&1
  mkdir -p bench/target/latency && rm -f bench/target/latency/*.log && cp "$WORK"/*.log bench/target/latency/ 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building sensor-consumer and notifier-job"   # always: a jar left from older code would be measured
./mvnw -B -q -pl sensor-consumer,notifier-job -am -DskipTests package
# The bench driver's classpath: the AMQP client (with its logging API and Netty) and the JDBC driver the services ship with.
(cd "$WORK" && unzip -q -j -o "$OLDPWD/sensor-consumer/target/sensor-consumer.jar" 'BOOT-INF/lib/amqp-client-*.jar' \
  'BOOT-INF/lib/slf4j-api-*.jar' 'BOOT-INF/lib/netty-*.jar' 'BOOT-INF/lib/postgresql-*.jar')
CLASSPATH_BENCH=$(ls "$WORK"/*.jar | tr '\n' ':')

echo "== database, virtual host and key prefix $NAME"
psql -h 127.0.0.1 -U postgres -q -d postgres -c "CREATE DATABASE $NAME" >/dev/null
mgmt PUT "/vhosts/$NAME" '{}' >/dev/null
mgmt PUT "/permissions/$NAME/guest" '{"configure":".*","write":".*","read":".*"}' >/dev/null

start_service() { # module port extra-arguments
  # shellcheck disable=SC2086 # JAVA_OPTS and the argument variables are lists of arguments
  java $JAVA_OPTS -jar "$1/target/$1.jar" \
    --server.port="$2" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$NAME" \
    --spring.rabbitmq.virtual-host="$NAME" \
    --sensorhub.redis.key-prefix="$NAME:" \
    $SERVICE_ARGS $3 >"$WORK/$1.log" 2>&1 &
  PIDS[$1]=$!
}
. bench/lib.sh   # await_ready
echo "== starting sensor-consumer and notifier-job: java $JAVA_OPTS -jar … $SERVICE_ARGS"
# One after the other, so that one of them migrates the schema and the other finds it done.
start_service sensor-consumer "$CONSUMER_PORT" "$CONSUMER_ARGS"
await_ready sensor-consumer "$CONSUMER_PORT"
start_service notifier-job "$NOTIFIER_PORT" "--sensorhub.webhooks.allow-private-networks=true $NOTIFIER_ARGS"
await_ready notifier-job "$NOTIFIER_PORT"

# CPU jiffies of processes (0 for one that is gone), and of the whole machine (all cores)
jiffies() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
busy_jiffies() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
cpu_share() { # name before after seconds → "name N%"
  awk -v n="$1" -v a="$2" -v b="$3" -v s="$4" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%s %.0f%%", n, 100 * (b - a) / hz / s }'
}

echo "== $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# PostgreSQL's backends serving this run's database (the services' pools), and the broker (shared with everyone)
BACKENDS=$(psql -h 127.0.0.1 -U postgres -qAt -d postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$NAME'")
BROKER=$(pgrep -d ' ' -f beam.smp || true)
# C1 and the serial collector: the driver takes as little CPU from what it measures as it can
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$CLASSPATH_BENCH" bench/LatencyBench.java "jdbc:postgresql://127.0.0.1:5432/$NAME" 127.0.0.1 5672 "$NAME" \
  "$SENSORS" "$RATE" "$SECONDS_MEASURED" "$WARMUP" "$CEILING_SECONDS" 2> >(grep -v -i slf4j >&2) &
DRIVER=$!
C0=$(jiffies "${PIDS[sensor-consumer]}"); N0=$(jiffies "${PIDS[notifier-job]}"); M0=$(busy_jiffies); T0=$(date +%s.%N)
# shellcheck disable=SC2086 # lists of pids
P0=$(jiffies $BACKENDS); B0=$(jiffies $BROKER); D0=$(jiffies $DRIVER); D1=$D0
while kill -0 "$DRIVER" 2>/dev/null; do d=$(jiffies $DRIVER); [ "$d" -gt "$D1" ] && D1=$d; sleep 1; done
wait "$DRIVER"
C1=$(jiffies "${PIDS[sensor-consumer]}"); N1=$(jiffies "${PIDS[notifier-job]}"); M1=$(busy_jiffies); T1=$(date +%s.%N)
# shellcheck disable=SC2086
P1=$(jiffies $BACKENDS); B1=$(jiffies $BROKER)
ELAPSED=$(awk -v a="$T0" -v b="$T1" 'BEGIN { print b - a }')
OTHERS=$(( (M1 - M0) - (C1 - C0) - (N1 - N0) - (P1 - P0) - (B1 - B0) - (D1 - D0) ))
OTHERS=$(( OTHERS < 0 ? 0 : OTHERS ))

echo
echo "CPU over the whole run (warm-up, measurement and ceiling; 100 % = one core, $((100 * $(nproc))) % the machine):"
echo "  $(cpu_share sensor-consumer "$C0" "$C1" "$ELAPSED"), $(cpu_share notifier-job "$N0" "$N1" "$ELAPSED"),"\
  "$(cpu_share "PostgreSQL for them" "$P0" "$P1" "$ELAPSED"), $(cpu_share "RabbitMQ (whole broker)" "$B0" "$B1" "$ELAPSED"),"\
  "$(cpu_share "bench driver" "$D0" "$D1" "$ELAPSED"), $(cpu_share "others" 0 "$OTHERS" "$ELAPSED")"\
  "(of $(cpu_share machine "$M0" "$M1" "$ELAPSED" | cut -d' ' -f2) used)"
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
METRICS=$(curl -fs "http://127.0.0.1:$NOTIFIER_PORT/actuator/prometheus")
awk '/^sensorhub_webhooks_loop_seconds_(sum|count)/ {
       match($0, /phase="[a-z]+"/); p = substr($0, RSTART + 7, RLENGTH - 8)
       if ($1 ~ /_sum/) s[p] = $NF; else c[p] = $NF }
     END { printf "notifier-job loop, mean per round:"; for (p in s) if (c[p] > 0) printf " %s %.2f ms (%d)", p, 1000 * s[p] / c[p], c[p]; print "" }' \
  <<<"$METRICS"
