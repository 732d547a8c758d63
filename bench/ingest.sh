#!/usr/bin/env bash
# Benchmark of sensor-consumer draining its ingest partitions, against the broker's ceiling (issues 4 and 13).
# Not a test: run it by hand, on a machine as quiet as you can get (docs/benchmarks.md says what each figure means).
#
#   bench/ingest.sh                              # drains of both shapes, cold and warm, with PerfTest's ceiling
#   bench/ingest.sh --instances 1,2,4            # ... and the drain by 1, 2 and 4 instances (real store)
#   bench/ingest.sh --instances 1,2,4 --slowed   # ... and the same with a slowed store (the consumer is the limit)
#   SHAPES= bench/ingest.sh --instances 1,2 --slowed   # scaling only
#
# 1. Shapes (SHAPES, "1 100": one reading per message, arrays of 100): the partitions are pre-filled through
#    sensorhub.readings, as devices publish, with unique readings for SENSORS registered sensors
#    (bench/BenchPublisher.java, with confirms); then a freshly started sensor-consumer drains them. COLD: readings/s
#    from the first reading stored to the last (a drain after an outage, by a JVM that has just started). WARM: the
#    rate over the second half of the same drain. Then the ceiling: an identical set of 16 quorum queues behind a
#    consistent-hash exchange, pre-filled the same way, drained by RabbitMQ PerfTest 2.22.1 with 16 consumers, the
#    prefetch the consumer really used (read from the broker) and a multi-ack every min(batch, prefetch) messages.
# 2. Scaling (--instances): N instances (on free ports above PORT, 18480) start on empty partitions; once the
#    partitions are spread within one of each other and every partition has its consumer, the bench holds an
#    EXCLUSIVE lock on sensor_state (as a stalled database would: every store waits at its first statement),
#    pre-fills the partitions (SCALE_READINGS), releases the lock and times the drain from the first reading stored
#    to the last. --slowed adds the same series with SLOWED_ARGS (a fixed store-delay per batch, one transaction at
#    a time per instance; SLOWED_READINGS), so the instances, not PostgreSQL, are the limit.
# Prints one table at the end (also written to bench/target/ingest-results.txt).
# Needs PostgreSQL (5432, user postgres), RabbitMQ with management and rabbitmq_consistent_hash_exchange
# (5672/15672, guest), Redis, psql, curl, python3, and Maven for PerfTest (bench/perftest-pom.xml, fetched once).
# Uses its own database and virtual host "sensorhub_bench", removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
INSTANCES=""
SLOWED=no
while [ $# -gt 0 ]; do
  case $1 in
    --instances) INSTANCES=$2; shift 2 ;;
    --instances=*) INSTANCES=${1#*=}; shift ;;
    --slowed) SLOWED=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$SLOWED" = yes ] && [ -z "$INSTANCES" ] && INSTANCES=1,2,4

NAME=${BENCH_NAME:-sensorhub_bench}
SENSORS=${SENSORS:-10000}
SHAPES=${SHAPES-"1 100"}
SINGLE_READINGS=${SINGLE_READINGS:-300000}
ARRAY_READINGS=${ARRAY_READINGS:-2000000}
SCALE_READINGS=${SCALE_READINGS:-100000}   # one reading per message, real store
SLOWED_READINGS=${SLOWED_READINGS:-40000}  # the same with the slowed store
REAL_SCALING=${REAL_SCALING:-yes}          # no: with --slowed, only the slowed series
SLOWED_ARGS=${SLOWED_ARGS:-"--sensorhub.ingest.store-delay=200ms --sensorhub.ingest.parallelism=1"}
BATCH=${BATCH:-500}
PREFETCH=${PREFETCH:-2000}
PARTITIONS=16   # sensor-consumer's default; the ceiling uses as many queues
CONSUMER_JAVA_OPTS=${CONSUMER_JAVA_OPTS-"-XX:+UseParallelGC"}
CONSUMER_ARGS=${CONSUMER_ARGS:-}
JAR=sensor-consumer/target/sensor-consumer.jar
LIB=bench/target/perftest
OUT=bench/target
MGMT=http://localhost:15672/api
PORT=${PORT:-18480}   # instances listen on the first free ports above it
PIDS=()
PORTS=()
HOLD_PID=""

