/* groups.c - the booking group routes (api/groups.h): short adapters over store/group.h and
 * store/company.h. The organiser's group is reached by its id and a link token (an HMAC of
 * the id under the server's link key, store/secrets.h), like a waiting list entry: a wrong
 * token answers 404 like an unknown id. */
#include "api/groups.h"

#include <string.h>

#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/live.h"
#include "api/staff_bookings.h"
#include "core/tz.h"
#include "store/business.h"
#include "store/booking_query.h"
#include "store/catalog.h"
#include "store/company.h"
#include "store/group.h"
#include "store/secrets.h"
#include "store/session_rules.h"

#define GROUPS_LIST_MAX 500
#define COMPANIES_MAX 2000

static json_t *instant(const tz *z, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, t, s);
	return json_string(s);
}

static const tz *answer_zone(http_req *r, const business *b)
{
	const char *z = http_query(r, "tz");
	const tz *zone = z && *z ? tz_get(z) : NULL;
	return zone ? zone : tz_get(b->timezone);
}

/* A group with its participants; staff see each one's booking id and customer. */
static json_t *group_json(const booking_group *g, const service *svc, const tz *z, bool staff)
{
	json_t *people = json_array();
	for (int i = 0; i < g->n_members; i++) {
		const booking *m = &g->members[i];
		json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "reference", m->reference, "name",
				      m->customer_name, "email", m->customer_email, "status",
				      booking_status_name(m->status));
		json_object_set_new(p, "provider", m->provider_id ? json_string(m->provider_id)
								  : json_null());
		if (staff) {
			json_object_set_new(p, "booking", json_string(m->id));
			json_object_set_new(p, "customer", m->customer_id ? json_string(m->customer_id)
									  : json_null());
		}
		json_array_append_new(people, p);
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:o}", "id", g->id, "reference",
			      g->reference, "status", g->status, "service", g->service_id,
			      "service_name", svc ? svc->name : "", "start", instant(z, g->start_at),
			      "live", g->live, "participants", people);
	if (svc)
		json_object_set_new(o, "end", instant(z, g->start_at + svc->duration_s));
	json_object_set_new(o, "organiser",
			    json_pack("{s:s, s:s, s:s}", "name", g->organiser_name, "email",
				      g->organiser_email, "phone", g->organiser_phone));
	json_object_set_new(o, "company",
			    g->company_id ? json_pack("{s:s, s:s?}", "id", g->company_id, "name",
						      g->company_name)
					  : json_null());
	if (staff)
		json_object_set_new(o, "organiser_customer", g->organiser_customer_id
								     ? json_string(g->organiser_customer_id)
								     : json_null());
	json_object_set_new(o, "created_at", instant(z, g->created_at));
	return o;
}

/* Tells booking pages and staff streams of every member a write touched. */
static void publish(db_conn *c, const business *b, const booking_group *g, bool created,
		    arena *a)
{
	for (int i = 0; i < g->n_members; i++) {
		const booking *m = &g->members[i];
		live_booking_changed(c, b, m->provider_id, m->resource_id, m->busy_start, m->busy_end,
				     a);
		live_booking_event(c, b, m, created, NULL, a);
	}
}

/* Answers a failed group write: 404, 409 (with the engine's reason on a refused seat), or
 * 422 naming the field. */
static void answer_error(http_req *r, db_conn *c, status st, const group_result *out,
			 const char *what)
{
	if (st == STATUS_INVALID) {
		http_field_error_add(r, out->field ? out->field : "participants", "%s",
				     out->why ? out->why : "is not valid");
		http_problem(r, STATUS_INVALID, "invalid %s", what);
	} else if (st == STATUS_CONFLICT && (out->res.reason != AVAIL_REASON_OFFERED || out->res.limit)) {
		book_result res = out->res;
		res.why = out->why;
		booking_answer_error(r, c, st, &res);
	} else if (st == STATUS_CONFLICT || (st == STATUS_NOT_FOUND && out->why)) {
		http_problem(r, st, "%s", out->why ? out->why : "not allowed");
	} else if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such %s", what);
	} else {
		api_store_error(r, c, st);
	}
}

