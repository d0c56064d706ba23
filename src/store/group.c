/* group.c - booking groups: every participant a booking of its own, all taken in one
 * transaction through the slot engine (store/book_impl.h), or none. */
#include "store/group.h"

#include <jansson.h>
#include <string.h>

#include "base/ids.h"
#include "core/lifecycle.h"
#include "core/policy.h"
#include "store/book_impl.h"
#include "store/booking.h"
#include "store/catalog.h"
#include "store/company.h"
#include "store/outbox.h"
#include "store/rows.h"

#define GROUP_COLUMNS                                                                          \
	"g.id, g.reference, g.service_id, g.start_at, g.status, g.organiser_name, "            \
	"g.organiser_email, g.organiser_phone, g.organiser_customer_id, g.company_id, k.name, " \
	"g.created_at, g.business_id"
#define GROUP_FROM                                                                             \
	" FROM booking_groups g LEFT JOIN companies k ON k.business_id = g.business_id AND "   \
	"k.id = g.company_id "

static const char *opt_text(const db_rows *r, int col, arena *a)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

static void group_read(const db_rows *r, arena *a, booking_group *g)
{
	memset(g, 0, sizeof(*g));
	g->id = arena_strdup(a, db_text(r, 0));
	g->reference = arena_strdup(a, db_text(r, 1));
	g->service_id = arena_strdup(a, db_text(r, 2));
	g->start_at = db_int(r, 3);
	g->status = arena_strdup(a, db_text(r, 4));
	g->organiser_name = arena_strdup(a, db_text(r, 5));
	g->organiser_email = arena_strdup(a, db_text(r, 6));
	g->organiser_phone = arena_strdup(a, db_text(r, 7));
	g->organiser_customer_id = opt_text(r, 8, a);
	g->company_id = opt_text(r, 9, a);
	g->company_name = opt_text(r, 10, a);
	g->created_at = db_int(r, 11);
}

/* Whether a booking in status s holds its seat. */
static bool member_live(booking_status s)
{
	return s == BOOKING_HELD || s == BOOKING_PENDING || s == BOOKING_CONFIRMED ||
	       s == BOOKING_CHECKED_IN;
}

/* The group's bookings, in the order they were made. Not locked: a change locks each booking
 * it changes itself (book_cancel_tx), after the group's row. */
