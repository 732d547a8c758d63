/** The status model of CONTRACT §3: statuses and the rule that turns a reading into a status. */
package io.sensorhub.common.status;
