/**
 * Silences: a client's one-off or recurring periods in which status changes of its
 * sensors are recorded but not sent (notifier-job holds them back and sends one catch-up
 * when the silence ends).
 */
package io.sensorhub.crud.silences;
