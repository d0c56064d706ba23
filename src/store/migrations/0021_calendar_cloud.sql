-- Calendar connections to Google Calendar and Microsoft 365 / Outlook.com, owner alerts about
-- failing connections, and connections brought back by an import without their secrets.

-- New columns of calendar_connections: needs_credentials is set when the peer refused the
-- credentials (401/403, an OAuth grant revoked) or the connection came from an import that
-- carries no secret; failing_since is the first failure since the last success; alerted_at
-- when the owners were told of this failure (cleared by a success, so a new failure tells
-- them again); calendar_id and account name the remote calendar and the account it belongs
-- to (Google, Microsoft); token_expires_at is when the access token sealed in secret_box
-- expires.
ALTER TABLE calendar_connections ADD COLUMN needs_credentials INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calendar_connections ADD COLUMN failing_since BIGINT;
ALTER TABLE calendar_connections ADD COLUMN alerted_at BIGINT;
ALTER TABLE calendar_connections ADD COLUMN calendar_id TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_connections ADD COLUMN account TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_connections ADD COLUMN token_expires_at BIGINT;

-- kind gains 'google' and 'microsoft'. PostgreSQL changes the constraint in place; SQLite
-- cannot, so the table is built again under the same name: rows copied column by column,
-- and the rows of the tables that refer to it (dropping the old table cascades to them)
-- kept aside and put back.
-- postgres only
ALTER TABLE calendar_connections DROP CONSTRAINT calendar_connections_kind_check;
-- postgres only
ALTER TABLE calendar_connections ADD CONSTRAINT calendar_connections_kind_check
  CHECK (kind IN ('ics', 'caldav', 'google', 'microsoft'));
-- sqlite only
CREATE TABLE calendar_connections_new (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('ics', 'caldav', 'google', 'microsoft')),
  provider_id TEXT,
  resource_id TEXT,
  name TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL,
  username TEXT NOT NULL DEFAULT '',
  secret_box TEXT,
  push INTEGER NOT NULL DEFAULT 0,
  poll_interval_s INTEGER NOT NULL DEFAULT 900,
  fail_closed_after_s INTEGER,
  etag TEXT,
  last_modified TEXT,
  sync_token TEXT,
  created_at BIGINT NOT NULL,
  last_attempt_at BIGINT,
  last_success_at BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_at BIGINT,
  failures INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  busy_count INTEGER NOT NULL DEFAULT 0,
  skipped_count INTEGER NOT NULL DEFAULT 0,
  needs_credentials INTEGER NOT NULL DEFAULT 0,
  failing_since BIGINT,
  alerted_at BIGINT,
  calendar_id TEXT NOT NULL DEFAULT '',
  account TEXT NOT NULL DEFAULT '',
  token_expires_at BIGINT,
  PRIMARY KEY (business_id, id),
  CHECK ((provider_id IS NULL) <> (resource_id IS NULL))
);
-- sqlite only
INSERT INTO calendar_connections_new (business_id, id, kind, provider_id, resource_id, name,
  url, username, secret_box, push, poll_interval_s, fail_closed_after_s, etag, last_modified,
  sync_token, created_at, last_attempt_at, last_success_at, last_error, last_error_at,
  failures, next_attempt_at, lease_until, busy_count, skipped_count, needs_credentials,
  failing_since, alerted_at, calendar_id, account, token_expires_at)
SELECT business_id, id, kind, provider_id, resource_id, name, url, username, secret_box, push,
  poll_interval_s, fail_closed_after_s, etag, last_modified, sync_token, created_at,
  last_attempt_at, last_success_at, last_error, last_error_at, failures, next_attempt_at,
  lease_until, busy_count, skipped_count, needs_credentials, failing_since, alerted_at,
  calendar_id, account, token_expires_at FROM calendar_connections;
-- sqlite only
CREATE TEMP TABLE calendar_keep_busy AS SELECT * FROM external_busy;
-- sqlite only
CREATE TEMP TABLE calendar_keep_pushes AS SELECT * FROM calendar_pushes;
-- sqlite only
DROP TABLE calendar_connections;
-- sqlite only
ALTER TABLE calendar_connections_new RENAME TO calendar_connections;
-- sqlite only
CREATE INDEX calendar_connections_due ON calendar_connections (next_attempt_at);
-- sqlite only
INSERT INTO external_busy SELECT * FROM calendar_keep_busy;
-- sqlite only
INSERT INTO calendar_pushes SELECT * FROM calendar_keep_pushes;
-- sqlite only
DROP TABLE calendar_keep_busy;
-- sqlite only
DROP TABLE calendar_keep_pushes;

-- A business's calendar settings: how long a connection may fail before its owners are
-- told (a refusal of its credentials tells them at once).
CREATE TABLE calendar_settings (
  business_id TEXT PRIMARY KEY REFERENCES businesses(id) ON DELETE CASCADE,
  alert_after_s INTEGER NOT NULL DEFAULT 3600 CHECK (alert_after_s >= 60)
);

-- An OAuth consent under way: the state sent to the provider (only its SHA-256 kept), the
-- staff session it is bound to, the PKCE verifier, and what the connection will be. Used
-- once; gone after expires_at.
CREATE TABLE oauth_states (
  state_hash TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  service TEXT NOT NULL CHECK (service IN ('google', 'microsoft')),
  provider_id TEXT,
  resource_id TEXT,
  name TEXT NOT NULL DEFAULT '',
  push INTEGER NOT NULL DEFAULT 1,
  fail_closed_after_s INTEGER,
  verifier TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  connection_id TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);
