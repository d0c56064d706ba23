-- Staff bookings: the list pages on (start_at, id) within a business, often for one
-- provider; customer search orders by name. (Indexes only: a database already past this
-- version lacks them but works the same, only slower.)
CREATE INDEX IF NOT EXISTS bookings_start_id ON bookings (business_id, start_at, id);
CREATE INDEX IF NOT EXISTS bookings_provider_start ON bookings (business_id, provider_id, start_at);
CREATE INDEX IF NOT EXISTS customers_name ON customers (business_id, name, id);
