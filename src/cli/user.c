/* user.c - `bookd user add`, `bookd business add` and `bookd routes`: creating the first
 * business and its owner from a shell, and printing the route table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/credentials.h"
#include "api/password.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/ids.h"
#include "cli/cli.h"
#include "core/tz.h"
#include "store/business.h"
#include "store/db.h"
#include "store/user.h"

/* Reads one line of at most max bytes from f into out, without its line end. False on end
 * of file before any byte, or a line too long. */
static bool read_line(FILE *f, char *out, size_t max)
{
	if (!fgets(out, (int)max, f))
		return false;
	size_t n = strlen(out);
	bool ended = n && out[n - 1] == '\n';
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if (!ended && !feof(f))
		return false;
	return true;
}

/* Asks on the terminal with echo off. */
static bool ask_hidden(const char *prompt, char *out, size_t max)
{
	FILE *tty = fopen("/dev/tty", "r+");
	FILE *in = tty ? tty : stdin;
	FILE *msg = tty ? tty : stderr;
	struct termios old, quiet;
	bool restore = tcgetattr(fileno(in), &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(in), TCSAFLUSH, &quiet);
	}
	fputs(prompt, msg);
	fflush(msg);
	bool ok = read_line(in, out, max);
	if (restore)
		tcsetattr(fileno(in), TCSAFLUSH, &old);
	fputs("\n", msg);
	if (tty)
		fclose(tty);
	return ok;
}

/* The password: asked twice on a terminal, else one line of standard input. */
static bool read_password(char *pw, size_t max)
{
	if (!isatty(STDIN_FILENO))
		return read_line(stdin, pw, max);
	char again[PASSWORD_MAX_LEN + 2];
	if (!ask_hidden("password: ", pw, max) || !ask_hidden("again: ", again, sizeof(again)))
		return false;
	bool same = strcmp(pw, again) == 0;
	sodium_memzero(again, sizeof(again));
	if (!same)
		fprintf(stderr, "bookd user add: the passwords differ\n");
	return same;
}

static int user_add(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db", *slug = "", *email_in = "", *role_s = "", *name = "";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH or postgres://..."},
		{"--business", NULL, &slug, "the business's slug"},
		{"--email", NULL, &email_in, "the login email"},
		{"--role", NULL, &role_s, "owner, admin or staff"},
		{"--name", NULL, &name, "display name"},
	};
	int code = 0;
	if (!cli_parse("user add",
		       "Add a staff user. The password is asked on the terminal without echo, or\n"
		       "read as one line from standard input when it is not a terminal.",
		       argc, argv, flags, (int)(sizeof(flags) / sizeof(flags[0])), &code))
		return code;
	char email[256];
	role rl;
	if (!*slug || !cred_email_norm(email_in, email, sizeof(email)) || !role_parse(role_s, &rl)) {
		fprintf(stderr, "bookd user add: --business SLUG, --email ADDRESS and --role "
				"owner|admin|staff are required\n");
		return 2;
	}
	char pw[PASSWORD_MAX_LEN + 2];
	if (!read_password(pw, sizeof(pw))) {
		fprintf(stderr, "bookd user add: no password read\n");
		return 1;
	}
	if (!password_acceptable(pw)) {
		sodium_memzero(pw, sizeof(pw));
		fprintf(stderr, "bookd user add: the password must be %d to %d bytes\n",
			PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
		return 2;
	}
	char hash[PASSWORD_HASH_MAX];
	status st = password_hash(pw, hash);
	sodium_memzero(pw, sizeof(pw));
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd user add: the password could not be hashed\n");
		return 1;
	}
	db *d = NULL;
	code = cli_open_db(url, 1, &d);
	if (code)
		return code;
	arena *a = arena_new();
	db_conn *c = db_acquire(d);
	business b;
	st = store_business_by_slug(c, slug, a, &b);
	staff_user u = {.id = ids_new(a, "usr"), .email = email, .name = name,
			.role = role_name(rl), .password_hash = hash, .created_at = clock_now()};
	if (st == STATUS_OK) {
		u.business_id = b.id;
		st = store_user_insert(c, &u);
	}
	if (st == STATUS_NOT_FOUND)
		fprintf(stderr, "bookd user add: no business '%s'\n", slug);
	else if (st == STATUS_CONFLICT)
		fprintf(stderr, "bookd user add: '%s' already has a user in '%s'\n", email, slug);
	else if (st != STATUS_OK)
		fprintf(stderr, "bookd user add: %s\n", db_error(c));
	else
		printf("user %s (%s, %s) added to %s\n", u.id, email, u.role, slug);
	db_release(d, c);
	db_close(d);
	arena_free(a);
	return st == STATUS_OK ? 0 : 1;
}

