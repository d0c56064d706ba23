/* rows.h - private to src/store: arena arrays that grow while query rows are read. */
#ifndef BOOKD_STORE_ROWS_H
#define BOOKD_STORE_ROWS_H

#include <string.h>

#include "base/arena.h"
#include "store/db.h"

/* Makes room for element n of the arena array arr that holds cap elements: when full,
 * copies it into one twice as large (16 at first; the old copy stays in the arena). arr
 * may be NULL while cap is 0. n is only read, so it may be any expression. */
#define ROWS_GROW(a, arr, n, cap)                                                              \
	do {                                                                                   \
		if ((n) == (cap)) {                                                            \
			int nc_ = (cap) ? (cap) * 2 : 16;                                      \
			void *p_ = arena_alloc((a), sizeof(*(arr)) * (size_t)nc_);             \
			if (n)                                                                 \
				memcpy(p_, (arr), sizeof(*(arr)) * (size_t)(n));               \
			(arr) = p_;                                                            \
			(cap) = nc_;                                                           \
		}                                                                              \
	} while (0)

/* To follow db_query(..., &rows) that returned st. When st is STATUS_OK: reads every row
 * into *out, an arena array of T (never NULL, even when empty), with read(rows, a,
 * &element), *count getting how many; then sets st to the rows' status and frees rows. */
#define ROWS_COLLECT(st, T, rows, a, out, count, read)                                         \
	do {                                                                                   \
		if ((st) != STATUS_OK)                                                         \
			break;                                                                 \
		int n_ = 0, cap_ = 0;                                                          \
		T *arr_ = NULL;                                                                \
		ROWS_GROW((a), arr_, n_, cap_);                                                \
		while (db_next(rows)) {                                                        \
			ROWS_GROW((a), arr_, n_, cap_);                                        \
			read((rows), (a), &arr_[n_++]);                                        \
		}                                                                              \
		*(out) = arr_;                                                                 \
		*(count) = n_;                                                                 \
		(st) = db_rows_status(rows);                                                   \
		db_rows_free(rows);                                                            \
	} while (0)

/* To follow db_query(..., &rows) that returned st. When st is STATUS_OK: reads the first
 * row into *out with read(rows, a, out), or sets st to STATUS_NOT_FOUND when there is none
 * (or to the rows' failure); then frees rows. */
#define ROWS_ONE(st, rows, a, out, read)                                                       \
	do {                                                                                   \
		if ((st) != STATUS_OK)                                                         \
			break;                                                                 \
		if (db_next(rows))                                                             \
			read((rows), (a), (out));                                              \
		else                                                                           \
			(st) = db_rows_status(rows) == STATUS_OK ? STATUS_NOT_FOUND             \
								 : db_rows_status(rows);       \
		db_rows_free(rows);                                                            \
	} while (0)

#endif
