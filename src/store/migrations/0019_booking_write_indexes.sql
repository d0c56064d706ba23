-- Fewer indexes written by every booking (each index a booking touches is one more page in
-- its commit). Dropped: two that no read needed on its own.
--
-- bookings_busy (business_id, busy_end): busy time is read by range over start_at instead,
-- through bookings_start_id, which the staff list needs anyway. No booking is longer than
-- the longest of the business's busy_spans, and its start lies inside its busy span, so one
-- that overlaps [t0, t1) starts in (t0 - that, t1 + that): the range stays as short as the
-- window.
DROP INDEX IF EXISTS bookings_busy;
-- notifications_customer (business_id, customer_id): read only when a customer opts out of
-- reminders, which now finds the reminders through the customer's bookings
-- (bookings_customer, then notifications_booking).
DROP INDEX IF EXISTS notifications_customer;
-- bookings_email_created (business_id, customer_email, created_at), for the public limits
-- per email: those count the bookings of the customer the email names (a booking's customer
-- is the one whose email it was made with), read through the customer's index, which now
-- ends with created_at so the window is a range of it.
DROP INDEX IF EXISTS bookings_email_created;
DROP INDEX IF EXISTS bookings_customer;
CREATE INDEX bookings_customer ON bookings (business_id, customer_id, created_at);