int cmd_user(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		printf("usage: bookd user add --business SLUG --email E --role owner|admin|staff "
		       "[--name N] [--db URL]\n");
		return 0;
	}
	fprintf(stderr, "bookd user: expected 'add' (see bookd user --help)\n");
	return 2;
}

static bool slug_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static int business_add(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db", *slug = "", *name = "", *zone = "";
	const char *currency = "EUR", *locale = "en";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH or postgres://..."},
		{"--slug", NULL, &slug, "URL name: a-z, 0-9 and '-'"},
		{"--name", NULL, &name, "display name"},
		{"--timezone", NULL, &zone, "IANA zone, e.g. Europe/London"},
		{"--currency", NULL, &currency, "ISO 4217 code"},
		{"--locale", NULL, &locale, "BCP 47 tag"},
	};
	int code = 0;
	if (!cli_parse("business add", "Add a business (then `bookd user add` its owner).", argc,
		       argv, flags, (int)(sizeof(flags) / sizeof(flags[0])), &code))
		return code;
	if (!slug_ok(slug) || !*name || !*zone) {
		fprintf(stderr, "bookd business add: --slug (a-z, 0-9, '-'), --name and --timezone "
				"are required\n");
		return 2;
	}
	if (!tz_get(zone)) {
		fprintf(stderr, "bookd business add: unknown time zone '%s'\n", zone);
		return 2;
	}
	bool cur_ok = strlen(currency) == 3;
	for (int i = 0; cur_ok && i < 3; i++)
		cur_ok = currency[i] >= 'A' && currency[i] <= 'Z';
	if (!cur_ok || !*locale || strlen(locale) > 35) {
		fprintf(stderr, "bookd business add: --currency must be three capitals (EUR), "
				"--locale a language tag\n");
		return 2;
	}
	db *d = NULL;
	code = cli_open_db(url, 1, &d);
	if (code)
		return code;
	arena *a = arena_new();
	business b = {.id = ids_new(a, "biz"), .slug = slug, .name = name, .timezone = zone,
		      .currency = currency, .locale = locale, .address = "", .phone = "",
		      .hold_ttl_s = 600, .no_show_grace_s = 900, .created_at = clock_now()};
	db_conn *c = db_acquire(d);
	status st = store_business_insert(c, &b);
	if (st == STATUS_CONFLICT)
		fprintf(stderr, "bookd business add: the slug '%s' is taken\n", slug);
	else if (st != STATUS_OK)
		fprintf(stderr, "bookd business add: %s\n", db_error(c));
	else
		printf("business %s (%s) added\n", b.id, slug);
	db_release(d, c);
	db_close(d);
	arena_free(a);
	return st == STATUS_OK ? 0 : 1;
}

int cmd_business(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return business_add(argc - 1, argv + 1);
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		printf("usage: bookd business add --slug S --name N --timezone Z [--currency EUR] "
		       "[--locale en] [--db URL]\n");
		return 0;
	}
	fprintf(stderr, "bookd business: expected 'add' (see bookd business --help)\n");
	return 2;
}

static const char *auth_level_name(http_auth a)
{
	switch (a) {
	case AUTH_PUBLIC: return "public";
	case AUTH_STAFF: return "staff";
	case AUTH_ADMIN: return "admin";
	case AUTH_OWNER: return "owner";
	case AUTH_TEST: return "test";
	}
	return "public";
}

int cmd_routes(int argc, char **argv)
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		printf("usage: bookd routes\n\nPrint the route table, one JSON object a line: "
		       "{\"method\",\"pattern\",\"auth\"}.\n");
		return 0;
	}
	if (argc > 0) {
		fprintf(stderr, "bookd routes: takes no arguments\n");
		return 2;
	}
	for (size_t i = 0; i < API_ROUTE_COUNT; i++) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "method", API_ROUTES[i].method, "pattern",
				      API_ROUTES[i].pattern, "auth",
				      auth_level_name(API_ROUTES[i].auth));
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER); /* NULL when o is */
		json_decref(o);
		if (!s) {
			fprintf(stderr, "bookd routes: route %zu could not be written\n", i);
			return 1;
		}
		printf("%s\n", s);
		free(s);
	}
	return 0;
}
