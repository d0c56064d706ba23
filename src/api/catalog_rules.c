/* catalog_rules.c - JSON <-> catalogue records with the rules of docs/config-format.md. */
#include "api/catalog_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "core/tz.h"
#include "base/ids.h"
#include "base/text.h"
#include "core/avail.h"
#include "store/availability.h"

/* Adds an error for path.key (or just key when path is ""). */
static void rd_err(catalog_reader *rd, const char *path, const char *key, const char *detail)
{
	if (*path && *key)
		errlist_add(rd->errs, detail, "%s.%s", path, key);
	else
		errlist_add(rd->errs, detail, "%s", *path ? path : key);
}

static const char *rd_str(catalog_reader *rd, const json_t *o, const char *key, const char *def,
			  bool required, size_t maxlen, const char *path)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v)) {
		if (required)
			rd_err(rd, path, key, "is required");
		return def;
	}
	if (!json_is_string(v)) {
		rd_err(rd, path, key, "must be a string");
		return def;
	}
	const char *s = json_string_value(v);
	if (strlen(s) > maxlen) {
		rd_err(rd, path, key, "is too long");
		return def;
	}
	/* Free text may break lines; every other field is one line (base/text.h). */
	bool free_text = strcmp(key, "description") == 0 || strcmp(key, "address") == 0;
	const char *fault = text_fault(s, strlen(s), free_text ? TEXT_MULTILINE : TEXT_LINE);
	if (fault) {
		rd_err(rd, path, key, fault);
		return def;
	}
	if (required && *s == '\0')
		rd_err(rd, path, key, "must not be empty");
	return arena_strdup(rd->a, s);
}

static int64_t rd_int(catalog_reader *rd, const json_t *o, const char *key, int64_t def,
		      int64_t min, int64_t max, const char *path)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return def;
	if (!json_is_integer(v)) {
		rd_err(rd, path, key, "must be an integer");
		return def;
	}
	int64_t n = json_integer_value(v);
	if (n < min || n > max) {
		char d[96];
		snprintf(d, sizeof(d), "must be between %lld and %lld", (long long)min, (long long)max);
		rd_err(rd, path, key, d);
		return def;
	}
	return n;
}

static bool rd_bool(catalog_reader *rd, const json_t *o, const char *key, bool def,
		    const char *path)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return def;
	if (!json_is_boolean(v)) {
		rd_err(rd, path, key, "must be true or false");
		return def;
	}
	return json_is_true(v);
}

static bool rd_id_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return false;
	return true;
}

/* The row's id from o, or a new one. */
static const char *rd_id(catalog_reader *rd, const json_t *o, const char *prefix,
			 const char *path)
{
	const char *id = rd_str(rd, o, "id", NULL, false, 64, path);
	if (!id)
		return ids_new(rd->a, prefix);
	if (!rd_id_ok(id))
		rd_err(rd, path, "id", "must be 1-64 letters, digits, '_' or '-'");
	return id;
}

/* An optional reference to another row: an id or null. */
static const char *rd_ref(catalog_reader *rd, const json_t *o, const char *key, bool required,
			  const char *path)
{
	const char *id = rd_str(rd, o, key, NULL, required, 64, path);
	if (id && *id && !rd_id_ok(id))
		rd_err(rd, path, key, "must be an id");
	return id;
}

/* "HH:MM" -> minutes; 24:00 allowed when allow_24. -1 when malformed. */
static int rd_hhmm(const char *s, bool allow_24)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
		return -1;
	return h * 60 + m;
}

static const char *rd_date(catalog_reader *rd, const json_t *o, const char *key, bool required,
			   const char *path)
{
	const char *s = rd_str(rd, o, key, NULL, required, 10, path);
	int64_t d;
	if (s && !civil_parse_date(s, strlen(s), &d)) {
		rd_err(rd, path, key, "must be a date YYYY-MM-DD");
		return NULL;
	}
	return s;
}

static bool rd_instant(catalog_reader *rd, const json_t *o, const char *key, int64_t *out,
		       const char *path)
{
	const char *s = rd_str(rd, o, key, NULL, true, 64, path);
	if (s && !tz_parse_rfc3339(s, strlen(s), out)) {
		rd_err(rd, path, key, "must be an RFC 3339 instant with an offset");
		return false;
	}
	return s != NULL;
}

