/* pricing.c - dynamic pricing: the rules document, and the one function that prices. */
#include "core/pricing.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/policy.h"

/* Amounts above this (a hundred billion major units) are refused: sums stay far from
 * overflow. */
#define PRICING_AMOUNT_MAX 10000000000000LL
/* Lengths and lead times up to ten years. */
#define PRICING_SPAN_MAX (10LL * 366 * 86400)

static status bad(char *field, size_t len, const char *fmt, const char *a, int i, const char *b)
{
	if (field && len) {
		if (i >= 0)
			snprintf(field, len, fmt, a, i, b);
		else
			snprintf(field, len, fmt, a, b);
	}
	return STATUS_INVALID;
}

/* An integer member in [lo, hi]; absent leaves *out. False when present and wrong. */
static bool int_member(json_t *o, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	json_t *v = json_object_get(o, key); /* borrowed */
	if (!v)
		return true;
	if (!json_is_integer(v))
		return false;
	json_int_t x = json_integer_value(v);
	if (x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

/* A string member of at most PRICING_NAME_MAX - 1 bytes copied to out (absent: ""). */
static bool str_member(json_t *o, const char *key, bool required, char out[PRICING_NAME_MAX])
{
	json_t *v = json_object_get(o, key); /* borrowed */
	out[0] = '\0';
	if (!v)
		return !required;
	if (!json_is_string(v))
		return false;
	size_t n = json_string_length(v);
	if (n >= PRICING_NAME_MAX || (required && n == 0))
		return false;
	memcpy(out, json_string_value(v), n + 1);
	return true;
}

/* "HH:MM" (00:00..24:00) into seconds. */
static bool parse_hhmm(json_t *v, int32_t *out)
{
	const char *s = json_string_value(v);
	if (!s || strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return false;
	*out = h * 3600 + m * 60;
	return true;
}

/* A {"min","max"} range of seconds; either may be left out (-1). */
static bool span_member(json_t *o, const char *key, int64_t *min, int64_t *max)
{
	*min = *max = -1;
	json_t *v = json_object_get(o, key); /* borrowed */
	if (!v)
		return true;
	if (!json_is_object(v))
		return false;
	if (!int_member(v, "min", 0, PRICING_SPAN_MAX, min) ||
	    !int_member(v, "max", 0, PRICING_SPAN_MAX, max))
		return false;
	return *min < 0 || *max < 0 || *min < *max;
}

static status parse_rule(json_t *o, int i, pricing_rule *r, char *field, size_t fl)
{
	memset(r, 0, sizeof(*r));
	if (!json_is_object(o))
		return bad(field, fl, "%s[%d]%s", "rules", i, "");
	if (!str_member(o, "name", true, r->name))
		return bad(field, fl, "%s[%d].%s", "rules", i, "name");
	json_t *d = json_object_get(o, "dates"); /* borrowed */
	if (d) {
		const char *f = json_string_value(json_object_get(d, "from"));
		const char *t = json_string_value(json_object_get(d, "to"));
		if (!f || !t || !civil_parse_date(f, strlen(f), &r->from_day) ||
		    !civil_parse_date(t, strlen(t), &r->to_day) || r->to_day < r->from_day)
			return bad(field, fl, "%s[%d].%s", "rules", i, "dates");
		r->has_dates = true;
	}
	json_t *w = json_object_get(o, "weekdays"); /* borrowed */
	if (w) {
		size_t k;
		json_t *e;
		if (!json_is_array(w) || json_array_size(w) == 0)
			return bad(field, fl, "%s[%d].%s", "rules", i, "weekdays");
		json_array_foreach(w, k, e)
		{
			if (!json_is_integer(e) || json_integer_value(e) < 1 || json_integer_value(e) > 7)
				return bad(field, fl, "%s[%d].%s", "rules", i, "weekdays");
			r->weekdays |= 1u << json_integer_value(e);
		}
	}
	json_t *t = json_object_get(o, "time"); /* borrowed */
	if (t) {
		if (!parse_hhmm(json_object_get(t, "from"), &r->time_from) ||
		    !parse_hhmm(json_object_get(t, "to"), &r->time_to) || r->time_from == r->time_to)
			return bad(field, fl, "%s[%d].%s", "rules", i, "time");
		r->has_time = true;
	}
	if (!span_member(o, "lead_s", &r->lead_min_s, &r->lead_max_s))
		return bad(field, fl, "%s[%d].%s", "rules", i, "lead_s");
	if (!span_member(o, "length_s", &r->length_min_s, &r->length_max_s))
		return bad(field, fl, "%s[%d].%s", "rules", i, "length_s");
	if (!str_member(o, "location", false, r->location))
		return bad(field, fl, "%s[%d].%s", "rules", i, "location");
	if (!str_member(o, "resource", false, r->resource))
		return bad(field, fl, "%s[%d].%s", "rules", i, "resource");
	json_t *m = json_object_get(o, "multiplier_bp"), *a = json_object_get(o, "adjust_minor");
	if ((m == NULL) == (a == NULL))
		return bad(field, fl, "%s[%d].%s", "rules", i, m ? "adjust_minor" : "multiplier_bp");
	int64_t v = 0;
	if (m) {
		if (!int_member(o, "multiplier_bp", 0, 10 * PRICING_BP_ONE, &v))
			return bad(field, fl, "%s[%d].%s", "rules", i, "multiplier_bp");
		r->is_multiplier = true;
		r->multiplier_bp = (int32_t)v;
	} else {
		if (!int_member(o, "adjust_minor", -PRICING_AMOUNT_MAX, PRICING_AMOUNT_MAX, &v))
			return bad(field, fl, "%s[%d].%s", "rules", i, "adjust_minor");
		r->adjust_minor = v;
	}
	return STATUS_OK;
}

static status parse_doc(json_t *doc, pricing_rules *out, char *field, size_t fl)
{
	if (!json_is_object(doc))
		return bad(field, fl, "%s%s", "pricing", -1, "");
	json_t *rates = json_object_get(doc, "rates"); /* borrowed */
	if (rates) {
		if (!json_is_object(rates))
			return bad(field, fl, "%s%s", "rates", -1, "");
		if (!int_member(rates, "hour_minor", 0, PRICING_AMOUNT_MAX, &out->hour_minor))
			return bad(field, fl, "%s%s", "rates.hour_minor", -1, "");
		if (!int_member(rates, "day_minor", 0, PRICING_AMOUNT_MAX, &out->day_minor))
			return bad(field, fl, "%s%s", "rates.day_minor", -1, "");
	}
	json_t *rules = json_object_get(doc, "rules"); /* borrowed */
	if (rules) {
		if (!json_is_array(rules) || json_array_size(rules) > PRICING_MAX_RULES)
			return bad(field, fl, "%s%s", "rules", -1, "");
		size_t i;
		json_t *o;
		json_array_foreach(rules, i, o)
		{
			status st = parse_rule(o, (int)i, &out->rule[i], field, fl);
			if (st != STATUS_OK)
				return st;
			out->n_rules++;
		}
	}
	json_t *addons = json_object_get(doc, "addons"); /* borrowed */
	if (addons) {
		if (!json_is_array(addons) || json_array_size(addons) > PRICING_MAX_ADDONS)
			return bad(field, fl, "%s%s", "addons", -1, "");
		size_t i;
		json_t *o;
		json_array_foreach(addons, i, o)
		{
			pricing_addon *ad = &out->addon[i];
			int k = (int)i;
			if (!json_is_object(o) || !str_member(o, "id", true, ad->id))
				return bad(field, fl, "%s[%d].%s", "addons", k, "id");
			for (size_t j = 0; j < i; j++)
				if (strcmp(out->addon[j].id, ad->id) == 0)
					return bad(field, fl, "%s[%d].%s", "addons", k, "id");
			if (!str_member(o, "name", true, ad->name))
				return bad(field, fl, "%s[%d].%s", "addons", k, "name");
			if (!json_object_get(o, "price_minor") ||
			    !int_member(o, "price_minor", 0, PRICING_AMOUNT_MAX, &ad->price_minor))
				return bad(field, fl, "%s[%d].%s", "addons", k, "price_minor");
			if (!int_member(o, "duration_s", 0, 7 * 86400, &ad->duration_s))
				return bad(field, fl, "%s[%d].%s", "addons", k, "duration_s");
			out->n_addons++;
		}
	}
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, "rates") && strcmp(key, "rules") && strcmp(key, "addons"))
			return bad(field, fl, "%s%s", key, -1, "");
	}
	return STATUS_OK;
}