psql_q() { psql -h localhost -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
db() { psql_q -d "$NAME" -c "$1"; }
mgmt() { curl -sf -u guest:guest -H 'content-type: application/json' -X "$1" "$MGMT$2" ${3:+-d "$3"}; }
log() { echo "[$(date +%T)] $*" >&2; }
py() { python3 -c "$@"; }

cleanup() {
  stop_instances 2>/dev/null || true
  release_stores 2>/dev/null || true
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
  mkdir -p "$OUT"
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" -c "CREATE DATABASE $NAME"
  mgmt DELETE "/vhosts/$NAME" >/dev/null || true
  mgmt PUT "/vhosts/$NAME" '{}' >/dev/null
  mgmt PUT "/permissions/$NAME/guest" '{"configure":".*","write":".*","read":".*"}' >/dev/null
  log "migrating the schema and declaring the topology (consumer started with listening off)"
  start_instances 1 --sensorhub.ingest.auto-startup=false
  wait_ready
  stop_instances
  db "INSERT INTO clients (id, name, token_hash) VALUES (gen_random_uuid(), 'bench', sha256('bench'::bytea))"
  db "INSERT INTO sensors (id, client_id, name, warn_high, crit_high)
      SELECT 'bench-' || i, (SELECT id FROM clients LIMIT 1), 'bench', 80, 90 FROM generate_series(0, $SENSORS - 1) i"
  db "INSERT INTO sensor_state (sensor_id) SELECT id FROM sensors"
  log "registered $SENSORS sensors (warnHigh 80, critHigh 90)"
  # the ceiling's copy of the topology: topic exchange -> consistent-hash exchange -> 16 quorum queues
  mgmt PUT "/exchanges/$NAME/bench.ceiling" '{"type":"topic","durable":true}' >/dev/null
  mgmt PUT "/exchanges/$NAME/bench.ceiling.partitions" '{"type":"x-consistent-hash","durable":true}' >/dev/null
  mgmt POST "/bindings/$NAME/e/bench.ceiling/e/bench.ceiling.partitions" '{"routing_key":"readings.#"}' >/dev/null
  for n in $(seq 0 $((PARTITIONS - 1))); do
    mgmt PUT "/queues/$NAME/bench.ceiling.$n" \
      '{"durable":true,"arguments":{"x-queue-type":"quorum","x-single-active-consumer":true,"x-overflow":"reject-publish"}}' >/dev/null
    mgmt POST "/bindings/$NAME/e/bench.ceiling.partitions/q/bench.ceiling.$n" '{"routing_key":"1"}' >/dev/null
  done
}

free_port() { # the first port above $1 that nothing listens on
  local port=$(($1 + 1))
  while ss -Htln "sport = :$port" | grep -q .; do port=$((port + 1)); done
  echo "$port"
}

start_instances() { # count, then extra sensor-consumer arguments; appends to PIDS and PORTS
  local count=$1 i port=$PORT; shift
  for i in $(seq 1 "$count"); do
    port=$(free_port "$port")
    # shellcheck disable=SC2086
    java $CONSUMER_JAVA_OPTS -jar "$JAR" --spring.datasource.url="jdbc:postgresql://localhost:5432/$NAME" \
      --spring.rabbitmq.virtual-host="$NAME" --sensorhub.redis.key-prefix="$NAME:" --server.port="$port" \
      --sensorhub.ingest.batch-size="$BATCH" --sensorhub.ingest.prefetch="$PREFETCH" \
      --logging.level.root=WARN --logging.level.io.sensorhub.consumer.ingest.IngestConfiguration=INFO \
      $CONSUMER_ARGS "$@" > "$OUT/consumer-$(date +%s)-$i.log" 2>&1 &
    PIDS+=($!)
    PORTS+=("$port")
  done
}

wait_ready() { # every instance started: ready, and listening itself (not another program on its port)
  local i
  for i in "${!PIDS[@]}"; do
    for _ in $(seq 1 480); do
      kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "sensor-consumer ${PIDS[$i]} died (see $OUT/consumer-*.log)" >&2; exit 1; }
      if ss -Htlnp "sport = :${PORTS[$i]}" | grep -q "pid=${PIDS[$i]},"; then
        curl -sf "http://localhost:${PORTS[$i]}/actuator/health/readiness" >/dev/null 2>&1 && continue 2
      fi
      sleep 0.5
    done
    echo "sensor-consumer on port ${PORTS[$i]} did not become ready" >&2; exit 1
  done
}

