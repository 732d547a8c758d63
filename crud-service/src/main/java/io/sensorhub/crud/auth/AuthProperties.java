package io.sensorhub.crud.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authentication settings.
 *
 * @param adminToken the admin bearer token; when unset, one is generated at start-up and
 * printed once
 */
@ConfigurationProperties("sensorhub")
public record AuthProperties(String adminToken) {
}
