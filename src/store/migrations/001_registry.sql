-- Registry: the real-world structure (organisations, systems, accounts) and the placement rules that
-- map it onto the provider's OU structure. Enumerations are checked here as well as in the domain so
-- that a bad write from any process fails loudly. Timestamps come from the application's clock.

CREATE TABLE organisations (
  id text PRIMARY KEY,                                  -- org_<time><random>
  kind text NOT NULL CHECK (kind IN ('ministry', 'prefecture', 'designated_city', 'municipality', 'special_ward', 'quasi_public')),
  code text NOT NULL UNIQUE,                            -- 全国地方公共団体コード (6) or 法人番号 (13), normalised
  name_ja text NOT NULL,
  name_en text NOT NULL,
  -- The parent by code: codes are what people exchange (CSV), and imports insert parents first.
  parent_code text REFERENCES organisations(code),
  prefecture text CHECK (prefecture ~ '^[0-4][0-9]$'),  -- '13' for Tokyo and its municipalities
  contacts jsonb NOT NULL DEFAULT '[]'::jsonb,          -- [{name, email, role}]
  billing_email text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (code ~ '^[0-9]{6}$' OR code ~ '^[0-9]{13}$'),
  CHECK (parent_code IS NULL OR parent_code <> code)
);
CREATE INDEX organisations_parent ON organisations (parent_code, code);
CREATE INDEX organisations_kind ON organisations (kind, code);
CREATE INDEX organisations_prefecture ON organisations (prefecture, code);

CREATE TABLE systems (
  id text PRIMARY KEY,                                  -- sys_<time><random>
  organisation_id text NOT NULL REFERENCES organisations(id),
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,22}[a-z0-9])?$'),
  name_ja text NOT NULL,
  name_en text NOT NULL,
  -- One system, one provider (the Government Cloud's rule); accounts inherit it.
  provider text NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,        -- {classification: 'confidential', workload: 'security', ...}
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (organisation_id, slug),
  UNIQUE (id, organisation_id, provider)                -- target of the accounts' consistency key
);

CREATE TABLE placement_rules (
  id text PRIMARY KEY,                                  -- plr_<time><random>
  priority integer NOT NULL UNIQUE CHECK (priority >= 0),
  description text NOT NULL,
  match jsonb NOT NULL,                                 -- see src/domain/registry/placement.ts
  ou_path text NOT NULL CHECK (ou_path LIKE '/%')
);

CREATE TABLE accounts (
  id text PRIMARY KEY,                                  -- acc_<time><random>: sorts by creation
  system_id text NOT NULL,
  organisation_id text NOT NULL,
  provider text NOT NULL,
  environment text NOT NULL CHECK (environment IN ('prod', 'staging', 'dev', 'sandbox')),
  name text NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  status text NOT NULL CHECK (status IN ('provisioning', 'ready', 'failed', 'suspended', 'closed')),
  provider_account_id text,
  ou_path text,
  request_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  ready_at timestamptz,
  -- The unique constraints ARE the reservation of name and e-mail (the e-mail is the idempotency key
  -- of the provider's CreateAccount, which has no client token).
  CONSTRAINT accounts_name_key UNIQUE (name),
  CONSTRAINT accounts_email_key UNIQUE (email),
  CONSTRAINT accounts_provider_account_key UNIQUE (provider, provider_account_id),
  -- An account's tenant and provider are always its system's.
  CONSTRAINT accounts_system_fkey FOREIGN KEY (system_id, organisation_id, provider) REFERENCES systems (id, organisation_id, provider)
);
CREATE INDEX accounts_organisation ON accounts (organisation_id, id);
CREATE INDEX accounts_system ON accounts (system_id, id);
CREATE INDEX accounts_status ON accounts (status, id);
