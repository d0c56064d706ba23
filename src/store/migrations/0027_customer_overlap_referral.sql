-- One customer, one place at a time: a public booking whose customer (matched by email) already
-- holds a live booking overlapping it is refused (store/overlap_guard.h) unless the business
-- allows it ('allow') or either booking's service does (family bookings under one email).
ALTER TABLE businesses ADD COLUMN customer_overlap TEXT NOT NULL DEFAULT 'refuse';
ALTER TABLE services ADD COLUMN allow_customer_overlap INTEGER NOT NULL DEFAULT 0;
-- Where a booking came from beyond its channel (source): the booking page's ?ref= or its
-- utm_source/utm_campaign, normalised (api/referral.h); '' when none.
ALTER TABLE bookings ADD COLUMN referral TEXT NOT NULL DEFAULT '';
CREATE INDEX bookings_referral ON bookings (business_id, referral, start_at);