/* "business" | "provider:ID" | "resource:ID" */
static bool rd_owner(catalog_reader *rd, const json_t *o, const char *path, bool allow_business,
		     sched_owner *out)
{
	const char *s = rd_str(rd, o, "owner", allow_business ? "business" : NULL, !allow_business,
			       140, path);
	if (!s)
		return false;
	if (allow_business && strcmp(s, "business") == 0) {
		out->kind = "business";
		out->id = rd->business_id;
		return true;
	}
	if (strncmp(s, "provider:", 9) == 0 && rd_id_ok(s + 9)) {
		out->kind = "provider";
	} else if (strncmp(s, "resource:", 9) == 0 && rd_id_ok(s + 9)) {
		out->kind = "resource";
	} else {
		rd_err(rd, path, "owner",
		       allow_business ? "must be \"business\", \"provider:ID\" or \"resource:ID\""
				      : "must be \"provider:ID\" or \"resource:ID\"");
		return false;
	}
	out->id = s + 9;
	return true;
}

static int rd_errors(const catalog_reader *rd)
{
	return rd->errs->count + rd->errs->dropped;
}

void catalog_unknown_keys(catalog_reader *rd, const json_t *o, const char *path,
			  const char *const *allowed)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		bool known = false;
		for (int i = 0; allowed[i] && !known; i++)
			known = strcmp(allowed[i], key) == 0;
		if (!known)
			rd_err(rd, path, key, "is not a field of this object");
	}
}

#define CATALOG_EMBED_ORIGINS_MAX 20

/* An origin a page may be framed by: http or https, a host of letters, digits, '-' and
 * '.' (a leading "*." allowed), an optional port, nothing after. Lower-cased into a. The
 * characters allowed are all a CSP source may hold, so it goes into the header as it is. */
static const char *rd_origin(arena *a, const char *s)
{
	size_t n = strlen(s), scheme;
	if (strncmp(s, "https://", 8) == 0)
		scheme = 8;
	else if (strncmp(s, "http://", 7) == 0)
		scheme = 7;
	else
		return NULL;
	if (n > 200 || n == scheme)
		return NULL;
	char *out = arena_strdup(a, s);
	const char *host = out + scheme;
	if (strncmp(host, "*.", 2) == 0)
		host += 2;
	const char *colon = strchr(host, ':');
	size_t hl = colon ? (size_t)(colon - host) : strlen(host);
	if (hl == 0 || host[0] == '.' || host[0] == '-' || host[hl - 1] == '.' ||
	    host[hl - 1] == '-')
		return NULL;
	for (size_t i = 0; i < hl; i++) {
		char c = host[i];
		if (c >= 'A' && c <= 'Z')
			out[(size_t)(host - out) + i] = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			   (c == '.' && host[i + 1] != '.')))
			return NULL;
	}
	if (colon) {
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (colon[1] < '1' || colon[1] > '9' || *end || port > 65535)
			return NULL;
	}
	return out;
}

/* "embed_origins": a list of origins, kept as one space-separated string. */
static const char *rd_origins(catalog_reader *rd, const json_t *o, const char *path)
{
	const json_t *v = json_object_get(o, "embed_origins"); /* borrowed */
	if (!v || json_is_null(v))
		return "";
	if (!json_is_array(v) || json_array_size(v) > CATALOG_EMBED_ORIGINS_MAX) {
		rd_err(rd, path, "embed_origins", "must be a list of at most 20 origins");
		return "";
	}
	buf b;
	buf_init(&b, 8192);
	size_t i;
	const json_t *e;
	json_array_foreach(v, i, e) {
		const char *origin = json_is_string(e) ? rd_origin(rd->a, json_string_value(e)) : NULL;
		if (!origin) {
			char key[48]; /* 14 + at most 20 digits + 2: always fits */
			snprintf(key, sizeof(key), "embed_origins[%zu]", i);
			rd_err(rd, path, key,
			       "must be an origin like https://shop.example (scheme, host, optional "
			       "port; nothing after)");
			continue;
		}
		if (b.len)
			buf_addc(&b, ' ');
		buf_adds(&b, origin);
	}
	const char *out = arena_strdup(rd->a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/* A logo's address: https, printable, nothing that could leave an attribute or a URL. */
static bool rd_logo_ok(const char *s)
{
	if (!*s)
		return true;
	if (strncmp(s, "https://", 8) != 0 || !s[8])
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"'<>\\`{}|^", *p))
			return false;
	return true;
}

