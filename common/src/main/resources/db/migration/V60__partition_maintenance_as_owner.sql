-- The services create and drop day partitions at run time (PartitionMaintenance). Where they run as a role that
-- may only read and write data (docker compose: sensorhub_app, while the schema belongs to the role that ran the
-- migrations), the function runs with the rights of its owner. Its search_path is pinned to the one the
-- migrations ran with, so no caller can make it resolve a name to an object of its own.
ALTER FUNCTION sensorhub_maintain_partitions(integer, integer) SECURITY DEFINER SET search_path FROM CURRENT;
