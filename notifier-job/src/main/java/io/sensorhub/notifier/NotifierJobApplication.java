package io.sensorhub.notifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Turns committed status changes into signed webhook deliveries and delivers them. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotifierJobApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotifierJobApplication.class, args);
    }

}