/* Reads a person {name, email, phone?} at path into *p; field errors otherwise. */
static const char *const PERSON_KEYS[] = {"name", "email", "phone", "timezone", NULL};

static void read_person(http_req *r, const json_t *o, const char *path, group_person *p,
			const char **tzname)
{
	if (!json_is_object(o)) {
		http_field_error_add(r, path, "must be an object {\"name\", \"email\", \"phone\"?}");
		return;
	}
	booking_body_known(r, o, path, tzname ? PERSON_KEYS : (const char *const[]){"name", "email",
										     "phone", NULL});
	p->name = booking_body_str(r, o, "name", arena_printf(r->arena, "%s.name", path), 200, true);
	const char *email = booking_body_str(r, o, "email", arena_printf(r->arena, "%s.email", path),
					     254, true);
	if (email) {
		p->email = booking_email_normalise(r->arena, email);
		if (!p->email)
			http_field_error_add(r, arena_printf(r->arena, "%s.email", path),
					     "is not an email address");
	}
	p->phone = booking_body_str(r, o, "phone", arena_printf(r->arena, "%s.phone", path), 40, false);
	for (const char *q = p->phone; q && *q; q++)
		if (!strchr("0123456789 +-().", *q)) {
			http_field_error_add(r, arena_printf(r->arena, "%s.phone", path),
					     "may hold only digits, spaces and + - ( ) .");
			break;
		}
	if (tzname) {
		*tzname = booking_body_str(r, o, "timezone", arena_printf(r->arena, "%s.timezone", path),
					   64, false);
		if (*tzname && !tz_get(*tzname))
			http_field_error_add(r, arena_printf(r->arena, "%s.timezone", path),
					     "is not a known IANA time zone");
	}
}

static const char *const CREATE_KEYS[] = {"service", "start", "organiser", "company",
					  "participants", "notes", "client", NULL};

/* POST …/groups, public (actor customer) or staff. */
static void create(http_req *r, bool staff)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	group_request rq = {.actor = staff ? staff_actor(r) : "customer",
			    .source = staff ? "admin" : "web"};
	if (!staff) {
		book_request client = {0};
		booking_body_client(r, body, &client);
		rq.client_addr = client.client_addr;
		rq.client_limits = client.client_limits;
	}
	booking_body_known(r, body, "", CREATE_KEYS);
	rq.service_id = booking_body_str(r, body, "service", "service", 64, true);
	booking_body_instant(r, body, "start", true, &rq.start);
	group_person org = {0};
	read_person(r, json_object_get(body, "organiser"), "organiser", &org, &rq.customer_tz);
	rq.organiser_name = org.name;
	rq.organiser_email = org.email;
	rq.organiser_phone = org.phone;
	rq.company_name = booking_body_str(r, body, "company", "company", 200, false);
	rq.notes = booking_body_notes(r, body, "notes", "notes", 2000);
	const json_t *list = json_object_get(body, "participants"); /* borrowed */
	if (!json_is_array(list) || json_array_size(list) == 0) {
		http_field_error_add(r, "participants", "is required: a list of {\"name\", \"email\"}");
	} else if (json_array_size(list) > GROUP_MAX_PARTICIPANTS) {
		http_field_error_add(r, "participants", "may list at most %d people",
				     GROUP_MAX_PARTICIPANTS);
	} else {
		group_person *pp = arena_alloc(r->arena, sizeof(*pp) * json_array_size(list));
		memset(pp, 0, sizeof(*pp) * json_array_size(list));
		for (size_t i = 0; i < json_array_size(list); i++) /* borrowed items */
			read_person(r, json_array_get(list, i),
				    arena_printf(r->arena, "participants[%zu]", i), &pp[i], NULL);
		rq.people = pp;
		rq.n_people = (int)json_array_size(list);
	}
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid group booking");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	group_result out;
	status st = group_create(c, &b, &rq, r->now, r->arena, &out);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "service", "no such service");
		http_problem(r, STATUS_INVALID, "invalid group booking");
		return;
	}
	if (st != STATUS_OK) {
		answer_error(r, c, st, &out, "group booking");
		return;
	}
	publish(c, &b, &out.g, true, r->arena);
	const char *tok;
	st = store_link_token(c, "group", out.g.id, r->now, r->arena, &tok);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *o = group_json(&out.g, &out.svc, answer_zone(r, &b), staff);
	json_t *people = json_object_get(o, "participants"); /* borrowed */
	for (int i = 0; i < out.n_tokens && i < (int)json_array_size(people); i++)
		json_object_set_new(json_array_get(people, (size_t)i), "manage_token",
				    json_string(out.tokens[i]));
	json_object_set_new(o, "token", json_string(tok));
	json_object_set_new(o, "link", json_string(arena_printf(r->arena, "/g/%s?t=%s", out.g.id, tok)));
	http_json_take(r, 201, o);
}

