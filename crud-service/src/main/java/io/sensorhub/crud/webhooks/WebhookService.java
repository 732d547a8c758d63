package io.sensorhub.crud.webhooks;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import java.util.function.UnaryOperator;

import io.sensorhub.crud.webhooks.WebhookDtos.WebhookCreation;
import io.sensorhub.crud.web.Cursors;
import io.sensorhub.crud.web.FieldViolation;
import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A client's webhooks: URL safety, sensor filters limited to the client's own sensors, secret rotation. */
@Service
class WebhookService {

    private final WebhookRepository webhooks;

    private final JdbcClient jdbc;

    private final WebhookUrlPolicy urlPolicy;

    WebhookService(WebhookRepository webhooks, JdbcClient jdbc, WebhooksProperties properties) {
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.urlPolicy = new WebhookUrlPolicy(properties.allowPrivateNetworks(), InetAddress::getAllByName);
    }

    @Transactional
    Webhook create(UUID clientId, WebhookSettings settings) {
        check(clientId, settings);
        Webhook webhook = new Webhook(UUID.randomUUID(), clientId, WebhookSecrets.newSecret(), settings, Instant.now());
        return this.webhooks.saveAndFlush(webhook);
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

    @Transactional
    Webhook patch(UUID clientId, UUID id, UnaryOperator<WebhookCreation> patch) {
        Webhook webhook = get(clientId, id);
        WebhookSettings settings = patch.apply(WebhookCreation.of(webhook.settings())).settings();
        check(clientId, settings);
        webhook.apply(settings, Instant.now());
        return this.webhooks.saveAndFlush(webhook);
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

    private void check(UUID clientId, WebhookSettings settings) {
        List<FieldViolation> violations = new ArrayList<>();
        this.urlPolicy.problemWith(settings.url()).ifPresent(problem -> violations.add(new FieldViolation("url", problem)));
        if (settings.sensorIds() != null) {
            violations.addAll(foreignSensors(clientId, settings.sensorIds()));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

    /** The listed sensor ids that are not the client's own (unknown and others' look the same). */
    private List<FieldViolation> foreignSensors(UUID clientId, List<String> sensorIds) {
        Set<String> owned = new HashSet<>(this.jdbc.sql("SELECT id FROM sensors WHERE client_id = ? AND id = ANY(?)")
            .params(clientId, sensorIds.toArray(String[]::new))
            .query(String.class)
            .list());
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < sensorIds.size(); i++) {
            if (!owned.contains(sensorIds.get(i))) {
                violations.add(new FieldViolation("sensorIds[" + i + "]", "is not one of your sensors"));
            }
        }
        return violations;
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
