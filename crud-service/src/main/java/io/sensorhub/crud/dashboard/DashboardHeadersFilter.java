package io.sensorhub.crud.dashboard;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers. Every response is {@code nosniff} and sends no referrer; the
 * dashboard's page and files also get a Content-Security-Policy that allows only this
 * origin's scripts, styles and connections (no inline script: a name or comment of the
 * client's that slipped into the page could not run), forbids framing, and makes browsers
 * revalidate them so a new version is seen at once. Swagger UI keeps its own rules.
 */
@Component
class DashboardHeadersFilter extends OncePerRequestFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (isDashboard(request.getRequestURI().substring(request.getContextPath().length()))) {
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
        chain.doFilter(request, response);
    }

    static boolean isDashboard(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/dashboard/")
                || path.startsWith("/webjars/uplot/");
    }

}
