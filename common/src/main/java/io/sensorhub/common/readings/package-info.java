/**
 * The reading message of docs/ingest.md: its format, parsing and validation, shared by
 * every module.
 */
package io.sensorhub.common.readings;
