package io.sensorhub.crud.auth;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.sensorhub.crud.web.UnauthorizedException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every API request by its bearer token before anything else is read, and
 * records the {@link Caller}; the role an endpoint needs is checked where the caller is
 * resolved as an argument.
 */
@Component
class AuthInterceptor implements HandlerInterceptor {

    static final String CALLER_ATTRIBUTE = AuthInterceptor.class.getName() + ".caller";

    private static final String BEARER = "Bearer ";

    private final AdminToken adminToken;

    private final ClientTokens clientTokens;

    AuthInterceptor(AdminToken adminToken, ClientTokens clientTokens) {
        this.adminToken = adminToken;
        this.clientTokens = clientTokens;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(CALLER_ATTRIBUTE, authenticate(request.getHeader(HttpHeaders.AUTHORIZATION)));
        return true;
    }

    private Caller authenticate(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnauthorizedException("A bearer token is required");
        }
        byte[] hash = Tokens.hash(authorization.substring(BEARER.length()).trim());
        if (this.adminToken.matches(hash)) {
            return new AdminCaller();
        }
        UUID clientId = this.clientTokens.clientOf(hash)
            .orElseThrow(() -> new UnauthorizedException("The bearer token is not valid"));
        return new ClientCaller(clientId, hash);
    }

}
