/**
 * The one-command quickstart: embedded PostgreSQL, Redis and AMQP broker on free ports,
 * the three services as child processes, a demo client with sensors and a webhook to a
 * built-in receiver, and the simulator.
 */
package io.sensorhub.quickstart;
