package io.sensorhub.common.test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
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
 * The architecture every module keeps (docs/architecture.md), as ArchUnit rules that each
 * module's architecture test applies to its own classes
 * ({@code ArchTests.in(ArchitectureRules.class)}): modules depend on common only, feature
 * packages form no cycles and keep their persistence to themselves, and the web layer
 * touches no database API.
 */
public final class ArchitectureRules {

    /**
     * Database access APIs. Their exceptions are not counted: mapping a database error to
     * an HTTP answer is the web layer's job, reaching the database is not.
     */
    private static final DescribedPredicate<JavaClass> PERSISTENCE_API = JavaClass.Predicates
        .resideInAnyPackage("java.sql..", "jakarta.persistence..", "org.springframework.jdbc..",
                "org.springframework.data.jpa..", "org.springframework.data.repository..")
        .and(DescribedPredicate.not(JavaClass.Predicates.simpleNameEndingWith("Exception")))
        .as("are a database access API");

    /** Repositories and entities. */
    private static final DescribedPredicate<JavaClass> PERSISTENCE = new DescribedPredicate<>(
            "are repositories or entities") {
        @Override
        public boolean test(JavaClass javaClass) {
            return javaClass.isAnnotatedWith(Repository.class)
                    || javaClass.isAnnotatedWith("jakarta.persistence.Entity")
                    || javaClass.isAssignableTo("org.springframework.data.repository.Repository");
        }
    };

    /** Spring configuration classes and the classes nested in them. */
    private static final DescribedPredicate<JavaClass> WIRING = new DescribedPredicate<>("wiring") {
        @Override
        public boolean test(JavaClass javaClass) {
            return isWiring(javaClass) || javaClass.getEnclosingClass().map(ArchitectureRules::isWiring).orElse(false);
        }
    };

    /** A module depends on no other module but common, and common on none. */
    @ArchTest
    public static final ArchRule dependsOnNoOtherModule = classes().should(dependOnNoOtherModuleThanCommon());

    /**
     * The feature packages of a module depend on each other without cycles. The
     * {@code @Configuration} classes that wire features together are not counted: wiring
     * depends on what it wires by nature.
     */
    @ArchTest
    public static final ArchRule featuresAreFreeOfCycles = slices().matching("io.sensorhub.(*).(*)..")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(WIRING, DescribedPredicate.alwaysTrue());

    /**
     * Controllers and the {@code web} packages use no database access API: they call a
     * feature's service or queries class, which owns the SQL.
     */
    @ArchTest
    public static final ArchRule webUsesNoPersistence = noClasses().that()
        .areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
        .or()
        .resideInAPackage("io.sensorhub.*.web..")
        .should()
        .dependOnClassesThat(PERSISTENCE_API)
        .allowEmptyShould(true);

    /**
     * A feature's persistence classes (repositories and entities) are used only inside
     * their own package, apart from the {@code @Configuration} classes that wire them:
     * features reach each other through their public services, never through each other's
     * tables.
     */
    @ArchTest
    public static final ArchRule persistenceStaysInItsFeature = classes().that(PERSISTENCE)
        .should(beUsedOnlyInTheirOwnPackage())
        .allowEmptyShould(true);

    private ArchitectureRules() {
    }

    /** The module a class belongs to: {@code io.sensorhub.<module>}, or null outside. */
    private static String moduleOf(JavaClass javaClass) {
        String[] parts = javaClass.getPackageName().split("\\.");
        return (parts.length >= 3 && parts[0].equals("io") && parts[1].equals("sensorhub")) ? parts[2] : null;
    }

    private static ArchCondition<JavaClass> dependOnNoOtherModuleThanCommon() {
        return new ArchCondition<>("depend on no other module than common (common on none)") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = moduleOf(origin);
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String target = moduleOf(dependency.getTargetClass());
                    boolean allowed = target == null || target.equals(own)
                            || (target.equals("common") && !"common".equals(own));
                    if (!allowed) {
                        events.add(SimpleConditionEvent.violated(origin, dependency.getDescription()));
                    }
                }
            }
        };
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
