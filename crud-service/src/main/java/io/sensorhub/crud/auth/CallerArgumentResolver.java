package io.sensorhub.crud.auth;

import io.sensorhub.crud.web.ForbiddenException;
import io.sensorhub.crud.web.UnauthorizedException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Supplies a controller's {@link AdminCaller} or {@link ClientCaller} parameter,
 * answering 403 when the request was made with the other role's token. Declaring the
 * parameter is how an endpoint states its role.
 */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return type == AdminCaller.class || type == ClientCaller.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Object caller = webRequest.getAttribute(AuthInterceptor.CALLER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (caller == null) {
            throw new UnauthorizedException("A bearer token is required");
        }
        if (!parameter.getParameterType().isInstance(caller)) {
            throw new ForbiddenException(
                    (caller instanceof AdminCaller) ? "The admin token manages clients only; use a client token"
                            : "This endpoint needs the admin token");
        }
        return caller;
    }

}
