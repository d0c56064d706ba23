/* credentials.h - pure helpers of staff access: reading the session cookie, splitting a
 * presented credential, normalising emails, the lockout back-off and the rate-limit
 * settings. No I/O; unit-tested in tests/unit/test_access.c. */
#ifndef BOOKD_CREDENTIALS_H
#define BOOKD_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRED_COOKIE "bookd_session"  /* the session cookie's name */
#define CRED_SESSION_TTL_S (12 * 3600) /* a session lives 12 hours from login */
#define CRED_MAX 160                   /* longest credential accepted, bytes */
#define CRED_RESET_TTL_S (30 * 60)     /* a password reset link works this long */
#define CRED_RESET_PER_HOUR 3          /* reset links one account is sent per hour, at most */

/* Lockout: after CRED_LOCK_PAIR_AFTER failures for one email from one address, or
 * CRED_LOCK_ADDR_AFTER from one address whatever the emails, that pair or address is locked
 * for CRED_LOCK_BASE_S, doubling with each further failure up to CRED_LOCK_MAX_S. An email
 * alone (from every address) locks only after CRED_LOCK_EMAIL_AFTER failures, so one
 * stranger cannot lock an account out. Failures older than CRED_LOCK_RESET_S are forgotten. */
#define CRED_LOCK_PAIR_AFTER 5
#define CRED_LOCK_ADDR_AFTER 20
#define CRED_LOCK_EMAIL_AFTER 100
#define CRED_LOCK_BASE_S 60
#define CRED_LOCK_MAX_S 3600
#define CRED_LOCK_RESET_S 3600

/* Copies the value of cookie `name` from a Cookie header into out (NUL-terminated). False
 * when absent, empty or longer than outlen - 1. */
bool cred_cookie_get(const char *header, const char *name, char *out, size_t outlen);

/* Splits "<business_id>.<secret>" into the business id (copied into bid) and the secret
 * (a pointer into value). False unless both parts are non-empty and made of id and base64url
 * characters, and the id fits. */
bool cred_split(const char *value, char *bid, size_t bidlen, const char **secret);

/* Trims blanks and lower-cases an email into out; false unless it looks like local@domain
 * and fits (at most 254 bytes). */
bool cred_email_norm(const char *in, char *out, size_t outlen);

/* The lock, in seconds, after `failures` failures with the threshold `after`: 0 below it,
 * then CRED_LOCK_BASE_S doubling per failure, at most CRED_LOCK_MAX_S. */
int64_t cred_lock_seconds(int64_t failures, int64_t after);

/* The request rate limits: COUNT requests per SECONDS. */
typedef struct cred_limit {
	int count;     /* requests allowed per window */
	int window_s;  /* window length */
} cred_limit;

typedef struct cred_limits {
	bool on;                   /* false: no rate limit at all (load and race tests) */
	cred_limit login_addr;     /* logins per client address */
	cred_limit login_business; /* logins per business named */
	cred_limit public_addr;    /* public API requests per client address */
	cred_limit public_business; /* public API requests per business */
	cred_limit reset_addr;     /* password reset requests per client address */
	cred_limit reset_email;    /* password reset requests per email named */
} cred_limits;

/* Parses the rate-limit setting: "on" (the defaults), "off", or a comma list of
 * NAME=COUNT/SECONDS (names login_addr, login_business, public_addr, public_business,
 * reset_addr, reset_email)
 * overriding the defaults. False with a reason in err when malformed. */
bool cred_limits_parse(const char *spec, cred_limits *out, char *err, size_t errlen);

#endif
