package io.sensorhub.fixturetwo;

/** A class of another module, for {@code ArchitectureRulesTest}. */
public class FixtureService {

}
