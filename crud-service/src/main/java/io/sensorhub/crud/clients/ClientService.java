package io.sensorhub.crud.clients;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sensorhub.crud.auth.ClientTokens;
import io.sensorhub.crud.auth.Tokens;
import io.sensorhub.crud.clients.ClientDtos.ClientWithToken;
import io.sensorhub.crud.sensors.SensorRemoval;
import io.sensorhub.crud.web.Cursors;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates clients with their tokens, rotates tokens, and removes a client with everything
 * it owns.
 */
@Service
class ClientService {

    private final ClientRepository clients;

    private final SensorRemoval sensorRemoval;

    private final ClientTokens tokens;

    ClientService(ClientRepository clients, SensorRemoval sensorRemoval, ClientTokens tokens) {
        this.clients = clients;
        this.sensorRemoval = sensorRemoval;
        this.tokens = tokens;
    }

    @Transactional
    ClientWithToken create(String name) {
        String token = Tokens.newToken();
        Client client = this.clients.save(new Client(UUID.randomUUID(), name, Tokens.hash(token), Instant.now()));
        return new ClientWithToken(client.getId(), client.name(), token, client.createdAt());
    }

    @Transactional(readOnly = true)
    Page<Client> list(PageQuery query) {
        Limit limit = Limit.of(query.fetchSize());
        List<Client> rows = (query.after() == null) ? this.clients.findAllByOrderByIdAsc(limit)
                : this.clients.findByIdGreaterThanOrderByIdAsc(parseCursor(query.after()), limit);
        return Page.of(rows, query.limit(), client -> client.getId().toString());
    }

    @Transactional(readOnly = true)
    Client get(UUID id) {
        return this.clients.findById(id).orElseThrow(() -> new NotFoundException("client", id));
    }

    @Transactional
    Client rename(UUID id, String name) {
        Client client = get(id);
        client.rename(name, Instant.now());
        return this.clients.saveAndFlush(client);
    }

    /**
     * A new token; the old one stops working when this commits, on every instance (see
     * ClientTokens).
     */
    @Transactional
    ClientWithToken rotateToken(UUID id) {
        Client client = get(id);
        String token = Tokens.newToken();
        client.replaceTokenHash(Tokens.hash(token), Instant.now());
        this.clients.saveAndFlush(client);
        this.tokens.tokenChanged(id);
        return new ClientWithToken(client.getId(), client.name(), token, client.createdAt());
    }

    /**
     * Deletes the client, its sensors with their history and state, and its webhooks with
     * their deliveries.
     */
    @Transactional
    void delete(UUID id) {
        Client client = get(id);
        this.sensorRemoval.removeAllOf(id);
        this.clients.delete(client);
        this.tokens.tokenChanged(id);
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
