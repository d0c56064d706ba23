/* flags.c - flag and environment parsing, and opening the database, for every command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"

static void cli_usage(const char *cmd, const char *summary, const cli_flag *flags, int nflags)
{
	printf("usage: bookd %s [flags]\n\n%s\n\n", cmd, summary);
	for (int i = 0; i < nflags; i++) {
		printf("  %-16s %s", flags[i].name, flags[i].help);
		if (flags[i].env)
			printf(" [$%s]", flags[i].env);
		if (*flags[i].value)
			printf(" (default %s)", *flags[i].value);
		printf("\n");
	}
	printf("  %-16s %s\n", "--help", "show this help");
}

bool cli_parse(const char *cmd, const char *summary, int argc, char **argv, cli_flag *flags,
	       int nflags, int *exit_code)
{
	for (int i = 0; i < nflags; i++) {
		const char *v = flags[i].env ? getenv(flags[i].env) : NULL;
		if (v && *v)
			*flags[i].value = v;
	}
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			cli_usage(cmd, summary, flags, nflags);
			*exit_code = 0;
			return false;
		}
		const char *eq = strchr(arg, '=');
		size_t nl = eq ? (size_t)(eq - arg) : strlen(arg);
		int found = -1;
		for (int f = 0; f < nflags; f++)
			if (strlen(flags[f].name) == nl && strncmp(flags[f].name, arg, nl) == 0)
				found = f;
		if (found < 0) {
			fprintf(stderr, "bookd %s: unknown flag '%s' (see bookd %s --help)\n", cmd, arg,
				cmd);
			*exit_code = 2;
			return false;
		}
		if (eq) {
			*flags[found].value = eq + 1;
		} else if (i + 1 < argc) {
			*flags[found].value = argv[++i];
		} else {
			fprintf(stderr, "bookd %s: flag %s needs a value\n", cmd, arg);
			*exit_code = 2;
			return false;
		}
	}
	return true;
}

int cli_open_db(const char *url, int pool, db **out)
{
	char err[512];
	status st = db_open(url, pool, out, err, sizeof(err));
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd: %s\n", err);
		return st == STATUS_INVALID ? 2 : 1;
	}
	int applied = 0;
	st = migrate_up(*out, &applied, err, sizeof(err));
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd: migration failed: %s\n", err);
		db_close(*out);
		*out = NULL;
		return 1;
	}
	return 0;
}