void groups_public_post(http_req *r)
{
	create(r, false);
}

void staff_groups_post(http_req *r)
{
	create(r, true);
}

/* The group of {group} when ?t= is its link token, with its business; otherwise answers 404
 * and returns false. */
static bool group_auth(http_req *r, db_conn *c, business *b, booking_group *g)
{
	const char *id = http_param(r, "group");
	const char *bid = NULL;
	bool ok = id && group_get(c, NULL, id, r->arena, g, &bid) == STATUS_OK &&
		  store_link_ok(c, "group", g->id, http_query(r, "t"), r->now, r->arena) &&
		  store_business_by_id(c, bid, r->arena, b) == STATUS_OK;
	if (!ok)
		http_problem(r, STATUS_NOT_FOUND, "no such group");
	return ok;
}

/* Answers a group as it is, with its service's name and the business. */
static void answer_group(http_req *r, db_conn *c, const business *b, const booking_group *g,
			 bool staff, int code)
{
	service svc;
	status st = store_service_get(c, b->id, g->service_id, r->arena, &svc);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *o = group_json(g, &svc, answer_zone(r, b), staff);
	json_object_set_new(o, "business", json_pack("{s:s, s:s, s:s}", "slug", b->slug, "name",
						     b->name, "timezone", b->timezone));
	group_rules rules;
	if (group_rules_get(c, b->id, g->service_id, &rules) == STATUS_OK)
		json_object_set_new(o, "limits", json_pack("{s:i, s:i}", "min", rules.group_min,
							   "max", rules.group_max));
	http_json_take(r, code, o);
}

void groups_public_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking_group g;
	if (group_auth(r, c, &b, &g))
		answer_group(r, c, &b, &g, false, 200);
}

/* Adds a participant: body {name, email, phone?}. */
static void add(http_req *r, db_conn *c, const business *b, const char *gid, const char *actor,
		bool staff)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	group_person p = {0};
	read_person(r, body, "", &p, NULL);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid participant");
		return;
	}
	group_result out;
	status st = group_add(c, b, gid, &p, actor, r->now, r->arena, &out);
	if (st != STATUS_OK) {
		answer_error(r, c, st, &out, "group");
		return;
	}
	publish(c, b, &out.g, true, r->arena);
	service svc = out.svc;
	json_t *o = group_json(&out.g, &svc, answer_zone(r, b), staff);
	if (out.n_tokens)
		json_object_set_new(o, "manage_token", json_string(out.tokens[0]));
	http_json_take(r, 201, o);
}

void groups_public_add(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking_group g;
	if (group_auth(r, c, &b, &g))
		add(r, c, &b, g.id, "customer", false);
}

