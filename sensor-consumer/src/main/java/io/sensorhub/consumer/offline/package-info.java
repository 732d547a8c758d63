/**
 * The OFFLINE watchdog: sensors silent for their heartbeat become OFFLINE, recorded like
 * any other status change, by the service that records every status change.
 */
package io.sensorhub.consumer.offline;
