/* model.h - the domain records bookd keeps (DESIGN.md "Domain words"), as plain structs.
 * Strings are borrowed: whoever fills a record says where they live (usually an arena). */
#ifndef BOOKD_MODEL_H
#define BOOKD_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* The tenant. */
typedef struct business {
	const char *id;          /* opaque id */
	const char *slug;        /* URL name, unique */
	const char *name;        /* display name */
	const char *timezone;    /* IANA zone of its schedules */
	const char *currency;    /* ISO 4217 code of its prices */
	const char *locale;      /* BCP 47 tag for messages */
	const char *address;     /* postal address for messages */
	const char *phone;       /* contact phone for messages */
	int64_t hold_ttl_s;      /* how long a hold keeps a slot */
	int64_t no_show_grace_s; /* after a booking's end, when it may turn no_show */
	bool auto_no_show;       /* whether the no-show job runs for this business */
	const char *embed_origins; /* origins that may frame its booking pages, space-separated */
	bool listed;             /* shown on the front page when a server has several */
	const char *logo_url;    /* https URL of its logo, or "" */
	const char *accent_colour; /* "#rrggbb" of its booking pages, or "" for the app's own */
	bool require_phone;      /* a booking needs the customer's phone */
	int64_t created_at;      /* instant */
} business;

typedef enum service_kind {
	SERVICE_APPOINTMENT, /* fixed duration on a slot grid */
	SERVICE_CLASS,       /* scheduled sessions with seats */
	SERVICE_RENTAL       /* the customer picks start and end within min/max length */
} service_kind;

/* What is sold. */
typedef struct service {
	const char *id;
	const char *name;
	const char *description;
	service_kind kind;
	int64_t duration_s;         /* appointment and class length; a rental's default length */
	int64_t price_minor;        /* in the business's currency's minor unit */
	int capacity;               /* seats per start (1 for plain appointments) */
	int64_t buffer_before_s;    /* kept free before each booking */
	int64_t buffer_after_s;     /* kept free after each booking */
	int64_t min_notice_s;       /* earliest start is now + this */
	int64_t max_advance_s;      /* latest start is now + this */
	int64_t slot_interval_s;    /* grid step in local wall time */
	int64_t min_length_s;       /* rentals: shortest booking */
	int64_t max_length_s;       /* rentals: longest booking (0: no limit) */
	bool whole_days;            /* rentals: booked in whole local days */
	bool needs_resource;        /* a provider and a resource at once */
	bool requires_approval;     /* bookings start as pending */
	int64_t cancel_until_s;     /* customers may cancel until this long before start */
	int64_t reschedule_until_s; /* customers may reschedule until this long before start */
	const char *refund_tiers;   /* JSON array of {"min_notice_s","refund_percent"} */
	bool active;                /* offered to customers */
	int position;               /* order in the catalogue */
} service;

/* A bookable person. */
typedef struct provider {
	const char *id;
	const char *name;
	const char *email;
	const char *user_id;  /* the staff login it belongs to, or NULL */
	const char *timezone; /* its own schedule zone, or NULL for the business's */
	bool active;
} provider;

/* A bookable thing. */
typedef struct resource {
	const char *id;
	const char *name;
	int capacity; /* how many at once */
	bool active;
	int64_t buffer_before_s; /* rented items: turnaround kept free before each booking */
	int64_t buffer_after_s;  /* rented items: turnaround kept free after each booking */
	bool overnight;          /* rented items: may stay out while closed; only pickup and
	                          * return must fall inside opening hours */
} resource;

typedef enum booking_status {
	BOOKING_HELD,       /* a hold: busy until hold_expires_at */
	BOOKING_PENDING,    /* waits for staff approval */
	BOOKING_CONFIRMED,
	BOOKING_CHECKED_IN,
	BOOKING_COMPLETED,
	BOOKING_CANCELLED,
	BOOKING_NO_SHOW,
	BOOKING_EXPIRED     /* a hold that ran out */
} booking_status;

/* A customer, matched by normalised email within a business. */
typedef struct customer {
	const char *id;
	const char *email_norm; /* trimmed, lower-case */
	const char *name;
	const char *phone;
} customer;

/* A booking of time (and seats) with a provider and/or resource. */
typedef struct booking {
	const char *id;
	const char *reference;      /* short code customers see, e.g. K7QF-2M9X */
	const char *service_id;
	const char *provider_id;    /* or NULL */
	const char *resource_id;    /* or NULL */
	const char *session_id;     /* class session, or NULL */
	int64_t start_at;           /* [start_at, end_at) */
	int64_t end_at;
	int64_t busy_start;         /* start_at - the service's buffer_before_s */
	int64_t busy_end;           /* end_at + the service's buffer_after_s */
	int seats;
	booking_status status;
	int64_t hold_expires_at;    /* for holds; 0 otherwise */
	const char *customer_id;    /* or NULL for a hold */
	const char *customer_name;  /* contact details as typed for this booking */
	const char *customer_email;
	const char *customer_phone;
	const char *customer_tz;    /* the customer's IANA zone for messages, or NULL */
	const char *source;         /* web, phone, walk_in, admin, api */
	const char *referral;       /* campaign or link tag (api/referral.h), "" when none */
	int64_t price_minor;
	const char *currency;
	const char *notes;
	const char *manage_token_hash; /* SHA-256 hex of the manage token */
	int64_t created_at;
	int64_t updated_at;
} booking;

const char *booking_status_name(booking_status s);
bool booking_status_parse(const char *s, booking_status *out);

const char *service_kind_name(service_kind k);
/* Parses "appointment" | "class" | "rental"; false otherwise. */
bool service_kind_parse(const char *s, service_kind *out);

#endif
