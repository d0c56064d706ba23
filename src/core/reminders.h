/* reminders.h - when a booking's reminders are due: offsets before the start, moved out of
 * the business's quiet hours. Pure; "now" is a parameter. */
#ifndef BOOKD_REMINDERS_H
#define BOOKD_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/tz.h"

#define REMINDERS_MAX 8

/* Quiet hours in the business's local time: from start_min to end_min (minutes after
 * midnight; end <= start crosses midnight); equal values mean none. */
typedef struct reminders_quiet {
	int start_min; /* quiet from */
	int end_min;   /* quiet until */
} reminders_quiet;

/* One reminder to send. */
typedef struct reminder_due {
	int64_t offset_s; /* the configured offset before the start (the reminder's identity) */
	int64_t due;      /* when to send it */
} reminder_due;

/* Parses the JSON array of offsets in seconds ("[86400,3600]"): positive, at most
 * REMINDERS_MAX, each at most 60 days. */
status reminders_parse(const char *json, int64_t *offsets, size_t *n);

/* The reminders of a booking starting at `start`: one per offset, due at start - offset,
 * moved earlier to the last instant before quiet hours begin when it would fall inside
 * them (a reminder must arrive before the appointment, so it never moves later). Reminders
 * whose due instant has already passed at `now` are left out, as are those that would be
 * due after the start. Writes at most REMINDERS_MAX into out and returns how many. */
size_t reminders_plan(int64_t start, int64_t now, const int64_t *offsets, size_t n,
		      const tz *zone, reminders_quiet quiet, reminder_due *out);

#endif
