/**
 * What every endpoint shares: the problem+json error model, pagination cursors, body
 * limits and the OpenAPI setup.
 */
package io.sensorhub.crud.web;
