/* book_writer.h - group commit for SQLite: booking writes of many requests run inside one
 * write transaction, each in its own savepoint, and commit with one disk sync; every
 * request is answered only after that commit. Leader/follower: a request that finds no
 * batch running runs the queued work itself (no hand-off when there is no contention); the
 * others wait for it. Every batch runs on one connection the writer keeps: SQLite drops a
 * connection's page cache when another connection has written since its last transaction,
 * so a writer that always uses the same one finds the index pages of the last batch still
 * in memory. SQLite has a single write lock, so this changes
 * nothing about what is checked or written, only how many commits the same work costs.
 * PostgreSQL commits concurrently and does not use it. */
#ifndef BOOKD_BOOK_WRITER_H
#define BOOKD_BOOK_WRITER_H

#include <stdbool.h>

#include "store/db.h"

/* One unit of work: runs inside the batch's write transaction; a failure is rolled back to
 * the unit's savepoint. Returns the unit's status; *retry asks to run it again (a collision
 * it can cure). */
typedef status (*book_writer_fn)(db_conn *c, void *ctx, bool *retry);

/* Turns group commit on for d (SQLite only; false otherwise), keeping one of its pooled
 * connections until it is turned off. */
bool book_writer_start(db *d);
void book_writer_stop(void);
/* True while it is on. */
bool book_writer_on(void);

/* Runs fn(ctx) in a batch and returns once the batch committed (or failed): fn's status, or
 * the commit's failure (whose message db_error(c) then gives). c is the caller's connection.
 * Thread-safe. */
status book_writer_run(db_conn *c, book_writer_fn fn, void *ctx);
/* Units queued and not yet taken into a batch, for tests that arrange batches. Thread-safe. */
int book_writer_queued(void);

#endif