static void remove_member(http_req *r, db_conn *c, const business *b, const char *gid,
			  const char *actor, bool by_customer)
{
	group_result out;
	status st = group_remove(c, b, gid, http_param(r, "member"), actor, by_customer, r->now,
				 r->arena, &out);
	if (st != STATUS_OK) {
		answer_error(r, c, st, &out, "participant");
		return;
	}
	publish(c, b, &out.g, false, r->arena);
	answer_group(r, c, b, &out.g, !by_customer, 200);
}

void groups_public_remove(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking_group g;
	if (group_auth(r, c, &b, &g))
		remove_member(r, c, &b, g.id, "customer", true);
}

static void cancel(http_req *r, db_conn *c, const business *b, const char *gid,
		   const char *actor, bool by_customer)
{
	const char *reason = NULL;
	json_t *body = r->body_len ? http_body_json(r) : NULL;
	if (r->body_len && !body)
		return;
	if (body) {
		booking_body_known(r, body, "", (const char *const[]){"reason", NULL});
		reason = booking_body_str(r, body, "reason", "reason", 500, false);
		json_decref(body);
	}
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid cancellation");
		return;
	}
	group_result out;
	status st = group_cancel(c, b, gid, actor, reason, by_customer, r->now, r->arena, &out);
	if (st != STATUS_OK) {
		answer_error(r, c, st, &out, "group");
		return;
	}
	publish(c, b, &out.g, false, r->arena);
	answer_group(r, c, b, &out.g, !by_customer, 200);
}

void groups_public_cancel(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking_group g;
	if (group_auth(r, c, &b, &g))
		cancel(r, c, &b, g.id, "customer", true);
}

/* GET /api/v1/public/{business}/group-rules: which services take groups, and their sizes. */
void groups_public_rules(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	service *ss;
	int n = 0;
	status st = store_services_list(c, b.id, true, r->arena, &ss, &n);
	json_t *list = json_array();
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		group_rules g;
		st = group_rules_get(c, b.id, ss[i].id, &g);
		if (st == STATUS_OK && (g.group_max > 0 || g.late_join_s > 0))
			json_array_append_new(list, json_pack("{s:s, s:i, s:i, s:I}", "service", ss[i].id,
							      "min", g.group_max > 0 ? g.group_min : 0,
							      "max", g.group_max, "late_join_s",
							      (json_int_t)g.late_join_s));
	}
	if (st != STATUS_OK) {
		json_decref(list);
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 200, json_pack("{s:o}", "services", list));
}

/* ---- staff ---- */

void staff_groups_list(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	const char *company_q = http_query(r, "company");
	booking_group *gs;
	int n = 0;
	status st = group_list(c, b.id, company_q && *company_q ? company_q : NULL, GROUPS_LIST_MAX,
			       r->arena, &gs, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = answer_zone(r, &b);
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = group_json(&gs[i], NULL, z, true);
		json_object_del(o, "service_name");
		json_array_append_new(list, o);
	}
	http_json_take(r, 200, json_pack("{s:o}", "groups", list));
}

/* The group of {group} in the business; answers 404 and returns false otherwise. */
static bool staff_group(http_req *r, db_conn *c, const business *b, booking_group *g)
{
	status st = group_get(c, b->id, http_param(r, "group"), r->arena, g, NULL);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such group");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

/* Whether the caller may read g: admins any group; the staff role one with a booking it
 * may see (its own provider's). */
static bool staff_may_read(http_req *r, db_conn *c, const business *b, const booking_group *g)
{
	const char *only = staff_visible_to(r);
	booking_row row;
	for (int i = 0; only && i < g->n_members; i++)
		if (store_booking_row(c, b->id, g->members[i].id, only, r->arena, &row) == STATUS_OK)
			return true;
	return !only;
}

void staff_group_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	booking_group g;
	if (!c || !staff_group(r, c, &b, &g))
		return;
	if (!staff_may_read(r, c, &b, &g))
		http_problem(r, STATUS_NOT_FOUND, "no such group");
	else
		answer_group(r, c, &b, &g, true, 200);
}

