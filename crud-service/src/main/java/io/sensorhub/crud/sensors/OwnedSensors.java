package io.sensorhub.crud.sensors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.sensorhub.crud.web.FieldViolation;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A list of sensor ids that filters something of a client (a webhook, a silence) may name
 * only the client's own sensors: any other id is a 400 on its place in the list, whether
 * it is unknown or another client's (the two look the same).
 */
public final class OwnedSensors {

    private OwnedSensors() {
    }

    /**
     * One violation of {@code field[i]} per listed id that is not one of the client's
     * sensors.
     */
    public static List<FieldViolation> violations(JdbcClient jdbc, UUID clientId, String field,
            List<String> sensorIds) {
        Set<String> owned = new HashSet<>(jdbc.sql("SELECT id FROM sensors WHERE client_id = ? AND id = ANY(?)")
            .params(clientId, sensorIds.toArray(String[]::new))
            .query(String.class)
            .list());
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < sensorIds.size(); i++) {
            if (!owned.contains(sensorIds.get(i))) {
                violations.add(new FieldViolation(field + "[" + i + "]", "is not one of your sensors"));
            }
        }
        return violations;
    }

}