static status members_load(db_conn *c, const char *bid, booking_group *g, arena *a)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT " STORE_BOOKING_COLUMNS("") " FROM bookings WHERE business_id = "
			     "$1 AND group_id = $2 ORDER BY created_at, id",
			     DB_PARAMS(DB_S(bid), DB_S(g->id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	g->n_members = g->live = 0;
	while (db_next(r)) {
		ROWS_GROW(a, g->members, g->n_members, cap);
		booking *bk = &g->members[g->n_members++];
		store_booking_read(r, a, bk);
		if (member_live(bk->status))
			g->live++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

static status group_read_one(db_conn *c, const char *bid, const char *id, bool for_update,
			     arena *a, booking_group *out, const char **bid_out)
{
	db_rows *r;
	/* PostgreSQL locks the group's row (not the company's) for a change of the group. */
	const char *sql = arena_printf(a,
				       "SELECT " GROUP_COLUMNS GROUP_FROM "WHERE ($1 = '' OR "
				       "g.business_id = $1) AND g.id = $2%s",
				       for_update && db_conn_kind(c) == DB_POSTGRES ? " FOR UPDATE OF g"
										     : "");
	status st = db_query(c, sql, DB_PARAMS(DB_S(bid ? bid : ""), DB_S(id ? id : "")), &r);
	if (st != STATUS_OK)
		return st;
	const char *gb = NULL;
	if (db_next(r)) {
		group_read(r, a, out);
		gb = arena_strdup(a, db_text(r, 12));
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	if (bid_out)
		*bid_out = gb;
	if (st == STATUS_OK)
		st = members_load(c, gb, out, a);
	return st;
}

status group_get(db_conn *c, const char *business_id, const char *id, arena *a,
		 booking_group *out, const char **business_id_out)
{
	return group_read_one(c, business_id, id, false, a, out, business_id_out);
}

status group_of_booking(db_conn *c, const char *business_id, const char *booking_id, arena *a,
			const char **group_id)
{
	*group_id = NULL;
	db_rows *r;
	status st = db_query(c,
			     "SELECT group_id FROM bookings WHERE business_id = $1 AND id = $2 AND "
			     "group_id IS NOT NULL",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*group_id = arena_strdup(a, db_text(r, 0));
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status group_list(db_conn *c, const char *business_id, const char *company_id, int max,
		  arena *a, booking_group **out, int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT " GROUP_COLUMNS ", (SELECT COUNT(*) FROM bookings b WHERE "
			     "b.business_id = g.business_id AND b.group_id = g.id AND b.status IN "
			     "('held', 'pending', 'confirmed', 'checked_in'))" GROUP_FROM
			     "WHERE g.business_id = $1 AND ($2 = '' OR g.company_id = $2) ORDER BY "
			     "g.created_at DESC, g.id DESC LIMIT $3",
			     DB_PARAMS(DB_S(business_id), DB_S(company_id ? company_id : ""), DB_I(max)),
			     &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		ROWS_GROW(a, *out, *n, cap);
		booking_group *g = &(*out)[(*n)++];
		group_read(r, a, g);
		g->live = (int)db_int(r, 13);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* ---- rules ---- */

status group_rules_get(db_conn *c, const char *business_id, const char *service_id,
		       group_rules *out)
{
	*out = (group_rules){.group_min = 2};
	db_rows *r;
	status st = db_query(c,
			     "SELECT group_min, group_max, min_attendance, decide_before_s, late_join_s "
			     "FROM service_group_rules WHERE business_id = $1 AND service_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(service_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		out->group_min = (int)db_int(r, 0);
		out->group_max = (int)db_int(r, 1);
		out->min_attendance = (int)db_int(r, 2);
		out->decide_before_s = db_int(r, 3);
		out->late_join_s = db_int(r, 4);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status group_rules_put(db_conn *c, const char *business_id, const char *service_id,
		       const group_rules *in, const char **why)
{
	*why = NULL;
	if (in->group_max > GROUP_MAX_PARTICIPANTS) {
		*why = "group_max may be at most 50";
		return STATUS_INVALID;
	}
	if (in->group_min < 1 || (in->group_max > 0 && in->group_min > in->group_max)) {
		*why = "group_min must be from 1 to group_max";
		return STATUS_INVALID;
	}
	return db_exec(c,
		       "INSERT INTO service_group_rules (business_id, service_id, group_min, "
		       "group_max, min_attendance, decide_before_s, late_join_s) VALUES ($1, $2, $3, "
		       "$4, $5, $6, $7) ON CONFLICT (business_id, service_id) DO UPDATE SET "
		       "group_min = excluded.group_min, group_max = excluded.group_max, "
		       "min_attendance = excluded.min_attendance, decide_before_s = "
		       "excluded.decide_before_s, late_join_s = excluded.late_join_s",
		       DB_PARAMS(DB_S(business_id), DB_S(service_id), DB_I(in->group_min),
				 DB_I(in->group_max), DB_I(in->min_attendance),
				 DB_I(in->decide_before_s), DB_I(in->late_join_s)),
		       NULL);
}

/* ---- writes ---- */

/* A refusal for people, with the field at fault. */
static status refuse(group_result *out, status st, const char *field, const char *why)
{
	out->field = field;
	out->why = why;
	return st;
}

/* Remembers a new member's manage token for the answer. */
static void token_keep(group_result *out, const char *tok, arena *a)
{
	const char **t = arena_alloc(a, sizeof(char *) * (size_t)(out->n_tokens + 1));
	if (out->n_tokens)
		memcpy(t, out->tokens, sizeof(char *) * (size_t)out->n_tokens);
	t[out->n_tokens++] = tok;
	out->tokens = t;
}

/* Inside the transaction: one participant's seat at the group's time, checked by the slot
 * engine after every seat before it is written, then booked with its customer, manage
 * token, history and messages. prov: the class session's provider (a participant added
 * later joins the same session), or NULL. */
static status member_book(db_conn *c, const business *b, group_result *out,
			  const booking_group *g, const group_person *p, const char *prov,
			  const char *tzname, const char *notes, const char *source,
			  const char *actor, const char *client_addr, int64_t now, arena *a)
{
	service *svc = &out->svc;
	book_request rq = {.service_id = svc->id, .start = g->start_at, .seats = 1,
			   .provider_id = prov, .actor = actor};
	int64_t end = g->start_at + svc->duration_s;
	avail_slot slot;
	memset(&out->res, 0, sizeof(out->res));
	status st = book_take_slot(c, b, svc, &rq, g->start_at, &end, now, a, &slot, &out->res);
	if (st == STATUS_CONFLICT)
		return refuse(out, st, NULL,
			      arena_printf(a, "there is no room for %s at that time (%s): the "
					      "group was not booked",
					   p->name, avail_reason_name(out->res.reason)));
	if (st != STATUS_OK)
		return st;
	booking bk;
	memset(&bk, 0, sizeof(bk));
	bk.id = ids_sortable(a, "bkg");
	bk.reference = ids_reference(a);
	book_place(&bk, svc, &slot, g->start_at, end);
	bk.seats = 1;
	booking_status to;
	const char *why = NULL;
	st = lifecycle_next(BOOKING_HELD, ACTION_BOOK, svc->requires_approval, &to, &why);
	if (st != STATUS_OK)
		return refuse(out, st, NULL, why);
	bk.status = to;
	bk.source = source ? source : "web";
	bk.price_minor = policy_price(svc, bk.start_at, bk.end_at, 1);
	bk.currency = b->currency;
	bk.created_at = bk.updated_at = now;
	const char *cid;
	st = store_customer_upsert(c, b->id, p->email, p->name, p->phone ? p->phone : "",
				   strcmp(actor, "customer") == 0, 1, bk.price_minor, now, a, &cid);
	if (st != STATUS_OK)
		return st;
	bk.customer_id = cid;
	bk.customer_name = p->name;
	bk.customer_email = p->email;
	bk.customer_phone = p->phone ? p->phone : "";
	bk.customer_tz = tzname;
	bk.notes = notes ? notes : "";
	const char *tok = ids_secret(a);
	bk.manage_token_hash = ids_secret_hash(a, tok);
	st = store_booking_insert_client(c, b->id, &bk, client_addr, NULL);
	if (st == STATUS_CONFLICT) /* a reference taken: the whole attempt runs again */
		st = STATUS_BUSY;
	if (st == STATUS_OK)
		st = db_exec(c, "UPDATE bookings SET group_id = $3 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(bk.id), DB_S(g->id)), NULL);
	if (st == STATUS_OK)
		st = book_event(c, b->id, &bk, now, actor, "created", NULL, booking_status_name(to),
				"", json_pack("{s:s}", "group", g->reference), a);
	if (st == STATUS_OK)
		st = outbox_booking(c, b, &bk, to == BOOKING_PENDING ? "pending" : "confirmed", NULL,
				    now, a);
	if (st == STATUS_OK)
		token_keep(out, tok, a);
	return st;
}

/* The organiser's summary: one email about the group, tied to its first live booking (its
 * words come from group_message_words when it is sent). */
static status summary_queue(db_conn *c, const business *b, const booking_group *g,
			    const char *booking_id, int64_t now, arena *a)
{
	return db_exec(c,
		       "INSERT INTO notifications (business_id, id, booking_id, customer_id, channel, "
		       "event, recipient, status, due_at, next_attempt_at, dedupe_key, created_at, "
		       "updated_at) VALUES ($1, $2, $3, $4, 'email', 'group_summary', $5, 'pending', "
		       "$6, $6, $7, $6, $6)",
		       DB_PARAMS(DB_S(b->id), DB_S(ids_sortable(a, "ntf")), DB_S(booking_id),
				 DB_S(g->organiser_customer_id), DB_S(g->organiser_email), DB_I(now),
				 DB_S(ids_sortable(a, "once"))),
		       NULL);
}

/* Checks the people of a request: names, emails, each email once. */
static status people_check(const group_person *pp, int n, arena *a, group_result *out)
{
	for (int i = 0; i < n; i++) {
		if (!pp[i].name || !*pp[i].name || !pp[i].email || !*pp[i].email)
			return refuse(out, STATUS_INVALID, arena_printf(a, "participants[%d]", i),
				      "every participant needs a name and an email");
		for (int j = 0; j < i; j++)
			if (strcmp(pp[i].email, pp[j].email) == 0)
				return refuse(out, STATUS_INVALID,
					      arena_printf(a, "participants[%d].email", i),
					      "each participant needs an email of their own");
	}
	return STATUS_OK;
}

static status create_attempt(db_conn *c, const business *b, const book_request *brq,
			     const void *extra, int64_t now, arena *a, book_result *bres)
{
	(void)brq;
	(void)bres;
	const group_request *rq = ((const void *const *)extra)[0];
	group_result *out = (group_result *)((const void *const *)extra)[1];
	booking_group *g = &out->g;
	out->n_tokens = 0;
	out->tokens = NULL;
	memset(g, 0, sizeof(*g));
	g->id = ids_new(a, "grp");
	g->reference = ids_reference(a);
	g->service_id = out->svc.id;
	g->start_at = rq->start;
	g->status = "active";
	g->organiser_name = rq->organiser_name;
	g->organiser_email = rq->organiser_email;
	g->organiser_phone = rq->organiser_phone ? rq->organiser_phone : "";
	g->created_at = now;
	status st = STATUS_OK;
	if (rq->client_addr && rq->client_limits) {
		/* The public limits, as a booking's: the address (which counts every participant
		 * booked from it) and the organiser's email. */
		book_request caps = {.client_addr = rq->client_addr,
				     .customer_email = rq->organiser_email};
		st = book_caps_tx(c, b, &caps, now, a, &out->res);
		if (st == STATUS_CONFLICT)
			return refuse(out, st, NULL, out->res.why);
		if (st != STATUS_OK)
			return st;
	}
	/* The organiser is a customer too (counted for no booking of their own). */
	const char *ocid;
	st = store_customer_upsert(c, b->id, rq->organiser_email, rq->organiser_name,
					  g->organiser_phone, strcmp(rq->actor, "customer") == 0, 0,
					  0, now, a, &ocid);
	g->organiser_customer_id = ocid;
	if (st == STATUS_OK && rq->company_name && *rq->company_name) {
		st = company_match(c, b->id, rq->company_name, rq->organiser_email, now, a,
				   &g->company_id);
		g->company_name = rq->company_name;
		/* The organiser joins the company unless they belong to one already. */
		if (st == STATUS_OK)
			st = db_exec(c,
				     "UPDATE customers SET company_id = $3 WHERE business_id = $1 AND "
				     "id = $2 AND company_id IS NULL",
				     DB_PARAMS(DB_S(b->id), DB_S(ocid), DB_S(g->company_id)), NULL);
	}
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO booking_groups (business_id, id, reference, service_id, "
			     "start_at, status, organiser_name, organiser_email, organiser_phone, "
			     "organiser_customer_id, company_id, created_at, updated_at) VALUES ($1, "
			     "$2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11, $11)",
			     DB_PARAMS(DB_S(b->id), DB_S(g->id), DB_S(g->reference), DB_S(g->service_id),
				       DB_I(g->start_at), DB_S(g->organiser_name),
				       DB_S(g->organiser_email), DB_S(g->organiser_phone), DB_S(ocid),
				       DB_S(g->company_id), DB_I(now)),
			     NULL);
	if (st == STATUS_CONFLICT)
		st = STATUS_BUSY; /* the reference was taken: run it again */
	const char *prov = NULL;
	const char *first = NULL;
	for (int i = 0; st == STATUS_OK && i < rq->n_people; i++) {
		st = member_book(c, b, out, g, &rq->people[i], prov, rq->customer_tz, rq->notes,
				 rq->source, rq->actor, rq->client_addr, now, a);
		if (st == STATUS_OK && out->svc.kind == SERVICE_CLASS && i == 0) {
			/* Everyone in the first participant's session. */
			booking_group tmp = {.id = g->id};
			st = members_load(c, b->id, &tmp, a);
			prov = st == STATUS_OK && tmp.n_members ? tmp.members[0].provider_id : NULL;
		}
	}
	if (st == STATUS_OK)
		st = members_load(c, b->id, g, a);
	if (st == STATUS_OK && g->n_members)
		first = g->members[0].id;
	if (st == STATUS_OK && first)
		st = summary_queue(c, b, g, first, now, a);
	return st;
}

status group_create(db_conn *c, const business *b, const group_request *rq, int64_t now,
		    arena *a, group_result *out)
{
	memset(out, 0, sizeof(*out));
	status st = store_service_get(c, b->id, rq->service_id ? rq->service_id : "", a, &out->svc);
	if (st == STATUS_OK && !out->svc.active)
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK)
		return st;
	if (out->svc.kind == SERVICE_RENTAL)
		return refuse(out, STATUS_INVALID, "service", "rentals are not booked in groups");
	group_rules rules;
	st = group_rules_get(c, b->id, out->svc.id, &rules);
	if (st != STATUS_OK)
		return st;
	if (rules.group_max <= 0)
		return refuse(out, STATUS_INVALID, "service", "this service takes no group bookings");
	if (rq->n_people < rules.group_min || rq->n_people > rules.group_max)
		return refuse(out, STATUS_INVALID, "participants",
			      arena_printf(a, "a group of this service has %d to %d participants",
					   rules.group_min, rules.group_max));
	st = people_check(rq->people, rq->n_people, a, out);
	if (st != STATUS_OK)
		return st;
	const void *extra[2] = {rq, out};
	book_request brq = {.service_id = out->svc.id, .start = rq->start, .seats = rq->n_people,
			    .actor = rq->actor};
	book_result bres;
	memset(&bres, 0, sizeof(bres));
	return book_run(c, b, &brq, extra, now, a, &bres, create_attempt);
}

/* Extra arguments of a change to a group. */
typedef struct change_args {
	const char *group_id;
	const group_person *person; /* add */
	const char *member;         /* remove: booking id or reference */
	const char *actor;
	const char *reason;
	bool by_customer;
	group_result *out;
} change_args;

static status add_attempt(db_conn *c, const business *b, const book_request *brq,
			  const void *extra, int64_t now, arena *a, book_result *bres)
{
	(void)brq;
	(void)bres;
	const change_args *x = extra;
	group_result *out = x->out;
	booking_group *g = &out->g;
	out->n_tokens = 0;
	status st = group_read_one(c, b->id, x->group_id, true, a, g, NULL);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, g->service_id, a, &out->svc);
	if (st != STATUS_OK)
		return st;
	if (strcmp(g->status, "active") != 0)
		return refuse(out, STATUS_CONFLICT, NULL, "the group is cancelled");
	if (g->start_at <= now)
		return refuse(out, STATUS_CONFLICT, NULL, "the group's time has begun");
	group_rules rules;
	st = group_rules_get(c, b->id, g->service_id, &rules);
	if (st != STATUS_OK)
		return st;
	if (g->live >= rules.group_max)
		return refuse(out, STATUS_INVALID, "participants",
			      arena_printf(a, "a group of this service has at most %d participants",
					   rules.group_max));
	const char *prov = NULL;
	for (int i = 0; i < g->n_members; i++) {
		if (member_live(g->members[i].status) &&
		    strcmp(g->members[i].customer_email, x->person->email) == 0)
			return refuse(out, STATUS_INVALID, "email",
				      "this participant is in the group already");
		if (out->svc.kind == SERVICE_CLASS && member_live(g->members[i].status))
			prov = g->members[i].provider_id;
	}
	const char *tzname = g->n_members ? g->members[0].customer_tz : NULL;
	st = member_book(c, b, out, g, x->person, prov, tzname, NULL,
			 g->n_members ? g->members[0].source : "web", x->actor, NULL, now, a);
	if (st == STATUS_OK)
		st = members_load(c, b->id, g, a);
	return st;
}

status group_add(db_conn *c, const business *b, const char *group_id, const group_person *p,
		 const char *actor, int64_t now, arena *a, group_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!p->name || !*p->name || !p->email || !*p->email)
		return refuse(out, STATUS_INVALID, "name", "a participant needs a name and an email");
	change_args x = {.group_id = group_id, .person = p, .actor = actor, .out = out};
	book_request brq = {.actor = actor, .seats = 1};
	book_result bres;
	memset(&bres, 0, sizeof(bres));
	return book_run(c, b, &brq, &x, now, a, &bres, add_attempt);
}

/* Cancels the live members of g named by member (NULL: all of them). */
static status members_cancel(db_conn *c, const business *b, const change_args *x,
			     booking_group *g, int64_t now, arena *a, int *cancelled)
{
	*cancelled = 0;
	status st = STATUS_OK;
	for (int i = 0; st == STATUS_OK && i < g->n_members; i++) {
		booking *m = &g->members[i];
		if (x->member && strcmp(m->id, x->member) != 0 && strcmp(m->reference, x->member) != 0)
			continue;
		if (!member_live(m->status))
			continue;
		book_result r;
		memset(&r, 0, sizeof(r));
		st = book_cancel_tx(c, b, m->id, x->actor, x->reason ? x->reason : "", x->by_customer,
				    now, a, &r);
		if (st != STATUS_OK)
			return refuse(x->out, st, NULL, r.why ? r.why : "the booking cannot be cancelled");
		(*cancelled)++;
	}
	return st;
}

static status remove_attempt(db_conn *c, const business *b, const book_request *brq,
			     const void *extra, int64_t now, arena *a, book_result *bres)
{
	(void)brq;
	(void)bres;
	const change_args *x = extra;
	group_result *out = x->out;
	booking_group *g = &out->g;
	status st = group_read_one(c, b->id, x->group_id, true, a, g, NULL);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, g->service_id, a, &out->svc);
	if (st != STATUS_OK)
		return st;
	bool found = false;
	for (int i = 0; i < g->n_members; i++)
		found = found || strcmp(g->members[i].id, x->member) == 0 ||
			strcmp(g->members[i].reference, x->member) == 0;
	if (!found)
		return refuse(out, STATUS_NOT_FOUND, NULL, "no such participant in the group");
	group_rules rules;
	st = group_rules_get(c, b->id, g->service_id, &rules);
	if (st != STATUS_OK)
		return st;
	if (x->by_customer && g->live - 1 < rules.group_min)
		return refuse(out, STATUS_INVALID, "participants",
			      arena_printf(a, "a group of this service has at least %d participants: "
					      "cancel the whole group instead",
					   rules.group_min));
	int n = 0;
	st = members_cancel(c, b, x, g, now, a, &n);
	if (st == STATUS_OK && n == 0)
		return refuse(out, STATUS_CONFLICT, NULL, "the participant is already cancelled");
	if (st == STATUS_OK)
		st = members_load(c, b->id, g, a);
	return st;
}

status group_remove(db_conn *c, const business *b, const char *group_id, const char *member,
		    const char *actor, bool by_customer, int64_t now, arena *a, group_result *out)
{
	memset(out, 0, sizeof(*out));
	change_args x = {.group_id = group_id, .member = member, .actor = actor,
			 .reason = "removed from the group", .by_customer = by_customer, .out = out};
	book_request brq = {.actor = actor};
	book_result bres;
	memset(&bres, 0, sizeof(bres));
	return book_run(c, b, &brq, &x, now, a, &bres, remove_attempt);
}

static status cancel_attempt(db_conn *c, const business *b, const book_request *brq,
			     const void *extra, int64_t now, arena *a, book_result *bres)
{
	(void)brq;
	(void)bres;
	const change_args *x = extra;
	group_result *out = x->out;
	booking_group *g = &out->g;
	status st = group_read_one(c, b->id, x->group_id, true, a, g, NULL);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, g->service_id, a, &out->svc);
	if (st != STATUS_OK)
		return st;
	if (strcmp(g->status, "active") != 0)
		return refuse(out, STATUS_CONFLICT, NULL, "the group is cancelled already");
	int n = 0;
	st = members_cancel(c, b, x, g, now, a, &n);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE booking_groups SET status = 'cancelled', updated_at = $3 WHERE "
			     "business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(g->id), DB_I(now)), NULL);
	if (st == STATUS_OK) {
		g->status = "cancelled";
		st = members_load(c, b->id, g, a);
	}
	return st;
}

status group_cancel(db_conn *c, const business *b, const char *group_id, const char *actor,
		    const char *reason, bool by_customer, int64_t now, arena *a, group_result *out)
{
	memset(out, 0, sizeof(*out));
	change_args x = {.group_id = group_id, .actor = actor,
			 .reason = reason && *reason ? reason : "the group was cancelled",
			 .by_customer = by_customer, .out = out};
	book_request brq = {.actor = actor};
	book_result bres;
	memset(&bres, 0, sizeof(bres));
	return book_run(c, b, &brq, &x, now, a, &bres, cancel_attempt);
}

status group_message_words(db_conn *c, const char *business_id, const char *booking_id,
			   arena *a, const char **organiser, const char **reference,
			   const char **group_id, const char **participants)
{
	const char *gid;
	status st = group_of_booking(c, business_id, booking_id, a, &gid);
	if (st == STATUS_OK && !gid)
		st = STATUS_NOT_FOUND;
	booking_group g;
	if (st == STATUS_OK)
		st = group_get(c, business_id, gid, a, &g, NULL);
	if (st != STATUS_OK)
		return st;
	*organiser = g.organiser_name;
	*reference = g.reference;
	*group_id = g.id;
	const char *list = "";
	for (int i = 0; i < g.n_members; i++)
		if (member_live(g.members[i].status))
			list = arena_printf(a, "%s  - %s <%s>, reference %s\n", list,
					    g.members[i].customer_name, g.members[i].customer_email,
					    g.members[i].reference);
	*participants = list;
	return STATUS_OK;
}
