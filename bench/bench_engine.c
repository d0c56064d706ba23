/* bench_engine.c - the slot engine in-process: 30 days of a 30-minute service on a 15-minute
 * grid, 09:00-17:00 with a 12:00-13:00 lunch break, for 1, 5 and 20 providers and 0, 500 and
 * 5000 bookings spread over them. Prints "bench availability.engine.30d.Pp.Bb VALUE us", the
 * median microseconds of one query over several runs. Then the input once compared with
 * another booking system's slot pipeline (availability.engine.cmp.Pp.Bb): Europe/London,
 * Monday to Friday 09:00-12:00 and 13:00-17:00, a 45-minute service on a 15-minute grid, 1,
 * 5 and 20 providers with no bookings, 10 per provider, and 500 in all. Then rentals
 * (availability.engine.rental.Pp.Bb): the same hours every day, items hired by the hour (one
 * hour to a day, 30-minute grid) with 0 and 500 bookings, and the same items out overnight
 * with two hours of turnaround after each rental (availability.engine.overnight.Pp.Bb). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/civil.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "core/avail.h"

#define BENCH_DAYS 30
#define BENCH_RUNS 15 /* timed batches; the median batch is reported */

/* A deterministic generator (xorshift64), so every run books the same times. */
static uint64_t bench_rng(uint64_t *st)
{
	uint64_t x = *st;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*st = x;
	return x;
}

static int bench_cmp_busy(const void *pa, const void *pb)
{
	const avail_busy *a = pa, *b = pb;
	return (a->busy_start > b->busy_start) - (a->busy_start < b->busy_start);
}

static int bench_cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* Everything one configuration needs; freed by bench_world_free. */
typedef struct bench_world {
	avail_service svc;         /* the service */
	avail_rule rules[14];      /* 09-12 and 13-17, every day or on weekdays */
	avail_bookable *providers; /* the candidates */
	avail_busy **busy;         /* per provider */
	char (*ids)[32];           /* provider ids */
	size_t n_providers;        /* candidates */
	avail_request req;         /* the request */
	avail_query q;             /* the query */
} bench_world;

/* What a world is made of: the default, the compared input, rentals, overnight rentals. */
enum { BENCH_APPT, BENCH_CMP, BENCH_RENTAL, BENCH_OVERNIGHT };

/* cmp: the compared input (weekdays only, 45 minutes) instead of the default one. */
static void bench_world_init(bench_world *w, size_t n_providers, size_t n_bookings, int mode)
{
	bool cmp = mode == BENCH_CMP, rental = mode >= BENCH_RENTAL;
	memset(w, 0, sizeof(*w));
	const tz *london = tz_get("Europe/London");
	if (!london) {
		fprintf(stderr, "bench: Europe/London is not available\n");
		exit(1);
	}
	w->svc.kind = rental ? AVAIL_RENTAL : AVAIL_APPOINTMENT;
	w->svc.duration_s = cmp ? 2700 : rental ? 3600 : 1800;
	w->svc.slot_interval_s = rental ? 1800 : 900;
	w->svc.min_length_s = rental ? 3600 : 0;
	w->svc.max_length_s = rental ? 86400 : 0;
	w->svc.capacity = 1;
	w->svc.max_advance_s = 365 * 86400;
	size_t n_rules = 0;
	for (int wd = 0; wd < 7; wd++) {
		if (cmp && wd >= 5 /* Saturday, Sunday */)
			continue;
		w->rules[n_rules++] =
		    (avail_rule){.weekday = wd, .start_min = 9 * 60, .end_min = 12 * 60};
		w->rules[n_rules++] =
		    (avail_rule){.weekday = wd, .start_min = 13 * 60, .end_min = 17 * 60};
	}
	w->n_providers = n_providers;
	w->providers = xcalloc(n_providers, sizeof(*w->providers));
	w->busy = xcalloc(n_providers, sizeof(*w->busy));
	w->ids = xcalloc(n_providers, sizeof(*w->ids));
	size_t *counts = xcalloc(n_providers, sizeof(*counts));
	for (size_t p = 0; p < n_providers; p++) {
		snprintf(w->ids[p], sizeof(w->ids[p]), "provider-%zu", p);
		w->busy[p] = xcalloc(n_bookings / n_providers + 1, sizeof(avail_busy));
	}

	/* Bookings of 30 or 60 minutes on the grid within hours, round-robin over providers. */
	int64_t day0 = civil_days(2026, 6, 1);
	uint64_t st = 0x2545f4914f6cdd1dull;
	for (size_t i = 0; i < n_bookings; i++) {
		size_t p = i % n_providers;
		int64_t day = day0 + (int64_t)(bench_rng(&st) % BENCH_DAYS);
		int64_t quarter = (int64_t)(bench_rng(&st) % 28); /* 09:00 .. 15:45 local */
		int64_t len = cmp ? 2700 : (bench_rng(&st) % 2) ? 1800 : 3600;
		int64_t start = tz_day_start(london, day, NULL) + 9 * 3600 + quarter * 900;
		avail_busy *b = &w->busy[p][counts[p]++];
		b->start = start;
		b->end = start + len;
		b->busy_start = start;
		b->busy_end = start + len;
		b->seats = 1;
		b->same_service = (i % 3) == 0;
	}
	for (size_t p = 0; p < n_providers; p++) {
		qsort(w->busy[p], counts[p], sizeof(avail_busy), bench_cmp_busy);
		avail_bookable *b = &w->providers[p];
		b->id = w->ids[p];
		b->rules = w->rules;
		b->n_rules = n_rules;
		b->busy = w->busy[p];
		b->n_busy = counts[p];
		if (mode == BENCH_OVERNIGHT) {
			b->overnight = true;
			b->buffer_after_s = 7200;
		}
	}
	free(counts);

	w->req.service = &w->svc;
	w->req.business_zone = london;
	w->req.providers = w->providers;
	w->req.n_providers = n_providers;
	w->q.from = tz_day_start(london, day0, NULL);
	w->q.to = tz_day_start(london, day0 + BENCH_DAYS, NULL);
	w->q.now = w->q.from - 86400;
	w->q.seats = 1;
}

