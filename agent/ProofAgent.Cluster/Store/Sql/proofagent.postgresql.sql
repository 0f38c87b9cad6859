-- ProofAgent's own tables in the cluster's store (the PostgreSQL twin of SqliteJobStore's schema, plus what a cluster
-- needs: the job's owner node and a per-job event counter that fences writes by a node that lost the job).
-- Run at every start, inside one transaction under an advisory lock: every statement must be idempotent.
CREATE TABLE IF NOT EXISTS proofagent_schema(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());

CREATE TABLE IF NOT EXISTS jobs(
  id text PRIMARY KEY,
  status text NOT NULL,
  language text NOT NULL,
  request text NOT NULL,
  result text,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs(status, created_at, id);

-- Version 2: the cluster columns.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS owner text;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS event_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS cancel_requested boolean NOT NULL DEFAULT false;

CREATE TABLE IF NOT EXISTS job_events(
  job_id text NOT NULL,
  seq bigint NOT NULL,
  type text NOT NULL,
  data text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY(job_id, seq));

CREATE TABLE IF NOT EXISTS check_cache(
  key text PRIMARY KEY,
  prover text NOT NULL,
  version text NOT NULL,
  language text NOT NULL,
  report text NOT NULL,
  created_at timestamptz NOT NULL);

INSERT INTO proofagent_schema(version) VALUES (1), (2) ON CONFLICT (version) DO NOTHING;
