/* package.h - packages: N sessions of a service sold at a price (tracked, not charged),
 * the sales to customers, and the bookings that draw on them. */
#ifndef BOOKD_STORE_PACKAGE_H
#define BOOKD_STORE_PACKAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* A package the business sells. */
typedef struct package {
	const char *id;         /* opaque id, "pkg_..." */
	const char *name;       /* shown to staff and customers */
	const char *service_id; /* the service its sessions book */
	int sessions;           /* sessions in it, 1..1000 */
	int64_t price_minor;    /* its price in the business's currency */
	bool active;            /* still sold */
	int64_t created_at;     /* when defined */
} package;

/* A package sold to a customer: its own copy of the terms, and what is left. */
typedef struct customer_package {
	const char *id;          /* opaque id, "cpk_..." */
	const char *package_id;  /* the package sold */
	const char *customer_id; /* to whom */
	const char *name;        /* the package's name when sold */
	const char *service_id;  /* its service */
	int sessions;            /* sessions bought */
	int remaining;           /* sessions not yet used (released uses count as not used) */
	int64_t price_minor;     /* the price when sold */
	const char *currency;    /* the business's currency when sold */
	const char *sold_by;     /* the actor: staff:ID */
	int64_t sold_at;         /* when */
} customer_package;

/* The business's packages, newest first, in a. */
status store_packages_list(db_conn *c, const char *business_id, arena *a, package **out,
			   int *count);
/* One package. STATUS_NOT_FOUND when not in the business. */
status store_package_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 package *out);
/* Inserts p (every field set by the caller). STATUS_NOT_FOUND when its service is not in
 * the business. */
status store_package_insert(db_conn *c, const char *business_id, const package *p);
/* Sets the given fields (name NULL, price_minor < 0, active < 0: unchanged). Sales already
 * made keep their own terms. STATUS_NOT_FOUND when there is no such package. */
status store_package_update(db_conn *c, const char *business_id, const char *id,
			    const char *name, int64_t price_minor, int active, int64_t now);

/* Sells an active package to a customer of the business in one statement: a new
 * customer_package with all its sessions remaining, its terms copied. STATUS_NOT_FOUND
 * (why) when the package is not active or the customer unknown. *out in a. */
status store_package_sell(db_conn *c, const business *b, const char *package_id,
			  const char *customer_id, const char *actor, int64_t now, arena *a,
			  customer_package *out, const char **why);
/* A customer's packages, newest first, in a. */
status store_customer_packages(db_conn *c, const char *business_id, const char *customer_id,
			       arena *a, customer_package **out, int *count);
/* The customer package a booking drew from: STATUS_NOT_FOUND when none (or given back). */
status store_booking_package(db_conn *c, const char *business_id, const char *booking_id,
			     arena *a, const char **customer_package_id);

/* Inside the booking's write transaction: bk (just inserted, its customer attached) takes
 * one session of customer package cpk_id. STATUS_CONFLICT (why: static text) when the
 * package is not the booking's customer's, is for another service, or has none left; the
 * caller's transaction then rolls back. */
status package_use(db_conn *c, const char *business_id, const char *cpk_id, const booking *bk,
		   int64_t now, arena *a, const char **why);
/* Inside a cancellation's write transaction: the session booking_id took, if any, goes
 * back to its package (once). */
status package_release(db_conn *c, const char *business_id, const char *booking_id,
		       int64_t now);

#endif
