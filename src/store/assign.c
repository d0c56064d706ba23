/* assign.c - auto-assignment of "any provider" bookings by the business's policy. */
#include "store/assign.h"

#include <stdlib.h>
#include <string.h>

static const char *const assign_policy_names[] = {"first", "round_robin", "least_booked",
						   "priority"};

const char *assign_policy_name(assign_policy p)
{
	if ((unsigned)p < sizeof(assign_policy_names) / sizeof(assign_policy_names[0]))
		return assign_policy_names[p];
	return "first";
}

bool assign_policy_parse(const char *s, assign_policy *out)
{
	for (size_t i = 0; s && i < sizeof(assign_policy_names) / sizeof(assign_policy_names[0]);
	     i++) {
		if (strcmp(s, assign_policy_names[i]) == 0) {
			*out = (assign_policy)i;
			return true;
		}
	}
	return false;
}

status assign_settings_get(db_conn *c, const char *business_id, assign_settings *out)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT assign_policy, assign_window_days FROM businesses WHERE id = $1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	st = STATUS_NOT_FOUND;
	if (db_next(r)) {
		*out = (assign_settings){ASSIGN_FIRST, (int)db_int(r, 1)};
		assign_policy_parse(db_text(r, 0), &out->policy); /* unknown reads as first */
		st = STATUS_OK;
	} else if (db_rows_status(r) != STATUS_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

status assign_settings_set(db_conn *c, const char *business_id, const assign_settings *s)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE businesses SET assign_policy = $2, assign_window_days = $3 "
			    "WHERE id = $1",
			    DB_PARAMS(DB_S(business_id), DB_S(assign_policy_name(s->policy)),
				      DB_I(s->window_days)),
			    &n);
	return st == STATUS_OK && n != 1 ? STATUS_NOT_FOUND : st;
}

status assign_priorities(db_conn *c, const char *business_id, arena *a, assign_prio **out,
			 int *count)
{
	*out = NULL;
	*count = 0;
	int64_t n = 0;
	status st = db_query_int(c, "SELECT COUNT(*) FROM providers WHERE business_id = $1",
				 DB_PARAMS(DB_S(business_id)), &n);
	if (st != STATUS_OK)
		return st;
	assign_prio *v = arena_alloc(a, sizeof(*v) * (size_t)(n + 1));
	db_rows *r;
	st = db_query(c,
		      "SELECT id, name, assign_priority FROM providers WHERE business_id = $1 "
		      "ORDER BY assign_priority, id",
		      DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	int i = 0;
	while (i < n && db_next(r)) {
		v[i].provider_id = arena_strdup(a, db_text(r, 0));
		v[i].name = arena_strdup(a, db_text(r, 1));
		v[i].priority = (int)db_int(r, 2);
		i++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	*out = v;
	*count = i;
	return st;
}

status assign_priority_set(db_conn *c, const char *business_id, const char *provider_id,
			   int priority)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE providers SET assign_priority = $3 WHERE business_id = $1 AND "
			    "id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(provider_id), DB_I(priority)), &n);
	return st == STATUS_OK && n != 1 ? STATUS_NOT_FOUND : st;
}

/* One candidate with what the policies weigh. */
typedef struct assign_cand {
	const char *id;    /* provider id (borrowed from the slot) */
	int64_t priority;  /* its priority number */
	int64_t turn;      /* its last round-robin turn (0: never) */
	int64_t booked;    /* live bookings starting within the window */
	int64_t score;     /* what the policy orders by, lowest first */
} assign_cand;

static int cand_cmp(const void *x, const void *y)
{
	const assign_cand *p = x, *q = y;
	if (p->score != q->score)
		return p->score < q->score ? -1 : 1;
	if (p->priority != q->priority)
		return p->priority < q->priority ? -1 : 1;
	return strcmp(p->id, q->id);
}

const char STORE_ASSIGN_CAND_SQL[] =
	"SELECT p.assign_priority, p.assign_turn, (SELECT COUNT(*) FROM bookings k WHERE "
	"k.business_id = p.business_id AND k.provider_id = p.id AND k.start_at >= $3 AND "
	"k.start_at < $4 AND (k.status IN ('pending', 'confirmed', 'checked_in', "
	"'completed') OR (k.status = 'held' AND k.hold_expires_at > $5))) FROM providers p "
	"WHERE p.business_id = $1 AND p.id = $2";

/* Reads one candidate's priority, turn and bookings within [from, to). */
static status cand_read(db_conn *c, const char *bid, int64_t from, int64_t to, int64_t now,
			assign_cand *out)
{
	db_rows *r;
	status st = db_query(
		c, STORE_ASSIGN_CAND_SQL,
		DB_PARAMS(DB_S(bid), DB_S(out->id), DB_I(from), DB_I(to), DB_I(now)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		out->priority = db_int(r, 0);
		out->turn = db_int(r, 1);
		out->booked = db_int(r, 2);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status assign_choose(db_conn *c, const business *b, int64_t start, int64_t now,
		     avail_slot *slot, arena *a, json_t **note_take)
{
	*note_take = NULL;
	if (slot->n_providers == 0)
		return STATUS_OK;
	assign_settings s;
	status st = assign_settings_get(c, b->id, &s);
	if (st != STATUS_OK || s.policy == ASSIGN_FIRST)
		return st;
	size_t n = slot->n_providers;
	assign_cand *v = arena_alloc(a, sizeof(*v) * n);
	int64_t w = (int64_t)s.window_days * 86400;
	for (size_t i = 0; i < n && st == STATUS_OK; i++) {
		v[i] = (assign_cand){.id = slot->providers[i]};
		st = cand_read(c, b->id, start - w, start + w, now, &v[i]);
		v[i].score = s.policy == ASSIGN_ROUND_ROBIN    ? v[i].turn
			     : s.policy == ASSIGN_LEAST_BOOKED ? v[i].booked
							       : v[i].priority;
	}
	if (st != STATUS_OK)
		return st;
	qsort(v, n, sizeof(*v), cand_cmp);
	/* The slot's list is borrowed from the engine's arena: write a new one. */
	const char **order = arena_alloc(a, sizeof(*order) * n);
	for (size_t i = 0; i < n; i++)
		order[i] = v[i].id;
	slot->providers = order;
	if (s.policy == ASSIGN_ROUND_ROBIN) {
		int64_t changed = 0;
		st = db_exec(c,
			     "UPDATE providers SET assign_turn = (SELECT COALESCE(MAX(assign_turn), "
			     "0) + 1 FROM providers WHERE business_id = $1) WHERE business_id = $1 "
			     "AND id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(order[0])), &changed);
		if (st != STATUS_OK)
			return st;
	}
	json_t *cands = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:I}", "provider_id", v[i].id, "priority",
				      (json_int_t)v[i].priority);
		if (s.policy == ASSIGN_ROUND_ROBIN)
			json_object_set_new(o, "last_turn", json_integer(v[i].turn)); /* steals */
		if (s.policy == ASSIGN_LEAST_BOOKED)
			json_object_set_new(o, "booked", json_integer(v[i].booked)); /* steals */
		json_array_append_new(cands, o); /* steals o */
	}
	json_t *note = json_pack("{s:s,s:s,s:o,s:s}", "policy", assign_policy_name(s.policy),
				 "chosen", order[0], "candidates", cands, "tie_break",
				 "priority number, then provider id"); /* "o" steals cands */
	if (s.policy == ASSIGN_LEAST_BOOKED)
		json_object_set_new(note, "window_days", json_integer(s.window_days));
	*note_take = note;
	return STATUS_OK;
}
