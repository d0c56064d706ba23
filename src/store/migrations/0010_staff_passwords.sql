-- Staff passwords and tokens, hardened: password reset links, messages about staff accounts
-- through the outbox, and API tokens with an expiry and a read-only scope.

-- A reset link is "<business_id>.<id>.<secret>": the row is found by id and the secret's
-- SHA-256 compared in constant time; it works once (used_at) until expires_at.
CREATE TABLE password_resets (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  requested_by TEXT NOT NULL DEFAULT '',
  remote_addr TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id),
  FOREIGN KEY (business_id, user_id) REFERENCES users(business_id, id) ON DELETE CASCADE
);
CREATE INDEX password_resets_user ON password_resets (business_id, user_id, created_at);

-- Messages about a staff account (reset link, password changed, account locked) are outbox
-- rows about no booking. What such a message needs and the database must not keep (the reset
-- link's secret) waits in payload only until the row is sent, failed or cancelled.
ALTER TABLE notifications ADD COLUMN payload TEXT NOT NULL DEFAULT '';

-- API tokens: an optional expiry instant, and a read-only scope (safe methods only).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
