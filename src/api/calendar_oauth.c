/* calendar_oauth.c - connecting a Google or Microsoft calendar: an admin starts a consent
 * (authorization code with PKCE, state bound to their staff session) and the provider sends
 * the browser back to the callback, which keeps the code sealed for the calendar worker to
 * exchange (no HTTP call to the provider on an HTTP thread) and returns to the dashboard. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/calendar_connections.h"
#include "api/common.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/sealed.h"
#include "base/text.h"
#include "calsync/cloud.h"
#include "jobs/calsync_worker.h"
#include "store/business.h"
#include "store/calcloud.h"
#include "store/calfeed.h"

void calendar_oauth_start(http_req *r)
{
	static const char *const fields[] = {
	    "provider_id",           "resource_id",   "name", "push",
	    "fail_closed_after_min", "connection_id", NULL};
	const principal *p = auth_principal(r);
	const char *svc = http_param(r, "service");
	if (!p->session_id) {
		http_problem(r, STATUS_FORBIDDEN,
		             "a consent is bound to a signed-in staff session: an API token cannot "
		             "start one");
		return;
	}
	if (!cloud_service(svc)) {
		http_problem(r, STATUS_CONFLICT,
		             "this server has no OAuth client for that calendar service (see "
		             "--google-client-id and --microsoft-client-id)");
		return;
	}
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val)
	{
		bool known = false;
		for (const char *const *f = fields; *f; f++)
			known = known || strcmp(*f, key) == 0;
		if (!known)
			http_field_error_add(r, arena_strdup(r->arena, key),
			                     "is not a consent field");
	}
	store_oauth_state s = {.business_id = p->business_id,
	                       .session_id = p->session_id,
	                       .service = svc,
	                       .name = "",
	                       .push = true,
	                       .created_at = r->now,
	                       .expires_at = r->now + CALCLOUD_STATE_TTL_S};
	const char *cid = access_string(r, body, "connection_id");
	const char *prov = access_string(r, body, "provider_id");
	const char *res = access_string(r, body, "resource_id");
	if (cid && *cid)
		s.connection_id = arena_strdup(r->arena, cid);
	else if ((prov && *prov) == (res && *res))
		http_field_error_add(r, prov ? "resource_id" : "provider_id",
		                     "exactly one of provider_id and resource_id is needed");
	else if (prov && *prov)
		s.provider_id = arena_strdup(r->arena, prov);
	else
		s.resource_id = arena_strdup(r->arena, res);
	const char *name = access_string(r, body, "name");
	if (name && (strlen(name) > 200 || text_fault(name, strlen(name), TEXT_LINE)))
		http_field_error_add(r, "name", "must be one line of at most 200 bytes");
	else if (name)
		s.name = arena_strdup(r->arena, name);
	json_t *push = json_object_get(body, "push"); /* borrowed */
	if (push && !json_is_boolean(push))
		http_field_error_add(r, "push", "must be true or false");
	else if (push)
		s.push = json_is_true(push);
	json_t *fc = json_object_get(body, "fail_closed_after_min"); /* borrowed */
	if (fc && !json_is_null(fc) &&
	    (!json_is_integer(fc) || json_integer_value(fc) < 1 || json_integer_value(fc) > 10080))
		http_field_error_add(r, "fail_closed_after_min",
		                     "must be a whole number from 1 to 10080");
	else if (fc && json_is_integer(fc))
		s.fail_closed_after_s = json_integer_value(fc) * 60;
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "the consent cannot start");
		return;
	}
	db_conn *c = app_db(r);
	business biz;
	if (!auth_business(r, c, &biz))
		return;
	status st = STATUS_OK;
	if (s.connection_id) {
		store_calconn k;
		st = store_calconn_get(c, p->business_id, s.connection_id, r->arena, &k);
		if (st == STATUS_OK && strcmp(k.kind, svc) != 0)
			st = STATUS_NOT_FOUND;
		if (st == STATUS_NOT_FOUND) {
			http_field_error_add(r, "connection_id",
			                     "names no %s connection of this business", svc);
			http_problem(r, STATUS_INVALID, "the consent cannot start");
			return;
		}
	} else {
		st = store_feed_subject_ok(c, p->business_id,
		                           s.provider_id ? "provider" : "resource",
		                           s.provider_id ? s.provider_id : s.resource_id);
		if (st == STATUS_NOT_FOUND) {
			http_field_error_add(r, s.provider_id ? "provider_id" : "resource_id",
			                     "names nothing of this business");
			http_problem(r, STATUS_INVALID, "the consent cannot start");
			return;
		}
	}
	const char *state = ids_secret(r->arena), *challenge;
	cloud_pkce(r->arena, &s.verifier, &challenge);
	s.state_hash = ids_secret_hash(r->arena, state);
	s.redirect_uri =
	    arena_printf(r->arena, "%s/api/v1/oauth/%s/callback", ((app *)r->app)->public_url, svc);
	if (st == STATUS_OK)
		st = store_oauth_state_insert(c, &s);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const char *url = cloud_authorize_url(r->arena, svc, s.redirect_uri, state, challenge);
	http_json_take(
	    r, 201,
	    json_pack("{s:s, s:o}", "authorize_url", url, "expires_at",
	              access_instant(tz_get(biz.timezone), s.expires_at))); /* "o" steals */
}

