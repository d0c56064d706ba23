-- Reminders planned lazily: a booking no longer writes its reminder rows (two rows per
-- channel, each five B-trees) when it is made. The notification worker finds the reminders
-- that have come due from the confirmed bookings themselves, through bookings_start_id
-- (start within the business's largest offset, plus a day that quiet hours may move a
-- reminder earlier), and writes each reminder's row when it is due, under the same
-- exactly-once key as before (booking, start, offset, channel).
--
-- remind_from: reminders due before this instant are not sent (they had passed when the
-- booking was confirmed at its present start); NULL means the booking's created_at, so a
-- new booking writes nothing. Set by a reschedule and by a confirmation after creation.
ALTER TABLE bookings ADD COLUMN remind_from BIGINT;
-- remind_next: the instant of the next reminder the worker waits for (the booking's start
-- when none is left); NULL until the worker has looked at the booking at its present start.
-- Only the worker writes it, and only a booking in the window, so no index holds it.
ALTER TABLE bookings ADD COLUMN remind_next BIGINT;

-- Fewer B-trees for what every booking writes besides itself (each B-tree a booking
-- touches is one more page in its commit).
--
-- The history event: read only by booking (business_id, booking_id, at), never by its own
-- id. SQLite keeps the rows in that order in the table itself (WITHOUT ROWID), instead of a
-- table, its primary key's index and booking_events_booking; PostgreSQL's primary key
-- becomes that order and booking_events_booking goes.
-- sqlite only
CREATE TABLE booking_events_new (
  business_id TEXT NOT NULL,
  id TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  reason TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (business_id, booking_id, at, id),
  FOREIGN KEY (business_id, booking_id) REFERENCES bookings(business_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
-- sqlite only
INSERT INTO booking_events_new (business_id, id, booking_id, at, actor, kind, from_status,
  to_status, reason, changes) SELECT business_id, id, booking_id, at, actor, kind, from_status,
  to_status, reason, changes FROM booking_events;
-- sqlite only
DROP TABLE booking_events;
-- sqlite only
ALTER TABLE booking_events_new RENAME TO booking_events;
-- postgres only
DROP INDEX IF EXISTS booking_events_booking;
-- postgres only
ALTER TABLE booking_events DROP CONSTRAINT booking_events_pkey;
-- postgres only
ALTER TABLE booking_events ADD PRIMARY KEY (business_id, booking_id, at, id);

-- A notification: SQLite keeps the rows in the table's primary key (WITHOUT ROWID, one
-- B-tree less), and the exactly-once key is only a reminder's (a message sent once per
-- change has none, NULL): the unique index holds only the rows that have one.
-- sqlite only
CREATE TABLE notifications_new (
  business_id TEXT NOT NULL,
  id TEXT NOT NULL,
  booking_id TEXT,
  customer_id TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  event TEXT NOT NULL,
  recipient TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  due_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  claimed_until BIGINT NOT NULL DEFAULT 0,
  sent_at BIGINT,
  dedupe_key TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  payload TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id)
) WITHOUT ROWID;
-- sqlite only
INSERT INTO notifications_new (business_id, id, booking_id, customer_id, channel, event,
  recipient, status, due_at, next_attempt_at, attempts, last_error, claimed_until, sent_at,
  dedupe_key, created_at, updated_at, payload) SELECT business_id, id, booking_id,
  customer_id, channel, event, recipient, status, due_at, next_attempt_at, attempts,
  last_error, claimed_until, sent_at, CASE WHEN dedupe_key LIKE 'once%' THEN NULL ELSE
  dedupe_key END, created_at, updated_at, payload FROM notifications;
-- sqlite only
DROP TABLE notifications;
-- sqlite only
ALTER TABLE notifications_new RENAME TO notifications;
-- sqlite only
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
-- sqlite only
CREATE INDEX notifications_booking ON notifications (business_id, booking_id);
-- postgres only
ALTER TABLE notifications ALTER COLUMN dedupe_key DROP NOT NULL;
-- postgres only
ALTER TABLE notifications DROP CONSTRAINT notifications_business_id_dedupe_key_key;
-- postgres only
UPDATE notifications SET dedupe_key = NULL WHERE dedupe_key LIKE 'once%';
CREATE UNIQUE INDEX notifications_dedupe ON notifications (business_id, dedupe_key)
  WHERE dedupe_key IS NOT NULL;
