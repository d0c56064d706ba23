-- Calendar integration: subscribable ICS feeds of bookings, external calendars read as busy
-- time (ICS URLs, CalDAV collections) and the bookings bookd pushes to CalDAV.

-- A feed is a secret address that shows bookings as iCalendar. Its token is
-- "<business_id>.<feed id>.<secret>"; only the secret's SHA-256 is stored, and rotating it
-- replaces the hash, so the old address stops at once. scope/subject say whose bookings:
-- the business's (subject ''), a provider's, a resource's or a customer's. detail
-- 'free_busy' shows busy blocks only, with nothing about the customer or the service.
CREATE TABLE calendar_feeds (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('business', 'provider', 'resource', 'customer')),
  subject_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL CHECK (detail IN ('full', 'free_busy')),
  name TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL,
  hint TEXT NOT NULL DEFAULT '',
  past_days INTEGER NOT NULL CHECK (past_days >= 0),
  future_days INTEGER NOT NULL CHECK (future_days >= 1),
  created_at BIGINT NOT NULL,
  rotated_at BIGINT,
  last_read_at BIGINT,
  PRIMARY KEY (business_id, id)
);

-- An external calendar of one provider or resource. kind 'ics' is polled at url (ETag and
-- Last-Modified kept for conditional requests); 'caldav' is a collection read by
-- sync-collection or calendar-query and, with push, written with bookd's bookings.
-- secret_box is the password sealed with crypto_secretbox under the server key (nonce then
-- ciphertext, base64), never shown. Health: last attempt, success and error, failures in a
-- row (the back-off), next attempt, and the lease a worker holds while it syncs.
-- fail_closed_after_s: when set, the provider's or resource's slots are not offered while
-- the last success is older than that.
CREATE TABLE calendar_connections (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('ics', 'caldav')),
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
  PRIMARY KEY (business_id, id),
  CHECK ((provider_id IS NULL) <> (resource_id IS NULL))
);
CREATE INDEX calendar_connections_due ON calendar_connections (next_attempt_at);

-- Busy time read from a connection, replaced whole by each successful sync. provider_id and
-- resource_id are copied from the connection so the slot engine's inputs read by index.
CREATE TABLE external_busy (
  business_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  provider_id TEXT,
  resource_id TEXT,
  uid TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (business_id, connection_id) REFERENCES calendar_connections(business_id, id)
    ON DELETE CASCADE,
  CHECK (end_at > start_at)
);
CREATE INDEX external_busy_connection ON external_busy (business_id, connection_id);
CREATE INDEX external_busy_provider ON external_busy (business_id, provider_id, end_at);
CREATE INDEX external_busy_resource ON external_busy (business_id, resource_id, end_at);

-- A booking as pushed to a CalDAV connection: the event's address and ETag, what was sent
-- (the booking's updated_at), and attention when the event was moved or deleted outside
-- bookd (staff must look; bookd never follows such a change silently).
CREATE TABLE calendar_pushes (
  business_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  href TEXT NOT NULL,
  etag TEXT,
  pushed_updated_at BIGINT NOT NULL DEFAULT 0,
  pushed_start BIGINT,
  pushed_end BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  attention TEXT NOT NULL DEFAULT '',
  attention_at BIGINT,
  PRIMARY KEY (business_id, connection_id, booking_id),
  FOREIGN KEY (business_id, connection_id) REFERENCES calendar_connections(business_id, id)
    ON DELETE CASCADE
);
CREATE INDEX calendar_pushes_booking ON calendar_pushes (business_id, booking_id);
