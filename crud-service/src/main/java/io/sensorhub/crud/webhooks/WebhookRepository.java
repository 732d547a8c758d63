package io.sensorhub.crud.webhooks;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * A client's webhooks, listed in id order with a keyset cursor
 * ({@code webhooks_client_id_idx}).
 */
interface WebhookRepository extends JpaRepository<Webhook, UUID> {

    Optional<Webhook> findByIdAndClientId(UUID id, UUID clientId);

    List<Webhook> findByClientIdOrderByIdAsc(UUID clientId, Limit limit);

    List<Webhook> findByClientIdAndIdGreaterThanOrderByIdAsc(UUID clientId, UUID after, Limit limit);

    long countByClientId(UUID clientId);

}
