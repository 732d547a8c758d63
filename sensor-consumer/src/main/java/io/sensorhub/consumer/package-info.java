/**
 * sensor-consumer: ingests sensor readings from RabbitMQ, stores them and decides every
 * status change, OFFLINE included. It is the one writer of sensors' statuses:
 * {@code sensor_state}, {@code status_changes} with their outbox, and the new states in
 * the Redis cache (crud-service only creates and removes a sensor's rows and fills the
 * cache from the database on a miss).
 */
package io.sensorhub.consumer;
