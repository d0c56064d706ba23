/* errlist.h - a bounded list of field errors, filled by validation in any layer. */
#ifndef BOOKD_ERRLIST_H
#define BOOKD_ERRLIST_H

#include <stdbool.h>

#define ERRLIST_MAX 16

typedef struct errlist {
	int count;                 /* errors kept (at most ERRLIST_MAX) */
	int dropped;               /* errors past the maximum, counted but not kept */
	struct {
		char field[96];    /* JSON path of the field, e.g. "services[2].duration_s" */
		char detail[192];  /* what is wrong, for people */
	} e[ERRLIST_MAX];
} errlist;

/* Adds one error; the field is printf-formatted as fieldfmt with the args, the detail is
 * copied. Thread-safe per list (no globals). */
void errlist_add(errlist *l, const char *detail, const char *fieldfmt, ...)
	__attribute__((format(printf, 3, 4)));
bool errlist_empty(const errlist *l);

#endif
