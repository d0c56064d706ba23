-- Auto-assignment: when a customer picks "any provider", the business's policy chooses among
-- the providers the engine found free (store/assign.h). 'first' keeps the order of the
-- catalogue; 'round_robin' takes the one assigned longest ago; 'least_booked' the one with
-- the fewest live bookings within assign_window_days days either side of the start;
-- 'priority' the lowest priority number. Ties: priority number, then provider id.
ALTER TABLE businesses ADD COLUMN assign_policy TEXT NOT NULL DEFAULT 'first';
ALTER TABLE businesses ADD COLUMN assign_window_days INTEGER NOT NULL DEFAULT 7;
-- A provider's place in the 'priority' order (lower first), and its turn in the rotation:
-- the business-wide count of round-robin assignments when it was last chosen (0: never).
ALTER TABLE providers ADD COLUMN assign_priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN assign_turn BIGINT NOT NULL DEFAULT 0;
