-- Break-glass access (issue 4, ADR 0013). A central operator asks for access to one tenant account;
-- the tenant's admin decides; an approved grant assigns the operator's identity-store user the
-- tenant admins' permission set (Admin) on that account until it expires or is revoked. Grants are never deleted:
-- the tenant sees every one, and the activity scan judges past events against their windows.
CREATE TABLE break_glass_grants (
  id text PRIMARY KEY,                                  -- grt_<time><random>
  account_id text NOT NULL REFERENCES accounts(id),
  provider text NOT NULL,
  provider_account_id text NOT NULL,
  tenant_id text NOT NULL REFERENCES organisations(id),
  requested_by text NOT NULL REFERENCES people(id),
  -- Copied at request time: the identity-store user is named after the e-mail address.
  requester_email text NOT NULL,
  requester_name text NOT NULL,
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 1440),
  status text NOT NULL CHECK (status IN ('requested', 'approved', 'denied', 'expired', 'revoked', 'cancelled')),
  requested_at timestamptz NOT NULL,
  decided_by text REFERENCES people(id),
  decided_at timestamptz,
  decision_note text CHECK (decision_note IS NULL OR char_length(decision_note) <= 2000),
  -- The window: starts at approval, expires_at = starts_at + duration; ended_at is when it really ended
  -- (expires_at when it expired, the revocation time when revoked, the cancellation time when cancelled).
  starts_at timestamptz,
  expires_at timestamptz,
  ended_at timestamptz,
  ended_by text REFERENCES people(id),
  end_note text CHECK (end_note IS NULL OR char_length(end_note) <= 2000),
  -- The access in the cloud: none (never approved) -> assigning -> assigned -> removing -> removed.
  access_state text NOT NULL DEFAULT 'none' CHECK (access_state IN ('none', 'assigning', 'assigned', 'removing', 'removed')),
  identity_user_id text,
  identity_user_name text,
  permission_set_arn text,
  assignment_request_id text,
  assigned_at timestamptz,
  removal_request_id text,
  removed_at timestamptz,
  access_error text,
  CHECK ((decided_at IS NULL) = (status IN ('requested', 'cancelled'))),
  CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
  CHECK ((starts_at IS NOT NULL) = (status IN ('approved', 'expired', 'revoked'))),
  CHECK ((expires_at IS NOT NULL) = (starts_at IS NOT NULL)),
  CHECK (expires_at IS NULL OR expires_at = starts_at + duration_minutes * interval '1 minute'),
  CHECK ((ended_at IS NOT NULL) = (status IN ('expired', 'revoked', 'cancelled'))),
  CHECK (access_state = 'none' OR starts_at IS NOT NULL),
  CHECK (access_state NOT IN ('assigning', 'assigned') OR status = 'approved')
);
-- One open grant (pending or active) per account and person: two would share one assignment.
CREATE UNIQUE INDEX break_glass_grants_open ON break_glass_grants (account_id, requested_by) WHERE status IN ('requested', 'approved');
CREATE INDEX break_glass_grants_tenant ON break_glass_grants (tenant_id, id);
CREATE INDEX break_glass_grants_requester ON break_glass_grants (requested_by, id);
CREATE INDEX break_glass_grants_due ON break_glass_grants (expires_at) WHERE status = 'approved';
CREATE INDEX break_glass_grants_access_work ON break_glass_grants (id) WHERE access_state IN ('assigning', 'removing');
CREATE INDEX break_glass_grants_window ON break_glass_grants (provider, provider_account_id, starts_at) WHERE starts_at IS NOT NULL;

-- Central-side activity in a tenant account that no grant covered: one alert per activity-log event.
CREATE TABLE break_glass_alerts (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL UNIQUE,
  provider text NOT NULL,
  provider_account_id text NOT NULL,
  account_id text NOT NULL REFERENCES accounts(id),
  tenant_id text NOT NULL REFERENCES organisations(id),
  principal_arn text NOT NULL,
  principal_kind text NOT NULL CHECK (principal_kind IN ('identity_center', 'organization_access_role', 'root', 'management_account')),
  -- The central person an Identity Center session names, when it names one.
  person_id text REFERENCES people(id),
  event_source text NOT NULL,
  event_name text NOT NULL,
  event_time timestamptz NOT NULL,
  raised_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text REFERENCES people(id),
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX break_glass_alerts_tenant ON break_glass_alerts (tenant_id, seq);

-- How far the activity scan has read, per provider: the newest event time it has seen.
CREATE TABLE break_glass_scan_cursors (
  name text PRIMARY KEY,
  position timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
