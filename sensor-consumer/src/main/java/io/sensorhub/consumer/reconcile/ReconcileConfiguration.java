package io.sensorhub.consumer.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the cache reconciliation, unless {@code sensorhub.reconcile.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sensorhub.reconcile.enabled", matchIfMissing = true)
class ReconcileConfiguration {

    @Bean
    CacheReconciler cacheReconciler(JdbcTemplate jdbc, SensorStateStore store, SensorStateCache cache,
            ReconcileProperties properties, MeterRegistry meters) {
        return new CacheReconciler(jdbc, store, cache, properties.pageSize(), meters);
    }

    @Bean
    ReconcileSchedule reconcileSchedule(CacheReconciler reconciler, StringRedisTemplate redis,
            ReconcileProperties properties, MeterRegistry meters) {
        return new ReconcileSchedule(reconciler, redis, properties, meters);
    }

}
