package io.sensorhub.quickstart;

import java.net.URL;
import java.net.URLStreamHandler;

import org.apache.qpid.server.util.urlstreamhandler.classpath.Handler;

/**
 * Makes Qpid Broker-J's {@code classpath:} URLs resolvable inside the executable jar.
 * <p>
 * Qpid reads its defaults through URLs such as {@code classpath:system.properties} and
 * registers the handler for that protocol by adding its package to
 * {@code java.protocol.handler.pkgs}. The JDK loads handlers named there only through the
 * system class loader. From a flat class path that finds Qpid's handler; in Spring Boot's
 * executable jar Qpid lives in a nested jar that only Boot's launched class loader sees,
 * so {@code new URL("classpath:…")} failed with "unknown protocol: classpath" and the
 * broker never started. A {@link java.net.URLStreamHandlerFactory} is asked before that
 * lookup and is not bound to the system class loader, so it serves both layouts.
 */
final class QpidClasspathUrls {

    private static final String PROTOCOL = "classpath";

    private static boolean installed;

    private QpidClasspathUrls() {
    }

    /**
     * Installs the factory once per JVM. Every other protocol is left to the JDK's own
     * lookup (the factory answers null), so Spring Boot's {@code nested:} and the
     * standard protocols are unaffected.
     * @throws IllegalStateException if another component already installed a factory (the
     * JVM allows one)
     */
    static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            URL.setURLStreamHandlerFactory(QpidClasspathUrls::handlerFor);
        }
        catch (Error ex) {
            throw new IllegalStateException("Cannot register the classpath: URL protocol Qpid Broker-J needs", ex);
        }
        installed = true;
    }

    private static URLStreamHandler handlerFor(String protocol) {
        return PROTOCOL.equals(protocol) ? new Handler() : null;
    }

}
