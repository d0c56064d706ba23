-- CalDAV two-way sync: what bookd last read of each object in a connection's collection (so
-- a sync-collection answer, which lists only what changed, can be applied), and an index
-- for finding the bookings changed since a connection last pushed.
CREATE TABLE caldav_objects (
  business_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  href TEXT NOT NULL,
  etag TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL,
  PRIMARY KEY (business_id, connection_id, href),
  FOREIGN KEY (business_id, connection_id) REFERENCES calendar_connections(business_id, id)
    ON DELETE CASCADE
);
CREATE INDEX bookings_updated ON bookings (business_id, updated_at);
