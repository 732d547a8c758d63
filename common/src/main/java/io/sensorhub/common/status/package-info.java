/**
 * The status model of docs/ingest.md: statuses and the rule that turns a reading into a
 * status.
 */
package io.sensorhub.common.status;
