/**
 * The OFFLINE watchdog: sensors silent for their heartbeat become OFFLINE, recorded like
 * any other status change.
 */
package io.sensorhub.notifier.watchdog;
