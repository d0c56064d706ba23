/* ics_busy.c - busy time from an iCalendar file, parsed and expanded with libical. */
#include "calsync/ics_busy.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/log.h"
#include "base/xalloc.h"

/* What one read shares: the calendar (for its VTIMEZONEs), the owner's zone, the window. */
typedef struct busy_ctx {
	icalcomponent *cal;   /* the parsed VCALENDAR (owned by ics_busy_read) */
	const tz *zone;       /* floating times, all-day dates and unknown TZIDs */
	int64_t from, to;     /* the window */
	const char *label;    /* for the log */
	arena *a;             /* where spans go */
	ics_busy_result *out; /* spans so far */
	size_t cap;           /* room in out->spans */
} busy_ctx;

/* An override of one occurrence: the UID, the occurrence's instant, and whether the
 * override itself is busy (it is then read as an event of its own). */
typedef struct busy_override {
	const char *uid;
	int64_t at;
} busy_override;

static bool busy_is_date(struct icaltimetype t)
{
	return t.is_date != 0;
}

/* The instant of t, a value of property p (its TZID parameter says the zone). */
static int64_t busy_instant(const busy_ctx *ctx, icalproperty *p, struct icaltimetype t)
{
	civil c = {.year = t.year, .month = t.month, .day = t.day};
	if (!busy_is_date(t)) {
		c.hour = t.hour;
		c.min = t.minute;
		c.sec = t.second;
	}
	if (busy_is_date(t))
		return tz_from_civil(ctx->zone, c, NULL);
	if (icaltime_is_utc(t))
		return civil_to_epoch(c);
	icalparameter *tzp = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : NULL;
	const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
	if (tzid && *tzid) {
		/* The file's own definition first: Outlook and others name zones their way. */
		icaltimezone *def = icalcomponent_get_timezone(ctx->cal, tzid);
		if (def) {
			struct icaltimetype local = t;
			local.zone = NULL;
			return (int64_t)icaltime_as_timet_with_zone(local, def);
		}
		const tz *named = tz_get(tzid);
		if (named)
			return tz_from_civil(named, c, NULL);
	}
	return tz_from_civil(ctx->zone, c, NULL);
}

static void busy_add(busy_ctx *ctx, int64_t start, int64_t end, const char *uid)
{
	if (end <= ctx->from || start >= ctx->to || end <= start)
		return;
	ics_busy_result *o = ctx->out;
	if (o->n >= ICS_BUSY_MAX_SPANS)
		return;
	if (o->n == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 64;
		ics_busy_span *grown = arena_alloc(ctx->a, cap * sizeof(*grown));
		if (o->n)
			memcpy(grown, o->spans, o->n * sizeof(*grown));
		o->spans = grown;
		ctx->cap = cap;
	}
	o->spans[o->n++] = (ics_busy_span){start, end, uid};
}

/* True when ev is left out on purpose: cancelled or transparent. */
static bool busy_ignored(icalcomponent *ev)
{
	if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
		return true;
	icalproperty *tr = icalcomponent_get_first_property(ev, ICAL_TRANSP_PROPERTY);
	return tr && icalproperty_get_transp(tr) == ICAL_TRANSP_TRANSPARENT;
}

/* The first malformed thing in ev, or NULL: libical marks what it could not parse with
 * X-LIC-ERROR properties. */
static const char *busy_fault(icalcomponent *ev)
{
	if (icalcomponent_count_errors(ev) > 0)
		return "a property could not be parsed";
	icalproperty *ds = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	if (!ds || icaltime_is_null_time(icalproperty_get_dtstart(ds)))
		return "no DTSTART";
	for (icalproperty *r = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); r;
	     r = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
		struct icalrecurrencetype rt = icalproperty_get_rrule(r);
		if (rt.freq == ICAL_NO_RECURRENCE)
			return "an RRULE without a frequency";
	}
	return NULL;
}

