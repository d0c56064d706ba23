-- Recurring series: one row per series (what was asked: every N weeks, K occurrences or
-- until a local date, the conflict policy), and one row per occurrence computed (its wanted
-- start in the business's zone; the booking it became, or NULL with the engine's reason when
-- it was skipped). Every occurrence that was booked is an ordinary bookings row.
CREATE TABLE booking_series (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  customer_id TEXT,
  every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 52),
  occurrences INTEGER NOT NULL CHECK (occurrences >= 1),
  until_date TEXT,
  policy TEXT NOT NULL CHECK (policy IN ('fail', 'skip', 'shift')),
  shift_limit_s BIGINT NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);

CREATE TABLE booking_series_items (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  series_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  wanted_start BIGINT NOT NULL,
  booking_id TEXT,
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, series_id, seq),
  FOREIGN KEY (business_id, series_id) REFERENCES booking_series(business_id, id)
    ON DELETE CASCADE
);
CREATE UNIQUE INDEX booking_series_items_booking ON booking_series_items (business_id, booking_id);

-- Packages: N sessions of a service sold at a price (tracked, not charged). A sale to a
-- customer keeps its own copy of the terms and counts down as bookings use it; a use is
-- given back (released_at) when its booking is cancelled within the service's policy.
-- Every row goes with its business, customer or package (replacing a business deletes its
-- customers before the business row).
CREATE TABLE packages (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  service_id TEXT NOT NULL,
  sessions INTEGER NOT NULL CHECK (sessions BETWEEN 1 AND 1000),
  price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);

CREATE TABLE customer_packages (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  package_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  name TEXT NOT NULL,
  service_id TEXT NOT NULL,
  sessions INTEGER NOT NULL,
  remaining INTEGER NOT NULL CHECK (remaining >= 0),
  price_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  sold_by TEXT NOT NULL,
  sold_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  FOREIGN KEY (business_id, package_id) REFERENCES packages(business_id, id) ON DELETE CASCADE,
  FOREIGN KEY (business_id, customer_id) REFERENCES customers(business_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_packages_customer ON customer_packages (business_id, customer_id, sold_at);

CREATE TABLE package_uses (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  booking_id TEXT NOT NULL,
  customer_package_id TEXT NOT NULL,
  used_at BIGINT NOT NULL,
  released_at BIGINT,
  PRIMARY KEY (business_id, booking_id),
  FOREIGN KEY (business_id, customer_package_id) REFERENCES customer_packages(business_id, id)
    ON DELETE CASCADE
);
CREATE INDEX package_uses_package ON package_uses (business_id, customer_package_id);
