package io.sensorhub.crud.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sensorhub.crud.auth.AdminCaller;
import io.sensorhub.crud.auth.ClientCaller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI document at {@code /v3/api-docs}: the bearer scheme on every operation, and
 * each operation's error responses with the {@code Problem} schema (problem+json),
 * derived from what the handler takes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer";

    static final String PROBLEM = "Problem";

    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

    static {
        // The caller is resolved from the bearer token, not read from the request.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AdminCaller.class, ClientCaller.class);
    }

    @Bean
    OpenAPI sensorHubOpenApi() {
        return new OpenAPI()
            .info(new Info().title("SensorHub API")
                .version("v1")
                .description("Clients, sensors, history and webhooks. Errors are RFC 9457 problem+json."))
            .components(new Components()
                .addSecuritySchemes(BEARER,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .description("The admin token (clients) or a client token (everything else)"))
                .addSchemas("FieldViolation", fieldViolationSchema())
                .addSchemas(PROBLEM, problemSchema()))
            .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            errorStatuses(handler).forEach((status, description) -> addProblem(operation, status, description));
            return operation;
        };
    }

    private static Map<String, String> errorStatuses(HandlerMethod handler) {
        Map<String, String> statuses = new LinkedHashMap<>();
        statuses.put("400", "Invalid input");
        statuses.put("401", "No bearer token, or an invalid one");
        statuses.put("403", "A token of the wrong role");
        if (hasParameter(handler, PathVariable.class)) {
            statuses.put("404", "Not found, or not yours");
        }
        if (!handler.hasMethodAnnotation(GetMapping.class)) {
            statuses.put("409", "Conflicts with the current state");
        }
        if (hasIfMatch(handler)) {
            statuses.put("412", "If-Match does not name the current ETag");
        }
        if (hasParameter(handler, RequestBody.class)) {
            statuses.put("413", "Request body too large");
            statuses.put("415", "Unsupported media type");
        }
        Limited limited = handler.getMethodAnnotation(Limited.class);
        if (limited != null) {
            statuses.put("429", limited.value() + "; Retry-After says when to ask again");
        }
        statuses.put("503", "A dependency is unavailable");
        return statuses;
    }

    private static boolean hasParameter(HandlerMethod handler, Class<? extends java.lang.annotation.Annotation> type) {
        return Arrays.stream(handler.getMethodParameters())
            .anyMatch(parameter -> parameter.hasParameterAnnotation(type));
    }

    private static boolean hasIfMatch(HandlerMethod handler) {
        return Arrays.stream(handler.getMethodParameters())
            .map(parameter -> parameter.getParameterAnnotation(RequestHeader.class))
            .anyMatch(header -> header != null && HttpHeaders.IF_MATCH.equals(header.name()));
    }

    private static void addProblem(Operation operation, String status, String description) {
        Content content = new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref(PROBLEM_REF)));
        ApiResponse response = new ApiResponse().description(description).content(content);
        if (status.equals("429") || status.equals("503")) {
            response.addHeaderObject(HttpHeaders.RETRY_AFTER,
                    new Header().description("Seconds to wait before retrying").schema(new IntegerSchema()));
        }
        operation.getResponses().addApiResponse(status, response);
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
            .addProperty("type", new StringSchema().format("uri"))
            .addProperty("title", new StringSchema())
            .addProperty("status", new IntegerSchema())
            .addProperty("detail", new StringSchema())
            .addProperty("instance", new StringSchema().format("uri-reference"))
            .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldViolation"))
                .description("Present on validation errors: one entry per invalid field"));
    }

    private static Schema<?> fieldViolationSchema() {
        return new ObjectSchema().addProperty("field", new StringSchema()).addProperty("message", new StringSchema());
    }

}
