-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as
-- POSTGRES_USER, who therefore owns these databases. One database per concern, so that each can
-- be backed up, moved or given to another server on its own:
--   tessera_registry   registry-service: GroupBy versions and the outbox (Flyway creates the tables)
--   tessera_jobs       batch-service: the Spring Batch job repository (created at first start)
--   tessera_warehouse  batch-service: event tables, daily snapshots, training sets, ingest offsets
CREATE DATABASE tessera_registry;
CREATE DATABASE tessera_jobs;
CREATE DATABASE tessera_warehouse;
