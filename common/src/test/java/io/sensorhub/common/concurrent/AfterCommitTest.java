package io.sensorhub.common.concurrent;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import static org.assertj.core.api.Assertions.assertThat;

class AfterCommitTest {

    private final List<String> done = new ArrayList<>();

    @AfterEach
    void clearSynchronization() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    @Test
    void runsAtOnceWithoutATransaction() {
        AfterCommit.run(() -> this.done.add("commit"));
        AfterCommit.runAfterCompletion(() -> this.done.add("completion"));
        assertThat(this.done).containsExactly("commit", "completion");
    }

    @Test
    void waitsForTheCommit() {
        TransactionSynchronizationManager.initSynchronization();
        AfterCommit.run(() -> this.done.add("commit"));
        AfterCommit.runAfterCompletion(() -> this.done.add("completion"));
        assertThat(this.done).isEmpty();
        List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationUtils.invokeAfterCommit(synchronizations);
        TransactionSynchronizationUtils.invokeAfterCompletion(synchronizations,
                TransactionSynchronization.STATUS_COMMITTED);
        assertThat(this.done).containsExactly("commit", "completion");
    }

    @Test
    void aRollbackRunsOnlyTheCompletionHook() {
        TransactionSynchronizationManager.initSynchronization();
        AfterCommit.run(() -> this.done.add("commit"));
        AfterCommit.runAfterCompletion(() -> this.done.add("completion"));
        TransactionSynchronizationUtils.invokeAfterCompletion(TransactionSynchronizationManager.getSynchronizations(),
                TransactionSynchronization.STATUS_ROLLED_BACK);
        assertThat(this.done).containsExactly("completion");
    }

}
