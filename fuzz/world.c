/* world.c - the fuzz targets' world: the demo on an in-memory SQLite, and requests served
 * in-process through the same dispatch as the server (http_dispatch). */
#include "world.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/avail_cache.h"
#include "api/password.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/ids.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/server.h"
#include "jobs/notify_worker.h"
#include "store/admin_catalog.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/migrate.h"
#include "store/session.h"
#include "store/user.h"
#include "base/text.h"

#define WORLD_MAX_HEADERS 16
#define WORLD_MAX_ARGS 64
#define WORLD_MAX_REQUESTS 4 /* requests in one input */

static arena *world_arena; /* the world's long-lived strings */
static app world_app;      /* handed to handlers as r->app */
/* Delivery settings as `bookd serve` makes them with no SMTP or SMS configured. */
static notify_worker_config world_notify = {
	.send = {.smtp_url = "", .smtp_from = "", .sms_url = "", .sms_user = "", .sms_password = "",
		 .sms_from = "", .sms_max = 160, .timeout_s = 30},
	.public_url = "http://fuzz.test"};

/* Random bytes as a function of a counter: ids, references and secrets come out the same in
 * every world, so seeds can name them and a finding replays. Set before sodium_init. */
static uint64_t world_draws;

static void world_random_buf(void *const out, const size_t size)
{
	unsigned char seed[randombytes_SEEDBYTES] = {0};
	memcpy(seed, &world_draws, sizeof(world_draws));
	world_draws++;
	randombytes_buf_deterministic(out, size, seed);
}

static uint32_t world_random(void)
{
	uint32_t v;
	world_random_buf(&v, sizeof(v));
	return v;
}

static const char *world_random_name(void)
{
	return "fuzz-deterministic";
}

static randombytes_implementation world_random_impl = {
	.implementation_name = world_random_name, .random = world_random, .buf = world_random_buf};

static void world_die(const char *what, status st)
{
	fprintf(stderr, "fuzz world: %s: %s\n", what, status_name(st));
	abort();
}

/* A staff user of the demo with a live session: its cookie and CSRF token. */
static void world_user(world *w, db_conn *c, world_as as, const char *role, const char *email)
{
	const char *uid = NULL;
	if (as == WORLD_OWNER) {
		staff_user u;
		status st = store_user_by_email(c, w->demo.id, "owner@demo.test", world_arena, &u);
		if (st != STATUS_OK)
			world_die("the demo owner", st);
		uid = u.id;
	} else {
		char hash[PASSWORD_HASH_MAX];
		if (password_hash(FUZZ_PASSWORD, hash) != STATUS_OK)
			world_die("password_hash", STATUS_INTERNAL);
		staff_user u = {.business_id = w->demo.id, .id = ids_new(world_arena, "usr"),
				.email = email, .name = role, .role = role,
				.password_hash = arena_strdup(world_arena, hash), .created_at = FUZZ_NOW};
		status st = store_user_insert(c, &u);
		if (st != STATUS_OK)
			world_die("a staff user", st);
		uid = u.id;
	}
	if (as == WORLD_STAFF) { /* linked to Alice, so the staff role sees her bookings */
		provider p;
		status st = store_provider_get(c, w->demo.id, "alice", world_arena, &p);
		if (st == STATUS_OK) {
			p.user_id = uid;
			st = store_admin_provider_update(c, w->demo.id, &p);
		}
		if (st != STATUS_OK)
			world_die("linking the staff user", st);
	}
	const char *secret = ids_secret(world_arena);
	const char *csrf = ids_secret(world_arena);
	status st = store_staff_session_insert(c, w->demo.id, ids_new(world_arena, "ses"),
					       ids_secret_hash(world_arena, secret), uid, csrf,
					       FUZZ_NOW, FUZZ_NOW + 12 * 3600, "127.0.0.1");
	if (st != STATUS_OK)
		world_die("a session", st);
	w->cookie[as] = arena_printf(world_arena, "bookd_session=%s.%s", w->demo.id, secret);
	w->csrf[as] = csrf;
	if (as == WORLD_OWNER) {
		const char *tsecret = ids_secret(world_arena);
		store_token_new t = {.business_id = w->demo.id, .id = ids_new(world_arena, "tok"),
				     .token_hash = ids_secret_hash(world_arena, tsecret), .user_id = uid,
				     .name = "fuzz", .hint = "fuzz", .created_at = FUZZ_NOW};
		st = store_token_insert(c, &t);
		if (st != STATUS_OK)
			world_die("an API token", st);
		w->bearer = arena_printf(world_arena, "Bearer %s.%s", w->demo.id, tsecret);
	}
}

