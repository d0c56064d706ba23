-- The busy spans (busy_end - busy_start) a business's bookings have had, each once: busy time
-- for a window [from, to) is then read as the index range from < busy_end <= to + the
-- longest of them, instead of every booking ending after "from", which in a business with a
-- year of future bookings was all of them. Kept by triggers, so every writer keeps it (also
-- a process of an older version still running while a newer one migrated); a span once
-- noted stays, which can only make the range longer than needed, never too short.
CREATE TABLE busy_spans (
  business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
  span_s BIGINT NOT NULL,
  PRIMARY KEY (business_id, span_s)
);

-- sqlite only
CREATE TRIGGER bookings_busy_span_insert AFTER INSERT ON bookings BEGIN INSERT OR IGNORE INTO busy_spans (business_id, span_s) VALUES (NEW.business_id, NEW.busy_end - NEW.busy_start); END;
-- sqlite only
CREATE TRIGGER bookings_busy_span_update AFTER UPDATE OF busy_start, busy_end ON bookings BEGIN INSERT OR IGNORE INTO busy_spans (business_id, span_s) VALUES (NEW.business_id, NEW.busy_end - NEW.busy_start); END;

-- The function keeps the search path it was created with: busy_spans is then always this
-- schema's, whatever path the session writing a booking has.
-- postgres only
CREATE FUNCTION bookd_note_busy_span() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$ BEGIN INSERT INTO busy_spans (business_id, span_s) VALUES (NEW.business_id, NEW.busy_end - NEW.busy_start) ON CONFLICT DO NOTHING; RETURN NULL; END $$;
-- postgres only
CREATE TRIGGER bookings_busy_span AFTER INSERT OR UPDATE OF busy_start, busy_end ON bookings FOR EACH ROW EXECUTE FUNCTION bookd_note_busy_span();

-- After the triggers: creating them waits for writes in flight and holds new ones until this
-- migration commits, so every booking is either read here or noted by a trigger.
INSERT INTO busy_spans (business_id, span_s)
  SELECT DISTINCT business_id, busy_end - busy_start FROM bookings;