static bool rd_colour_ok(const char *s)
{
	if (!*s)
		return true;
	if (strlen(s) != 7 || s[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

bool catalog_business_read(catalog_reader *rd, const json_t *o, const char *path,
			   business *out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->name = rd_str(rd, o, "name", NULL, true, 200, path);
	out->timezone = rd_str(rd, o, "timezone", NULL, true, 64, path);
	out->currency = rd_str(rd, o, "currency", "EUR", false, 3, path);
	out->locale = rd_str(rd, o, "locale", "en", false, 35, path);
	out->address = rd_str(rd, o, "address", "", false, 500, path);
	out->phone = rd_str(rd, o, "phone", "", false, 40, path);
	out->hold_ttl_s = rd_int(rd, o, "hold_ttl_s", 600, 60, 86400, path);
	out->no_show_grace_s = rd_int(rd, o, "no_show_grace_s", 900, 0, 7 * 86400, path);
	out->auto_no_show = rd_bool(rd, o, "auto_no_show", false, path);
	out->embed_origins = rd_origins(rd, o, path);
	out->listed = rd_bool(rd, o, "listed", false, path);
	out->logo_url = rd_str(rd, o, "logo_url", "", false, 500, path);
	if (out->logo_url && !rd_logo_ok(out->logo_url)) {
		rd_err(rd, path, "logo_url", "must be an https:// URL or empty");
		out->logo_url = "";
	}
	out->accent_colour = rd_str(rd, o, "accent_colour", "", false, 7, path);
	if (out->accent_colour && !rd_colour_ok(out->accent_colour)) {
		rd_err(rd, path, "accent_colour", "must be a colour #rrggbb or empty");
		out->accent_colour = "";
	}
	out->require_phone = rd_bool(rd, o, "require_phone", false, path);
	if (out->timezone && !tz_get(out->timezone))
		rd_err(rd, path, "timezone", "is not a known IANA time zone");
	const char *cur = out->currency;
	if (cur && (strlen(cur) != 3 || cur[0] < 'A' || cur[0] > 'Z' || cur[1] < 'A' ||
		    cur[1] > 'Z' || cur[2] < 'A' || cur[2] > 'Z'))
		rd_err(rd, path, "currency", "must be an ISO 4217 code like EUR");
	bool loc_ok = out->locale && *out->locale;
	for (const char *p = out->locale; loc_ok && *p; p++)
		loc_ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			 (*p >= '0' && *p <= '9') || *p == '-';
	if (out->locale && !loc_ok && !rd->import_rules)
		rd_err(rd, path, "locale", "must be a BCP 47 tag like en-GB");
	return rd_errors(rd) == before;
}

const char *catalog_slug_read(catalog_reader *rd, const json_t *o, const char *path)
{
	const char *slug = rd_str(rd, o, "slug", NULL, true, 63, path);
	if (!slug)
		return NULL;
	bool ok = strlen(slug) >= 2;
	for (const char *p = slug; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
	if (!ok) {
		rd_err(rd, path, "slug", "must be 2-63 lower-case letters, digits or '-'");
		return NULL;
	}
	if (strcmp(slug, "bookings") == 0 || strcmp(slug, "businesses") == 0) {
		rd_err(rd, path, "slug", "is reserved");
		return NULL;
	}
	return slug;
}

json_t *catalog_embed_origins_json(const char *origins)
{
	json_t *list = json_array();
	for (const char *p = origins ? origins : ""; *p;) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		json_array_append_new(list, json_stringn(p, n)); /* steals */
		p += n;
		while (*p == ' ')
			p++;
	}
	return list;
}

json_t *catalog_business_json(const business *b)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b}", "id", b->id,
			      "slug", b->slug, "name", b->name, "timezone", b->timezone, "currency",
			      b->currency, "locale", b->locale, "address", b->address ? b->address : "",
			      "phone", b->phone ? b->phone : "", "hold_ttl_s", (json_int_t)b->hold_ttl_s,
			      "no_show_grace_s", (json_int_t)b->no_show_grace_s, "auto_no_show",
			      b->auto_no_show);
	/* set_new steals each new reference. */
	json_object_set_new(o, "embed_origins", catalog_embed_origins_json(b->embed_origins));
	json_object_set_new(o, "listed", json_boolean(b->listed));
	json_object_set_new(o, "logo_url", json_string(b->logo_url ? b->logo_url : ""));
	json_object_set_new(o, "accent_colour", json_string(b->accent_colour ? b->accent_colour : ""));
	json_object_set_new(o, "require_phone", json_boolean(b->require_phone));
	return o;
}

