package io.sensorhub.notifier;

import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts against real servers, each reached in the resources of this test run
 * only, and without the ones it does not use.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NotifierServicesConnectionIntegrationTest {

    private static final TestServices services = TestServices.get();

    @Test
    void postgresIsThisRunsOwnMigratedDatabase(@Autowired JdbcClient jdbc) {
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single()).isEqualTo(services.name());
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Long.class).single())
            .isGreaterThanOrEqualTo(2);
    }

    @Test
    void redisIsNeitherOnTheClassPathNorConnected(@Autowired ApplicationContext context) {
        // the state cache is sensor-consumer's to write; notifier-job has no Redis client
        assertThat(ClassUtils.isPresent("org.springframework.data.redis.core.StringRedisTemplate", null)).isFalse();
        assertThat(context.containsBean("sensorStateCache")).isFalse();
    }

}
