/* audit.h - the audit_log table: who did what, when, from which address. */
#ifndef BOOKD_STORE_AUDIT_H
#define BOOKD_STORE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* One audit entry. Strings borrowed (insert) or in the reader's arena (list). */
typedef struct audit_entry {
	const char *business_id; /* the business acted on */
	const char *id;          /* sortable id ("aud_...") */
	int64_t at;              /* instant (the server's now) */
	const char *user_id;     /* the acting user, or NULL (a failed login) */
	const char *actor_email; /* their email, or the email a failed login gave */
	const char *token_id;    /* the API token used, or NULL */
	const char *action;      /* "login", "login_failed", "logout" or "METHOD /pattern" */
	const char *method;      /* HTTP method */
	const char *path;        /* request path */
	int status;              /* HTTP status of the answer */
	const char *remote_addr; /* client address */
	const char *request_id;  /* X-Request-Id of the exchange */
	const char *detail;      /* what the route alone does not say (an override and its
				  * reason), or NULL / "" */
} audit_entry;

/* What a list of the audit log asks for. Unset fields (NULL, 0) filter nothing. */
typedef struct audit_filter {
	int64_t before_at;       /* paging: strictly before (before_at, before_id)... */
	const char *before_id;   /* ...when this is not NULL */
	int64_t from;            /* at >= from, when from_set */
	bool from_set;
	int64_t to;              /* at < to, when to_set */
	bool to_set;
	const char *user_id;     /* only this user's entries */
	const char *text;        /* action, path, email or detail containing this (any case) */
	bool failed_only;        /* only refused or failed requests (status >= 400) */
} audit_filter;

/* Inserts e (business_id, id, at and action set; NULL strings store "" or NULL). */
status store_audit_insert(db_conn *c, const audit_entry *e);

/* Up to limit entries matching f, newest first (by at, then id). *out is an array in a. */
status store_audit_list(db_conn *c, const char *business_id, const audit_filter *f, int limit,
			arena *a, audit_entry **out, int *count);

#endif
