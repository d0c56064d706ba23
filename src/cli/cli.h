/* cli.h - the bookd commands: each parses its flags (and BOOKD_* variables) and runs.
 * Every command returns the process exit code: 0 ok, 1 failure, 2 bad usage. */
#ifndef BOOKD_CLI_H
#define BOOKD_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/errlist.h"
#include "base/status.h"
#include "store/db.h"

#define BOOKD_VERSION "0.1.0"

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* cli/backup.c */
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
/* cli/user.c */
int cmd_user(int argc, char **argv);
int cmd_business(int argc, char **argv);
int cmd_routes(int argc, char **argv);

/* cli/demo.c: loads the demo business (slug "demo") through c: its configuration as of
 * now (class sessions for four weeks from today), an owner owner@demo.test whose password
 * hashes to owner_hash, and a week of confirmed bookings, in two transactions (the
 * configuration, then the rest). With replace an existing demo business is replaced,
 * without it is STATUS_CONFLICT. STATUS_INVALID with errs filled if the document is
 * refused. *business_id_out (may be NULL) gets the business id in a, *bookings_out (may be
 * NULL) the number of bookings made. For `bookd demo` and the fuzz targets (fuzz/). */
status demo_load(db_conn *c, bool replace, const char *owner_hash, int64_t now, arena *a,
		 errlist *errs, const char **business_id_out, int *bookings_out);

/* Flag parsing shared by the commands. */
typedef struct cli_flag {
	const char *name;  /* "--listen" */
	const char *env;   /* "BOOKD_LISTEN" or NULL */
	const char **value; /* where the value goes; preset with the default */
	const char *help;  /* one line for --help */
} cli_flag;

/* Reads env defaults, then argv flags ("--name VALUE" or "--name=VALUE"). On "--help"
 * prints usage and returns 0 through *exit_code with false; on a bad flag prints one line
 * and returns false with *exit_code 2. True when the command should run. */
bool cli_parse(const char *cmd, const char *summary, int argc, char **argv, cli_flag *flags,
	       int nflags, int *exit_code);

/* Opens the database named by url and applies migrations; prints a one-line error and
 * returns the exit code (2 for a bad URL, 1 otherwise) on failure, 0 on success. */
struct db;
int cli_open_db(const char *url, int pool, struct db **out);

#endif
