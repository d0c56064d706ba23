/* staff_access.h - handlers of the staff access routes (rows in api/routes_access.inc):
 * login and sessions, users, API tokens and the audit log. */
#ifndef BOOKD_STAFF_ACCESS_H
#define BOOKD_STAFF_ACCESS_H

#include "http/request.h"

/* access_login.c: POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me */
void access_login(http_req *r);
void access_logout(http_req *r);
void access_me(http_req *r);

/* access_password.c: POST /api/v1/auth/password (signed in), POST
 * /api/v1/auth/password-reset and .../password-reset/complete (public), POST
 * /api/v1/businesses/{business}/users/{user}/password-reset (owner) */
void access_password_change(http_req *r);
void access_password_reset_request(http_req *r);
void access_password_reset_complete(http_req *r);
void access_users_password_reset(http_req *r);

/* reset_page.c: GET and POST /auth/reset?t=TOKEN, the page a reset link opens */
void reset_page_show(http_req *r);
void reset_page_submit(http_req *r);

/* access_users.c: /api/v1/businesses/{business}/users[/{user}] (owner) */
void access_users_list(http_req *r);
void access_users_create(http_req *r);
void access_users_update(http_req *r);
void access_users_delete(http_req *r);

/* access_tokens.c: /api/v1/businesses/{business}/tokens[/{token}] (admin) */
void access_tokens_list(http_req *r);
void access_tokens_create(http_req *r);
void access_tokens_revoke(http_req *r);

/* audit.c: GET /api/v1/businesses/{business}/audit (admin) */
void audit_list(http_req *r);

#endif
