package io.sensorhub.common.test;

/**
 * The one format of every time in a webhook body (docs/api.md, "Event body"), for the
 * tests of whatever builds or sends one.
 */
public final class WebhookBodyFormat {

    /**
     * {@code YYYY-MM-DDTHH:MM:SS.mmmZ}: UTC, exactly three fraction digits, as a regular
     * expression.
     */
    public static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    private WebhookBodyFormat() {
    }

}
