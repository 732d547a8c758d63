package io.sensorhub.notifier.wakeup;

import java.util.List;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.notify.PostgresNotifications;
import org.springframework.context.SmartLifecycle;

/**
 * {@code LISTEN}s on a dedicated connection (see {@link PostgresNotifications}) for
 * {@value Channels#STATUS_CHANGES}, {@value Channels#DELIVERIES} and
 * {@value Channels#SILENCES}, and raises the {@link Wakeup}. A broken connection is
 * re-opened with backoff; after each (re)connect the loop is woken once, since
 * notifications sent while disconnected are lost (the polling fallback would catch them
 * later anyway).
 */
public class PostgresListener implements SmartLifecycle {

    private final Wakeup wakeup;

    private final PostgresNotifications notifications;

    public PostgresListener(String url, String user, String password, Wakeup wakeup) {
        this.wakeup = wakeup;
        this.notifications = new PostgresNotifications(url, user, password, "notifier-job listener", "pg-listener",
                List.of(Channels.STATUS_CHANGES, Channels.DELIVERIES, Channels.SILENCES),
                new PostgresNotifications.Callbacks(this::wakeAll, this::notified, () -> {
                }));
    }

    /** Whether the LISTEN connection is up. */
    public boolean connected() {
        return this.notifications.connected();
    }

    @Override
    public void start() {
        this.notifications.start();
    }

    @Override
    public void stop() {
        this.notifications.stop();
    }

    @Override
    public boolean isRunning() {
        return this.notifications.isRunning();
    }

    private void wakeAll() {
        this.wakeup.statusChanged();
        this.wakeup.deliveriesChanged();
        this.wakeup.silencesChanged();
    }

    private void notified(String channel, String payload) {
        if (Channels.STATUS_CHANGES.equals(channel)) {
            this.wakeup.statusChanged();
        }
        else if (Channels.SILENCES.equals(channel)) {
            this.wakeup.silencesChanged();
        }
        else {
            this.wakeup.deliveriesChanged();
        }
    }

}
