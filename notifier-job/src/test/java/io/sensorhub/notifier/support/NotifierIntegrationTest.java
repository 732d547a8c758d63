package io.sensorhub.notifier.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * A full notifier-job against this run's PostgreSQL, with a short retry schedule and
 * timeout, posting to receivers on 127.0.0.1 (so private networks are allowed). Tests
 * sharing these settings share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestData.class)
public @interface NotifierIntegrationTest {

    /**
     * The settings of the shared context; a test class needing others
     * declares @SpringBootTest itself.
     */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default { "sensorhub.webhooks.allow-private-networks=true",
            "sensorhub.webhooks.retry-schedule=300ms,600ms,900ms", "sensorhub.webhooks.jitter=0",
            "sensorhub.webhooks.timeout=2s", "sensorhub.webhooks.lease=5s", "sensorhub.webhooks.poll-interval=1s",
            "sensorhub.webhooks.disable-after=1h", "sensorhub.secrets.key=" + SECRETS_KEY };

    /**
     * The key webhook secrets are encrypted with in the shared context (a test value,
     * never a real one).
     */
    String SECRETS_KEY = "c2Vuc29yaHViLXRlc3Qta2V5LW5vdC1hLXNlY3JldCE=";

}