stop_instances() { # SIGTERM: each hands its partitions over and leaves the group
  [ ${#PIDS[@]} -eq 0 ] && return 0
  kill "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
  PIDS=()
  PORTS=()
  db "DELETE FROM ingest_members; UPDATE ingest_partitions SET owner = NULL, owned_since = NULL" >/dev/null
}

urls() { local port; for port in "${PORTS[@]}"; do echo "http://localhost:$port/actuator/prometheus"; done; }

reset() {
  db "TRUNCATE readings, status_changes, status_change_outbox"
  db "UPDATE sensor_state SET status = 'UNKNOWN', value = NULL, reported_at = NULL, since = NULL, sequence = 0, last_seen_at = NULL"
  local n
  for n in $(seq 0 $((PARTITIONS - 1))); do
    mgmt DELETE "/queues/$NAME/sensorhub.readings.ingest.$n/contents" >/dev/null
    mgmt DELETE "/queues/$NAME/bench.ceiling.$n/contents" >/dev/null
  done
  mgmt DELETE "/queues/$NAME/sensorhub.readings.dead/contents" >/dev/null || true
  redis-cli --scan --pattern "$NAME:*" 2>/dev/null | xargs -r -n 1000 redis-cli del >/dev/null 2>&1 || true
}

publish() { # exchange shape readings; unique readings routed by readings.<sensorId>, as devices publish
  java -cp "$LIB/*" bench/BenchPublisher.java localhost 5672 "$NAME" "$1" - "$2" "$3" "$SENSORS" \
    $(( $(date +%s) - 7200 )) 0 0 2>&1 | grep -v ' DEBUG ' >&2   # the AMQP client logs at DEBUG without a config
}

ready_messages() { # queue name prefix -> messages in those queues (what the broker holds, acknowledged or not)
  mgmt GET "/queues/$NAME?columns=name,messages" | py "
import json, sys
print(sum(q.get('messages', 0) for q in json.load(sys.stdin) if q['name'].startswith('$1')))"
}

# The partitions' consumers as the broker sees them: "<partitions consumed> <connections> <prefetch>"
broker_consumers() {
  mgmt GET "/consumers/$NAME" | py "
import json, sys
# a consumer whose channel is closing has channel_details [] instead of an object: not counted
cs = [c for c in json.load(sys.stdin) if c['queue']['name'].startswith('sensorhub.readings.ingest.')
      and isinstance(c.get('channel_details'), dict)]
print(len({c['queue']['name'] for c in cs}), len({c['channel_details']['connection_name'] for c in cs}),
      min([c['prefetch_count'] for c in cs] or [0]))"
}

# Partitions owned per instance, in the order of PIDS ("6/5/5"), from ingest_partitions (owner host:pid:nonce)
shares() {
  local rows pid i out=""
  rows=$(db "SELECT owner, count(*) FROM ingest_partitions WHERE owner IS NOT NULL GROUP BY owner")
  for pid in "${PIDS[@]}"; do
    i=$(awk -F'|' -v pid="$pid" '{ split($1, part, ":"); if (part[2] == pid) print $2 }' <<<"$rows")
    out+="${out:+/}${i:-0}"
  done
  echo "$out"
}

wait_balanced() { # count: every partition owned, shares within one, every partition consumed by the broker's list
  local n=$1 s b
  for _ in $(seq 1 120); do
    s=$(shares)
    b=$(broker_consumers)
    if py "
s = [int(x) for x in '$s'.split('/')]
b = '$b'.split()
ok = sum(s) == $PARTITIONS and max(s) - min(s) <= 1 and int(b[0]) == $PARTITIONS and int(b[1]) == $n
raise SystemExit(0 if ok else 1)"; then
      log "  balanced: partitions per instance $s; broker: $b (partitions consumed, connections, prefetch)"
      return 0
    fi
    sleep 1
  done
  echo "instances did not balance: $s / $b" >&2; exit 1
}

hold_stores() { # an EXCLUSIVE lock on sensor_state: every store transaction waits at its first statement
  PGAPPNAME=bench-hold psql -h localhost -U postgres -d "$NAME" -qAt \
    -c "BEGIN; LOCK TABLE sensor_state IN EXCLUSIVE MODE; SELECT pg_sleep(3600)" >/dev/null 2>&1 &
  HOLD_PID=$!
  for _ in $(seq 1 100); do
    [ "$(db "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = 'sensor_state' AND l.mode = 'ExclusiveLock' AND l.granted")" = 1 ] && return 0
    sleep 0.1
  done
  echo "could not lock sensor_state" >&2; exit 1
}

release_stores() {
  [ -z "$HOLD_PID" ] && return 0
  db "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bench-hold'" >/dev/null
  wait "$HOLD_PID" 2>/dev/null || true
  HOLD_PID=""
}

drain_watch() { # target count, then PIDS -> JSON (bench/drain_watch.py)
  local target=$1 count=$2
  python3 bench/drain_watch.py "$target" 1800 60 "$(IFS=,; echo "${PIDS[*]}")" $(urls "$count")
}

field() { py "import json, sys; r = json.loads(sys.argv[1]); print($2)" "$1"; }

check_stored() { # expected readings; fails the run loudly if the database disagrees
  local stored dead
  stored=$(db "SELECT count(*) FROM readings"); dead=$(ready_messages sensorhub.readings.dead)
  if [ "$stored" != "$1" ] || [ "$dead" != 0 ]; then
    echo "expected $1 readings stored, found $stored ($dead dead-lettered)" >&2; exit 1
  fi
}

ROWS=()
SCALE_ROWS=()
CPU_NOTE=""

shape_run() { # shape readings
  local shape=$1 readings=$2 messages json cold warm prefetch ack ceiling out
  messages=$(( (readings + shape - 1) / shape ))
  reset
  log "shape $shape: pre-filling the $PARTITIONS partitions with $readings readings ($messages messages)"
  publish sensorhub.readings "$shape" "$readings"
  log "shape $shape: starting sensor-consumer and timing its drain"
  start_instances 1
  json=$(drain_watch "$readings" 1)
  echo "$json" > "$OUT/drain-shape-$shape.json"
  [ -n "$(field "$json" "r.get('error', '')")" ] && { echo "drain failed: $json" >&2; exit 1; }
  prefetch=$(broker_consumers | awk '{ print $3 }')
  curl -sf "http://localhost:${PORTS[0]}/actuator/prometheus" | grep -E '^sensorhub_ingest_(batch|readings|retries)' \
    > "$OUT/metrics-shape-$shape.txt" || true
  stop_instances
  check_stored "$readings"
  cold=$(field "$json" "round((r['end_count'] - r['first_count']) / (r['end_t'] - r['first_t']))")
  warm=$(field "$json" "round((r['end_count'] - r['half_count']) / (r['end_t'] - r['half_t']))")
  local cpu
  cpu=$(field "$json" "', '.join(f'{k} {v}%' for k, v in r['cpu'].items() if k != 'machine')")
  log "shape $shape: cold $cold readings/s, warm $warm readings/s (prefetch $prefetch); CPU: $cpu"

  ack=$(( BATCH < prefetch ? BATCH : prefetch ))
  log "shape $shape: pre-filling the ceiling's $PARTITIONS queues with the same $messages messages"
  publish bench.ceiling "$shape" "$readings"
  log "shape $shape: PerfTest draining them (16 consumers, prefetch $prefetch, multi-ack every $ack)"
  out=$(java -cp "$LIB/*" com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@localhost:5672/$NAME" \
    -x 0 -y "$PARTITIONS" -p --queue-pattern 'bench.ceiling.%d' --queue-pattern-from 0 \
    --queue-pattern-to $((PARTITIONS - 1)) -q "$prefetch" -A "$ack" --exit-when empty -z 600 2>&1 || true)
  echo "$out" > "$OUT/perftest-shape-$shape.txt"
  ceiling=$(echo "$out" | grep -Eo "receiving rate avg: [0-9]+" | grep -Eo "[0-9]+$" | head -1)
  [ -z "$ceiling" ] && { echo "PerfTest printed no rate (see $OUT/perftest-shape-$shape.txt)" >&2; exit 1; }
  log "shape $shape: PerfTest $ceiling msg/s"

  local goal
  if [ "$shape" = 1 ]; then
    goal=$(py "c, w, p = $cold, $warm, $ceiling; print(f'cold {100*c/p:.0f} %, warm {100*w/p:.0f} % of PerfTest (goal >= 50 %: {\"met\" if c >= p/2 else \"missed\"})')")
  else
    goal=$(py "c = $cold; print(f'cold {\"met\" if c >= 100000 else \"missed\"} (goal >= 100,000 readings/s)')")
  fi
  ROWS+=("$(printf '%-7s %9s %10s %10s %10s %8s  %s' "$shape" "$readings" "$cold" "$warm" "$ceiling" "$prefetch" "$goal")")
  CPU_NOTE+="  shape $shape drain, % of one core: $cpu"$'\n'
}

scale_run() { # store(real|slowed) instances
  local store=$1 n=$2 args="" readings=$SCALE_READINGS json rate share per
  [ "$store" = slowed ] && args=$SLOWED_ARGS && readings=$SLOWED_READINGS
  reset
  log "scaling, $store store, $n instance(s): starting them on empty partitions"
  # shellcheck disable=SC2086
  start_instances "$n" $args
  wait_ready
  wait_balanced "$n"
  share=$(shares)
  hold_stores
  log "  stores held; pre-filling the partitions with $readings readings"
  publish sensorhub.readings 1 "$readings"
  [ "$(db "SELECT count(*) FROM readings")" = 0 ] || { echo "a store passed the lock" >&2; exit 1; }
  drain_watch "$readings" "$n" > "$OUT/scale.json" &
  local watcher=$!
  sleep 0.5
  release_stores
  wait "$watcher"
  json=$(cat "$OUT/scale.json")
  cp "$OUT/scale.json" "$OUT/scale-$store-$n.json"
  [ -n "$(field "$json" "r.get('error', '')")" ] && { echo "drain failed: $json" >&2; exit 1; }
  [ "$(shares)" = "$share" ] || log "  warning: shares changed during the drain: $share -> $(shares)"
  stop_instances
  check_stored "$readings"
  rate=$(field "$json" "round((r['end_count'] - r['first_count']) / (r['end_t'] - r['first_t']))")
  per=$(field "$json" "'/'.join(str(round(100 * c / sum(r['per_instance']))) for c in r['per_instance'])")
  local cpu
  cpu=$(field "$json" "', '.join(f'{k} {v}%' for k, v in r['cpu'].items() if k != 'machine')")
  log "  $rate readings/s; partitions $share; readings per instance $per %; CPU: $cpu"
  SCALE_ROWS+=("$store $n $readings $rate $share $per")
  CPU_NOTE+="  $store store, $n instance(s), % of one core: $cpu"$'\n'
}

prepare
for shape in $SHAPES; do
  shape_run "$shape" "$([ "$shape" = 1 ] && echo "$SINGLE_READINGS" || echo "$ARRAY_READINGS")"
done
if [ -n "$INSTANCES" ]; then
  stores=""
  [ "$REAL_SCALING" = yes ] && stores="real"
  [ "$SLOWED" = yes ] && stores+=" slowed"
  for store in $stores; do
    for n in ${INSTANCES//,/ }; do scale_run "$store" "$n"; done
  done
fi

{
  echo
  echo "== bench/ingest.sh results ($(date -u +%FT%TZ), commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ ${#ROWS[@]} -gt 0 ]; then
    echo "Drain by one freshly started instance (readings/s; COLD = first to last reading stored, WARM = second half),"
    echo "PerfTest = 16 consumers draining the same messages from 16 identical queues (msg/s):"
    printf '%-7s %9s %10s %10s %10s %8s  %s\n' shape readings cold warm PerfTest prefetch "ratio / goal"
    printf '%s\n' "${ROWS[@]}"
  fi
  if [ ${#SCALE_ROWS[@]} -gt 0 ]; then
    echo "Drain of single readings by N instances balanced beforehand (slowed: $SLOWED_ARGS):"
    printf '%-7s %9s %9s %12s %8s %-14s %-16s %s\n' store instances readings readings/s "x one" partitions \
      "readings (%)" goal
    for row in "${SCALE_ROWS[@]}"; do
      read -r store n readings rate share per <<<"$row"
      base=$(printf '%s\n' "${SCALE_ROWS[@]}" | awk -v s="$store" '$1 == s { print $4; exit }')
      ratio=$(py "print(f'{$rate / $base:.2f}')")
      goal=""
      if [ "$store" = slowed ] && [ "$n" = 2 ]; then goal=$(py "print('>= 1.7: ' + ('met' if $ratio >= 1.7 else 'missed'))"); fi
      if [ "$store" = slowed ] && [ "$n" = 4 ]; then goal=$(py "print('>= 3: ' + ('met' if $ratio >= 3 else 'missed'))"); fi
      printf '%-7s %9s %9s %12s %8s %-14s %-16s %s\n' "$store" "$n" "$readings" "$rate" "$ratio" "$share" "$per" "$goal"
    done
  fi
  echo "CPU during each drain (100 % = one core; 'others' is everything else on the machine):"
  printf '%s' "$CPU_NOTE"
} | tee "$OUT/ingest-results.txt"
