/**
 * Limits per client: how many webhooks and silences a client may have, and how often a
 * webhook may be asked to deliver again; over a limit, 429 with {@code Retry-After}.
 */
package io.sensorhub.crud.limits;
