-- Dynamic pricing. A service's pricing document (core/pricing.h: rental rates per hour and
-- per day, rules by season, weekday, time of day, lead time, length, location and item, and
-- add-ons) is one JSON text per service, checked by the server before it is written. A
-- booking priced by such a document keeps the breakdown it was priced with (lines: JSON
-- array), with the add-ons and location chosen: its price is frozen on bookings.price_minor
-- at creation and a later change of the rules changes neither.
CREATE TABLE service_pricing (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  service_id TEXT NOT NULL,
  rules TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, service_id)
);
CREATE TABLE booking_prices (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  booking_id TEXT NOT NULL,
  total_minor BIGINT NOT NULL,
  lines TEXT NOT NULL,
  addons TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, booking_id)
);
