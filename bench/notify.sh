#!/usr/bin/env bash
# notifier-job benchmark (issue 5). Not a test: prints figures.
#   bench/notify.sh [throughput-changes] [changes-for-100-webhooks] [steady-seconds]
# Needs PostgreSQL (127.0.0.1:5432, user postgres, trust) running locally, and wrk.
# BENCH_SILENCES=n adds n silences that match every change but are never active; BENCH_REMINDERS=yes makes every
# webhook remind hourly (a reminder scheduled and withdrawn with every change). Print a run with and one without.
# Builds notifier-job, starts its jar against a fresh database, runs bench/NotifyBench.java (receiver,
# status-change writer, wrk ceiling), then stops notifier-job and drops the database.
set -euo pipefail
cd "$(dirname "$0")/.."

THROUGHPUT=${1:-20000}
FANOUT=${2:-500}
STEADY=${3:-20}
PORT=${BENCH_NOTIFIER_PORT:-18082}
DB="sensorhub_bench_$(date +%s)"
JAR=notifier-job/target/notifier-job.jar
WORK=$(mktemp -d)

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
./mvnw -B -q -pl notifier-job -am -DskipTests package   # always: a jar left from older code would be measured
(cd "$WORK" && unzip -q -j -o "$OLDPWD/$JAR" 'BOOT-INF/lib/postgresql-*.jar')
DRIVER=$(ls "$WORK"/postgresql-*.jar)

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
NOTIFIER_PID=
cleanup() {
  [ -n "$NOTIFIER_PID" ] && kill "$NOTIFIER_PID" 2>/dev/null && wait "$NOTIFIER_PID" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

java ${NOTIFIER_JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" \
  --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$DB" \
  --sensorhub.webhooks.allow-private-networks=true \
  ${NOTIFIER_ARGS:-} >"$WORK/notifier.log" 2>&1 &
NOTIFIER_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null || { tail -50 "$WORK/notifier.log"; exit 1; }

echo "notifier-job benchmark on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "silences: ${BENCH_SILENCES:-0}; reminders: ${BENCH_REMINDERS:-no}"
java -cp "$DRIVER" bench/NotifyBench.java "jdbc:postgresql://127.0.0.1:5432/$DB" "$THROUGHPUT" "$FANOUT" "$STEADY"
METRICS=$(curl -fs "http://127.0.0.1:$PORT/actuator/prometheus")
echo "notifier-job: $(grep -E '^sensorhub_webhooks_attempts_total' <<<"$METRICS" | tr '\n' ' ')"
awk '/^sensorhub_webhooks_attempt_latency_seconds_sum/ {s=$2} /^sensorhub_webhooks_attempt_latency_seconds_count/ {c=$2}
     END {if (c > 0) printf "notifier-job: mean attempt latency %.2f ms over %d attempts\n", 1000*s/c, c}' <<<"$METRICS"
awk '/^sensorhub_webhooks_first_attempt_delay_seconds_sum/ {s=$2} /^sensorhub_webhooks_first_attempt_delay_seconds_count/ {c=$2}
     END {if (c > 0) printf "notifier-job: mean status change to first attempt %.2f ms\n", 1000*s/c}' <<<"$METRICS"
grep -E '^sensorhub_webhooks_loop_seconds_(sum|count)' <<<"$METRICS" | sed 's/^/notifier-job loop: /'
ps -o cputime= -p "$NOTIFIER_PID" | sed 's/^/notifier-job CPU time: /'
