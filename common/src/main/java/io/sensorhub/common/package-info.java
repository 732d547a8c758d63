/**
 * What more than one SensorHub service needs: schema maintenance, shared settings, status rules,
 * the reading format, webhook signing and the state cache.
 */
package io.sensorhub.common;
