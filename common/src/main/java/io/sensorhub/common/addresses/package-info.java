/**
 * Where webhooks may go: the one rule for which addresses are public (the SSRF guard of
 * crud-service, when a webhook is saved, and of notifier-job, on every connection), and
 * host name lookups with a deadline.
 */
package io.sensorhub.common.addresses;
