/* clock.c - real and test clocks; the test clock is one atomic value owned here. */
#include "base/clock.h"

#include <stdatomic.h>
#include <time.h>

static atomic_bool clock_test;       /* the test clock is on */
static _Atomic int64_t clock_test_t; /* its held instant */

int64_t clock_now(void)
{
	if (atomic_load(&clock_test))
		return atomic_load(&clock_test_t);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

void clock_test_set(int64_t t)
{
	atomic_store(&clock_test_t, t);
	atomic_store(&clock_test, true);
}

bool clock_test_on(void)
{
	return atomic_load(&clock_test);
}

int64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
