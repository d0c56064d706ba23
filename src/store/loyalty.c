/* loyalty.c - the loyalty programme's settings, adjustments, a customer's replayed standing
 * and the tier discount of a new booking (store/loyalty.h). */
#include "store/loyalty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "core/money.h"

/* At most this many facts are replayed for one customer (their latest are kept). */
#define LOYALTY_FACTS_MAX 20000

json_t *loyalty_settings_json(const loyalty_settings *s)
{
	json_t *tiers = json_array();
	for (int i = 0; i < s->ntiers; i++) {
		const loyalty_tier *t = &s->tiers[i];
		json_array_append_new(tiers, json_pack("{s:s, s:I, s:i, s:i}", "name", t->name,
						       "threshold", (json_int_t)t->threshold,
						       "multiplier_bp", t->multiplier_bp,
						       "discount_bp", t->discount_bp));
	}
	return json_pack("{s:b, s:i, s:s, s:o}", "enabled", s->enabled, "points_per_unit",
			 s->points_per_unit, "tier_basis", loyalty_basis_name(s->basis), "tiers",
			 tiers);
}

static bool set_error(char *field, size_t fieldlen, const char **why, const char *f,
		      const char *w)
{
	snprintf(field, fieldlen, "%s", f);
	*why = w;
	return false;
}

static bool known_keys(const json_t *o, const char *const *keys, const char *prefix,
		       char *field, size_t fieldlen, const char **why)
{
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)o, k, v) {
		bool ok = false;
		for (int i = 0; keys[i]; i++)
			ok = ok || strcmp(k, keys[i]) == 0;
		if (!ok) {
			snprintf(field, fieldlen, "%s%s", prefix, k);
			*why = "is not a known field";
			return false;
		}
	}
	return true;
}

static const char *const SETTINGS_KEYS[] = {"enabled", "points_per_unit", "tier_basis", "tiers",
					    NULL};
static const char *const TIER_KEYS[] = {"name", "threshold", "multiplier_bp", "discount_bp",
					NULL};

bool loyalty_settings_from_json(const json_t *o, loyalty_settings *out, char *field,
				size_t fieldlen, const char **why)
{
	memset(out, 0, sizeof(*out));
	if (!json_is_object(o))
		return set_error(field, fieldlen, why, "", "must be an object");
	if (!known_keys(o, SETTINGS_KEYS, "", field, fieldlen, why))
		return false;
	const json_t *en = json_object_get(o, "enabled"); /* borrowed, as every get below */
	if (!json_is_boolean(en))
		return set_error(field, fieldlen, why, "enabled", "must be true or false");
	out->enabled = json_is_true(en);
	const json_t *ppu = json_object_get(o, "points_per_unit");
	if (ppu && !json_is_integer(ppu))
		return set_error(field, fieldlen, why, "points_per_unit", "must be an integer");
	json_int_t rate = ppu ? json_integer_value(ppu) : 0;
	if (rate < 0 || rate > LOYALTY_POINTS_PER_UNIT_MAX)
		return set_error(field, fieldlen, why, "points_per_unit", "must be 0 to 1000");
	out->points_per_unit = (int)rate;
	const json_t *basis = json_object_get(o, "tier_basis");
	if (basis && !loyalty_basis_parse(json_string_value(basis), &out->basis))
		return set_error(field, fieldlen, why, "tier_basis", "must be value or visits");
	const json_t *tiers = json_object_get(o, "tiers");
	if (tiers && !json_is_array(tiers))
		return set_error(field, fieldlen, why, "tiers", "must be a list");
	if (json_array_size(tiers) > LOYALTY_TIERS_MAX)
		return set_error(field, fieldlen, why, "tiers", "at most 8 tiers");
	for (size_t i = 0; i < json_array_size(tiers); i++) {
		const json_t *t = json_array_get(tiers, i);
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "tiers[%zu].", i);
		if (!json_is_object(t)) {
			snprintf(field, fieldlen, "tiers[%zu]", i);
			*why = "must be an object";
			return false;
		}
		if (!known_keys(t, TIER_KEYS, prefix, field, fieldlen, why))
			return false;
		loyalty_tier *lt = &out->tiers[i];
		const char *name = json_string_value(json_object_get(t, "name"));
		if (!name || strlen(name) >= sizeof(lt->name)) {
			snprintf(field, fieldlen, "%sname", prefix);
			*why = "must be text of 1 to 63 bytes";
			return false;
		}
		snprintf(lt->name, sizeof(lt->name), "%s", name);
		static const char *const INTS[] = {"threshold", "multiplier_bp", "discount_bp"};
		int64_t v[3] = {0, 10000, 0};
		for (int k = 0; k < 3; k++) {
			const json_t *x = json_object_get(t, INTS[k]);
			if (!x && k == 0) {
				snprintf(field, fieldlen, "%s%s", prefix, INTS[k]);
				*why = "is required";
				return false;
			}
			if (x && (!json_is_integer(x) || json_integer_value(x) < 0 ||
				  json_integer_value(x) > (k ? 1000000 : 1000000000000000LL))) {
				snprintf(field, fieldlen, "%s%s", prefix, INTS[k]);
				*why = "must be a non-negative integer";
				return false;
			}
			if (x)
				v[k] = json_integer_value(x);
		}
		lt->threshold = v[0];
		lt->multiplier_bp = (int)v[1];
		lt->discount_bp = (int)v[2];
		out->ntiers++;
	}
	return loyalty_settings_ok(out, field, fieldlen, why);
}

