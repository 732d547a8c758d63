package io.sensorhub.common.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.sensorhub.common.test.ArchitectureRules;

/** common depends on no service, and its packages form no cycles. */
@AnalyzeClasses(packages = "io.sensorhub.common",
        importOptions = { ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class })
class CommonArchitectureTest {

    private static final String ROOT = "io.sensorhub.common";

    @ArchTest
    static final ArchRule dependsOnNoService = ArchitectureRules.dependsOnNoOtherModule(ROOT);

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = ArchitectureRules.featuresAreFreeOfCycles(ROOT);

}
