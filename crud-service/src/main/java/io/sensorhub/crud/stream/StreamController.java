package io.sensorhub.crud.stream;

import jakarta.servlet.http.HttpServletResponse;
import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.web.Limited;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The live event stream of the calling client (docs/api.md, live stream). */
@RestController
@Tag(name = "Live stream", description = "Every event of the client as server-sent events, resumable")
class StreamController {

    private final EventStreams streams;

    StreamController(EventStreams streams) {
        this.streams = streams;
    }

    @GetMapping(path = "/api/v1/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream the client's events", description = """
            Every event of the client (status changes, silenced ones with "silenced": true, reminders, \
            events about webhooks) as server-sent events: `id` (give it back as `Last-Event-ID` to resume), \
            `event` (the event type) and `data` (the body a webhook receives). A comment line comes at \
            least every 15 s. Resuming replays, in order, what was missed within 24 hours, then goes on \
            live; `stream.reset` first says that some of it was older and is gone. A reader that falls too \
            far behind gets `stream.overflow`, saying from which id to resume, and is disconnected.""")
    @ApiResponse(responseCode = "200", description = "The stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(type = "string", example = """
                            id: 1042
                            event: sensor.status_changed
                            data: {"data": {"sensorId": "boiler-1", "status": "CRITICAL", "...": "..."}, \
                            "type": "sensor.status_changed", "timestamp": "2026-12-06T08:00:00.000Z"}
                            """)))
    @Limited("Too many open streams: of this client, or on this server")
    SseEmitter stream(ClientCaller caller,
            @Parameter(description = "The id of the last event received, to resume after it") @RequestHeader(
                    name = "Last-Event-ID", required = false) String lastEventId,
            HttpServletResponse response) {
        SseEmitter emitter = this.streams.open(caller, lastEventId);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        // nginx passes it through as it comes, whatever its configuration
        response.setHeader("X-Accel-Buffering", "no");
        return emitter;
    }

}