/* The start and end of ev's first occurrence: DTEND, else DTSTART + DURATION, else one day
 * for a date and nothing for a date-time. false when the end comes before the start. */
static bool busy_first(const busy_ctx *ctx, icalcomponent *ev, int64_t *start, int64_t *len,
		       int *len_days)
{
	icalproperty *ds = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	struct icaltimetype st = icalproperty_get_dtstart(ds);
	*start = busy_instant(ctx, ds, st);
	*len_days = 0;
	icalproperty *de = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
	icalproperty *du = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
	if (de) {
		struct icaltimetype et = icalproperty_get_dtend(de);
		if (busy_is_date(st) && busy_is_date(et)) {
			*len_days = (int)(civil_days(et.year, et.month, et.day) -
					  civil_days(st.year, st.month, st.day));
			*len = 0;
			return *len_days >= 0;
		}
		*len = busy_instant(ctx, de, et) - *start;
	} else if (du) {
		struct icaldurationtype d = icalproperty_get_duration(du);
		int64_t s = icaldurationtype_as_int(d);
		if (busy_is_date(st) && s % 86400 == 0 && d.hours == 0 && d.minutes == 0 &&
		    d.seconds == 0) {
			*len_days = (int)(s / 86400);
			*len = 0;
			return *len_days >= 0;
		}
		*len = s;
	} else if (busy_is_date(st)) {
		*len_days = 1;
		*len = 0;
		return true;
	} else {
		*len = 0;
	}
	return *len >= 0;
}

/* The end of an occurrence starting at local time t (instant s). */
static int64_t busy_end_of(const busy_ctx *ctx, struct icaltimetype t, int64_t s, int64_t len,
			   int len_days)
{
	if (len_days > 0 || (busy_is_date(t) && len == 0)) {
		civil c = civil_from_days(civil_days(t.year, t.month, t.day) + len_days);
		return tz_from_civil(ctx->zone, c, NULL);
	}
	return s + len;
}

static bool busy_overridden(const busy_override *ov, size_t n, const char *uid, int64_t at)
{
	for (size_t i = 0; i < n; i++)
		if (ov[i].at == at && strcmp(ov[i].uid, uid) == 0)
			return true;
	return false;
}

/* True when the occurrence at instant `at` is excluded by an EXDATE of ev. */
static bool busy_excluded(const busy_ctx *ctx, icalcomponent *ev, int64_t at,
			  struct icaltimetype local)
{
	for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		struct icaltimetype x = icalproperty_get_exdate(p);
		if (busy_is_date(x) && x.year == local.year && x.month == local.month &&
		    x.day == local.day)
			return true;
		if (!busy_is_date(x) && busy_instant(ctx, p, x) == at)
			return true;
	}
	return false;
}

/* Adds the occurrences of recurring ev. */
static bool busy_expand(busy_ctx *ctx, icalcomponent *ev, const char *uid, int64_t len,
			int len_days, const busy_override *ov, size_t n_ov)
{
	icalproperty *ds = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	struct icaltimetype dtstart = icalproperty_get_dtstart(ds);
	/* The longest an occurrence lasts, to know when occurrences can no longer reach the
	 * window. */
	int64_t reach = len + (int64_t)len_days * 86400 + 2 * 86400;
	for (icalproperty *r = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); r;
	     r = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
		struct icalrecurrencetype rt = icalproperty_get_rrule(r);
		icalrecur_iterator *it = icalrecur_iterator_new(rt, dtstart);
		if (!it)
			return false;
		for (int step = 0; step < ICS_BUSY_MAX_STEPS; step++) {
			struct icaltimetype t = icalrecur_iterator_next(it);
			if (icaltime_is_null_time(t))
				break;
			int64_t s = busy_instant(ctx, ds, t);
			if (s >= ctx->to)
				break;
			if (s + reach <= ctx->from)
				continue;
			if (busy_excluded(ctx, ev, s, t) || busy_overridden(ov, n_ov, uid, s))
				continue;
			busy_add(ctx, s, busy_end_of(ctx, t, s, len, len_days), uid);
		}
		icalrecur_iterator_free(it);
	}
	for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype rd = icalproperty_get_rdate(p);
		if (icaltime_is_null_time(rd.time))
			continue; /* a PERIOD: rare enough to leave out */
		int64_t s = busy_instant(ctx, p, rd.time);
		if (!busy_excluded(ctx, ev, s, rd.time) && !busy_overridden(ov, n_ov, uid, s))
			busy_add(ctx, s, busy_end_of(ctx, rd.time, s, len, len_days), uid);
	}
	return true;
}

