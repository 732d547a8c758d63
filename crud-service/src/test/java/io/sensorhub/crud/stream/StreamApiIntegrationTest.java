package io.sensorhub.crud.stream;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live event stream over real HTTP (the JDK's client, line by line) against this
 * run's PostgreSQL. Events are appended to {@code client_events} the way notifier-job
 * appends them (the writers' lock, insert, {@code NOTIFY}).
 */
@TestPropertySource(properties = { "sensorhub.stream.keep-alive=1s", "sensorhub.stream.queue-capacity=200",
        "sensorhub.stream.per-client=20", "server.tomcat.connection-timeout=2m" })
class StreamApiIntegrationTest extends ApiIntegrationTest {

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void aClientsEventsReachItsStreamAndNoOtherClientsStream() throws Exception {
        Api one = newClient();
        Api other = newClient();
        try (SseClient stream = open(one, null); SseClient otherStream = open(other, null)) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            assertThat(stream.response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            String body = "{\"type\": \"sensor.status_changed\", \"timestamp\": \"2026-12-06T08:00:00.000Z\", "
                    + "\"data\": {\"sensorId\": \"boiler\", \"status\": \"CRITICAL\"}}";
            long id = append(one.clientId, "sensor.status_changed", body);
            long otherId = append(other.clientId, "webhook.failing", "{\"type\": \"webhook.failing\"}");

            SseClient.Event event = stream.next();
            assertThat(event.id()).isEqualTo(id);
            assertThat(event.type()).isEqualTo("sensor.status_changed");
            assertThat(this.json.readTree(event.data())).isEqualTo(this.json.readTree(body));
            assertThat(otherStream.next().id()).isEqualTo(otherId);

            long next = append(one.clientId, "webhook.recovered", "{\"type\": \"webhook.recovered\"}");
            assertThat(stream.next().id()).as("the other client's event never came").isEqualTo(next);
            assertThat(otherStream.events).isEmpty();
        }
    }

    @Test
    void resumingWithLastEventIdReplaysWhatWasMissedInOrderThenGoesOnLive() throws Exception {
        Api client = newClient();
        List<Long> ids = new ArrayList<>();
        long last;
        try (SseClient stream = open(client, null)) {
            for (int i = 0; i < 3; i++) {
                ids.add(append(client.clientId, "sensor.status_changed", "{\"n\": " + i + "}"));
            }
            last = stream.next(3).get(2).id();
        }
        for (int i = 3; i < 6; i++) {
            ids.add(append(client.clientId, "sensor.status_changed", "{\"n\": " + i + "}"));
        }
        try (SseClient resumed = open(client, Long.toString(last))) {
            ids.add(append(client.clientId, "sensor.status_changed", "{\"n\": 6}"));
            assertThat(resumed.next(4)).extracting(SseClient.Event::id).containsExactlyElementsOf(ids.subList(3, 7));
            long after = append(client.clientId, "sensor.status_changed", "{\"n\": 7}");
            assertThat(resumed.next().id()).as("nothing twice").isEqualTo(after);
        }
    }

    @Test
    void aReaderResumingRepeatedlyWhileManyWritersAppendSeesEveryEventOnceInOrder() throws Exception {
        Api client = newClient();
        // the reader starts after this one, so it must see everything the writers append
        long start = append(client.clientId, "sensor.status_changed", "{}");
        int writers = 4;
        int perWriter = 50;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            threads.add(Threads.start("writer-" + w, () -> {
                for (int i = 0; i < perWriter; i++) {
                    append(client.clientId, "sensor.status_changed", "{}");
                }
            }));
        }
        List<Long> received = new ArrayList<>();
        String lastEventId = Long.toString(start);
        while (received.size() < writers * perWriter) {
            try (SseClient stream = open(client, lastEventId)) {
                int take = Math.min(1 + ThreadLocalRandom.current().nextInt(25), writers * perWriter - received.size());
                for (SseClient.Event event : stream.next(take)) {
                    received.add(event.id());
                }
                lastEventId = Long.toString(received.get(received.size() - 1));
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<Long> all = this.jdbc.sql("SELECT id FROM client_events WHERE client_id = ? AND id > ? ORDER BY id")
            .params(client.clientId, start)
            .query(Long.class)
            .list();
        assertThat(received).as("every event exactly once, in order").isEqualTo(all);
    }

    @Test
    void aResumeFromBeforeWhatRetentionDeletedIsToldSoThenGoesOnWithTheOldestKept() throws Exception {
        Api client = newClient();
        long first = append(client.clientId, "sensor.status_changed", "{\"n\": 1}");
        long gone = append(client.clientId, "sensor.status_changed", "{\"n\": 2}");
        long kept = append(client.clientId, "sensor.status_changed", "{\"n\": 3}");
        // as notifier-job's retention does
        this.jdbc.sql("DELETE FROM client_events WHERE id = ?").param(gone).update();
        this.jdbc.sql("UPDATE client_events_pruned SET up_to = greatest(up_to, ?)").param(gone).update();

        try (SseClient stream = open(client, Long.toString(first))) {
            SseClient.Event reset = stream.next();
            assertThat(reset.type()).isEqualTo("stream.reset");
            assertThat(reset.id()).isNull();
            assertThat(this.json.readTree(reset.data()).get("lastEventId").asLong()).isEqualTo(first);
            assertThat(stream.next().id()).isEqualTo(kept);
        }
    }

    @Test
    void aKeepAliveCommentComesWhileNothingHappens() throws Exception {
        try (SseClient stream = open(newClient(), null)) {
            await().until(() -> stream.comments.contains("keep-alive"));
        }
    }

    @Test
    void aSlowReaderIsGivenUpWithALastEventWhileAnotherReaderOfTheClientGoesOn() throws Exception {
        Api client = newClient();
        String padding = "x".repeat(32 * 1024);
        try (Socket slow = new Socket(); SseClient normal = open(client, null)) {
            // HTTP/1.0: not chunked, so the text is the stream as sent; a small window,
            // so
            // the server's writes to it soon wait
            slow.setReceiveBufferSize(2048);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", this.port));
            OutputStream out = slow.getOutputStream();
            out.write(("GET /api/v1/events/stream HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + client.token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = slow.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            while (!read.toString(StandardCharsets.US_ASCII).contains(":open")) {
                read.write(in.read());
            }

            // far more than the socket's buffers and the queue hold; the slow reader
            // reads
            // nothing meanwhile
            // (one at a time, each received by the other reader before the next: that one
            // is never behind)
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                long id = append(client.clientId, "sensor.status_changed", "{\"pad\": \"" + padding + "\"}");
                ids.add(id);
                assertThat(normal.next().id()).as("the other reader gets everything meanwhile").isEqualTo(id);
            }

            // now the slow one reads what it was sent, to the end
            read.write(in.readAllBytes());
            String text = read.toString(StandardCharsets.UTF_8);
            int overflow = text.indexOf("event:stream.overflow");
            assertThat(overflow).as("its last event").isPositive();
            List<Long> slowIds = new ArrayList<>();
            for (String line : text.substring(0, overflow).split("\n")) {
                if (line.startsWith("id:")) {
                    slowIds.add(Long.valueOf(line.substring(3).strip()));
                }
            }
            assertThat(slowIds).as("a prefix of the events, the rest dropped")
                .isEqualTo(ids.subList(0, slowIds.size()))
                .hasSizeLessThan(ids.size());
            String data = text.substring(overflow).lines().filter(line -> line.startsWith("data:")).findFirst().get();
            JsonNode notice = this.json.readTree(data.substring(5));
            long resumeAfter = slowIds.isEmpty() ? 0 : slowIds.get(slowIds.size() - 1);
            if (!slowIds.isEmpty()) {
                assertThat(notice.get("lastEventId").asLong()).isEqualTo(resumeAfter);
            }
            assertThat(notice.get("detail").asString()).contains("Last-Event-ID");
        }
    }

    @Test
    void aStreamEndsWhenItsTokenIsReplacedAndOneWithTheNewTokenResumes() throws Exception {
        Api client = newClient();
        long first;
        String newToken;
        try (SseClient old = open(client, null)) {
            first = append(client.clientId, "sensor.status_changed", "{\"n\": 1}");
            assertThat(old.next().id()).isEqualTo(first);

            newToken = body(this.admin.post("/api/v1/clients/" + client.clientId + "/token", Map.of())).get("token")
                .asString();

            SseClient.Event last = old.next();
            assertThat(last.type()).isEqualTo(Subscriber.REVOKED);
            assertThat(last.id()).isNull();
            assertThat(this.json.readTree(last.data()).get("lastEventId").asLong()).isEqualTo(first);
            await().until(() -> old.ended);
        }
        long second = append(client.clientId, "sensor.status_changed", "{\"n\": 2}");
        try (SseClient renewed = SseClient.open(baseUrl(), newToken, Long.toString(first))) {
            assertThat(renewed.response.statusCode()).isEqualTo(200);
            assertThat(renewed.next().id()).as("resumed with the new token, nothing lost").isEqualTo(second);
        }
        try (SseClient refused = SseClient.open(baseUrl(), client.token, null)) {
            assertProblem(refused, 401);
        }
    }

    @Test
    void aStreamEndsWhenItsClientIsDeleted() throws Exception {
        Api client = newClient();
        try (SseClient stream = open(client, null)) {
            this.admin.delete("/api/v1/clients/" + client.clientId);

            assertThat(stream.next().type()).isEqualTo(Subscriber.REVOKED);
            await().until(() -> stream.ended);
        }
    }

    @Test
    void badRequestsAreRefusedAsProblems() throws Exception {
        Api client = newClient();
        assertProblem(SseClient.open(baseUrl(), null, null), 401);
        assertProblem(SseClient.open(baseUrl(), ADMIN_TOKEN, null), 403);
        assertProblem(SseClient.open(baseUrl(), client.token, "abc"), 400);
        assertProblem(SseClient.open(baseUrl(), client.token, "-1"), 400);
        assertProblem(SseClient.open(baseUrl(), client.token, "99999999999999999"), 400);
        assertProblem(SseClient.open(baseUrl(), client.token, "999999999999999999999999"), 400);
    }

    @Test
    void aClientOverItsLimitOfOpenStreamsGetsA429() throws Exception {
        Api client = newClient();
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SseClient stream = open(client, null);
                streams.add(stream);
                assertThat(stream.response.statusCode()).isEqualTo(200);
            }
            SseClient refused = SseClient.open(baseUrl(), client.token, null);
            assertProblem(refused, 429);
            assertThat(refused.response.headers().firstValue("Retry-After")).isPresent();
        }
        finally {
            streams.forEach(SseClient::close);
        }
    }

    private void assertProblem(SseClient response, int status) {
        assertThat(response.response.statusCode()).isEqualTo(status);
        assertThat(response.response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(this.json.readTree(response.body()).get("status").asInt()).isEqualTo(status);
    }

    private SseClient open(Api client, String lastEventId) throws Exception {
        SseClient stream = SseClient.open(baseUrl(), client.token, lastEventId);
        assertThat(stream.response.statusCode()).as(() -> stream.body()).isEqualTo(200);
        return stream;
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + this.port;
    }

    /** Appends an event the way notifier-job does; answers its id. */
    long append(UUID clientId, String type, String body) {
        return StreamEventLog.append(this.jdbc, this.transactions, clientId, type, body);
    }

}
