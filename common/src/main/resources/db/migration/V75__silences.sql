-- Silences (docs/api.md, silences; README, alerting). A status change whose sensor and new status match an active
-- silence of the sensor's client is recorded as always (sensor-consumer does not know silences) but notifier-job's
-- fan-out sends it to no webhook and holds the sensor back; when no silence matches any more, notifier-job sends each
-- held sensor's newest change once, with how many changes were held back. Who writes what:
--  - silences: crud-service (client commands: create, delete). Deleting one is how it is ended early;
--  - silenced_sensors: notifier-job only (its fan-out holds a sensor back, its release sends the catch-up).
-- Whether a silence is active at a time, and which silences match a change, is decided here and nowhere else
-- (sensorhub_silence_active, sensorhub_silences_matching), so the fan-out, the release and the API's "active" agree,
-- with PostgreSQL's time zone rules.

-- A client's silence: one-off ([starts_at, ends_at)) or recurring (a window from window_start on each of weekdays, in
-- time_zone, to window_end; an end not after the start is on the next day, so end = start is a window of a whole
-- day). Absent sensor_ids or statuses match all.
CREATE TABLE silences (
    id           uuid        PRIMARY KEY,
    client_id    uuid        NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    sensor_ids   text[],                 -- null: all of the client's sensors, now and later
    statuses     text[],                 -- null: every new status
    starts_at    timestamptz,            -- one-off
    ends_at      timestamptz,
    weekdays     smallint[],             -- recurring: ISO days (1 = Monday … 7 = Sunday) on which a window starts
    window_start time,                   -- local times in time_zone
    window_end   time,
    time_zone    text,                   -- an IANA time zone name PostgreSQL knows
    comment      text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT silences_one_off_or_recurring CHECK (
        (starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at
            AND weekdays IS NULL AND window_start IS NULL AND window_end IS NULL AND time_zone IS NULL)
        OR (starts_at IS NULL AND ends_at IS NULL AND cardinality(weekdays) > 0
            AND weekdays <@ '{1,2,3,4,5,6,7}'::smallint[]
            AND window_start IS NOT NULL AND window_end IS NOT NULL AND time_zone IS NOT NULL))
);
-- GET /silences lists a client's silences in id order with a keyset cursor.
CREATE INDEX silences_client_id_idx ON silences (client_id, id);
-- The match (sensorhub_silences_matching): a client's silences that have not ended by a time (recurring ones never end), and
-- the limit's count of them.
CREATE INDEX silences_client_until_idx ON silences (client_id, (coalesce(ends_at, 'infinity'::timestamptz)));

-- Whether the silence is active at the time: a one-off from its start to its end (exclusive); a recurring one inside
-- a window. A window belongs to the day it starts on; its start and end are local times of that day (and of the next,
-- for an end not after the start) made instants by PostgreSQL's rules for the zone: a local time that does not exist
-- on the day clocks go forward is read with the offset before the change (02:30 becomes 03:30), one that occurs twice
-- on the day they go back is the second occurrence. So a window 22:00–06:00 lasts 7 hours in the night clocks go
-- forward and 9 in the night they go back. Windows last at most 25 hours: only the window of the local day of `at`
-- and that of the day before can be open. One expression without a subquery, so PostgreSQL inlines it into the
-- queries that call it (a call of a function it cannot inline costs tens of microseconds per change).
CREATE FUNCTION sensorhub_silence_active(s silences, at timestamptz) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN s.weekdays IS NULL THEN at >= s.starts_at AND at < s.ends_at
    ELSE (extract(isodow FROM (at AT TIME ZONE s.time_zone)::date)::smallint = ANY (s.weekdays)
          AND at >= ((at AT TIME ZONE s.time_zone)::date + s.window_start) AT TIME ZONE s.time_zone
          AND at < (((at AT TIME ZONE s.time_zone)::date + CASE WHEN s.window_end <= s.window_start THEN 1 ELSE 0 END)
                    + s.window_end) AT TIME ZONE s.time_zone)
      OR (extract(isodow FROM (at AT TIME ZONE s.time_zone)::date - 1)::smallint = ANY (s.weekdays)
          AND at >= (((at AT TIME ZONE s.time_zone)::date - 1) + s.window_start) AT TIME ZONE s.time_zone
          AND at < ((((at AT TIME ZONE s.time_zone)::date - 1) + CASE WHEN s.window_end <= s.window_start THEN 1 ELSE 0 END)
                    + s.window_end) AT TIME ZONE s.time_zone)
