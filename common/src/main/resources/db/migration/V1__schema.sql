-- SensorHub data model (CONTRACT.md §2–§5). PostgreSQL is the source of truth; Redis only caches
-- sensor_state. Every index below names the query it serves.

-- Clients and their bearer tokens. Only the SHA-256 of a token is stored.
CREATE TABLE clients (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash  bytea       NOT NULL CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Authentication looks a client up by the hash of the presented token (one index probe per request).
CREATE UNIQUE INDEX clients_token_hash_key ON clients (token_hash);
-- GET /clients pages by id (cursor = last id): served by the primary key.

-- Sensors. The id is chosen by the client and unique across the system.
CREATE TABLE sensors (
    id                varchar(64) PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,64}$'),
    client_id         uuid        NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    type              text,
    unit              text,
    warn_low          double precision,
    warn_high         double precision,
    crit_low          double precision,
    crit_high         double precision,
    heartbeat_seconds integer     NOT NULL DEFAULT 300 CHECK (heartbeat_seconds >= 5),
    version           bigint      NOT NULL DEFAULT 0,   -- optimistic lock, exposed as ETag
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- critLow <= warnLow < warnHigh <= critHigh, for the thresholds that are given.
    CONSTRAINT sensors_thresholds_ordered CHECK (
            (crit_low  IS NULL OR warn_low  IS NULL OR crit_low <= warn_low)
        AND (warn_low  IS NULL OR warn_high IS NULL OR warn_low <  warn_high)
        AND (warn_high IS NULL OR crit_high IS NULL OR warn_high <= crit_high)
        AND (crit_low  IS NULL OR crit_high IS NULL OR crit_low <  crit_high)
        AND (crit_low  IS NULL OR warn_high IS NULL OR crit_low <  warn_high)
        AND (warn_low  IS NULL OR crit_high IS NULL OR warn_low <  crit_high))
);
-- GET /sensors lists a client's sensors in id order with a keyset cursor: (client_id, id).
CREATE INDEX sensors_client_id_idx ON sensors (client_id, id);
-- GET /sensors?type= : the same keyset walk restricted to one type.
CREATE INDEX sensors_client_type_id_idx ON sensors (client_id, type, id);

