/* session_rules.c - minimum attendance of class sessions, decided once at the decision
 * time. */
#include "store/session_rules.h"

#include <string.h>

#include "store/book_impl.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/rows.h"
#include "store/unit.h"

#define SWEEP_BATCH 100

/* The seats a session's live bookings take (holds not counted: they may never come). */
#define SEATS_TAKEN_SQL                                                                        \
	"COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.business_id = s.business_id AND " \
	"b.session_id = s.id AND b.status IN ('pending', 'confirmed', 'checked_in', "          \
	"'completed')), 0)"

status session_rules_get(db_conn *c, const char *business_id, const char *session_id,
			 int64_t now, arena *a, session_rules *out)
{
	(void)now;
	memset(out, 0, sizeof(*out));
	db_rows *r;
	status st = db_query(
		c,
		"SELECT s.id, s.service_id, s.start_at, COALESCE(q.min_attendance, "
		"g.min_attendance, 0), q.min_attendance IS NOT NULL, COALESCE(g.decide_before_s, 0), "
		"q.decision, COALESCE(q.attendance, " SEATS_TAKEN_SQL ") FROM sessions s "
		"LEFT JOIN service_group_rules g ON g.business_id = s.business_id AND g.service_id = "
		"s.service_id LEFT JOIN session_rules q ON q.business_id = s.business_id AND "
		"q.session_id = s.id WHERE s.business_id = $1 AND s.id = $2",
		DB_PARAMS(DB_S(business_id), DB_S(session_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		out->session_id = arena_strdup(a, db_text(r, 0));
		out->service_id = arena_strdup(a, db_text(r, 1));
		out->start = db_int(r, 2);
		out->min_attendance = (int)db_int(r, 3);
		out->own = db_int(r, 4) != 0;
		out->decide_at = out->min_attendance > 0 ? out->start - db_int(r, 5) : 0;
		out->decision = db_null(r, 6) ? NULL : arena_strdup(a, db_text(r, 6));
		out->attendance = (int)db_int(r, 7);
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

/* Setting a session's own minimum as a unit of work. */
typedef struct set_ctx {
	const char *bid;
	const char *sid;
	int min;
} set_ctx;

static status set_work(db_conn *c, void *vctx)
{
	set_ctx *x = vctx;
	int64_t n = 0;
	status st = db_query_int(c, "SELECT COUNT(*) FROM sessions WHERE business_id = $1 AND id = $2",
				 DB_PARAMS(DB_S(x->bid), DB_S(x->sid)), &n);
	if (st == STATUS_OK && n == 0)
		return STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = db_query_int(c,
				  "SELECT COUNT(*) FROM session_rules WHERE business_id = $1 AND "
				  "session_id = $2 AND decided_at IS NOT NULL",
				  DB_PARAMS(DB_S(x->bid), DB_S(x->sid)), &n);
	if (st == STATUS_OK && n > 0)
		return STATUS_CONFLICT;
	db_val min = x->min < 0 ? DB_NUL : DB_I(x->min);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO session_rules (business_id, session_id, min_attendance) "
			     "VALUES ($1, $2, $3) ON CONFLICT (business_id, session_id) DO UPDATE SET "
			     "min_attendance = excluded.min_attendance",
			     DB_PARAMS(DB_S(x->bid), DB_S(x->sid), min), NULL);
	return st;
}

status session_rules_set(db_conn *c, const char *business_id, const char *session_id, int min)
{
	set_ctx x = {business_id, session_id, min};
	return store_unit_write(c, set_work, &x);
}

/* One session to decide. */
typedef struct due_session {
	const char *business_id;
	const char *id;
	const char *service_id;
	int64_t start;
	int min;
} due_session;

/* The decision of one session inside its transaction. */
typedef struct decide_args {
	const due_session *s;
	session_decided *out;
} decide_args;

static status decide_attempt(db_conn *c, const business *b, const book_request *rq,
			     const void *extra, int64_t now, arena *a, book_result *res)
{
	const decide_args *x = extra;
	const due_session *s = x->s;
	session_decided *out = x->out;
	out->business_id = b->id;
	out->session_id = NULL;
	out->cancelled = false;
	out->bookings = NULL;
	out->n_bookings = 0;
	service svc;
	status st = store_service_get(c, b->id, s->service_id, a, &svc);
	/* The locks every booking write of this session takes, in their order, first. */
	if (st == STATUS_OK)
		st = book_lock(c, b, &svc, rq, s->start);
	/* The claim: only the transaction that sets decided_at goes on. */
	int64_t claimed = 0;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO session_rules (business_id, session_id, decided_at) VALUES "
			     "($1, $2, $3) ON CONFLICT (business_id, session_id) DO UPDATE SET "
			     "decided_at = excluded.decided_at WHERE session_rules.decided_at IS NULL",
			     DB_PARAMS(DB_S(b->id), DB_S(s->id), DB_I(now)), &claimed);
	if (st != STATUS_OK || claimed == 0)
		return st;
	out->session_id = s->id;
	int64_t seats = 0;
	st = db_query_int(c, "SELECT " SEATS_TAKEN_SQL " FROM sessions s WHERE s.business_id = $1 AND s.id = $2",
			  DB_PARAMS(DB_S(b->id), DB_S(s->id)), &seats);
	bool cancel = st == STATUS_OK && seats < s->min;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE session_rules SET decision = $3, attendance = $4 WHERE "
			     "business_id = $1 AND session_id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(s->id), DB_S(cancel ? "cancelled" : "kept"),
				       DB_I(seats)),
			     NULL);
	if (st != STATUS_OK || !cancel)
		return st;
	out->cancelled = true;
	/* Nobody waits for a seat of a session that will not take place. */
	st = db_exec(c,
		     "UPDATE waitlist_entries SET status = 'removed', updated_at = $3 WHERE "
		     "business_id = $1 AND session_id = $2 AND status IN ('waiting', 'offered')",
		     DB_PARAMS(DB_S(b->id), DB_S(s->id), DB_I(now)), NULL);
	db_rows *r;
	const char **ids = NULL;
	int n = 0, cap = 0;
	if (st == STATUS_OK)
		st = db_query(c,
			      "SELECT id FROM bookings WHERE business_id = $1 AND session_id = $2 AND "
			      "status IN ('held', 'pending', 'confirmed', 'checked_in') ORDER BY id",
			      DB_PARAMS(DB_S(b->id), DB_S(s->id)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		ROWS_GROW(a, ids, n, cap);
		ids[n++] = arena_strdup(a, db_text(r, 0));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	const char *why = arena_printf(a, "the session did not reach its minimum of %d (%lld booked)",
				       s->min, (long long)seats);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		memset(res, 0, sizeof(*res));
		st = book_cancel_tx(c, b, ids[i], "job", why, false, now, a, res);
	}
	out->bookings = ids;
	out->n_bookings = n;
	return st;
}

status session_rules_sweep(db_conn *c, int64_t now, arena *a, session_decided **out, int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(
		c,
		"SELECT s.business_id, s.id, s.service_id, s.start_at, COALESCE(q.min_attendance, "
		"g.min_attendance, 0) FROM sessions s LEFT JOIN service_group_rules g ON "
		"g.business_id = s.business_id AND g.service_id = s.service_id LEFT JOIN "
		"session_rules q ON q.business_id = s.business_id AND q.session_id = s.id WHERE "
		"s.start_at > $1 AND s.start_at - COALESCE(g.decide_before_s, 0) <= $1 AND "
		"q.decided_at IS NULL AND COALESCE(q.min_attendance, g.min_attendance, 0) > 0 "
		"ORDER BY s.start_at, s.id LIMIT $2",
		DB_PARAMS(DB_I(now), DB_I(SWEEP_BATCH)), &r);
	if (st != STATUS_OK)
		return st;
	due_session *due = NULL;
	int nd = 0, cap = 0;
	while (db_next(r)) {
		ROWS_GROW(a, due, nd, cap);
		due[nd++] = (due_session){arena_strdup(a, db_text(r, 0)), arena_strdup(a, db_text(r, 1)),
					  arena_strdup(a, db_text(r, 2)), db_int(r, 3),
					  (int)db_int(r, 4)};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK || nd == 0)
		return st;
	*out = arena_alloc(a, sizeof(**out) * (size_t)nd);
	for (int i = 0; i < nd && st == STATUS_OK; i++) {
		business b;
		st = store_business_by_id(c, due[i].business_id, a, &b);
		if (st != STATUS_OK)
			break;
		session_decided *d = &(*out)[*n];
		decide_args x = {&due[i], d};
		book_request rq = {.service_id = due[i].service_id, .start = due[i].start, .seats = 1,
				   .actor = "job"};
		book_result res;
		memset(&res, 0, sizeof(res));
		d->session_id = NULL;
		st = book_run(c, &b, &rq, &x, now, a, &res, decide_attempt);
		if (st == STATUS_OK && d->session_id)
			(*n)++;
	}
	return st;
}
