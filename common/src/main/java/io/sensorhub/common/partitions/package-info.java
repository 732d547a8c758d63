/** Creation of day partitions ahead of time and their removal past retention. */
package io.sensorhub.common.partitions;
