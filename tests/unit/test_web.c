/* test_web.c - what the web app's file serving decides without HTTP: Accept-Encoding and
 * If-None-Match (http/encoding.c), names that may be served and content types
 * (api/webfiles.c), and the lookup in a directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/webfiles.h"
#include "http/encoding.h"

START_TEST(accept_encoding_q_values)
{
	ck_assert(http_accepts_encoding("gzip, deflate, br", "br"));
	ck_assert(http_accepts_encoding("gzip, deflate, br", "gzip"));
	ck_assert(http_accepts_encoding("GZIP", "gzip"));
	ck_assert(http_accepts_encoding("x-gzip", "gzip"));
	ck_assert(!http_accepts_encoding("gzip", "br"));
	ck_assert(!http_accepts_encoding("brotli", "br"));
	ck_assert(!http_accepts_encoding("br;q=0", "br"));
	ck_assert(!http_accepts_encoding("br; q=0.000, gzip", "br"));
	ck_assert(http_accepts_encoding("br;q=0.001", "br"));
	ck_assert(http_accepts_encoding("br ; q=0.5", "br"));
	ck_assert(http_accepts_encoding("br;Q=1.000", "br"));
	ck_assert(!http_accepts_encoding("br;q=1.5", "br")); /* malformed: ignored */
	ck_assert(http_accepts_encoding("*", "br"));
	ck_assert(!http_accepts_encoding("*;q=0", "gzip"));
	ck_assert(!http_accepts_encoding("*, gzip;q=0", "gzip")); /* named wins over * */
	ck_assert(http_accepts_encoding("br;q=0, *", "gzip"));
	ck_assert(!http_accepts_encoding("identity", "gzip"));
	ck_assert(!http_accepts_encoding("", "gzip"));
	ck_assert(!http_accepts_encoding(NULL, "gzip"));
	ck_assert(!http_accepts_encoding("gzipx, xbr", "br"));
	ck_assert(!http_accepts_encoding("gzipx, xbr", "gzip"));
}
END_TEST

START_TEST(if_none_match)
{
	ck_assert(http_etag_matches("\"ab\"", "\"ab\""));
	ck_assert(http_etag_matches("\"x\", W/\"ab\"", "\"ab\""));
	ck_assert(http_etag_matches("*", "\"ab\""));
	ck_assert(!http_etag_matches("\"abc\"", "\"ab\""));
	ck_assert(!http_etag_matches("ab", "\"ab\""));
	ck_assert(!http_etag_matches("\"ab", "\"ab\""));
	ck_assert(!http_etag_matches(NULL, "\"ab\""));
}
END_TEST

START_TEST(paths_that_may_be_served)
{
	ck_assert(webfiles_path_ok("index.html"));
	ck_assert(webfiles_path_ok("assets/app-3F9a_x.js"));
	ck_assert(webfiles_path_ok("icons/icon-192.png"));
	ck_assert(!webfiles_path_ok(""));
	ck_assert(!webfiles_path_ok(NULL));
	ck_assert(!webfiles_path_ok(".."));
	ck_assert(!webfiles_path_ok("assets/.."));
	ck_assert(!webfiles_path_ok("assets/../../etc/passwd"));
	ck_assert(!webfiles_path_ok("/etc/passwd"));
	ck_assert(!webfiles_path_ok(".env"));
	ck_assert(!webfiles_path_ok("assets/.hidden"));
	ck_assert(!webfiles_path_ok("assets//x.js"));
	ck_assert(!webfiles_path_ok("assets/"));
	ck_assert(!webfiles_path_ok("a\\b"));
	ck_assert(!webfiles_path_ok("a b"));
	ck_assert(!webfiles_path_ok("a%2e"));
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert(!webfiles_path_ok(longname));
}
END_TEST

