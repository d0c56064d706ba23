/* common.c - helpers shared by handlers. */
#include "api/common.h"

#include "base/log.h"
#include "store/business.h"

bool api_business(http_req *r, db_conn *c, business *out)
{
	const char *slug = http_param(r, "business");
	status st = store_business_by_slug(c, slug ? slug : "", r->arena, out);
	if (st == STATUS_OK)
		return true;
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no business '%s'", slug ? slug : "");
	else
		api_store_error(r, c, st);
	return false;
}

void api_store_error(http_req *r, db_conn *c, status st)
{
	log_error("store error on %s %s: %s: %s", r->method, r->path, status_name(st),
		  c ? db_error(c) : "");
	switch (st) {
	case STATUS_BUSY:
		http_add_header(r, "Retry-After", "1");
		http_problem(r, st, "the database is busy; retry shortly");
		break;
	case STATUS_NOT_FOUND:
		http_problem(r, st, "not found");
		break;
	case STATUS_CONFLICT:
		http_problem(r, st, "the change conflicts with existing data");
		break;
	default:
		http_problem(r, STATUS_INTERNAL, "the database failed; the error is logged");
		break;
	}
}

json_t *api_money(int64_t amount_minor, const char *currency)
{
	return json_pack("{s:I, s:s}", "amount_minor", (json_int_t)amount_minor, "currency",
			 currency);
}
