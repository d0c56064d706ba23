/* test_password.c - argon2id hashing and the hashing pool: its bounded queue refuses past
 * its size, a better-ranked task displaces the worst waiting one, tasks run best rank first,
 * and without a pool the work runs on the caller's thread. */
#include <check.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "api/password.h"

#define UNSET ((status)-1)

static int resumed; /* resume calls seen on the caller's thread */

static void on_resume(http_req *r, void *arg)
{
	(void)r;
	(void)arg;
	resumed++;
}

static status result_of(password_task *t)
{
	return __atomic_load_n(&t->result, __ATOMIC_ACQUIRE);
}

static void task_init(password_task *t, password_op op, int64_t rank, const char *who)
{
	memset(t, 0, sizeof(*t));
	t->op = op;
	t->password = "a long enough password";
	t->rank = rank;
	t->who = who;
	t->result = UNSET;
}

static void wait_done(password_task *t)
{
	for (int i = 0; i < 20000 && result_of(t) == UNSET; i++)
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	ck_assert_int_ne(result_of(t), UNSET);
}

START_TEST(hash_and_verify_inline)
{
	char h[PASSWORD_HASH_MAX];
	ck_assert_int_eq(password_hash("short", h), STATUS_INVALID);
	ck_assert_int_eq(password_hash("a long enough password", h), STATUS_OK);
	ck_assert(password_verify(h, "a long enough password"));
	ck_assert(!password_verify(h, "another password"));
	ck_assert(!password_verify(NULL, "a long enough password"));
	ck_assert(!password_verify("", ""));
	/* The marker of a forced reset matches nothing, after a real check's work. */
	ck_assert(!password_verify("!reset", "!reset"));
	ck_assert(!password_verify("!reset", "a long enough password"));

	/* No pool: password_run works and resumes on this thread. */
	http_req r = {0};
	password_task t;
	task_init(&t, PASSWORD_OP_VERIFY, 0, NULL);
	t.hash = h;
	resumed = 0;
	password_run(&r, &t, on_resume, NULL);
	ck_assert_int_eq(resumed, 1);
	ck_assert_int_eq(t.result, STATUS_OK);
	ck_assert(t.match);
}
END_TEST

/* The dummy a refused login is checked against is written, not computed (computing it took
 * 64 MiB at start): it must be in libsodium's form with password_hash's very parameters, so
 * the check costs a real one's work, and match nothing. */
START_TEST(dummy_hash_costs_a_real_check)
{
	/* Written: a small part of what computing one costs (64 MiB and tens of milliseconds),
	 * compared in the same run so a loaded machine slows both. */
	struct timespec t0, t1, t2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *d = password_dummy_hash();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	char h[PASSWORD_HASH_MAX];
	ck_assert_int_eq(password_hash("a long enough password", h), STATUS_OK);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	long written = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	long computed = (t2.tv_sec - t1.tv_sec) * 1000000000L + (t2.tv_nsec - t1.tv_nsec);
	ck_assert_int_lt(written * 10, computed);
	/* Same parameters: nothing to rehash, and the same text up to the salt. */
	ck_assert_int_eq(crypto_pwhash_str_needs_rehash(d, crypto_pwhash_OPSLIMIT_INTERACTIVE,
							crypto_pwhash_MEMLIMIT_INTERACTIVE),
			 0);
	const char *salt_h = strrchr(h, '$'), *salt_d = strrchr(d, '$');
	ck_assert_uint_eq(strlen(h), strlen(d));
	ck_assert_uint_eq((size_t)(salt_h - h), (size_t)(salt_d - d));
	size_t params = (size_t)(strstr(h, "p=1$") - h) + 4;
	ck_assert(strncmp(h, d, params) == 0);
	ck_assert(!password_verify(d, "a long enough password"));
	ck_assert(!password_verify(NULL, ""));
}
END_TEST