static void bench_world_free(bench_world *w)
{
	for (size_t p = 0; p < w->n_providers; p++)
		free(w->busy[p]);
	free(w->busy);
	free(w->providers);
	free(w->ids);
}

/* Microseconds per query: median over BENCH_RUNS batches sized to take about 20 ms. */
static double bench_one(size_t n_providers, size_t n_bookings, int mode, size_t *slots_out)
{
	bench_world w;
	bench_world_init(&w, n_providers, n_bookings, mode);
	size_t slots = 0;

	/* Size a batch: warm up, then pick a count that takes ~20 ms. */
	int64_t t0 = clock_mono_ns();
	int warm = 0;
	/* One arena, reset between queries, as a server thread keeps one (arena_take). */
	arena *a = arena_new();
	while (clock_mono_ns() - t0 < 20000000 || warm < 3) {
		avail_result r;
		if (avail_slots(&w.req, &w.q, a, &r) != STATUS_OK) {
			fprintf(stderr, "bench: avail_slots failed\n");
			exit(1);
		}
		slots = r.n_slots;
		arena_reset(a);
		warm++;
	}
	int batch = warm;

	double per[BENCH_RUNS];
	for (int run = 0; run < BENCH_RUNS; run++) {
		int64_t start = clock_mono_ns();
		for (int i = 0; i < batch; i++) {
			avail_result r;
			avail_slots(&w.req, &w.q, a, &r);
			arena_reset(a);
		}
		per[run] = (double)(clock_mono_ns() - start) / 1000.0 / batch;
	}
	qsort(per, BENCH_RUNS, sizeof(double), bench_cmp_double);
	arena_free(a);
	bench_world_free(&w);
	*slots_out = slots;
	return per[BENCH_RUNS / 2];
}

int main(int argc, char **argv)
{
	bool verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	static const size_t providers[] = {1, 5, 20};
	static const size_t bookings[] = {0, 500, 5000};
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 3; j++) {
			size_t slots;
			double us = bench_one(providers[i], bookings[j], BENCH_APPT, &slots);
			printf("bench availability.engine.30d.%zup.%zub %.1f us\n", providers[i],
			       bookings[j], us);
			if (verbose)
				fprintf(stderr, "  (%zu slots offered)\n", slots);
			fflush(stdout);
		}
	}
	for (size_t i = 0; i < 3; i++) {
		const size_t cmp_bookings[] = {0, 10 * providers[i], 500};
		const char *names[] = {"0", "10", "500"}; /* 10 is per provider */
		for (size_t j = 0; j < 3; j++) {
			size_t slots;
			double us = bench_one(providers[i], cmp_bookings[j], BENCH_CMP, &slots);
			printf("bench availability.engine.cmp.%zup.%sb %.1f us\n", providers[i],
			       names[j], us);
			if (verbose)
				fprintf(stderr, "  (%zu slots offered)\n", slots);
			fflush(stdout);
		}
	}
	static const char *const kinds[] = {"rental", "overnight"};
	for (int k = 0; k < 2; k++) {
		for (size_t i = 1; i < 3; i++) {
			for (size_t j = 0; j < 2; j++) {
				size_t slots;
				double us = bench_one(providers[i], bookings[j], BENCH_RENTAL + k, &slots);
				printf("bench availability.engine.%s.%zup.%zub %.1f us\n", kinds[k],
				       providers[i], bookings[j], us);
				if (verbose)
					fprintf(stderr, "  (%zu slots offered)\n", slots);
				fflush(stdout);
			}
		}
	}
	return 0;
}
