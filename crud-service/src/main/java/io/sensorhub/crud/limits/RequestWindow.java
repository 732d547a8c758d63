package io.sensorhub.crud.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A sliding window: at most {@code limit} requests in any {@code period}. It is decided
 * from the times of the requests admitted before (a request at {@code t} counts until
 * {@code t + period}), so there is no burst at a window's edge as with fixed windows, and
 * what is stored is never more than the limit's worth of times.
 *
 * @param limit requests admitted per period (at least 1)
 * @param period the length of the window
 */
record RequestWindow(int limit, Duration period) {

    /**
     * How long a request at {@code now} must wait to be admitted: zero if it is admitted
     * now; else until enough of the requests in the window have left it.
     */
    Duration waitAt(List<Instant> admitted, Instant now) {
        List<Instant> within = within(admitted, now);
        if (within.size() < this.limit) {
            return Duration.ZERO;
        }
        Instant leaving = within.get(within.size() - this.limit);
        return Duration.between(now, leaving.plus(this.period));
    }

    /** The times to keep once a request at {@code now} is admitted. */
    List<Instant> admit(List<Instant> admitted, Instant now) {
        List<Instant> kept = new java.util.ArrayList<>(within(admitted, now));
        kept.add(now);
        return kept;
    }

    /** The times still in the window at {@code now}, oldest first. */
    private List<Instant> within(List<Instant> admitted, Instant now) {
        Instant start = now.minus(this.period);
        return admitted.stream().filter(at -> at.isAfter(start)).sorted().toList();
    }

}
