package io.sensorhub.common.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy a test controls, to make a dependency unreachable without touching the
 * shared server: {@link #cut()} drops every connection and refuses new ones,
 * {@link #restore()} lets them through again.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;

    private final String targetHost;

    private final int targetPort;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private volatile boolean open = true;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return this.server.getLocalPort();
    }

    /** Drops every connection; new ones are closed at once until {@link #restore()}. */
    public void cut() {
        this.open = false;
        this.sockets.forEach(TcpProxy::closeQuietly);
        this.sockets.clear();
    }

    public void restore() {
        this.open = true;
    }

    @Override
    public void close() {
        cut();
        closeQuietly(this.server);
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                if (!this.open) {
                    client.close();
                    continue;
                }
                Socket target = new Socket(this.targetHost, this.targetPort);
                this.sockets.add(client);
                this.sockets.add(target);
                pump(client, target);
                pump(target, client);
            }
            catch (IOException ex) {
                // a refused or broken connection: the client sees it as the dependency
                // being down
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
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
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ex) {
            // closing anyway
        }
    }

}
