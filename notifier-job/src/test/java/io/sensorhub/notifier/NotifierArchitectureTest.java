package io.sensorhub.notifier;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.sensorhub.common.test.ArchitectureRules;

/** The module's architecture (docs/architecture.md), checked on its main classes. */
@AnalyzeClasses(packages = NotifierArchitectureTest.ROOT,
        importOptions = { ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class })
class NotifierArchitectureTest {

    static final String ROOT = "io.sensorhub.notifier";

    @ArchTest
    static final ArchRule dependsOnNoOtherService = ArchitectureRules.dependsOnNoOtherModule(ROOT);

    @ArchTest
    static final ArchRule featuresAreFreeOfCycles = ArchitectureRules.featuresAreFreeOfCycles(ROOT);

    @ArchTest
    static final ArchRule webUsesNoPersistence = ArchitectureRules.webUsesNoPersistence(ROOT);

    @ArchTest
    static final ArchRule persistenceStaysInItsFeature = ArchitectureRules.persistenceStaysInItsFeature(ROOT);

}
