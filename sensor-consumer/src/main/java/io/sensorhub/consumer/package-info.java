/**
 * sensor-consumer: ingests sensor readings from RabbitMQ, stores them and detects status
 * changes.
 */
package io.sensorhub.consumer;
