-- Busy time is read by range over busy_end for the whole business (every candidate at
-- once): without this index each booking and availability query read all of a business's
-- bookings, past ones included, and slowed as they accumulated.
CREATE INDEX IF NOT EXISTS bookings_busy ON bookings (business_id, busy_end);
