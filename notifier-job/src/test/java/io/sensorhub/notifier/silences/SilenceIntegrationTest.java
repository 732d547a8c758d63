package io.sensorhub.notifier.silences;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.common.test.WebhookBodyFormat;
import io.sensorhub.notifier.NotifierJobApplication;
import io.sensorhub.notifier.support.MovableClock;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.Receiver;
import io.sensorhub.notifier.support.Receiver.Answer;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Silences end to end in notifier-job: changes recorded as sensor-consumer records them,
 * silences written as crud-service writes them, deliveries to a real receiver, every
 * signature checked with the official Standard Webhooks library. Time is this test's
 * {@link MovableClock}: a silence ends when the test moves the clock past its end.
 * <p>
 * Other notifier-job contexts of this test JVM may be running too, on the real clock, and
 * take part like other instances. So every silence here is active at the real time while
 * the test runs (a one-off around now; the recurring one in a zone where tonight's window
 * is open now), and only this clock ends it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "sensorhub.webhooks.allow-private-networks=true",
                "sensorhub.webhooks.retry-schedule=300ms,600ms,900ms", "sensorhub.webhooks.jitter=0",
                "sensorhub.webhooks.timeout=2s", "sensorhub.webhooks.lease=5s", "sensorhub.webhooks.poll-interval=1s",
                "sensorhub.webhooks.disable-after=1h", "sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY })
@Import({ TestData.class, SilenceIntegrationTest.TestClock.class })
class SilenceIntegrationTest extends ReceiverTestSupport {

    static final Duration WAIT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private MovableClock clock;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private SilenceRelease release;

    private Instant t0;

