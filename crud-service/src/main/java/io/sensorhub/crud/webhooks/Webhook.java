package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A client's webhook endpoint: its definition, which crud-service writes. Delivery
 * outcomes on the same row are notifier-job's ({@code failing_since}, the failure count
 * and what it reported, a system disable with its {@code disabled_reason},
 * docs/architecture.md): crud-service never writes them, and writes only changed columns
 * ({@link DynamicUpdate}) so an edit does not overwrite them. A system disable bumps
 * {@code version}, so a client's edit made concurrently is refused rather than
 * re-enabling the webhook unseen.
 */
@Entity
@Table(name = "webhooks")
@DynamicUpdate
class Webhook {

    @Id
    private UUID id;

    @Column(name = "client_id", nullable = false)
    private UUID clientId;

    @Column(nullable = false)
    private String url;

    private String description;

    @Column(nullable = false)
    @Convert(converter = WebhookSecretConverter.class)
    private String secret;

    @Column(name = "previous_secret")
    @Convert(converter = WebhookSecretConverter.class)
    private String previousSecret;

    @Column(name = "secret_rotated_at")
    private Instant secretRotatedAt;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "sensor_ids")
    private String[] sensorIds;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] statuses;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_types", nullable = false)
    private String[] eventTypes;

    @Column(name = "repeat_interval")
    private Integer repeatInterval;

    @Column(nullable = false)
    private boolean enabled;

    /** notifier-job's: read, never written here. */
    @Column(name = "disabled_reason", insertable = false, updatable = false)
    private String disabledReason;

    /** Null until persisted, which marks the entity new. */
    @Version
    private Long version;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Webhook() {
    }

    Webhook(UUID id, UUID clientId, String secret, WebhookSettings settings, Instant now) {
        this.id = id;
        this.clientId = clientId;
        this.secret = secret;
        this.createdAt = now;
        apply(settings, now);
    }

    /**
     * Applies the client's settings. Enabling a webhook clears why and since when the
     * system disabled it: the database's trigger does that in the row (whoever enables
     * it); here only this copy follows, for the answer.
     */
    void apply(WebhookSettings settings, Instant now) {
        this.url = settings.url();
        this.description = settings.description();
        this.sensorIds = toArray(settings.sensorIds());
        this.statuses = toArray(settings.statuses());
        this.eventTypes = toArray(settings.eventTypes());
        this.repeatInterval = settings.repeatInterval();
        if (settings.enabled() && !this.enabled) {
            this.disabledReason = null;
        }
        this.enabled = settings.enabled();
        this.updatedAt = now;
    }

    /**
     * Replaces the secret; the previous one still signs deliveries for a while
     * (docs/api.md, webhook deliveries).
     */
    void rotateSecret(String newSecret, Instant now) {
        this.previousSecret = this.secret;
        this.secret = newSecret;
        this.secretRotatedAt = now;
        this.updatedAt = now;
    }

    WebhookSettings settings() {
        return new WebhookSettings(this.url, this.description, toList(this.sensorIds), toList(this.statuses),
                this.enabled, toList(this.eventTypes), this.repeatInterval);
    }

    UUID id() {
        return this.id;
    }

    String secret() {
        return this.secret;
    }

    String disabledReason() {
        return this.disabledReason;
    }

    Instant secretRotatedAt() {
        return this.secretRotatedAt;
    }

    Instant createdAt() {
        return this.createdAt;
    }

    Instant updatedAt() {
        return this.updatedAt;
    }

    private static String[] toArray(List<String> values) {
        return (values != null) ? values.toArray(String[]::new) : null;
    }

    private static List<String> toList(String[] values) {
        return (values != null) ? List.of(values) : null;
    }

}
