package io.sensorhub.crud.web;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: its items and the opaque cursor of the next page ({@code null} on
 * the last).
 *
 * @param <T> the type of the items
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from up to {@code limit + 1} rows fetched in key order: the extra row
     * only tells that there is a next page, whose cursor is the key of the last item
     * shown.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), Cursors.encode(cursorOf.apply(items.get(limit - 1))));
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(this.items.stream().map(mapper).toList(), this.nextCursor);
    }
}
