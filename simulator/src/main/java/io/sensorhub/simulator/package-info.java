/**
 * The sensor simulator: N sensors publishing realistic readings to SensorHub over AMQP.
 */
package io.sensorhub.simulator;
