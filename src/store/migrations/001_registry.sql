-- Registry: the real-world structure (organisations, systems, accounts) and placement rules.
CREATE TABLE organisations (
  id text PRIMARY KEY,
  kind text NOT NULL,
  code text NOT NULL UNIQUE,
  name_ja text NOT NULL,
  name_en text NOT NULL,
  parent_id text REFERENCES organisations(id),
  prefecture text,
  contacts jsonb NOT NULL DEFAULT '[]'::jsonb,
  billing_email text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_parent ON organisations(parent_id);

CREATE TABLE systems (
  id text PRIMARY KEY,
  organisation_id text NOT NULL REFERENCES organisations(id),
  name text NOT NULL,
  provider text NOT NULL,
  classification text NOT NULL DEFAULT 'standard',
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, name)
);

CREATE TABLE placement_rules (
  id text PRIMARY KEY,
  priority integer NOT NULL,
  description text NOT NULL,
  match jsonb NOT NULL,
  ou_path text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (priority)
);

CREATE TABLE accounts (
  id text PRIMARY KEY,
  system_id text NOT NULL REFERENCES systems(id),
  organisation_id text NOT NULL REFERENCES organisations(id),
  environment text NOT NULL,
  name text NOT NULL UNIQUE,
  email text NOT NULL UNIQUE,
  provider text NOT NULL,
  provider_account_id text,
  ou_path text,
  status text NOT NULL,
  request_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  ready_at timestamptz,
  UNIQUE (provider, provider_account_id)
);
CREATE INDEX accounts_org ON accounts(organisation_id);
