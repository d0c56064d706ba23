-- The staff dashboard's access and calendar views, and its bookings list at scale.

-- What an audit entry adds beyond its route: a staff override's engine reason and the
-- reason staff gave, a change the customer was not told of. '' when nothing.
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';

-- The staff bookings list's text search (name, email, phone or reference containing the
-- words typed) reads one expression, the four fields joined by '|' in lower case, from an
-- index of its own instead of every booking row. SQLite: a covering index the search scans
-- alone (about a tenth of the bytes of the table, no row fetched); PostgreSQL: a trigram
-- index (pg_trgm, trusted since PostgreSQL 13: the database's owner may create it), so a
-- LIKE '%…%' reads only the rows holding the text's trigrams.
-- sqlite only
CREATE INDEX bookings_search ON bookings (business_id, LOWER(customer_name || '|' || customer_email || '|' || customer_phone || '|' || reference), id);
-- postgres only
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- postgres only
CREATE INDEX bookings_search ON bookings USING gin (LOWER(customer_name || '|' || customer_email || '|' || customer_phone || '|' || reference) gin_trgm_ops);
