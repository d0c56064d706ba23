/* audit.c - GET /api/v1/businesses/{business}/audit: the audit log, newest first, paged
 * with an opaque cursor ("<at>.<id>" of the last entry given). */
#include <stdlib.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "store/audit.h"
#include "store/business.h"

#define AUDIT_DEFAULT_LIMIT 50
#define AUDIT_MAX_LIMIT 200

static bool audit_cursor(const char *s, int64_t *at, const char **id, arena *a)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end != '.' || end[1] == '\0' || strlen(end + 1) > 64)
		return false;
	*at = v;
	*id = arena_strdup(a, end + 1);
	return true;
}

void audit_list(http_req *r)
{
	const principal *p = auth_principal(r);
	int limit = AUDIT_DEFAULT_LIMIT;
	const char *ls = http_query(r, "limit");
	if (ls) {
		char *end;
		long v = strtol(ls, &end, 10);
		if (*ls == '\0' || *end != '\0' || v < 1 || v > AUDIT_MAX_LIMIT) {
			http_field_error_add(r, "limit", "must be 1..%d", AUDIT_MAX_LIMIT);
			http_problem_query(r, "limit must be 1..%d", AUDIT_MAX_LIMIT);
			return;
		}
		limit = (int)v;
	}
	int64_t before_at = 0;
	const char *before_id = NULL;
	const char *cur = http_query(r, "cursor");
	if (cur && !audit_cursor(cur, &before_at, &before_id, r->arena)) {
		http_field_error_add(r, "cursor", "is not a cursor this server gave");
		http_problem_query(r, "bad cursor");
		return;
	}
	db_conn *c = app_db(r);
	business biz;
	audit_entry *list = NULL;
	int n = 0;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_audit_list(c, p->business_id, before_at, before_id, limit + 1,
					  r->arena, &list, &n)
		       : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	json_t *arr = json_array();
	for (int i = 0; i < n && i < limit; i++) {
		const audit_entry *e = &list[i];
		json_t *o = json_object();
		/* json_object_set_new steals each value. */
		json_object_set_new(o, "id", json_string(e->id));
		json_object_set_new(o, "at", access_instant(zone, e->at));
		json_object_set_new(o, "user_id", e->user_id ? json_string(e->user_id) : json_null());
		json_object_set_new(o, "actor_email", json_string(e->actor_email));
		json_object_set_new(o, "token_id", e->token_id ? json_string(e->token_id) : json_null());
		json_object_set_new(o, "action", json_string(e->action));
		json_object_set_new(o, "method", json_string(e->method));
		json_object_set_new(o, "path", json_string(e->path));
		json_object_set_new(o, "status", json_integer(e->status));
		json_object_set_new(o, "remote_addr", json_string(e->remote_addr));
		json_object_set_new(o, "request_id", json_string(e->request_id));
		json_array_append_new(arr, o); /* steals */
	}
	json_t *next = n > limit ? json_string(arena_printf(r->arena, "%lld.%s",
							     (long long)list[limit - 1].at,
							     list[limit - 1].id))
				 : json_null();
	http_json_take(r, 200, json_pack("{s:o, s:o}", "entries", arr, "next_cursor", next));
}
