/**
 * A sensor's current state: the locked row in PostgreSQL (the truth), the Redis cache of
 * it, and the recording of status changes. sensor-consumer writes them (its ingest and
 * its OFFLINE watchdog); crud-service reads the state, and notifier-job reads the changes
 * the recorder writes and listens on its channel.
 */
package io.sensorhub.common.state;
