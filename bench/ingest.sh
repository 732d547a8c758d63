#!/usr/bin/env bash
# Benchmark of sensor-consumer's drain rate against the broker's ceiling (issue 4). Not a test: run it by hand.
#
#   bench/ingest.sh                      # both shapes + the sustained run
#   SHAPES="1" SINGLE_READINGS=200000 bench/ingest.sh
#
# For each shape (1 reading per message, arrays of 100): pre-fills the ingest queue with unique readings for
# SENSORS registered sensors (published with confirms by bench/BenchPublisher.java), starts sensor-consumer and
# times how fast the readings land in PostgreSQL, counted in the database. In the same run it pre-fills an
# identical quorum queue and lets RabbitMQ PerfTest 2.22.1 drain it doing nothing else (the ceiling), then prints
# both rates and the ratio. Then a sustained run: publisher and consumer together for SUSTAINED_SECONDS at fixed
# rates, reporting the highest rate at which the queue did not grow.
# Needs PostgreSQL (5432, user postgres), RabbitMQ with management (5672/15672, guest) and Redis on localhost.
# Uses its own database and virtual host "sensorhub_bench", removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=${BENCH_NAME:-sensorhub_bench}
SENSORS=${SENSORS:-10000}
SHAPES=${SHAPES-"1 100"}   # empty: sustained run only
SINGLE_READINGS=${SINGLE_READINGS:-300000}
ARRAY_READINGS=${ARRAY_READINGS:-2000000}
BATCH=${BATCH:-500}
PREFETCH=${PREFETCH:-2000}
SUSTAINED=${SUSTAINED:-yes}
SUSTAINED_SHAPE=${SUSTAINED_SHAPE:-1}
SUSTAINED_SECONDS=${SUSTAINED_SECONDS:-60}
SUSTAINED_RATES=${SUSTAINED_RATES:-""}   # msg/s to try, highest first; default derived from the drain rate
JAR=sensor-consumer/target/sensor-consumer.jar
LIB=bench/target/perftest
MGMT=http://localhost:15672/api
PORT=18181
CONSUMER_PID=""

