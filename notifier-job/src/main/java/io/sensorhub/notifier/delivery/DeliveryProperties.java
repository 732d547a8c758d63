package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How webhooks are delivered (docs/operations.md, docs/api.md).
 *
 * @param allowPrivateNetworks allow URLs that resolve to loopback, private, link-local or
 * other non-public addresses
 * @param retrySchedule delays before each retry, each with ±{@code jitter}; after the
 * last the delivery is dead
 * @param jitter the relative jitter of each retry delay
 * @param timeout the whole of one attempt: DNS lookup, connect, send, response
 * @param disableAfter a webhook whose every attempt failed for this long is disabled
 * @param maxConcurrency attempts in flight at once, overall
 * @param maxConcurrencyPerHost attempts in flight at once to one host (and port)
 * @param lease how long a claimed delivery stays with this instance; more than twice the
 * timeout (a claimed delivery may wait for one attempt of its host before its own), so a
 * crashed instance's deliveries are taken over after it
 * @param pollInterval the slow polling fallback to the LISTEN/NOTIFY wake-up
 * @param fanOutBatch status changes fanned out per transaction
 * @param coalesce while attempts are in flight, how long the delivery loop lets more of
 * them finish before it records and claims again (fewer, larger rounds); an idle loop
 * starts new deliveries at once
 * @param bookkeepingCommit PostgreSQL {@code synchronous_commit} for fan-out, leases and
 * attempt records: {@code off} spares a WAL flush per round; a database crash may then
 * forget the last few hundred milliseconds of bookkeeping, which only means a redelivery
 * with the same {@code webhook-id} (at least once). Status changes themselves are
 * recorded by sensor-consumer, always durably.
 * @param maxResponseHeaderBytes the most of a response's status line and headers read; a
 * receiver sending more fails the attempt (its body is capped separately, at 64 KiB)
 * @param failingAfter consecutive failed attempts of a webhook that make it failing: the
 * client's other webhooks get {@code webhook.failing} once, and {@code webhook.recovered}
 * at its next success
 */
@Validated
@ConfigurationProperties("sensorhub.webhooks")
public record DeliveryProperties(@DefaultValue("false") boolean allowPrivateNetworks, @NotEmpty @DefaultValue( {
        "5s", "30s", "2m", "10m", "30m", "1h", "2h", "4h", "8h", "16h", "24h" }) List<Duration> retrySchedule,
        @DecimalMin("0.0") @DecimalMax("0.9") @DefaultValue("0.2") double jitter,
        @NotNull @DefaultValue("10s") Duration timeout, @NotNull @DefaultValue("24h") Duration disableAfter,
        @Min(1) @DefaultValue("64") int maxConcurrency, @Min(1) @DefaultValue("16") int maxConcurrencyPerHost,
        @NotNull @DefaultValue("2m") Duration lease, @NotNull @DefaultValue("5s") Duration pollInterval,
        @Min(1) @DefaultValue("500") int fanOutBatch, @NotNull @DefaultValue("2ms") Duration coalesce,
        @NotNull @jakarta.validation.constraints.Pattern(
                regexp = "on|off|local|remote_write|remote_apply") @DefaultValue("off") String bookkeepingCommit,
        @Min(1024) @DefaultValue("16384") int maxResponseHeaderBytes, @Min(1) @DefaultValue("3") int failingAfter){

    @AssertTrue(message = "lease must be longer than twice the timeout")
    boolean isLeaseLongerThanTwiceTheTimeout() {
        return this.lease == null || this.timeout == null || this.lease.compareTo(this.timeout.multipliedBy(2)) > 0;
    }
}
