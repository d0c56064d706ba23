/* send.h - delivery to the outside: email over SMTP and SMS through an HTTP provider, both
 * with libcurl. Blocking: called from the notification worker, never from HTTP threads. */
#ifndef BOOKD_SEND_H
#define BOOKD_SEND_H

#include <stddef.h>

#include "base/status.h"

/* Where and how to send; strings borrowed for the process lifetime. */
typedef struct send_config {
	const char *smtp_url;   /* smtp://user:pass@host:587 (STARTTLS when offered) or smtps://
				   (implicit TLS); NULL or "" = email is not configured */
	const char *smtp_from;  /* envelope and From address */
	const char *sms_url;    /* the provider's endpoint for a form POST; NULL = no SMS */
	const char *sms_user;   /* HTTP basic auth user (account id), may be NULL */
	const char *sms_password; /* HTTP basic auth password (token), may be NULL */
	const char *sms_from;   /* sender number or name */
	int sms_max;            /* the provider's message limit in characters */
	int timeout_s;          /* per delivery */
} send_config;

/* Sends one RFC 5322 message (CRLF text) to `to`. On failure returns STATUS_IO and a
 * one-line reason in err (never with the password); STATUS_INVALID when no attempt can
 * succeed (an address too long to be written whole). */
status send_email(const send_config *cfg, const char *to, const char *message, size_t len,
		  char *err, size_t errlen);

/* Posts one SMS as a form (To, From, Body), the body cut to cfg->sms_max characters (UTF-8
 * aware, ending in "..." when cut). A 2xx answer is success. */
status send_sms(const send_config *cfg, const char *to, const char *text, char *err,
		size_t errlen);

/* Cuts UTF-8 text to at most max characters, "..." included when cut; into out (max*4+1). */
void send_sms_cut(const char *text, int max, char *out, size_t outlen);

#endif