void staff_group_add(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	booking_group g;
	if (c && staff_group(r, c, &b, &g))
		add(r, c, &b, g.id, staff_actor(r), true);
}

void staff_group_remove(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	booking_group g;
	if (c && staff_group(r, c, &b, &g))
		remove_member(r, c, &b, g.id, staff_actor(r), false);
}

void staff_group_cancel(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	booking_group g;
	if (c && staff_group(r, c, &b, &g))
		cancel(r, c, &b, g.id, staff_actor(r), false);
}

/* GET …/bookings/{booking}/group: the group a booking belongs to (404: none). */
void staff_booking_group_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	const char *gid, *bid = http_param(r, "booking");
	booking_group g;
	booking_row row; /* the staff role reads the group of a booking it may see */
	status st = store_booking_row(c, b.id, bid ? bid : "", staff_visible_to(r), r->arena, &row);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such booking");
		return;
	}
	if (st == STATUS_OK)
		st = group_of_booking(c, b.id, row.b.id, r->arena, &gid);
	if (st == STATUS_OK && !gid)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = group_get(c, b.id, gid, r->arena, &g, NULL);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "the booking is in no group");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	answer_group(r, c, &b, &g, true, 200);
}

/* ---- rules ---- */

static json_t *rules_json(const char *service_id, const group_rules *g)
{
	return json_pack("{s:s, s:i, s:i, s:i, s:I, s:I}", "service", service_id, "group_min",
			 g->group_min, "group_max", g->group_max, "min_attendance",
			 g->min_attendance, "decide_before_s", (json_int_t)g->decide_before_s,
			 "late_join_s", (json_int_t)g->late_join_s);
}

/* The service of {service}; answers 404 and returns false otherwise. */
static bool rules_service(http_req *r, db_conn *c, const business *b, service *svc)
{
	status st = store_service_get(c, b->id, http_param(r, "service"), r->arena, svc);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such service");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

void staff_group_rules_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	service svc;
	group_rules g;
	if (!c || !rules_service(r, c, &b, &svc))
		return;
	status st = group_rules_get(c, b.id, svc.id, &g);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, rules_json(svc.id, &g));
}

/* Reads a whole number field of body within [lo, hi] into *out (kept when absent). */
static void body_int(http_req *r, const json_t *body, const char *key, int64_t lo, int64_t hi,
		     int64_t *out)
{
	const json_t *v = json_object_get(body, key); /* borrowed */
	if (!v)
		return;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		http_field_error_add(r, key, "must be a whole number from %lld to %lld", (long long)lo,
				     (long long)hi);
	else
		*out = json_integer_value(v);
}

static const char *const RULES_KEYS[] = {"group_min", "group_max", "min_attendance",
					 "decide_before_s", "late_join_s", NULL};

void staff_group_rules_put(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	business b;
	db_conn *c = api_open_business(r, &b);
	service svc;
	group_rules g;
	if (!c || !rules_service(r, c, &b, &svc)) {
		json_decref(body);
		return;
	}
	status rst = group_rules_get(c, b.id, svc.id, &g);
	if (rst != STATUS_OK) {
		json_decref(body);
		api_store_error(r, c, rst);
		return;
	}
	booking_body_known(r, body, "", RULES_KEYS);
	int64_t gmin = g.group_min, gmax = g.group_max, mina = g.min_attendance;
	body_int(r, body, "group_min", 1, GROUP_MAX_PARTICIPANTS, &gmin);
	body_int(r, body, "group_max", 0, GROUP_MAX_PARTICIPANTS, &gmax);
	body_int(r, body, "min_attendance", 0, 100000, &mina);
	body_int(r, body, "decide_before_s", 0, 90 * 86400LL, &g.decide_before_s);
	body_int(r, body, "late_join_s", 0, 86400, &g.late_join_s);
	json_decref(body);
	g.group_min = (int)gmin;
	g.group_max = (int)gmax;
	g.min_attendance = (int)mina;
	const char *why = NULL;
	status st = r->nerrors ? STATUS_INVALID : group_rules_put(c, b.id, svc.id, &g, &why);
	if (st == STATUS_INVALID) {
		if (why)
			http_field_error_add(r, "group_min", "%s", why);
		http_problem(r, st, "invalid group rules");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 200, rules_json(svc.id, &g));
}

