/* company.h - a business's companies: corporate customers (name, billing contact, notes)
 * that customers and booking groups belong to. */
#ifndef BOOKD_STORE_COMPANY_H
#define BOOKD_STORE_COMPANY_H

#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* One company. */
typedef struct company {
	const char *id;
	const char *name;          /* as staff (or the first organiser) wrote it */
	const char *billing_email; /* the billing contact, may be "" */
	const char *notes;         /* staff notes, may be "" */
	int customers;             /* customers who belong to it (lists and reads) */
	int groups;                /* booking groups made under it */
	int64_t created_at;
	int64_t updated_at;
} company;

/* Every company of the business by name (at most max), with its counts. */
status company_list(db_conn *c, const char *business_id, int max, arena *a, company **out,
		    int *n);
status company_get(db_conn *c, const char *business_id, const char *id, arena *a, company *out);
/* Creates (in->id NULL: a new id, into out) or updates the company. STATUS_CONFLICT when
 * another company of the business has the same name (case and outer spaces ignored);
 * STATUS_NOT_FOUND when updating an unknown id. */
status company_put(db_conn *c, const char *business_id, const company *in, int64_t now,
		   arena *a, company *out);
/* Deletes it; its customers and groups keep their rows and belong to no company. */
status company_delete(db_conn *c, const char *business_id, const char *id);

/* Sets (or with company_id NULL clears) the company of a customer. STATUS_NOT_FOUND when
 * either is unknown. */
status company_set_customer(db_conn *c, const char *business_id, const char *customer_id,
			    const char *company_id);
/* The company of a customer: *out filled, or out->id NULL when none. */
status company_of_customer(db_conn *c, const char *business_id, const char *customer_id,
			   arena *a, company *out);

/* Inside a write transaction: the company whose name matches name (trimmed, case ignored),
 * or a new one with that name and billing_email as its billing contact. *id_out in a. */
status company_match(db_conn *c, const char *business_id, const char *name,
		     const char *billing_email, int64_t now, arena *a, const char **id_out);

/* The key a name is matched by: trimmed, ASCII lower-case, inner runs of spaces as one. */
char *company_name_norm(arena *a, const char *name);

#endif
