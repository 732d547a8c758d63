package io.sensorhub.notifier.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile webhook receiver on 127.0.0.1 that writes raw bytes instead of HTTP: whatever
 * its script writes to each connection, without reading the request. It counts
 * connections and the bytes it managed to write.
 */
public final class RawReceiver implements AutoCloseable {

    private final ServerSocket server;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final AtomicInteger connections = new AtomicInteger();

    private final AtomicLong bytesWritten = new AtomicLong();

    private final Script script;

    public RawReceiver(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.executor.execute(this::accept);
    }

    /**
     * Response headers that never end: a status line, then header lines until the client
     * hangs up (or 1 GiB).
     */
    public static RawReceiver endlessHeaders() throws IOException {
        return new RawReceiver(out -> {
            out.write("HTTP/1.1 200 OK\r\n");
            byte[] line = ("X-Flood: " + "a".repeat(1000) + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (long i = 0; i < (1L << 30) / line.length; i++) {
                out.write(line);
            }
        });
    }

    public String url(String path) {
        return "http://127.0.0.1:" + this.server.getLocalPort() + path;
    }

    public int connections() {
        return this.connections.get();
    }

    /** Bytes written to clients (including what never left the socket buffers). */
    public long bytesWritten() {
        return this.bytesWritten.get();
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket socket = this.server.accept();
                this.connections.incrementAndGet();
                this.executor.execute(() -> serve(socket));
            }
            catch (IOException ex) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; OutputStream out = socket.getOutputStream()) {
            this.script.write(new Counting(out));
        }
        catch (IOException ex) {
            // the client hung up: what a hostile receiver is after is how long that takes
        }
    }

    @Override
    public void close() throws IOException {
        this.server.close();
        this.executor.shutdownNow();
    }

    /** What the receiver writes to one connection. */
    @FunctionalInterface
    public interface Script {

        void write(Counting out) throws IOException;

    }

    /** The connection's output, counted. */
    public final class Counting {

        private final OutputStream out;

        Counting(OutputStream out) {
            this.out = out;
        }

        public void write(byte[] bytes) throws IOException {
            this.out.write(bytes);
            RawReceiver.this.bytesWritten.addAndGet(bytes.length);
        }

        /**
         * Writes text as ISO-8859-1: one byte per char, so any byte value can be sent.
         */
        public void write(String text) throws IOException {
            write(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        public void flush() throws IOException {
            this.out.flush();
        }

    }

}
