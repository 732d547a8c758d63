package io.sensorhub.crud.stream;

import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.web.InvalidInputException;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Opens a client's stream: checks its {@code Last-Event-ID}, registers it with the
 * {@link EventHub} (its limits apply) and ties its end, however it comes, to the hub.
 */
@Component
class EventStreams {

    /** At most 18 digits: always a {@code long}. */
    private static final String ID = "[0-9]{1,18}";

    private final EventHub hub;

    private final ClientEventQueries queries;

    private final StreamProperties properties;

    EventStreams(EventHub hub, ClientEventQueries queries, StreamProperties properties) {
        this.hub = hub;
        this.queries = queries;
        this.properties = properties;
    }

    /**
     * @param lastEventId the {@code Last-Event-ID} header, or {@code null} for a stream
     * from now on
     * @throws InvalidInputException if it is not an id this server gave out
     */
    SseEmitter open(ClientCaller caller, String lastEventId) {
        Long resumeAfter = resumeAfter(lastEventId);
        // no timeout: the stream stays open until the client goes, or it is given up
        SseEmitter emitter = new SseEmitter(0L);
        Subscriber subscriber = new Subscriber(caller, emitter, resumeAfter, this.properties, this.queries,
                this.hub::remove);
        emitter.onCompletion(subscriber::close);
        emitter.onTimeout(subscriber::close);
        emitter.onError(error -> subscriber.close());
        this.hub.register(subscriber);
        return emitter;
    }

    private Long resumeAfter(String lastEventId) {
        if (lastEventId == null) {
            return null;
        }
        String id = lastEventId.strip();
        if (!id.matches(ID)) {
            throw new InvalidInputException("Last-Event-ID", "must be the id of an event this stream sent");
        }
        long value = Long.parseLong(id);
        if (value > this.queries.newest()) {
            throw new InvalidInputException("Last-Event-ID", "no event with this id was sent yet");
        }
        return value;
    }

}
