/**
 * Settings shared by every service and the auto-configuration that wires the shared
 * components.
 */
package io.sensorhub.common.config;
