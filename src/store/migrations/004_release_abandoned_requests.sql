-- An abandoned request whose reservation was given back frees its account name and e-mail, so the
-- tenant can request the account again. Uniqueness now holds among requests not released.
ALTER TABLE account_requests ADD COLUMN released_at timestamptz;
ALTER TABLE account_requests DROP CONSTRAINT account_requests_email_key;
CREATE UNIQUE INDEX account_requests_email_live ON account_requests (lower(email)) WHERE released_at IS NULL;
CREATE INDEX account_requests_name_live ON account_requests (account_name) WHERE released_at IS NULL;
