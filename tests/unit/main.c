/* main.c - runs every unit-test suite (the list is generated from the files in tests/unit) and ends
 * with one "unit: N passed, N failed" line. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/xalloc.h"

#define X(name) Suite *name(void);
#include "unit_suites.h"
#undef X

int main(void)
{
	json_set_alloc_funcs(xmalloc, free); /* as bookd's main does */
	SRunner *sr = srunner_create(NULL);
#define X(name) srunner_add_suite(sr, name());
#include "unit_suites.h"
#undef X
	srunner_run_all(sr, CK_NORMAL);
	int run = srunner_ntests_run(sr);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	const char *name = getenv("BOOKD_SUITE");
	printf("%s: %d passed, %d failed\n", name && *name ? name : "unit", run - failed, failed);
	return failed ? 1 : 0;
}
