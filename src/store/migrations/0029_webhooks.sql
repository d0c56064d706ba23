-- Webhooks out. A business's endpoints (an http(s) URL, the events it takes, a signing
-- secret sealed under the server key; during a rotation the previous secret too, until
-- previous_until). Each event is written in the same transaction as the change that causes
-- it (webhook_events: the JSON body as sent), with one delivery row per endpoint that takes
-- it. Deliveries of one booking (order_key) to one endpoint go in seq order: a later one
-- waits while an earlier one is pending. The worker leases a delivery (lease_until) while it
-- sends it; each attempt is kept in webhook_attempts (the delivery log). An endpoint that
-- fails without a success for hours is disabled and its owners told. Finished deliveries,
-- their log and their events are kept for 30 days.
CREATE TABLE webhook_endpoints (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  events TEXT NOT NULL,
  secret_box TEXT NOT NULL,
  previous_box TEXT,
  previous_until BIGINT,
  enabled INTEGER NOT NULL DEFAULT 1,
  disabled_reason TEXT NOT NULL DEFAULT '',
  failures INTEGER NOT NULL DEFAULT 0,
  failing_since BIGINT,
  last_success_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);
CREATE TABLE webhook_events (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  order_key TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);
CREATE TABLE webhook_deliveries (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  seq BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  last_code INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  replay_of TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (business_id, endpoint_id, order_key, seq);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (business_id, endpoint_id, created_at);
CREATE TABLE webhook_attempts (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  code INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  response TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id)
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (business_id, delivery_id, at);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (business_id, endpoint_id, at);
-- The worker drops what is older than the retention (webhook_purge).
CREATE INDEX webhook_attempts_at ON webhook_attempts (at);
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (updated_at) WHERE status <> 'pending';
CREATE INDEX webhook_events_created ON webhook_events (created_at);
