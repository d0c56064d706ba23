-- Notifications: an outbox written in the same transaction as the change that causes it,
-- claimed by workers, delivered by email (SMTP) or SMS (HTTP provider), retried with
-- back-off, kept as history. Templates per business, event and channel override the
-- defaults compiled into bookd. Reminder offsets, quiet hours and staff alerts are business
-- settings; reminder opt-out is a customer preference.
CREATE TABLE notifications (
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
  dedupe_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  UNIQUE (business_id, dedupe_key)
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_booking ON notifications (business_id, booking_id);
CREATE INDEX notifications_customer ON notifications (business_id, customer_id);

CREATE TABLE notification_templates (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  subject TEXT NOT NULL DEFAULT '',
  body_text TEXT NOT NULL DEFAULT '',
  body_html TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, event, channel)
);

ALTER TABLE businesses ADD COLUMN reminder_offsets TEXT NOT NULL DEFAULT '[86400,3600]';
ALTER TABLE businesses ADD COLUMN quiet_start_min INTEGER NOT NULL DEFAULT 0;
ALTER TABLE businesses ADD COLUMN quiet_end_min INTEGER NOT NULL DEFAULT 0;
-- Staff alerts: [{"email": ADDRESS, "events": ["new", "changed"]}], who hears of what.
ALTER TABLE businesses ADD COLUMN staff_alerts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE customers ADD COLUMN reminders_opt_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN sms_opt_in INTEGER NOT NULL DEFAULT 0;
-- The customer's zone as their booking page gave it: messages show times in it.
ALTER TABLE bookings ADD COLUMN customer_tz TEXT;

-- Server-wide secrets made at first start (the key of the manage links in messages).
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
