-- The first schema. Every table is keyed by business_id first (tenant-distributable);
-- instants are BIGINT seconds since the epoch (UTC); local dates are TEXT 'YYYY-MM-DD';
-- local times of day are minutes since midnight; booleans are INTEGER 0/1.

CREATE TABLE businesses (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  currency TEXT NOT NULL,
  locale TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  hold_ttl_s BIGINT NOT NULL DEFAULT 600,
  no_show_grace_s BIGINT NOT NULL DEFAULT 900,
  auto_no_show INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  UNIQUE (business_id, email)
);

CREATE TABLE providers (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  user_id TEXT,
  timezone TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);

CREATE TABLE resources (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 1),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);

CREATE TABLE services (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('appointment', 'class', 'rental')),
  duration_s BIGINT NOT NULL CHECK (duration_s > 0),
  price_minor BIGINT NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
  capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 1),
  buffer_before_s BIGINT NOT NULL DEFAULT 0 CHECK (buffer_before_s >= 0),
  buffer_after_s BIGINT NOT NULL DEFAULT 0 CHECK (buffer_after_s >= 0),
  min_notice_s BIGINT NOT NULL DEFAULT 0 CHECK (min_notice_s >= 0),
  max_advance_s BIGINT NOT NULL DEFAULT 7776000 CHECK (max_advance_s > 0),
  slot_interval_s BIGINT NOT NULL DEFAULT 900 CHECK (slot_interval_s > 0),
  min_length_s BIGINT NOT NULL DEFAULT 0,
  max_length_s BIGINT NOT NULL DEFAULT 0,
  whole_days INTEGER NOT NULL DEFAULT 0,
  needs_resource INTEGER NOT NULL DEFAULT 0,
  requires_approval INTEGER NOT NULL DEFAULT 0,
  cancel_until_s BIGINT NOT NULL DEFAULT 0,
  reschedule_until_s BIGINT NOT NULL DEFAULT 0,
  refund_tiers TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);

CREATE TABLE service_providers (
  business_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  PRIMARY KEY (business_id, service_id, provider_id),
  FOREIGN KEY (business_id, service_id) REFERENCES services(business_id, id) ON DELETE CASCADE,
  FOREIGN KEY (business_id, provider_id) REFERENCES providers(business_id, id) ON DELETE CASCADE
);

CREATE TABLE service_resources (
  business_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  PRIMARY KEY (business_id, service_id, resource_id),
  FOREIGN KEY (business_id, service_id) REFERENCES services(business_id, id) ON DELETE CASCADE,
  FOREIGN KEY (business_id, resource_id) REFERENCES resources(business_id, id) ON DELETE CASCADE
);

-- Weekly rules: owner_kind is 'business', 'provider' or 'resource'; owner_id is the
-- business id for business rules. valid_from/valid_to are local dates, both included.
CREATE TABLE schedules (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('business', 'provider', 'resource')),
  owner_id TEXT NOT NULL,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1440),
  end_min INTEGER NOT NULL CHECK (end_min BETWEEN 0 AND 2880),
  valid_from TEXT,
  valid_to TEXT,
  PRIMARY KEY (business_id, id)
);
CREATE INDEX schedules_owner ON schedules (business_id, owner_kind, owner_id);

-- One date's hours replacing its weekly rules; closed = 1 closes the date.
CREATE TABLE overrides (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('business', 'provider', 'resource')),
  owner_id TEXT NOT NULL,
  date TEXT NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0,
  start_min INTEGER NOT NULL DEFAULT 0,
  end_min INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_id, id)
);
CREATE INDEX overrides_owner ON overrides (business_id, owner_kind, owner_id, date);

CREATE TABLE time_off (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('provider', 'resource')),
  owner_id TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id),
  CHECK (end_at > start_at)
);
CREATE INDEX time_off_owner ON time_off (business_id, owner_kind, owner_id, end_at);

CREATE TABLE closures (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  date TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id),
  UNIQUE (business_id, date)
);

-- One occurrence of a class.
CREATE TABLE sessions (
  business_id TEXT NOT NULL,
  id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  provider_id TEXT,
  resource_id TEXT,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity >= 1),
  PRIMARY KEY (business_id, id),
  FOREIGN KEY (business_id, service_id) REFERENCES services(business_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_service ON sessions (business_id, service_id, start_at);

CREATE TABLE customers (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  email_norm TEXT NOT NULL,
  name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  bookings_count INTEGER NOT NULL DEFAULT 0,
  spend_minor BIGINT NOT NULL DEFAULT 0,
  cancellations INTEGER NOT NULL DEFAULT 0,
  no_shows INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  UNIQUE (business_id, email_norm)
);

-- busy_start/busy_end are [start_at, end_at) widened by the service's buffers, so
-- availability reads busy time without joining services.
CREATE TABLE bookings (
  business_id TEXT NOT NULL,
  id TEXT NOT NULL,
  reference TEXT NOT NULL,
  service_id TEXT NOT NULL,
  provider_id TEXT,
  resource_id TEXT,
  session_id TEXT,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  busy_start BIGINT NOT NULL,
  busy_end BIGINT NOT NULL,
  seats INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),
  status TEXT NOT NULL CHECK (status IN ('held', 'pending', 'confirmed', 'checked_in',
                                         'completed', 'cancelled', 'no_show', 'expired')),
  hold_expires_at BIGINT,
  customer_id TEXT,
  customer_name TEXT NOT NULL DEFAULT '',
  customer_email TEXT NOT NULL DEFAULT '',
  customer_phone TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'phone', 'walk_in', 'admin', 'api')),
  price_minor BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL,
  payment_status TEXT NOT NULL DEFAULT 'unpaid',
  group_id TEXT,
  notes TEXT NOT NULL DEFAULT '',
  manage_token_hash TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  CHECK (end_at > start_at),
  FOREIGN KEY (business_id, service_id) REFERENCES services(business_id, id),
  FOREIGN KEY (business_id, customer_id) REFERENCES customers(business_id, id)
);
CREATE INDEX bookings_customer ON bookings (business_id, customer_id);
-- References are unique across businesses: the manage routes name only the reference.
CREATE UNIQUE INDEX bookings_reference_global ON bookings (reference);

CREATE TABLE booking_events (
  business_id TEXT NOT NULL,
  id TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  reason TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (business_id, id),
  FOREIGN KEY (business_id, booking_id) REFERENCES bookings(business_id, id) ON DELETE CASCADE
);
CREATE INDEX booking_events_booking ON booking_events (business_id, booking_id, at);
