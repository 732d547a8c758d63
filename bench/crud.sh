#!/usr/bin/env bash
# Benchmark of crud-service's hottest endpoint, GET /api/v1/sensors/{id}, against a ceiling on this machine.
#
# 1. Builds the services it measures (never a jar left from older code), creates a database, a RabbitMQ virtual host
#    and a Redis key prefix of its own, and starts the services as a user runs them (README, "Running natively"):
#    crud-service, sensor-consumer and notifier-job side by side, each `java $JAVA_OPTS -jar <module>.jar` with the
#    services' own defaults (logging included). SERVICES=crud starts crud-service alone instead.
#    Creates a client through the API and loads N sensors (with a current state) straight into PostgreSQL.
# 2. Records each service's CPU while idle (background work: polling, reconcilers), then warms up and runs wrk with
#    a Lua script that asks for random sensor ids with the client's bearer token, recording where the CPU goes.
# 3. Serves a static JSON file of the same size as one answer from a throwaway nginx (own config, own port)
#    and runs the same wrk load against it, with the services still running: the ceiling of an HTTP server on this
#    machine in the same minute.
# 3b. Runs the same load again while CHURN sensor states per second change in Redis (as sensor-consumer writes
#    them: a fleet of 10,000 sensors reporting every 10 s is 1,000 a second), so the in-memory copy of states
#    keeps being invalidated: the figure for a live fleet, not only for a quiet one.
# 4. Prints requests/s, p50 and p99 of each, our/ceiling ratios, and the CPU shares. Removes everything it created
#    but the services' logs of the last run (bench/target/crud/).
#
# Needs: java, psql, redis-cli, curl, wrk, nginx, pidstat and time (Debian packages wrk, nginx, sysstat, time),
# PostgreSQL, RabbitMQ (with its management API on 15672, guest) and Redis on localhost.
# Settings (environment): N=10000 DURATION=20s WARMUP=30s WARMUP_STEPS=12 CONNECTIONS=64 THREADS=2 PORT=18080
#   NGINX_PORT=18081 (PORT+3 and PORT+4 are sensor-consumer's and notifier-job's)
#   CHURN=1000 (0 skips that run)
#   SERVICES=all (crud: crud-service alone, no RabbitMQ needed)
#   JAVA_OPTS="-XX:+UseParallelGC -Xmx512m" (the JVM options of every service; what the README tells users to set)
#   SERVICE_ARGS="" (more Spring Boot arguments for every service, e.g. --logging.level.root=WARN)
# The warm-up first asks for every sensor twice (filling Redis, then the in-memory copy), then runs the random load
# for WARMUP and in 10 s steps for as long as it still gets faster, so the JIT has compiled the hot path before
# anything is measured. On a shared machine, compare ratios, not req/s, and look at the "others" CPU share printed
# with each run (work on this machine that is neither ours nor wrk's); above ~20 % the figures say more about the
# neighbours than about SensorHub: `nice -n -10 bench/crud.sh` (as root) gives every process it starts priority.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
DURATION=${DURATION:-20s}
SECONDS_MEASURED=${DURATION%s}
WARMUP=${WARMUP:-30s}
WARMUP_STEPS=${WARMUP_STEPS:-12}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
CHURN=${CHURN:-1000}
SERVICES=${SERVICES:-all}
JAVA_OPTS=${JAVA_OPTS-"-XX:+UseParallelGC -Xmx512m"}
SERVICE_ARGS=${SERVICE_ARGS:-}
CONSUMER_PORT=$((PORT + 3))
NOTIFIER_PORT=$((PORT + 4))
CHURN_PID=""
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
MGMT=http://127.0.0.1:15672/api
NAME="sensorhub_bench_$(date +%s)_$$"
ADMIN_TOKEN="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SECRETS_KEY=$(head -c 32 /dev/urandom | base64)
WORK=$(mktemp -d)
chmod 755 "$WORK"  # nginx workers (another user) read the static file from here
declare -A PIDS=()
export PGHOST PGUSER

case "$SERVICES" in
  all) MODULES="crud-service sensor-consumer notifier-job" ;;
  crud) MODULES="crud-service" ;;
  *) echo "SERVICES is all or crud, not $SERVICES" >&2; exit 2 ;;
