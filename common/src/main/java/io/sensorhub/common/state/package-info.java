/**
 * A sensor's current state: the locked row in PostgreSQL (the truth), the Redis cache of
 * it, and the recording of status changes that both sensor-consumer and the OFFLINE
 * watchdog use.
 */
package io.sensorhub.common.state;
