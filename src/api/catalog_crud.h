/* catalog_crud.h - the one shape of every staff catalogue collection: list, create, read,
 * change (the row's JSON merged with the body, then validated whole), delete. Each
 * resource file describes its rows with a catalog_kind; catalog_crud.c does the HTTP,
 * the role checks, the transaction and the availability events. Internal to api/catalog_*. */
#ifndef BOOKD_API_CATALOG_CRUD_H
#define BOOKD_API_CATALOG_CRUD_H

#include <jansson.h>
#include <stdint.h>

#include "api/auth.h"
#include "api/catalog_rules.h"
#include "base/errlist.h"
#include "core/tz.h"
#include "http/request.h"
#include "store/db.h"

#define CATALOG_MAX_CHANGES 4

/* One request on a collection. */
typedef struct catalog_op {
	http_req *r;          /* the exchange */
	db_conn *c;           /* the borrowed connection (inside the write transaction for writes) */
	business b;           /* the route's business */
	const principal *p;   /* the caller */
	const tz *zone;       /* the business's zone */
	errlist errs;         /* field errors of the body */
	catalog_reader rd;    /* reads bodies into records */
	const char *why;      /* detail of a 409 (or other refusal), for people */
	bool dry_run;         /* ?dry_run=1: answer the impact preview, write nothing */
	int n_changes;        /* availability changes recorded, published after commit */
	struct {
		const char *service;  /* one service, or NULL */
		const char *provider; /* one provider's services, or NULL */
		const char *resource; /* one resource's services, or NULL */
		int64_t from;         /* the instants touched: [from, to) */
		int64_t to;
	} changes[CATALOG_MAX_CHANGES];
} catalog_op;

/* How one collection is kept. */
typedef struct catalog_kind {
	const char *one;             /* path parameter and singular word: "service" */
	const char *many;            /* list key: "services" */
	bool staff_own;              /* staff may write rows whose owner is their provider */
	const char *const *fields;   /* keys a body may set (NULL-terminated) */
	const char *const *readonly; /* keys of the row's JSON a body may not set */
	/* Appends the rows the query asks for to arr; bad query parameters: field errors on
	 * op->r and STATUS_INVALID. */
	status (*list)(catalog_op *op, json_t *arr);
	/* The row as JSON (a new reference), or STATUS_NOT_FOUND. */
	status (*get)(catalog_op *op, const char *id, json_t **out);
	/* Validates doc (the whole row: the body, or for a change the row merged with the body)
	 * and writes it; old is the row before (NULL when creating). Errors go to op->errs
	 * (STATUS_INVALID) or op->why (STATUS_CONFLICT). Records the availability changes. */
	status (*save)(catalog_op *op, const json_t *old, const json_t *doc, const char **id_out);
	/* Deletes the row, or withdraws it (*kept set true) when bookings refer to it. */
	status (*remove)(catalog_op *op, const json_t *old, bool *kept);
} catalog_kind;

/* The generic handlers. */
void catalog_list(http_req *r, const catalog_kind *k);
void catalog_get(http_req *r, const catalog_kind *k);
void catalog_create(http_req *r, const catalog_kind *k);
void catalog_patch(http_req *r, const catalog_kind *k);
void catalog_delete(http_req *r, const catalog_kind *k);

/* An action on a collection that is not one row's write (a body in, an answer out): the
 * body is read, the caller's role checked against its "owner" like a row's, then act runs
 * inside the write transaction and sets *answer (a new reference) on success. ?dry_run=1
 * answers the impact preview of the changes act recorded instead, writing nothing. */
typedef status (*catalog_act_fn)(catalog_op *op, const json_t *body, json_t **answer);
void catalog_action(http_req *r, const catalog_kind *k, catalog_act_fn act);

/* Records that availability changed: of one service, of a provider's or resource's
 * services, or (all NULL) of every service, over [from, to) (0, INT64_MAX: every date). */
void catalog_changed(catalog_op *op, const char *service_id, const char *provider_id,
		     const char *resource_id, int64_t from, int64_t to);
/* The same for the owner of hours ("business": every service). */
void catalog_owner_changed(catalog_op *op, const sched_owner *o, int64_t from, int64_t to);

/* STATUS_OK when the owner exists in the business (business always does); otherwise adds
 * a field error at key and returns STATUS_INVALID. */
status catalog_owner_check(catalog_op *op, const sched_owner *o, const char *key);

/* Query helpers for list(): the value of a date parameter ("YYYY-MM-DD") as a local day
 * number of the business zone, false (with a field error) when malformed; absent leaves
 * *present false. */
bool catalog_query_day(catalog_op *op, const char *name, bool *present, int64_t *day);
/* ?owner=business|provider:ID|resource:ID into f (kind NULL when absent). */
bool catalog_query_owner(catalog_op *op, sched_owner *o);

#endif
