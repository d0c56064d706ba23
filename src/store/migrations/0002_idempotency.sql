-- A POST with an Idempotency-Key stores its first answer here, in the same transaction as
-- the write it made, so a retry gets that answer instead of a second booking. Rows are kept
-- for a day (see jobs).
CREATE TABLE idempotency_keys (
  business_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
-- The jobs find due holds and past bookings; partial, so other rows cost nothing to index.
CREATE INDEX bookings_hold_expiry ON bookings (hold_expires_at) WHERE status = 'held';
CREATE INDEX bookings_status_end ON bookings (end_at) WHERE status IN ('confirmed', 'checked_in');
