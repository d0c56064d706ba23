-- Companies: a business's corporate customers (name, billing contact, notes), which
-- customers and booking groups may belong to. name_norm (trimmed, lower-case) is how an
-- organiser's typed company name is matched.
CREATE TABLE companies (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL,
  billing_email TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  UNIQUE (business_id, name_norm)
);
ALTER TABLE customers ADD COLUMN company_id TEXT;

-- A booking group: one organiser booked several participants at one time, each a booking
-- of their own (bookings.group_id). The organiser manages it by a signed link over its id.
CREATE TABLE booking_groups (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  reference TEXT NOT NULL,
  service_id TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
  organiser_name TEXT NOT NULL,
  organiser_email TEXT NOT NULL,
  organiser_phone TEXT NOT NULL DEFAULT '',
  organiser_customer_id TEXT,
  company_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);
CREATE UNIQUE INDEX booking_groups_reference ON booking_groups (reference);
CREATE UNIQUE INDEX booking_groups_id ON booking_groups (id);
CREATE INDEX booking_groups_company ON booking_groups (business_id, company_id);
CREATE INDEX bookings_group ON bookings (business_id, group_id) WHERE group_id IS NOT NULL;

-- Per service: group sizes (group_max 0: no group booking), the minimum attendance of its
-- class sessions (0: none) decided decide_before_s before the start, and how long after a
-- session's start a customer may still join (late_join_s, 0: not at all).
CREATE TABLE service_group_rules (
  business_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  group_min INTEGER NOT NULL DEFAULT 2 CHECK (group_min >= 1),
  group_max INTEGER NOT NULL DEFAULT 0 CHECK (group_max >= 0),
  min_attendance INTEGER NOT NULL DEFAULT 0 CHECK (min_attendance >= 0),
  decide_before_s BIGINT NOT NULL DEFAULT 0 CHECK (decide_before_s >= 0),
  late_join_s BIGINT NOT NULL DEFAULT 0 CHECK (late_join_s >= 0),
  PRIMARY KEY (business_id, service_id)
);

-- Per class session: its own minimum attendance (NULL: the service's), and the decision
-- taken at the decision time (decided_at set once: 'kept' or 'cancelled'). A cancelled
-- session is offered no more.
CREATE TABLE session_rules (
  business_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  min_attendance INTEGER CHECK (min_attendance >= 0),
  decided_at BIGINT,
  decision TEXT CHECK (decision IN ('kept', 'cancelled')),
  attendance INTEGER,
  PRIMARY KEY (business_id, session_id)
);
CREATE INDEX session_rules_decision ON session_rules (business_id, decision);