status pricing_parse(const char *json, pricing_rules *out, char *field, size_t fieldlen)
{
	memset(out, 0, sizeof(*out));
	if (!json || !json[0])
		return STATUS_OK;
	json_t *doc = json_loads(json, JSON_REJECT_DUPLICATES, NULL); /* owned */
	status st = doc ? parse_doc(doc, out, field, fieldlen)
			: bad(field, fieldlen, "%s%s", "pricing", -1, "");
	json_decref(doc);
	if (st != STATUS_OK)
		memset(out, 0, sizeof(*out));
	return st;
}

bool pricing_empty(const pricing_rules *r)
{
	return !r || (r->hour_minor == 0 && r->day_minor == 0 && r->n_rules == 0 && r->n_addons == 0);
}

int64_t pricing_bp_of(int64_t x, int32_t bp)
{
	/* |x| stays below 2^53 (amounts are capped), so x * bp does not overflow. */
	int64_t p = x * bp;
	int64_t q = p / PRICING_BP_ONE, rem = p % PRICING_BP_ONE;
	if (rem * 2 >= PRICING_BP_ONE)
		q++;
	else if (rem * 2 <= -PRICING_BP_ONE)
		q--;
	return q;
}

static pricing_line *add_line(pricing_quote *q, const char *kind, const char *label,
			      int64_t quantity, int64_t unit, int32_t bp, int64_t amount)
{
	pricing_line *l = &q->line[q->n++];
	*l = (pricing_line){.kind = kind, .label = label, .quantity = quantity,
			    .unit_minor = unit, .bp = bp, .amount_minor = amount};
	return l;
}