bool catalog_provider_read(catalog_reader *rd, const json_t *o, const char *path,
			   provider *out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->id = rd_id(rd, o, "prv", path);
	out->name = rd_str(rd, o, "name", NULL, true, 200, path);
	out->email = rd_str(rd, o, "email", "", false, 254, path);
	out->timezone = rd_str(rd, o, "timezone", NULL, false, 64, path);
	out->user_id = rd_ref(rd, o, "user_id", false, path);
	out->active = rd_bool(rd, o, "active", true, path);
	if (out->timezone && !tz_get(out->timezone))
		rd_err(rd, path, "timezone", "is not a known IANA time zone");
	return rd_errors(rd) == before;
}

json_t *catalog_provider_json(const provider *p)
{
	/* "s?" writes null for a NULL string. */
	return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b}", "id", p->id, "name", p->name, "email",
			 p->email ? p->email : "", "timezone", p->timezone, "user_id", p->user_id,
			 "active", p->active);
}

bool catalog_resource_read(catalog_reader *rd, const json_t *o, const char *path,
			   resource *out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->id = rd_id(rd, o, "res", path);
	out->name = rd_str(rd, o, "name", NULL, true, 200, path);
	out->capacity = (int)rd_int(rd, o, "capacity", 1, 1, 10000, path);
	out->active = rd_bool(rd, o, "active", true, path);
	/* A rented item's turnaround: whole minutes, at most 30 days each side. */
	out->buffer_before_s = rd_int(rd, o, "buffer_before_s", 0, 0, 30 * 86400, path);
	out->buffer_after_s = rd_int(rd, o, "buffer_after_s", 0, 0, 30 * 86400, path);
	if (out->buffer_before_s % 60)
		rd_err(rd, path, "buffer_before_s", "must be whole minutes");
	if (out->buffer_after_s % 60)
		rd_err(rd, path, "buffer_after_s", "must be whole minutes");
	out->overnight = rd_bool(rd, o, "overnight", false, path);
	return rd_errors(rd) == before;
}

json_t *catalog_resource_json(const resource *r)
{
	return json_pack("{s:s, s:s, s:i, s:b, s:I, s:I, s:b}", "id", r->id, "name", r->name,
			 "capacity", r->capacity, "active", r->active, "buffer_before_s",
			 (json_int_t)r->buffer_before_s, "buffer_after_s",
			 (json_int_t)r->buffer_after_s, "overnight", r->overnight);
}

/* A list of distinct ids under key; *out in the arena. */
static void rd_id_list(catalog_reader *rd, const json_t *o, const char *key, const char *path,
		       const char ***out, int *count)
{
	const json_t *arr = json_object_get(o, key), *v; /* borrowed */
	*out = NULL;
	*count = 0;
	if (!arr || json_is_null(arr))
		return;
	if (!json_is_array(arr)) {
		rd_err(rd, path, key, "must be an array of ids");
		return;
	}
	*out = arena_alloc(rd->a, sizeof(char *) * (json_array_size(arr) + 1));
	size_t i;
	json_array_foreach(arr, i, v) {
		const char *key_i = arena_printf(rd->a, "%s[%zu]", key, i);
		if (!json_is_string(v) || !rd_id_ok(json_string_value(v))) {
			rd_err(rd, path, key_i, "must be an id");
			continue;
		}
		const char *id = json_string_value(v);
		bool dup = false;
		for (int j = 0; j < *count && !dup; j++)
			dup = strcmp((*out)[j], id) == 0;
		if (dup && !rd->import_rules)
			rd_err(rd, path, key_i, "is listed twice");
		else
			(*out)[(*count)++] = arena_strdup(rd->a, id);
	}
}

