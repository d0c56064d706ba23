/* test_routes.c - the router's table and docs/openapi.json describe the same routes. */
#include <check.h>
#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "api/app.h"
#include "base/arena.h"
#include "http/router.h"

static json_t *openapi_load(void)
{
	json_error_t err;
	json_t *doc = json_load_file("docs/openapi.json", 0, &err);
	ck_assert_msg(doc != NULL, "docs/openapi.json: %s (line %d)", err.text, err.line);
	return doc;
}

START_TEST(every_route_is_documented)
{
	json_t *doc = openapi_load();
	json_t *paths = json_object_get(doc, "paths"); /* borrowed */
	for (size_t i = 0; i < API_ROUTE_COUNT; i++) {
		char method[8];
		size_t n = strlen(API_ROUTES[i].method);
		for (size_t j = 0; j <= n; j++)
			method[j] = (char)tolower((unsigned char)API_ROUTES[i].method[j]);
		json_t *item = json_object_get(paths, API_ROUTES[i].pattern);
		ck_assert_msg(item && json_object_get(item, method), "%s %s is not in docs/openapi.json",
			      API_ROUTES[i].method, API_ROUTES[i].pattern);
	}
	json_decref(doc);
}
END_TEST

START_TEST(every_documented_route_exists)
{
	json_t *doc = openapi_load();
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		const char *m;
		json_t *op;
		json_object_foreach(item, m, op) {
			if (strcmp(m, "parameters") == 0)
				continue;
			bool found = false;
			for (size_t i = 0; i < API_ROUTE_COUNT && !found; i++)
				found = strcmp(API_ROUTES[i].pattern, path) == 0 &&
					strcasecmp(API_ROUTES[i].method, m) == 0;
			ck_assert_msg(found, "docs/openapi.json has %s %s but the router does not", m, path);
		}
	}
	json_decref(doc);
}
END_TEST

START_TEST(router_matches_parameters)
{
	arena *a = arena_new();
	router_params p;
	int i = router_match(API_ROUTES, API_ROUTE_COUNT, "GET", "/api/v1/public/demo%2Dx/services",
			     a, &p);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(API_ROUTES[i].pattern, "/api/v1/public/{business}/services");
	ck_assert_int_eq(p.count, 1);
	ck_assert_str_eq(p.values[0], "demo-x");
	ck_assert_int_eq(router_match(API_ROUTES, API_ROUTE_COUNT, "DELETE", "/healthz", a, &p), -2);
	ck_assert_int_eq(router_match(API_ROUTES, API_ROUTE_COUNT, "GET", "/healthz/x", a, &p), -1);
	ck_assert_int_eq(router_match(API_ROUTES, API_ROUTE_COUNT, "GET", "/api/v1/public//services", a, &p), -1);
	/* An encoded slash never splits a segment. */
	ck_assert_int_eq(router_match(API_ROUTES, API_ROUTE_COUNT, "GET", "/api/v1/public/a%2Fb", a, &p), -1);
	arena_free(a);
}
END_TEST

Suite *routes_suite(void)
{
	Suite *s = suite_create("routes");
	TCase *tc = tcase_create("routes");
	tcase_add_test(tc, every_route_is_documented);
	tcase_add_test(tc, every_documented_route_exists);
	tcase_add_test(tc, router_matches_parameters);
	suite_add_tcase(s, tc);
	return s;
}
