/* unit.h - one unit of work in one transaction, for work the layer above composes from
 * several modules (a catalogue row read from JSON by its rules, a whole configuration
 * document, an impact preview): the transaction's bounds are kept here, the work is the
 * caller's. Units made only of store calls have a store function of their own instead. */
#ifndef BOOKD_STORE_UNIT_H
#define BOOKD_STORE_UNIT_H

#include "store/db.h"

/* The work: runs on c inside the transaction; anything but STATUS_OK undoes it all. It
 * must not begin, commit or roll back itself. */
typedef status (*store_unit_fn)(db_conn *c, void *ctx);

/* A write (db_begin_write): commits when work answers STATUS_OK, otherwise rolls back.
 * Returns work's status, the begin's or the commit's. Nothing is half-written. */
status store_unit_write(db_conn *c, store_unit_fn work, void *ctx);
/* A write never kept (a preview): work sees its own changes, then everything is rolled
 * back whatever it answered. Returns work's status or the begin's. */
status store_unit_preview(db_conn *c, store_unit_fn work, void *ctx);
/* Reads that must agree with each other (db_begin), then ended. Returns work's status or
 * the begin's. */
status store_unit_read(db_conn *c, store_unit_fn work, void *ctx);

#endif
