package io.sensorhub.crud.history;

import java.time.Instant;
import java.util.List;

/** Response bodies of the history API. */
final class HistoryDtos {

    private HistoryDtos() {
    }

    /**
     * A stored reading.
     *
     * @param timestamp the reading's own timestamp
     * @param value the value, if the reading carried one
     * @param status the reading's status: reported by the device or derived from the
     * thresholds
     * @param statusReported whether the device reported the status itself
     * @param receivedAt when the server received it
     */
    record ReadingResponse(Instant timestamp, Double value, String status, boolean statusReported, Instant receivedAt) {
    }

    /** A change of a sensor's status (docs/api.md). */
    record StatusChangeResponse(long sequence, String previousStatus, String status, Double value, Instant reportedAt,
            Instant changedAt) {
    }

    /**
     * A sensor's readings in buckets of time, oldest first; buckets without values left
     * out.
     */
    record AggregateResponse(List<BucketResponse> items) {
    }

    /**
     * The readings with a value in one bucket.
     *
     * @param start the start of the bucket (UTC)
     * @param count how many readings with a value it holds
     * @param min the smallest value
     * @param max the largest value
     * @param avg the mean of the values
     */
    record BucketResponse(Instant start, long count, double min, double max, double avg) {
    }

}
