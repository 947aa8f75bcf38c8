-- Detective guardrails (issue 3 item 5): the twin's resource inventory with its change feed, and the
-- posture the detective evaluator keeps: the latest result of every check (control × resource), the
-- findings with their lifecycle, and the change-feed cursor of the incremental evaluation.
-- Times are written from the application's clock, never from now().

-- Resources in CloudFormation shape, as Cloud Control API's GetResource/ListResources return them.
-- A deleted resource keeps its row (deleted_at) so that putting it again is a CREATE in the feed.
-- region is 'global' for IAM, as AWS Config records it.
CREATE TABLE twin_resources (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- listing order (keyset pages)
  org_id text NOT NULL REFERENCES twin_organizations(id),
  account_id text NOT NULL,
  region text NOT NULL,
  type_name text NOT NULL,                          -- AWS::S3::Bucket
  identifier text NOT NULL,                         -- Cloud Control's primary identifier (physical id)
  arn text,
  properties jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz,
  PRIMARY KEY (org_id, account_id, region, type_name, identifier)
);
CREATE INDEX twin_resources_live ON twin_resources (org_id, account_id, seq) WHERE deleted_at IS NULL;
CREATE INDEX twin_resources_live_by_type ON twin_resources (org_id, account_id, type_name, seq) WHERE deleted_at IS NULL;

-- One row per change. Writers take a per-twin advisory lock for their transaction, so changes commit
-- in seq order and a reader that has seen seq N never later finds a smaller one committed.
CREATE TABLE twin_resource_changes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  account_id text NOT NULL,
  region text NOT NULL,
  type_name text NOT NULL,
  identifier text NOT NULL,
  operation text NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE')),
  changed_at timestamptz NOT NULL
);
CREATE INDEX twin_resource_changes_feed ON twin_resource_changes (org_id, seq);

-- The latest result of each check. id = the finding id (control + resource identity), so a finding
-- and its check share a key. The posture score is computed from these rows, without re-evaluating.
CREATE TABLE posture_checks (
  id text PRIMARY KEY,
  provider text NOT NULL,
  account_id text NOT NULL,                         -- the provider's account id
  tenant_id text,                                   -- organisations.id; NULL while the account is unknown to the registry
  region text NOT NULL,
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  resource_arn text,
  control_id text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'informational')),
  result text NOT NULL CHECK (result IN ('pass', 'fail', 'error', 'unresolvable')),
  message text,
  -- When the inventory this result was computed from was read; an older evaluation never overwrites a newer one.
  evaluated_at timestamptz NOT NULL
);
CREATE INDEX posture_checks_account ON posture_checks (provider, account_id);
CREATE INDEX posture_checks_tenant ON posture_checks (tenant_id);
CREATE INDEX posture_checks_resource ON posture_checks (provider, account_id, region, resource_type, resource_id);

-- A finding exists once its check has failed. Suppression (reason, who, until) survives re-evaluation
-- until it expires; a passing check resolves an active finding, a failing one reopens a resolved one.
CREATE TABLE findings (
  id text PRIMARY KEY,
  provider text NOT NULL,
  account_id text NOT NULL,
  tenant_id text,
  region text NOT NULL,
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  resource_arn text,
  control_id text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'informational')),
  severity_rank smallint NOT NULL,                  -- 0 critical … 4 informational: the list's first sort key
  status text NOT NULL CHECK (status IN ('active', 'resolved', 'suppressed')),
  message text,
  suppression_reason text,
  suppressed_by text,
  suppressed_at timestamptz,
  suppressed_until timestamptz,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  resolved_at timestamptz,
  evaluated_at timestamptz NOT NULL,
  CHECK (status <> 'suppressed' OR (suppression_reason IS NOT NULL AND suppressed_until IS NOT NULL)),
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX findings_list ON findings (severity_rank, first_seen DESC, id);
CREATE INDEX findings_tenant ON findings (tenant_id, severity_rank, first_seen DESC, id);
CREATE INDEX findings_account ON findings (provider, account_id, severity_rank, first_seen DESC, id);
CREATE INDEX findings_suppressed ON findings (suppressed_until) WHERE status = 'suppressed';

-- Where the incremental evaluation has read the provider's change feed up to (an opaque token).
CREATE TABLE posture_cursors (
  name text PRIMARY KEY,
  position text NOT NULL,
  updated_at timestamptz NOT NULL
);
