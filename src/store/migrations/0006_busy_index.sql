-- Busy time is read by range over busy_end for the whole business (every candidate at
-- once): without this index each booking and availability query read all of a business's
-- bookings, past ones included, and slowed as they accumulated.
CREATE INDEX IF NOT EXISTS bookings_busy ON bookings (business_id, busy_end);

-- Raised by every change to a business's catalogue or hours, in the same transaction: a
-- booking reads those inputs before taking the write lock and, inside it, checks only that
-- this number did not move (else it reads them again).
ALTER TABLE businesses ADD COLUMN catalog_version BIGINT NOT NULL DEFAULT 0;
