-- A record Kafka will never take (too large for the broker, say) must not hold up every record
-- behind it: the relay marks it failed and goes on. An operator then retries it (failed_at cleared)
-- or drops it (dropped_at set); either way it is visible until then. Plain SQL for H2 and PostgreSQL.
ALTER TABLE registry_outbox ADD COLUMN failed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE registry_outbox ADD COLUMN dropped_at TIMESTAMP WITH TIME ZONE;
