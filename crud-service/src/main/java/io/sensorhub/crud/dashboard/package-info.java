/**
 * The dashboard: a web page served from the jar's static resources at {@code /} (HTML,
 * CSS and JavaScript modules, no build step) with its chart library from a WebJar,
 * reading the API with a client token the person pastes. Here: the headers that confine
 * the page.
 */
package io.sensorhub.crud.dashboard;
