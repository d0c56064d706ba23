/* text.h - the one check of what people type into text fields: no control characters. */
#ifndef BOOKD_TEXT_H
#define BOOKD_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* How a text field may break lines. */
typedef enum text_kind {
	TEXT_LINE,     /* one line: names, emails, phones, reasons, ids */
	TEXT_MULTILINE /* free text (notes): line feeds and tabs allowed */
} text_kind;

/* NULL when s[0..n) holds no control character for its kind, else a sentence for people
 * saying what was found (static storage). Control characters are C0 (U+0000-U+001F),
 * DEL, C1 (U+0080-U+009F, as UTF-8) and the Unicode line and paragraph separators
 * (U+2028, U+2029); TEXT_MULTILINE lets LF and TAB through (CR is refused: one line
 * break, not two kinds). Bytes that are not UTF-8 are left to the JSON reader. Pure and
 * thread-safe. */
const char *text_fault(const char *s, size_t n, text_kind kind);

/* The value of a hexadecimal digit (either case), or -1 for any other character. */
int text_hex_digit(char c);

/* Percent-decodes s[0..n) into out (room for n + 1 bytes; NUL-terminated), strictly: every
 * '%' starts two hex digits, '+' stays '+'. The decoded length, or -1 for a bad escape. The
 * result may hold NULs: callers that care look at the length. */
long text_percent_decode(const char *s, size_t n, char *out);

#endif
