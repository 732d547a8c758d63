# Shared by the bench scripts that start the services' jars (sourced, not run): they keep each service's pid in the
# associative array PIDS (module -> pid) and its log in $WORK/<module>.log.

# Waits until a service answers ready on its port; stops the bench with its log if it exits or takes two minutes.
await_ready() { # module port
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null 2>&1 && return 0
    kill -0 "${PIDS[$1]}" 2>/dev/null || break
    sleep 0.5
  done
  echo "$1 did not become ready:" >&2; tail -50 "$WORK/$1.log" >&2; exit 1
}
