/* customer.h - customer profiles for staff: search, one profile, edits of the profile.
 * Edits touch the customers row only; a booking keeps the contact details typed for it. */
#ifndef BOOKD_STORE_CUSTOMER_H
#define BOOKD_STORE_CUSTOMER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* A customer profile as staff see it. */
typedef struct customer_profile {
	const char *id;         /* opaque id */
	const char *email_norm; /* the matching key: trimmed, lower-case */
	const char *name;       /* latest name */
	const char *phone;      /* latest phone, may be "" */
	const char *notes;      /* staff notes, may be "" */
	int64_t created_at;     /* first seen */
	int64_t updated_at;     /* last change */
} customer_profile;

/* What a search asks for. */
typedef struct customer_filter {
	const char *q;          /* substring of name, email or phone (case-insensitive); NULL: all */
	const char *visible_to; /* a staff role's provider: only customers of its bookings, and
				 * any other only when q is exactly their email or phone (its
				 * notes then read as "") */
	bool has_after;         /* cursor: rows strictly after (after_name, after_id) */
	const char *after_name; /* the cursor's name */
	const char *after_id;   /* the cursor's id */
	int limit;              /* at most this many, 1..1000 */
} customer_filter;

/* Customers of business_id matching f, ordered by (name, id), in a; *more is set when more
 * match after the last returned. STATUS_INVALID for a limit out of range. */
status store_customers_search(db_conn *c, const char *business_id, const customer_filter *f,
			      arena *a, customer_profile **out, int *count, bool *more);

/* One profile. STATUS_NOT_FOUND when not in the business, or, with visible_to set, when the
 * customer has no booking with that provider. */
status store_customer_get(db_conn *c, const char *business_id, const char *id,
			  const char *visible_to, arena *a, customer_profile *out);

/* Sets the given fields (NULL: unchanged) and updated_at. Only the customers row changes.
 * email_norm must already be normalised; it is the key later bookings are matched by.
 * STATUS_NOT_FOUND when there is no such customer; STATUS_CONFLICT when another customer
 * of the business has that email. */
status store_customer_update(db_conn *c, const char *business_id, const char *id,
			     const char *name, const char *email_norm, const char *phone,
			     const char *notes, int64_t now);

/* A customer's figures over their bookings, by the definitions of core/analytics.h (so a
 * profile and an export agree): held and expired bookings are not counted. */
typedef struct customer_figures {
	int64_t bookings;      /* counted bookings */
	int64_t visits;        /* checked in or completed */
	int64_t no_shows;      /* no-shows */
	int64_t cancellations; /* cancelled */
	int64_t spend_minor;   /* revenue: confirmed, checked-in and completed prices, and the
	                        * fees kept of cancellations */
	int64_t last_start;    /* start of the latest counted booking; 0 when none */
} customer_figures;

/* One row of the export. */
typedef struct customer_export_row {
	customer_profile p; /* the profile */
	customer_figures f; /* its figures */
} customer_export_row;

/* Every customer of business_id whose name, email or phone contains q (NULL or "": all),
 * ordered by (name, id), with their figures: at most max of them (*more set when there
 * were more). For admins: no narrowing. In a. */
status store_customers_export(db_conn *c, const char *business_id, const char *q, int max,
			      arena *a, customer_export_row **out, int *count, bool *more);

/* The LIKE pattern "%q%" of a search, lower-cased, with the pattern characters of q
 * escaped by '\' (statements using it say ESCAPE '\'). A bound value, never SQL text. In a. */
const char *store_like_pattern(arena *a, const char *q);

#endif
