/* webhook.h - webhooks out: a business's endpoints, the events queued for them (written in
 * the transaction of the change that causes them, store/webhook_event.h), their deliveries
 * claimed by the webhook worker, and the delivery log. */
#ifndef BOOKD_STORE_WEBHOOK_H
#define BOOKD_STORE_WEBHOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* The event types an endpoint may take, NULL-terminated. */
extern const char *const WEBHOOK_EVENT_TYPES[];
/* The type of a test-send (never chosen: every endpoint takes its own tests). */
#define WEBHOOK_TEST_TYPE "webhook.test"

/* Sending: attempts of one delivery before it is failed for good (about 9 hours of
 * back-off: 10 s doubling to at most an hour, with jitter). */
#define WEBHOOK_ATTEMPTS 18
/* An endpoint is disabled after this many failed attempts in a row that span at least
 * WEBHOOK_DISABLE_AFTER_S without a success; its owners are told by email. */
#define WEBHOOK_DISABLE_FAILURES 10
#define WEBHOOK_DISABLE_AFTER_S (6 * 3600)
/* The response body kept in the log (bytes). */
#define WEBHOOK_LOG_BODY_MAX 1024

/* One endpoint. Strings in the reader's arena. */
typedef struct webhook_endpoint {
	const char *id;              /* "whk_..." */
	const char *url;             /* http(s) address */
	const char *description;     /* staff's label, may be "" */
	const char *events;          /* JSON array text of event types */
	const char *secret_box;      /* the signing secret, sealed (base/sealed.h) */
	const char *previous_box;    /* during a rotation the previous secret, sealed, or NULL */
	int64_t previous_until;      /* the previous secret is sent until then (0: none) */
	bool enabled;                /* deliveries go out */
	const char *disabled_reason; /* why it was disabled ("" when enabled or by staff) */
	int failures;                /* failed attempts in a row */
	int64_t failing_since;       /* the first of them, or 0 */
	int64_t last_success_at;     /* or 0 */
	int64_t created_at;
	int64_t updated_at;
} webhook_endpoint;

/* Whether type is one of WEBHOOK_EVENT_TYPES. */
bool webhook_type_known(const char *type);
/* Whether the endpoint's events (JSON array text) include type. */
bool webhook_takes(const char *events, const char *type);

/* Inserts e (id, url, description, events, secret_box and created_at set by the caller). */
status webhook_endpoint_insert(db_conn *c, const char *business_id, const webhook_endpoint *e);
/* The business's endpoints, oldest first, in a. */
status webhook_endpoint_list(db_conn *c, const char *business_id, arena *a,
			     webhook_endpoint **out, int *n);
/* One endpoint; STATUS_NOT_FOUND when the business has none with that id. */
status webhook_endpoint_get(db_conn *c, const char *business_id, const char *id, arena *a,
			    webhook_endpoint *out);
/* A staff edit: each of url, description, events left as it is when NULL; enabled -1 keeps
 * it, 0 disables, 1 enables (and forgets the failures in a row). STATUS_NOT_FOUND. */
status webhook_endpoint_update(db_conn *c, const char *business_id, const char *id,
			       const char *url, const char *description, const char *events,
			       int enabled, int64_t now);
/* Rotation: new_box becomes the secret; the current one is kept as previous until
 * previous_until (both signatures are sent until then). STATUS_NOT_FOUND. */
status webhook_endpoint_rotate(db_conn *c, const char *business_id, const char *id,
			       const char *new_box, int64_t previous_until, int64_t now);
/* Deletes the endpoint with its deliveries and log. STATUS_NOT_FOUND. */
status webhook_endpoint_delete(db_conn *c, const char *business_id, const char *id);

/* Inside the caller's write transaction: records an event of type about order_key (the
 * booking id, or another object's id: deliveries with the same key go out in order) with
 * data (a JSON object text: {"object": ...}), and a delivery for each enabled endpoint of the
 * business that takes the type; nothing at all when none does. *event_id (may be NULL)
 * gets the event's id, in a. */
