-- A booking's creation is kept in the booking's own row instead of a `created` row of
-- booking_events: the row is written in that transaction anyway, so the history's first
-- entry no longer costs a B-tree of its own (about one page fewer in a booking's commit at
-- one connection). The history reads it back as its first entry, at the booking's
-- created_at. Bookings made before keep their event row; created_by NULL means the
-- `created` entry, if any, is such a row.
ALTER TABLE bookings ADD COLUMN created_by TEXT;
ALTER TABLE bookings ADD COLUMN created_status TEXT;
ALTER TABLE bookings ADD COLUMN created_reason TEXT;
ALTER TABLE bookings ADD COLUMN created_changes TEXT;
