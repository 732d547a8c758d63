package io.sensorhub.notifier.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import com.zaxxer.hikari.HikariDataSource;
import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.common.state.SensorStateStore;
import io.sensorhub.common.state.StatusChangeRecorder;
import io.sensorhub.common.test.TestServices;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A schema of its own in this run's database, migrated like the real one, for tests that
 * drive notifier-job's stores ({@code FanOut}, {@code DeliveryRecords}) themselves: the
 * running application's loops work on the default schema and never touch its rows. Its
 * connections (a small pool) have it as their search path. Dropped when closed.
 */
public final class IsolatedSchema implements AutoCloseable {

    private final String name;

    private final HikariDataSource pool;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    /**
     * @param connections the pool's size (the test database server is shared: keep it
     * small)
     */
    public IsolatedSchema(String prefix, int connections) {
        TestServices services = TestServices.get();
        this.name = prefix + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Flyway.configure()
            .dataSource(services.jdbcUrl(), services.jdbcUser(), services.jdbcPassword())
            .schemas(this.name)
            .createSchemas(true)
            .load()
            .migrate();
        this.pool = new HikariDataSource();
        this.pool.setPoolName(this.name);
        this.pool.setJdbcUrl(services.jdbcUrl() + "?currentSchema=" + this.name + "&ApplicationName=" + this.name);
        this.pool.setUsername(services.jdbcUser());
        this.pool.setPassword(services.jdbcPassword());
        this.pool.setMaximumPoolSize(connections);
        this.pool.setMinimumIdle(0);
        // as notifier-job's bookkeeping pool
        this.pool.setConnectionInitSql("SET plan_cache_mode = force_generic_plan");
        this.jdbc = JdbcClient.create(this.pool);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
    }

    public JdbcClient jdbc() {
        return this.jdbc;
    }

    /** READ COMMITTED transactions on this schema's pool. */
    public TransactionTemplate transactions() {
        return this.transactions;
    }

    public HikariDataSource dataSource() {
        return this.pool;
    }

    /**
     * Test data in this schema, for a client of its own (secrets stored unencrypted).
     */
    public TestData data() {
        JdbcTemplate template = new JdbcTemplate(this.pool);
        return new TestData(this.jdbc, this.transactions, new SensorStateStore(template),
                new StatusChangeRecorder(template), SecretCipher.of(null));
    }

    /** Whether one of this schema's connections is waiting for a lock. */
    public boolean waitingForALock() {
        return this.jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = ? AND wait_event_type = 'Lock'""")
            .param(this.name)
            .query(Long.class)
            .single() > 0;
    }

    @Override
    public void close() throws SQLException {
        this.pool.close();
        try (Connection connection = TestServices.get().openConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + this.name + " CASCADE");
        }
    }

}
