-- Reminders planned lazily: a booking no longer writes its reminder rows (two rows per
-- channel, each five B-trees) when it is made. The notification worker finds the reminders
-- that have come due from the confirmed bookings themselves, through bookings_start_id
-- (start within the business's largest offset, plus a day that quiet hours may move a
-- reminder earlier), and writes each reminder's row when it is due, under the same
-- exactly-once key as before (booking, start, offset, channel).
--
-- remind_from: reminders due before this instant are not sent (they had passed when the
-- booking was confirmed at its present start); NULL means the booking's created_at, so a
-- new booking writes nothing. Set by a reschedule and by a confirmation after creation.
ALTER TABLE bookings ADD COLUMN remind_from BIGINT;
-- remind_next: the instant of the next reminder the worker waits for (the booking's start
-- when none is left); NULL until the worker has looked at the booking at its present start.
-- Only the worker writes it, and only a booking in the window, so no index holds it.
ALTER TABLE bookings ADD COLUMN remind_next BIGINT;