/* refund_tiers: [{"min_notice_s": N >= 0, "refund_percent": 0..100}, ...] as compact text. */
static const char *rd_refund_tiers(catalog_reader *rd, const json_t *o, const char *path)
{
	const json_t *tiers = json_object_get(o, "refund_tiers"); /* borrowed */
	if (!tiers || json_is_null(tiers))
		return "[]";
	if (!json_is_array(tiers)) {
		rd_err(rd, path, "refund_tiers", "must be an array");
		return "[]";
	}
	/* Import stores the entries as they are. */
	size_t n = rd->import_rules ? 0 : json_array_size(tiers);
	for (size_t i = 0; i < n; i++) {
		const json_t *t = json_array_get(tiers, i); /* borrowed */
		const char *p = arena_printf(rd->a, "%s%srefund_tiers[%zu]", path, *path ? "." : "", i);
		if (!json_is_object(t)) {
			rd_err(rd, p, "", "must be an object");
			continue;
		}
		if (!json_object_get(t, "min_notice_s"))
			rd_err(rd, p, "min_notice_s", "is required");
		if (!json_object_get(t, "refund_percent"))
			rd_err(rd, p, "refund_percent", "is required");
		rd_int(rd, t, "min_notice_s", 0, 0, 3 * 366 * 86400, p);
		rd_int(rd, t, "refund_percent", 0, 0, 100, p);
	}
	char *text = json_dumps(tiers, JSON_COMPACT);
	if (!text) /* never stored as no tiers at all */
		rd_err(rd, path, "refund_tiers", "could not be stored");
	const char *s = arena_strdup(rd->a, text ? text : "[]");
	free(text);
	return s;
}

bool catalog_service_read(catalog_reader *rd, const json_t *o, const char *path, service *s,
			  catalog_links *links)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	s->id = rd_id(rd, o, "svc", path);
	s->name = rd_str(rd, o, "name", NULL, true, 200, path);
	s->description = rd_str(rd, o, "description", "", false, 4000, path);
	const char *kind = rd_str(rd, o, "kind", "appointment", false, 20, path);
	if (kind && !service_kind_parse(kind, &s->kind))
		rd_err(rd, path, "kind", "must be appointment, class or rental");
	if (!json_object_get(o, "duration_s"))
		rd_err(rd, path, "duration_s", "is required");
	s->duration_s = rd_int(rd, o, "duration_s", 3600, 60, 366 * 86400, path);
	s->price_minor = rd_int(rd, o, "price_minor", 0, 0, INT64_C(1) << 40, path);
	s->capacity = (int)rd_int(rd, o, "capacity", 1, 1, 10000, path);
	s->buffer_before_s = rd_int(rd, o, "buffer_before_s", 0, 0, 86400, path);
	s->buffer_after_s = rd_int(rd, o, "buffer_after_s", 0, 0, 86400, path);
	s->min_notice_s = rd_int(rd, o, "min_notice_s", 0, 0, 366 * 86400, path);
	s->max_advance_s = rd_int(rd, o, "max_advance_s", 90 * 86400, 60, 3 * 366 * 86400, path);
	s->slot_interval_s = rd_int(rd, o, "slot_interval_s", 900, 60, 86400, path);
	s->min_length_s = rd_int(rd, o, "min_length_s", 0, 0, 366 * 86400, path);
	s->max_length_s = rd_int(rd, o, "max_length_s", 0, 0, 366 * 86400, path);
	s->whole_days = rd_bool(rd, o, "whole_days", false, path);
	s->needs_resource = rd_bool(rd, o, "needs_resource", false, path);
	s->requires_approval = rd_bool(rd, o, "requires_approval", false, path);
	s->cancel_until_s = rd_int(rd, o, "cancel_until_s", 0, 0, 366 * 86400, path);
	s->reschedule_until_s = rd_int(rd, o, "reschedule_until_s", 0, 0, 366 * 86400, path);
	s->active = rd_bool(rd, o, "active", true, path);
	s->position = (int)rd_int(rd, o, "position", 0, 0, 100000, path);
	s->refund_tiers = rd_refund_tiers(rd, o, path);
	rd_id_list(rd, o, "providers", path, &links->providers, &links->n_providers);
	rd_id_list(rd, o, "resources", path, &links->resources, &links->n_resources);
	if (s->min_notice_s >= s->max_advance_s)
		rd_err(rd, path, "min_notice_s",
		       "must be shorter than max_advance_s, or no slot can ever be offered");
	if (s->max_length_s && s->min_length_s > s->max_length_s)
		rd_err(rd, path, "min_length_s", "must not exceed max_length_s");
	if (rd_errors(rd) == before) {
		/* The slot engine's own judgement: a service that can never offer a slot. */
		avail_service as = store_avail_service(s);
		const char *field = NULL;
		if (avail_service_validate(&as, &field) != STATUS_OK)
			rd_err(rd, path, field ? field : "kind",
			       "makes a service that can never offer a slot");
	}
	return rd_errors(rd) == before;
}

