-- Day partitions for readings and status_changes: created ahead of time, dropped past retention.
-- Called by every service at start-up and hourly (PartitionMaintenance); safe to run concurrently
-- (a transaction-scoped advisory lock serialises callers) and idempotent.
CREATE FUNCTION sensorhub_maintain_partitions(retention_days integer, days_ahead integer)
    RETURNS TABLE (action text, partition_name text)
    LANGUAGE plpgsql AS
$$
DECLARE
    today    date := (now() AT TIME ZONE 'UTC')::date;
    oldest   date := today - retention_days;
    parent   text;
    day      date;
    part     record;
    name     text;
    nsp      text;     -- the schema of the parent table: partitions are created and looked up beside it
BEGIN
    IF retention_days < 1 OR days_ahead < 1 THEN
        RAISE EXCEPTION 'retention_days and days_ahead must be positive (got %, %)', retention_days, days_ahead;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('sensorhub_maintain_partitions'));
    FOREACH parent IN ARRAY ARRAY['readings', 'status_changes'] LOOP
        SELECT n.nspname INTO STRICT nsp FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = to_regclass(parent);
        -- Every day a reading may still be accepted for (CONTRACT §2: not older than retention),
        -- up to days_ahead into the future.
        FOR day IN SELECT generate_series(oldest, today + days_ahead, interval '1 day')::date LOOP
            name := format('%s_p%s', parent, to_char(day, 'YYYYMMDD'));
            IF to_regclass(format('%I.%I', nsp, name)) IS NULL THEN
                EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                               nsp, name, nsp, parent, day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
                action := 'created'; partition_name := name; RETURN NEXT;
            END IF;
        END LOOP;
        FOR part IN
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass(parent) AND c.relname ~ ('^' || parent || '_p[0-9]{8}$')
        LOOP
            IF to_date(right(part.relname, 8), 'YYYYMMDD') < oldest THEN
                EXECUTE format('DROP TABLE %I.%I', nsp, part.relname);
                action := 'dropped'; partition_name := part.relname; RETURN NEXT;
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- Partitions for the default retention (30 days) and the next week, so the schema is usable at once.
SELECT count(*) FROM sensorhub_maintain_partitions(30, 7);
