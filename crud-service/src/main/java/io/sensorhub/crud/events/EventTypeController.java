package io.sensorhub.crud.events;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The event catalogue; any token may read it (it holds nothing of a client's). */
@RestController
@Tag(name = "Event types", description = "What webhooks can receive, with an example body each")
class EventTypeController {

    private final EventCatalogue catalogue;

    EventTypeController(EventCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping(path = "/api/v1/event-types", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List the event types a webhook can receive, each with a description and an example body")
    EventTypes list() {
        return new EventTypes(this.catalogue.eventTypes());
    }

    /** The catalogue. */
    record EventTypes(List<EventTypeResponse> items) {
    }

    /**
     * One event type.
     *
     * @param type its name: a body's {@code type}, and what a webhook lists in
     * {@code eventTypes}
     * @param description when it is sent
     * @param example a body of this type, as it is POSTed
     */
    record EventTypeResponse(String type, String description,
            @Schema(description = "A body of this type, as POSTed to a webhook", oneOf = {
                    EventBodies.StatusChanged.class, EventBodies.StatusReminder.class, EventBodies.WebhookFailing.class,
                    EventBodies.WebhookDisabled.class, EventBodies.WebhookRecovered.class,
                    EventBodies.WebhookTest.class }) Object example){
    }

}