-- Current state of each sensor: one row per sensor, the row every status change is serialised on.
CREATE TABLE sensor_state (
    sensor_id    varchar(64) PRIMARY KEY REFERENCES sensors (id) ON DELETE CASCADE,
    status       text        NOT NULL DEFAULT 'UNKNOWN'
                 CHECK (status IN ('UNKNOWN', 'OK', 'WARNING', 'CRITICAL', 'FAULT', 'OFFLINE')),
    value        double precision,
    reported_at  timestamptz,              -- timestamp of the newest reading (the guard against out-of-order readings)
    last_seen_at timestamptz,              -- server time the latest reading was received (heartbeat / OFFLINE)
    since        timestamptz,              -- when the current status began
    sequence     bigint      NOT NULL DEFAULT 0 CHECK (sequence >= 0), -- sequence of the latest status change
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- The OFFLINE watchdog looks for live sensors whose last reading is older than their heartbeat;
-- a partial index keeps that scan to the sensors that can still go OFFLINE, oldest first.
CREATE INDEX sensor_state_watchdog_idx ON sensor_state (last_seen_at)
    WHERE status NOT IN ('UNKNOWN', 'OFFLINE');
-- GET /sensors?status= joins on sensor_id (primary key); no separate index: status has six values.

-- Readings, range-partitioned by day on the reading's own timestamp. (sensor_id, ts) identifies a
-- reading (CONTRACT §2), so the primary key makes redelivered readings a no-op (ON CONFLICT DO NOTHING)
-- and serves GET /sensors/{id}/readings?from=&to= newest first (backward index scan).
-- There is deliberately no DEFAULT partition: a reading for a day without a partition fails loudly.
CREATE TABLE readings (
    sensor_id       varchar(64)      NOT NULL,
    ts              timestamptz      NOT NULL,
    value           double precision,
    status          text             NOT NULL,   -- the reading's status: reported by the device or from thresholds
    reported_status boolean          NOT NULL DEFAULT false, -- true when the device sent the status itself
    received_at     timestamptz      NOT NULL,
    PRIMARY KEY (sensor_id, ts)
) PARTITION BY RANGE (ts);

-- Status changes, range-partitioned by day on changed_at. The per-sensor sequence is assigned under
-- the sensor_state row lock (gap-free, never reused); the primary key (sensor_id, sequence, changed_at)
-- rejects a duplicate change and serves history newest first (sequence order = time order per sensor).
-- PostgreSQL cannot enforce uniqueness across partitions without the partition key, so the outbox
-- below (not partitioned) also holds (sensor_id, sequence) unique until the change is fanned out.
CREATE TABLE status_changes (
    sensor_id       varchar(64)      NOT NULL,
    sequence        bigint           NOT NULL CHECK (sequence > 0),
    previous_status text             NOT NULL,
    status          text             NOT NULL,
    value           double precision,
    reported_at     timestamptz,                 -- timestamp of the reading that caused it (null for OFFLINE)
    changed_at      timestamptz      NOT NULL,
    event_id        uuid             NOT NULL,   -- the webhook-id of its sensor.status_changed event
    PRIMARY KEY (sensor_id, sequence, changed_at)
) PARTITION BY RANGE (changed_at);
-- GET /sensors/{id}/status-changes?from=&to= filters on changed_at within one sensor.
CREATE INDEX status_changes_sensor_changed_idx ON status_changes (sensor_id, changed_at);

-- Outbox: status changes not yet fanned out to webhook deliveries. notifier-job claims rows with
-- FOR UPDATE SKIP LOCKED, inserts the deliveries and deletes the rows in one transaction, so each
-- change is fanned out exactly once whatever the number of instances (DESIGN.md decision 4).
CREATE TABLE status_change_outbox (
    event_id    uuid        PRIMARY KEY,
    sensor_id   varchar(64) NOT NULL,
    sequence    bigint      NOT NULL,
    changed_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (sensor_id, sequence)
);
-- The fan-out claims the oldest rows first.
CREATE INDEX status_change_outbox_created_idx ON status_change_outbox (created_at);

-- Webhook endpoints of a client.
CREATE TABLE webhooks (
    id                uuid        PRIMARY KEY,
    client_id         uuid        NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    url               text        NOT NULL,
    description       text,
    secret            text        NOT NULL,   -- whsec_...; needed in clear to sign deliveries
    previous_secret   text,                   -- still signed with for 24 h after a rotation
    secret_rotated_at timestamptz,
    sensor_ids        text[],                 -- null: all of the client's sensors, now and later
    statuses          text[],                 -- null: every status change
    enabled           boolean     NOT NULL DEFAULT true,
    disabled_reason   text,                   -- set when the system disabled it (410, failing too long)
    failing_since     timestamptz,            -- start of the current streak of failed attempts
    version           bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- GET /webhooks (keyset by id) and the fan-out's "enabled webhooks of this client".
CREATE INDEX webhooks_client_id_idx ON webhooks (client_id, id);

-- One delivery = one event for one webhook. The event travels with the delivery (type, id, payload),
-- so a status change and a webhook.test are delivered by the same code.
CREATE TABLE webhook_deliveries (
    id              uuid        PRIMARY KEY,
    webhook_id      uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL,               -- webhook-id header, the same on every retry
    event_type      text        NOT NULL CHECK (event_type IN ('sensor.status_changed', 'webhook.test')),
    sensor_id       varchar(64),                        -- null for webhook.test
    sequence        bigint,                             -- the status change's sequence, for ordering
    payload         jsonb       NOT NULL,               -- the body that is POSTed
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'dead')),
    attempt_count   integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_by       text,                               -- instance holding the lease, if any
    locked_until    timestamptz,                        -- lease expiry: a crashed instance's claim lapses
    created_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    -- An event is delivered to a webhook at most once: makes the fan-out idempotent.
    CONSTRAINT webhook_deliveries_event_key UNIQUE (webhook_id, event_id)
);
-- GET /webhooks/{id}/deliveries?state= : keyset by id within a webhook and state.
CREATE INDEX webhook_deliveries_webhook_state_idx ON webhook_deliveries (webhook_id, state, id);
-- The delivery loop claims due pending deliveries by next_attempt_at; partial, so the index holds
-- only the (few) pending rows, never the succeeded history.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
-- Order per (webhook, sensor): "is there an earlier pending delivery of this sensor for this webhook?"
CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (webhook_id, sensor_id, sequence)
    WHERE state = 'pending';

-- Each attempt of a delivery, recorded before the next one is scheduled.
CREATE TABLE webhook_delivery_attempts (
    delivery_id  uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer     NOT NULL CHECK (attempt > 0),
    at           timestamptz NOT NULL,
    status_code  integer,                 -- null when no response came (timeout, refused, SSRF guard)
    latency_ms   integer     NOT NULL,
    error        text,
    -- The primary key serves "attempts of these deliveries, in order" for the deliveries listing.
    PRIMARY KEY (delivery_id, attempt)
);
