package io.sensorhub.crud.webhooks;

import java.util.List;

/**
 * What a client sets on a webhook.
 *
 * @param url where deliveries are POSTed
 * @param description free text
 * @param sensorIds the sensors whose changes are sent; null for all of the client's
 * sensors, now and later
 * @param statuses the new statuses whose changes are sent; null for every change
 * @param enabled whether deliveries are sent
 * @param eventTypes the event types sent to it (never null)
 * @param repeatInterval seconds between reminders of a lasting CRITICAL, FAULT or OFFLINE
 * status; null for none
 */
record WebhookSettings(String url, String description, List<String> sensorIds, List<String> statuses, boolean enabled,
        List<String> eventTypes, Integer repeatInterval) {
}
