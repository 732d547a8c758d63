package io.sensorhub.consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Ingests sensor readings from RabbitMQ and decides status changes, OFFLINE included. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SensorConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SensorConsumerApplication.class, args);
    }

}
