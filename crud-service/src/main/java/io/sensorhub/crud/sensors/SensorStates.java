package io.sensorhub.crud.sensors;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Current sensor states beyond PostgreSQL's {@code sensor_state}: the Redis cache written by sensor-consumer.
 * Until the shared cache is available in {@code common}, state is read from PostgreSQL only and there is
 * nothing to evict.
 */
@Component
class SensorStates {

    /** Forgets cached states once the deleting transaction commits, so a re-created id starts clean. */
    void evictAfterCommit(List<String> sensorIds) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    sensorIds.forEach(SensorStates.this::evict);
                }
            });
        }
        else {
            sensorIds.forEach(this::evict);
        }
    }

    void evict(String sensorId) {
        // no cache yet
    }
}
