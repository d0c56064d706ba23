/* protection_rules.c - one table of the protection settings: name, place, bounds. */
#include "api/protection_rules.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

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

json_t *protection_json(const protection *p)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NFIELDS; i++)
		json_object_set_new(o, FIELDS[i].name, json_integer(field_get(p, &FIELDS[i])));
	json_object_set_new(o, "confirm_by_email", json_boolean(p->confirm_by_email));
	return o;
}

void protection_read(const json_t *o, const char *prefix, protection *p, errlist *errs)
{
	const char *dot = *prefix ? "." : "";
	if (!json_is_object(o)) {
		errlist_add(errs, "must be an object", "%s", *prefix ? prefix : "body");
		return;
	}
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		const protection_field *f = NULL;
		for (size_t i = 0; i < NFIELDS && !f; i++)
			if (strcmp(FIELDS[i].name, key) == 0)
				f = &FIELDS[i];
		if (f) {
			if (json_is_integer(v) && json_integer_value(v) >= f->min &&
			    json_integer_value(v) <= f->max) {
				field_set(p, f, json_integer_value(v));
			} else {
				char detail[96];
				snprintf(detail, sizeof(detail), "must be a whole number from %lld to %lld",
					 (long long)f->min, (long long)f->max);
				errlist_add(errs, detail, "%s%s%s", prefix, dot, key);
			}
		} else if (strcmp(key, "confirm_by_email") == 0) {
			if (json_is_boolean(v))
				p->confirm_by_email = json_is_true(v);
			else
				errlist_add(errs, "must be true or false", "%s%s%s", prefix, dot, key);
		} else {
			errlist_add(errs, "is not a field of this object", "%s%s%s", prefix, dot, key);
		}
	}
}
