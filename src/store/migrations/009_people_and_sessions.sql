-- People and sign-in (issue 4). A person is central (one or more central roles) or belongs to one
-- tenant with one tenant role, never both: central people have no role that opens a tenant's data.
-- Removing a person keeps the row (the audit trail and grants name them) and ends their sessions.
CREATE TABLE people (
  id text PRIMARY KEY,                                  -- per_<time><random>
  email text NOT NULL CHECK (email = lower(email)),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('central', 'tenant')),
  central_roles text[] NOT NULL DEFAULT '{}',
  tenant_id text REFERENCES organisations(id),
  tenant_role text CHECK (tenant_role IN ('tenant_admin', 'tenant_member')),
  -- The provider's subject, bound at the first sign-in; later sign-ins must present the same one.
  issuer text,
  subject text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  removed_at timestamptz,
  removed_by text,
  CHECK (central_roles <@ ARRAY['operator', 'security_officer', 'auditor']::text[]),
  CHECK (
    (kind = 'central' AND tenant_id IS NULL AND tenant_role IS NULL AND cardinality(central_roles) >= 1)
    OR (kind = 'tenant' AND tenant_id IS NOT NULL AND tenant_role IS NOT NULL AND cardinality(central_roles) = 0)
  ),
  CHECK ((status = 'removed') = (removed_at IS NOT NULL))
);
CREATE UNIQUE INDEX people_active_email ON people (email) WHERE status = 'active';
CREATE UNIQUE INDEX people_active_subject ON people (issuer, subject) WHERE status = 'active' AND subject IS NOT NULL;
CREATE INDEX people_tenant ON people (tenant_id, email) WHERE tenant_id IS NOT NULL;

-- Server-side sessions. The cookie holds 256 random bits; only their SHA-256 is stored.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  person_id text NOT NULL REFERENCES people(id),
  csrf_token text NOT NULL,
  acr text,
  amr text[] NOT NULL DEFAULT '{}',
  -- Kept for the provider's end-session request (id_token_hint); never logged or shown.
  id_token text,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  idle_expires_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- A sign-in in progress: state, nonce, PKCE verifier and where to go after, keyed by a second cookie.
CREATE TABLE auth_transactions (
  id_hash text PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX auth_transactions_expiry ON auth_transactions (expires_at);

-- API tokens for the CLI and automation: bearer tokens bound to a person; only their SHA-256 is stored.
CREATE TABLE api_tokens (
  id text PRIMARY KEY,                                  -- tok_<time><random>
  hash text NOT NULL UNIQUE,
  person_id text NOT NULL REFERENCES people(id),
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);
