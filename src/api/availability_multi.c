/* availability_multi.c - GET /api/v1/public/{business}/availability?services=a,b,c: the free
 * times of several services in one answer, for comparison pages. Each entry is exactly the
 * answer the same question about that one service gets, in the order asked. */
#include <string.h>

#include "api/app.h"
#include "api/availability_impl.h"
#include "api/common.h"
#include "store/availability.h"
#include "store/catalog.h"

/* An id as the catalogue allows it: 1-64 letters, digits, '_' or '-'. */
static bool multi_id_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* Splits `services` into ids (in a); false with a field error on "services" when it is
 * empty, names more than AVAIL_MULTI_MAX, a malformed id or one twice. */
static bool multi_ids(http_req *r, const char *list, const char **ids, size_t *n)
{
	*n = 0;
	const char *s = list;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (!multi_id_ok(s, len)) {
			http_field_error_add(r, "services",
					     "must be 1 to %d service ids separated by commas",
					     AVAIL_MULTI_MAX);
			return false;
		}
		if (*n == AVAIL_MULTI_MAX) {
			http_field_error_add(r, "services", "names more than %d services",
					     AVAIL_MULTI_MAX);
			return false;
		}
		const char *id = arena_strndup(r->arena, s, len);
		for (size_t i = 0; i < *n; i++)
			if (strcmp(ids[i], id) == 0) {
				http_field_error_add(r, "services", "names '%s' twice", id);
				return false;
			}
		ids[(*n)++] = id;
		if (!comma)
			return true;
		s = comma + 1;
	}
}

void availability_multi(http_req *r, db_conn *c, uint64_t version, const business *b,
			const avail_params *p)
{
	const char *ids[AVAIL_MULTI_MAX];
	size_t n = 0;
	bool ok = multi_ids(r, http_query(r, "services"), ids, &n);
	if (http_query(r, "service"))
		http_field_error_add(r, "service", "cannot be given with services");
	if (p->provider)
		http_field_error_add(r, "provider", "cannot be given with services");
	if (!ok || r->nerrors) {
		http_problem_query(r, "invalid availability query");
		return;
	}
	service *svcs = arena_alloc(r->arena, n * sizeof(*svcs));
	avail_one *ones = arena_alloc(r->arena, n * sizeof(*ones));
	size_t done = 0;
	status st = STATUS_OK;
	bool engine = false;
	const char *failed = NULL;
	for (size_t i = 0; i < n && st == STATUS_OK; i++) {
		st = store_service_get(c, b->id, ids[i], r->arena, &svcs[i]);
		if (st == STATUS_OK && !svcs[i].active)
			st = STATUS_NOT_FOUND;
		if (st != STATUS_OK) {
			failed = ids[i];
			engine = false; /* the store's word */
			break;
		}
		avail_params one = *p;
		one.service = ids[i];
		st = avail_one_slots(r, c, version, b, &svcs[i], &one, &ones[i]);
		done = i + 1;
		engine = ones[i].engine;
		if (st != STATUS_OK)
			failed = ids[i];
	}
	if (st != STATUS_OK && !engine && st != STATUS_NOT_FOUND)
		api_store_error(r, c, st);
	app_db_release(r); /* written without the database */
	if (st == STATUS_NOT_FOUND && !engine) {
		http_field_error_add(r, "services", "no service '%s'", failed);
		http_problem(r, STATUS_NOT_FOUND, "no service '%s'", failed);
	} else if (st != STATUS_OK && engine) {
		http_problem(r, STATUS_INTERNAL, "the configuration of service '%s' cannot be computed",
			     failed);
	} else if (st == STATUS_OK) {
		buf *out = http_json_begin(r, 200);
		status wst = buf_adds(out, "{\"services\":[");
		for (size_t i = 0; i < n && wst == STATUS_OK; i++) {
			avail_answer ans = {.service_id = svcs[i].id, .zone = p->zone,
					    .from_day = p->from_day, .to_day = p->to_day,
					    .rental = svcs[i].kind == SERVICE_RENTAL,
					    .slots = ones[i].res.slots, .n_slots = ones[i].res.n_slots};
			if (i > 0)
				wst = buf_addc(out, ',');
			if (wst == STATUS_OK)
				wst = avail_answer_write(out, &ans);
		}
		if (wst == STATUS_OK)
			wst = buf_adds(out, "]}");
		http_json_end(r, wst);
	}
	for (size_t i = 0; i < done; i++)
		for (size_t k = 0; k < ones[i].n_held; k++)
			avail_cache_release(ones[i].held[k]);
}