static json_t *ids_json(const char *const *ids, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_string(ids[i]));
	return arr;
}

json_t *catalog_service_json(const service *s, const catalog_links *links)
{
	json_error_t err;
	json_t *tiers = json_loads(s->refund_tiers ? s->refund_tiers : "[]", 0, &err);
	if (!tiers)
		tiers = json_array();
	json_t *o = json_object();
	/* json_object_set_new steals each new value. */
	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "description", json_string(s->description ? s->description : ""));
	json_object_set_new(o, "kind", json_string(service_kind_name(s->kind)));
	json_object_set_new(o, "duration_s", json_integer(s->duration_s));
	json_object_set_new(o, "price_minor", json_integer(s->price_minor));
	json_object_set_new(o, "capacity", json_integer(s->capacity));
	json_object_set_new(o, "buffer_before_s", json_integer(s->buffer_before_s));
	json_object_set_new(o, "buffer_after_s", json_integer(s->buffer_after_s));
	json_object_set_new(o, "min_notice_s", json_integer(s->min_notice_s));
	json_object_set_new(o, "max_advance_s", json_integer(s->max_advance_s));
	json_object_set_new(o, "slot_interval_s", json_integer(s->slot_interval_s));
	json_object_set_new(o, "min_length_s", json_integer(s->min_length_s));
	json_object_set_new(o, "max_length_s", json_integer(s->max_length_s));
	json_object_set_new(o, "whole_days", json_boolean(s->whole_days));
	json_object_set_new(o, "needs_resource", json_boolean(s->needs_resource));
	json_object_set_new(o, "requires_approval", json_boolean(s->requires_approval));
	json_object_set_new(o, "cancel_until_s", json_integer(s->cancel_until_s));
	json_object_set_new(o, "reschedule_until_s", json_integer(s->reschedule_until_s));
	json_object_set_new(o, "refund_tiers", tiers);
	json_object_set_new(o, "active", json_boolean(s->active));
	json_object_set_new(o, "position", json_integer(s->position));
	json_object_set_new(o, "providers", ids_json(links->providers, links->n_providers));
	json_object_set_new(o, "resources", ids_json(links->resources, links->n_resources));
	return o;
}

static const char *const rd_weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool catalog_rule_read(catalog_reader *rd, const json_t *o, const char *path, sched_rule *out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->id = rd_id(rd, o, "sch", path);
	rd_owner(rd, o, path, true, &out->owner);
	const char *wd = rd_str(rd, o, "weekday", NULL, true, 3, path);
	out->weekday = -1;
	for (int d = 0; wd && d < 7; d++)
		if (strcmp(wd, rd_weekdays[d]) == 0)
			out->weekday = d;
	if (wd && out->weekday < 0)
		rd_err(rd, path, "weekday", "must be mon, tue, wed, thu, fri, sat or sun");
	const char *s = rd_str(rd, o, "start", NULL, true, 5, path);
	const char *e = rd_str(rd, o, "end", NULL, true, 5, path);
	int start = rd_hhmm(s, false), end = rd_hhmm(e, true);
	if (s && start < 0)
		rd_err(rd, path, "start", "must be a time HH:MM");
	if (e && end < 0)
		rd_err(rd, path, "end", "must be a time HH:MM (24:00 allowed)");
	if (start >= 0 && end >= 0 && end <= start)
		end += 1440; /* the rule crosses midnight into the next day */
	if (start >= 0 && end == start + 1440 && end > 1440)
		rd_err(rd, path, "end", "must differ from start");
	out->start_min = start;
	out->end_min = end;
	out->valid_from = rd_date(rd, o, "valid_from", false, path);
	out->valid_to = rd_date(rd, o, "valid_to", false, path);
	if (out->valid_from && out->valid_to && strcmp(out->valid_from, out->valid_to) > 0)
		rd_err(rd, path, "valid_from", "must not be after valid_to");
	return rd_errors(rd) == before;
}

