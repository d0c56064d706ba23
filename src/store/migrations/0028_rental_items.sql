-- Rented items in depth. A resource keeps its own turnaround before and after each booking
-- of it (buffer_before_s, buffer_after_s: cleaning after a return, preparing before a
-- pickup), counted by the slot engine like a service's buffers. An item marked overnight
-- may stay out while it is closed: only its pickup (the start) and its return (the end)
-- must fall inside its opening hours, and the rental may span nights. Blackouts are
-- absolute ranges in which an item cannot be rented at all (maintenance, season closed).
ALTER TABLE resources ADD COLUMN buffer_before_s BIGINT NOT NULL DEFAULT 0 CHECK (buffer_before_s >= 0);
ALTER TABLE resources ADD COLUMN buffer_after_s BIGINT NOT NULL DEFAULT 0 CHECK (buffer_after_s >= 0);
ALTER TABLE resources ADD COLUMN overnight INTEGER NOT NULL DEFAULT 0;
CREATE TABLE resource_blackouts (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  FOREIGN KEY (business_id, resource_id) REFERENCES resources(business_id, id) ON DELETE CASCADE,
  CHECK (end_at > start_at)
);
CREATE INDEX resource_blackouts_item ON resource_blackouts (business_id, resource_id, end_at);
