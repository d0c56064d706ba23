/* access.h - helpers shared by the staff access handlers (access_*.c, audit.c). */
#ifndef BOOKD_API_ACCESS_H
#define BOOKD_API_ACCESS_H

#include <jansson.h>

#include "core/tz.h"
#include "http/request.h"
#include "store/db.h"
#include "store/user.h"

/* An instant as an RFC 3339 string in zone z (UTC when z is NULL), or JSON null for 0.
 * A new reference. */
json_t *access_instant(const tz *z, int64_t t);

/* {"id","email","name","role","provider_id","created_at"}: never the password hash. A new
 * reference. */
json_t *access_user_json(const staff_user *u, const tz *z);

/* Writes an audit entry for the login routes (business_id must exist); failures are
 * logged, never answered. */
void access_audit(http_req *r, db_conn *c, const char *business_id, const char *action,
		  const char *user_id, const char *email);

/* Reads a string member of a JSON object: NULL when absent or null; records a field error
 * and returns NULL when present but not a string. */
const char *access_string(http_req *r, json_t *body, const char *field);

#endif