/* ---- companies ---- */

static json_t *company_json(const company *k)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "id", k->id, "name", k->name,
			 "billing_email", k->billing_email, "notes", k->notes, "customers",
			 k->customers, "groups", k->groups);
}

void staff_companies_list(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	company *ks;
	int n = 0;
	status st = company_list(c, b.id, COMPANIES_MAX, r->arena, &ks, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, company_json(&ks[i]));
	http_json_take(r, 200, json_pack("{s:o}", "companies", list));
}

static const char *const COMPANY_KEYS[] = {"name", "billing_email", "notes", NULL};

/* POST (id NULL) or PATCH of a company. */
static void company_write(http_req *r, const char *id)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c) {
		json_decref(body);
		return;
	}
	company in = {0}, old = {0};
	if (id) {
		status st = company_get(c, b.id, id, r->arena, &old);
		if (st != STATUS_OK) {
			json_decref(body);
			if (st == STATUS_NOT_FOUND)
				http_problem(r, st, "no such company");
			else
				api_store_error(r, c, st);
			return;
		}
		in = old;
	}
	booking_body_known(r, body, "", COMPANY_KEYS);
	const char *name = booking_body_str(r, body, "name", "name", 200, !id);
	if (name && !*company_name_norm(r->arena, name))
		http_field_error_add(r, "name", "must not be empty");
	const char *email = booking_body_str(r, body, "billing_email", "billing_email", 254, false);
	if (email && *email && !booking_email_normalise(r->arena, email))
		http_field_error_add(r, "billing_email", "is not an email address");
	const char *notes = booking_body_notes(r, body, "notes", "notes", 4000);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid company");
		return;
	}
	if (name)
		in.name = name;
	if (email)
		in.billing_email = *email ? booking_email_normalise(r->arena, email) : "";
	if (notes)
		in.notes = notes;
	company out;
	status st = company_put(c, b.id, &in, r->now, r->arena, &out);
	if (st == STATUS_CONFLICT) {
		http_field_error_add(r, "name", "another company has this name");
		http_problem(r, STATUS_CONFLICT, "a company of that name exists");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, id ? 200 : 201, company_json(&out));
}

void staff_companies_post(http_req *r)
{
	company_write(r, NULL);
}

void staff_company_patch(http_req *r)
{
	company_write(r, http_param(r, "company"));
}

void staff_company_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	company k;
	status st = company_get(c, b.id, http_param(r, "company"), r->arena, &k);
	booking_group *gs = NULL;
	int n = 0;
	if (st == STATUS_OK)
		st = group_list(c, b.id, k.id, GROUPS_LIST_MAX, r->arena, &gs, &n);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such company");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = answer_zone(r, &b);
	json_t *o = company_json(&k), *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:i}", "id", gs[i].id,
						      "reference", gs[i].reference, "status",
						      gs[i].status, "start", instant(z, gs[i].start_at),
						      "live", gs[i].live));
	json_object_set_new(o, "booking_groups", list);
	http_json_take(r, 200, o);
}

void staff_company_delete(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	status st = company_delete(c, b.id, http_param(r, "company"));
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such company");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, json_pack("{s:b}", "deleted", 1));
}

/* GET …/customers/{customer}/company: the customer's company (or null). */
void staff_customer_company_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	company k;
	status st = company_of_customer(c, b.id, http_param(r, "customer"), r->arena, &k);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 200, json_pack("{s:o}", "company", k.id ? company_json(&k) : json_null()));
}