/* The rental base from rates: whole local days, then the hours left. */
static int64_t rental_base(const pricing_rules *r, const pricing_input *in, pricing_quote *q)
{
	int64_t span = in->end - in->start;
	int64_t seats = in->seats;
	if (r->day_minor == 0) {
		int64_t hours = (span + 3599) / 3600;
		add_line(q, "hours", "", hours, r->hour_minor * seats, 0, hours * r->hour_minor * seats);
		return hours * r->hour_minor * seats;
	}
	int64_t wall = tz_to_wall(in->zone, in->start);
	int64_t days = span / 86400 + 1;
	while (days > 0 && tz_from_wall(in->zone, wall + days * 86400, NULL) > in->end)
		days--;
	int64_t rest = in->end - (days > 0 ? tz_from_wall(in->zone, wall + days * 86400, NULL)
					   : in->start);
	int64_t hours = rest > 0 ? (rest + 3599) / 3600 : 0;
	if (hours > 0 && (r->hour_minor == 0 || hours * r->hour_minor >= r->day_minor)) {
		days++; /* a started day, or hours dearer than a day: one more day */
		hours = 0;
	}
	if (days == 0 && hours == 0)
		days = 1; /* nothing is free: an empty span is one day */
	int64_t amount = 0;
	if (days > 0) {
		add_line(q, "days", "", days, r->day_minor * seats, 0, days * r->day_minor * seats);
		amount += days * r->day_minor * seats;
	}
	if (hours > 0) {
		add_line(q, "hours", "", hours, r->hour_minor * seats, 0,
			 hours * r->hour_minor * seats);
		amount += hours * r->hour_minor * seats;
	}
	return amount;
}

static bool in_span(int64_t x, int64_t min, int64_t max)
{
	return (min < 0 || x >= min) && (max < 0 || x < max);
}

