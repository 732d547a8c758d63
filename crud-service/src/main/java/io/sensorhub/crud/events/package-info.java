/** The catalogue of webhook event types, with a description and an example body each. */
package io.sensorhub.crud.events;