END
$$;

-- The first time after `after` at which the silence stops being active: a one-off's end, or the end of the window
-- open at `after` or of the next one (within eight days). Null for a one-off that has ended. notifier-job wakes then.
CREATE FUNCTION sensorhub_silence_next_end(s silences, after timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN s.weekdays IS NULL THEN CASE WHEN s.ends_at > after THEN s.ends_at END
    ELSE (
        SELECT min(e.at)
        FROM generate_series(-1, 7) AS g (days),
            LATERAL (SELECT (after AT TIME ZONE s.time_zone)::date + g.days AS day) d,
            LATERAL (SELECT ((d.day + CASE WHEN s.window_end <= s.window_start THEN 1 ELSE 0 END) + s.window_end)
                            AT TIME ZONE s.time_zone AS at) e
        WHERE extract(isodow FROM d.day)::smallint = ANY (s.weekdays) AND e.at > after)
END
$$;

-- The client's silences that are active at the time and match the sensor and the (new) status: a change of the
-- sensor to the status at that time is silenced if there is one. The one rule, used by notifier-job's fan-out (at a
-- change's changed_at) and release (now), and by whatever else must not notify about a silenced sensor, as
-- EXISTS (SELECT 1 FROM sensorhub_silences_matching(client, sensor, status, at)). A single SELECT, so PostgreSQL
-- inlines it: a client without silences costs one probe of silences_client_until_idx.
CREATE FUNCTION sensorhub_silences_matching(client_id uuid, sensor_id text, status text, at timestamptz)
    RETURNS SETOF silences LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT s.* FROM silences s
WHERE s.client_id = sensorhub_silences_matching.client_id
  AND coalesce(s.ends_at, 'infinity'::timestamptz) > sensorhub_silences_matching.at
  AND (s.sensor_ids IS NULL OR sensorhub_silences_matching.sensor_id = ANY (s.sensor_ids))
  AND (s.statuses IS NULL OR sensorhub_silences_matching.status = ANY (s.statuses))
  AND sensorhub_silence_active(s, sensorhub_silences_matching.at)
$$;

-- The data of a sensor.status_changed event (docs/api.md, event body): made here once, for the fan-out and for the
-- catch-up after a silence (which adds silencedChanges), in the one time format of sensorhub_json_time.
CREATE FUNCTION sensorhub_status_change_data(sc status_changes) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT jsonb_build_object('sensorId', sc.sensor_id, 'previousStatus', sc.previous_status, 'status', sc.status,
    'value', sc.value, 'reportedAt', sensorhub_json_time(sc.reported_at), 'changedAt', sensorhub_json_time(sc.changed_at),
    'sequence', sc.sequence)
$$;

-- Sensors held back by a silence: the newest change notifier-job fanned out for the sensor was silenced, and what
-- the catch-up needs. One row per sensor, from the first silenced change after the last one sent until the release.
-- The fan-out writes it under the sensor's advisory lock (a change sent removes it); the release deletes it, under the
-- same lock, in the transaction that queues the catch-up: whichever instance deletes it sends the catch-up, once.
CREATE TABLE silenced_sensors (
    sensor_id      varchar(64) PRIMARY KEY REFERENCES sensors (id) ON DELETE CASCADE,
    first_sequence bigint      NOT NULL,   -- the first change held back: what was sent before it is "last sent"
    sequence       bigint      NOT NULL,   -- the newest change held back: the catch-up is its event
    changed_at     timestamptz NOT NULL,   -- its changed_at (status_changes' key)
    status         text        NOT NULL,   -- its status
    held           jsonb       NOT NULL,   -- how many changes were held back, by new status: {"CRITICAL": 2, "OK": 1}
    CONSTRAINT silenced_sensors_run CHECK (first_sequence <= sequence)
);
-- The release reads the whole table (only sensors held right now): no other index.

-- Adds two counts by status ({"OK": 1} + {"OK": 2, "FAULT": 1} = {"OK": 3, "FAULT": 1}).
CREATE FUNCTION sensorhub_add_counts(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
FROM (SELECT key, sum(value::int) AS total
      FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) counts
      GROUP BY key) sums
$$;