status loyalty_settings_get(db_conn *c, const char *business_id, loyalty_settings *out)
{
	bool found;
	return loyalty_settings_find(c, business_id, out, &found);
}

status loyalty_settings_find(db_conn *c, const char *business_id, loyalty_settings *out,
			     bool *found)
{
	memset(out, 0, sizeof(*out));
	*found = false;
	db_rows *r;
	status st = db_query(c,
			     "SELECT enabled, points_per_unit, tier_basis, tiers FROM loyalty_settings "
			     "WHERE business_id = $1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		*found = true;
		json_t *o = json_pack("{s:b, s:I, s:s}", "enabled", db_int(r, 0) != 0,
				      "points_per_unit", (json_int_t)db_int(r, 1), "tier_basis",
				      db_text(r, 2));
		json_t *tiers = json_loads(db_text(r, 3), 0, NULL);
		json_object_set_new(o, "tiers", tiers ? tiers : json_array()); /* steals */
		char field[64];
		const char *why;
		if (!loyalty_settings_from_json(o, out, field, sizeof(field), &why))
			st = STATUS_INTERNAL; /* written checked: never */
		json_decref(o);
	}
	status rs = db_rows_status(r);
	db_rows_free(r);
	return rs != STATUS_OK ? rs : st;
}

status loyalty_settings_write(db_conn *c, const char *business_id, const loyalty_settings *s,
			      int64_t now)
{
	json_t *o = loyalty_settings_json(s);
	char *tiers = json_dumps(json_object_get(o, "tiers"), JSON_COMPACT);
	json_decref(o);
	status st = db_exec(c, "DELETE FROM loyalty_settings WHERE business_id = $1",
			    DB_PARAMS(DB_S(business_id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO loyalty_settings (business_id, enabled, points_per_unit, "
			     "tier_basis, tiers, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
			     DB_PARAMS(DB_S(business_id), DB_I(s->enabled ? 1 : 0),
				       DB_I(s->points_per_unit), DB_S(loyalty_basis_name(s->basis)),
				       DB_S(tiers ? tiers : "[]"), DB_I(now)),
			     NULL);
	free(tiers);
	return st;
}

status loyalty_settings_put(db_conn *c, const char *business_id, const loyalty_settings *s,
			    int64_t now)
{
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = loyalty_settings_write(c, business_id, s, now);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

/* The facts of a customer, grown in an arena. */
typedef struct fact_list {
	loyalty_fact *f;
	int *order; /* the kind's rank, for ties at one instant */
	size_t n, cap;
	arena *a;
} fact_list;

static loyalty_fact *fact_add(fact_list *l)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		loyalty_fact *f = arena_alloc(l->a, sizeof(*f) * nc);
		if (l->n)
			memcpy(f, l->f, sizeof(*f) * l->n);
		l->f = f;
		l->cap = nc;
	}
	loyalty_fact *f = &l->f[l->n++];
	memset(f, 0, sizeof(*f));
	return f;
}

/* Facts at one instant: money in before a visit, refunds after, cancellations, then staff. */
static int fact_rank(loyalty_fact_kind k)
{
	switch (k) {
	case LOYALTY_PAID: return 0;
	case LOYALTY_COMPLETED: return 1;
	case LOYALTY_REFUNDED: return 2;
	case LOYALTY_CANCELLED: return 3;
	case LOYALTY_ADJUSTED: return 4;
	}
	return 5;
}

static int fact_cmp(const void *x, const void *y)
{
	const loyalty_fact *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	int ra = fact_rank(a->kind), rb = fact_rank(b->kind);
	if (ra != rb)
		return ra - rb;
	int c = strcmp(a->booking ? a->booking : "", b->booking ? b->booking : "");
	if (c)
		return c;
	return (a->amount_minor > b->amount_minor) - (a->amount_minor < b->amount_minor);
}

status loyalty_customer(db_conn *c, const business *b, const loyalty_settings *s,
			const char *customer_id, arena *a, loyalty_account *out,
			loyalty_entry **history, size_t *nhist)
{
	fact_list l = {.a = a};
	db_rows *r;
	status st = db_query(c, LOYALTY_PAYMENTS_SQL,
			     DB_PARAMS(DB_S(b->id), DB_S(customer_id), DB_I(LOYALTY_FACTS_MAX)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		loyalty_fact *f = fact_add(&l);
		f->booking = arena_strdup(a, db_text(r, 0));
		f->kind = strcmp(db_text(r, 1), "refund") == 0 ? LOYALTY_REFUNDED : LOYALTY_PAID;
		f->amount_minor = db_int(r, 2);
		f->at = db_int(r, 3);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == STATUS_OK)
		st = db_query(c, LOYALTY_BOOKINGS_SQL,
			      DB_PARAMS(DB_S(b->id), DB_S(customer_id), DB_I(LOYALTY_FACTS_MAX)),
			      &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		loyalty_fact *f = fact_add(&l);
		f->booking = arena_strdup(a, db_text(r, 0));
		f->kind = strcmp(db_text(r, 1), "completed") == 0 ? LOYALTY_COMPLETED
								   : LOYALTY_CANCELLED;
		f->amount_minor = db_int(r, 2);
		f->at = db_int(r, 3);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == STATUS_OK)
		st = db_query(c,
			      "SELECT points, reason, actor, created_at FROM loyalty_adjustments WHERE "
			      "business_id = $1 AND customer_id = $2 ORDER BY created_at DESC LIMIT $3",
			      DB_PARAMS(DB_S(b->id), DB_S(customer_id), DB_I(LOYALTY_FACTS_MAX)),
			      &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		loyalty_fact *f = fact_add(&l);
		f->kind = LOYALTY_ADJUSTED;
		f->points = db_int(r, 0);
		f->reason = arena_strdup(a, db_text(r, 1));
		f->actor = arena_strdup(a, db_text(r, 2));
		f->at = db_int(r, 3);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK)
		return st;
	if (l.n > 1)
		qsort(l.f, l.n, sizeof(*l.f), fact_cmp);
	void *work = arena_alloc(a, loyalty_work_size(l.n));
	loyalty_entry *h = history ? arena_alloc(a, sizeof(*h) * (l.n ? l.n : 1)) : NULL;
	size_t nh = 0;
	loyalty_replay(s, money_digits(b->currency), l.f, l.n, work, l.n, out, h, &nh);
	if (history) {
		*history = h;
		*nhist = nh;
	}
	return STATUS_OK;
}

status loyalty_adjust(db_conn *c, const char *business_id, const char *customer_id,
		      int64_t points, const char *reason, const char *actor, int64_t now, arena *a)
{
	status st = db_begin_write(c);
	int64_t one = 0;
	if (st == STATUS_OK)
		st = db_query_int(c, "SELECT 1 FROM customers WHERE business_id = $1 AND id = $2",
				  DB_PARAMS(DB_S(business_id), DB_S(customer_id)), &one);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO loyalty_adjustments (business_id, id, customer_id, points, "
			     "reason, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			     DB_PARAMS(DB_S(business_id), DB_S(ids_sortable(a, "lya")),
				       DB_S(customer_id), DB_I(points), DB_S(reason), DB_S(actor),
				       DB_I(now)),
			     NULL);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status loyalty_booking_price(db_conn *c, const business *b, const char *email_norm,
			     int64_t price_minor, arena *a, int64_t *price_out,
			     loyalty_discount *d)
{
	*price_out = price_minor;
	if (d)
		*d = (loyalty_discount){.tier = ""};
	if (!email_norm || price_minor <= 0)
		return STATUS_OK;
	loyalty_settings s;
	status st = loyalty_settings_get(c, b->id, &s);
	if (st != STATUS_OK || !s.enabled || s.ntiers == 0)
		return st;
	db_rows *r;
	st = db_query(c, "SELECT id FROM customers WHERE business_id = $1 AND email_norm = $2",
		      DB_PARAMS(DB_S(b->id), DB_S(email_norm)), &r);
	if (st != STATUS_OK)
		return st;
	const char *cid = db_next(r) ? arena_strdup(a, db_text(r, 0)) : NULL;
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK || !cid)
		return st;
	loyalty_account acc;
	st = loyalty_customer(c, b, &s, cid, a, &acc, NULL, NULL);
	int64_t off = 0;
	if (st == STATUS_OK)
		*price_out = loyalty_discounted_price(&s, acc.tier, price_minor, &off);
	if (st == STATUS_OK && d && off > 0)
		*d = (loyalty_discount){.tier = arena_strdup(a, s.tiers[acc.tier].name),
					.bp = s.tiers[acc.tier].discount_bp,
					.off = off};
	return st;
}

status loyalty_hold_price(db_conn *c, const business *b, const char *email_norm, booking *bk,
			  arena *a, loyalty_discount *d)
{
	int64_t price;
	status st = loyalty_booking_price(c, b, email_norm, bk->price_minor, a, &price, d);
	if (st != STATUS_OK || price == bk->price_minor)
		return st;
	bk->price_minor = price;
	return db_exec(c, "UPDATE bookings SET price_minor = $3 WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_I(price)), NULL);
}
