/* access_password.h - password resets shared by the JSON route (access_password.c) and the
 * reset page a link opens (reset_page.c). */
#ifndef BOOKD_ACCESS_PASSWORD_H
#define BOOKD_ACCESS_PASSWORD_H

#include "http/request.h"
#include "store/db.h"
#include "store/user.h"

/* Reads the open reset a link's token ("<business_id>.<reset_id>.<secret>") names, and its
 * user: STATUS_NOT_FOUND for a malformed, unknown, wrong, used or expired token (one answer
 * for all), or a store error. The secret's hash is compared in constant time. */
status access_reset_check(http_req *r, db_conn *c, const char *token, store_reset *rs,
			  staff_user *u);

/* How a reset ended, for the caller to answer: STATUS_OK (password set, every session of the
 * user ended, the link and the user's other links used up), STATUS_INVALID (the password
 * breaks the length rules), STATUS_NOT_FOUND (the link is not valid, see above), STATUS_BUSY
 * (the password pool is full: 503), or another error. */
typedef void (*access_reset_done)(http_req *r, status st);

/* Sets the password of the link's user to password (hashed on the password pool, r parked
 * meanwhile) and calls done once, on r's HTTP thread. password is copied. */
void access_reset_complete(http_req *r, const char *token, const char *password,
			   access_reset_done done);

/* An invited user: in one write transaction, inserts u with a password hash no password
 * matches and queues the "password_reset_invite" email with a link to choose one (valid as
 * long as a reset link; the caller calls notify_kick after).
 * *expires_at is the link's expiry. STATUS_CONFLICT: the email is taken in this business. */
status access_invite(http_req *r, db_conn *c, staff_user *u, const char *by,
		     int64_t *expires_at);

#endif
