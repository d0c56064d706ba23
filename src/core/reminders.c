/* reminders.c - reminder timing. */
#include "core/reminders.h"

#include <jansson.h>

status reminders_parse(const char *text, int64_t *offsets, size_t *n)
{
	*n = 0;
	json_t *v = json_loads(text ? text : "[]", 0, NULL);
	if (!json_is_array(v) || json_array_size(v) > REMINDERS_MAX) {
		json_decref(v);
		return STATUS_INVALID;
	}
	size_t i;
	json_t *o;
	json_array_foreach(v, i, o) {
		if (!json_is_integer(o) || json_integer_value(o) <= 0 ||
		    json_integer_value(o) > 60 * 86400) {
			json_decref(v);
			*n = 0;
			return STATUS_INVALID;
		}
		offsets[(*n)++] = json_integer_value(o);
	}
	json_decref(v);
	return STATUS_OK;
}

/* If t lies in quiet hours, the instant those quiet hours began; else t. */
static int64_t quiet_move(int64_t t, const tz *zone, reminders_quiet q)
{
	if (q.start_min == q.end_min)
		return t;
	int64_t wall = tz_to_wall(zone, t);
	int64_t day = wall >= 0 ? wall / 86400 : (wall - 86399) / 86400;
	int min = (int)((wall - day * 86400) / 60);
	bool crosses = q.end_min < q.start_min;
	bool inside = crosses ? (min >= q.start_min || min < q.end_min)
			      : (min >= q.start_min && min < q.end_min);
	if (!inside)
		return t;
	/* The quiet period began today at start_min, or yesterday when it crosses midnight
	 * and we are past midnight. */
	int64_t begin_day = (crosses && min < q.end_min) ? day - 1 : day;
	int64_t begin = tz_from_wall(zone, begin_day * 86400 + (int64_t)q.start_min * 60, NULL);
	return begin - 60; /* the last minute before it */
}

size_t reminders_plan(int64_t start, int64_t now, const int64_t *offsets, size_t n,
		      const tz *zone, reminders_quiet quiet, reminder_due *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < REMINDERS_MAX; i++) {
		int64_t due = quiet_move(start - offsets[i], zone, quiet);
		if (due < now || due >= start)
			continue;
		out[k].offset_s = offsets[i];
		out[k].due = due;
		k++;
	}
	return k;
}
