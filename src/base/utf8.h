/* utf8.h - UTF-8 validation, one sequence at a time. */
#ifndef BOOKD_UTF8_H
#define BOOKD_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1..4) of the well-formed UTF-8 sequence at p (n bytes available), with its code
 * point in *cp (may be NULL); 0 when the bytes there are not UTF-8 (a stray continuation
 * byte, an overlong form, a surrogate, past U+10FFFF, or cut short). Pure. */
size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp);

/* True when s (n bytes) is UTF-8 without control characters (C0, DEL, C1). Pure. */
int utf8_clean_text(const char *s, size_t n);

#endif
