package io.sensorhub.common.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.partitions.PartitionMaintenance;
import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChangeRecorder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the components every service shares. Registered in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@EnableConfigurationProperties({ StorageProperties.class, RedisProperties.class, SecretsProperties.class })
public class SensorHubCommonAutoConfiguration {

    @Bean
    @ConditionalOnBean(DataSource.class)
    SensorStateStore sensorStateStore(DataSource dataSource) {
        return new SensorStateStore(new JdbcTemplate(dataSource));
    }

    @Bean
    @ConditionalOnBean(DataSource.class)
    StatusChangeRecorder statusChangeRecorder(DataSource dataSource) {
        return new StatusChangeRecorder(new JdbcTemplate(dataSource));
    }

    /**
     * The Redis state cache, in the services that have Redis on their class path
     * (notifier-job has not: it writes no state).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.redis.core.StringRedisTemplate")
    static class StateCacheConfiguration {

        @Bean
        @ConditionalOnBean(StringRedisTemplate.class)
        SensorStateCache sensorStateCache(StringRedisTemplate redis, RedisProperties properties,
                ObjectProvider<MeterRegistry> meters) {
            return new SensorStateCache(redis, properties.keyPrefix(), properties.writeQueueCapacity(),
                    meters.getIfAvailable(SimpleMeterRegistry::new));
        }

    }

    /**
     * Webhook secrets at rest: encrypted with {@code sensorhub.secrets.key}, or as they
     * are without one.
     */
    @Bean
    SecretCipher secretCipher(SecretsProperties properties) {
        return SecretCipher.of(properties.key());
    }

    @Bean
    @ConditionalOnBean(DataSource.class)
    PartitionMaintenance partitionMaintenance(DataSource dataSource, StorageProperties properties) {
        return new PartitionMaintenance(JdbcClient.create(dataSource), properties);
    }

    /**
     * Runs partition maintenance once the context starts (Flyway has migrated by then)
     * and then every {@code sensorhub.maintenance-interval}, on a thread of its own so no
     * service must enable scheduling.
     */
    @Bean
    @ConditionalOnBean(PartitionMaintenance.class)
    PartitionMaintenanceSchedule partitionMaintenanceSchedule(PartitionMaintenance maintenance,
            StorageProperties properties) {
        return new PartitionMaintenanceSchedule(maintenance, properties.maintenanceInterval());
    }

    /** The schedule of {@link PartitionMaintenance}, from start to stop. */
    static final class PartitionMaintenanceSchedule implements SmartLifecycle {

        private final PartitionMaintenance maintenance;

        private final Duration interval;

        private ScheduledExecutorService scheduler;

        PartitionMaintenanceSchedule(PartitionMaintenance maintenance, Duration interval) {
            this.maintenance = maintenance;
            this.interval = interval;
        }

        @Override
        public synchronized void start() {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.named("partitions"));
            this.scheduler.scheduleWithFixedDelay(this.maintenance::runQuietly, 0, this.interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void stop() {
            this.scheduler.shutdownNow();
            this.scheduler = null;
        }

        @Override
        public synchronized boolean isRunning() {
            return this.scheduler != null;
        }

    }

}
