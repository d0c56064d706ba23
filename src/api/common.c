/* common.c - helpers shared by handlers. */
#include "api/common.h"

#include <sodium.h>
#include <string.h>

#include "base/log.h"
#include "store/booking.h"
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

const char *api_body_hash(http_req *r)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)r->body, r->body_len);
	char *hex = arena_alloc(r->arena, sizeof(h) * 2 + 1);
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return hex;
}

bool api_idem_replay(http_req *r, db_conn *c, const business *b, const char *key,
		     const char *hash)
{
	const char *stored_hash, *response;
	int code;
	status st = store_idem_get(c, b->id, key, r->arena, &stored_hash, &code, &response);
	if (st == STATUS_NOT_FOUND)
		return false;
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return true;
	}
	if (strcmp(stored_hash, hash) != 0) {
		http_field_error_add(r, "Idempotency-Key", "was used before with a different request");
		http_problem(r, STATUS_INVALID, "the Idempotency-Key belongs to another request");
		return true;
	}
	http_text(r, code, "application/json", response, strlen(response));
	http_add_header(r, "Idempotent-Replayed", "true");
	return true;
}

bool api_settings_read_ok(http_req *r, db_conn *c, status st, const errlist *errs,
			  const char *title)
{
	for (int i = 0; i < errs->count; i++)
		http_field_error_add(r, errs->e[i].field, "%s", errs->e[i].detail);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else if (r->nerrors)
		http_problem(r, STATUS_INVALID, "%s", title);
	return st == STATUS_OK && !r->nerrors;
}
