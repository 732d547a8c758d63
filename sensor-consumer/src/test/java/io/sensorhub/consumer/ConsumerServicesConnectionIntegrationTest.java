package io.sensorhub.consumer;

import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts against real servers, each reached in the resources of this test run
 * only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsumerServicesConnectionIntegrationTest {

    private static final TestServices services = TestServices.get();

    @Test
    void postgresIsThisRunsOwnMigratedDatabase(@Autowired JdbcClient jdbc) {
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single()).isEqualTo(services.name());
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Long.class).single())
            .isGreaterThanOrEqualTo(2);
    }

    @Test
    void redisIsReachedUnderThisRunsKeyPrefix(@Autowired StringRedisTemplate redis) {
        String key = services.redisKeyPrefix() + "probe";
        redis.opsForValue().set(key, "sensor-consumer");
        assertThat(redis.opsForValue().get(key)).isEqualTo("sensor-consumer");
        assertThat(redis.delete(key)).isTrue();
    }

    @Test
    void rabbitMqIsReachedInThisRunsVirtualHost(@Autowired ConnectionFactory connectionFactory) {
        assertThat(connectionFactory.getVirtualHost()).isEqualTo(services.amqpVirtualHost());
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        String queue = services.amqpPrefix() + "probe-" + System.nanoTime();
        admin.declareQueue(new Queue(queue, false, true, true));
        assertThat(admin.getQueueInfo(queue)).isNotNull();
        admin.deleteQueue(queue);
    }

}
