/* catalog_protection.c - GET, PATCH /api/v1/businesses/{business}/protection: the limits
 * that keep public clients from emptying the calendar or sending mail for an attacker
 * (store/protection.h), and whether a public booking waits for an emailed confirmation.
 * Any staff role reads; admin and owner change. */
#include <stddef.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/staff_catalog.h"
#include "store/protection.h"

/* One integer setting: its JSON name, where it lives, and its bounds. */
typedef struct protection_field {
	const char *name;
	size_t offset; /* of an int, or of the int64_t confirm_within_s */
	bool wide;     /* an int64_t */
	int64_t min, max;
} protection_field;

#define PF(field, lo, hi) {#field, offsetof(protection, field), false, lo, hi}
static const protection_field FIELDS[] = {
	PF(holds_per_client, 0, 1000),
	PF(holds_per_address, 0, 1000),
	PF(hold_day_share, 0, 100),
	PF(bookings_per_address_hour, 0, 100000),
	PF(bookings_per_address_day, 0, 100000),
	PF(bookings_per_email_hour, 0, 100000),
	PF(bookings_per_email_day, 0, 100000),
	{"confirm_within_s", offsetof(protection, confirm_within_s), true, 300, 7 * 86400},
	PF(slowdown_after, 0, 100000),
	PF(slowdown_ms, 0, 10000),
};
#undef PF
#define NFIELDS (sizeof(FIELDS) / sizeof(FIELDS[0]))

static int64_t field_get(const protection *p, const protection_field *f)
{
	const char *base = (const char *)p + f->offset;
	return f->wide ? *(const int64_t *)(const void *)base : *(const int *)(const void *)base;
}

static void field_set(protection *p, const protection_field *f, int64_t v)
{
	char *base = (char *)p + f->offset;
	if (f->wide)
		*(int64_t *)(void *)base = v;
	else
		*(int *)(void *)base = (int)v;
}

static json_t *protection_json(const protection *p)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NFIELDS; i++)
		json_object_set_new(o, FIELDS[i].name, json_integer(field_get(p, &FIELDS[i])));
	json_object_set_new(o, "confirm_by_email", json_boolean(p->confirm_by_email));
	return o;
}

/* Applies the keys of body to *p; every fault becomes a field error. */
static void protection_read(http_req *r, const json_t *body, protection *p)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)body, key, v) {
		const protection_field *f = NULL;
		for (size_t i = 0; i < NFIELDS && !f; i++)
			if (strcmp(FIELDS[i].name, key) == 0)
				f = &FIELDS[i];
		if (f) {
			if (!json_is_integer(v) || json_integer_value(v) < f->min ||
			    json_integer_value(v) > f->max)
				http_field_error_add(r, key, "must be a whole number from %lld to %lld",
						     (long long)f->min, (long long)f->max);
			else
				field_set(p, f, json_integer_value(v));
		} else if (strcmp(key, "confirm_by_email") == 0) {
			if (!json_is_boolean(v))
				http_field_error_add(r, key, "must be true or false");
			else
				p->confirm_by_email = json_is_true(v);
		} else {
			http_field_error_add(r, key, "is not a field of this object");
		}
	}
}

void catalog_protection_get(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	protection p;
	status st = store_protection_get(c, b.id, &p);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, protection_json(&p));
}

void catalog_protection_patch(http_req *r)
{
	if (!auth_require(r, ROLE_ADMIN))
		return;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c) {
		json_decref(body);
		return;
	}
	protection p;
	status st = store_protection_get(c, b.id, &p);
	if (st == STATUS_OK)
		protection_read(r, body, &p);
	json_decref(body);
	if (st == STATUS_OK && r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid protection settings");
	} else {
		if (st == STATUS_OK)
			st = store_protection_set(c, b.id, &p);
		if (st != STATUS_OK)
			api_store_error(r, c, st);
		else
			http_json_take(r, 200, protection_json(&p));
	}
}
