package io.sensorhub.crud;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.sensorhub.common.test.ArchitectureRules;

/**
 * The architecture rules (docs/architecture.md), checked on this module's main classes.
 */
@AnalyzeClasses(packages = "io.sensorhub.crud",
        importOptions = { ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class })
class CrudArchitectureTest {

    @ArchTest
    static final ArchTests rules = ArchTests.in(ArchitectureRules.class);

}
