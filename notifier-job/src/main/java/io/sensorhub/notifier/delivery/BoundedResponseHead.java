package io.sensorhub.notifier.delivery;

import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.HttpMessageParserFactory;
import org.apache.hc.core5.http.io.HttpTransportMetrics;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * Caps the bytes of a response's head (status line and header lines) that the HTTP client
 * reads. The client's own limits are per line and per header count, and unlimited by
 * default: a receiver streaming header lines would be buffered until the attempt times
 * out. Here the lines are counted as the parser reads them, and the first one past the
 * cap ends the attempt with a {@link MessageConstraintException}. Each response (an
 * interim 1xx one too) has the whole cap, and none is kept once parsed.
 */
final class BoundedResponseHead implements HttpMessageParserFactory<ClassicHttpResponse> {

    private final int maxBytes;

    BoundedResponseHead(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The connections' settings: no single line may be longer than the whole cap either.
     */
    Http1Config http1Config() {
        return Http1Config.custom().setMaxLineLength(this.maxBytes).build();
    }

    /** What an attempt reports when the cap is exceeded. */
    String error() {
        return "response headers exceed " + this.maxBytes + " bytes (sensorhub.webhooks.max-response-header-bytes)";
    }

    @Override
    public HttpMessageParser<ClassicHttpResponse> create(Http1Config config) {
        DefaultHttpResponseParser parser = new DefaultHttpResponseParser(config);
        return (buffer, input) -> parser.parse(new Counted(buffer), input);
    }

    /**
     * The connection's buffer, counting the head's lines (and their line ends) as they
     * are read.
     */
    private final class Counted implements SessionInputBuffer {

        private final SessionInputBuffer buffer;

        private long read;

        Counted(SessionInputBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int readLine(CharArrayBuffer line, InputStream input) throws IOException {
            int before = line.length();
            int result = this.buffer.readLine(line, input);
            this.read += Math.max(0, line.length() - before) + 2;
            if (this.read > BoundedResponseHead.this.maxBytes) {
                throw new MessageConstraintException(error());
            }
            return result;
        }

        @Override
        public int length() {
            return this.buffer.length();
        }

        @Override
        public int capacity() {
            return this.buffer.capacity();
        }

        @Override
        public int available() {
            return this.buffer.available();
        }

        @Override
        public int read(byte[] bytes, int offset, int length, InputStream input) throws IOException {
            return this.buffer.read(bytes, offset, length, input);
        }

        @Override
        public int read(byte[] bytes, InputStream input) throws IOException {
            return this.buffer.read(bytes, input);
        }

        @Override
        public int read(InputStream input) throws IOException {
            return this.buffer.read(input);
        }

        @Override
        public HttpTransportMetrics getMetrics() {
            return this.buffer.getMetrics();
        }

    }

}
