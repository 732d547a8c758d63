/**
 * The SSRF guard of deliveries: common's address policy and deadline-bounded lookups,
 * applied to the addresses actually connected to.
 */
package io.sensorhub.notifier.addresses;
