package io.sensorhub.crud.stream;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.crud.auth.ClientCaller;
import io.sensorhub.crud.web.ProblemTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open stream: a bounded queue the {@link EventHub} offers its client's events to
 * (never waiting), and a thread of its own that writes them, so a slow reader holds up
 * only itself. The hub offers nothing to a stream still replaying; a resumed stream
 * replays from the log after its {@code Last-Event-ID}, then takes live events, reads the
 * log once more (whatever was committed while it switched), and from then on writes only
 * ids above the last it wrote: none missed, none twice.
 * <p>
 * A reader so slow that {@code queue-capacity} events pile up is given up: its queue is
 * emptied, and its last event, {@value #OVERFLOW}, says from which id to resume. (If it
 * reads nothing at all, the write of that last event waits for the server's write
 * timeout, which then closes the connection.)
 */
final class Subscriber {

    static final String OVERFLOW = "stream.overflow";

    static final String RESET = "stream.reset";

    static final String REVOKED = "stream.revoked";

    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

    /** Wakes the writing thread; never written. */
    private static final StreamEvent WAKE = new StreamEvent(-1, null, null, null);

    private final ClientCaller caller;

    private final UUID clientId;

    private final SseEmitter emitter;

    private final BlockingQueue<StreamEvent> queue;

    private final StreamProperties properties;

    private final ClientEventQueries queries;

    /** The id to resume after, or {@code null} for a stream from now on. */
    private final Long resumeAfter;

    private final Consumer<Subscriber> ended;

    private volatile boolean live;

    private volatile boolean overflowed;

    private volatile boolean closing;

    private volatile boolean revoked;

    /**
     * The last id written, or (before any) the id after which this stream starts; only
     * the writing thread changes it after {@link #startAfter}.
     */
    private volatile long lastSent;

    Subscriber(ClientCaller caller, SseEmitter emitter, Long resumeAfter, StreamProperties properties,
            ClientEventQueries queries, Consumer<Subscriber> ended) {
        this.caller = caller;
        this.clientId = caller.clientId();
        this.emitter = emitter;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity() + 1);
        this.properties = properties;
        this.queries = queries;
        this.resumeAfter = resumeAfter;
        this.ended = ended;
        this.live = resumeAfter == null;
        this.lastSent = (resumeAfter != null) ? resumeAfter : 0;
    }

    UUID clientId() {
        return this.clientId;
    }

    /** Whether the token this stream was opened with is the one with this hash. */
    boolean openedWithTokenHashed(byte[] current) {
        return this.caller.holdsTokenHashed(current);
    }

    /**
     * For a stream from now on: the hub's position when it was registered, so an overflow
     * can say where to resume.
     */
    void startAfter(long id) {
        if (this.resumeAfter == null) {
            this.lastSent = id;
        }
    }

    /** Starts the writing thread. */
    void start() {
        Threads.start("stream-" + this.clientId.toString().substring(0, 8), this::run);
    }

    /**
     * Queues a live event; called by the hub's reader thread, never waits. A full queue
     * gives the reader up: it is told, and dropped from the hub.
     * @return false if this stream is given up
     */
    boolean offer(StreamEvent event) {
        if (!this.live || this.closing) {
            return !this.closing;
        }
        if (this.queue.size() < this.properties.queueCapacity() && this.queue.offer(event)) {
            return true;
        }
        this.overflowed = true;
        this.queue.clear();
        this.queue.offer(WAKE);
        return false;
    }

    /**
     * Ends the stream because the token it was opened with no longer works: its last
     * event, {@value #REVOKED}, says so and from which id to resume with the current one.
     */
    void revoke() {
        this.revoked = true;
        this.queue.offer(WAKE);
    }

    /**
     * Ends the stream: its writing thread completes it (the client went, or shutdown).
     */
    void close() {
        this.closing = true;
        this.queue.offer(WAKE);
    }

    private void run() {
        try {
            this.emitter.send(SseEmitter.event().comment("open"));
            if (this.resumeAfter != null) {
                if (this.resumeAfter < this.queries.prunedUpTo()) {
                    sendReset();
                }
                replay();
                this.live = true;
                replay();
            }
            while (!this.closing && !this.revoked) {
                StreamEvent event = this.queue.poll(this.properties.keepAlive().toMillis(), TimeUnit.MILLISECONDS);
                if (this.overflowed) {
                    sendOverflow();
                    break;
                }
                if (event == null) {
                    this.emitter.send(SseEmitter.event().comment("keep-alive"));
                }
                else if (event != WAKE && event.id() > this.lastSent) {
                    send(event);
                }
            }
            if (this.revoked && !this.closing) {
                sendRevoked();
            }
            complete();
        }
        catch (IOException | IllegalStateException ex) {
            // the client went away (or the request already ended): the container ends it
            log.debug("Stream of client {} ended: {}", this.clientId, ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            complete();
        }
        catch (RuntimeException ex) {
            log.warn("Stream of client {} failed: {}", this.clientId, ex.toString());
            complete();
        }
        finally {
            this.closing = true;
            this.ended.accept(this);
        }
    }

    /** Writes the client's events after the last one written, from the log. */
    private void replay() throws IOException {
        List<StreamEvent> page;
        do {
            page = this.queries.after(this.clientId, this.lastSent, this.properties.replayPage());
            for (StreamEvent event : page) {
                if (this.closing || this.revoked) {
                    return;
                }
                send(event);
            }
        }
        while (page.size() == this.properties.replayPage());
    }

    private void send(StreamEvent event) throws IOException {
        this.emitter.send(SseEmitter.event()
            .id(Long.toString(event.id()))
            .name(event.type())
            .data(event.body(), MediaType.APPLICATION_JSON));
        this.lastSent = event.id();
    }

    private void sendOverflow() throws IOException {
        sendNotice(OVERFLOW, "Reader too slow",
                "This stream's reader fell " + this.properties.queueCapacity()
                        + " events behind and was disconnected; reconnect with Last-Event-ID: " + this.lastSent,
                this.lastSent);
    }

    private void sendRevoked() throws IOException {
        sendNotice(REVOKED, "Token no longer valid",
                "The token this stream was opened with was replaced, or its client deleted; "
                        + "open a new stream with the current token and Last-Event-ID: " + this.lastSent,
                this.lastSent);
    }

    private void sendReset() throws IOException {
        sendNotice(RESET, "Events missed",
                "Events after id " + this.resumeAfter
                        + " may have been deleted (they are kept 24 hours); the stream goes on with the oldest kept",
                this.resumeAfter);
    }

    /**
     * A notice about the stream itself: an event named {@code type}, its body
     * problem-like.
     */
    private void sendNotice(String type, String title, String detail, long lastEventId) throws IOException {
        String body = "{\"type\":\"" + ProblemTypes.uri(type.replace('.', '-')) + "\",\"title\":\"" + title
                + "\",\"detail\":\"" + detail + "\",\"lastEventId\":" + lastEventId + "}";
        this.emitter.send(SseEmitter.event().name(type).data(body, MediaType.APPLICATION_JSON));
    }

    private void complete() {
        try {
            this.emitter.complete();
        }
        catch (RuntimeException ex) {
            log.debug("Completing the stream of client {} failed: {}", this.clientId, ex.toString());
        }
    }

}
