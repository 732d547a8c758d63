package io.sensorhub.crud.web;

/**
 * The {@code limit} and {@code cursor} of a list request, validated (docs/api.md: limit
 * 1–500, default 50).
 *
 * @param limit how many items at most
 * @param after the decoded key after which the page starts, or {@code null} for the first
 * page
 */
public record PageQuery(int limit, String after) {

    public static final int DEFAULT_LIMIT = 50;

    public static final int MAX_LIMIT = 500;

    public static PageQuery of(Integer limit, String cursor) {
        int size = (limit != null) ? limit : DEFAULT_LIMIT;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        String after = (cursor != null && !cursor.isEmpty()) ? Cursors.decode(cursor) : null;
        return new PageQuery(size, after);
    }

    /** Rows to fetch: one more than shown, to learn whether a next page exists. */
    public int fetchSize() {
        return this.limit + 1;
    }
}
