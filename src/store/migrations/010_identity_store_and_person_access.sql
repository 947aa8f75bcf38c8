-- People in the cloud (issue 4): the twin's identity store users, asynchronous assignment deletion,
-- and each person's access to each of their tenant's accounts.

-- IdentityStore users of the twin (CreateUser / ListUsers / DeleteUser). Identity Center compares user
-- names without regard to case, so the unique key is on lower(user_name).
CREATE TABLE twin_users (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  user_id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES twin_organizations(id),
  user_name text NOT NULL,
  display_name text NOT NULL,
  email text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX twin_users_name ON twin_users (org_id, lower(user_name));
CREATE INDEX twin_users_list ON twin_users (org_id, seq);

-- DeleteAccountAssignment is asynchronous like creation: the assignment stays visible until its
-- deletion request completes at removed_at. A later creation clears removed_at.
ALTER TABLE twin_account_assignments ADD COLUMN removed_at timestamptz;
CREATE INDEX twin_assignments_principal ON twin_account_assignments (org_id, principal_type, principal_id);

CREATE TABLE twin_assignment_deletion_requests (
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

-- A person's user in a provider's identity store, one per provider. Deleting it keeps the row (who had
-- which user, for the audit); the partial index lets a user id belong to one living person only.
CREATE TABLE person_cloud_users (
  person_id text NOT NULL REFERENCES people(id),
  provider text NOT NULL,
  user_id text NOT NULL,
  user_name text NOT NULL,
  created_at timestamptz NOT NULL,
  deleted_at timestamptz,
  PRIMARY KEY (person_id, provider)
);
CREATE UNIQUE INDEX person_cloud_users_user ON person_cloud_users (provider, user_id) WHERE deleted_at IS NULL;

-- Each person's assignment to each of their tenant's accounts through one of the instance's two
-- permission sets. requested_at -> ready_at is the time from "added" (or from the account becoming
-- ready, whichever is later) to "can sign in to the account". `replacing` is the permission set a role
-- change swaps out, until its assignment is gone. `request_id` is the provider's creation or deletion
-- request in flight.
CREATE TABLE person_access (
  person_id text NOT NULL REFERENCES people(id),
  account_id text NOT NULL REFERENCES accounts(id),
  permission_set text NOT NULL CHECK (permission_set IN ('admin', 'non_admin')),
  replacing text CHECK (replacing IN ('admin', 'non_admin')),
  status text NOT NULL CHECK (status IN ('pending', 'ready', 'failed', 'removing', 'removed')),
  requested_at timestamptz NOT NULL,
  ready_at timestamptz,
  removed_at timestamptz,
  request_id text,
  failure text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, account_id),
  CHECK (status <> 'ready' OR ready_at IS NOT NULL)
);
CREATE INDEX person_access_account ON person_access (account_id);
CREATE INDEX accounts_ready_by_tenant ON accounts (organisation_id) WHERE status = 'ready' AND provider_account_id IS NOT NULL;
