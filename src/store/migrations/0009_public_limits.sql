-- Public clients cannot empty a calendar or send mail for an attacker. Every hold and
-- public booking records the client that made it (its address and, when the booking page
-- sent one, its browser-session token), so limits are counted in the database and hold
-- across processes. The limits are business settings (GET/PATCH .../protection); 0 turns
-- one off.
ALTER TABLE bookings ADD COLUMN client_addr TEXT;
ALTER TABLE bookings ADD COLUMN client_token TEXT;
-- Partial: staff bookings carry no client and touch none of these.
CREATE INDEX bookings_client_addr ON bookings (business_id, client_addr, created_at)
  WHERE client_addr IS NOT NULL;
CREATE INDEX bookings_client_token ON bookings (business_id, client_token, created_at)
  WHERE client_token IS NOT NULL;
CREATE INDEX bookings_email_created ON bookings (business_id, customer_email, created_at)
  WHERE client_addr IS NOT NULL;
-- Live holds one browser session, and one address, may have at once.
ALTER TABLE businesses ADD COLUMN holds_per_client INTEGER NOT NULL DEFAULT 2;
ALTER TABLE businesses ADD COLUMN holds_per_address INTEGER NOT NULL DEFAULT 2;
-- The percent of a provider's (or resource's, or class session's) day that live holds may
-- take together; a first hold of the day is always allowed.
ALTER TABLE businesses ADD COLUMN hold_day_share INTEGER NOT NULL DEFAULT 50;
-- Public bookings one address, and one customer email, may make per hour and per day.
ALTER TABLE businesses ADD COLUMN bookings_per_address_hour INTEGER NOT NULL DEFAULT 10;
ALTER TABLE businesses ADD COLUMN bookings_per_address_day INTEGER NOT NULL DEFAULT 30;
ALTER TABLE businesses ADD COLUMN bookings_per_email_hour INTEGER NOT NULL DEFAULT 3;
ALTER TABLE businesses ADD COLUMN bookings_per_email_day INTEGER NOT NULL DEFAULT 10;
-- A public booking is final only when the customer opens the link of a first email: until
-- then it is a hold with its customer attached, kept for confirm_within_s.
ALTER TABLE businesses ADD COLUMN confirm_by_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE businesses ADD COLUMN confirm_within_s BIGINT NOT NULL DEFAULT 3600;
