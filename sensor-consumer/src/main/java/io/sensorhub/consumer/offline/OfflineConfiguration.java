package io.sensorhub.consumer.offline;

import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.state.SensorStateCache;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChangeRecorder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the OFFLINE watchdog; it runs unless {@code sensorhub.watchdog.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
class OfflineConfiguration {

    @Bean
    OfflineWatchdog offlineWatchdog(WatchdogProperties properties, JdbcClient jdbc, TransactionTemplate transactions,
            SensorStateStore store, StatusChangeRecorder recorder, SensorStateCache cache, MeterRegistry registry) {
        return new OfflineWatchdog(properties, jdbc, transactions, store, recorder, cache, registry);
    }

}
