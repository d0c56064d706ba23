/* test_sealed.c - secrets at rest: sealing round trips, the wrong key refused, key loading
 * from the environment and from a key file made with mode 0600. */
#include <check.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sealed.h"

/* A fresh temporary directory (malloc'd path). */
static char *temp_dir(void)
{
	char *d = strdup("/tmp/bookd-sealed-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static void use_key_byte(unsigned char b)
{
	unsigned char k[SEALED_KEY_BYTES];
	memset(k, b, sizeof(k));
	sealed_use_key(k);
}

START_TEST(seal_round_trip)
{
	use_key_byte(7);
	char err[256];
	char *box = NULL, *plain = NULL;
	ck_assert_int_eq(sealed_seal("app-password 1234", &box, err, sizeof(err)), STATUS_OK);
	ck_assert(strncmp(box, "v1:", 3) == 0);
	ck_assert_ptr_null(strstr(box, "app-password")); /* the plain text is not in the box */
	ck_assert_int_eq(sealed_open(box, &plain, err, sizeof(err)), STATUS_OK);
	ck_assert_str_eq(plain, "app-password 1234");
	sealed_free(plain);
	/* A fresh nonce each time: the same secret seals differently. */
	char *box2 = NULL;
	ck_assert_int_eq(sealed_seal("app-password 1234", &box2, err, sizeof(err)), STATUS_OK);
	ck_assert_str_ne(box, box2);
	/* The empty secret round-trips too. */
	char *empty = NULL;
	ck_assert_int_eq(sealed_seal("", &empty, err, sizeof(err)), STATUS_OK);
	ck_assert_int_eq(sealed_open(empty, &plain, err, sizeof(err)), STATUS_OK);
	ck_assert_str_eq(plain, "");
	sealed_free(plain);
	free(empty);
	free(box2);
	free(box);
	sealed_forget();
}
END_TEST

START_TEST(open_refuses_wrong_key_and_junk)
{
	use_key_byte(1);
	char err[256];
	char *box = NULL, *plain = NULL;
	ck_assert_int_eq(sealed_seal("s3cret", &box, err, sizeof(err)), STATUS_OK);
	use_key_byte(2);
	err[0] = '\0';
	ck_assert_int_eq(sealed_open(box, &plain, err, sizeof(err)), STATUS_FORBIDDEN);
	ck_assert_ptr_null(plain);
	ck_assert_ptr_nonnull(strstr(err, "another key"));
	ck_assert_ptr_null(strstr(err, "s3cret"));
	use_key_byte(1);
	/* One changed character of the cipher text is refused as well. */
	size_t n = strlen(box);
	box[n - 5] = box[n - 5] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(sealed_open(box, &plain, err, sizeof(err)), STATUS_FORBIDDEN);
	ck_assert_int_eq(sealed_open("s3cret", &plain, err, sizeof(err)), STATUS_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "v1:"));
	ck_assert_int_eq(sealed_open("v1:!!!!", &plain, err, sizeof(err)), STATUS_INVALID);
	ck_assert_int_eq(sealed_open("v1:AAAA", &plain, err, sizeof(err)), STATUS_INVALID);
	ck_assert_ptr_null(plain);
	free(box);
	sealed_forget();
	ck_assert(!sealed_ready());
	ck_assert_int_eq(sealed_seal("x", &box, err, sizeof(err)), STATUS_INTERNAL);
	ck_assert_ptr_null(box);
}
END_TEST

START_TEST(key_from_environment)
{
	char err[256];
	unsigned char raw[SEALED_KEY_BYTES];
	memset(raw, 9, sizeof(raw));
	char b64[64];
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
	ck_assert_int_eq(sealed_load(b64, "/nonexistent/never/made.key", "sqlite:x.db", NULL, err,
				     sizeof(err)),
			 STATUS_OK);
	char *box = NULL, *plain = NULL;
	ck_assert_int_eq(sealed_seal("pw", &box, err, sizeof(err)), STATUS_OK);
	use_key_byte(9); /* the same 32 bytes given directly open it */
	ck_assert_int_eq(sealed_open(box, &plain, err, sizeof(err)), STATUS_OK);
	ck_assert_str_eq(plain, "pw");
	sealed_free(plain);
	free(box);
	sealed_forget();
	/* 31 bytes, or not base64 at all: refused, naming the variable, no key loaded. */
	sodium_bin2base64(b64, sizeof(b64), raw, 31, sodium_base64_VARIANT_ORIGINAL);
	ck_assert_int_eq(sealed_load(b64, NULL, "sqlite:x.db", NULL, err, sizeof(err)),
			 STATUS_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "BOOKD_SECRET_KEY"));
	ck_assert_int_eq(sealed_load("not a key", NULL, "sqlite:x.db", NULL, err, sizeof(err)),
			 STATUS_INVALID);
	ck_assert(!sealed_ready());
}
END_TEST