esac
for tool in java psql redis-cli curl wrk nginx pidstat /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install wrk nginx sysstat time)" >&2; exit 1; }
done

mgmt() { curl -fs -u guest:guest -H 'content-type: application/json' -X "$1" "$MGMT$2" ${3:+-d "$3"}; }

cleanup() {
  set +e
  [ -n "$CHURN_PID" ] && kill "$CHURN_PID" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  [ -f "$WORK/nginx.pid" ] && nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log" -s stop 2>/dev/null
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1
  [ "$SERVICES" = all ] && mgmt DELETE "/vhosts/$NAME" >/dev/null 2>&1
  redis-cli --scan --pattern "$NAME:*" 2>/dev/null | xargs -r -n 1000 redis-cli del >/dev/null 2>&1
  mkdir -p bench/target/crud && rm -f bench/target/crud/*.log && cp "$WORK"/*.log bench/target/crud/ 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# Always build: a jar left from older code would be measured otherwise.
PROJECTS=$(tr ' ' ',' <<<"$MODULES")
echo "== building $PROJECTS"
./mvnw -B -q -pl "$PROJECTS" -am -DskipTests package

echo "== database, virtual host and key prefix $NAME; $N sensors"
psql -q -d postgres -c "CREATE DATABASE $NAME" >/dev/null
if [ "$SERVICES" = all ]; then
  mgmt PUT "/vhosts/$NAME" '{}' >/dev/null
  mgmt PUT "/permissions/$NAME/guest" '{"configure":".*","write":".*","read":".*"}' >/dev/null
fi

# One service as the README starts it, plus this run's database, virtual host, key prefix and port.
start_service() { # module port
  # shellcheck disable=SC2086 # JAVA_OPTS and SERVICE_ARGS are lists of arguments
  java $JAVA_OPTS -jar "$1/target/$1.jar" \
    --server.port="$2" \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:5432/$NAME" \
    --spring.datasource.username="$PGUSER" \
    --spring.rabbitmq.virtual-host="$NAME" \
    --sensorhub.redis.key-prefix="$NAME:" \
    --sensorhub.admin-token="$ADMIN_TOKEN" \
    --sensorhub.secrets.key="$SECRETS_KEY" \
    $SERVICE_ARGS >"$WORK/$1.log" 2>&1 &
  PIDS[$1]=$!
}
. bench/lib.sh   # await_ready
echo "== starting $MODULES with: java $JAVA_OPTS -jar … $SERVICE_ARGS"
start_service crud-service "$PORT"
if [ "$SERVICES" = all ]; then
  start_service sensor-consumer "$CONSUMER_PORT"
  start_service notifier-job "$NOTIFIER_PORT"
  await_ready sensor-consumer "$CONSUMER_PORT"
  await_ready notifier-job "$NOTIFIER_PORT"
fi
await_ready crud-service "$PORT"
# shellcheck disable=SC2086
JVM=$(java $JAVA_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null |
  awk '$2 ~ /^(UseG1GC|UseParallelGC|UseSerialGC)$/ && $4 == "true" { gc = $2 } $2 == "MaxHeapSize" { h = $4 }
       END { printf "%s, max heap %d MiB", gc, h / 1048576 }')
echo "   each JVM: $JVM"

CLIENT=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/clients" -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"bench"}')
CLIENT_ID=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$CLIENT")
TOKEN=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$CLIENT")
# A heartbeat of a day: the sensors never report during the run, and sensor-consumer's watchdog must not turn all N
# OFFLINE in the middle of it (a one-off burst of N status changes, not the steady state measured here).
psql -q -d "$NAME" <<SQL
INSERT INTO sensors (id, client_id, name, type, unit, warn_high, crit_high, heartbeat_seconds)
SELECT 'bench-' || g, '$CLIENT_ID', 'Bench sensor ' || g, 'temperature', 'C', 80, 95, 86400 FROM generate_series(1, $N) g;
INSERT INTO sensor_state (sensor_id, status, value, reported_at, last_seen_at, since, sequence)
SELECT id, 'OK', 21.5, now(), now(), now(), 1 FROM sensors;
ANALYZE;
SQL

SAMPLE="$WORK/sensor.json"
curl -fs "http://127.0.0.1:$PORT/api/v1/sensors/bench-1" -H "Authorization: Bearer $TOKEN" >"$SAMPLE"
echo "one answer: $(wc -c <"$SAMPLE") bytes"

cat >"$WORK/random.lua" <<LUA
math.randomseed(os.time())
local n = $N
local headers = { ["Authorization"] = "Bearer $TOKEN", ["Accept"] = "application/json" }
request = function()
  return wrk.format("GET", "/api/v1/sensors/bench-" .. math.random(1, n), headers)
end
LUA
# Every sensor twice, then stop: the first read goes to PostgreSQL and writes Redis, the second keeps the state in
# memory. Counted, not timed, so a busy machine still covers every sensor.
cat >"$WORK/sequential.lua" <<LUA
local n, i = $N, 0
local headers = { ["Authorization"] = "Bearer $TOKEN", ["Accept"] = "application/json" }
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/sensors/bench-" .. ((i - 1) % n + 1), headers)
end
response = function()
  if i >= 2 * n then wrk.thread:stop() end
end
LUA
cat >"$WORK/static.lua" <<LUA
local headers = { ["Authorization"] = "Bearer $TOKEN", ["Accept"] = "application/json" }
request = function()
  return wrk.format("GET", "/sensor.json", headers)
end
LUA

# crud-service's counts of state reads answered from its in-memory copy and sent to Redis → "hits misses"
near_counts() {
  curl -fs "http://127.0.0.1:$PORT/actuator/prometheus" | awk '
    /^sensorhub_cache_near_requests_total/ && /result="hit"/ { h = $NF }
    /^sensorhub_cache_near_requests_total/ && /result="miss"/ { m = $NF }
    END { printf "%d %d\n", h, m }'
}

# crud-service's count of answers to GET /api/v1/sensors/{id}
served() {
  curl -fs "http://127.0.0.1:$PORT/actuator/prometheus" |
    awk '/^http_server_requests_seconds_count/ && /uri="\/api\/v1\/sensors\/\{id\}"/ { n += $NF } END { printf "%d\n", n }'
}

# "hits misses" before and after a run → the share of hits during it
hit_share() {
  awk -v h0="$1" -v m0="$2" -v h1="$3" -v m1="$4" 'BEGIN {
    t = (h1 - h0) + (m1 - m0); printf "%.1f%%", (t > 0 ? 100 * (h1 - h0) / t : 0) }'
}

# wrk output → "requests/s p50 p99" (latencies in ms)
summarise() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }'
}

# Busy jiffies of the whole machine (all cores), from /proc/stat.
busy_jiffies() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# CPU of the named processes while a command runs → file "name %cpu ..." (100 % = one core) plus "machine" and
# "others" (everything on the machine that is neither named nor wrk: other people's work on a shared machine).
# Usage: with_cpu FILE SECONDS name=pid... -- command...
with_cpu() {
  local file=$1 secs=$2; shift 2
  local names=() pids=()
  while [ "$1" != -- ]; do names+=("${1%%=*}"); pids+=("${1#*=}"); shift; done; shift
  local hz b0 b1
  hz=$(getconf CLK_TCK)
  b0=$(busy_jiffies)
  pidstat -u -p "$(IFS=,; echo "${pids[*]}")" "$secs" 1 >"$WORK/pidstat.txt" 2>/dev/null &
  local stat_pid=$!
  "$@"
  wait "$stat_pid" 2>/dev/null || true
  b1=$(busy_jiffies)
  {
    for i in "${!names[@]}"; do
      awk -v pid="${pids[$i]}" -v name="${names[$i]}" '
        $1 == "Average:" && $3 == pid { c = $8 } END { printf "%s %.0f\n", name, c + 0 }' "$WORK/pidstat.txt"
    done
    awk -v b0="$b0" -v b1="$b1" -v hz="$hz" -v s="$secs" 'BEGIN { printf "machine %.0f\n", 100 * (b1 - b0) / hz / s }'
  } >"$file"
}

# The wrk thread's CPU is not in pidstat's list (wrk is started by with_cpu's command), so measure wrk by itself.
wrk_cpu() { # file, then wrk arguments; appends "wrk %cpu"
  local file=$1; shift
  /usr/bin/time -f '%U %S' -o "$WORK/wrk.time" wrk "$@"
  awk -v s="$SECONDS_MEASURED" '{ printf "wrk %.0f\n", 100 * ($1 + $2) / s }' "$WORK/wrk.time" >>"$file"
}

# "name %cpu" lines → "crud-service 120%, sensor-consumer 3%, …, others 40%"
cpu_line() {
  awk '{ c[$1] = $2; order[NR] = $1 } END {
      ours = 0
      for (i = 1; i <= NR; i++) if (order[i] != "machine") ours += c[order[i]]
      for (i = 1; i <= NR; i++) if (order[i] != "machine") printf "%s %d%%, ", order[i], c[order[i]]
      o = c["machine"] - ours; printf "others %d%% (of %d%%)\n", (o < 0 ? 0 : o), 100 * '"$(nproc)"' }' "$1"
}

named_pids() { for m in $MODULES; do printf '%s=%s ' "$m" "${PIDS[$m]}"; done; }

sleep 5
echo "== idle: CPU of each service over 10 s with no requests (background work)"
# shellcheck disable=SC2046
with_cpu "$WORK/idle.cpu" 10 $(named_pids) -- sleep 10
IDLE_CPU=$(cpu_line "$WORK/idle.cpu")
echo "   $IDLE_CPU"

echo "== warm-up: every sensor twice, then $WARMUP of random load, longer while it still gets faster (JIT)"
# wrk waits out its duration even when its thread has stopped: end it once crud-service has answered 2N requests.
SERVED0=$(served)
wrk -t1 -c4 -d300s -s "$WORK/sequential.lua" "http://127.0.0.1:$PORT" >/dev/null &
SEQUENTIAL_PID=$!
# (less the requests still in flight on its 4 connections when it stopped)
while kill -0 "$SEQUENTIAL_PID" 2>/dev/null && [ $(($(served) - SERVED0)) -lt $((2 * N - 4)) ]; do sleep 1; done
kill "$SEQUENTIAL_PID" 2>/dev/null || true
wait "$SEQUENTIAL_PID" 2>/dev/null || true
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$WORK/random.lua" "http://127.0.0.1:$PORT" >/dev/null
# The JIT compiles by invocation counts, not by time: on a busy machine a fixed warm-up ends before the hot path is
# compiled. 10 s steps until one is less than 5 % faster than the one before (at most WARMUP_STEPS more).
PREVIOUS=0
for step in $(seq 1 "$WARMUP_STEPS"); do
  RPS=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$WORK/random.lua" "http://127.0.0.1:$PORT" |
    awk '$1 == "Requests/sec:" { printf "%.0f", $2 }')
  RPS=${RPS:-0}
  echo "   warm-up step $step: $RPS req/s"
  [ "$RPS" -le $((PREVIOUS * 105 / 100)) ] && break
  PREVIOUS=$RPS
done
echo "== crud-service: GET /api/v1/sensors/{random id}, $THREADS threads, $CONNECTIONS connections, $DURATION"
read -r H0 M0 < <(near_counts)
# shellcheck disable=SC2046
with_cpu "$WORK/ours.cpu" "$SECONDS_MEASURED" $(named_pids) -- \
  wrk_cpu "$WORK/ours.cpu.wrk" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/random.lua" \
  "http://127.0.0.1:$PORT" >"$WORK/ours.txt"
cat "$WORK/ours.cpu.wrk" >>"$WORK/ours.cpu"
cat "$WORK/ours.txt"
read -r H1 M1 < <(near_counts)
OURS_HITS=$(hit_share "$H0" "$M0" "$H1" "$M1")
read -r OURS_RPS OURS_P50 OURS_P99 OURS_BAD < <(summarise <"$WORK/ours.txt")
OURS_CPU=$(cpu_line "$WORK/ours.cpu")

echo "== ceiling: nginx serving a static file of the same size (the services still running, idle)"
mkdir -p "$WORK/html" "$WORK/logs"
cp "$SAMPLE" "$WORK/html/sensor.json"
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $WORK/tmp_body;
  proxy_temp_path $WORK/tmp_proxy;
  fastcgi_temp_path $WORK/tmp_fastcgi;
  uwsgi_temp_path $WORK/tmp_uwsgi;
  scgi_temp_path $WORK/tmp_scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/html;
    location = /sensor.json { }
  }
}
CONF
nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log"
sleep 0.5
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/static.lua" "http://127.0.0.1:$NGINX_PORT" >/dev/null
NGINX_PIDS=$(pgrep -d, -P "$(cat "$WORK/nginx.pid")")
# shellcheck disable=SC2046
with_cpu "$WORK/ceiling.cpu" "$SECONDS_MEASURED" $(named_pids) $(tr ',' '\n' <<<"$NGINX_PIDS" | sed 's/^/nginx=/') -- \
  wrk_cpu "$WORK/ceiling.cpu.wrk" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/static.lua" \
  "http://127.0.0.1:$NGINX_PORT" >"$WORK/ceiling.txt"
cat "$WORK/ceiling.txt"
# nginx workers are summed into one line
awk '{ c[$1] += $2; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } } END { for (i = 1; i <= n; i++) print order[i], c[order[i]] }' \
  "$WORK/ceiling.cpu" "$WORK/ceiling.cpu.wrk" >"$WORK/ceiling.cpu2"
CEIL_CPU=$(cpu_line "$WORK/ceiling.cpu2")
read -r CEIL_RPS CEIL_P50 CEIL_P99 CEIL_BAD < <(summarise <"$WORK/ceiling.txt")
nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log" -s stop
rm -f "$WORK/nginx.pid"

CHURN_RPS=-; CHURN_P50=-; CHURN_P99=-; CHURN_BAD=-; CHURN_HITS=-
if [ "$CHURN" -gt 0 ]; then
  echo "== crud-service again, while $CHURN sensor states per second change in Redis"
  # Ten times a second, a new sequence and value for CHURN/10 random sensors: what sensor-consumer's writes do
  # to the keys this instance has read (each one invalidates the instance's in-memory copy of that state).
  CHANGE='math.randomseed(tonumber(redis.call("TIME")[2]))
for i = 1, tonumber(ARGV[2]) do
  local key = ARGV[3] .. "state:bench-" .. math.random(1, tonumber(ARGV[1]))
  if redis.call("EXISTS", key) == 1 then
    redis.call("HINCRBY", key, "seq", 1)
    redis.call("HSET", key, "value", tostring(math.random(0, 100)))
  end
end
return 0'
  redis-cli -r -1 -i 0.1 EVAL "$CHANGE" 0 "$N" $((CHURN / 10)) "$NAME:" >/dev/null &
  CHURN_PID=$!
  read -r H0 M0 < <(near_counts)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/random.lua" "http://127.0.0.1:$PORT" | tee "$WORK/churn.txt"
  read -r H1 M1 < <(near_counts)
  CHURN_HITS=$(hit_share "$H0" "$M0" "$H1" "$M1")
  kill "$CHURN_PID"; CHURN_PID=""
  read -r CHURN_RPS CHURN_P50 CHURN_P99 CHURN_BAD < <(summarise <"$WORK/churn.txt")
fi

RATIO=$(awk -v a="$OURS_RPS" -v b="$CEIL_RPS" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
CHURN_RATIO=$(awk -v a="$CHURN_RPS" -v b="$CEIL_RPS" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
echo
echo "== results (N=$N sensors, $THREADS wrk threads, $CONNECTIONS connections, $DURATION, $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "services: $MODULES; java $JAVA_OPTS -jar … $SERVICE_ARGS ($JVM)"
printf '%-28s %10s %10s %10s %8s %10s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx" "in memory"
printf '%-28s %10s %10s %10s %8s %10s\n' "crud-service GET sensor" "$OURS_RPS" "$OURS_P50" "$OURS_P99" "$OURS_BAD" "$OURS_HITS"
[ "$CHURN" -gt 0 ] && printf '%-28s %10s %10s %10s %8s %10s\n' "  with $CHURN changes/s" "$CHURN_RPS" "$CHURN_P50" "$CHURN_P99" "$CHURN_BAD" "$CHURN_HITS"
printf '%-28s %10s %10s %10s %8s\n' "nginx static (ceiling)" "$CEIL_RPS" "$CEIL_P50" "$CEIL_P99" "$CEIL_BAD"
echo "CPU idle:     $IDLE_CPU"
echo "CPU ours:     $OURS_CPU"
echo "CPU ceiling:  $CEIL_CPU"
echo "ratio our/ceiling: $RATIO$([ "$CHURN" -gt 0 ] && echo ", with $CHURN changes/s: $CHURN_RATIO")   (goal: >= 5000 req/s, p99 <= 25 ms, ratio >= 0.25)"
