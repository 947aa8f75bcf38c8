-- Preventive guardrails (issue 3 item 6, DESIGN.md idea 2): the rollout of each OU's preventive
-- controls (off -> audit -> enforce), its history, and the impact reports that allow enforcing.
-- Also, for the twin: FullAWSAccess on every target that has no SCP, and a per-organisation epoch
-- that changes with policies and attachments, so enforcement caches are checked with one read.
-- Times are written from the application's clock, never from now().

-- One row per target (an OU of a provider's organisation) and policy kind.
CREATE TABLE guardrail_rollouts (
  provider text NOT NULL,
  ou_id text NOT NULL,                       -- the provider's OU id
  kind text NOT NULL CHECK (kind IN ('SCP', 'RCP')),
  ou_path text NOT NULL,                     -- /Workloads/Prod, as the registry names it (when last seen)
  stage text NOT NULL CHECK (stage IN ('off', 'audit', 'enforce')),
  controls jsonb NOT NULL DEFAULT '[]'::jsonb,   -- the selected control ids, sorted
  audit_since timestamptz,                   -- since when the proposal is in audit
  enforced_controls jsonb,                   -- what is attached (enforce only)
  enforced_hash text,
  enforced_since timestamptz,
  version integer NOT NULL DEFAULT 1,        -- optimistic concurrency: every write checks and bumps it
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  PRIMARY KEY (provider, ou_id, kind),
  CHECK ((stage = 'enforce') = (enforced_hash IS NOT NULL))
);

-- Who changed what, when and why: every selection and every stage change.
CREATE TABLE guardrail_rollout_history (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider text NOT NULL,
  ou_id text NOT NULL,
  kind text NOT NULL,
  ou_path text NOT NULL,
  action text NOT NULL CHECK (action IN ('select', 'stage')),
  from_stage text NOT NULL,
  to_stage text NOT NULL,
  controls jsonb NOT NULL,
  policy_hash text,
  report_id text,
  actor text NOT NULL,
  reason text,
  at timestamptz NOT NULL
);
CREATE INDEX guardrail_rollout_history_target ON guardrail_rollout_history (provider, ou_id, kind, seq DESC);

-- What a proposal would have denied, replayed from the activity log. The summary (totals, by
-- principal, account and action, samples) is stored whole: a report is evidence and never changes.
CREATE TABLE guardrail_impact_reports (
  id text PRIMARY KEY,
  provider text NOT NULL,
  ou_id text NOT NULL,
  kind text NOT NULL,
  ou_path text NOT NULL,
  stage text NOT NULL,                       -- the rollout's stage when it was computed
  in_audit boolean NOT NULL,                 -- whether the proposal was in audit then (only such reports allow enforce)
  policy_hash text NOT NULL,
  controls jsonb NOT NULL,
  since timestamptz NOT NULL,
  until timestamptz NOT NULL,
  computed_at timestamptz NOT NULL,
  computed_by text NOT NULL,
  summary jsonb NOT NULL
);
CREATE INDEX guardrail_impact_reports_target ON guardrail_impact_reports (provider, ou_id, kind, computed_at DESC);

-- AWS attaches FullAWSAccess to the root, every OU and every account when SCPs are enabled; the twin
-- does so on creation. A target left with no SCP would deny everything under enforcement: give it back.
INSERT INTO twin_policy_attachments (org_id, policy_id, target_id)
SELECT t.org_id, 'p-FullAWSAccess', t.id
  FROM (SELECT id AS org_id, root_id AS id FROM twin_organizations
        UNION ALL SELECT org_id, id FROM twin_ous
        UNION ALL SELECT org_id, id FROM twin_accounts) t
 WHERE EXISTS (SELECT 1 FROM twin_policies p WHERE p.org_id = t.org_id AND p.id = 'p-FullAWSAccess')
   AND NOT EXISTS (SELECT 1 FROM twin_policy_attachments a
                     JOIN twin_policies p ON p.org_id = a.org_id AND p.id = a.policy_id
                    WHERE a.org_id = t.org_id AND a.target_id = t.id AND p.type = 'SERVICE_CONTROL_POLICY')
ON CONFLICT DO NOTHING;

-- The twin's enforcement caches each account's compiled chain of SCPs. Any change to policies,
-- attachments or where accounts sit bumps the organisation's epoch (statement-level triggers, so a
-- statement touching many rows bumps once), and every process sees it with one primary-key read.
CREATE TABLE twin_policy_epochs (
  org_id text PRIMARY KEY REFERENCES twin_organizations(id),
  epoch bigint NOT NULL
);

CREATE FUNCTION twin_bump_policy_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO twin_policy_epochs (org_id, epoch)
  SELECT DISTINCT org_id, 1 FROM changed_rows
  ON CONFLICT (org_id) DO UPDATE SET epoch = twin_policy_epochs.epoch + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER twin_policy_attachments_inserted AFTER INSERT ON twin_policy_attachments
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION twin_bump_policy_epoch();
CREATE TRIGGER twin_policy_attachments_deleted AFTER DELETE ON twin_policy_attachments
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION twin_bump_policy_epoch();
CREATE TRIGGER twin_policies_updated AFTER UPDATE ON twin_policies
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION twin_bump_policy_epoch();
CREATE TRIGGER twin_policies_deleted AFTER DELETE ON twin_policies
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION twin_bump_policy_epoch();
CREATE TRIGGER twin_accounts_updated AFTER UPDATE ON twin_accounts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION twin_bump_policy_epoch();
CREATE TRIGGER twin_ous_updated AFTER UPDATE ON twin_ous
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION twin_bump_policy_epoch();
