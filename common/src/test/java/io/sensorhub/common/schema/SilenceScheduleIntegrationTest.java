package io.sensorhub.common.schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;

import io.sensorhub.common.test.TestServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a silence is active (migration V75: {@code sensorhub_silence_active},
 * {@code sensorhub_silence_next_end}, {@code sensorhub_silences_matching}), the one rule
 * the fan-out, the release and the API use: a window belongs to the day it starts, may
 * cross midnight, and its local start and end become instants by the zone's rules,
 * daylight saving time included. Expected instants come from java.time where it agrees
 * with PostgreSQL by construction (a time that does not exist moves forward by the gap);
 * where the two differ by default (a time that occurs twice), PostgreSQL's choice, the
 * later one, is the documented rule.
 */
class SilenceScheduleIntegrationTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static final UUID CLIENT = UUID.randomUUID();

    private static JdbcClient jdbc;

    @BeforeAll
    static void migrate() {
        TestServices services = TestServices.get();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(services.jdbcUrl());
        dataSource.setUser(services.jdbcUser());
        dataSource.setPassword(services.jdbcPassword());
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("INSERT INTO clients (id, name, token_hash) VALUES (?, 'silences', decode(repeat('ab', 32), 'hex'))")
            .param(CLIENT)
            .update();
    }

    @AfterAll
    static void removeClient() {
        jdbc.sql("DELETE FROM clients WHERE id = ?").param(CLIENT).update();
    }

    @Test
    void aWindowCrossingMidnightBelongsToTheDayItStarts() {
        // Monday 2026-12-07, 22:00 to Tuesday 06:00 in Berlin (UTC+1)
        UUID silence = recurring("{1}", "22:00", "06:00", "Europe/Berlin");
        assertThat(active(silence, "2026-12-07T20:59:59Z")).isFalse();
        assertThat(active(silence, "2026-12-07T21:00:00Z")).isTrue();
        assertThat(active(silence, "2026-12-07T23:30:00Z")).isTrue(); // Tuesday in Berlin
                                                                      // already
        assertThat(active(silence, "2026-12-08T04:59:59Z")).isTrue();
        assertThat(active(silence, "2026-12-08T05:00:00Z")).isFalse();
        // Tuesday's window is not Monday's; Sunday night is not either
        assertThat(active(silence, "2026-12-08T21:30:00Z")).isFalse();
        assertThat(active(silence, "2026-12-06T23:30:00Z")).isFalse();
        assertThat(nextEnd(silence, "2026-12-07T12:00:00Z")).isEqualTo(berlin(2026, 12, 8, "06:00"));
        assertThat(nextEnd(silence, "2026-12-07T23:00:00Z")).isEqualTo(berlin(2026, 12, 8, "06:00"));
        assertThat(nextEnd(silence, "2026-12-08T05:00:00Z")).isEqualTo(berlin(2026, 12, 15, "06:00"));
    }

    @Test
    void theNightClocksGoForwardIsAnHourShorter() {
        // Saturday 2026-03-28 22:00 CET to Sunday 06:00 CEST: 7 hours
        UUID silence = recurring("{6}", "22:00", "06:00", "Europe/Berlin");
        Instant start = berlin(2026, 3, 28, "22:00");
        Instant end = berlin(2026, 3, 29, "06:00");
        assertThat(java.time.Duration.between(start, end)).hasHours(7);
        assertWindow(silence, start, end);
    }

    @Test
    void theNightClocksGoBackIsAnHourLonger() {
        // Saturday 2026-10-24 22:00 CEST to Sunday 06:00 CET: 9 hours
        UUID silence = recurring("{6}", "22:00", "06:00", "Europe/Berlin");
        Instant start = berlin(2026, 10, 24, "22:00");
        Instant end = berlin(2026, 10, 25, "06:00");
        assertThat(java.time.Duration.between(start, end)).hasHours(9);
        assertWindow(silence, start, end);
    }

    @Test
    void aStartThatDoesNotExistMovesForwardByTheGap() {
        // Sunday 2026-03-29 02:30 does not exist in Berlin: the window starts at 03:30
        // CEST
        UUID silence = recurring("{7}", "02:30", "05:00", "Europe/Berlin");
        Instant start = berlin(2026, 3, 29, "02:30");
        assertThat(start).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertWindow(silence, start, berlin(2026, 3, 29, "05:00"));
    }

    @Test
    void aStartThatOccursTwiceIsTheSecondOccurrence() {
        // Sunday 2026-10-25 02:30 occurs at 00:30Z (CEST) and at 01:30Z (CET)
        UUID silence = recurring("{7}", "02:30", "05:00", "Europe/Berlin");
        Instant second = ZonedDateTime.of(LocalDate.of(2026, 10, 25), LocalTime.of(2, 30), BERLIN)
            .withLaterOffsetAtOverlap()
            .toInstant();
        assertThat(second).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
        assertThat(active(silence, "2026-10-25T00:30:00Z")).isFalse();
        assertWindow(silence, second, berlin(2026, 10, 25, "05:00"));
    }

    @Test
    void anEndEqualToTheStartIsAWholeDayAndDaysInARowJoin() {
        UUID weekend = recurring("{6,7}", "00:00", "00:00", "Europe/Berlin");
        // Saturday 2026-12-05 00:00 to Monday 00:00, one silence without a gap
        assertThat(active(weekend, berlin(2026, 12, 4, "23:59").toString())).isFalse();
        assertThat(active(weekend, berlin(2026, 12, 5, "00:00").toString())).isTrue();
        assertThat(active(weekend, berlin(2026, 12, 6, "00:00").toString())).isTrue();
        assertThat(active(weekend, berlin(2026, 12, 6, "23:59").toString())).isTrue();
        assertThat(active(weekend, berlin(2026, 12, 7, "00:00").toString())).isFalse();
        assertThat(nextEnd(weekend, berlin(2026, 12, 5, "12:00").toString())).isEqualTo(berlin(2026, 12, 6, "00:00"));
    }

    @Test
    void aWindowIsInItsOwnZone() {
        UUID tokyo = recurring("{1,2,3,4,5,6,7}", "09:00", "10:00", "Asia/Tokyo");
        assertThat(active(tokyo, "2026-12-07T00:00:00Z")).isTrue();
        assertThat(active(tokyo, "2026-12-07T01:00:00Z")).isFalse();
    }

    @Test
    void aOneOffSilenceIsActiveFromItsStartToBeforeItsEnd() {
        UUID silence = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO silences (id, client_id, starts_at, ends_at)
                VALUES (?, ?, '2026-12-07T10:00:00Z', '2026-12-07T11:00:00Z')""").params(silence, CLIENT).update();
        assertThat(active(silence, "2026-12-07T09:59:59.999Z")).isFalse();
        assertThat(active(silence, "2026-12-07T10:00:00Z")).isTrue();
        assertThat(active(silence, "2026-12-07T10:59:59.999Z")).isTrue();
        assertThat(active(silence, "2026-12-07T11:00:00Z")).isFalse();
        assertThat(nextEnd(silence, "2026-12-07T09:00:00Z")).isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
        assertThat(nextEnd(silence, "2026-12-07T11:00:00Z")).isNull();
    }

    @Test
    void aChangeIsSilencedWhenAnActiveSilenceMatchesItsSensorAndStatus() {
        UUID client = UUID.randomUUID();
        jdbc.sql("INSERT INTO clients (id, name, token_hash) VALUES (?, 'silenced', decode(repeat('cd', 32), 'hex'))")
            .param(client)
            .update();
        try {
            jdbc.sql(
                    """
                            INSERT INTO silences (id, client_id, sensor_ids, statuses, starts_at, ends_at)
                            VALUES (?, ?, '{boiler-1}', '{CRITICAL,OFFLINE}', '2026-12-07T10:00:00Z', '2026-12-07T11:00:00Z')""")
                .params(UUID.randomUUID(), client)
                .update();
            assertThat(silenced(client, "boiler-1", "CRITICAL", "2026-12-07T10:30:00Z")).isTrue();
            assertThat(silenced(client, "boiler-1", "OK", "2026-12-07T10:30:00Z")).isFalse();
            assertThat(silenced(client, "boiler-2", "CRITICAL", "2026-12-07T10:30:00Z")).isFalse();
            assertThat(silenced(client, "boiler-1", "CRITICAL", "2026-12-07T11:00:00Z")).isFalse();
            // another client's silence of every sensor at that time silences only its own
            jdbc.sql("""
                    INSERT INTO silences (id, client_id, starts_at, ends_at)
                    VALUES (?, ?, '2026-12-07T10:00:00Z', '2026-12-07T11:00:00Z')""")
                .params(UUID.randomUUID(), CLIENT)
                .update();
            assertThat(silenced(CLIENT, "boiler-2", "CRITICAL", "2026-12-07T10:30:00Z")).isTrue();
            assertThat(silenced(client, "boiler-2", "CRITICAL", "2026-12-07T10:30:00Z")).isFalse();
        }
        finally {
            jdbc.sql("DELETE FROM clients WHERE id = ?").param(client).update();
        }
    }

    /**
     * Active from {@code start} (inclusive) to {@code end} (exclusive), and ending then.
     */
    private static void assertWindow(UUID silence, Instant start, Instant end) {
        assertThat(active(silence, start.minusSeconds(1).toString())).as("before %s", start).isFalse();
        assertThat(active(silence, start.toString())).as("at %s", start).isTrue();
        assertThat(active(silence, end.minusSeconds(1).toString())).as("before %s", end).isTrue();
        assertThat(active(silence, end.toString())).as("at %s", end).isFalse();
        assertThat(nextEnd(silence, start.toString())).isEqualTo(end);
    }

    private static Instant berlin(int year, int month, int day, String time) {
        return ZonedDateTime.of(LocalDate.of(year, month, day), LocalTime.parse(time), BERLIN).toInstant();
    }

    private static UUID recurring(String weekdays, String start, String end, String zone) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO silences (id, client_id, weekdays, window_start, window_end, time_zone)
                VALUES (?, ?, ?::smallint[], ?::time, ?::time, ?)""")
            .params(id, CLIENT, weekdays, start, end, zone)
            .update();
        return id;
    }

    private static boolean active(UUID silence, String at) {
        return jdbc.sql("SELECT sensorhub_silence_active(s, ?::timestamptz) FROM silences s WHERE id = ?")
            .params(at, silence)
            .query(Boolean.class)
            .single();
    }

    private static Instant nextEnd(UUID silence, String after) {
        OffsetDateTime end = jdbc
            .sql("SELECT sensorhub_silence_next_end(s, ?::timestamptz) FROM silences s WHERE id = ?")
            .params(after, silence)
            .query((rows, n) -> rows.getObject(1, OffsetDateTime.class))
            .list()
            .get(0);
        return (end != null) ? end.toInstant() : null;
    }

    private static boolean silenced(UUID client, String sensor, String status, String at) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM sensorhub_silences_matching(?, ?, ?, ?::timestamptz))")
            .params(client, sensor, status, at)
            .query(Boolean.class)
            .single();
    }

}