START_TEST(content_types)
{
	ck_assert_str_eq(webfiles_content_type("a.js"), "text/javascript; charset=utf-8");
	ck_assert_str_eq(webfiles_content_type("a.css"), "text/css; charset=utf-8");
	ck_assert_str_eq(webfiles_content_type("index.html"), "text/html; charset=utf-8");
	ck_assert_str_eq(webfiles_content_type("i.svg"), "image/svg+xml");
	ck_assert_str_eq(webfiles_content_type("i.png"), "image/png");
	ck_assert_str_eq(webfiles_content_type("manifest.webmanifest"),
	                 "application/manifest+json");
	ck_assert_str_eq(webfiles_content_type("a.json"), "application/json");
	ck_assert_str_eq(webfiles_content_type("f.woff2"), "font/woff2");
	ck_assert_str_eq(webfiles_content_type("favicon.ico"), "image/x-icon");
	ck_assert_str_eq(webfiles_content_type("x.bin"), "application/octet-stream");
}
END_TEST

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(variants_from_a_directory)
{
	char dir[] = "/tmp/bookd-webfiles-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	put(dir, "a.js", "plain");
	put(dir, "a.js.gz", "gz");
	put(dir, "a.js.br", "br");
	put(dir, "b.css", "only plain");
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	arena *a = arena_new();
	webfile f;
	ck_assert_int_eq(webfiles_find(dir, "a.js", "gzip, br", a, &f), STATUS_OK);
	ck_assert_str_eq(f.encoding, "br");
	ck_assert_int_eq((int)f.len, 2);
	ck_assert_str_eq(f.content_type, "text/javascript; charset=utf-8");
	ck_assert_int_eq(webfiles_find(dir, "a.js", "gzip, br;q=0", a, &f), STATUS_OK);
	ck_assert_str_eq(f.encoding, "gzip");
	ck_assert_int_eq(webfiles_find(dir, "a.js", NULL, a, &f), STATUS_OK);
	ck_assert_ptr_null(f.encoding);
	ck_assert_int_eq((int)f.len, 5);
	const char *plain_etag = f.etag;
	ck_assert_int_eq(webfiles_find(dir, "a.js", "br", a, &f), STATUS_OK);
	ck_assert_str_ne(f.etag, plain_etag); /* each variant its own tag */
	ck_assert_int_eq(webfiles_find(dir, "b.css", "br, gzip", a, &f), STATUS_OK);
	ck_assert_ptr_null(f.encoding);
	ck_assert_int_eq(webfiles_find(dir, "a.js.gz", NULL, a, &f), STATUS_NOT_FOUND);
	ck_assert_int_eq(webfiles_find(dir, "sub", NULL, a, &f), STATUS_NOT_FOUND);
	ck_assert_int_eq(webfiles_find(dir, "missing.js", NULL, a, &f), STATUS_NOT_FOUND);
	ck_assert_int_eq(webfiles_find(dir, "../etc/passwd", NULL, a, &f), STATUS_NOT_FOUND);
	arena_free(a);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* The table compiled in (empty when web/dist was not built): sorted for the binary search,
 * each row findable, each tag quoted. */
START_TEST(embedded_table_is_sorted_and_found)
{
	arena *a = arena_new();
	for (size_t i = 0; i < WEBFILES_EMBEDDED_COUNT; i++) {
		const webfile_embedded *e = &WEBFILES_EMBEDDED[i];
		if (i > 0)
			ck_assert_msg(strcmp(WEBFILES_EMBEDDED[i - 1].path, e->path) < 0, "%s", e->path);
		ck_assert(webfiles_path_ok(e->path));
		ck_assert(e->etag[0] == '"' && e->etag[strlen(e->etag) - 1] == '"');
		size_t n = strlen(e->path);
		bool variant = n > 3 && (strcmp(e->path + n - 3, ".gz") == 0 ||
					 strcmp(e->path + n - 3, ".br") == 0);
		webfile f;
		ck_assert_int_eq(webfiles_find(NULL, e->path, NULL, a, &f),
				 variant ? STATUS_NOT_FOUND : STATUS_OK);
		if (!variant)
			ck_assert(f.is_static && f.data == e->data && f.len == e->len);
	}
	webfile f;
	ck_assert_int_eq(webfiles_find(NULL, "no-such-file.js", "br, gzip", a, &f), STATUS_NOT_FOUND);
	arena_free(a);
}
END_TEST

Suite *web_suite(void)
{
	Suite *s = suite_create("web");
	TCase *tc = tcase_create("web");
	tcase_add_test(tc, accept_encoding_q_values);
	tcase_add_test(tc, if_none_match);
	tcase_add_test(tc, paths_that_may_be_served);
	tcase_add_test(tc, content_types);
	tcase_add_test(tc, variants_from_a_directory);
	tcase_add_test(tc, embedded_table_is_sorted_and_found);
	suite_add_tcase(s, tc);
	return s;
}
