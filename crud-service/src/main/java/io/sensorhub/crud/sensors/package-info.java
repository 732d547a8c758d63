/**
 * A client's sensors: registration, thresholds, optimistic versions (ETag) and current
 * state.
 */
package io.sensorhub.crud.sensors;