/* Back to the dashboard's calendar page with query (already escaped). */
static void oauth_back(http_req *r, const char *query)
{
	http_add_header(r, "Location", arena_printf(r->arena, "/admin/calendars?%s", query));
	http_add_header(r, "Cache-Control", "no-store");
	static const char moved[] = "See Other: the dashboard's calendar page.\n";
	http_static(r, 303, "text/plain; charset=utf-8", moved, sizeof(moved) - 1);
}

void calendar_oauth_callback(http_req *r)
{
	const principal *p = auth_principal(r);
	const char *svc = http_param(r, "service");
	const char *state = http_query(r, "state");
	const char *code = http_query(r, "code");
	const char *refusal = http_query(r, "error");
	if (!state || !*state || strlen(state) > 200) {
		oauth_back(r, "oauth_error=state");
		return;
	}
	db_conn *c = app_db(r);
	store_oauth_state s;
	/* Taken (deleted) first: a state is used once, whatever follows. */
	status st =
	    store_oauth_state_take(c, ids_secret_hash(r->arena, state), r->now, r->arena, &s);
	if (st == STATUS_NOT_FOUND) {
		oauth_back(r, "oauth_error=expired");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	/* The consent belongs to the session that started it, of an admin of that business. */
	if (!p->session_id || strcmp(p->session_id, s.session_id) != 0 ||
	    strcmp(p->business_id, s.business_id) != 0 || p->role < ROLE_ADMIN ||
	    strcmp(svc, s.service) != 0) {
		log_warn("oauth: a %s callback in another session than the consent's was refused",
		         svc);
		oauth_back(r, "oauth_error=session");
		return;
	}
	if (refusal || !code || !*code || strlen(code) > 4096) {
		oauth_back(r, "oauth_error=denied");
		return;
	}
	/* The code waits, sealed, for the calendar worker to exchange it. */
	json_t *o = json_pack("{s:s, s:s, s:s}", "code", code, "verifier", s.verifier,
	                      "redirect_uri", s.redirect_uri); /* new reference */
	char *plain = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	char *box = NULL, err[200] = "";
	st = plain ? sealed_seal(plain, &box, err, sizeof err) : STATUS_INTERNAL;
	if (plain) {
		sodium_memzero(plain, strlen(plain)); /* the code is a credential */
		free(plain);
	}
	const char *id = s.connection_id ? s.connection_id : ids_new(r->arena, "cal");
	const cloud_endpoints *ep = cloud_service(svc);
	if (st == STATUS_OK)
		st = store_calcloud_connect(c, &s, id, ep ? ep->api_url : "", box, r->now);
	free(box);
	if (st == STATUS_NOT_FOUND) {
		oauth_back(r, "oauth_error=gone");
		return;
	}
	if (st != STATUS_OK) {
		log_warn("oauth: the %s connection was not kept: %s %s", svc, err, db_error(c));
		oauth_back(r, "oauth_error=failed");
		return;
	}
	calsync_kick(); /* exchange the code now */
	oauth_back(r, arena_printf(r->arena, "connected=%s", id));
}
