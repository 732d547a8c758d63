package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.sensorhub.common.addresses.DeadlineResolver;
import io.sensorhub.common.signing.WebhookSecrets;
import io.sensorhub.crud.limits.ClientLimits;
import io.sensorhub.crud.web.ConflictException;
import io.sensorhub.crud.web.Cursors;
import io.sensorhub.crud.web.FieldViolation;
import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.sensorhub.crud.webhooks.WebhookDtos.WebhookCreation;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A client's webhooks: URL safety, sensor filters limited to the client's own sensors,
 * secret rotation. A URL's host name is resolved before the transaction that stores it
 * begins (docs/architecture.md: no network call inside a database transaction), so slow
 * DNS never holds a pooled connection.
 */
@Service
class WebhookService {

    private final WebhookRepository webhooks;

    private final JdbcClient jdbc;

    private final WebhookUrlPolicy urlPolicy;

    private final TransactionTemplate transactions;

    private final ClientLimits limits;

    WebhookService(WebhookRepository webhooks, JdbcClient jdbc, WebhookUrlProperties properties,
            DeadlineResolver resolver, PlatformTransactionManager transactionManager, ClientLimits limits) {
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.limits = limits;
        this.urlPolicy = new WebhookUrlPolicy(properties.allowPrivateNetworks(), resolver::resolve);
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Checks the URL (resolving its host, outside any transaction), then stores the
     * webhook if the client has room for one more.
     */
    Webhook create(UUID clientId, WebhookSettings settings) {
        Optional<FieldViolation> urlProblem = urlProblem(settings.url());
        return this.transactions.execute(status -> {
            check(clientId, settings, urlProblem);
            this.limits.requireRoomForWebhook(clientId, () -> this.webhooks.countByClientId(clientId));
            Webhook webhook = new Webhook(UUID.randomUUID(), clientId, WebhookSecrets.newSecret(), settings,
                    Instant.now());
            return this.webhooks.saveAndFlush(webhook);
        });
    }

    @Transactional(readOnly = true)
    Page<Webhook> list(UUID clientId, PageQuery page) {
        Limit limit = Limit.of(page.fetchSize());
        List<Webhook> rows = (page.after() == null) ? this.webhooks.findByClientIdOrderByIdAsc(clientId, limit)
                : this.webhooks.findByClientIdAndIdGreaterThanOrderByIdAsc(clientId, parseCursor(page.after()), limit);
        return Page.of(rows, page.limit(), webhook -> webhook.id().toString());
    }

    @Transactional(readOnly = true)
    Webhook get(UUID clientId, UUID id) {
        return this.webhooks.findByIdAndClientId(id, clientId).orElseThrow(() -> new NotFoundException("webhook", id));
    }

    /**
     * Applies the patch to the current settings and checks the resulting URL outside any
     * transaction; then, in one, applies it again to the settings as they are by then.
     * Should the URL have changed in between (another request), the patch is refused as a
     * conflict rather than stored with a URL that was not checked.
     */
    Webhook patch(UUID clientId, UUID id, UnaryOperator<WebhookCreation> patch) {
        String url = patched(
                this.webhooks.findByIdAndClientId(id, clientId).orElseThrow(() -> new NotFoundException("webhook", id)),
                patch)
            .url();
        Optional<FieldViolation> urlProblem = urlProblem(url);
        return this.transactions.execute(status -> {
            Webhook webhook = get(clientId, id);
            WebhookSettings settings = patched(webhook, patch);
            if (!settings.url().equals(url)) {
                throw new ConflictException("The webhook was modified concurrently; retry");
            }
            check(clientId, settings, urlProblem);
            webhook.apply(settings, Instant.now());
            return this.webhooks.saveAndFlush(webhook);
        });
    }

    private static WebhookSettings patched(Webhook webhook, UnaryOperator<WebhookCreation> patch) {
        return patch.apply(WebhookCreation.of(webhook.settings())).settings();
    }

    @Transactional
    void delete(UUID clientId, UUID id) {
        this.webhooks.delete(get(clientId, id));
    }

    @Transactional
    Webhook rotateSecret(UUID clientId, UUID id) {
        Webhook webhook = get(clientId, id);
        webhook.rotateSecret(WebhookSecrets.newSecret(), Instant.now());
        return this.webhooks.saveAndFlush(webhook);
    }

    /**
     * Why the URL is refused, if it is; resolves its host name (with a deadline), so
     * never in a transaction.
     */
    private Optional<FieldViolation> urlProblem(String url) {
        return this.urlPolicy.problemWith(url).map(problem -> new FieldViolation("url", problem));
    }

    private void check(UUID clientId, WebhookSettings settings, Optional<FieldViolation> urlProblem) {
        List<FieldViolation> violations = new ArrayList<>();
        urlProblem.ifPresent(violations::add);
        if (settings.sensorIds() != null) {
            violations.addAll(foreignSensors(clientId, settings.sensorIds()));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

    /**
     * The listed sensor ids that are not the client's own (unknown and others' look the
     * same).
     */
    private List<FieldViolation> foreignSensors(UUID clientId, List<String> sensorIds) {
        return io.sensorhub.crud.sensors.OwnedSensors.violations(this.jdbc, clientId, "sensorIds", sensorIds);
    }

    private static UUID parseCursor(String after) {
        try {
            return UUID.fromString(after);
        }
        catch (IllegalArgumentException ex) {
            throw Cursors.invalid();
        }
    }

}
