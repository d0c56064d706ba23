/* config_extras.c - the document's packages and group rules (api/config_extras.h). */
#include "api/config_extras.h"

#include <stdio.h>
#include <string.h>

#include "api/config_read.h"
#include "base/ids.h"
#include "store/catalog.h"

enum { EXTRAS_PATH_MAX = 48 };

static const group_rules RULES_DEFAULT = {.group_min = 2};

static bool rules_default(const group_rules *g)
{
	return g->group_min == RULES_DEFAULT.group_min && !g->group_max && !g->min_attendance &&
	       !g->decide_before_s && !g->late_join_s;
}

/* The array under key (NULL when absent); a fault when it is not one. */
static const json_t *extras_array(catalog_reader *rd, const json_t *doc, const char *key,
				  bool *given)
{
	const json_t *v = json_object_get(doc, key); /* borrowed */
	*given = v != NULL;
	if (v && !json_is_array(v)) {
		errlist_add(rd->errs, "must be an array", "%s", key);
		return NULL;
	}
	return v;
}

/* A whole number field within [lo, hi] into *out (kept when absent). */
static void int_field(catalog_reader *rd, const json_t *o, const char *path, const char *key,
		      int64_t lo, int64_t hi, int64_t *out)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v)
		return;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		char detail[80];
		snprintf(detail, sizeof(detail), "must be a whole number from %lld to %lld",
			 (long long)lo, (long long)hi);
		errlist_add(rd->errs, detail, "%s.%s", path, key);
	} else {
		*out = json_integer_value(v);
	}
}

/* A string field of at most max bytes (NULL when absent; a fault when required). */
static const char *str_field(catalog_reader *rd, const json_t *o, const char *path,
			     const char *key, size_t max, bool required)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v)) {
		if (required)
			errlist_add(rd->errs, "is required", "%s.%s", path, key);
		return NULL;
	}
	if (!json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) > max) {
		char detail[64];
		snprintf(detail, sizeof(detail), "must be a non-empty string of at most %zu bytes",
			 max);
		errlist_add(rd->errs, detail, "%s.%s", path, key);
		return NULL;
	}
	return arena_strdup(rd->a, json_string_value(v));
}

/* Faults of keys o has beyond known. */
static void known_keys(catalog_reader *rd, const json_t *o, const char *path,
		       const char *const *known)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)o, key, v) { /* borrowed */
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(*k, key) == 0;
		if (!ok)
			errlist_add(rd->errs, "is not a field of this object", "%s.%s", path, key);
	}
}

static void read_packages(catalog_reader *rd, const json_t *doc, const config_doc *d,
			  config_extras *x)
{
	static const char *const known[] = {"id", "name", "service", "sessions", "price_minor",
					    "active", NULL};
	const json_t *arr = extras_array(rd, doc, "packages", &x->has_packages);
	size_t n = json_array_size(arr), i;
	const json_t *o;
	x->pkgs = arena_alloc(rd->a, sizeof(package) * (n + 1));
	json_array_foreach(arr, i, o) {
		char path[EXTRAS_PATH_MAX];
		snprintf(path, sizeof(path), "packages[%zu]", i);
		if (!json_is_object(o)) {
			errlist_add(rd->errs, "must be an object", "%s", path);
			continue;
		}
		int before = rd->errs->count + rd->errs->dropped;
		known_keys(rd, o, path, known);
		package p = {.active = true};
		p.id = str_field(rd, o, path, "id", 64, false);
		if (!p.id) /* left out: a new one (a bad one is a fault, and the row is dropped) */
			p.id = ids_new(rd->a, "pkg");
		p.name = str_field(rd, o, path, "name", 200, true);
		p.service_id = str_field(rd, o, path, "service", 64, true);
		if (p.service_id && config_find_service(d, p.service_id) < 0)
			errlist_add(rd->errs, "names no service of this document", "%s.service", path);
		int64_t sessions = 0, price = 0;
		if (!json_object_get(o, "sessions"))
			errlist_add(rd->errs, "is required", "%s.sessions", path);
		int_field(rd, o, path, "sessions", 1, 1000, &sessions);
		int_field(rd, o, path, "price_minor", 0, 100000000000LL, &price);
		p.sessions = (int)sessions;
		p.price_minor = price;
		const json_t *act = json_object_get(o, "active"); /* borrowed */
		if (act && !json_is_boolean(act))
			errlist_add(rd->errs, "must be true or false", "%s.active", path);
		else if (act)
			p.active = json_is_true(act);
		for (int j = 0; p.id && j < x->npkgs; j++)
			if (strcmp(x->pkgs[j].id, p.id) == 0)
				errlist_add(rd->errs, "is used twice", "%s.id", path);
		if (rd->errs->count + rd->errs->dropped == before)
			x->pkgs[x->npkgs++] = p;
	}
}

