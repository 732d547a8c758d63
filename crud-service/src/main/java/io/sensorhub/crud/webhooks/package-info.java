/**
 * A client's webhooks, their secrets, URL safety, and the deliveries notifier-job makes
 * to them.
 */
package io.sensorhub.crud.webhooks;
