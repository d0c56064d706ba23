/* mime.h - one email as RFC 5322 + MIME text: multipart/alternative (text and HTML) and,
 * when given, the booking as a text/calendar part and .ics attachment. */
#ifndef BOOKD_MIME_H
#define BOOKD_MIME_H

#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

typedef struct mime_mail {
	const char *from_addr;   /* envelope and header sender address */
	const char *from_name;   /* display name, may be NULL */
	const char *to_addr;     /* the recipient */
	const char *to_name;     /* display name, may be NULL */
	const char *subject;     /* UTF-8; encoded as RFC 2047 when not plain ASCII */
	const char *text;        /* the text/plain part */
	const char *html;        /* the text/html part, may be NULL */
	const char *ics;         /* an iCalendar object, may be NULL */
	const char *ics_method;  /* its METHOD (REQUEST, CANCEL) for the Content-Type */
	const char *message_id;  /* "<id@host>" */
	int64_t date;            /* the Date header, UTC seconds */
} mime_mail;

/* Appends the whole message (CRLF line ends, base64 bodies in 76-column lines) to out.
 * Header values have CR and LF removed, so no header can be injected. STATUS_INVALID when
 * out is full or an address is empty. Thread-safe. */
status mime_write(const mime_mail *m, buf *out);

#endif