START_TEST(key_file_made_once_with_0600)
{
	char err[256];
	char *dir = temp_dir();
	char *db = join(dir, "bookd.db");
	size_t ul = strlen(db) + 8;
	char *url = malloc(ul);
	snprintf(url, ul, "sqlite:%s", db);
	char *path = sealed_default_path(url);
	char *want = join(dir, "bookd-secret.key");
	ck_assert_str_eq(path, want);
	bool created = false;
	ck_assert_int_eq(sealed_load(NULL, NULL, url, &created, err, sizeof(err)), STATUS_OK);
	ck_assert(created);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	char *box = NULL, *plain = NULL;
	ck_assert_int_eq(sealed_seal("token", &box, err, sizeof(err)), STATUS_OK);
	sealed_forget();
	/* A second start reads the same key: what was sealed opens. */
	ck_assert_int_eq(sealed_load("", "", url, &created, err, sizeof(err)), STATUS_OK);
	ck_assert(!created);
	ck_assert_int_eq(sealed_open(box, &plain, err, sizeof(err)), STATUS_OK);
	ck_assert_str_eq(plain, "token");
	sealed_free(plain);
	sealed_forget();
	/* A key file others can read is refused. */
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(sealed_load(NULL, NULL, url, NULL, err, sizeof(err)), STATUS_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	ck_assert(!sealed_ready());
	/* Another key file (by path): another key, and the old box says so. */
	char *other = join(dir, "sub/dir/other.key");
	ck_assert_int_eq(sealed_load(NULL, other, url, &created, err, sizeof(err)), STATUS_OK);
	ck_assert(created);
	ck_assert_int_eq(sealed_open(box, &plain, err, sizeof(err)), STATUS_FORBIDDEN);
	sealed_forget();
	/* A key file with junk in it. */
	int fd = open(other, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "short\n", 6), 6);
	close(fd);
	ck_assert_int_eq(sealed_load(NULL, other, url, NULL, err, sizeof(err)), STATUS_INVALID);
	ck_assert_ptr_nonnull(strstr(err, other));
	unlink(other);
	unlink(path);
	char *d1 = join(dir, "sub/dir");
	char *d2 = join(dir, "sub");
	rmdir(d1);
	rmdir(d2);
	rmdir(dir);
	free(d1);
	free(d2);
	free(other);
	free(box);
	free(want);
	free(path);
	free(url);
	free(db);
	free(dir);
}
END_TEST

START_TEST(default_paths)
{
	char *p = sealed_default_path("sqlite:bookd.db");
	ck_assert_str_eq(p, "bookd-secret.key");
	free(p);
	p = sealed_default_path("sqlite:///var/lib/bookd/bookd.db");
	ck_assert_str_eq(p, "/var/lib/bookd/bookd-secret.key");
	free(p);
	p = sealed_default_path("sqlite:/x.db");
	ck_assert_str_eq(p, "/bookd-secret.key");
	free(p);
	char *saved_state = getenv("STATE_DIRECTORY") ? strdup(getenv("STATE_DIRECTORY")) : NULL;
	setenv("STATE_DIRECTORY", "/var/lib/bookd:/other", 1);
	p = sealed_default_path("postgres://u@h/db");
	ck_assert_str_eq(p, "/var/lib/bookd/secret.key");
	free(p);
	unsetenv("STATE_DIRECTORY");
	char *saved_xdg = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
	setenv("XDG_STATE_HOME", "/home/u/.state", 1);
	p = sealed_default_path("postgresql://u@h/db");
	ck_assert_str_eq(p, "/home/u/.state/bookd/secret.key");
	free(p);
	if (saved_xdg)
		setenv("XDG_STATE_HOME", saved_xdg, 1);
	else
		unsetenv("XDG_STATE_HOME");
	if (saved_state)
		setenv("STATE_DIRECTORY", saved_state, 1);
	free(saved_xdg);
	free(saved_state);
}
END_TEST

Suite *sealed_suite(void)
{
	Suite *s = suite_create("sealed");
	TCase *tc = tcase_create("sealed");
	tcase_add_test(tc, seal_round_trip);
	tcase_add_test(tc, open_refuses_wrong_key_and_junk);
	tcase_add_test(tc, key_from_environment);
	tcase_add_test(tc, key_file_made_once_with_0600);
	tcase_add_test(tc, default_paths);
	suite_add_tcase(s, tc);
	return s;
}
