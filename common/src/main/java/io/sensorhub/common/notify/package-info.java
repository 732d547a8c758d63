/**
 * Hearing PostgreSQL {@code NOTIFY}s: one {@code LISTEN} connection of its own per user,
 * kept up by itself.
 */
package io.sensorhub.common.notify;
