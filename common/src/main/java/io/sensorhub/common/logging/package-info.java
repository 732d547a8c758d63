/**
 * The correlation id that lets an operator follow one request or reading through every
 * service's logs.
 */
package io.sensorhub.common.logging;
