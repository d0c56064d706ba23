/* auth.c - route access. Staff credentials are not issued yet, so staff routes answer 401
 * until they are. */
#include "api/auth.h"

#include <string.h>

#include "api/common.h"
#include "store/business.h"

bool auth_authorize(http_req *r)
{
	switch (r->route->auth) {
	case AUTH_PUBLIC:
	case AUTH_TEST: /* the server only routes these when the test clock is on */
		return true;
	case AUTH_STAFF:
	case AUTH_ADMIN:
	case AUTH_OWNER:
		break;
	}
	http_add_header(r, "WWW-Authenticate", "Bearer");
	http_problem(r, STATUS_UNAUTHORIZED, "staff credentials are required");
	return false;
}

const principal *auth_principal(const http_req *r)
{
	return r->principal;
}

bool auth_business(http_req *r, db_conn *c, business *out)
{
	const principal *p = auth_principal(r);
	status st = p ? store_business_by_id(c, p->business_id, r->arena, out) : STATUS_UNAUTHORIZED;
	if (st == STATUS_OK)
		return true;
	if (st == STATUS_UNAUTHORIZED)
		http_problem(r, st, "staff credentials are required");
	else
		api_store_error(r, c, st);
	return false;
}

bool auth_require(http_req *r, role min)
{
	const principal *p = auth_principal(r);
	if (p && p->role >= min)
		return true;
	http_problem(r, STATUS_FORBIDDEN, "your role does not allow this");
	return false;
}

const char *role_name(role r)
{
	switch (r) {
	case ROLE_STAFF: return "staff";
	case ROLE_ADMIN: return "admin";
	case ROLE_OWNER: return "owner";
	}
	return "staff";
}

bool role_parse(const char *s, role *out)
{
	static const role all[] = {ROLE_STAFF, ROLE_ADMIN, ROLE_OWNER};
	for (size_t i = 0; s && i < 3; i++) {
		if (strcmp(s, role_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}
