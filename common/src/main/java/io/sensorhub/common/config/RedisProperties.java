package io.sensorhub.common.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * SensorHub's use of Redis (the connection itself is {@code spring.data.redis.*}).
 *
 * @param keyPrefix prefix of every key SensorHub writes, so several deployments (or test
 * runs) share a server
 * @param writeQueueCapacity state writes waiting for Redis before new ones are dropped
 * (and later reconciled)
 */
@Validated
@ConfigurationProperties("sensorhub.redis")
public record RedisProperties(@NotNull @DefaultValue("sensorhub:") String keyPrefix,
        @Min(1) @DefaultValue("10000") int writeQueueCapacity) {
}