static void read_group_rules(catalog_reader *rd, const json_t *doc, const config_doc *d,
			     config_extras *x)
{
	static const char *const known[] = {"service", "group_min", "group_max", "min_attendance",
					    "decide_before_s", "late_join_s", NULL};
	const json_t *arr = extras_array(rd, doc, "group_rules", &x->has_group_rules);
	size_t n = json_array_size(arr), i;
	const json_t *o;
	x->grules = arena_alloc(rd->a, sizeof(config_group_rule) * (n + 1));
	json_array_foreach(arr, i, o) {
		char path[EXTRAS_PATH_MAX];
		snprintf(path, sizeof(path), "group_rules[%zu]", i);
		if (!json_is_object(o)) {
			errlist_add(rd->errs, "must be an object", "%s", path);
			continue;
		}
		int before = rd->errs->count + rd->errs->dropped;
		known_keys(rd, o, path, known);
		config_group_rule g = {.r = RULES_DEFAULT};
		g.service_id = str_field(rd, o, path, "service", 64, true);
		if (g.service_id && config_find_service(d, g.service_id) < 0)
			errlist_add(rd->errs, "names no service of this document", "%s.service", path);
		for (int j = 0; g.service_id && j < x->ngrules; j++)
			if (strcmp(x->grules[j].service_id, g.service_id) == 0)
				errlist_add(rd->errs, "has rules twice", "%s.service", path);
		int64_t gmin = g.r.group_min, gmax = 0, mina = 0;
		int_field(rd, o, path, "group_min", 1, GROUP_MAX_PARTICIPANTS, &gmin);
		int_field(rd, o, path, "group_max", 0, GROUP_MAX_PARTICIPANTS, &gmax);
		int_field(rd, o, path, "min_attendance", 0, 100000, &mina);
		int_field(rd, o, path, "decide_before_s", 0, 90 * 86400LL, &g.r.decide_before_s);
		int_field(rd, o, path, "late_join_s", 0, 86400, &g.r.late_join_s);
		g.r.group_min = (int)gmin;
		g.r.group_max = (int)gmax;
		g.r.min_attendance = (int)mina;
		if (gmax > 0 && gmin > gmax)
			errlist_add(rd->errs, "group_min must be from 1 to group_max", "%s.group_min",
				    path);
		if (rd->errs->count + rd->errs->dropped == before)
			x->grules[x->ngrules++] = g;
	}
}

void config_extras_read(catalog_reader *rd, const json_t *doc, const config_doc *d,
			config_extras *out)
{
	*out = (config_extras){0};
	read_packages(rd, doc, d, out);
	read_group_rules(rd, doc, d, out);
}

static status write_packages(db_conn *c, const char *business_id, const config_extras *x,
			     int64_t now, arena *a, errlist *errs)
{
	package *have = NULL;
	int nhave = 0;
	status st = store_packages_list(c, business_id, a, &have, &nhave);
	for (int i = 0; st == STATUS_OK && i < x->npkgs; i++) {
		const package *p = &x->pkgs[i];
		const package *old = NULL;
		for (int j = 0; j < nhave && !old; j++)
			if (strcmp(have[j].id, p->id) == 0)
				old = &have[j];
		if (!old) {
			package ins = *p;
			ins.created_at = now;
			st = store_package_insert(c, business_id, &ins);
		} else if (strcmp(old->service_id, p->service_id) != 0 ||
			   old->sessions != p->sessions) {
			errlist_add(errs,
				    "its service and sessions cannot change (sales copy them): "
				    "define a new package",
				    "packages:%s", p->id);
		} else {
			st = store_package_update(c, business_id, p->id, p->name, p->price_minor,
						  p->active ? 1 : 0, now);
		}
	}
	for (int j = 0; st == STATUS_OK && j < nhave; j++) {
		bool kept = false;
		for (int i = 0; i < x->npkgs && !kept; i++)
			kept = strcmp(x->pkgs[i].id, have[j].id) == 0;
		if (!kept && have[j].active) /* withdrawn, never deleted: sales draw on it */
			st = store_package_update(c, business_id, have[j].id, NULL, -1, 0, now);
	}
	if (st == STATUS_OK && !errlist_empty(errs))
		st = STATUS_CONFLICT;
	return st;
}

status config_extras_write(db_conn *c, const char *business_id, const config_doc *d,
			   const config_extras *x, int64_t now, arena *a, errlist *errs)
{
	status st = STATUS_OK;
	if (x->has_packages)
		st = write_packages(c, business_id, x, now, a, errs);
	for (int i = 0; st == STATUS_OK && x->has_group_rules && i < d->ns; i++) {
		const group_rules *r = &RULES_DEFAULT;
		for (int j = 0; j < x->ngrules; j++)
			if (strcmp(x->grules[j].service_id, d->ss[i].id) == 0)
				r = &x->grules[j].r;
		const char *why = NULL;
		st = group_rules_put(c, business_id, d->ss[i].id, r, &why);
	}
	return st;
}

status config_extras_export(db_conn *c, const char *business_id, arena *a, json_t *doc)
{
	package *ps = NULL;
	service *ss = NULL;
	int np = 0, ns = 0;
	status st = store_packages_list(c, business_id, a, &ps, &np);
	if (st == STATUS_OK)
		st = store_services_list(c, business_id, false, a, &ss, &ns);
	if (st != STATUS_OK)
		return st;
	json_t *arr = json_array();
	for (int i = np - 1; i >= 0; i--) /* oldest first, as defined; append steals */
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:i, s:I, s:b}", "id", ps[i].id,
						     "name", ps[i].name, "service", ps[i].service_id,
						     "sessions", ps[i].sessions, "price_minor",
						     (json_int_t)ps[i].price_minor, "active",
						     ps[i].active));
	json_object_set_new(doc, "packages", arr); /* steals */
	arr = json_array();
	for (int i = 0; st == STATUS_OK && i < ns; i++) {
		group_rules g;
		st = group_rules_get(c, business_id, ss[i].id, &g);
		if (st != STATUS_OK || rules_default(&g))
			continue;
		json_array_append_new( /* steals */
			arr, json_pack("{s:s, s:i, s:i, s:i, s:I, s:I}", "service", ss[i].id,
				       "group_min", g.group_min, "group_max", g.group_max,
				       "min_attendance", g.min_attendance, "decide_before_s",
				       (json_int_t)g.decide_before_s, "late_join_s",
				       (json_int_t)g.late_join_s));
	}
	json_object_set_new(doc, "group_rules", arr); /* steals */
	return st;
}
