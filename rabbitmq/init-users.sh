#!/bin/bash
# Entrypoint of the rabbitmq service: starts the broker as the image does, then creates (or updates) the user the
# services connect as, with rights limited to SensorHub's own exchanges and queues on the default vhost:
#   configure  declare and delete  sensorhub.*
#   write      publish to / bind   sensorhub.*, amq.default (dead letters)
#   read       consume / bind from sensorhub.*, amq.topic (the MQTT plugin's exchange)
# The broker's administrator (RABBITMQ_DEFAULT_USER) is for the management UI only. Passwords go through stdin,
# never on a command line. The health check passes only once the user is in place.
set -euo pipefail

ready=/tmp/sensorhub-users-ready
rm -f "$ready"

docker-entrypoint.sh rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' TERM INT

# await_startup fails at once while the node is not reachable yet: retry for a few minutes.
for attempt in $(seq 1 60); do
    if rabbitmqctl -q await_startup --timeout 30 >/dev/null 2>&1; then
        break
    fi
    kill -0 "$server" || exit 1
    sleep 2
done
rabbitmqctl -q await_startup --timeout 30

user="$SENSORHUB_RABBITMQ_USER"
if rabbitmqctl -q list_users | cut -f1 | grep -qx "$user"; then
    printf '%s' "$SENSORHUB_RABBITMQ_PASSWORD" | rabbitmqctl change_password "$user"
else
    printf '%s' "$SENSORHUB_RABBITMQ_PASSWORD" | rabbitmqctl add_user "$user"
fi
rabbitmqctl set_user_tags "$user"
rabbitmqctl set_permissions -p / "$user" '^sensorhub\..*' '^(sensorhub\..*|amq\.default)$' '^(sensorhub\..*|amq\.topic)$'
touch "$ready"

wait "$server"