psql_q() { psql -h localhost -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
db() { psql_q -d "$NAME" -c "$1"; }
mgmt() { curl -sf -u guest:guest -H 'content-type: application/json' -X "$1" "$MGMT$2" ${3:+-d "$3"}; }
now() { date +%s.%N; }
log() { echo "[$(date +%T)] $*" >&2; }

cleanup() {
  [ -n "$CONSUMER_PID" ] && kill "$CONSUMER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-no}" != yes ]; then
    mgmt DELETE "/vhosts/$NAME" >/dev/null || true
    psql_q -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" || true
    redis-cli --scan --pattern "$NAME:*" 2>/dev/null | xargs -r -n 1000 redis-cli del >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

prepare() {
  ./mvnw -B -q -pl sensor-consumer -am -DskipTests package   # always: a jar left from older code would be measured
  [ -d "$LIB" ] || mvn -B -q -f bench/perftest-pom.xml dependency:copy-dependencies -DoutputDirectory=target/perftest
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" -c "CREATE DATABASE $NAME"
  mgmt DELETE "/vhosts/$NAME" >/dev/null || true
  mgmt PUT "/vhosts/$NAME" '{}' >/dev/null
  mgmt PUT "/permissions/$NAME/guest" '{"configure":".*","write":".*","read":".*"}' >/dev/null
  log "migrating the schema and declaring the topology (consumer started with listening off)"
  start_consumer --sensorhub.ingest.auto-startup=false
  stop_consumer
  db "INSERT INTO clients (id, name, token_hash) VALUES (gen_random_uuid(), 'bench', sha256('bench'::bytea))"
  db "INSERT INTO sensors (id, client_id, name, warn_high, crit_high)
      SELECT 'bench-' || i, (SELECT id FROM clients LIMIT 1), 'bench', 80, 90 FROM generate_series(0, $SENSORS - 1) i"
  db "INSERT INTO sensor_state (sensor_id) SELECT id FROM sensors"
  log "registered $SENSORS sensors (warnHigh 80, critHigh 90)"
  if [ -n "${BENCH_SQL:-}" ]; then log "experiment: $BENCH_SQL"; db "$BENCH_SQL"; fi
}

start_consumer() {
  java ${CONSUMER_JAVA_OPTS:-} -jar "$JAR" --spring.datasource.url="jdbc:postgresql://localhost:5432/$NAME" \
    --spring.rabbitmq.virtual-host="$NAME" --sensorhub.redis.key-prefix="$NAME:" --server.port=$PORT \
    --sensorhub.ingest.batch-size="$BATCH" --sensorhub.ingest.prefetch="$PREFETCH" \
    --logging.level.root=WARN "$@" > "bench/target/consumer-$(date +%s).log" 2>&1 &
  CONSUMER_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://localhost:$PORT/actuator/health/readiness" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "sensor-consumer did not become ready" >&2; exit 1
}

stop_consumer() {
  kill "$CONSUMER_PID"; wait "$CONSUMER_PID" 2>/dev/null || true; CONSUMER_PID=""
}

reset() {
  db "TRUNCATE readings, status_changes, status_change_outbox"
  db "UPDATE sensor_state SET status = 'UNKNOWN', value = NULL, reported_at = NULL, since = NULL, sequence = 0, last_seen_at = NULL"
  mgmt DELETE "/queues/$NAME/sensorhub.readings.ingest/contents" >/dev/null || true
  mgmt DELETE "/queues/$NAME/sensorhub.readings.dead/contents" >/dev/null || true
}

publish() { # exchange routing-key shape readings base first rate [seconds]
  java -cp "$LIB/*" bench/BenchPublisher.java localhost 5672 "$NAME" "$@"
}

queue_depth() { # queue -> ready + unacked
  mgmt GET "/queues/$NAME/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("messages", 0))'
}

rate() { python3 -c "print(round(($1) / ($2), 1))"; }

consumer_drain() { # shape readings -> readings/s
  local shape=$1 readings=$2 base=$(( $(date +%s) - 7200 ))
  reset
  log "shape $shape: pre-filling the ingest queue with $readings readings"
  publish sensorhub.readings - "$shape" "$readings" "$SENSORS" "$base" 0 0 >&2
  sleep 2
  start_consumer
  local first="" first_count=0 count=0 t
  while :; do
    count=$(db "SELECT count(*) FROM readings"); t=$(now)
    if [ -z "$first" ] && [ "$count" -gt 0 ]; then first=$t; first_count=$count; fi
    [ "${VERBOSE:-no}" = yes ] && log "  $count readings stored"
    [ "$count" -ge "$readings" ] && break
    sleep 0.25
  done
  curl -sf "http://localhost:$PORT/actuator/prometheus" | grep -E '^sensorhub_ingest_(batch|readings|retries)' \
    > "bench/target/metrics-shape-$shape.txt" || true
  stop_consumer
  local changes dead
  changes=$(db "SELECT count(*) FROM status_changes"); dead=$(queue_depth sensorhub.readings.dead)
  log "shape $shape: $count readings stored, $changes status changes, $dead dead-lettered"
  rate "$count - $first_count" "$t - $first"
}

ceiling_drain() { # shape readings -> msg/s
  local shape=$1 readings=$2 base=$(( $(date +%s) - 7200 )) queue=bench.ceiling
  local messages=$(( (readings + shape - 1) / shape ))
  mgmt DELETE "/queues/$NAME/$queue" >/dev/null || true
  mgmt PUT "/queues/$NAME/$queue" '{"durable":true,"arguments":{"x-queue-type":"quorum","x-single-active-consumer":true,"x-overflow":"reject-publish"}}' >/dev/null
  log "shape $shape: pre-filling $queue with the same $messages messages"
  publish "" "$queue" "$shape" "$readings" "$SENSORS" "$base" 0 0 >&2
  sleep 2
  log "shape $shape: PerfTest draining $queue (prefetch $PREFETCH, multi-ack every $BATCH)"
  local out
  out=$(java -cp "$LIB/*" com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@localhost:5672/$NAME" \
    -x 0 -y 1 -p -u "$queue" -q "$PREFETCH" -A "$BATCH" -D "$messages" -z 300 2>&1 || true)
  mgmt DELETE "/queues/$NAME/$queue" >/dev/null || true
  echo "$out" | grep -Ei "consumer rate avg|receiving rate avg" >&2 || true
  echo "$out" | grep -Eio "(consumer|receiving) rate avg: [0-9]+" | grep -Eo "[0-9]+$" | head -1
}

sustained() { # shape rate -> growth
  local shape=$1 msgs=$2 base=$(( $(date +%s) - 3600 ))
  local readings=$(( msgs * shape * SUSTAINED_SECONDS ))
  reset
  start_consumer
  local before after
  before=$(queue_depth sensorhub.readings.ingest)
  publish sensorhub.readings - "$shape" "$readings" "$SENSORS" "$base" 0 "$msgs" "$SUSTAINED_SECONDS" >&2
  sleep 6   # let the management API's counters catch up
  after=$(queue_depth sensorhub.readings.ingest)
  stop_consumer
  echo $(( after - before ))
}

prepare
declare -A RESULT
for shape in $SHAPES; do
  readings=$([ "$shape" = 1 ] && echo "$SINGLE_READINGS" || echo "$ARRAY_READINGS")
  consumer=$(consumer_drain "$shape" "$readings")
  ceiling=$(ceiling_drain "$shape" "$readings")
  consumer_msgs=$(rate "$consumer" "$shape")
  [ "$shape" = "$SUSTAINED_SHAPE" ] && sustained_base=$consumer_msgs
  ratio=$(python3 -c "print(round(100 * $consumer_msgs / $ceiling, 1))")
  RESULT[$shape]="shape $shape: sensor-consumer $consumer readings/s = $consumer_msgs msg/s; PerfTest ceiling $ceiling msg/s; ratio $ratio %"
  log "${RESULT[$shape]}"
done

if [ "$SUSTAINED" = yes ]; then
  if [ -z "$SUSTAINED_RATES" ]; then
    top=$(python3 -c "print(int(float('${sustained_base:-10000}') * 0.9))")
    SUSTAINED_RATES="$top $(( top * 8 / 10 )) $(( top * 6 / 10 )) $(( top * 4 / 10 ))"
  fi
  best=none
  for r in $SUSTAINED_RATES; do
    growth=$(sustained "$SUSTAINED_SHAPE" "$r")
    log "sustained shape $SUSTAINED_SHAPE at $r msg/s for ${SUSTAINED_SECONDS}s: queue grew by $growth messages"
    if [ "$growth" -le $(( r / 2 )) ]; then best=$r; break; fi
  done
  RESULT[sustained]="sustained (shape $SUSTAINED_SHAPE, ${SUSTAINED_SECONDS}s): highest rate tried without queue growth: $best msg/s"
fi

echo
echo "== results =="
for key in "${!RESULT[@]}"; do echo "${RESULT[$key]}"; done
