package io.sensorhub.crud.auth;

/** Who sent a request, as proven by its bearer token. */
public sealed interface Caller permits AdminCaller, ClientCaller {

}
