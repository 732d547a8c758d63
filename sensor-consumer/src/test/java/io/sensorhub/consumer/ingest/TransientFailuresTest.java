package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.amqp.UncategorizedAmqpException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only outages and conflicts that pass are transient; everything else may end as
 * {@code processing-failed}.
 */
class TransientFailuresTest {

    @Test
    void outagesAreTransient() {
        assertThat(TransientFailures.isTransient(new CannotCreateTransactionException("no connection"))).isTrue();
        assertThat(TransientFailures.isTransient(new AmqpConnectException(new ConnectException("refused")))).isTrue();
        assertThat(TransientFailures.isTransient(new AmqpTimeoutException("no confirm", new TimeoutException())))
            .isTrue();
        assertThat(TransientFailures.isTransient(sql("08006"))).isTrue();
        assertThat(TransientFailures
            .isTransient(new TransactionSystemException("commit failed", new SQLException("io", "08006")))).isTrue();
        assertThat(TransientFailures.isTransient(new QueryTimeoutException("slow"))).isTrue();
        assertThat(TransientFailures.isTransient(new AmqpIOException(new IOException("connection reset")))).isTrue();
    }

    @Test
    void conflictsThatPassAreTransient() {
        assertThat(TransientFailures.isTransient(sql("40001"))).isTrue();
        assertThat(TransientFailures.isTransient(sql("40P01"))).isTrue();
        assertThat(TransientFailures.isTransient(sql("55P03"))).isTrue();
    }

    /**
     * No message can cause these; dead-lettering every message until an operator fixes
     * them would empty the queue.
     */
    @Test
    void aMisconfiguredDatabaseIsTransient() {
        assertThat(TransientFailures.isTransient(sql("42501"))).isTrue();
        assertThat(TransientFailures.isTransient(sql("42P01"))).isTrue();
        assertThat(TransientFailures.isTransient(sql("28P01"))).isTrue();
    }

    /**
     * The failure that halted all ingest: a header larger than a frame, wrapped by Spring
     * AMQP.
     */
    @Test
    void anUnforeseenExceptionWrappedBySpringAmqpIsNotTransient() {
        IllegalArgumentException frame = new IllegalArgumentException(
                "Content headers exceeded max frame size: 140233 > 131072");
        assertThat(TransientFailures.isTransient(new UncategorizedAmqpException(frame))).isFalse();
    }

    @Test
    void aCommandTheBrokerRefusesIsNotTransient() {
        ShutdownSignalException refused = new ShutdownSignalException(false, false, null, "channel");
        assertThat(TransientFailures.isTransient(new AmqpIOException(new IOException(refused)))).isFalse();
    }

    @Test
    void badDataAndFailedCommitsOfBadDataAreNotTransient() {
        assertThat(TransientFailures.isTransient(sql("22021"))).isFalse();
        assertThat(TransientFailures.isTransient(sql("P0001"))).isFalse();
        assertThat(TransientFailures.isTransient(new DataIntegrityViolationException("constraint"))).isFalse();
        assertThat(TransientFailures
            .isTransient(new TransactionSystemException("commit failed", new SQLException("deferred", "23503"))))
            .isFalse();
        assertThat(TransientFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    }

    private static UncategorizedSQLException sql(String state) {
        return new UncategorizedSQLException("ingest", "INSERT", new SQLException("failed", state));
    }

}