/* A weekday name at key (required), as 0 = Monday ... 6 = Sunday, or -1 with an error. */
static int rd_weekday(catalog_reader *rd, const json_t *o, const char *key, const char *path)
{
	const char *wd = rd_str(rd, o, key, NULL, true, 3, path);
	for (int d = 0; wd && d < 7; d++)
		if (strcmp(wd, rd_weekdays[d]) == 0)
			return d;
	if (wd)
		rd_err(rd, path, key, "must be mon, tue, wed, thu, fri, sat or sun");
	return -1;
}

bool catalog_rule_copy_read(catalog_reader *rd, const json_t *o, const char *path,
			    sched_rule *scope, unsigned *to_days)
{
	static const char *const keys[] = {"owner", "weekday", "to", "valid_from", "valid_to", NULL};
	int before = rd_errors(rd);
	*to_days = 0;
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	catalog_unknown_keys(rd, o, path, keys);
	rd_owner(rd, o, path, true, &scope->owner);
	scope->weekday = rd_weekday(rd, o, "weekday", path);
	const json_t *to = json_object_get(o, "to"); /* borrowed */
	if (!json_is_array(to) || json_array_size(to) == 0 || json_array_size(to) > 7) {
		rd_err(rd, path, "to", "must be a list of 1 to 7 weekdays");
	} else {
		size_t i;
		const json_t *v;
		json_array_foreach(to, i, v) {
			int d = -1;
			for (int k = 0; json_is_string(v) && k < 7; k++)
				if (strcmp(json_string_value(v), rd_weekdays[k]) == 0)
					d = k;
			if (d < 0)
				rd_err(rd, path, arena_printf(rd->a, "to[%zu]", i),
				       "must be mon, tue, wed, thu, fri, sat or sun");
			else if (d == scope->weekday)
				rd_err(rd, path, arena_printf(rd->a, "to[%zu]", i),
				       "must differ from weekday");
			else
				*to_days |= 1u << d;
		}
	}
	scope->valid_from = rd_date(rd, o, "valid_from", false, path);
	scope->valid_to = rd_date(rd, o, "valid_to", false, path);
	if (scope->valid_from && scope->valid_to && strcmp(scope->valid_from, scope->valid_to) > 0)
		rd_err(rd, path, "valid_from", "must not be after valid_to");
	return rd_errors(rd) == before;
}

/* Minutes after midnight as "HH:MM" (an end past midnight as the next day's time). */
static json_t *hhmm_json(int min)
{
	if (min > 1440)
		min -= 1440;
	char s[8];
	snprintf(s, sizeof(s), "%02d:%02d", (min / 60) % 100, min % 60);
	return json_string(s);
}

const char *catalog_owner_name(const sched_owner *o, arena *a)
{
	if (strcmp(o->kind, "business") == 0)
		return "business";
	return arena_printf(a, "%s:%s", o->kind, o->id);
}

static json_t *owner_json(const sched_owner *o)
{
	if (strcmp(o->kind, "business") == 0)
		return json_string("business");
	return json_sprintf("%s:%s", o->kind, o->id); /* never cut short */
}

static json_t *date_or_null(const char *d)
{
	return d ? json_string(d) : json_null();
}

json_t *catalog_rule_json(const sched_rule *v)
{
	/* "o" steals the new references. */
	return json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "id", v->id, "owner",
			 owner_json(&v->owner), "weekday",
			 rd_weekdays[v->weekday >= 0 && v->weekday < 7 ? v->weekday : 0], "start",
			 hhmm_json(v->start_min), "end", hhmm_json(v->end_min), "valid_from",
			 date_or_null(v->valid_from), "valid_to", date_or_null(v->valid_to));
}

