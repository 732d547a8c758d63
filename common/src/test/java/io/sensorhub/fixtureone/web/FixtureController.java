package io.sensorhub.fixtureone.web;

import java.sql.Connection;

import io.sensorhub.fixturetwo.FixtureService;

/**
 * Breaks two rules on purpose, for {@code ArchitectureRulesTest}: it uses another module
 * and a database API from the web layer.
 */
public class FixtureController {

    final FixtureService otherModule = new FixtureService();

    Connection connection;

}
