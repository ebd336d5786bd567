-- Version rollout (DESIGN.md "Version rollout"): a new GroupBy version is served only once its data
-- is complete. live_version is the version the registry topic announces under the bare name (what
-- the fetcher serves); a newer one waits under "rollout:<name>" with a row here saying how far it got.
ALTER TABLE groupby ADD COLUMN live_version INTEGER;
UPDATE groupby SET live_version = latest_version WHERE status = 'ACTIVE';

CREATE TABLE groupby_rollout (
  name        VARCHAR(63)  NOT NULL REFERENCES groupby (name),
  version     INTEGER      NOT NULL,
  state       VARCHAR(16)  NOT NULL,
  steps       TEXT         NOT NULL,   -- JSON list of {step, status, detail, jobId}
  error       VARCHAR(2000),
  replaced    INTEGER,                -- the live version it replaced at the switch (its data is purged later)
  started_at  TIMESTAMP WITH TIME ZONE,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (name, version)
);
