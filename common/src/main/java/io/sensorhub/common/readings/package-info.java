/** The reading message of CONTRACT §2: its format, parsing and validation, shared by every module. */
package io.sensorhub.common.readings;