    @TestConfiguration
    static class TestClock {

        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock(Instant.now());
        }

    }

    @BeforeEach
    void setTheClock() {
        this.t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        this.clock.set(this.t0);
    }

    @Test
    void aOneOffSilenceKeepsHistorySendsNothingAndOneCatchUpWithTheCountWhenItEnds() throws Exception {
        String held = this.data.sensor(sensorId("held"));
        String back = this.data.sensor(sensorId("back"));
        String loud = this.data.sensor(sensorId("loud"));
        this.data.webhook(this.receiver.url("/all"), this.secret);
        this.data.webhook(this.receiver.url("/critical"), this.secret, null, List.of("CRITICAL"));
        this.data.change(held, Status.OK, 20.0, this.t0.minus(Duration.ofHours(2)));
        this.data.change(back, Status.OK, 20.0, this.t0.minus(Duration.ofHours(2)));
        await().atMost(WAIT).until(() -> this.receiver.requestsTo("/all").size() == 2);

        oneOff(List.of(held, back), null, this.t0.minus(Duration.ofHours(1)), this.t0.plus(Duration.ofHours(1)));
        this.data.change(held, Status.CRITICAL, 97.0, this.t0.plusSeconds(60));
        this.data.change(held, Status.WARNING, 85.0, this.t0.plusSeconds(120));
        StatusChange newest = this.data.change(held, Status.CRITICAL, 96.0, this.t0.plusSeconds(180));
        this.data.change(back, Status.CRITICAL, 99.0, this.t0.plusSeconds(60));
        this.data.change(back, Status.OK, 21.0, this.t0.plusSeconds(120));
        this.data.change(loud, Status.CRITICAL, 99.0, this.t0.plusSeconds(60)); // not
                                                                                // silenced

        await().atMost(WAIT).until(() -> this.receiver.requestsTo("/critical").size() == 1);
        await().atMost(WAIT).until(() -> holds(held, back).size() == 2);
        assertThat(outbox(held, back, loud)).isZero();
        assertThat(bodies("/all")).extracting(body -> body.get("data").get("sensorId").asString())
            .containsExactlyInAnyOrder(held, back, loud);
        assertThat(bodies("/critical")).extracting(body -> body.get("data").get("sensorId").asString())
            .containsExactly(loud);
        assertThat(history(held)).isEqualTo(4);
        assertThat(history(back)).isEqualTo(3);
        assertThat(holds(held, back).get(0)).containsEntry("sequence", 4L).containsEntry("first_sequence", 2L);

        this.clock.set(this.t0.plus(Duration.ofMinutes(59)));
        assertThat(this.release.release(this.clock.instant(), 100).due()).as("still silenced").isZero();

        this.clock.set(this.t0.plus(Duration.ofHours(1)));
        await().atMost(WAIT).until(() -> catchUps("/all").size() == 1 && catchUps("/critical").size() == 1);
        await().atMost(WAIT).until(() -> holds(held, back).isEmpty());
        awaitNothingPending();

        JsonNode all = catchUps("/all").get(0);
        assertThat(all.get("type").asString()).isEqualTo("sensor.status_changed");
        assertThat(all.get("timestamp").asString()).matches(WebhookBodyFormat.TIME);
        JsonNode data = all.get("data");
        assertThat(data.get("sensorId").asString()).isEqualTo(held);
        assertThat(data.get("sequence").asLong()).isEqualTo(4);
        assertThat(data.get("previousStatus").asString()).isEqualTo("WARNING");
        assertThat(data.get("status").asString()).isEqualTo("CRITICAL");
        assertThat(data.get("value").asDouble()).isEqualTo(96.0);
        assertThat(data.get("changedAt").asString()).matches(WebhookBodyFormat.TIME);
        assertThat(data.get("silencedChanges").asInt()).isEqualTo(3);
        // the webhook of CRITICAL only was held back the two CRITICALs, and told of
        // neither
        assertThat(catchUps("/critical").get(0).get("data").get("silencedChanges").asInt()).isEqualTo(2);
        // the catch-up is the change's own event
        assertThat(this.receiver.requestsTo("/all").get(this.receiver.requestsTo("/all").size() - 1).eventId())
            .isEqualTo(newest.eventId().toString());
        // the sensor back at what was last sent gets none
        assertThat(bodies("/all")).filteredOn(body -> body.get("data").get("sensorId").asString().equals(back))
            .hasSize(1);
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void aRecurringWindowCrossingMidnightHoldsBothNightsHalvesAndReleasesAtItsEnd() throws Exception {
        // A zone where tonight's window (22:00 to 06:00, on today's weekday only) is open
        // now.
        ZoneId zone = zoneWhereItIsLateEvening(this.jdbc);
        LocalDate today = LocalDate.now(zone);
        DayOfWeek weekday = today.getDayOfWeek();
        Instant windowStart = at(today, "22:00", zone);
        Instant windowEnd = at(today.plusDays(1), "06:00", zone);
        String sensor = this.data.sensor(sensorId("night"));
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        this.data.change(sensor, Status.OK, 20.0, at(today, "21:00", zone));
        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 1);

        recurring(null, List.of("CRITICAL", "WARNING"), weekday.getValue(), "22:00", "06:00", zone.getId());
        this.data.change(sensor, Status.CRITICAL, 97.0, windowStart.plus(Duration.ofMinutes(90)));
        // after midnight: another weekday, still the window that began on today's
        this.data.change(sensor, Status.WARNING, 85.0, at(today.plusDays(1), "01:30", zone));
        await().atMost(WAIT).until(() -> holds(sensor).size() == 1);

        this.clock.set(windowEnd.minusSeconds(1));
        assertThat(this.release.release(this.clock.instant(), 100).due()).as("still in the window").isZero();
        this.clock.set(windowEnd);
        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 2);
        JsonNode catchUp = JSON.readTree(this.receiver.requests().get(1).body()).get("data");
        assertThat(catchUp.get("sequence").asLong()).isEqualTo(3);
        assertThat(catchUp.get("status").asString()).isEqualTo("WARNING");
        assertThat(catchUp.get("silencedChanges").asInt()).isEqualTo(2);
        await().atMost(WAIT).until(() -> holds(sensor).isEmpty());

        // tomorrow evening: tomorrow's weekday has no window, so the change is sent at
        // once
        this.data.change(sensor, Status.CRITICAL, 98.0, at(today.plusDays(1), "23:00", zone));
        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 3);
        assertThat(JSON.readTree(this.receiver.requests().get(2).body()).get("data").has("silencedChanges")).isFalse();
        assertThat(this.data.deliveries(webhook)).hasSize(3);
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void deletingASilenceEndsItNow() throws Exception {
        String sensor = this.data.sensor(sensorId("deleted"));
        this.data.webhook(this.receiver.url(), this.secret);
        UUID silence = oneOff(null, null, this.t0.minus(Duration.ofHours(1)), this.t0.plus(Duration.ofHours(8)));
        this.data.change(sensor, Status.CRITICAL, 97.0, this.t0.plusSeconds(10));
        await().atMost(WAIT).until(() -> holds(sensor).size() == 1);
        assertThat(this.receiver.requests()).isEmpty();

        deleteAsCrudServiceDoes(silence);

        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 1);
        JsonNode data = JSON.readTree(this.receiver.requests().get(0).body()).get("data");
        assertThat(data.get("previousStatus").asString()).isEqualTo("UNKNOWN");
        assertThat(data.get("silencedChanges").asInt()).isEqualTo(1);
        this.receiver.assertAllSignedWith(this.secret);
    }

    @Test
    void aChangeHeldByTwoSilencesIsReleasedWhenNeitherIsActive() throws Exception {
        String sensor = this.data.sensor(sensorId("overlap"));
        this.data.webhook(this.receiver.url(), this.secret);
        UUID shorter = oneOff(List.of(sensor), null, this.t0.minus(Duration.ofHours(1)),
                this.t0.plus(Duration.ofHours(1)));
        oneOff(null, List.of("CRITICAL"), this.t0.minus(Duration.ofHours(1)), this.t0.plus(Duration.ofHours(2)));
        this.data.change(sensor, Status.CRITICAL, 97.0, this.t0.plusSeconds(10));
        await().atMost(WAIT).until(() -> holds(sensor).size() == 1);

        this.clock.set(this.t0.plus(Duration.ofHours(1)));
        deleteAsCrudServiceDoes(shorter); // ended twice over
        assertThat(this.release.release(this.clock.instant(), 100).due()).as("the longer one holds it").isZero();
        assertThat(holds(sensor)).hasSize(1);

        this.clock.set(this.t0.plus(Duration.ofHours(2)));
        await().atMost(WAIT).until(() -> this.receiver.requests().size() == 1);
        assertThat(JSON.readTree(this.receiver.requests().get(0).body()).get("data").get("silencedChanges").asInt())
            .isEqualTo(1);
    }

    @Test
    void aCatchUpWaitsBehindAnEarlierPendingDeliveryOfItsWebhookAndSensor() throws Exception {
        AtomicBoolean receiverUp = new AtomicBoolean(false);
        this.receiver
            .answering(request -> receiverUp.get() ? Answer.status(204) : Answer.status(503, "Retry-After", "10"));
        String sensor = this.data.sensor(sensorId("ordered"));
        UUID webhook = this.data.webhook(this.receiver.url(), this.secret);
        StatusChange before = this.data.change(sensor, Status.OK, 20.0, this.t0.minus(Duration.ofHours(2)));
        await().atMost(WAIT).until(() -> !this.receiver.requests().isEmpty());

        oneOff(List.of(sensor), null, this.t0.minus(Duration.ofHours(1)), this.t0.plus(Duration.ofHours(1)));
        StatusChange held = this.data.change(sensor, Status.FAULT, null, this.t0.plusSeconds(10));
        await().atMost(WAIT).until(() -> holds(sensor).size() == 1);
        this.clock.set(this.t0.plus(Duration.ofHours(1)));
        await().atMost(WAIT).until(() -> this.data.deliveries(webhook).size() == 2);
        Map<String, Object> catchUp = this.data.deliveries(webhook).get(1);
        assertThat(catchUp.get("event_id")).isEqualTo(held.eventId());
        assertThat(catchUp.get("waiting")).as("behind the pending delivery of sequence 1").isEqualTo(true);

        receiverUp.set(true); // the next attempt of sequence 1 is due within 10 s
        await().atMost(WAIT.multipliedBy(2))
            .until(() -> this.data.deliveries(webhook).stream().allMatch(d -> "succeeded".equals(d.get("state"))));
        List<String> arrived = this.receiver.requests().stream().map(Receiver.Request::eventId).distinct().toList();
        assertThat(arrived).containsExactly(before.eventId().toString(), held.eventId().toString());
    }

    @Test
    void twoInstancesSendEachCatchUpOnce() throws Exception {
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sensors.add(this.data.sensor(sensorId("twice-" + i)));
        }
        this.data.webhook(this.receiver.url("/a"), this.secret);
        this.data.webhook(this.receiver.url("/b"), this.secret);
        oneOff(sensors, null, this.t0.minus(Duration.ofHours(1)), this.t0.plus(Duration.ofHours(1)));
        for (String sensor : sensors) {
            this.data.change(sensor, Status.CRITICAL, 97.0, this.t0.plusSeconds(10));
            this.data.change(sensor, Status.FAULT, null, this.t0.plusSeconds(20));
        }
        await().atMost(WAIT).until(() -> holds(sensors.toArray(String[]::new)).size() == sensors.size());

        try (ConfigurableApplicationContext other = secondInstance()) {
            assertThat(other.getBean(SilenceReleaseLoop.class).isRunning()).isTrue();
            this.clock.set(this.t0.plus(Duration.ofHours(1)));
            await().atMost(WAIT).until(() -> this.receiver.requests().size() >= 2 * sensors.size());
            await().atMost(WAIT).until(() -> holds(sensors.toArray(String[]::new)).isEmpty());
            await().atMost(WAIT)
                .until(() -> this.jdbc.sql(
                        "SELECT count(*) FROM webhook_deliveries WHERE sensor_id = ANY (?::text[]) AND state = 'succeeded'")
                    .param(array(sensors))
                    .query(Integer.class)
                    .single() == 2 * sensors.size());
        }
        Map<String, Long> perWebhookAndSensor = this.receiver.requests()
            .stream()
            .collect(Collectors.groupingBy(
                    request -> request.path() + " "
                            + JSON.readTree(request.body()).get("data").get("sensorId").asString(),
                    Collectors.counting()));
        assertThat(perWebhookAndSensor).hasSize(2 * sensors.size())
            .allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        assertThat(bodies("/a")).allSatisfy(body -> {
            assertThat(body.get("data").get("sequence").asLong()).isEqualTo(2);
            assertThat(body.get("data").get("silencedChanges").asInt()).isEqualTo(2);
        });
        this.receiver.assertAllSignedWith(this.secret);
    }

    /**
     * A second notifier-job in this JVM, on this run's database and this test's clock.
     */
    private ConfigurableApplicationContext secondInstance() {
        List<String> arguments = new ArrayList<>(TestServices.get().springArguments());
        arguments.addAll(List.of("--server.port=0", "--sensorhub.webhooks.allow-private-networks=true",
                "--sensorhub.webhooks.poll-interval=1s", "--sensorhub.webhooks.timeout=2s",
                "--sensorhub.webhooks.lease=5s", "--sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY));
        return new SpringApplicationBuilder(NotifierJobApplication.class)
            .initializers(context -> ((GenericApplicationContext) context).registerBean("testClock", Clock.class,
                    () -> this.clock, definition -> definition.setPrimary(true)))
            .run(arguments.toArray(String[]::new));
    }

    private static String sensorId(String hint) {
        return "silence-" + hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A one-off silence of this test's client, as crud-service stores it. */
    UUID oneOff(List<String> sensorIds, List<String> statuses, Instant startsAt, Instant endsAt) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO silences (id, client_id, sensor_ids, statuses, starts_at, ends_at)
                VALUES (?, ?, ?::text[], ?::text[], ?::timestamptz, ?::timestamptz)""")
            .params(id, this.data.clientId(), array(sensorIds), array(statuses), startsAt.toString(), endsAt.toString())
            .update();
        notifySilences();
        return id;
    }

    private void recurring(List<String> sensorIds, List<String> statuses, int weekday, String start, String end,
            String zone) {
        this.jdbc
            .sql("""
                    INSERT INTO silences (id, client_id, sensor_ids, statuses, weekdays, window_start, window_end, time_zone)
                    VALUES (?, ?, ?::text[], ?::text[], ARRAY[?]::smallint[], ?::time, ?::time, ?)""")
            .params(UUID.randomUUID(), this.data.clientId(), array(sensorIds), array(statuses), weekday, start, end,
                    zone)
            .update();
        notifySilences();
    }

    /** What {@code DELETE /api/v1/silences/{id}} does. */
    private void deleteAsCrudServiceDoes(UUID silence) {
        this.jdbc.sql("DELETE FROM silences WHERE id = ?").param(silence).update();
        notifySilences();
    }

    private void notifySilences() {
        this.jdbc.sql("SELECT pg_notify(?, '')").param(Channels.SILENCES).query().listOfRows();
    }

    private List<Map<String, Object>> holds(String... sensors) {
        return this.jdbc.sql("SELECT * FROM silenced_sensors WHERE sensor_id = ANY (?::text[]) ORDER BY sensor_id")
            .param(array(List.of(sensors)))
            .query()
            .listOfRows()
            .stream()
            .sorted(Comparator.comparing(row -> List.of(sensors).indexOf(row.get("sensor_id"))))
            .toList();
    }

    private int outbox(String... sensors) {
        return this.jdbc.sql("SELECT count(*) FROM status_change_outbox WHERE sensor_id = ANY (?::text[])")
            .param(array(List.of(sensors)))
            .query(Integer.class)
            .single();
    }

    private int history(String sensor) {
        return this.jdbc.sql("SELECT count(*) FROM status_changes WHERE sensor_id = ?")
            .param(sensor)
            .query(Integer.class)
            .single();
    }

    /** Until every delivery to this test's webhooks has been made. */
    private void awaitNothingPending() {
        await().atMost(WAIT)
            .until(() -> this.jdbc.sql("""
                    SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE w.client_id = ? AND d.state = 'pending'""")
                .param(this.data.clientId())
                .query(Integer.class)
                .single() == 0);
    }

    private List<JsonNode> bodies(String path) {
        return this.receiver.requestsTo(path).stream().map(request -> JSON.readTree(request.body())).toList();
    }

    private List<JsonNode> catchUps(String path) {
        return bodies(path).stream().filter(body -> body.get("data").has("silencedChanges")).toList();
    }

    private static String array(List<String> values) {
        return (values != null) ? "{" + String.join(",", values) + "}" : null;
    }

    private static Instant at(LocalDate day, String time, ZoneId zone) {
        return ZonedDateTime.of(day, LocalTime.parse(time), zone).toInstant();
    }

    /**
     * A zone PostgreSQL knows whose local time is 22:00 to 23:59 now and whose clocks do
     * not change in the next two days, preferring a city's name.
     */
    static ZoneId zoneWhereItIsLateEvening(JdbcClient jdbc) {
        Instant now = Instant.now();
        List<String> known = jdbc.sql("SELECT name FROM pg_timezone_names").query(String.class).list();
        return known.stream()
            .filter(ZoneId.getAvailableZoneIds()::contains)
            .sorted(Comparator.comparing((String id) -> id.startsWith("Etc/") || !id.contains("/"))
                .thenComparing(Comparator.naturalOrder()))
            .map(ZoneId::of)
            .filter(zone -> now.atZone(zone).getHour() >= 22)
            .filter(zone -> {
                var next = zone.getRules().nextTransition(now);
                return next == null || next.getInstant().isAfter(now.plus(Duration.ofDays(2)));
            })
            .findFirst()
            .orElseThrow();
    }

}
