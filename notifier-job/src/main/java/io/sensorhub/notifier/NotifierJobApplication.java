package io.sensorhub.notifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Delivers signed webhooks and detects OFFLINE sensors. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotifierJobApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotifierJobApplication.class, args);
    }

}
