/* access.h - helpers shared by the staff access handlers (access_*.c, audit.c). */
#ifndef BOOKD_API_ACCESS_H
#define BOOKD_API_ACCESS_H

#include <jansson.h>

#include "core/tz.h"
#include "http/request.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/user.h"

/* An instant as an RFC 3339 string in zone z (UTC when z is NULL), or JSON null for 0.
 * A new reference. */
json_t *access_instant(const tz *z, int64_t t);

/* {"id","email","name","role","provider_id","created_at"}: never the password hash. A new
 * reference. */
json_t *access_user_json(const staff_user *u, const tz *z);

/* The audit entry of this request for an action on the login routes (strings in r's
 * arena), for a store unit that records it with its change. */
audit_entry access_audit_entry(http_req *r, const char *business_id, const char *action,
			       const char *user_id, const char *email);
/* Writes an audit entry for the login routes (business_id must exist); failures are
 * logged, never answered. */
void access_audit(http_req *r, db_conn *c, const char *business_id, const char *action,
		  const char *user_id, const char *email);

/* Reads a string member of a JSON object: NULL when absent or null; records a field error
 * and returns NULL when present but not a string. */
const char *access_string(http_req *r, json_t *body, const char *field);

/* The lockout keys of a login attempt (strings in the request's arena). */
typedef struct login_keys {
	const char *business_id; /* the business's id, or "" when the slug names none */
	const char *pair_key;    /* "pair:<email>|<address>" (with the slug when business_id is "") */
	const char *email_key;   /* "email:<email>" (with the slug when business_id is "") */
	const char *addr_key;    /* "addr:<address>", under business "" */
} login_keys;

/* Fills k for an attempt on email (normalised) at business_id ("" or NULL when slug names
 * no business), from the client's address. */
void access_login_keys(http_req *r, const char *business_id, const char *slug, const char *email,
		       login_keys *k);
/* Reads the lockout of k: *until the latest lock of the pair, the address or the email (0
 * none), *addr_failures the address's failures within the last hour. */
status access_login_state(http_req *r, db_conn *c, const login_keys *k, int64_t *until,
			  int64_t *addr_failures);
/* Counts a failed password under every key of k and locks those past their thresholds.
 * When the email alone reaches its lock, its user u (NULL for an unknown email) and the
 * business's other owners are sent an email, once per lock. Failures are logged. */
void access_login_failed(http_req *r, db_conn *c, const login_keys *k, const staff_user *u);
/* Answers 429 with Retry-After until `until`. */
void access_login_locked(http_req *r, int64_t until);

#endif
