-- The audit trail (issue 4, item 5): an append-only SHA-256 hash chain, like CloudTrail's digest files.
-- Each entry's hash covers its canonical form (src/app/audit/canonical.ts) including prev_hash, the
-- hash of the entry before it. audit_head holds the last seq and hash: appends lock and advance it in
-- the same transaction, so the chain never forks, and deleting the last entries is still noticed.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target jsonb NOT NULL,
  tenant text,
  source_ip text,
  forwarded_for text,
  user_agent text,
  status integer NOT NULL,
  outcome text NOT NULL,
  dry_run boolean NOT NULL,
  details jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant, at);

CREATE TABLE audit_head (
  id smallint PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- Append-only: the application never changes or removes an entry. Someone who can disable this
-- trigger can alter rows; the chain is what shows they did.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
