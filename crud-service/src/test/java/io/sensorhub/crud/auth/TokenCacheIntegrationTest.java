package io.sensorhub.crud.auth;

import java.time.Duration;
import java.util.HexFormat;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cached tokens are evicted at once by rotation here, and by a NOTIFY from another
 * instance.
 */
class TokenCacheIntegrationTest extends ApiIntegrationTest {

    @Autowired
    private ClientTokens tokens;

    private void awaitCached(Api client) {
        String key = HexFormat.of().formatHex(Tokens.hash(client.token));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.get("/api/v1/sensors")).hasStatusOk();
            assertThat(this.tokens.cache().get(key, System.nanoTime())).contains(client.clientId);
        });
    }

    @Test
    void aRotatedTokenStopsWorkingAtOnceThoughItWasCached() {
        Api client = newClient();
        awaitCached(client);
        assertThat(this.admin.post("/api/v1/clients/" + client.clientId + "/token", null)).hasStatusOk();
        problem(client.get("/api/v1/sensors"), 401);
    }

    @Test
    void aDeletedClientsCachedTokenStopsWorkingAtOnce() {
        Api client = newClient();
        awaitCached(client);
        assertThat(this.admin.delete("/api/v1/clients/" + client.clientId)).hasStatus(204);
        problem(client.get("/api/v1/sensors"), 401);
    }

    @Test
    void aTokenChangedByAnotherInstanceIsEvictedByItsNotification() {
        Api client = newClient();
        awaitCached(client);
        // What another instance's rotation does: a new hash, committed with a NOTIFY.
        this.jdbc.sql("UPDATE clients SET token_hash = sha256(gen_random_uuid()::text::bytea) WHERE id = ?")
            .param(client.clientId)
            .update();
        assertThat(client.get("/api/v1/sensors")).as("still cached until notified").hasStatusOk();
        this.jdbc.sql("SELECT pg_notify(?, ?)")
            .params(Channels.CRUD_CACHE, "client:" + client.clientId)
            .query()
            .listOfRows();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> problem(client.get("/api/v1/sensors"), 401));
    }

}
