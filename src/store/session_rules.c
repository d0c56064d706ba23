/* session_rules.c - minimum attendance of class sessions, decided once at the decision
 * time. */
#include "store/session_rules.h"

#include <jansson.h>
#include <string.h>

#include "base/ids.h"
#include "core/policy.h"
#include "store/availability.h"
#include "store/book_impl.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/rows.h"
#include "store/unit.h"

#define SWEEP_BATCH 100

/* The seats a session's live bookings take (holds not counted: they may never come). */
#define SEATS_TAKEN_SQL                                                                        \
	"COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.business_id = s.business_id AND " \
	"b.session_id = s.id AND b.status IN ('pending', 'confirmed', 'checked_in', "          \
	"'completed')), 0)"

/* The session's live bookings ($1 business, $2 session) in id order. SQLite is told the
 * index: without statistics it would rather walk every booking of the business by the
 * primary key, for its order. */
#define SESSION_BOOKINGS_SQL(indexed)                                                          \
	"SELECT id FROM bookings " indexed " WHERE business_id = $1 AND session_id = $2 AND "    \
	"status IN ('held', 'pending', 'confirmed', 'checked_in') ORDER BY id"

const char *store_session_bookings_sql(const db_conn *c)
{
	return db_conn_kind(c) == DB_SQLITE ? SESSION_BOOKINGS_SQL("INDEXED BY bookings_session")
					    : SESSION_BOOKINGS_SQL("");
}

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
	/* The session leaves the catalogue: inputs read before a booking's lock are stale now. */
	st = store_catalog_touch(c, b->id);
	/* Nobody waits for a seat of a session that will not take place. */
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE waitlist_entries SET status = 'removed', updated_at = $3 WHERE "
			     "business_id = $1 AND session_id = $2 AND status IN ('waiting', 'offered')",
			     DB_PARAMS(DB_S(b->id), DB_S(s->id), DB_I(now)), NULL);
	db_rows *r;
	const char **ids = NULL;
	int n = 0, cap = 0;
	if (st == STATUS_OK)
		st = db_query(c,
			      store_session_bookings_sql(c),
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

/* ---- late joining ---- */

static status late_attempt(db_conn *c, const business *b, const book_request *brq,
			   const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	const late_join_request *rq = extra;
	session_rules sr;
	status st = session_rules_get(c, b->id, rq->session_id, now, a, &sr);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, sr.service_id, a, &res->svc);
	if (st != STATUS_OK)
		return st;
	int64_t late_s = 0;
	st = db_query_int(c,
			  "SELECT late_join_s FROM service_group_rules WHERE business_id = $1 AND "
			  "service_id = $2",
			  DB_PARAMS(DB_S(b->id), DB_S(sr.service_id)), &late_s);
	if (st == STATUS_NOT_FOUND)
		st = STATUS_OK;
	if (st != STATUS_OK)
		return st;
	if (res->svc.kind != SERVICE_CLASS || late_s <= 0) {
		res->why = "this class cannot be joined once it has begun";
		return STATUS_INVALID;
	}
	if (now < sr.start) {
		res->why = "the session has not begun: book it as usual";
		return STATUS_INVALID;
	}
	if (now >= sr.start + late_s || (sr.decision && strcmp(sr.decision, "cancelled") == 0)) {
		res->why = "joining this session is closed";
		return STATUS_INVALID;
	}
	/* The engine as of the booking cut-off: the session's seats, its bookings and holds. */
	int64_t as_of = sr.start - res->svc.min_notice_s;
	book_request take = {.service_id = res->svc.id, .start = sr.start, .seats = 1,
			     .actor = rq->actor};
	int64_t end = sr.start + res->svc.duration_s;
	avail_slot slot;
	st = book_take_slot(c, b, &res->svc, &take, sr.start, &end, as_of, a, &slot, res);
	if (st == STATUS_OK && (!slot.session_id || strcmp(slot.session_id, sr.session_id) != 0)) {
		res->reason = AVAIL_REASON_FULL;
		res->why = "the session has no seat left";
		st = STATUS_CONFLICT;
	}
	if (st != STATUS_OK)
		return st;
	booking *bk = &res->b;
	memset(bk, 0, sizeof(*bk));
	bk->id = ids_sortable(a, "bkg");
	bk->reference = ids_reference(a);
	book_place(bk, &res->svc, &slot, sr.start, end);
	bk->seats = 1;
	bk->status = BOOKING_CONFIRMED;
	bk->source = strcmp(rq->actor, "customer") == 0 ? "web" : "admin";
	bk->price_minor = policy_price(&res->svc, bk->start_at, bk->end_at, 1);
	bk->currency = b->currency;
	bk->created_at = bk->updated_at = now;
	const char *cid;
	st = store_customer_upsert(c, b->id, rq->email, rq->name, rq->phone ? rq->phone : "",
				   strcmp(rq->actor, "customer") == 0, 1, bk->price_minor, now, a, &cid);
	if (st != STATUS_OK)
		return st;
	bk->customer_id = cid;
	bk->customer_name = rq->name;
	bk->customer_email = rq->email;
	bk->customer_phone = rq->phone ? rq->phone : "";
	bk->customer_tz = rq->tz;
	bk->notes = "";
	res->manage_token = ids_secret(a);
	bk->manage_token_hash = ids_secret_hash(a, res->manage_token);
	st = store_booking_insert_client(c, b->id, bk, NULL, NULL);
	if (st == STATUS_CONFLICT)
		st = STATUS_BUSY; /* a reference taken: run it again */
	if (st == STATUS_OK)
		st = book_event(c, b->id, bk, now, rq->actor, "created", NULL, "confirmed",
				"joined after the start", json_pack("{s:b}", "late_join", 1), a);
	if (st == STATUS_OK)
		st = outbox_booking(c, b, bk, "late_join", NULL, now, a);
	return st;
}

status session_late_join(db_conn *c, const business *b, const late_join_request *rq,
			 int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	book_request brq = {.seats = 1, .actor = rq->actor};
	return book_run(c, b, &brq, rq, now, a, res, late_attempt);
}

status session_late_list(db_conn *c, const char *business_id, const char *service_id,
			 int64_t now, arena *a, late_session **out, int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(
		c,
		"SELECT s.id, s.start_at, s.end_at, s.capacity - COALESCE((SELECT SUM(b.seats) FROM "
		"bookings b WHERE b.business_id = s.business_id AND b.session_id = s.id AND b.status "
		"IN ('held', 'pending', 'confirmed', 'checked_in', 'completed')), 0) FROM sessions s "
		"JOIN service_group_rules g ON g.business_id = s.business_id AND g.service_id = "
		"s.service_id WHERE s.business_id = $1 AND s.service_id = $2 AND s.start_at <= $3 AND "
		"s.start_at + g.late_join_s > $3 AND " SESSION_RULES_OPEN_SQL("s") " ORDER BY "
		"s.start_at, s.id",
		DB_PARAMS(DB_S(business_id), DB_S(service_id), DB_I(now)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (db_int(r, 3) <= 0)
			continue;
		ROWS_GROW(a, *out, *n, cap);
		(*out)[(*n)++] = (late_session){arena_strdup(a, db_text(r, 0)), db_int(r, 1),
						db_int(r, 2), (int)db_int(r, 3)};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}
