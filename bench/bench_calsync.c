/* bench_calsync.c - reading an external calendar: a 5 000-event ICS file (4 500 single
 * events in UTC, 400 weekly ones in a zone given by TZID, 100 all-day ones) parsed and
 * expanded over 90 days by ics_busy_read. Prints "bench calsync.ics.import.5000ev_ms VALUE
 * ms", the median of several runs. */
#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/civil.h"
#include "base/clock.h"
#include "calsync/ics_busy.h"

#define BENCH_RUNS 7

static int bench_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

int main(void)
{
	const int64_t day0 = civil_days(2026, 3, 2); /* a Monday */
	buf f;
	buf_init(&f, 64u << 20);
	buf_printf(&f, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//bench//EN\r\n");
	for (int i = 0; i < 5000; i++) {
		civil d = civil_from_days(day0 + i % 90);
		buf_printf(&f, "BEGIN:VEVENT\r\nUID:ev-%d@bench\r\nDTSTAMP:20260301T000000Z\r\n"
			   "SUMMARY:Event %d\r\n", i, i);
		if (i < 4500)
			buf_printf(&f,
				   "DTSTART:%04d%02d%02dT%02d%02d00Z\r\nDTEND:%04d%02d%02dT%02d%02d00Z\r\n",
				   d.year, d.month, d.day, 7 + i % 10, (i % 4) * 15, d.year, d.month,
				   d.day, 8 + i % 10, (i % 4) * 15);
		else if (i < 4900)
			buf_printf(&f,
				   "DTSTART;TZID=Europe/Berlin:%04d%02d%02dT%02d0000\r\n"
				   "DTEND;TZID=Europe/Berlin:%04d%02d%02dT%02d3000\r\n"
				   "RRULE:FREQ=WEEKLY;COUNT=13\r\n",
				   d.year, d.month, d.day, 8 + i % 9, d.year, d.month, d.day, 8 + i % 9);
		else
			buf_printf(&f, "DTSTART;VALUE=DATE:%04d%02d%02d\r\n", d.year, d.month, d.day);
		buf_printf(&f, "END:VEVENT\r\n");
	}
	buf_printf(&f, "END:VCALENDAR\r\n");
	const tz *zone = tz_get("Europe/London");
	double ms[BENCH_RUNS];
	size_t spans = 0;
	for (int run = 0; run < BENCH_RUNS; run++) {
		arena *a = arena_new();
		ics_busy_result r;
		char err[200];
		int64_t t0 = clock_mono_ns();
		if (ics_busy_read(f.data, f.len, zone, day0 * 86400, (day0 + 90) * 86400, "bench", a,
				  &r, err, sizeof err) != STATUS_OK) {
			fprintf(stderr, "bench_calsync: %s\n", err);
			return 1;
		}
		ms[run] = (double)(clock_mono_ns() - t0) / 1e6;
		spans = r.n;
		arena_free(a);
	}
	qsort(ms, BENCH_RUNS, sizeof ms[0], bench_cmp);
	fprintf(stderr, "bench_calsync: %zu bytes, %zu busy intervals\n", f.len, spans);
	printf("bench calsync.ics.import.5000ev_ms %.1f ms\n", ms[BENCH_RUNS / 2]);
	buf_free(&f);
	return 0;
}