/* PUT …/customers/{customer}/company {"company": ID | null}. */
void staff_customer_company_put(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", (const char *const[]){"company", NULL});
	const json_t *v = json_object_get(body, "company"); /* borrowed */
	const char *id = NULL;
	if (!v || (!json_is_null(v) && !json_is_string(v)))
		http_field_error_add(r, "company", "is required: a company id, or null");
	else if (json_is_string(v))
		id = arena_strdup(r->arena, json_string_value(v));
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid company");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	status st = company_set_customer(c, b.id, http_param(r, "customer"), id);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such customer or company");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	staff_customer_company_get(r);
}

/* ---- session rules ---- */

static json_t *session_rules_json(const session_rules *s)
{
	json_t *o = json_pack("{s:s, s:i, s:s?}", "session", s->session_id, "min_attendance",
			      s->min_attendance, "decision", s->decision);
	json_object_set_new(o, "own_minimum", json_boolean(s->own));
	json_object_set_new(o, "decide_at", s->decide_at ? json_integer(s->decide_at) : json_null());
	json_object_set_new(o, "attendance", json_integer(s->attendance));
	return o;
}

void staff_session_rules_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	session_rules s;
	status st = session_rules_get(c, b.id, http_param(r, "session"), r->now, r->arena, &s);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such session");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, session_rules_json(&s));
}

/* PUT …/sessions/{session}/rules {"min_attendance": N | null (the service's)}. */
void staff_session_rules_put(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", (const char *const[]){"min_attendance", NULL});
	const json_t *v = json_object_get(body, "min_attendance"); /* borrowed */
	int min = -1;
	if (!v || (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 0 ||
					 json_integer_value(v) > 100000)))
		http_field_error_add(r, "min_attendance", "is required: a whole number from 0, or "
							  "null for the service's");
	else if (json_is_integer(v))
		min = (int)json_integer_value(v);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid session rules");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	status st = session_rules_set(c, b.id, http_param(r, "session"), min);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such session");
		return;
	}
	if (st == STATUS_CONFLICT) {
		http_problem(r, st, "the session's minimum was decided already");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	staff_session_rules_get(r);
}

/* ---- late joining ---- */

/* GET /api/v1/public/{business}/sessions-under-way?service=: sessions begun that may still be
 * joined. */
void groups_public_under_way(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	const char *sid = http_query(r, "service");
	if (!sid || !*sid) {
		http_field_error_add(r, "service", "is required");
		http_problem_query(r, "invalid sessions query");
		return;
	}
	late_session *ls;
	int n = 0;
	status st = session_late_list(c, b.id, sid, r->now, r->arena, &ls, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = answer_zone(r, &b);
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:i}", "id", ls[i].id, "start",
						      instant(z, ls[i].start), "end",
						      instant(z, ls[i].end), "seats_left",
						      ls[i].seats_left));
	http_json_take(r, 200, json_pack("{s:s, s:o}", "service", sid, "sessions", list));
}

static const char *const LATE_KEYS[] = {"customer", NULL};

/* POST /api/v1/public/{business}/sessions/{session}/late-join {"customer": {...}} */
void groups_public_late_join(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", LATE_KEYS);
	group_person p = {0};
	late_join_request rq = {.session_id = http_param(r, "session"), .actor = "customer"};
	read_person(r, json_object_get(body, "customer"), "customer", &p, &rq.tz);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid late join");
		return;
	}
	rq.name = p.name;
	rq.email = p.email;
	rq.phone = p.phone;
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	book_result res;
	status st = session_late_join(c, &b, &rq, r->now, r->arena, &res);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such session");
		return;
	}
	if (st == STATUS_INVALID) {
		http_field_error_add(r, "session", "%s", res.why ? res.why : "cannot be joined");
		http_problem(r, st, "invalid late join");
		return;
	}
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	live_booking_event(c, &b, &res.b, true, NULL, r->arena);
	json_t *o = booking_json_created(&res, &b, answer_zone(r, &b));
	json_object_set_new(o, "late_join", json_true());
	http_json_take(r, 201, o);
}
