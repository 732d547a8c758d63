#!/bin/bash
# Runs once, when PostgreSQL's data volume is initialised (/docker-entrypoint-initdb.d). Creates SensorHub's roles:
#   sensorhub_owner  owns the database and its schema; the services' Flyway migrations log in as it (SPRING_FLYWAY_USER)
#   sensorhub_app    what the services run as: reads and writes data, creates nothing (SPRING_DATASOURCE_USERNAME)
# The superuser (POSTGRES_USER) is for operators only; no service uses it.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v owner_password="$SENSORHUB_DB_OWNER_PASSWORD" \
    -v app_password="$SENSORHUB_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE sensorhub_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE sensorhub_app LOGIN PASSWORD :'app_password';

ALTER DATABASE :"db" OWNER TO sensorhub_owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO sensorhub_app;

ALTER SCHEMA public OWNER TO sensorhub_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO sensorhub_app;

-- Whatever the migrations create (tables, partitions, sequences) the services may use, and nothing more.
ALTER DEFAULT PRIVILEGES FOR ROLE sensorhub_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sensorhub_app;
ALTER DEFAULT PRIVILEGES FOR ROLE sensorhub_owner IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO sensorhub_app;
SQL
