-- Fewer B-trees for a booking to write, and a class session's seats read by their own index.
--
-- bookings_referral: no statement reads through it. The staff list keeps its order by start
-- (bookings_start_id) and tests the referral on each row it walks, and the analytics read a
-- range of starts; the index only cost every booking one more page in its commit.
DROP INDEX bookings_referral;
-- bookings_provider_start: what read it (the assignment's count of a candidate's bookings in
-- its window, a provider's busy time, a staff user's own bookings) reads a range of starts
-- of the business instead, and bookings_start_id now carries the provider, so a candidate's
-- count tests the provider in the index and reads only that provider's rows.
DROP INDEX bookings_provider_start;
DROP INDEX bookings_start_id;
CREATE INDEX bookings_start_id ON bookings (business_id, start_at, id, provider_id);
-- The seats taken in a class session (availability, holds, waiting lists) were counted by
-- walking every booking of the business for each session listed; only class bookings have
-- a session, so only they write this index.
CREATE INDEX bookings_session ON bookings (business_id, session_id) WHERE session_id IS NOT NULL;
-- notifications_booking: read only to withdraw a booking's queued reminders when it
-- changes. Its rows are now only reminders (written when due, not by the booking's commit),
-- so a booking's confirmation message no longer writes it.
DROP INDEX notifications_booking;
CREATE INDEX notifications_reminders ON notifications (business_id, booking_id)
  WHERE event = 'reminder';