status webhook_emit(db_conn *c, const char *business_id, const char *type,
		    const char *order_key, const char *data, int64_t now, arena *a,
		    const char **event_id);
/* A test-send: an event of WEBHOOK_TEST_TYPE for endpoint id alone, due now, in its own
 * transaction. *delivery_id gets the delivery's id. STATUS_NOT_FOUND. */
status webhook_test_send(db_conn *c, const char *business_id, const char *id, const char *slug,
			 int64_t now, arena *a, const char **delivery_id);
/* Replay: the event of delivery delivery_id is sent to its endpoint again, as a new
 * delivery due now (in order after what is pending for the same object). STATUS_NOT_FOUND. */
status webhook_replay(db_conn *c, const char *business_id, const char *endpoint_id,
		      const char *delivery_id, int64_t now, arena *a, const char **new_id);

/* One claimed delivery, with what sending it needs. */
typedef struct webhook_job {
	const char *business_id;
	const char *id;            /* the delivery */
	const char *endpoint_id;
	const char *event_id;
	const char *url;
	const char *secret_box;    /* sealed */
	const char *previous_box;  /* sealed, or NULL when no rotation overlaps now */
	const char *body;          /* the JSON body */
	int attempts;              /* including this one */
} webhook_job;

/* Claims up to max deliveries due at now for a lease of lease_s: pending ones of enabled
 * endpoints with no earlier delivery of the same object to the same endpoint still pending.
 * Several processes may claim at once (PostgreSQL: SKIP LOCKED); a delivery is claimed by
 * one. Strings in a. */
status webhook_claim(db_conn *c, int64_t now, int lease_s, int max, arena *a, webhook_job **out,
		     int *n);

/* The outcome of one attempt, as logged. */
typedef struct webhook_outcome {
	long code;            /* HTTP status, 0 when there was none */
	int latency_ms;       /* from the start of the request to the end of the answer */
	const char *response; /* the answer's start (at most WEBHOOK_LOG_BODY_MAX bytes) or "" */
	const char *error;    /* "" on a 2xx answer, else why it failed (one line) */
	bool ok;              /* a 2xx answer */
} webhook_outcome;

/* Records an attempt of claimed job j in one write transaction: the log row; the delivery
 * succeeded, or pending again at retry_at, or failed when retry_at is 0; the endpoint's
 * failures in a row (and, past the limits above, the endpoint disabled and an email
 * "webhook_disabled" queued for each owner; *disabled says so). */
status webhook_record(db_conn *c, const webhook_job *j, const webhook_outcome *o,
		      int64_t retry_at, int64_t now, arena *a, bool *disabled);

/* How long finished deliveries, their attempts and their events are kept (seconds). */
#define WEBHOOK_KEEP_S (30 * 86400)
/* Drops attempts, finished deliveries and events no delivery names that are older than
 * before, in one write transaction. */
status webhook_purge(db_conn *c, int64_t before);

/* One logged attempt. */
typedef struct webhook_attempt {
	int64_t at;
	long code;
	int latency_ms;
	const char *response;
	const char *error;
} webhook_attempt;

/* One delivery with its attempts, newest attempt last. */
typedef struct webhook_delivery {
	const char *id;
	const char *event_id;
	const char *type;
	const char *status;  /* pending | succeeded | failed */
	int attempts;
	int64_t next_attempt_at;
	long last_code;
	const char *last_error;
	const char *replay_of; /* or NULL */
	int64_t created_at;
	const char *body;      /* the JSON sent */
	webhook_attempt *log;
	int nlog;
} webhook_delivery;

/* The endpoint's deliveries, newest first, at most limit, with their attempts. */
status webhook_deliveries(db_conn *c, const char *business_id, const char *endpoint_id,
			  int limit, arena *a, webhook_delivery **out, int *n);

#endif
