/**
 * Standard Webhooks signing of deliveries (docs/api.md), shared by notifier-job and
 * anyone who verifies.
 */
package io.sensorhub.common.signing;
