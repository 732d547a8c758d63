/**
 * The catalogue of webhook event types, shared by crud-service (which lets webhooks
 * choose among them and describes them) and notifier-job (which sends them).
 */
package io.sensorhub.common.events;
