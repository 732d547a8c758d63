package io.sensorhub.crud.web;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety net behind input validation: a value PostgreSQL refuses as data (SQLState
 * class 22) is the client's bad input, a 400, whatever Spring translated it to; a
 * constraint violation (class 23) stays a 409.
 */
class DataExceptionMappingTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    private final ServletWebRequest request = new ServletWebRequest(new MockHttpServletRequest());

    @Test
    void aNulInATextValueIsABadRequest() {
        SQLException nul = new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        ResponseEntity<Object> response = this.handler
            .handleIntegrity(new DataIntegrityViolationException("could not execute statement", nul), this.request);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        ProblemDetail problem = (ProblemDetail) response.getBody();
        assertThat(problem.getDetail()).doesNotContain("0x00").doesNotContain("UTF8");
    }

    @Test
    void anyDataExceptionIsABadRequestEvenWhenTranslatedOtherwise() {
        SQLException outOfRange = new SQLException("value out of range", "22003");
        ResponseEntity<Object> response = this.handler
            .handleUnexpected(new InvalidDataAccessResourceUsageException("bad", outOfRange), this.request);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void aUniqueViolationIsStillAConflict() {
        SQLException taken = new SQLException("duplicate key", "23505");
        ResponseEntity<Object> response = this.handler
            .handleIntegrity(new DataIntegrityViolationException("duplicate", taken), this.request);
        assertThat(response.getStatusCode().value()).isEqualTo(409);
    }

}
