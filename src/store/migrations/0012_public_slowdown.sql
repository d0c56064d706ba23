-- The booking page slows an address down before its limits refuse it: past
-- slowdown_after public writes (holds and bookings) from one address in the last ten
-- minutes, each further one from it waits slowdown_ms before it is served. A business
-- setting (GET/PATCH .../protection); slowdown_after 0 turns it off, as it starts.
ALTER TABLE businesses ADD COLUMN slowdown_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE businesses ADD COLUMN slowdown_ms INTEGER NOT NULL DEFAULT 1000;
