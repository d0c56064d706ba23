-- Waiting lists: for a full class session (session_id), or for an appointment service over a
-- window of local dates (window_from..window_to, ending at the instant window_end_at),
-- optionally with one provider and a range of local start times (minutes of the day,
-- time_from included, time_to not). An entry waits in order (priority, then place:
-- its place within the priority, which staff may change); when a seat frees, the first
-- entry that fits is offered it as a hold of its own (offer_hold_id, a bookings row in
-- status 'held' carrying the customer) until offer_expires_at; accepted, declined, expired,
-- left or removed, the entry leaves the list. Every step is a row of waitlist_events.
CREATE TABLE waitlist_entries (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  session_id TEXT,
  window_from TEXT,
  window_to TEXT,
  window_end_at BIGINT,
  provider_id TEXT,
  time_from INTEGER,
  time_to INTEGER,
  seats INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),
  customer_id TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  customer_email TEXT NOT NULL,
  customer_phone TEXT NOT NULL DEFAULT '',
  customer_tz TEXT,
  priority INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 2),
  place BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'declined',
                                         'expired', 'left', 'removed')),
  offer_hold_id TEXT,
  offer_expires_at BIGINT,
  offers INTEGER NOT NULL DEFAULT 0,
  booking_id TEXT,
  client_addr TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (business_id, id),
  FOREIGN KEY (business_id, customer_id) REFERENCES customers(business_id, id)
);
-- The public routes name an entry by its id alone (its link is signed over the id).
CREATE UNIQUE INDEX waitlist_entries_id ON waitlist_entries (id);
CREATE INDEX waitlist_entries_session ON waitlist_entries (business_id, session_id, status,
                                                           priority, place);
CREATE INDEX waitlist_entries_service ON waitlist_entries (business_id, service_id, status,
                                                           priority, place);
CREATE INDEX waitlist_entries_status ON waitlist_entries (status, business_id);
CREATE INDEX waitlist_entries_client ON waitlist_entries (business_id, client_addr, created_at)
  WHERE client_addr IS NOT NULL;
CREATE INDEX waitlist_entries_email ON waitlist_entries (business_id, customer_email, created_at);

CREATE TABLE waitlist_events (
  business_id TEXT NOT NULL,
  id TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  booking_id TEXT,
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (business_id, id),
  FOREIGN KEY (business_id, entry_id) REFERENCES waitlist_entries(business_id, id)
    ON DELETE CASCADE
);
CREATE INDEX waitlist_events_entry ON waitlist_events (business_id, entry_id, at);

-- How long an offered seat is kept for the person it is offered to (it always ends before
-- the session's booking notice closes).
ALTER TABLE businesses ADD COLUMN waitlist_offer_s BIGINT NOT NULL DEFAULT 1800;
