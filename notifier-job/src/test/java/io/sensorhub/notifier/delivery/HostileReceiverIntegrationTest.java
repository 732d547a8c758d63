package io.sensorhub.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sensorhub.common.state.StatusChange;
import io.sensorhub.common.status.Status;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.RawReceiver;
import io.sensorhub.notifier.support.ReceiverTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Receivers that answer with something other than HTTP: each is one failed attempt with a
 * clear error, what they send is never stored or logged raw, and the other webhooks are
 * delivered to all the while.
 */
@NotifierIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class HostileReceiverIntegrationTest extends ReceiverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void responseHeadersThatNeverEndAreAFailedAttemptAndOtherWebhooksAreStillDelivered() throws Exception {
        try (RawReceiver hostile = RawReceiver.endlessHeaders()) {
            String sensor = this.data.sensor("flood-1");
            UUID flooded = this.data.webhook(hostile.url("/"), this.secret);
            this.data.webhook(this.receiver.url(), this.secret);

            StatusChange first = this.data.change(sensor, Status.CRITICAL, 1.0);
            StatusChange second = this.data.change(sensor, Status.OK, 2.0);

            await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(this.data.attempts(flooded, first.eventId())).hasSizeGreaterThanOrEqualTo(2)
                            .allSatisfy(attempt -> {
                                assertThat(attempt.get("status_code")).isNull();
                                assertThat((String) attempt.get("error")).isEqualTo(
                                        "response headers exceed 16384 bytes (sensorhub.webhooks.max-response-header-bytes)");
                            }));
            await().atMost(WAIT).until(() -> this.receiver.requests().size() == 2);
            assertThat(this.receiver.requests()).extracting(r -> r.eventId())
                .containsExactly(first.eventId().toString(), second.eventId().toString());
            // what the flood got written before the client hung up sat in socket buffers:
            // the client kept none of it
            assertThat(hostile.bytesWritten() / hostile.connections()).isLessThan(32L * 1024 * 1024);
        }
    }

    @Test
    void headersTrickledSlowerThanTheTimeoutAreCutOffAtTheAttemptsDeadline() throws Exception {
        // each line comes well within the socket timeout; only the attempt's one deadline
        // (2 s here) ends it
        try (RawReceiver trickle = new RawReceiver(out -> {
            out.write("HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 600; i++) {
                out.write("X-Slow: " + i + "\r\n");
                out.flush();
                sleep(100);
            }
        })) {
            String sensor = this.data.sensor("trickle-1");
            UUID webhook = this.data.webhook(trickle.url("/"), this.secret);

            StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

            await().atMost(WAIT)
                .untilAsserted(() -> assertThat(this.data.attempts(webhook, change.eventId())).isNotEmpty()
                    .first()
                    .satisfies(attempt -> assertThat(attempt.get("error")).isEqualTo("timeout after 2000 ms")));
        }
    }

    @Test
    void whatAReceiverSendsIsStoredAndLoggedTruncatedAndEscaped(CapturedOutput output) throws Exception {
        String hostileLine = "Transfer-Encoding: x\u0085\u009b31m\u00ff" + "A".repeat(4000);
        try (RawReceiver hostile = new RawReceiver(
                out -> out.write("HTTP/1.1 200 OK\r\n" + hostileLine + "\r\n\r\n"))) {
            String sensor = this.data.sensor("escape-1");
            UUID webhook = this.data.webhook(hostile.url("/"), this.secret);

            StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

            await().atMost(WAIT)
                .untilAsserted(() -> assertThat(this.data.attempts(webhook, change.eventId())).isNotEmpty());
            Map<String, Object> attempt = this.data.attempts(webhook, change.eventId()).get(0);
            String error = (String) attempt.get("error");
            assertThat(error).contains("Unsupported transfer encoding")
                .contains("\\u0085")
                .hasSizeLessThanOrEqualTo(AttemptResult.MAX_ERROR_LENGTH);
            assertPrintableAscii(error);
            List<String> logged = Arrays.stream(output.getOut().split("\n"))
                .filter(line -> line.contains("Delivery of event " + change.eventId()))
                .toList();
            assertThat(logged).isNotEmpty().allSatisfy(line -> {
                assertThat(line).hasSizeLessThan(AttemptResult.MAX_ERROR_LENGTH + 500);
                assertPrintableAscii(line.stripTrailing());
            });
        }
    }

    /**
     * 64 KiB of NULs, terminal escapes, C1 controls and malformed UTF-8 after a readable
     * start: the attempt keeps the start as text, with replacement characters, in at most
     * 1 KiB of UTF-8; it is not the attempt's error, which stays the status.
     */
    @Test
    void theStartOfAHostileResponseBodyIsStoredAsBoundedSafeText() throws Exception {
        byte[] body = hostileBody("upstream exploded: ", 64 * 1024);
        try (RawReceiver hostile = new RawReceiver(out -> {
            out.write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            out.write(body);
        })) {
            String sensor = this.data.sensor("body-1");
            UUID webhook = this.data.webhook(hostile.url("/"), this.secret);

            StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

            await().atMost(WAIT)
                .untilAsserted(() -> assertThat(this.data.attempts(webhook, change.eventId())).isNotEmpty());
            Map<String, Object> attempt = this.data.attempts(webhook, change.eventId()).get(0);
            assertThat(attempt).containsEntry("status_code", 500)
                .containsEntry("error", "HTTP 500")
                .containsEntry("webhook_id", webhook);
            String stored = (String) attempt.get("response_body");
            assertThat(stored).startsWith("upstream exploded: ").contains("\uFFFD").doesNotContain("\u0000", "\u001b");
            assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
            assertThat(stored.codePoints()
                .filter(c -> Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r'))
                .isEmpty();
        }
    }

    @Test
    void aReceiversAnswerIsStoredAsItCameAndNoAnswerAsNone() throws Exception {
        this.receiver.answering(request -> exchange -> {
            byte[] answer = "{\"accepted\": true, \"note\": \"d\u00e9j\u00e0 vu\"}\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
        });
        String sensor = this.data.sensor("body-2");
        UUID answered = this.data.webhook(this.receiver.url(), this.secret);
        UUID unreachable = this.data.webhook("http://127.0.0.1:" + closedPort() + "/", this.secret);

        StatusChange change = this.data.change(sensor, Status.CRITICAL, 1.0);

        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.attempts(answered, change.eventId())).isNotEmpty()
                .first()
                .satisfies(attempt -> assertThat(attempt).containsEntry("status_code", 202)
                    .containsEntry("response_body", "{\"accepted\": true, \"note\": \"d\u00e9j\u00e0 vu\"}\n")));
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(this.data.attempts(unreachable, change.eventId())).isNotEmpty()
                .first()
                .satisfies(attempt -> assertThat(attempt).containsEntry("status_code", null)
                    .containsEntry("response_body", null)));
    }

    /**
     * {@code start}, then bytes no text decoder or database likes, up to {@code size}
     * bytes.
     */
    private static byte[] hostileBody(String start, int size) {
        byte[] body = new byte[size];
        byte[] prefix = start.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        byte[] pattern = { 0x00, 0x1b, '[', '3', '1', 'm', (byte) 0xc2, (byte) 0x9b, (byte) 0xff, (byte) 0xc3, '(',
                (byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xe2, (byte) 0x82, 0x7f, '\r', '\n' };
        for (int i = prefix.length; i < size; i++) {
            body[i] = pattern[(i - prefix.length) % pattern.length];
        }
        return body;
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }

    private static void assertPrintableAscii(String text) {
        assertThat(text.chars().filter(c -> c < 0x20 || c > 0x7e).mapToObj(Integer::toHexString).toList())
            .as("characters other than printable ASCII")
            .isEmpty();
    }

}
