package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.UUID;

import io.sensorhub.crud.limits.DeliveryRequestLimit;
import io.sensorhub.crud.web.ConflictException;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.sensorhub.crud.webhooks.DeliveryDtos.DeliveryResponse;
import io.sensorhub.crud.webhooks.DeliveryDtos.Queued;
import io.sensorhub.crud.webhooks.DeliveryDtos.StatsResponse;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a client can see and ask of its webhooks' deliveries; notifier-job does the
 * sending.
 */
@Service
class DeliveryService {

    private final WebhookService webhooks;

    private final DeliveryQueries store;

    private final DeliveryStats stats;

    private final DeliveryRequestLimit requestLimit;

    DeliveryService(WebhookService webhooks, DeliveryQueries store, DeliveryStats stats,
            DeliveryRequestLimit requestLimit) {
        this.webhooks = webhooks;
        this.store = store;
        this.stats = stats;
        this.requestLimit = requestLimit;
    }

    @Transactional(readOnly = true)
    Page<DeliveryResponse> list(UUID clientId, UUID webhookId, DeliveryFilter filter, PageQuery page) {
        this.webhooks.get(clientId, webhookId);
        return this.store.list(webhookId, filter, page);
    }

    @Transactional(readOnly = true)
    StatsResponse stats(UUID clientId, UUID webhookId) {
        this.webhooks.get(clientId, webhookId);
        return this.stats.of(webhookId);
    }

    /**
     * Queues a {@code webhook.test} event; refused while the webhook is disabled, as it
     * would not be sent, and over the limit of requests to deliver.
     */
    @Transactional
    Queued test(UUID clientId, UUID webhookId) {
        if (!this.webhooks.get(clientId, webhookId).settings().enabled()) {
            throw new ConflictException("The webhook is disabled; enable it to send a test event");
        }
        this.requestLimit.take(webhookId);
        return this.store.insertTest(webhookId);
    }

    /**
     * Makes a succeeded or dead delivery pending again; a pending one is a conflict. The
     * place under the limit is taken before the delivery is locked, as by every request
     * to deliver (a refused request gives its place back with its transaction).
     */
    @Transactional
    Queued redeliver(UUID clientId, UUID deliveryId) {
        UUID webhookId = this.store.webhookOf(deliveryId, clientId)
            .orElseThrow(() -> new NotFoundException("delivery", deliveryId));
        this.requestLimit.take(webhookId);
        Queued delivery = this.store.findOwned(deliveryId, clientId)
            .orElseThrow(() -> new NotFoundException("delivery", deliveryId));
        if (delivery.state().equals("pending")) {
            throw new ConflictException("The delivery is already pending");
        }
        this.store.makePending(deliveryId);
        return new Queued(delivery.deliveryId(), delivery.eventId(), "pending");
    }

    @Transactional
    int recover(UUID clientId, UUID webhookId, Instant since) {
        this.webhooks.get(clientId, webhookId);
        this.requestLimit.take(webhookId);
        return this.store.recover(webhookId, since);
    }

}
