/**
 * What more than one SensorHub service needs: schema maintenance, shared settings, status
 * rules, the reading format, webhook signing, where webhooks may go, the state cache and
 * hearing PostgreSQL notifications.
 */
package io.sensorhub.common;
