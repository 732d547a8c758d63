package io.sensorhub.common.concurrent;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work that must happen only once the current transaction has committed (a cache write, a
 * log line about what was committed): the one hook every service uses.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /**
     * Runs {@code action} after the current transaction commits, never if it rolls back;
     * at once when no transaction is active.
     */
    public static void run(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    /**
     * Runs {@code action} when the current transaction ends, committed or rolled back; at
     * once when no transaction is active.
     */
    public static void runAfterCompletion(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                action.run();
            }
        });
    }

}