world *world_new(void)
{
	log_set_level(LOG_ERROR);
	clock_test_set(FUZZ_NOW);
	world_draws = 0;
	if (!world_arena) {
		randombytes_set_implementation(&world_random_impl);
		if (sodium_init() < 0)
			world_die("sodium_init", STATUS_INTERNAL);
		world_arena = arena_new();
		char err[256];
		if (!auth_setup("off", "http://fuzz.test", err, sizeof(err)))
			world_die(err, STATUS_INVALID);
	}
	world *w = calloc(1, sizeof(*w));
	char err[256];
	status st = db_open("sqlite::memory:", 1, &w->db, err, sizeof(err));
	if (st != STATUS_OK)
		world_die(err, st);
	int applied = 0;
	st = migrate_up(w->db, &applied, err, sizeof(err));
	if (st != STATUS_OK)
		world_die(err, st);
	db_conn *c = db_acquire(w->db);
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(FUZZ_PASSWORD, hash) != STATUS_OK)
		world_die("password_hash", STATUS_INTERNAL);
	errlist errs = {0};
	st = demo_load(c, false, hash, FUZZ_NOW, world_arena, &errs, NULL, NULL);
	if (st != STATUS_OK)
		world_die(errs.count ? errs.e[0].field : "the demo", st);
	st = store_business_by_slug(c, "demo", world_arena, &w->demo);
	if (st != STATUS_OK)
		world_die("the demo business", st);
	world_user(w, c, WORLD_OWNER, "owner", "owner@demo.test");
	world_user(w, c, WORLD_ADMIN, "admin", "admin@demo.test");
	world_user(w, c, WORLD_STAFF, "staff", "staff@demo.test");
	st = db_memory_save(c, &w->image, &w->image_len);
	if (st != STATUS_OK)
		world_die("saving the database", st);
	w->draws = world_draws;
	if (getenv("FUZZ_TRACE"))
		fprintf(stderr, "fuzz: the world is %zu bytes\n", w->image_len);
	db_release(w->db, c);
	world_app = (app){.db = w->db, .public_url = "http://fuzz.test", .test_clock = false,
			  .notify = &world_notify};
	return w;
}

void world_free(world *w)
{
	if (!w)
		return;
	db_close(w->db);
	free(w->image);
	free(w);
}

void world_reset(world *w)
{
	db_conn *c = db_acquire(w->db);
	status st = db_memory_restore(c, w->image, w->image_len);
	db_release(w->db, c);
	if (st != STATUS_OK)
		world_die("restoring the database", st);
	world_draws = w->draws;
	clock_test_set(FUZZ_NOW);
	avail_cache_clear();
}

/* Decodes %XX (and '+' as a space when plus) in place like libmicrohttpd: a malformed
 * escape stays as it is; a decoded NUL ends the C string, as it does there. */
static void unescape(char *s, bool plus)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '%' && text_hex_digit(p[1]) >= 0 && text_hex_digit(p[2]) >= 0) {
			*o++ = (char)(text_hex_digit(p[1]) * 16 + text_hex_digit(p[2]));
			p += 2;
		} else {
			*o++ = plus && *p == '+' ? ' ' : *p;
		}
	}
	*o = '\0';
}

/* Splits a query string into decoded arguments (a name without '=' has no value). */
static int parse_query(arena *a, const char *q, http_pair *out, int max)
{
	int n = 0;
	while (*q && n < max) {
		size_t len = strcspn(q, "&");
		char *item = arena_strndup(a, q, len);
		char *eq = strchr(item, '=');
		if (eq)
			*eq = '\0';
		unescape(item, true);
		if (eq)
			unescape(eq + 1, true);
		out[n++] = (http_pair){.name = item, .value = eq ? eq + 1 : NULL};
		q += len;
		if (*q == '&')
			q++;
	}
	return n;
}

static const char *take_line(arena *a, const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	const uint8_t *stop = nl ? nl : end;
	const char *line = arena_strndup(a, (const char *)*p, (size_t)(stop - *p));
	*p = nl ? nl + 1 : end;
	return line;
}

