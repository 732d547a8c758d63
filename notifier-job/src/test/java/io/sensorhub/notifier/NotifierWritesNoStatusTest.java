package io.sensorhub.notifier;

import java.util.Collection;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.sensorhub.common.state.StatusChangeRecorder;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Status is decided in one service: sensor-consumer records every status change, OFFLINE
 * included, and notifier-job only turns committed changes into deliveries
 * (docs/architecture.md). Its code neither records a change nor touches a sensor's state.
 */
class NotifierWritesNoStatusTest {

    private static final JavaClasses NOTIFIER = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.sensorhub.notifier");

    @Test
    void notifierJobRecordsNoStatusChange() {
        noClasses().should()
            .callMethod(StatusChangeRecorder.class, "record", Collection.class)
            .because("sensor-consumer is the one writer of status_changes")
            .check(NOTIFIER);
    }

    @Test
    void notifierJobTouchesNoSensorState() {
        // by name: the cache's class needs Redis, which is not on notifier-job's class
        // path
        noClasses().should()
            .dependOnClassesThat()
            .haveNameMatching("io\\.sensorhub\\.common\\.state\\.(SensorStateStore|SensorStateCache)")
            .because("sensor-consumer is the one writer of sensor_state and the state cache")
            .check(NOTIFIER);
    }

}
