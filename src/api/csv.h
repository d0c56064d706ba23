/* csv.h - CSV output (RFC 4180) into a bounded buffer, safe to open in a spreadsheet.
 *
 * Every text cell goes through csv_text, which quotes it when it holds a comma, a quote, a
 * CR or an LF (quotes doubled) and, against formula injection, puts a single quote before
 * a value starting with = + - @ (or a tab or CR), so spreadsheets show it as text. Numbers
 * we make ourselves go through csv_int. Rows end with CRLF. Pure; no globals. */
#ifndef BOOKD_API_CSV_H
#define BOOKD_API_CSV_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

/* Appends one text cell (NULL as empty), preceded by a comma unless it starts the row
 * (*first true; set false after). STATUS_INVALID when the buffer's maximum is reached. */
status csv_text(buf *out, bool *first, const char *value);
/* Appends one integer cell, like csv_text. */
status csv_int(buf *out, bool *first, int64_t value);
/* Ends the row (CRLF) and sets *first for the next. */
status csv_row_end(buf *out, bool *first);

#endif
