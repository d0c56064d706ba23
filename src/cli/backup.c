/* backup.c - `bookd backup` and `bookd restore`: a consistent copy of a SQLite database
 * taken while bookd serves, and putting one back (store/db.h: db_backup, db_restore). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/db.h"

/* Opens url without migrating: a backup must not change the database it copies, and a
 * restored one is migrated by the next `bookd serve`. */
static int open_plain(const char *url, db **out)
{
	char err[512];
	status st = db_open(url, 1, out, err, sizeof(err));
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd: %s\n", err);
		return st == STATUS_INVALID ? 2 : 1;
	}
	return 0;
}

static int run(const char *cmd, const char *url, const char *file, bool restore)
{
	if (strncmp(url, "postgres", 8) == 0) {
		fprintf(stderr, "bookd %s: for PostgreSQL use pg_dump and pg_restore, or a base "
				"backup with WAL archiving (README: Backups)\n", cmd);
		return 2;
	}
	db *d;
	int code = open_plain(url, &d);
	if (code)
		return code;
	char err[512] = "";
	status st = restore ? db_restore(d, file, err, sizeof(err)) : db_backup(d, file, err, sizeof(err));
	db_close(d);
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd %s: %s\n", cmd, err);
		return st == STATUS_INVALID ? 2 : 1;
	}
	printf(restore ? "restored %s from %s\n" : "backed up %s to %s\n", url, file);
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db", *to = "";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH"},
		{"--to", NULL, &to, "the backup file to write (replaced when it exists)"},
	};
	int code = 0;
	if (!cli_parse("backup",
		       "Copy a SQLite database to a file, consistent while bookd serves.", argc,
		       argv, flags, 2, &code))
		return code;
	if (!*to) {
		fprintf(stderr, "bookd backup: --to is required\n");
		return 2;
	}
	return run("backup", url, to, false);
}

int cmd_restore(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db", *from = "";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH (its content is replaced)"},
		{"--from", NULL, &from, "the backup file to read"},
	};
	int code = 0;
	if (!cli_parse("restore",
		       "Replace a SQLite database by a backup (stop bookd first).", argc, argv,
		       flags, 2, &code))
		return code;
	if (!*from) {
		fprintf(stderr, "bookd restore: --from is required\n");
		return 2;
	}
	return run("restore", url, from, true);
}
