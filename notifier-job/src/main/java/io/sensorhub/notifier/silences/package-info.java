/**
 * Silences: sensors the fan-out held back get their catch-up event once no silence
 * matches them any more, exactly once whichever instance notices first.
 */
package io.sensorhub.notifier.silences;
