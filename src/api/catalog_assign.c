/* catalog_assign.c - GET, PATCH /api/v1/businesses/{business}/assignment: how a booking for
 * "any provider" is given to one (store/assign.h), and the providers' priority numbers. Any
 * staff role reads; admin and owner change. Also the JSON both it and the configuration
 * document use (api/assign_rules.h). */
#include "api/assign_rules.h"

#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/staff_catalog.h"

/* "<prefix>.<key>" or "<key>", for a field error's path. */
static const char *field(char *out, size_t n, const char *prefix, const char *key)
{
	snprintf(out, n, "%s%s%s", prefix, *prefix ? "." : "", key);
	return out;
}

json_t *assign_json(const assign_settings *s, const assign_prio *p, int n, bool with_names)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:i}", "provider_id", p[i].provider_id, "priority",
				      p[i].priority);
		if (with_names) /* steals */
			json_object_set_new(o, "name", json_string(p[i].name ? p[i].name : ""));
		json_array_append_new(arr, o); /* steals o */
	}
	/* "o" steals arr */
	return json_pack("{s:s,s:i,s:o}", "policy", assign_policy_name(s->policy), "window_days",
			 s->window_days, "priorities", arr);
}

void assign_read(const json_t *o, const char *prefix, arena *a, assign_settings *s,
		 assign_prio **prios, int *nprios, errlist *errs)
{
	char path[160];
	*prios = NULL;
	*nprios = 0;
	if (!json_is_object(o)) {
		errlist_add(errs, "must be an object", "%s", *prefix ? prefix : "body");
		return;
	}
	const char *key;
	const json_t *v; /* borrowed */
	json_object_foreach((json_t *)o, key, v) {
		field(path, sizeof(path), prefix, key);
		if (strcmp(key, "policy") == 0) {
			if (!json_is_string(v) || !assign_policy_parse(json_string_value(v), &s->policy))
				errlist_add(errs,
					    "must be one of first, round_robin, least_booked, priority",
					    "%s", path);
		} else if (strcmp(key, "window_days") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < ASSIGN_WINDOW_MIN ||
			    json_integer_value(v) > ASSIGN_WINDOW_MAX)
				errlist_add(errs, "must be whole days from 1 to 366", "%s", path);
			else
				s->window_days = (int)json_integer_value(v);
		} else if (strcmp(key, "priorities") == 0) {
			if (!json_is_array(v)) {
				errlist_add(errs, "must be an array", "%s", path);
				continue;
			}
			size_t n = json_array_size(v);
			assign_prio *p = arena_alloc(a, sizeof(*p) * (n + 1));
			int k = 0;
			for (size_t i = 0; i < n; i++) {
				const json_t *e = json_array_get(v, i); /* borrowed */
				const json_t *id = json_object_get(e, "provider_id");
				const json_t *pr = json_object_get(e, "priority");
				if (!json_is_string(id) || !*json_string_value(id))
					errlist_add(errs, "must name a provider", "%s[%zu].provider_id",
						    path, i);
				else if (!json_is_integer(pr) || json_integer_value(pr) < 0 ||
					 json_integer_value(pr) > ASSIGN_PRIORITY_MAX)
					errlist_add(errs, "must be a whole number from 0 to 1000",
						    "%s[%zu].priority", path, i);
				else
					p[k++] = (assign_prio){
						arena_strdup(a, json_string_value(id)), NULL,
						(int)json_integer_value(pr)};
			}
			*prios = p;
			*nprios = k;
		} else {
			errlist_add(errs, "is not a field of this object", "%s", path);
		}
	}
}

status assign_write(db_conn *c, const char *business_id, const assign_settings *s,
		    const assign_prio *p, int n)
{
	status st = assign_settings_set(c, business_id, s);
	for (int i = 0; i < n && st == STATUS_OK; i++)
		st = assign_priority_set(c, business_id, p[i].provider_id, p[i].priority);
	return st;
}

/* Answers the setting with every provider's priority. */
static void answer(http_req *r, db_conn *c, const business *b)
{
	assign_settings s;
	assign_prio *p = NULL;
	int n = 0;
	status st = assign_settings_get(c, b->id, &s);
	if (st == STATUS_OK)
		st = assign_priorities(c, b->id, r->arena, &p, &n);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, assign_json(&s, p, n, true));
}

void catalog_assign_get(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (c)
		answer(r, c, &b);
}

void catalog_assign_patch(http_req *r)
{
	business b;
	json_t *body;
	db_conn *c = auth_open_admin_body(r, &b, &body);
	if (!c)
		return;
	assign_settings s;
	assign_prio *p = NULL;
	int n = 0;
	errlist errs = {0};
	status st = assign_settings_get(c, b.id, &s);
	if (st == STATUS_OK)
		assign_read(body, "", r->arena, &s, &p, &n, &errs);
	json_decref(body);
	if (!api_settings_read_ok(r, c, st, &errs, "invalid assignment settings"))
		return;
	/* All or nothing: a priority for a provider that is not the business's writes none. */
	st = db_begin_write(c);
	if (st == STATUS_OK)
		st = assign_write(c, b.id, &s, p, n);
	if (st == STATUS_OK)
		st = db_commit(c);
	else
		db_rollback(c);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "priorities", "%s", "names a provider this business has not");
		http_problem(r, STATUS_INVALID, "invalid assignment settings");
	} else if (st != STATUS_OK) {
		api_store_error(r, c, st);
	} else {
		answer(r, c, &b);
	}
}
