/* main.c - bookd's entry point: picks the command and hands over. Only wiring here. */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "cli/cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: bookd COMMAND [flags]\n\n"
		   "commands:\n"
		   "  serve     serve the API, booking page and dashboard\n"
		   "  migrate   apply pending schema migrations\n"
		   "  demo      load the demo business (slug 'demo')\n"
		   "  import    create a business from a configuration document\n"
		   "  export    print a business's configuration document\n"
		   "  backup    copy the SQLite database to a file while serving\n"
		   "  restore   replace the SQLite database by a backup\n"
		   "  business  add a business (business add --slug S --name N --timezone Z)\n"
		   "  user      add a staff user (user add --business S --email E --role R)\n"
		   "  routes    print the route table as JSON lines\n"
		   "  version   print the version\n\n"
		   "`bookd COMMAND --help` describes each command's flags.\n");
}

int main(int argc, char **argv)
{
	curl_global_init(CURL_GLOBAL_DEFAULT); /* once, before any thread */
	/* jansson allocates through the x wrappers too: out of memory aborts in one place, so no
	 * NULL from a json_* constructor is an untested branch. */
	json_set_alloc_funcs(xmalloc, free);
	if (sodium_init() < 0) {
		fprintf(stderr, "bookd: libsodium failed to initialise\n");
		return 1;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 2, argv + 2);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(argc - 2, argv + 2);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(argc - 2, argv + 2);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc - 2, argv + 2);
	if (strcmp(cmd, "export") == 0)
		return cmd_export(argc - 2, argv + 2);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc - 2, argv + 2);
	if (strcmp(cmd, "restore") == 0)
		return cmd_restore(argc - 2, argv + 2);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc - 2, argv + 2);
	if (strcmp(cmd, "business") == 0)
		return cmd_business(argc - 2, argv + 2);
	if (strcmp(cmd, "routes") == 0)
		return cmd_routes(argc - 2, argv + 2);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		if (argc > 2 && strcmp(argv[2], "--help") == 0) {
			printf("usage: bookd version\n\nPrint the version.\n");
			return 0;
		}
		printf("bookd %s\n", BOOKD_VERSION);
		return 0;
	}
	fprintf(stderr, "bookd: unknown command '%s' (see bookd --help)\n", cmd);
	return 2;
}
