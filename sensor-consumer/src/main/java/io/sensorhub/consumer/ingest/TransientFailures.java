package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.amqp.AmqpException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure that passes by itself (a dependency down, a deadlock, a serialization failure) from one that
 * retrying cannot fix. Transient failures are retried, never dead-lettered (docs/ingest.md).
 */
final class TransientFailures {

    private TransientFailures() {
    }

    /** Whether {@code failure}, or any of its causes, is transient. */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isTransientType(cause)) {
                return true;
            }
            if (cause instanceof SQLException sql && isTransientState(sql.getSQLState())) {
                return true;
            }
            if (cause instanceof TransactionSystemException tx && tx.getApplicationException() != null
                    && isTransient(tx.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientType(Throwable cause) {
        return cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                || cause instanceof DataAccessResourceFailureException
                || cause instanceof PessimisticLockingFailureException
                || cause instanceof CannotCreateTransactionException
                // a commit or rollback that failed: the connection broke, whatever the statement did
                || cause instanceof TransactionSystemException || cause instanceof SQLTransientException
                || cause instanceof SQLRecoverableException || cause instanceof IOException
                || cause instanceof AmqpException;
    }

    /**
     * SQLSTATE classes that pass: 08 connection, 40 transaction rollback (serialization failure, deadlock),
     * 53 insufficient resources, 57P admin shutdown / cannot connect now, 55P03 lock not available, 58 system error.
     */
    static boolean isTransientState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57P") || state.equals("55P03") || state.startsWith("58"));
    }
}
