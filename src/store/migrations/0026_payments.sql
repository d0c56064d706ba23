-- Payments. A service asks for none, a deposit (fixed minor units or a percent of the
-- price) or full prepayment, and names the fee a no-show keeps (service_payments). A
-- public booking that needs payment is written 'pending' with hold_expires_at set: it keeps
-- its time until then, like a hold, and the lifecycle worker expires it unpaid. Its terms
-- are frozen on the booking (booking_payment_terms: what is due, the refund tiers and the
-- no-show fee at booking time). Every movement of money is a payments row: a charge (by
-- Stripe, PayPal, or recorded by staff: cash, card terminal, bank transfer) or a refund
-- (queued for the provider by a cancellation, sent by the payment worker with retries).
-- Webhook events seen are kept so a repeated delivery changes nothing.
CREATE TABLE service_payments (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  service_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('none', 'deposit', 'full')),
  deposit_minor BIGINT NOT NULL DEFAULT 0 CHECK (deposit_minor >= 0),
  deposit_percent INTEGER NOT NULL DEFAULT 0 CHECK (deposit_percent BETWEEN 0 AND 100),
  no_show_fee_minor BIGINT NOT NULL DEFAULT 0 CHECK (no_show_fee_minor >= 0),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, service_id)
);
CREATE TABLE booking_payment_terms (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  booking_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('deposit', 'full')),
  due_minor BIGINT NOT NULL CHECK (due_minor > 0),
  price_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  refund_tiers TEXT NOT NULL,
  no_show_fee_minor BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, booking_id)
);
CREATE TABLE payments (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  customer_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund')),
  method TEXT NOT NULL CHECK (method IN ('online', 'stripe', 'paypal', 'cash', 'card_terminal',
                                         'bank_transfer')),
  status TEXT NOT NULL CHECK (status IN ('open', 'queued', 'succeeded', 'failed')),
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  provider_ref TEXT,
  provider_payment TEXT,
  checkout_url TEXT,
  refund_of TEXT,
  reason TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);
CREATE INDEX payments_booking ON payments (business_id, booking_id, created_at);
CREATE INDEX payments_customer ON payments (business_id, customer_id, created_at);
CREATE INDEX payments_time ON payments (business_id, updated_at);
CREATE INDEX payments_queued ON payments (next_attempt_at) WHERE status = 'queued';
CREATE UNIQUE INDEX payments_provider_ref ON payments (method, provider_ref);
CREATE TABLE payment_webhook_events (
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX bookings_payment_expiry ON bookings (hold_expires_at) WHERE status = 'pending';
