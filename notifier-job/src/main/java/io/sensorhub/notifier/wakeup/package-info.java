/**
 * Wake-up: LISTEN for the NOTIFYs of new status changes and deliveries, with
 * reconnection; the polling fallback lives in the delivery loop.
 */
package io.sensorhub.notifier.wakeup;
