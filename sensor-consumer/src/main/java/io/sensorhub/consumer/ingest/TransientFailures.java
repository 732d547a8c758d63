package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import com.rabbitmq.client.ShutdownSignalException;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpResourceNotAvailableException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure that passes by itself (a dependency down or overloaded, a deadlock, a
 * serialization failure) from one that retrying cannot fix. Transient failures are
 * retried without end and never dead-lettered (docs/ingest.md), so this errs on the side
 * of "not transient": a failure wrongly called transient halts all ingest behind its
 * message, while one wrongly called permanent is only retried a few times before it is
 * dead-lettered (and {@link IngestListener} still treats any failure as transient while
 * the database does not answer).
 * <p>
 * Not transient, in particular: any failure the broker reports on a channel (a refused
 * command: a frame too large, an unknown delivery tag, an inequivalent declaration) and
 * any {@code AmqpException} of no outage type (Spring AMQP wraps every unforeseen
 * exception, such as the client's {@code IllegalArgumentException} for a header larger
 * than a frame, in {@code UncategorizedAmqpException}); a commit that failed for a reason
 * other than the connection.
 */
final class TransientFailures {

    private TransientFailures() {
    }

    /**
     * Whether {@code failure}, or one of its causes, is an outage or a conflict that
     * passes.
     */
    static boolean isTransient(Throwable failure) {
        if (isRefusedByBroker(failure)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isTransientType(cause)) {
                return true;
            }
            if (cause instanceof SQLException sql && isTransientState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A channel-level error: the broker is up and refuses what we sent, which it will
     * refuse again.
     */
    private static boolean isRefusedByBroker(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException shutdown) {
                return !shutdown.isHardError() && !shutdown.isInitiatedByApplication();
            }
        }
        return false;
    }

    private static boolean isTransientType(Throwable cause) {
        return cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                || cause instanceof DataAccessResourceFailureException
                || cause instanceof PessimisticLockingFailureException
                || cause instanceof CannotCreateTransactionException || cause instanceof SQLTransientException
                || cause instanceof SQLRecoverableException
                // the network or the broker: connection lost, no confirm in time, out of
                // channels
                || cause instanceof IOException || cause instanceof AmqpConnectException
                || cause instanceof AmqpTimeoutException || cause instanceof AmqpResourceNotAvailableException;
    }

    /**
     * SQLSTATE classes that pass: 08 connection, 40 transaction rollback (serialization
     * failure, deadlock), 53 insufficient resources, 57P admin shutdown / cannot connect
     * now, 55P03 lock not available, 58 system error; and two that an operator fixes,
     * which no message can cause (every statement is parameterised): 28 invalid
     * authorization and 42 syntax error or access rule violation (a missing table or
     * privilege). Dead-lettering every message as {@code processing-failed} while the
     * database is misconfigured would empty the queue into the dead-letter queue; waiting
     * keeps the readings for when it is fixed.
     */
    static boolean isTransientState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57P") || state.equals("55P03") || state.startsWith("58") || state.startsWith("28")
                || state.startsWith("42"));
    }

}
