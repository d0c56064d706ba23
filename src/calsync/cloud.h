/* cloud.h - Google Calendar and Microsoft Graph (365 / Outlook.com) over their REST APIs
 * (libcurl): OAuth 2.0 authorization code with PKCE, token refresh, the calendar's events
 * read (Google events.list, Graph calendarView) and bookd's bookings written as events. Endpoints
 * come from flags, so tests point them at a loopback stand-in. No database here. */
#ifndef BOOKD_CALSYNC_CLOUD_H
#define BOOKD_CALSYNC_CLOUD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"

/* One provider's client registration and addresses. Strings borrowed for the process. */
typedef struct cloud_endpoints {
	const char *client_id;     /* "" when the service is not configured */
	const char *client_secret; /* may be "" (a public client: PKCE alone) */
	const char *auth_url;      /* the consent page */
	const char *token_url;     /* the token endpoint */
	const char *api_url;       /* the REST API's base, no trailing slash */
} cloud_endpoints;

/* The documented defaults (the providers' real addresses). */
#define CLOUD_GOOGLE_AUTH_URL "https://accounts.google.com/o/oauth2/v2/auth"
#define CLOUD_GOOGLE_TOKEN_URL "https://oauth2.googleapis.com/token"
#define CLOUD_GOOGLE_API_URL "https://www.googleapis.com/calendar/v3"
#define CLOUD_MICROSOFT_AUTH_URL "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
#define CLOUD_MICROSOFT_TOKEN_URL "https://login.microsoftonline.com/common/oauth2/v2.0/token"
#define CLOUD_MICROSOFT_API_URL "https://graph.microsoft.com/v1.0"

/* Sets both services' endpoints, once at start before any thread uses this module. */
void cloud_configure(const cloud_endpoints *google, const cloud_endpoints *microsoft);
/* The endpoints of "google" or "microsoft" when configured (a client id given), else NULL. */
const cloud_endpoints *cloud_service(const char *service);

/* A PKCE pair (RFC 7636, S256): a random verifier and its challenge, in a. */
void cloud_pkce(arena *a, const char **verifier, const char **challenge);
/* The consent page's address for service with redirect_uri, state and challenge, in a;
 * NULL when the service is not configured. */
const char *cloud_authorize_url(arena *a, const char *service, const char *redirect_uri,
                                const char *state, const char *challenge);

/* Tokens as the token endpoint gave them. */
typedef struct cloud_tokens {
	const char *access;  /* the bearer token */
	const char *refresh; /* the refresh token (kept from before when a refresh gives none) */
	int64_t expires_at;  /* the access token's expiry (now + expires_in) */
} cloud_tokens;

/* The outcome of a call beyond its status: refused means the provider refused the
 * credentials (a 401 on the API after a fresh token, invalid_grant on the token endpoint):
 * they must be given again. err gets one line, never a token. */
typedef struct cloud_error {
	bool refused;
	char text[256];
} cloud_error;

/* Exchanges an authorization code (with its PKCE verifier and redirect_uri). */
status cloud_token_code(const char *service, const char *code, const char *verifier,
                        const char *redirect_uri, int64_t now, arena *a, cloud_tokens *out,
                        cloud_error *e);
/* A new access token for refresh_token (out->refresh keeps it when none is given). */
status cloud_token_refresh(const char *service, const char *refresh_token, int64_t now, arena *a,
                           cloud_tokens *out, cloud_error *e);

/* The account's address (Google: the primary calendar's id; Graph: /me's mail). */
status cloud_account(const char *service, const char *access, arena *a, const char **account,
                     cloud_error *e);

/* An event of the calendar as read. */
typedef struct cloud_span {
	int64_t start, end;
	const char *event_id; /* the API's id of the event */
	bool busy;            /* it makes its time busy (not shown as free / transparent) */
} cloud_span;

/* The events overlapping [from, to), recurring ones expanded and cancelled ones left out:
 * Google's events.list of the primary calendar, Graph's calendarView of the default one,
 * every page. *complete is false when the pages stopped short (CLOUD_PAGES_MAX): then an
 * event not listed may still exist. */
status cloud_events(const char *service, const char *access, int64_t from, int64_t to, arena *a,
                    cloud_span **out, size_t *n, bool *complete, cloud_error *e);

/* An event as bookd writes it. */
typedef struct cloud_event {
	const char *uid;         /* the booking's UID (iCalUID / transactionId) */
	const char *summary;     /* title */
	const char *description; /* plain text */
	int64_t start, end;      /* UTC instants */
} cloud_event;

/* Creates ev (event_id NULL) or changes event event_id; *id_out gets the event's id. *gone
 * says the event no longer exists (404/410 on a change: the caller creates it again). */
status cloud_event_put(const char *service, const char *access, const char *event_id,
                       const cloud_event *ev, arena *a, const char **id_out, bool *gone,
                       cloud_error *e);
/* Deletes event_id; an event already gone counts as deleted. */
status cloud_event_delete(const char *service, const char *access, const char *event_id,
                          cloud_error *e);

#endif
