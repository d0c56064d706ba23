/* world.h - what the fuzz targets share: an in-memory SQLite with the demo business, staff
 * sessions of each role, and a request served in-process through the real router. */
#ifndef BOOKD_FUZZ_WORLD_H
#define BOOKD_FUZZ_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "http/request.h"
#include "store/db.h"

/* "Now" in every target: a Tuesday morning, so the demo's week of bookings is ahead. */
#define FUZZ_NOW 1796119200 /* 2026-12-01T10:00:00Z */
/* The demo owner's password (the fuzz build hashes it at libsodium's least cost). */
#define FUZZ_PASSWORD "fuzz-password-1"

/* Staff credentials the request text can pick (see world_request). */
typedef enum world_as { WORLD_NOBODY, WORLD_OWNER, WORLD_ADMIN, WORLD_STAFF, WORLD_TOKEN } world_as;

/* The shared state. */
typedef struct world {
	db *db;                  /* ":memory:", one connection */
	business demo;           /* the demo business (strings in a long-lived arena) */
	const char *cookie[4];   /* "bookd_session=..." per world_as OWNER..STAFF (index 1..3) */
	const char *csrf[4];     /* that session's CSRF token */
	const char *bearer;      /* "Bearer ..." of an owner's API token */
	void *image;             /* the database as set up, for world_reset */
	size_t image_len;        /* its size */
	uint64_t draws;          /* random draws made by then (ids are a function of them) */
} world;

/* Opens a fresh world (migrations, demo, users owner/admin/staff with sessions, a token).
 * Aborts the process when any step fails: a target without its world fuzzes nothing. */
world *world_new(void);
/* Closes it. */
void world_free(world *w);
/* Puts the database, the random ids to come, the clock and the answer cache back as
 * world_new left them, so every input runs in the same world. */
void world_reset(world *w);

/* Up to four requests, separated by lines "---" (so a later one can use what an earlier
 * one made: ids are deterministic), each parsed from fuzz input HTTP-like:
 *     METHOD SP TARGET LF            (TARGET = path [? query], percent-decoded like the server)
 *     (NAME: VALUE LF)*              (headers; "As: nobody|owner|admin|staff|token" picks
 *                                     the credentials, owner by default)
 *     LF
 *     BODY                           (the rest, NULs included)
 * Serves it through http_dispatch with the API routes, auth_authorize and auth_after, and
 * returns the last HTTP code. Routes that need the test clock do not exist. The request's arena
 * and output are freed before return. Aborts (a finding) when the answer is a 5xx. With
 * FUZZ_TRACE set in the environment, prints each request and its answer to stderr. */
int world_request(world *w, const uint8_t *data, size_t size);

#endif
