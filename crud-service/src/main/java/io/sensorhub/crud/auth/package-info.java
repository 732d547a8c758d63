/**
 * Bearer-token authentication: the admin token, hashed client tokens and the caller of a
 * request.
 */
package io.sensorhub.crud.auth;
