package io.sensorhub.crud.web;

import java.io.EOFException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures that only say "the connection broke" are a 503, however Spring wrapped them.
 */
class ConnectionLostTest {

    @Test
    void aRollbackThatFailedOnAClosedConnectionIsALostConnection() {
        JpaSystemException rollback = new JpaSystemException(new RuntimeException(
                "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")));
        assertThat(ApiExceptionHandler.connectionLost(rollback)).isTrue();
        assertThat(ApiExceptionHandler.connectionLost(new TransactionSystemException("x", new EOFException())))
            .isTrue();
        assertThat(ApiExceptionHandler.connectionLost(new RuntimeException(new SQLException("gone", "08006"))))
            .isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(ApiExceptionHandler.connectionLost(new IllegalStateException("bug"))).isFalse();
        assertThat(ApiExceptionHandler.connectionLost(new RuntimeException(new SQLException("syntax", "42601"))))
            .isFalse();
    }

}
