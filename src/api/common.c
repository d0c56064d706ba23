/* common.c - helpers shared by handlers. */
#include "api/common.h"

#include <sodium.h>
#include <string.h>

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

db_conn *api_open_business(http_req *r, business *out)
{
	db_conn *c = app_db(r);
	return api_business(r, c, out) ? c : NULL;
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

const char *api_cursor_encode(arena *a, const char *raw)
{
	size_t n = strlen(raw);
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, len);
	sodium_bin2base64(out, len, (const unsigned char *)raw, n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

const char *api_cursor_decode(arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return NULL;
	char *raw = arena_alloc(a, n + 1);
	size_t got = 0;
	if (sodium_base642bin((unsigned char *)raw, n, s, n, NULL, &got, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return NULL;
	raw[got] = '\0';
	return strlen(raw) == got ? raw : NULL;
}
