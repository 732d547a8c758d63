package io.sensorhub.crud.events;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sensorhub.common.events.EventType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts every webhook body in the OpenAPI document: each {@link EventBodies} schema in its
 * components, and each event type under the document's {@code webhooks} (OpenAPI 3.1: the
 * requests SensorHub sends), with its body.
 */
@Configuration(proxyBeanMethods = false)
class EventBodiesDocumentation {

    private static final Map<EventType, Class<?>> BODIES = new LinkedHashMap<>();

    static {
        BODIES.put(EventType.STATUS_CHANGED, EventBodies.StatusChanged.class);
        BODIES.put(EventType.STATUS_REMINDER, EventBodies.StatusReminder.class);
        BODIES.put(EventType.WEBHOOK_FAILING, EventBodies.WebhookFailing.class);
        BODIES.put(EventType.WEBHOOK_DISABLED, EventBodies.WebhookDisabled.class);
        BODIES.put(EventType.WEBHOOK_RECOVERED, EventBodies.WebhookRecovered.class);
        BODIES.put(EventType.WEBHOOK_TEST, EventBodies.WebhookTest.class);
    }

    @Bean
    OpenApiCustomizer webhookBodies() {
        return openApi -> BODIES.forEach((type, body) -> {
            Map<String, Schema> schemas = ModelConverters.getInstance(true).readAll(new AnnotatedType(body));
            schemas.forEach(openApi.getComponents()::addSchemas);
            String name = body.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class).name();
            openApi.addWebhooks(type.wireName(), new PathItem().post(new Operation().summary(type.wireName())
                .description("Signed with the Standard Webhooks headers (webhook-id, webhook-timestamp, "
                        + "webhook-signature); any 2xx within the timeout is success")
                .requestBody(new RequestBody().required(true)
                    .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + name)))))
                .responses(new ApiResponses().addApiResponse("2XX", new ApiResponse().description("Received")))));
        });
    }

}
