-- The longest busy span (busy_end - busy_start) of any booking a business ever stored:
-- busy time for [from, to) is then read as the index range from < busy_end < to + that span
-- instead of every booking ending after "from", which in a business with a year of future
-- bookings was all of them. Raised, never lowered, in the transaction that stores a longer
-- booking.
ALTER TABLE businesses ADD COLUMN max_busy_s BIGINT NOT NULL DEFAULT 0;
UPDATE businesses SET max_busy_s = COALESCE(
  (SELECT MAX(busy_end - busy_start) FROM bookings WHERE bookings.business_id = businesses.id), 0);
