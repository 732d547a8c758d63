package io.sensorhub.notifier.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.sensorhub.common.events.EventType;

/**
 * A webhook's streak of failed attempts as stored on its row, and what more attempts make
 * of it: the one place that decides {@code failing_since}, the count of consecutive
 * failures, and when {@code webhook.failing} and {@code webhook.recovered} are due.
 * <p>
 * {@code webhook.failing} is due once, when the count reaches {@code failingAfter};
 * {@code webhook.recovered} at the first success after it. What was reported
 * ({@code reportedSince}, the {@code failingSince} the failing event carried) outlives a
 * re-enabling of the webhook, which only restarts the count (migration V76), so the first
 * success after a disable still reports the recovery.
 *
 * @param failingSince the first failure since the last success, null when none
 * @param failures failed attempts since the last success
 * @param reportedSince the {@code failingSince} reported as failing and not yet as
 * recovered; null when nothing is reported
 */
record FailureStreak(Instant failingSince, int failures, Instant reportedSince) {

    /** A webhook with no failure since its last success, and nothing reported. */
    static final FailureStreak NONE = new FailureStreak(null, 0, null);

    /**
     * The streak after these attempts, taken in the order they were made, with the events
     * they cause, in that order.
     */
    Progress after(List<AttemptResult> results, int failingAfter) {
        Instant since = this.failingSince;
        int count = this.failures;
        Instant reported = this.reportedSince;
        List<StreakEvent> events = new ArrayList<>();
        for (AttemptResult result : results.stream().sorted(Comparator.comparing(AttemptResult::at)).toList()) {
            if (result.succeeded()) {
                if (reported != null) {
                    events.add(new StreakEvent(EventType.WEBHOOK_RECOVERED, result.at(), reported, count, null));
                }
                since = null;
                count = 0;
                reported = null;
                continue;
            }
            since = (since != null) ? since : result.at();
            count++;
            if (reported == null && count >= failingAfter) {
                events.add(new StreakEvent(EventType.WEBHOOK_FAILING, result.at(), since, count, result.error()));
                reported = since;
            }
        }
        return new Progress(new FailureStreak(since, count, reported), events);
    }

    /**
     * A streak and the events that came with it.
     *
     * @param streak the streak after the attempts
     * @param events what to report, in order
     */
    record Progress(FailureStreak streak, List<StreakEvent> events) {
    }

    /**
     * An event a streak causes.
     *
     * @param type {@code webhook.failing} or {@code webhook.recovered}
     * @param at the attempt that caused it
     * @param failingSince the start of the streak reported
     * @param failures the consecutive failures by then
     * @param lastError the error of the attempt that made the webhook failing; null for a
     * recovery
     */
    record StreakEvent(EventType type, Instant at, Instant failingSince, int failures, String lastError) {
    }

}
