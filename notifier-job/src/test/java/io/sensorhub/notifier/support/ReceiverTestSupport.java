package io.sensorhub.notifier.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of the integration tests that deliver to a {@link Receiver}: each test gets a
 * client of its own ({@link TestData}), a receiver and a secret, and everything is
 * removed after it (a subclass's own {@code @AfterEach} runs first).
 */
public abstract class ReceiverTestSupport {

    @Autowired
    protected TestData data;

    protected Receiver receiver;

    protected final String secret = TestData.secret();

    @BeforeEach
    void startReceiver() throws Exception {
        this.receiver = new Receiver();
    }

    @AfterEach
    void removeTestDataAndReceiver() {
        this.data.cleanUp();
        this.receiver.close();
    }

}
