package io.sensorhub.consumer.reconcile;

import java.time.Instant;

import io.sensorhub.common.state.SensorState;
import io.sensorhub.common.state.SensorState.PendingStatus;
import io.sensorhub.common.status.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What reconciliation counts as a cache entry equal to the database's state. */
class CacheReconcilerTest {

    private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void theTimeLastSeenIsNotCachedSoItDoesNotCount() {
        assertThat(CacheReconciler.same(state(null, null), state(AT, null))).isTrue();
    }

    @Test
    void aPendingStatusCounts() {
        PendingStatus pending = new PendingStatus(Status.WARNING, AT.minusSeconds(5));
        assertThat(CacheReconciler.same(state(null, pending), state(AT, pending))).isTrue();
        assertThat(CacheReconciler.same(state(null, null), state(AT, pending))).isFalse();
        assertThat(CacheReconciler.same(state(null, pending),
                state(AT, new PendingStatus(Status.WARNING, AT.minusSeconds(4)))))
            .isFalse();
    }

    private static SensorState state(Instant lastSeenAt, PendingStatus pending) {
        return new SensorState("s", Status.OK, 85.0, AT, AT.minusSeconds(60), 3, lastSeenAt, pending);
    }

}
