package io.sensorhub.crud.silences;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sensorhub.crud.limits.ClientLimits;
import io.sensorhub.crud.sensors.OwnedSensors;
import io.sensorhub.crud.silences.SilenceDtos.Schedule;
import io.sensorhub.crud.silences.SilenceDtos.SilenceCreation;
import io.sensorhub.crud.silences.SilenceDtos.SilenceResponse;
import io.sensorhub.crud.web.Cursors;
import io.sensorhub.crud.web.FieldViolation;
import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.NotFoundException;
import io.sensorhub.crud.web.Page;
import io.sensorhub.crud.web.PageQuery;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A client's silences: the client's commands (create, delete); notifier-job applies them.
 * A silence names only the client's own sensors (another id is a 400 on its place in
 * {@code sensorIds}, as for webhooks); its time zone must be one both java.time and
 * PostgreSQL know. Creating one counts against
 * {@code sensorhub.limits.silences-per-client} (silences that have not ended). Creating
 * and deleting tell notifier-job (NOTIFY at commit), which sends the catch-ups of a
 * deleted silence at once.
 */
@Service
class SilenceService {

    private final SilenceQueries queries;

    private final JdbcClient jdbc;

    private final ClientLimits limits;

    private final TransactionTemplate transactions;

    SilenceService(SilenceQueries queries, JdbcClient jdbc, ClientLimits limits,
            PlatformTransactionManager transactionManager) {
        this.queries = queries;
        this.jdbc = jdbc;
        this.limits = limits;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    SilenceResponse create(UUID clientId, SilenceCreation request) {
        List<FieldViolation> violations = shapeViolations(request, Instant.now());
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (request.schedule() != null && !this.queries.knowsTimeZone(request.schedule().timezone())) {
            throw new InvalidInputException("schedule.timezone", "is not a time zone the database knows");
        }
        return this.transactions.execute(status -> {
            if (request.sensorIds() != null) {
                List<FieldViolation> foreign = OwnedSensors.violations(this.jdbc, clientId, "sensorIds",
                        request.sensorIds());
                if (!foreign.isEmpty()) {
                    throw new InvalidInputException(foreign);
                }
            }
            this.limits.requireRoomForSilence(clientId, () -> this.queries.countNotEnded(clientId));
            UUID id = UUID.randomUUID();
            insert(id, clientId, request);
            this.queries.notifyChanged();
            return this.queries.find(clientId, id).orElseThrow();
        });
    }

    @Transactional(readOnly = true)
    Page<SilenceResponse> list(UUID clientId, PageQuery page) {
        UUID after = (page.after() != null) ? parseCursor(page.after()) : null;
        return Page.of(this.queries.list(clientId, after, page.fetchSize()), page.limit(),
                silence -> silence.id().toString());
    }

    @Transactional(readOnly = true)
    SilenceResponse get(UUID clientId, UUID id) {
        return this.queries.find(clientId, id).orElseThrow(() -> new NotFoundException("silence", id));
    }

    /** Deletes the silence, which ends it now. */
    @Transactional
    void delete(UUID clientId, UUID id) {
        if (!this.queries.delete(clientId, id)) {
            throw new NotFoundException("silence", id);
        }
        this.queries.notifyChanged();
    }

    private void insert(UUID id, UUID clientId, SilenceCreation request) {
        Schedule schedule = request.schedule();
        if (schedule == null) {
            this.queries.insertOneOff(id, clientId, request.distinctSensorIds(), request.distinctStatuses(),
                    request.startsAt(), request.endsAt(), request.comment());
        }
        else {
            this.queries.insertRecurring(id, clientId, request.distinctSensorIds(), request.distinctStatuses(),
                    schedule.distinctWeekdays(), schedule.start(), schedule.end(), schedule.timezone(),
                    request.comment());
        }
    }

    /**
     * The rules across fields: one-off or recurring, not both; a one-off ends after it
     * starts and in the future; a schedule's zone is an IANA one.
     */
    static List<FieldViolation> shapeViolations(SilenceCreation request, Instant now) {
        List<FieldViolation> violations = new ArrayList<>();
        if (request.schedule() != null) {
            if (request.startsAt() != null || request.endsAt() != null) {
                violations.add(new FieldViolation("schedule",
                        "a silence is one-off (startsAt and endsAt) or recurring (schedule), not both"));
            }
            if (!ZoneId.getAvailableZoneIds().contains(request.schedule().timezone())) {
                violations.add(new FieldViolation("schedule.timezone", "is not an IANA time zone, e.g. Europe/Berlin"));
            }
            return violations;
        }
        if (request.startsAt() == null) {
            violations.add(new FieldViolation("startsAt", "is required, unless a schedule is given"));
        }
        if (request.endsAt() == null) {
            violations.add(new FieldViolation("endsAt", "is required, unless a schedule is given"));
        }
        else if (!request.endsAt().isAfter(now)) {
            violations.add(new FieldViolation("endsAt", "must be in the future"));
        }
        if (request.startsAt() != null && request.endsAt() != null && !request.endsAt().isAfter(request.startsAt())) {
            violations.add(new FieldViolation("endsAt", "must be after startsAt"));
        }
        return violations;
    }

    private static UUID parseCursor(String after) {
        try {
            return UUID.fromString(after);
        }
        catch (IllegalArgumentException ex) {
            throw Cursors.invalid();
        }
    }

}
