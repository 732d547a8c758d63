package io.sensorhub.crud.web;

import java.io.IOException;

import io.sensorhub.common.logging.Correlation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a correlation id: the caller's (or nginx's) {@code X-Request-Id}
 * when it is acceptable, else a new one. It is echoed in the response, put in every log
 * line of the request and stored with the deliveries the request causes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Request-Id";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = Correlation.acceptOrCreate(request.getHeader(HEADER));
        response.setHeader(HEADER, id);
        try (MDC.MDCCloseable scope = Correlation.open(id)) {
            chain.doFilter(request, response);
        }
    }

}
