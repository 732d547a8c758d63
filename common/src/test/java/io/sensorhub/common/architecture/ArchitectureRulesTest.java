package io.sensorhub.common.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.sensorhub.common.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The rules catch what they are for (on classes that break them on purpose). */
class ArchitectureRulesTest {

    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages("io.sensorhub.fixtureone",
            "io.sensorhub.fixturetwo");

    @Test
    void aModuleUsingAnotherModuleIsCaught() {
        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> ArchitectureRules.dependsOnNoOtherModule.check(FIXTURES))
            .withMessageContaining("FixtureService");
    }

    @Test
    void aWebClassUsingADatabaseApiIsCaught() {
        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> ArchitectureRules.webUsesNoPersistence.check(FIXTURES))
            .withMessageContaining("java.sql.Connection");
    }

}
