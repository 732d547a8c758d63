package io.sensorhub.crud.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP proxy on a local port that a test can cut and restore, to make a real server unreachable. */
public final class TcpProxy {

    private final String targetHost;

    private final int targetPort;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile ServerSocket server;

    private int port;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts listening (on a free port the first time, on the same port afterwards). */
    public synchronized TcpProxy start() {
        if (this.server != null && !this.server.isClosed()) {
            return this;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", this.port));
            this.port = socket.getLocalPort();
            this.server = socket;
            daemon(() -> acceptLoop(socket), "proxy-accept");
            return this;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start the proxy", ex);
        }
    }

    /** Stops listening and cuts every connection. */
    public synchronized void stop() {
        closeQuietly(this.server);
        this.sockets.forEach(TcpProxy::closeQuietly);
        this.sockets.clear();
    }

    public int port() {
        return this.port;
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket(this.targetHost, this.targetPort);
                this.sockets.add(client);
                this.sockets.add(upstream);
                daemon(() -> pump(client, upstream), "proxy-up");
                daemon(() -> pump(upstream, client), "proxy-down");
            }
            catch (IOException ex) {
                // closed by stop(), or the target refused: the client sees its connection fail
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        catch (IOException ex) {
            // connection cut
        }
        finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        }
        catch (Exception ex) {
            // already closed
        }
    }
}
