/* jsonw.h - JSON written straight into a buf, for answers on hot paths: the bytes jansson's
 * compact dump (json_dumps with JSON_COMPACT) writes for the same values, members in the
 * order written. Strings are escaped here and nowhere else: '"', '\\', \b \f \n \r \t, every
 * other control character below 0x20 as \u00XX (upper-case hex), everything else as is; a
 * string that is not UTF-8 (which jansson refuses to hold) fails the writer.
 *
 *   jsonw w;
 *   jsonw_init(&w, &out);
 *   jsonw_obj(&w);
 *   jsonw_key(&w, "id"); jsonw_str(&w, id);
 *   jsonw_obj_end(&w);
 *   if (jsonw_end(&w) != STATUS_OK) ... (out full, a bad string, or unbalanced)
 *
 * Commas and colons are the writer's: a member is jsonw_key then one value. Not thread-safe:
 * one writer per buffer. */
#ifndef BOOKD_JSONW_H
#define BOOKD_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

/* How deep objects and arrays may nest. */
#define JSONW_DEPTH 32

typedef struct jsonw {
	buf *out;                      /* where the text goes (borrowed) */
	int depth;                     /* open objects and arrays */
	bool has_item[JSONW_DEPTH + 1]; /* per level: a value was written (a comma comes next) */
	bool after_key;                /* a key was written: its value comes without a comma */
	bool failed;                   /* an append failed, a string was not UTF-8, or misuse */
} jsonw;

/* Starts writing at the end of out (which keeps what it holds). */
void jsonw_init(jsonw *w, buf *out);
/* STATUS_OK when everything was written and every object and array closed, else
 * STATUS_INVALID (out then holds a partial text). */
status jsonw_end(const jsonw *w);

void jsonw_obj(jsonw *w);
void jsonw_obj_end(jsonw *w);
void jsonw_arr(jsonw *w);
void jsonw_arr_end(jsonw *w);
/* A member's name (escaped like any string); the next call writes its value. */
void jsonw_key(jsonw *w, const char *key);
/* A member's name that needs no escaping (ASCII letters, digits, '_'), n bytes: for the
 * literal names of hot answers, written without looking at each byte. */
void jsonw_key_plain(jsonw *w, const char *key, size_t n);
/* The same for a string literal. */
#define JSONW_KEY(w, lit) jsonw_key_plain((w), (lit), sizeof(lit) - 1)
/* Values. jsonw_str with NULL fails the writer (as json_pack's "s" does). */
void jsonw_str(jsonw *w, const char *s);
void jsonw_strn(jsonw *w, const char *s, size_t n);
void jsonw_int(jsonw *w, int64_t v);
void jsonw_bool(jsonw *w, bool v);
void jsonw_null(jsonw *w);

/* Appends s (n bytes) to out as a quoted JSON string; STATUS_INVALID when s is not UTF-8 or
 * out is full. Pure apart from out. */
status jsonw_quote(buf *out, const char *s, size_t n);

#endif
