/**
 * The SSRF guard: which addresses a webhook may be delivered to, checked on the addresses
 * actually connected to.
 */
package io.sensorhub.notifier.addresses;
