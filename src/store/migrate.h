/* migrate.h - versioned schema migrations, the same SQL on SQLite and PostgreSQL. */
#ifndef BOOKD_MIGRATE_H
#define BOOKD_MIGRATE_H

#include "base/status.h"
#include "store/db.h"

/* One migration: src/store/migrations/NNNN_name.sql, compiled in by the build. */
typedef struct migration {
	int version;     /* NNNN, strictly increasing */
	const char *name; /* file name without .sql */
	const char *sql; /* statements separated by ';' at line ends */
} migration;

extern const migration MIGRATIONS[];
extern const int MIGRATION_COUNT;

/* Applies every migration newer than the database's version, each in its own transaction,
 * recording it in schema_migrations. Safe to run from several processes at once (the first
 * takes the lock, the others then see the work done). *applied gets how many ran. */
status migrate_up(db *d, int *applied, char *err, size_t errlen);
/* As migrate_up, stopping after version target (a test's database of an older schema). */
status migrate_up_to(db *d, int target, int *applied, char *err, size_t errlen);

#endif
