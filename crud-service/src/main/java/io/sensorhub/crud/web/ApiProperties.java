package io.sensorhub.crud.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the REST API.
 *
 * @param maxBodySize the largest request body accepted; larger ones are answered 413
 */
@Validated
@ConfigurationProperties("sensorhub.api")
public record ApiProperties(@NotNull @DefaultValue("1MB") DataSize maxBodySize) {
}
