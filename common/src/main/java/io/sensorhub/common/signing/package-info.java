/** Standard Webhooks signing of deliveries (CONTRACT §5), shared by notifier-job and anyone who verifies. */
package io.sensorhub.common.signing;
