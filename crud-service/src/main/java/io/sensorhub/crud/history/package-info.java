/** A sensor's readings and status changes by time range, read from the day partitions. */
package io.sensorhub.crud.history;
