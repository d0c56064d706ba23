/* status.h - the one result type of bookd, returned and propagated by every layer. */
#ifndef BOOKD_STATUS_H
#define BOOKD_STATUS_H

/* Exactly one place (http_code_of in src/http/request.c) maps a status to an HTTP code. */
typedef enum status {
	STATUS_OK = 0,
	STATUS_INVALID,      /* input fails validation (422 / 400) */
	STATUS_NOT_FOUND,    /* no such thing, or not visible to the caller */
	STATUS_CONFLICT,     /* the state forbids it: slot taken, duplicate key */
	STATUS_FORBIDDEN,    /* authenticated, but the role does not allow it */
	STATUS_UNAUTHORIZED, /* no valid credentials */
	STATUS_BUSY,         /* transient contention: database locked, serialization */
	STATUS_IO,           /* a peer or the disk failed */
	STATUS_INTERNAL      /* a bug or an impossible state */
} status;

/* Returns a stable lower-case name ("ok", "invalid", ...) for logs. Thread-safe. */
const char *status_name(status st);

#endif
