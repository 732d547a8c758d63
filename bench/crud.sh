#!/usr/bin/env bash
# Benchmark of crud-service's hottest endpoint, GET /api/v1/sensors/{id}, against a ceiling on this machine.
#
# 1. Creates a database of its own, starts crud-service's jar on it, creates a client through the API and loads
#    N sensors (with a current state) straight into PostgreSQL.
# 2. Runs wrk with a Lua script that asks for random sensor ids with the client's bearer token.
# 3. Serves a static JSON file of the same size as one answer from a throwaway nginx (own config, own port)
#    and runs the same wrk load against it: the ceiling of an HTTP server on this machine.
# 4. Prints requests/s, p50 and p99 of both, and our/ceiling ratio. Removes everything it created.
#
# Needs: java, psql, redis-cli, curl, wrk and nginx (Debian packages), PostgreSQL and Redis on localhost.
# 3b. Runs the same load again while CHURN sensor states per second change in Redis (as sensor-consumer writes
#    them: a fleet of 10,000 sensors reporting every 10 s is 1,000 a second), so the in-memory copy of states
#    keeps being invalidated: the figure for a live fleet, not only for a quiet one.
# Settings (environment): N=10000 DURATION=20s WARMUP=30s CONNECTIONS=64 THREADS=2 PORT=18080 NGINX_PORT=18081
#   CHURN=1000 (0 skips that run)
# The warm-up first asks for every sensor once (filling the caches), then runs the random load for WARMUP so the
# JIT has compiled the hot path before anything is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
CHURN=${CHURN:-1000}
CHURN_PID=""
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
JAR=crud-service/target/crud-service.jar
NAME="sensorhub_bench_$(date +%s)_$$"
ADMIN_TOKEN="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d)
chmod 755 "$WORK"  # nginx workers (another user) read the static file from here
APP_PID=""
export PGHOST PGUSER

cleanup() {
  set +e
  [ -n "$CHURN_PID" ] && kill "$CHURN_PID" 2>/dev/null
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [ -f "$WORK/nginx.pid" ] && nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log" -s stop 2>/dev/null
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1
  redis-cli --scan --pattern "$NAME:*" 2>/dev/null | xargs -r redis-cli del >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -f "$JAR" ]; then
  echo "Building $JAR"
  ./mvnw -B -q -pl crud-service -am -DskipTests package
fi

echo "== database $NAME, $N sensors"
psql -q -d postgres -c "CREATE DATABASE $NAME" >/dev/null
java -Xms512m -Xmx512m -XX:+UseParallelGC ${JAVA_OPTS:-} -jar "$JAR" \
  --server.port="$PORT" \
  --spring.datasource.url="jdbc:postgresql://$PGHOST:5432/$NAME" \
  --spring.datasource.username="$PGUSER" \
  --sensorhub.admin-token="$ADMIN_TOKEN" \
  --sensorhub.redis.key-prefix="$NAME:" \
  --logging.level.root=WARN >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }
  sleep 0.5
done

CLIENT=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/clients" -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"bench"}')
CLIENT_ID=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$CLIENT")
TOKEN=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$CLIENT")
psql -q -d "$NAME" <<SQL
INSERT INTO sensors (id, client_id, name, type, unit, warn_high, crit_high)
SELECT 'bench-' || g, '$CLIENT_ID', 'Bench sensor ' || g, 'temperature', 'C', 80, 95 FROM generate_series(1, $N) g;
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
cat >"$WORK/sequential.lua" <<LUA
local n, i = $N, 0
local headers = { ["Authorization"] = "Bearer $TOKEN", ["Accept"] = "application/json" }
request = function()
  i = i % n + 1
  return wrk.format("GET", "/api/v1/sensors/bench-" .. i, headers)
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

echo "== warm-up: every sensor once, then $WARMUP of random load (JIT, pools, caches)"
wrk -t1 -c4 -d10s -s "$WORK/sequential.lua" "http://127.0.0.1:$PORT" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$WORK/random.lua" "http://127.0.0.1:$PORT" >/dev/null
echo "== crud-service: GET /api/v1/sensors/{random id}, $THREADS threads, $CONNECTIONS connections, $DURATION"
read -r H0 M0 < <(near_counts)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/random.lua" "http://127.0.0.1:$PORT" | tee "$WORK/ours.txt"
read -r H1 M1 < <(near_counts)
OURS_HITS=$(hit_share "$H0" "$M0" "$H1" "$M1")
read -r OURS_RPS OURS_P50 OURS_P99 OURS_BAD < <(summarise <"$WORK/ours.txt")

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

echo "== ceiling: nginx serving a static file of the same size"
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
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/static.lua" "http://127.0.0.1:$NGINX_PORT" | tee "$WORK/ceiling.txt"
read -r CEIL_RPS CEIL_P50 CEIL_P99 CEIL_BAD < <(summarise <"$WORK/ceiling.txt")

RATIO=$(awk -v a="$OURS_RPS" -v b="$CEIL_RPS" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
CHURN_RATIO=$(awk -v a="$CHURN_RPS" -v b="$CEIL_RPS" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
echo
echo "== results (N=$N sensors, $THREADS wrk threads, $CONNECTIONS connections, $DURATION, $(nproc) cores)"
printf '%-28s %10s %10s %10s %8s %10s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx" "in memory"
printf '%-28s %10s %10s %10s %8s %10s\n' "crud-service GET sensor" "$OURS_RPS" "$OURS_P50" "$OURS_P99" "$OURS_BAD" "$OURS_HITS"
[ "$CHURN" -gt 0 ] && printf '%-28s %10s %10s %10s %8s %10s\n' "  with $CHURN changes/s" "$CHURN_RPS" "$CHURN_P50" "$CHURN_P99" "$CHURN_BAD" "$CHURN_HITS"
printf '%-28s %10s %10s %10s %8s\n' "nginx static (ceiling)" "$CEIL_RPS" "$CEIL_P50" "$CEIL_P99" "$CEIL_BAD"
echo "ratio our/ceiling: $RATIO$([ "$CHURN" -gt 0 ] && echo ", with $CHURN changes/s: $CHURN_RATIO")   (goal: >= 5000 req/s, p99 <= 25 ms, ratio >= 0.25)"
