-- The staff dashboard's access and calendar views, and its bookings list at scale.

-- What an audit entry adds beyond its route: a staff override's engine reason and the
-- reason staff gave, a change the customer was not told of. '' when nothing.
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
