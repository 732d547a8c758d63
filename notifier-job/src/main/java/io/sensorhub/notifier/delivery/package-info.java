/**
 * Signed webhook deliveries: claiming due deliveries, POSTing them, recording attempts
 * and scheduling retries.
 */
package io.sensorhub.notifier.delivery;