static bool rule_holds(const pricing_rule *rl, const pricing_input *in, int64_t day,
		       int32_t sec)
{
	if (rl->has_dates && (day < rl->from_day || day > rl->to_day))
		return false;
	if (rl->weekdays && !(rl->weekdays & (1u << (civil_weekday(day) + 1))))
		return false;
	if (rl->has_time) {
		bool inside = rl->time_from < rl->time_to
				      ? sec >= rl->time_from && sec < rl->time_to
				      : sec >= rl->time_from || sec < rl->time_to;
		if (!inside)
			return false;
	}
	if (!in_span(in->start - in->now, rl->lead_min_s, rl->lead_max_s))
		return false;
	if (!in_span(in->end - in->start, rl->length_min_s, rl->length_max_s))
		return false;
	if (rl->location[0] && (!in->location || strcmp(rl->location, in->location) != 0))
		return false;
	if (rl->resource[0] && (!in->resource_id || strcmp(rl->resource, in->resource_id) != 0))
		return false;
	return true;
}

status pricing_quote_make(const pricing_rules *r, const pricing_input *in, pricing_quote *out,
			  const char **bad_out)
{
	out->total_minor = out->extra_s = 0;
	out->n = 0;
	if (in->seats < 1 || in->end < in->start)
		return STATUS_INVALID;
	const service *svc = in->svc;
	int64_t base;
	if (r && svc->kind == SERVICE_RENTAL && (r->day_minor > 0 || r->hour_minor > 0)) {
		base = rental_base(r, in, out);
	} else {
		base = policy_price(svc, in->start, in->end, in->seats);
		int64_t per = svc->price_minor * in->seats;
		int64_t units = per ? base / per : 1;
		add_line(out, "base", svc->name, svc->kind == SERVICE_RENTAL ? units : in->seats,
			 svc->kind == SERVICE_RENTAL ? per : svc->price_minor, 0, base);
	}
	int64_t total = base;
	if (r) {
		int64_t wall = tz_to_wall(in->zone, in->start);
		int64_t day = wall >= 0 ? wall / 86400 : -((-wall + 86399) / 86400);
		int32_t sec = (int32_t)(wall - day * 86400);
		for (int i = 0; i < r->n_rules; i++) {
			const pricing_rule *rl = &r->rule[i];
			if (!rule_holds(rl, in, day, sec))
				continue;
			int64_t amount = rl->is_multiplier
						 ? pricing_bp_of(base, rl->multiplier_bp - PRICING_BP_ONE)
						 : rl->adjust_minor * in->seats;
			add_line(out, "rule", rl->name, 1, rl->is_multiplier ? base : rl->adjust_minor,
				 rl->is_multiplier ? rl->multiplier_bp : 0, amount);
			total += amount;
		}
	}
	for (size_t k = 0; k < in->n_addons; k++) {
		const pricing_addon *ad = NULL;
		for (int j = 0; r && j < r->n_addons && !ad; j++)
			if (strcmp(r->addon[j].id, in->addons[k]) == 0)
				ad = &r->addon[j];
		bool twice = false;
		for (size_t j = 0; j < k; j++)
			twice = twice || strcmp(in->addons[j], in->addons[k]) == 0;
		if (!ad || twice) {
			if (bad_out)
				*bad_out = in->addons[k];
			out->n = 0;
			return STATUS_NOT_FOUND;
		}
		add_line(out, "addon", ad->name, 1, ad->price_minor, 0, ad->price_minor);
		total += ad->price_minor;
		out->extra_s += ad->duration_s;
	}
	/* The loyalty hook: a tier discount is the last line, off the subtotal. */
	if (in->tier_discount_bp > 0 && total > 0) {
		int64_t off = -pricing_bp_of(total, in->tier_discount_bp);
		add_line(out, "tier", in->tier_name ? in->tier_name : "", 1, total,
			 in->tier_discount_bp, off);
		total += off;
	}
	out->total_minor = total < 0 ? 0 : total;
	return STATUS_OK;
}
