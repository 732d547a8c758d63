package io.sensorhub.crud.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place exceptions become RFC 9457 problem+json responses: SensorHub's own
 * {@link ApiException}s, Spring MVC's (400, 404, 405, 406, 415, …), unreadable bodies
 * with the offending field, and an unreachable database (503). Nothing a client sends
 * becomes a 500: a value PostgreSQL refuses as data (SQLState class 22, e.g. a NUL in a
 * text) is the client's bad input (400) wherever validation missed it, never a conflict.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private static final String RETRY_AFTER_SECONDS = "5";

    private static final Map<Integer, String> TYPES = Map.ofEntries(Map.entry(400, "bad-request"),
            Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"), Map.entry(404, "not-found"),
            Map.entry(405, "method-not-allowed"), Map.entry(406, "not-acceptable"), Map.entry(409, "conflict"),
            Map.entry(412, "precondition-failed"), Map.entry(413, "payload-too-large"),
            Map.entry(415, "unsupported-media-type"), Map.entry(429, "too-many-requests"),
            Map.entry(503, "service-unavailable"));

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException ex, WebRequest request) {
        ProblemDetail problem = problem(ex.status(), ex.getMessage(), ex.violations());
        problem.setType(ProblemTypes.uri(ex.problemType()));
        HttpHeaders headers = new HttpHeaders();
        if (ex instanceof UnauthorizedException) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (ex.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (ex instanceof TooManyRequestsException limited) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
        return handleExceptionInternal(ex, problem, headers, ex.status(), request);
    }

    @ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessResourceException.class, QueryTimeoutException.class })
    ResponseEntity<Object> handleUnavailable(Exception ex, WebRequest request) {
        log.warn("Database unavailable: {}", ex.getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "A dependency is unavailable; retry later",
                List.of());
        return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<Object> handleConcurrentUpdate(OptimisticLockingFailureException ex, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "The resource was modified concurrently; retry",
                List.of());
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.CONFLICT, request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleIntegrity(DataIntegrityViolationException ex, WebRequest request) {
        if (refusedData(ex)) {
            return handleRefusedData(ex, request);
        }
        log.debug("Integrity violation", ex);
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "The request conflicts with existing data", List.of());
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.CONFLICT, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        if (connectionLost(ex)) {
            // e.g. a rollback that failed because the connection broke, reported in place
            // of the original failure
            return handleUnavailable(ex, request);
        }
        if (refusedData(ex)) {
            return handleRefusedData(ex, request);
        }
        log.error("Unexpected error", ex);
        ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred", List.of());
        problem.setType(ProblemTypes.uri("internal-error"));
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /**
     * A value PostgreSQL refused as data: the request's input, which validation should
     * have caught. Logged as a warning (a validation gap to close); the database's
     * message, which may quote the value, is not answered.
     */
    private ResponseEntity<Object> handleRefusedData(Exception ex, WebRequest request) {
        log.warn("Input refused by the database as data (SQLState {}); a validation rule is missing",
                causedBy(ex, java.sql.SQLException.class).getSQLState());
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "The request holds a value that cannot be stored",
                List.of());
        problem.setType(ProblemTypes.uri("invalid-input"));
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /**
     * Whether PostgreSQL refused a value as data behind {@code ex} (SQLState class 22,
     * "data exception").
     */
    static boolean refusedData(Throwable ex) {
        for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a lost database connection is behind {@code ex} (SQLState class 08, or the
     * socket underneath).
     */
    static boolean connectionLost(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql
                    && (isConnectionState(sql.getSQLState()) || "Connection is closed".equals(sql.getMessage()))) {
                // the second is HikariCP's answer when the broken connection was already
                // evicted (no SQLState)
                return true;
            }
            if (cause instanceof java.net.SocketException || cause instanceof java.io.EOFException) {
                return true;
            }
            if (cause.getCause() == cause) {
                return false;
            }
        }
        return false;
    }

    private static boolean isConnectionState(String sqlState) {
        return sqlState != null && sqlState.startsWith("08");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "The request has invalid fields",
                violations(ex.getBindingResult()));
        problem.setType(ProblemTypes.uri("invalid-input"));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        ex.getParameterValidationResults()
            .forEach(result -> result.getResolvableErrors()
                .forEach(error -> violations.add(new FieldViolation(result.getMethodParameter().getParameterName(),
                        error.getDefaultMessage()))));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "The request has invalid fields", violations);
        problem.setType(ProblemTypes.uri("invalid-input"));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodySizeLimitFilter.BodyTooLargeException tooLarge = causedBy(ex,
                BodySizeLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return handleApi(new PayloadTooLargeException(tooLarge.limit()), request);
        }
        ProblemDetail problem = UnreadableBodies.of(ex);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
                : ex.getPropertyName();
        boolean pathVariable = (ex instanceof MethodArgumentTypeMismatchException mismatch) && mismatch.getParameter()
            .hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class);
        if (pathVariable) {
            return handleApi(new NotFoundException("resource", String.valueOf(ex.getValue())), request);
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "The request has invalid parameters",
                List.of(new FieldViolation(name, "has an invalid value")));
        problem.setType(ProblemTypes.uri("invalid-input"));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body == null && ex instanceof ErrorResponse errorResponse) {
            body = errorResponse.getBody();
        }
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
                problem.setType(ProblemTypes.uri(TYPES.getOrDefault(statusCode.value(), "error")));
            }
            if (problem.getDetail() == null) {
                problem.setDetail(defaultDetail(ex, statusCode));
            }
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    private static String defaultDetail(Exception ex, HttpStatusCode status) {
        if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
            return "Content-Type " + unsupported.getContentType() + " is not supported; send application/json";
        }
        if (ex instanceof HttpRequestMethodNotSupportedException method) {
            return "Method " + method.getMethod() + " is not supported here";
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return (known != null) ? known.getReasonPhrase() : "Error " + status.value();
    }

    static ProblemDetail problem(HttpStatusCode status, String detail, List<FieldViolation> violations) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (!violations.isEmpty()) {
            problem.setProperty("errors", violations);
        }
        return problem;
    }

    private static List<FieldViolation> violations(BindingResult result) {
        List<FieldViolation> violations = new ArrayList<>();
        result.getFieldErrors()
            .forEach(error -> violations
                .add(new FieldViolation(JsonErrors.cleanPath(error.getField()), error.getDefaultMessage())));
        result.getGlobalErrors()
            .forEach(error -> violations.add(new FieldViolation(error.getObjectName(), error.getDefaultMessage())));
        return violations;
    }

    static <T extends Throwable> T causedBy(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /**
     * Turns Jackson's reasons for an unreadable body into a 400 naming the field, without
     * Java internals.
     */
    static final class UnreadableBodies {

        private UnreadableBodies() {
        }

        static ProblemDetail of(HttpMessageNotReadableException ex) {
            UnrecognizedPropertyException unknown = causedBy(ex, UnrecognizedPropertyException.class);
            if (unknown != null) {
                return invalid(path(unknown), "is not a known field");
            }
            MismatchedInputException mismatch = causedBy(ex, MismatchedInputException.class);
            if (mismatch != null && !mismatch.getPath().isEmpty()) {
                return invalid(path(mismatch), "has the wrong type or an invalid value");
            }
            JacksonException jackson = causedBy(ex, JacksonException.class);
            if (jackson != null && !(jackson instanceof StreamReadException) && !jackson.getPath().isEmpty()) {
                return invalid(path(jackson), "has an invalid value");
            }
            String detail = (jackson != null || ex.getMessage() == null || !ex.getMessage().startsWith("Required"))
                    ? "The request body is not valid JSON of the expected shape" : "The request body is missing";
            return ApiExceptionHandler.problem(HttpStatus.BAD_REQUEST, detail, List.of());
        }

        private static ProblemDetail invalid(String field, String message) {
            ProblemDetail problem = ApiExceptionHandler.problem(HttpStatus.BAD_REQUEST,
                    "The request has invalid fields", List.of(new FieldViolation(field, message)));
            problem.setType(ProblemTypes.uri("invalid-input"));
            return problem;
        }

        private static String path(JacksonException ex) {
            return JsonErrors.field(ex);
        }

    }

}
