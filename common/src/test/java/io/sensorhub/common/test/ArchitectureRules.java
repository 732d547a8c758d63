package io.sensorhub.common.test;

import java.util.Arrays;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Repository;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture every module keeps (docs/architecture.md), as ArchUnit rules each
 * module's architecture test applies to its own classes: modules depend on common only,
 * feature packages form no cycles and keep their persistence to themselves, and the web
 * layer touches no persistence API.
 */
public final class ArchitectureRules {

    /** The root package of each module. */
    public static final String[] MODULES = { "io.sensorhub.common", "io.sensorhub.crud", "io.sensorhub.consumer",
            "io.sensorhub.notifier", "io.sensorhub.simulator", "io.sensorhub.quickstart" };

    /**
     * Database access APIs. Their exceptions are not counted: mapping a database error to
     * an HTTP answer is the web layer's job, reaching the database is not.
     */
    private static final DescribedPredicate<JavaClass> PERSISTENCE_API = JavaClass.Predicates
        .resideInAnyPackage("java.sql..", "jakarta.persistence..", "org.springframework.jdbc..",
                "org.springframework.data.jpa..", "org.springframework.data.repository..")
        .and(DescribedPredicate.not(JavaClass.Predicates.simpleNameEndingWith("Exception")))
        .as("are a database access API");

    /** Spring configuration classes and the classes nested in them. */
    private static final DescribedPredicate<JavaClass> WIRING = new DescribedPredicate<>("wiring") {
        @Override
        public boolean test(JavaClass javaClass) {
            return isWiring(javaClass) || javaClass.getEnclosingClass().map(ArchitectureRules::isWiring).orElse(false);
        }
    };

    private ArchitectureRules() {
    }

    /**
     * The module under {@code root} depends on no other module but common (and common on
     * none).
     */
    public static ArchRule dependsOnNoOtherModule(String root) {
        String[] others = Arrays.stream(MODULES)
            .filter(module -> !module.equals(root) && !module.equals("io.sensorhub.common"))
            .map(module -> module + "..")
            .toArray(String[]::new);
        if (root.equals("io.sensorhub.common")) {
            others = Arrays.stream(MODULES)
                .filter(module -> !module.equals(root))
                .map(m -> m + "..")
                .toArray(String[]::new);
        }
        return noClasses().that()
            .resideInAPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(others);
    }

    /**
     * The feature packages directly under {@code root} depend on each other without
     * cycles.
     */
    public static ArchRule featuresAreFreeOfCycles(String root) {
        // The @Configuration classes that wire features together are not counted: wiring
        // depends on what it wires by nature.
        return slices().matching(root + ".(*)..")
            .should()
            .beFreeOfCycles()
            .ignoreDependency(WIRING, DescribedPredicate.alwaysTrue());
    }

    /**
     * Controllers and the {@code web} package use no persistence API: they call a
     * feature's service or queries class, which owns the SQL.
     */
    public static ArchRule webUsesNoPersistence(String root) {
        return noClasses().that()
            .areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
            .or()
            .resideInAPackage(root + ".web..")
            .should()
            .dependOnClassesThat(PERSISTENCE_API)
            .allowEmptyShould(true);
    }

    /**
     * A feature's persistence classes (repositories and entities) are used only inside
     * their own package, apart from the {@code @Configuration} classes that wire them:
     * features reach each other through their public services, never through each other's
     * tables.
     */
    public static ArchRule persistenceStaysInItsFeature(String root) {
        DescribedPredicate<JavaClass> persistence = new DescribedPredicate<>("are repositories or entities") {
            @Override
            public boolean test(JavaClass javaClass) {
                return javaClass.isAnnotatedWith(Repository.class)
                        || javaClass.isAnnotatedWith("jakarta.persistence.Entity")
                        || javaClass.isAssignableTo("org.springframework.data.repository.Repository");
            }
        };
        return classes().that()
            .resideInAPackage(root + "..")
            .and(persistence)
            .should(beUsedOnlyInTheirOwnPackage())
            .allowEmptyShould(true);
    }

    private static boolean isWiring(JavaClass javaClass) {
        return javaClass.isAnnotatedWith(Configuration.class) || javaClass.isMetaAnnotatedWith(Configuration.class)
                || javaClass.isAnnotatedWith("org.springframework.boot.autoconfigure.AutoConfiguration");
    }

    private static ArchCondition<JavaClass> beUsedOnlyInTheirOwnPackage() {
        return new ArchCondition<>("be used only in their own package (or by @Configuration classes)") {
            @Override
            public void check(JavaClass target, ConditionEvents events) {
                for (Dependency dependency : target.getDirectDependenciesToSelf()) {
                    JavaClass origin = dependency.getOriginClass();
                    boolean samePackage = origin.getPackageName().equals(target.getPackageName());
                    boolean wiring = origin.isAnnotatedWith(Configuration.class) || origin.getEnclosingClass()
                        .map(c -> c.isAnnotatedWith(Configuration.class))
                        .orElse(false);
                    if (!samePackage && !wiring) {
                        events.add(SimpleConditionEvent.violated(target, dependency.getDescription()));
                    }
                }
            }
        };
    }

}
