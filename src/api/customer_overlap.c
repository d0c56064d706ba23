/* customer_overlap.c - GET, PATCH /api/v1/businesses/{business}/customer-overlap: whether a
 * customer may hold overlapping public bookings (store/overlap_guard.h), business-wide and
 * per service, and the JSON the configuration document shares. */
#include "api/customer_overlap.h"

#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"

json_t *customer_overlap_json(bool refuse, const overlap_service *s, int n, bool with_names)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:b}", "id", s[i].id, "allow_overlap", s[i].allowed);
		if (with_names) /* steals */
			json_object_set_new(o, "name", json_string(s[i].name ? s[i].name : ""));
		json_array_append_new(arr, o); /* steals o */
	}
	/* "o" steals arr */
	return json_pack("{s:s,s:o}", "policy", refuse ? "refuse" : "allow", "services", arr);
}

void customer_overlap_read(const json_t *o, const char *prefix, arena *a, bool *refuse,
			   overlap_service **svcs, int *n, errlist *errs)
{
	const char *dot = *prefix ? "." : "";
	*svcs = NULL;
	*n = 0;
	if (!json_is_object(o)) {
		errlist_add(errs, "must be an object", "%s", *prefix ? prefix : "body");
		return;
	}
	const char *key;
	const json_t *v; /* borrowed */
	json_object_foreach((json_t *)o, key, v) {
		if (strcmp(key, "policy") == 0) {
			const char *p = json_is_string(v) ? json_string_value(v) : "";
			if (strcmp(p, "refuse") == 0 || strcmp(p, "allow") == 0)
				*refuse = strcmp(p, "refuse") == 0;
			else
				errlist_add(errs, "must be refuse or allow", "%s%spolicy", prefix, dot);
		} else if (strcmp(key, "services") == 0) {
			if (!json_is_array(v)) {
				errlist_add(errs, "must be an array", "%s%sservices", prefix, dot);
				continue;
			}
			size_t m = json_array_size(v);
			overlap_service *s = arena_alloc(a, sizeof(*s) * (m + 1));
			int k = 0;
			for (size_t i = 0; i < m; i++) {
				const json_t *e = json_array_get(v, i); /* borrowed */
				const json_t *id = json_object_get(e, "id");
				const json_t *al = json_object_get(e, "allow_overlap");
				if (!json_is_string(id) || !*json_string_value(id))
					errlist_add(errs, "must name a service", "%s%sservices[%zu].id",
						    prefix, dot, i);
				else if (!json_is_boolean(al))
					errlist_add(errs, "must be true or false",
						    "%s%sservices[%zu].allow_overlap", prefix, dot, i);
				else
					s[k++] = (overlap_service){arena_strdup(a, json_string_value(id)),
								   NULL, json_is_true(al)};
			}
			*svcs = s;
			*n = k;
		} else {
			errlist_add(errs, "is not a field of this object", "%s%s%s", prefix, dot, key);
		}
	}
}

status customer_overlap_write(db_conn *c, const char *business_id, bool refuse,
			      const overlap_service *s, int n)
{
	status st = overlap_policy_set(c, business_id, refuse);
	for (int i = 0; i < n && st == STATUS_OK; i++)
		st = overlap_service_set(c, business_id, s[i].id, s[i].allowed);
	return st;
}

json_t *customer_overlap_warning(db_conn *c, const business *b, const booking *bk, int64_t now)
{
	bool clash = false;
	if (overlap_check_tx(c, b->id, bk, now, &clash) != STATUS_OK || !clash)
		return NULL;
	return json_pack("{s:[{s:s, s:s}]}", "warnings", "code", OVERLAP_REFUSAL, "detail",
			 "this customer already has a booking at an overlapping time");
}

/* Answers the policy with every service's flag. */
static void answer(http_req *r, db_conn *c, const business *b)
{
	bool refuse = true;
	overlap_service *s = NULL;
	int n = 0;
	status st = overlap_policy_get(c, b->id, &refuse);
	if (st == STATUS_OK)
		st = overlap_services(c, b->id, r->arena, &s, &n);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, customer_overlap_json(refuse, s, n, true));
}

void customer_overlap_get(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (c)
		answer(r, c, &b);
}

void customer_overlap_patch(http_req *r)
{
	business b;
	json_t *body;
	db_conn *c = auth_open_admin_body(r, &b, &body);
	if (!c)
		return;
	bool refuse = true;
	overlap_service *s = NULL;
	int n = 0;
	errlist errs = {0};
	status st = overlap_policy_get(c, b.id, &refuse);
	if (st == STATUS_OK)
		customer_overlap_read(body, "", r->arena, &refuse, &s, &n, &errs);
	json_decref(body);
	if (!api_settings_read_ok(r, c, st, &errs, "invalid customer overlap settings"))
		return;
	/* All or nothing: a flag for a service that is not the business's writes none. */
	st = db_begin_write(c);
	if (st == STATUS_OK)
		st = customer_overlap_write(c, b.id, refuse, s, n);
	if (st == STATUS_OK)
		st = db_commit(c);
	else
		db_rollback(c);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "services", "%s", "names a service this business has not");
		http_problem(r, STATUS_INVALID, "invalid customer overlap settings");
	} else if (st != STATUS_OK) {
		api_store_error(r, c, st);
	} else {
		answer(r, c, &b);
	}
}
