/**
 * Short-lived in-memory caches of the hot read path, kept honest across instances by
 * PostgreSQL LISTEN/NOTIFY.
 */
package io.sensorhub.crud.cache;