static void busy_skip(busy_ctx *ctx, const char *uid, const char *why)
{
	ctx->out->skipped++;
	log_warn("calendar %s: event %s skipped: %s", ctx->label, *uid ? uid : "(no UID)", why);
}

status ics_busy_read(const char *text, size_t len, const tz *zone, int64_t from, int64_t to,
		     const char *label, arena *a, ics_busy_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	/* libical wants a NUL-terminated string. */
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	icalcomponent *cal = icalparser_parse_string(copy);
	free(copy);
	if (cal && icalcomponent_isa(cal) == ICAL_XROOT_COMPONENT) {
		/* Several top-level objects: the first VCALENDAR is the calendar. */
		icalcomponent *inner = icalcomponent_get_first_component(cal, ICAL_VCALENDAR_COMPONENT);
		if (inner) {
			icalcomponent_remove_component(cal, inner);
			icalcomponent_free(cal);
			cal = inner;
		}
	}
	if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		if (cal)
			icalcomponent_free(cal);
		snprintf(err, errlen, "not an iCalendar file (no VCALENDAR)");
		return STATUS_INVALID;
	}
	busy_ctx ctx = {.cal = cal, .zone = zone, .from = from, .to = to, .label = label,
			.a = a, .out = out};

	/* First the overrides (RECURRENCE-ID): each replaces one occurrence of its series. */
	size_t n_ov = 0, ov_cap = 0;
	busy_override *ov = NULL;
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		icalproperty *rid = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
		const char *uid = icalcomponent_get_uid(ev);
		if (!rid || !uid)
			continue;
		struct icaltimetype t = icalproperty_get_recurrenceid(rid);
		if (icaltime_is_null_time(t))
			continue;
		if (n_ov == ov_cap) {
			ov_cap = ov_cap ? ov_cap * 2 : 16;
			busy_override *grown = arena_alloc(a, ov_cap * sizeof(*grown));
			if (n_ov)
				memcpy(grown, ov, n_ov * sizeof(*grown));
			ov = grown;
		}
		ov[n_ov++] = (busy_override){arena_strdup(a, uid), busy_instant(&ctx, rid, t)};
	}

	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		const char *u = icalcomponent_get_uid(ev);
		const char *uid = arena_strdup(a, u ? u : "");
		const char *fault = busy_fault(ev);
		if (fault) {
			busy_skip(&ctx, uid, fault);
			continue;
		}
		if (busy_ignored(ev)) {
			out->ignored++;
			continue;
		}
		int64_t start, dur;
		int days;
		if (!busy_first(&ctx, ev, &start, &dur, &days)) {
			busy_skip(&ctx, uid, "it ends before it starts");
			continue;
		}
		bool recurring = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) ||
				 icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY);
		bool is_override = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
		icalproperty *ds = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		struct icaltimetype st = icalproperty_get_dtstart(ds);
		if (recurring && !is_override) {
			if (!busy_expand(&ctx, ev, uid, dur, days, ov, n_ov)) {
				busy_skip(&ctx, uid, "its recurrence rule could not be read");
				continue;
			}
		} else if (is_override || !busy_overridden(ov, n_ov, uid, start)) {
			busy_add(&ctx, start, busy_end_of(&ctx, st, start, dur, days), uid);
		}
		out->events++;
	}
	icalcomponent_free(cal);
	return STATUS_OK;
}
