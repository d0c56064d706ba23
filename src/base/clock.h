/* clock.h - the server's "now", real or held by the test clock; and a monotonic timer. */
#ifndef BOOKD_CLOCK_H
#define BOOKD_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* UTC seconds since the epoch: the real time, or the test clock's when it is on.
 * Every rule about time asks this once and passes the value down. Thread-safe. */
int64_t clock_now(void);

/* Turns the test clock on and holds "now" at t. Thread-safe; never turned off again. */
void clock_test_set(int64_t t);
/* True once clock_test_set has been called. */
bool clock_test_on(void);

/* Monotonic nanoseconds, for measuring durations only. */
int64_t clock_mono_ns(void);

#endif
