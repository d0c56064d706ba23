-- Loyalty. A business's programme (loyalty_settings): points per unit of currency paid,
-- what tiers are reached by (lifetime value or visits) and the tiers (name, threshold, points
-- multiplier and a discount on new bookings, in basis points) as JSON text. A customer's
-- points, tier and history are replayed from what happened to their bookings and money
-- (payments, completions, cancellations: core/loyalty.h) plus staff's adjustments, each
-- kept here with its reason and who made it.
CREATE TABLE loyalty_settings (
  business_id TEXT PRIMARY KEY REFERENCES businesses(id) ON DELETE CASCADE,
  enabled INTEGER NOT NULL DEFAULT 0,
  points_per_unit INTEGER NOT NULL DEFAULT 0 CHECK (points_per_unit BETWEEN 0 AND 1000),
  tier_basis TEXT NOT NULL DEFAULT 'value' CHECK (tier_basis IN ('value', 'visits')),
  tiers TEXT NOT NULL DEFAULT '[]',
  updated_at BIGINT NOT NULL
);
CREATE TABLE loyalty_adjustments (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  points BIGINT NOT NULL CHECK (points <> 0),
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);
CREATE INDEX loyalty_adjustments_customer ON loyalty_adjustments (business_id, customer_id, created_at);
