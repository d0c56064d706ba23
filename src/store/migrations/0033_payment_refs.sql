-- Every checkout reference a charge was given. A customer may start a Stripe Checkout, then
-- switch to the Payment Element or PayPal: the charge's provider_ref is the latest one, and
-- a payment made through one given up earlier must still find its charge (to confirm the
-- booking, or to be refunded as a second payment) instead of being ignored as not ours.
CREATE TABLE payment_refs (
  method TEXT NOT NULL,
  provider_ref TEXT NOT NULL,
  business_id TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (method, provider_ref)
);
INSERT INTO payment_refs (method, provider_ref, business_id, payment_id, created_at)
  SELECT method, provider_ref, business_id, id, updated_at FROM payments
  WHERE kind = 'charge' AND provider_ref IS NOT NULL AND provider_ref <> '';
