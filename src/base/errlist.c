/* errlist.c - bounded field-error list. */
#include "base/errlist.h"

#include <stdarg.h>
#include <stdio.h>

void errlist_add(errlist *l, const char *detail, const char *fieldfmt, ...)
{
	if (l->count >= ERRLIST_MAX) {
		l->dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fieldfmt);
	vsnprintf(l->e[l->count].field, sizeof(l->e[0].field), fieldfmt, ap);
	va_end(ap);
	snprintf(l->e[l->count].detail, sizeof(l->e[0].detail), "%s", detail);
	l->count++;
}

bool errlist_empty(const errlist *l)
{
	return l->count == 0 && l->dropped == 0;
}