START_TEST(pool_ranks_and_bounds)
{
	/* One worker, two places: A runs, B and C wait, D is refused, E (better rank) displaces
	 * C, and E runs before B. */
	password_pool_start(1, 2);
	http_req r = {0};
	password_task a, b, c, d, e;
	task_init(&a, PASSWORD_OP_HASH, 0, NULL);
	task_init(&b, PASSWORD_OP_HASH, 5, "10.0.0.1");
	task_init(&c, PASSWORD_OP_HASH, 5, "10.0.0.2");
	task_init(&d, PASSWORD_OP_HASH, 5, "10.0.0.3");
	task_init(&e, PASSWORD_OP_HASH, 0, "10.0.0.4");
	resumed = 0;
	password_run(&r, &a, on_resume, NULL);
	for (int i = 0; i < 5000 && password_pool_waiting() > 0; i++) /* the worker took A */
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	password_run(&r, &b, on_resume, NULL);
	password_run(&r, &c, on_resume, NULL);
	ck_assert_int_eq(password_pool_waiting(), 2);
	ck_assert_int_eq(resumed, 0);
	password_run(&r, &d, on_resume, NULL); /* full, no better than the worst waiting */
	ck_assert_int_eq(resumed, 1);
	ck_assert_int_eq(d.result, STATUS_BUSY);
	password_run(&r, &e, on_resume, NULL); /* better: C is refused instead */
	ck_assert_int_eq(result_of(&c), STATUS_BUSY);
	ck_assert_int_eq(password_pool_waiting(), 2);
	wait_done(&e);
	ck_assert_int_eq(result_of(&e), STATUS_OK);
	ck_assert_int_eq(result_of(&b), UNSET); /* B waited behind E (its hash takes far longer
						    than a millisecond's poll) */
	wait_done(&b);
	ck_assert_int_eq(result_of(&b), STATUS_OK);
	ck_assert(strncmp(b.out, "$argon2id$", 10) == 0);
	password_pool_stop();
	/* Stopped: refused at once. */
	password_task f;
	task_init(&f, PASSWORD_OP_HASH, 0, NULL);
	password_run(&r, &f, on_resume, NULL);
	ck_assert_int_eq(f.result, STATUS_BUSY);
}
END_TEST

START_TEST(pool_same_address_ranks_lower)
{
	/* A second task from an address already waiting goes behind a newcomer of equal rank. */
	password_pool_start(1, 8);
	http_req r = {0};
	password_task a, b1, b2, c;
	task_init(&a, PASSWORD_OP_HASH, 0, NULL);
	task_init(&b1, PASSWORD_OP_HASH, 0, "10.0.0.9");
	task_init(&b2, PASSWORD_OP_HASH, 0, "10.0.0.9");
	task_init(&c, PASSWORD_OP_HASH, 0, "10.0.0.7");
	password_run(&r, &a, on_resume, NULL);
	for (int i = 0; i < 5000 && password_pool_waiting() > 0; i++)
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	password_run(&r, &b1, on_resume, NULL);
	password_run(&r, &b2, on_resume, NULL);
	password_run(&r, &c, on_resume, NULL);
	ck_assert_int_eq(b2.rank, 1);
	ck_assert_int_eq(c.rank, 0);
	wait_done(&c);
	ck_assert_int_eq(result_of(&b2), UNSET);
	password_pool_stop();
	ck_assert_int_ne(result_of(&b2), UNSET); /* ran, or refused by the stop */
}
END_TEST

Suite *password_suite(void)
{
	Suite *s = suite_create("password");
	TCase *tc = tcase_create("password");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, dummy_hash_costs_a_real_check); /* first: nothing made the dummy yet */
	tcase_add_test(tc, hash_and_verify_inline);
	tcase_add_test(tc, pool_ranks_and_bounds);
	tcase_add_test(tc, pool_same_address_ranks_lower);
	suite_add_tcase(s, tc);
	return s;
}