bool catalog_override_read(catalog_reader *rd, const json_t *o, const char *path,
			   sched_override *out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->id = rd_id(rd, o, "ovr", path);
	rd_owner(rd, o, path, true, &out->owner);
	out->date = rd_date(rd, o, "date", true, path);
	out->closed = rd_bool(rd, o, "closed", false, path);
	out->start_min = out->end_min = 0;
	if (!out->closed) {
		const char *s = rd_str(rd, o, "start", NULL, true, 5, path);
		const char *e = rd_str(rd, o, "end", NULL, true, 5, path);
		out->start_min = rd_hhmm(s, false);
		out->end_min = rd_hhmm(e, true);
		if (s && out->start_min < 0)
			rd_err(rd, path, "start", "must be a time HH:MM");
		if (e && out->end_min < 0)
			rd_err(rd, path, "end", "must be a time HH:MM (24:00 allowed)");
		if (out->start_min >= 0 && out->end_min >= 0 && out->end_min <= out->start_min)
			rd_err(rd, path, "end", "must be after start (or give closed: true)");
	}
	return rd_errors(rd) == before;
}

json_t *catalog_override_json(const sched_override *v)
{
	return json_pack("{s:s, s:o, s:s, s:b, s:o, s:o}", "id", v->id, "owner",
			 owner_json(&v->owner), "date", v->date, "closed", v->closed, "start",
			 v->closed ? json_null() : hhmm_json(v->start_min), "end",
			 v->closed ? json_null() : hhmm_json(v->end_min));
}

bool catalog_time_off_read(catalog_reader *rd, const json_t *o, const char *path,
			   sched_time_off *out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->id = rd_id(rd, o, "off", path);
	rd_owner(rd, o, path, false, &out->owner);
	bool ok = rd_instant(rd, o, "start", &out->start_at, path) &
		  rd_instant(rd, o, "end", &out->end_at, path);
	if (ok && out->end_at <= out->start_at)
		rd_err(rd, path, "end", "must be after start");
	out->reason = rd_str(rd, o, "reason", "", false, 500, path);
	return rd_errors(rd) == before;
}

static json_t *instant_json(const tz *z, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, t, s);
	return json_string(s);
}

json_t *catalog_time_off_json(const sched_time_off *v, const tz *z)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:s}", "id", v->id, "owner", owner_json(&v->owner),
			 "start", instant_json(z, v->start_at), "end", instant_json(z, v->end_at),
			 "reason", v->reason ? v->reason : "");
}

bool catalog_closure_read(catalog_reader *rd, const json_t *o, const char *path,
			  sched_closure *out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->id = rd_id(rd, o, "cls", path);
	out->date = rd_date(rd, o, "date", true, path);
	out->name = rd_str(rd, o, "name", "", false, 200, path);
	return rd_errors(rd) == before;
}

json_t *catalog_closure_json(const sched_closure *v)
{
	return json_pack("{s:s, s:s, s:s}", "id", v->id, "date", v->date, "name",
			 v->name ? v->name : "");
}

bool catalog_session_read(catalog_reader *rd, const json_t *o, const char *path,
			  sched_session *out, int *capacity_out)
{
	int before = rd_errors(rd);
	if (!json_is_object(o)) {
		rd_err(rd, path, "", "must be an object");
		return false;
	}
	out->id = rd_id(rd, o, "ses", path);
	out->service_id = rd_ref(rd, o, "service", true, path);
	out->provider_id = rd_ref(rd, o, "provider", false, path);
	out->resource_id = rd_ref(rd, o, "resource", false, path);
	rd_instant(rd, o, "start", &out->start_at, path);
	out->end_at = 0;
	*capacity_out = (int)rd_int(rd, o, "capacity", -1, 1, 10000, path);
	out->capacity = *capacity_out;
	return rd_errors(rd) == before;
}

json_t *catalog_session_json(const sched_session *v, const tz *z)
{
	return json_pack("{s:s, s:s, s:s?, s:s?, s:o, s:o, s:i}", "id", v->id, "service",
			 v->service_id, "provider", v->provider_id, "resource", v->resource_id,
			 "start", instant_json(z, v->start_at), "end", instant_json(z, v->end_at),
			 "capacity", v->capacity);
}
