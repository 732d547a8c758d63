package io.sensorhub.crud.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageQueryTest {

    @Test
    void limitDefaultsTo50AndIsBetween1And500() {
        assertThat(PageQuery.of(null, null).limit()).isEqualTo(50);
        assertThat(PageQuery.of(500, null).limit()).isEqualTo(500);
        assertThatThrownBy(() -> PageQuery.of(0, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PageQuery.of(501, null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aCursorRoundTrips() {
        assertThat(PageQuery.of(1, Cursors.encode("sensor-9")).after()).isEqualTo("sensor-9");
        assertThatThrownBy(() -> PageQuery.of(1, "***")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aPageHasANextCursorOnlyWhenMoreRowsWereFound() {
        Page<String> last = Page.of(List.of("a", "b"), 2, key -> key);
        assertThat(last.nextCursor()).isNull();
        Page<String> more = Page.of(List.of("a", "b", "c"), 2, key -> key);
        assertThat(more.items()).containsExactly("a", "b");
        assertThat(Cursors.decode(more.nextCursor())).isEqualTo("b");
    }

}
