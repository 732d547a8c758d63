package io.sensorhub.crud.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sensorhub.common.concurrent.Threads;

/**
 * A server-sent events reader over the JDK's HTTP client, line by line, as a browser's
 * EventSource reads them: events (id, event, data) and comments, on a thread of its own.
 */
final class SseClient implements AutoCloseable {

    /** One event. */
    record Event(Long id, String type, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    final HttpResponse<Stream<String>> response;

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    final List<String> comments = new CopyOnWriteArrayList<>();

    volatile boolean ended;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Threads.start("sse-client", this::read);
        }
    }

    /** Opens a stream; {@code lastEventId} may be null. */
    static SseClient open(String baseUrl, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events/stream"))
            .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    /** The next event, waiting up to 30 s. */
    Event next() throws InterruptedException {
        Event event = this.events.poll(30, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("No event within 30 s");
        }
        return event;
    }

    /** The next {@code count} events. */
    List<Event> next(int count) throws InterruptedException {
        List<Event> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(next());
        }
        return list;
    }

    /** A body to read on failure. */
    String body() {
        return String.join("\n", this.response.body().toList());
    }

    private void read() {
        Long id = null;
        String type = null;
        StringBuilder data = null;
        try (Stream<String> lines = this.response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        this.events.add(new Event(id, (type != null) ? type : "message", data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                }
                else if (line.startsWith(":")) {
                    this.comments.add(line.substring(1).strip());
                }
                else if (line.startsWith("id:")) {
                    id = Long.valueOf(line.substring(3).strip());
                }
                else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                }
                else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        }
        catch (RuntimeException ex) {
            // closed
        }
        finally {
            this.ended = true;
        }
    }

    @Override
    public void close() {
        this.response.body().close();
    }

}
