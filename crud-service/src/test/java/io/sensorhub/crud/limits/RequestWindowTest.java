package io.sensorhub.crud.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestWindowTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final RequestWindow window = new RequestWindow(3, Duration.ofMinutes(1));

    @Test
    void requestsUpToTheLimitAreAdmittedAndTheNextWaitsForTheOldestToLeave() {
        List<Instant> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Instant now = T0.plusSeconds(10 * i);
            assertThat(this.window.waitAt(admitted, now)).isZero();
            admitted = this.window.admit(admitted, now);
        }
        assertThat(this.window.waitAt(admitted, T0.plusSeconds(25))).isEqualTo(Duration.ofSeconds(35));
    }

    @Test
    void aRequestLeavesTheWindowExactlyOnePeriodAfterIt() {
        List<Instant> admitted = List.of(T0, T0.plusSeconds(1), T0.plusSeconds(2));
        assertThat(this.window.waitAt(admitted, T0.plusSeconds(60).minusNanos(1000))).isEqualTo(Duration.ofNanos(1000));
        assertThat(this.window.waitAt(admitted, T0.plusSeconds(60))).isZero();
        assertThat(this.window.admit(admitted, T0.plusSeconds(60))).containsExactly(T0.plusSeconds(1),
                T0.plusSeconds(2), T0.plusSeconds(60));
    }

    @Test
    void thereIsNoBurstAtAWindowsEdge() {
        List<Instant> admitted = List.of(T0.plusSeconds(58), T0.plusSeconds(59), T0.plusSeconds(59));
        // a fixed window starting at T0 + 60 s would admit three more here
        assertThat(this.window.waitAt(admitted, T0.plusSeconds(61))).isEqualTo(Duration.ofSeconds(57));
    }

    @Test
    void whatIsKeptNeverOutgrowsTheLimitAndOrderDoesNotMatter() {
        List<Instant> admitted = List.of(T0.plusSeconds(30), T0.minusSeconds(300), T0.plusSeconds(10));
        assertThat(this.window.waitAt(admitted, T0.plusSeconds(40))).isZero();
        assertThat(this.window.admit(admitted, T0.plusSeconds(40))).containsExactly(T0.plusSeconds(10),
                T0.plusSeconds(30), T0.plusSeconds(40));
    }

    @Test
    void afterTheLimitIsLoweredRequestsWaitUntilFewerThanItAreLeft() {
        List<Instant> admitted = List.of(T0, T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30),
                T0.plusSeconds(40));
        // five in the window, three allowed: the third oldest must leave
        assertThat(this.window.waitAt(admitted, T0.plusSeconds(45))).isEqualTo(Duration.ofSeconds(35));
    }

}
