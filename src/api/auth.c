/* auth.c - route access. Staff credentials (sessions, API tokens) are not issued yet, so
 * staff routes answer 401 until they are. */
#include "api/auth.h"

bool auth_authorize(http_req *r)
{
	switch (r->route->auth) {
	case AUTH_PUBLIC:
	case AUTH_TEST: /* the server only routes these when the test clock is on */
		return true;
	case AUTH_STAFF:
		break;
	}
	http_add_header(r, "WWW-Authenticate", "Bearer");
	http_problem(r, STATUS_UNAUTHORIZED, "staff credentials are required");
	return false;
}
