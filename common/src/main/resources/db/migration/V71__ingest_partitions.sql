-- Who consumes which ingest partition (docs/ingest.md, "Partitions"). sensor-consumer instances coordinate here,
-- through the database they all use anyway, with PostgreSQL's clock as the only clock: no second coordination
-- service, no clock skew between instances.
--
-- A group is one deployment's ingest topology (its AMQP name prefix, empty in production), so deployments or test
-- runs that share a database never count each other's instances.

-- The live instances: each renews its row every sensorhub.ingest.rebalance-interval; a row older than
-- sensorhub.ingest.member-timeout belongs to an instance taken for dead, and is removed by the next live one.
CREATE TABLE ingest_members (
    ingest_group text        NOT NULL,
    member       text        NOT NULL,
    seen_at      timestamptz NOT NULL,
    joined_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ingest_group, member)
);

-- One row per partition: its owner consumes it, or nobody (owner null) between a release and the next claim.
-- An owner sets owner to null only after it stopped consuming, so the next owner never overlaps it.
CREATE TABLE ingest_partitions (
    ingest_group text        NOT NULL,
    partition    integer     NOT NULL CHECK (partition >= 0),
    owner        text,
    owned_since  timestamptz,
    PRIMARY KEY (ingest_group, partition)
);

COMMENT ON TABLE ingest_members IS 'Live sensor-consumer instances per ingest group, with their last heartbeat (V71).';
COMMENT ON TABLE ingest_partitions IS 'The instance consuming each ingest partition queue, or null (V71).';
