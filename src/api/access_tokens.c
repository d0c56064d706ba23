/* access_tokens.c - API tokens of a business (admin and owner). A token is shown once, at
 * creation, as "<business_id>.<secret>"; only its SHA-256 is stored. It acts with the
 * current role of the user who created it and dies with that user; it may expire at a
 * given instant, and a read-only one is refused (403) on every unsafe method. Its last use
 * is recorded to the minute (api/auth.c). */
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "base/ids.h"
#include "store/business.h"
#include "store/session.h"

static json_t *token_json(const store_token *t, const tz *z)
{
	json_t *o = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(o, "id", json_string(t->id));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "hint", json_string(t->hint));
	json_object_set_new(o, "user", json_pack("{s:s, s:s}", "id", t->user_id, "email",
						 t->user_email));
	json_object_set_new(o, "role", json_string(t->role));
	json_object_set_new(o, "created_at", access_instant(z, t->created_at));
	json_object_set_new(o, "last_used_at", access_instant(z, t->last_used_at));
	json_object_set_new(o, "revoked_at", access_instant(z, t->revoked_at));
	json_object_set_new(o, "expires_at", access_instant(z, t->expires_at));
	json_object_set_new(o, "read_only", json_boolean(t->read_only));
	return o;
}

void access_tokens_list(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	business biz;
	store_token *list = NULL;
	int n = 0;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_token_list(c, p->business_id, NULL, r->arena, &list, &n) : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, token_json(&list[i], zone)); /* steals */
	http_json_take(r, 200, json_pack("{s:o}", "tokens", arr));   /* "o" steals */
}

#define TOKEN_LIFE_MAX_S (10LL * 366 * 86400) /* an expiry at most this far ahead */

/* Reads the optional "expires_at" (an RFC 3339 instant after now, at most TOKEN_LIFE_MAX_S
 * ahead) into *out (0 when absent or null); records a field error otherwise. */
static void token_expiry(http_req *r, json_t *body, int64_t *out)
{
	*out = 0;
	json_t *v = json_object_get(body, "expires_at"); /* borrowed */
	if (!v || json_is_null(v))
		return;
	const char *s = json_string_value(v);
	int64_t t = 0;
	if (!s || !tz_parse_rfc3339(s, strlen(s), &t))
		http_field_error_add(r, "expires_at", "must be an RFC 3339 instant with an offset");
	else if (t <= r->now)
		http_field_error_add(r, "expires_at", "must be in the future");
	else if (t - r->now > TOKEN_LIFE_MAX_S)
		http_field_error_add(r, "expires_at", "must be at most ten years ahead");
	else
		*out = t;
}

void access_tokens_create(http_req *r)
{
	const principal *p = auth_principal(r);
	const char *name = "";
	int64_t expires = 0;
	bool read_only = false;
	if (r->body_len > 0) {
		json_t *body = http_body_json(r);
		if (!body)
			return;
		const char *key;
		json_t *val;
		json_object_foreach(body, key, val) {
			if (strcmp(key, "name") != 0 && strcmp(key, "expires_at") != 0 &&
			    strcmp(key, "read_only") != 0)
				http_field_error_add(r, arena_strdup(r->arena, key), "is not a token field");
		}
		const char *n = access_string(r, body, "name");
		if (n && strlen(n) > 200)
			http_field_error_add(r, "name", "must be at most 200 bytes");
		name = arena_strdup(r->arena, n ? n : "");
		token_expiry(r, body, &expires);
		json_t *ro = json_object_get(body, "read_only"); /* borrowed */
		if (ro && !json_is_boolean(ro))
			http_field_error_add(r, "read_only", "must be true or false");
		read_only = json_is_true(ro);
		json_decref(body);
		if (r->nerrors) {
			http_problem(r, STATUS_INVALID, "the token is not valid");
			return;
		}
	}
	const char *secret = ids_secret(r->arena);
	store_token_new nt = {
		.business_id = p->business_id,
		.id = ids_new(r->arena, "tok"),
		.token_hash = ids_secret_hash(r->arena, secret),
		.user_id = p->user_id,
		.name = name,
		.hint = secret + strlen(secret) - 4,
		.created_at = r->now,
		.expires_at = expires,
		.read_only = read_only,
	};
	db_conn *c = app_db(r);
	business biz;
	store_token t;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_token_insert(c, &nt) : STATUS_OK;
	if (ok && st == STATUS_OK)
		st = store_token_get(c, p->business_id, nt.id, r->arena, &t);
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	json_t *out = token_json(&t, tz_get(biz.timezone));
	/* Shown this once: only the hash is kept. */
	json_object_set_new(out, "token", json_string(arena_printf(r->arena, "%s.%s", biz.id, secret)));
	http_json_take(r, 201, out);
}

void access_tokens_revoke(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	status st = store_token_revoke(c, p->business_id, http_param(r, "token"), r->now);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such token");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st == STATUS_OK)
		http_text(r, 204, "text/plain", "", 0);
}
