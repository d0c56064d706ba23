/* civil.h - proleptic Gregorian calendar arithmetic (no zones): dates <-> day numbers. */
#ifndef BOOKD_CIVIL_H
#define BOOKD_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A wall-clock date and time with no zone attached. */
typedef struct civil {
	int year;  /* e.g. 2026 */
	int month; /* 1..12 */
	int day;   /* 1..31 */
	int hour;  /* 0..23 */
	int min;   /* 0..59 */
	int sec;   /* 0..59 */
} civil;

/* Days since 1970-01-01 of a date (negative before). Pure, thread-safe. */
int64_t civil_days(int year, int month, int day);
/* The date of a day number; only year, month and day are set. */
civil civil_from_days(int64_t days);
/* 0 = Monday ... 6 = Sunday (ISO order) of a day number. */
int civil_weekday(int64_t days);
/* Seconds since the epoch reading c as UTC. */
int64_t civil_to_epoch(civil c);
/* c read back from seconds since the epoch as UTC. */
civil civil_from_epoch(int64_t t);
/* True when year-month-day is a real date. */
bool civil_date_valid(int year, int month, int day);

/* Parses "YYYY-MM-DD" (exactly len bytes) into a day number; false if malformed or not a date. */
bool civil_parse_date(const char *s, size_t len, int64_t *days_out);
/* Writes "YYYY-MM-DD" of a day number into out (11 bytes at least). */
void civil_format_date(int64_t days, char out[static 11]);

#endif
