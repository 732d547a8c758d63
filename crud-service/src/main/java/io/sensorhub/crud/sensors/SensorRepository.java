package io.sensorhub.crud.sensors;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/** Sensors for writing; a client only ever reaches its own. */
interface SensorRepository extends JpaRepository<Sensor, String> {

    Optional<Sensor> findByIdAndClientId(String id, UUID clientId);

}
