package io.sensorhub.notifier.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.events.EventType;
import io.sensorhub.notifier.delivery.FailureStreak.Progress;
import io.sensorhub.notifier.delivery.FailureStreak.StreakEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureStreakTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static final int FAILING_AFTER = 3;

    @Test
    void successesOfAHealthyWebhookChangeNothing() {
        Progress progress = FailureStreak.NONE.after(List.of(ok(1), ok(2)), FAILING_AFTER);
        assertThat(progress.streak()).isEqualTo(FailureStreak.NONE);
        assertThat(progress.events()).isEmpty();
    }

    @Test
    void failingIsReportedOnceWhenTheCountReachesTheSettingWithTheStreaksStartAndTheLastError() {
        Progress two = FailureStreak.NONE.after(List.of(failed(1, "HTTP 500"), failed(2, "HTTP 502")), FAILING_AFTER);
        assertThat(two.events()).isEmpty();
        assertThat(two.streak()).isEqualTo(new FailureStreak(at(1), 2, null));

        Progress three = two.streak().after(List.of(failed(3, "timeout after 10000 ms")), FAILING_AFTER);
        assertThat(three.events())
            .containsExactly(new StreakEvent(EventType.WEBHOOK_FAILING, at(3), at(1), 3, "timeout after 10000 ms"));
        assertThat(three.streak()).isEqualTo(new FailureStreak(at(1), 3, at(1)));

        Progress more = three.streak().after(List.of(failed(4, "HTTP 500"), failed(5, "HTTP 500")), FAILING_AFTER);
        assertThat(more.events()).as("once per streak").isEmpty();
        assertThat(more.streak()).isEqualTo(new FailureStreak(at(1), 5, at(1)));
    }

    @Test
    void theFirstSuccessAfterFailingIsReportedAsRecoveredWithTheReportedStart() {
        FailureStreak failing = new FailureStreak(at(1), 4, at(1));
        Progress progress = failing.after(List.of(ok(7), ok(8)), FAILING_AFTER);
        assertThat(progress.events())
            .containsExactly(new StreakEvent(EventType.WEBHOOK_RECOVERED, at(7), at(1), 4, null));
        assertThat(progress.streak()).isEqualTo(FailureStreak.NONE);
    }

    @Test
    void aSuccessBeforeTheCountIsReachedStartsItAgainAndReportsNothing() {
        Progress progress = new FailureStreak(at(1), 2, null).after(List.of(ok(2), failed(3, "HTTP 500")),
                FAILING_AFTER);
        assertThat(progress.events()).isEmpty();
        assertThat(progress.streak()).isEqualTo(new FailureStreak(at(3), 1, null));
    }

    @Test
    void oneBatchMayFailRecoverAndFailAgainInTheOrderTheAttemptsWereMade() {
        List<AttemptResult> results = new ArrayList<>(List.of(failed(3, "c"), ok(4), failed(1, "a"), failed(2, "b"),
                failed(5, "d"), failed(6, "e"), failed(7, "f")));
        Progress progress = FailureStreak.NONE.after(results, FAILING_AFTER);
        assertThat(progress.events()).containsExactly(new StreakEvent(EventType.WEBHOOK_FAILING, at(3), at(1), 3, "c"),
                new StreakEvent(EventType.WEBHOOK_RECOVERED, at(4), at(1), 3, null),
                new StreakEvent(EventType.WEBHOOK_FAILING, at(7), at(5), 3, "f"));
        assertThat(progress.streak()).isEqualTo(new FailureStreak(at(5), 3, at(5)));
    }

    @Test
    void aReenabledWebhookCountsAfreshButStillReportsItsRecovery() {
        // the database's trigger clears failing_since and the count, and keeps what was
        // reported
        FailureStreak reenabled = new FailureStreak(null, 0, at(1));
        Progress failure = reenabled.after(List.of(failed(10, "HTTP 500")), FAILING_AFTER);
        assertThat(failure.events()).isEmpty();
        Progress success = failure.streak().after(List.of(ok(11)), FAILING_AFTER);
        assertThat(success.events())
            .containsExactly(new StreakEvent(EventType.WEBHOOK_RECOVERED, at(11), at(1), 1, null));
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    private static AttemptResult ok(int second) {
        return new AttemptResult(at(second), 204, 5, null, null, "");
    }

    private static AttemptResult failed(int second, String error) {
        return new AttemptResult(at(second), 500, 5, error, null, "");
    }

}
