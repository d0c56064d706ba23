-- Staff access: login sessions, API tokens, failed-login counters for the lockout, and the
-- audit log of staff actions. Users are in 0001. Credentials are stored as SHA-256 hashes of
-- 256-bit random secrets; the secret a client holds is "<business_id>.<secret>", so every
-- lookup is keyed by business_id first (tenant-distributable).
-- (Class occurrences already own the name "sessions", hence staff_sessions.)
CREATE TABLE staff_sessions (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  user_id TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  remote_addr TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id),
  UNIQUE (business_id, token_hash),
  FOREIGN KEY (business_id, user_id) REFERENCES users(business_id, id) ON DELETE CASCADE
);
CREATE INDEX staff_sessions_user ON staff_sessions (business_id, user_id);

-- A token acts with the current role of the user who created it (users.role, read at each
-- request); deleting the user deletes the token.
CREATE TABLE api_tokens (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  hint TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT,
  PRIMARY KEY (business_id, id),
  UNIQUE (business_id, token_hash),
  FOREIGN KEY (business_id, user_id) REFERENCES users(business_id, id) ON DELETE CASCADE
);

-- Failed logins per key ('email:...' or 'addr:...'); business_id is '' when the login named
-- no existing business. In the database so that every bookd process sees the same lockout.
CREATE TABLE login_failures (
  business_id TEXT NOT NULL,
  key TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  last_failure_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (business_id, key)
);
CREATE INDEX login_failures_last ON login_failures (last_failure_at);

-- Who did what, when, from where: every unsafe staff request and every login and logout.
CREATE TABLE audit_log (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  at BIGINT NOT NULL,
  user_id TEXT,
  actor_email TEXT NOT NULL DEFAULT '',
  token_id TEXT,
  action TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT '',
  path TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 0,
  remote_addr TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id)
);
CREATE INDEX audit_log_at ON audit_log (business_id, at, id);
