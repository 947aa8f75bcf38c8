-- The digital twin of the cloud (src/cloud/simulated). Several twins can live in one database, each
-- keyed by its organisation; every process that opens the same twin sees the same state.
-- Times are always written from the driver's injected clock, never from now(), so tests can drive them.

CREATE TABLE twin_organizations (
  id text PRIMARY KEY,                      -- o-xxxxxxxxxx
  name text NOT NULL UNIQUE,                -- the twin's name in config ('default')
  management_account_id text NOT NULL,
  root_id text NOT NULL,                    -- r-xxxx
  sso_instance_arn text NOT NULL,
  identity_store_id text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE twin_ous (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,                      -- ou-xxxx-yyyyyyyy
  org_id text NOT NULL REFERENCES twin_organizations(id),
  parent_id text NOT NULL,                  -- root or OU id
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, parent_id, name)
);
CREATE INDEX twin_ous_parent ON twin_ous (org_id, parent_id, seq);

-- One row per CreateAccount call. The outcome is decided when the request is accepted (so every process
-- observes the same result); the state is materialised lazily once completes_at has passed.
-- completes_at NULL means the request never finishes (an injected fault).
CREATE TABLE twin_create_account_requests (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,                      -- car-…
  org_id text NOT NULL REFERENCES twin_organizations(id),
  account_name text NOT NULL,
  email text NOT NULL,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  account_id text NOT NULL,                 -- reserved up front, revealed only on success
  outcome text NOT NULL,                    -- 'SUCCEEDED' or a CreateAccountStatus failure reason
  state text NOT NULL DEFAULT 'IN_PROGRESS',
  requested_at timestamptz NOT NULL,
  completes_at timestamptz,
  completed_at timestamptz
);
CREATE INDEX twin_car_in_progress ON twin_create_account_requests (org_id, completes_at) WHERE state = 'IN_PROGRESS';
CREATE INDEX twin_car_email ON twin_create_account_requests (org_id, lower(email));
CREATE INDEX twin_car_list ON twin_create_account_requests (org_id, seq);

CREATE TABLE twin_accounts (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,                      -- 12 digits
  org_id text NOT NULL REFERENCES twin_organizations(id),
  name text NOT NULL,
  email text NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE',
  parent_id text NOT NULL,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  joined_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX twin_accounts_email ON twin_accounts (org_id, lower(email));
CREATE INDEX twin_accounts_list ON twin_accounts (org_id, seq);

-- Service control policies. FullAWSAccess has the same id in every organisation, hence the composite key.
CREATE TABLE twin_policies (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  id text NOT NULL,                         -- p-xxxxxxxx or p-FullAWSAccess
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  type text NOT NULL,
  aws_managed boolean NOT NULL DEFAULT false,
  content text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, type, name)
);

CREATE TABLE twin_policy_attachments (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  org_id text NOT NULL,
  policy_id text NOT NULL,
  target_id text NOT NULL,                  -- root, OU or account id
  PRIMARY KEY (org_id, target_id, policy_id),
  FOREIGN KEY (org_id, policy_id) REFERENCES twin_policies (org_id, id)
);

CREATE TABLE twin_groups (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  group_id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  display_name text NOT NULL,
  description text,
  UNIQUE (org_id, display_name)
);

CREATE TABLE twin_permission_sets (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  arn text PRIMARY KEY,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  name text NOT NULL,
  description text,
  session_duration text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, name)
);

-- An assignment becomes visible at effective_at, when its CreateAccountAssignment request succeeds.
CREATE TABLE twin_account_assignments (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  account_id text NOT NULL,
  permission_set_arn text NOT NULL,
  principal_type text NOT NULL,
  principal_id text NOT NULL,
  effective_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, account_id, permission_set_arn, principal_type, principal_id)
);

CREATE TABLE twin_assignment_requests (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  account_id text NOT NULL,
  permission_set_arn text NOT NULL,
  principal_type text NOT NULL,
  principal_id text NOT NULL,
  failure_reason text,
  requested_at timestamptz NOT NULL,
  completes_at timestamptz NOT NULL
);

CREATE TABLE twin_support_plans (
  org_id text NOT NULL REFERENCES twin_organizations(id),
  account_id text NOT NULL,
  plan text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, account_id)
);

-- The activity log in CloudTrail's event shape. subject_account_id is the account a call is about
-- (CloudTrail's resources[].accountId), so lookups by account find calls made from the management account.
CREATE TABLE twin_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL UNIQUE,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  event_time timestamptz NOT NULL,
  event_source text NOT NULL,
  event_name text NOT NULL,
  aws_region text NOT NULL,
  read_only boolean NOT NULL,
  user_identity jsonb NOT NULL,
  recipient_account_id text NOT NULL,
  subject_account_id text,
  request_parameters jsonb,
  response_elements jsonb,
  error_code text,
  error_message text
);
CREATE INDEX twin_events_recent ON twin_events (org_id, seq DESC);
CREATE INDEX twin_events_by_name ON twin_events (org_id, event_name, seq DESC);
CREATE INDEX twin_events_by_subject ON twin_events (org_id, subject_account_id, seq DESC);