static int world_one(world *w, const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	http_req r = {0};
	r.arena = arena_new();
	const char *first = take_line(r.arena, &p, end);
	const char *sp = strchr(first, ' ');
	if (!sp) {
		arena_free(r.arena);
		return 0;
	}
	r.method = arena_strndup(r.arena, first, (size_t)(sp - first));
	char *target = arena_strdup(r.arena, sp + 1);
	char *qm = strchr(target, '?');
	static http_pair args[WORLD_MAX_ARGS];
	if (qm) {
		*qm = '\0';
		r.nfixed_query = parse_query(r.arena, qm + 1, args, WORLD_MAX_ARGS);
		r.fixed_query = args;
	}
	unescape(target, false);
	r.path = target;

	static http_pair hdrs[WORLD_MAX_HEADERS + 3];
	int nh = 0;
	world_as as = WORLD_OWNER;
	while (p < end) {
		const char *line = take_line(r.arena, &p, end);
		if (*line == '\0')
			break;
		const char *colon = strchr(line, ':');
		if (!colon || nh == WORLD_MAX_HEADERS)
			continue;
		const char *v = colon + 1;
		while (*v == ' ')
			v++;
		const char *name = arena_strndup(r.arena, line, (size_t)(colon - line));
		if (strcasecmp(name, "As") == 0) {
			static const char *const names[] = {"nobody", "owner", "admin", "staff", "token"};
			for (int i = 0; i < 5; i++)
				if (strcmp(v, names[i]) == 0)
					as = (world_as)i;
			continue;
		}
		hdrs[nh++] = (http_pair){.name = name, .value = v};
	}
	if (as == WORLD_TOKEN) {
		hdrs[nh++] = (http_pair){.name = "Authorization", .value = w->bearer};
	} else if (as != WORLD_NOBODY) {
		hdrs[nh++] = (http_pair){.name = "Cookie", .value = w->cookie[as]};
		hdrs[nh++] = (http_pair){.name = "X-CSRF-Token", .value = w->csrf[as]};
	}
	r.fixed_headers = hdrs;
	r.nfixed_headers = nh;
	/* The body as the server holds it: its own NUL-terminated copy. */
	size_t blen = (size_t)(end - p);
	char *body = arena_alloc(r.arena, blen + 1);
	memcpy(body, p, blen);
	body[blen] = '\0';
	r.body = body;
	r.body_len = blen;
	r.app = &world_app;
	r.now = clock_now();
	r.client_addr = "127.0.0.1";
	snprintf(r.request_id, sizeof(r.request_id), "fuzz");

	static const http_server_config cfg = {.routes = NULL};
	http_server_config c = cfg;
	c.routes = API_ROUTES;
	c.nroutes = API_ROUTE_COUNT;
	c.test_routes = false;
	c.app = &world_app;
	c.authorize = auth_authorize;
	c.after = auth_after;
	c.settle = app_settle;
	http_dispatch(&c, &r);
	int code = r.code;
	if (db_lent(world_app.db) != 0) {
		/* The pool has one connection: one kept would also hang the next request. */
		fprintf(stderr, "fuzz: %s %s kept a database connection\n", r.method, r.path);
		abort();
	}
	if (code >= 500) {
		fprintf(stderr, "fuzz: %s %s answered %d: %.*s\n", r.method, r.path, code,
			(int)r.out.len, r.out.data ? r.out.data : "");
		abort();
	}
	/* FUZZ_TRACE=1: one line per request, for checking seeds; FUZZ_TRACE=full: whole bodies. */
	static int trace = -1;
	if (trace < 0)
		trace = !getenv("FUZZ_TRACE") ? 0 : strcmp(getenv("FUZZ_TRACE"), "full") == 0 ? 2 : 1;
	if (trace)
		fprintf(stderr, "fuzz: %s %s -> %d %.*s\n", r.method, r.path, code,
			(int)(trace == 1 && r.out.len > 300 ? 300 : r.out.len),
			r.out.data ? r.out.data : "");
	buf_free(&r.out);
	arena_free(r.arena);
	return code;
}

int world_request(world *w, const uint8_t *data, size_t size)
{
	static const char sep[] = "\n---\n";
	int code = 0;
	for (int i = 0; i < WORLD_MAX_REQUESTS && size > 0; i++) {
		const uint8_t *next = i + 1 < WORLD_MAX_REQUESTS
					      ? memmem(data, size, sep, sizeof(sep) - 1)
					      : NULL;
		size_t n = next ? (size_t)(next - data) : size;
		code = world_one(w, data, n);
		if (!next)
			break;
		size -= n + sizeof(sep) - 1;
		data = next + sizeof(sep) - 1;
	}
	return code;
}
