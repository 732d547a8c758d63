package io.sensorhub.crud.webhooks;

import java.time.Instant;
import java.util.UUID;

import io.sensorhub.crud.web.ConflictException;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import io.sensorhub.crud.webhooks.DeliveryDtos.DeliveryResponse;
import io.sensorhub.crud.webhooks.DeliveryDtos.Queued;
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

    DeliveryService(WebhookService webhooks, DeliveryQueries store) {
        this.webhooks = webhooks;
        this.store = store;
    }

    @Transactional(readOnly = true)
    Page<DeliveryResponse> list(UUID clientId, UUID webhookId, String state, PageQuery page) {
        this.webhooks.get(clientId, webhookId);
        return this.store.list(webhookId, state, page);
    }

    /**
     * Queues a {@code webhook.test} event; refused while the webhook is disabled, as it
     * would not be sent.
     */
    @Transactional
    Queued test(UUID clientId, UUID webhookId) {
        if (!this.webhooks.get(clientId, webhookId).settings().enabled()) {
            throw new ConflictException("The webhook is disabled; enable it to send a test event");
        }
        return this.store.insertTest(webhookId);
    }

    /** Makes a succeeded or dead delivery pending again; a pending one is a conflict. */
    @Transactional
    Queued redeliver(UUID clientId, UUID deliveryId) {
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
        return this.store.recover(webhookId, since);
    }

}
