/**
 * The one way SensorHub runs background work: named daemon threads and the after-commit
 * hook.
 */
package io.sensorhub.common.concurrent;
