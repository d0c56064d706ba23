/* access.c - JSON shapes and the login audit entries shared by the access handlers. */
#include "api/access.h"

#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "http/server.h"
#include "store/audit.h"

json_t *access_instant(const tz *z, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	if (t == 0)
		return json_null();
	const tz *zone = z ? z : tz_get("UTC");
	if (!zone || !tz_format_rfc3339(zone, t, s))
		return json_null();
	return json_string(s);
}

json_t *access_user_json(const staff_user *u, const tz *z)
{
	json_t *o = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(o, "id", json_string(u->id));
	json_object_set_new(o, "email", json_string(u->email));
	json_object_set_new(o, "name", json_string(u->name ? u->name : ""));
	json_object_set_new(o, "role", json_string(u->role));
	json_object_set_new(o, "provider_id", u->provider_id ? json_string(u->provider_id)
							     : json_null());
	json_object_set_new(o, "created_at", access_instant(z, u->created_at));
	return o;
}

audit_entry access_audit_entry(http_req *r, const char *business_id, const char *action,
				const char *user_id, const char *email)
{
	return (audit_entry){
		.business_id = business_id,
		.id = ids_sortable(r->arena, "aud"),
		.at = r->now,
		.user_id = user_id,
		.actor_email = email,
		.action = action,
		.method = r->method,
		.path = r->path,
		.status = r->code ? r->code : (strcmp(action, "login_failed") == 0 ? 401 : 200),
		.remote_addr = http_client_addr(r),
		.request_id = r->request_id,
	};
}

void access_audit(http_req *r, db_conn *c, const char *business_id, const char *action,
		  const char *user_id, const char *email)
{
	audit_entry e = access_audit_entry(r, business_id, action, user_id, email);
	if (store_audit_insert(c, &e) != STATUS_OK)
		log_error("audit entry '%s' not written: %s", action, db_error(c));
}

const char *access_string(http_req *r, json_t *body, const char *field)
{
	json_t *v = json_object_get(body, field); /* borrowed */
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		http_field_error_add(r, field, "must be a string");
		return NULL;
	}
	return json_string_value(v);
}
