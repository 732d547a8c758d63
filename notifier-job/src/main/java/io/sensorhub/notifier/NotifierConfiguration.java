package io.sensorhub.notifier;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.addresses.DeadlineResolver;
import io.sensorhub.common.addresses.HostResolver;
import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.notifier.addresses.GuardedDnsResolver;
import io.sensorhub.notifier.delivery.DeliveryLoop;
import io.sensorhub.notifier.delivery.DeliveryPolicy;
import io.sensorhub.notifier.delivery.DeliveryProperties;
import io.sensorhub.notifier.delivery.DeliveryRecords;
import io.sensorhub.notifier.delivery.RetrySchedule;
import io.sensorhub.notifier.delivery.WebhookClient;
import io.sensorhub.notifier.fanout.FanOut;
import io.sensorhub.notifier.fanout.FanOutLoop;
import io.sensorhub.notifier.silences.SilenceProperties;
import io.sensorhub.notifier.silences.SilenceRelease;
import io.sensorhub.notifier.silences.SilenceReleaseLoop;
import io.sensorhub.notifier.stream.ClientEventRetention;
import io.sensorhub.notifier.stream.ClientEventLogProperties;
import io.sensorhub.notifier.fanout.WebhookEventFanOut;
import io.sensorhub.notifier.reminders.ReminderLoop;
import io.sensorhub.notifier.reminders.Reminders;
import io.sensorhub.notifier.wakeup.PostgresListener;
import io.sensorhub.notifier.wakeup.Wakeup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires notifier-job: the wake-up, fan-out, reminders, delivery loop and release of
 * silenced sensors.
 */
@Configuration(proxyBeanMethods = false)
class NotifierConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NotifierConfiguration.class);

    @Bean
    Wakeup wakeup() {
        return new Wakeup();
    }

    @Bean
    PostgresListener postgresListener(DataSourceProperties dataSource, Wakeup wakeup) {
        return new PostgresListener(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword(), wakeup);
    }

    /**
     * The delivery loop's own small pool, whose sessions commit with
     * {@code sensorhub.webhooks.bookkeeping-commit} (see {@link DeliveryProperties}) and
     * plan with {@link DeliveryRecords#PLANNER_SETTINGS}; everything else uses the
     * application's pool.
     */
    @Bean(destroyMethod = "close")
    BookkeepingDataSource bookkeepingDataSource(DataSourceProperties dataSource, DeliveryProperties properties) {
        HikariDataSource pool = dataSource.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        pool.setPoolName("bookkeeping");
        pool.setMaximumPoolSize(4); // one each: fan-out, delivery loop, reminders, and
                                    // one spare
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(5000);
        pool.setConnectionInitSql(
                "SET synchronous_commit = " + properties.bookkeepingCommit() + "; " + DeliveryRecords.PLANNER_SETTINGS);
        return new BookkeepingDataSource(pool);
    }

    /**
     * What "now" is for silences (when one ends); tests replace it with a clock they
     * move.
     */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    FanOut fanOut(BookkeepingDataSource bookkeeping, Clock clock) {
        return new FanOut(JdbcClient.create(bookkeeping.pool()), bookkeeping.transactions(), clock);
    }

    @Bean
    SilenceRelease silenceRelease(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        return new SilenceRelease(jdbc, new TransactionTemplate(transactionManager));
    }

    @Bean
    SilenceReleaseLoop silenceReleaseLoop(SilenceRelease release, Wakeup wakeup, Clock clock,
            SilenceProperties silences, DeliveryProperties properties, MeterRegistry registry) {
        return new SilenceReleaseLoop(release, wakeup, clock, silences, properties.pollInterval(), registry);
    }

    @Bean
    WebhookEventFanOut webhookEventFanOut(BookkeepingDataSource bookkeeping) {
        return new WebhookEventFanOut(JdbcClient.create(bookkeeping.pool()), bookkeeping.transactions());
    }

    @Bean
    Reminders reminders(BookkeepingDataSource bookkeeping) {
        return new Reminders(JdbcClient.create(bookkeeping.pool()), bookkeeping.transactions());
    }

    @Bean
    DeliveryRecords deliveryStore(BookkeepingDataSource bookkeeping) {
        return new DeliveryRecords(JdbcClient.create(bookkeeping.pool()), bookkeeping.transactions());
    }

    /**
     * Not a DataSource bean itself, so Boot's single-DataSource auto-configuration stays
     * as it is.
     */
    record BookkeepingDataSource(HikariDataSource pool) implements AutoCloseable {

        TransactionTemplate transactions() {
            return new TransactionTemplate(new DataSourceTransactionManager(this.pool));
        }

        @Override
        public void close() {
            this.pool.close();
        }
    }

    /**
     * DNS within the attempt's timeout, at most {@code max-concurrency} lookups at once;
     * the system resolver, or a {@link HostResolver} bean where one is defined.
     */
    @Bean(destroyMethod = "close")
    DeadlineResolver webhookHostResolver(DeliveryProperties properties, ObjectProvider<HostResolver> resolver) {
        return new DeadlineResolver(resolver.getIfAvailable(() -> HostResolver.SYSTEM), properties.timeout(),
                properties.maxConcurrency());
    }

    @Bean(destroyMethod = "close")
    WebhookClient webhookClient(DeliveryProperties properties, DeadlineResolver resolver, SecretCipher cipher) {
        GuardedDnsResolver guard = new GuardedDnsResolver(resolver::resolve, properties.allowPrivateNetworks());
        if (!cipher.encrypts()) {
            log.warn("No sensorhub.secrets.key: only webhook secrets stored unencrypted can sign; set the same key as "
                    + "crud-service's");
        }
        return new WebhookClient(properties, guard, "SensorHub-Webhooks/" + version(), cipher);
    }

    @Bean
    DeliveryPolicy deliveryPolicy(DeliveryProperties properties) {
        return new DeliveryPolicy(
                new RetrySchedule(properties.retrySchedule(), properties.jitter(), new SecureRandom()));
    }

    @Bean
    FanOutLoop fanOutLoop(FanOut fanOut, WebhookEventFanOut webhookEvents, Wakeup wakeup, DeliveryLoop deliveryLoop,
            DeliveryProperties properties, MeterRegistry registry) {
        return new FanOutLoop(fanOut, webhookEvents, wakeup, deliveryLoop::claimNow, properties.fanOutBatch(),
                properties.pollInterval(), registry);
    }

    @Bean
    ReminderLoop reminderLoop(Reminders reminders, DeliveryProperties properties, MeterRegistry registry) {
        return new ReminderLoop(reminders, properties.fanOutBatch(), properties.pollInterval(), registry);
    }

    @Bean
    ClientEventRetention clientEventRetention(JdbcClient jdbc, ClientEventLogProperties properties) {
        return new ClientEventRetention(jdbc, properties);
    }

    @Bean
    DeliveryLoop deliveryLoop(DeliveryProperties properties, DeliveryRecords store, WebhookClient client,
            DeliveryPolicy policy, Wakeup wakeup, MeterRegistry registry) {
        return new DeliveryLoop(instanceName(), properties, store, client, policy, wakeup, registry);
    }

    /** The version in the User-Agent: the jar's, or the project's during development. */
    static String version() {
        String version = NotifierJobApplication.class.getPackage().getImplementationVersion();
        return (version != null) ? version : "1.0.0-SNAPSHOT";
    }

    /**
     * This instance in {@code locked_by}: host, process and a random part, unique across
     * restarts.
     */
    private static String instanceName() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + HexFormat.of().formatHex(random);
    }

}
