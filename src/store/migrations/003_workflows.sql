-- Durable workflows: one run per subject (for provisioning: the account e-mail, the idempotency key),
-- one row per step with its attempts and last error, and shared concurrency slots per provider.
CREATE TABLE workflow_runs (
  id text PRIMARY KEY,
  workflow text NOT NULL,
  subject text NOT NULL,
  input jsonb NOT NULL,
  state jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'abandoned')),
  current_step text,
  -- set while the current step waits for a free slot of this resource
  needs_slot text,
  next_run_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz,
  failure jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  UNIQUE (workflow, subject)
);
CREATE INDEX workflow_runs_due ON workflow_runs (next_run_at) WHERE status IN ('pending', 'running');
CREATE INDEX workflow_runs_slot_queue ON workflow_runs (needs_slot, created_at) WHERE status = 'pending' AND needs_slot IS NOT NULL;

CREATE TABLE workflow_steps (
  run_id text NOT NULL REFERENCES workflow_runs(id) ON DELETE CASCADE,
  step text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'waiting', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  last_error jsonb,
  PRIMARY KEY (run_id, step)
);

CREATE TABLE concurrency_slots (
  resource text NOT NULL,
  slot integer NOT NULL,
  holder text,
  acquired_at timestamptz,
  PRIMARY KEY (resource, slot)
);
CREATE UNIQUE INDEX concurrency_slots_holder ON concurrency_slots (resource, holder) WHERE holder IS NOT NULL;

-- Account requests: what a tenant asked for; provisioning is the workflow run with the same id.
CREATE TABLE account_requests (
  id text PRIMARY KEY,
  batch_id text,
  organisation_id text NOT NULL,
  system_id text NOT NULL,
  environment text NOT NULL,
  account_name text NOT NULL,
  email text NOT NULL UNIQUE,
  requested_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_requests_org ON account_requests (organisation_id, created_at);
CREATE INDEX account_requests_batch ON account_requests (batch_id) WHERE batch_id IS NOT NULL;

-- Messages recorded for people (real channels come later); the key makes recording idempotent.
CREATE TABLE notifications (
  id text PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE,
  organisation_id text,
  recipient text NOT NULL,
  subject_ja text NOT NULL,
  subject_en text NOT NULL,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
