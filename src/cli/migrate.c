/* migrate.c - `bookd migrate`: apply pending schema migrations and say how many ran. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"

int cmd_migrate(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH or postgres://..."},
	};
	int code = 0;
	if (!cli_parse("migrate", "Apply pending schema migrations.", argc, argv, flags, 1, &code))
		return code;
	char err[512];
	db *d;
	status st = db_open(url, 1, &d, err, sizeof(err));
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd migrate: %s\n", err);
		return st == STATUS_INVALID ? 2 : 1;
	}
	int applied = 0;
	st = migrate_up(d, &applied, err, sizeof(err));
	db_close(d);
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd migrate: %s\n", err);
		return 1;
	}
	printf("migrations applied: %d (schema version %d)\n", applied,
	       MIGRATIONS[MIGRATION_COUNT - 1].version);
	return 0;
}
