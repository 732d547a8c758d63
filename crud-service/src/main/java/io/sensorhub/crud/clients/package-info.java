/** Client applications and their tokens, managed with the admin token. */
package io.sensorhub.crud.clients;
