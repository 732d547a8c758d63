package io.sensorhub.common.config;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

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

        @Bean(destroyMethod = "close")
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
     * Runs partition maintenance once the context is up (Flyway has migrated by then) and
     * then every {@code sensorhub.maintenance-interval}, on a scheduler of its own so no
     * service must enable scheduling.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(PartitionMaintenance.class)
    PartitionMaintenanceSchedule partitionMaintenanceSchedule(PartitionMaintenance maintenance,
            StorageProperties properties) {
        return new PartitionMaintenanceSchedule(maintenance, properties.maintenanceInterval());
    }

    /**
     * The schedule of {@link PartitionMaintenance}, started when the context is
     * refreshed.
     */
    static final class PartitionMaintenanceSchedule implements AutoCloseable {

        private final PartitionMaintenance maintenance;

        private final Duration interval;

        private final SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();

        private final AtomicBoolean started = new AtomicBoolean();

        PartitionMaintenanceSchedule(PartitionMaintenance maintenance, Duration interval) {
            this.maintenance = maintenance;
            this.interval = interval;
            this.scheduler.setThreadNamePrefix("partitions-");
        }

        @EventListener(ContextRefreshedEvent.class)
        void start() {
            if (this.started.compareAndSet(false, true)) {
                TaskScheduler tasks = this.scheduler;
                tasks.scheduleWithFixedDelay(this.maintenance::runQuietly, this.interval);
            }
        }

        @Override
        public void close() {
            this.scheduler.close();
        }

    }

}
