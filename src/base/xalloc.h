/* xalloc.h - allocation wrappers that abort on failure, so no caller has an OOM branch. */
#ifndef BOOKD_XALLOC_H
#define BOOKD_XALLOC_H

#include <stddef.h>

/* Each returns a valid pointer or aborts the process. Thread-safe. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
