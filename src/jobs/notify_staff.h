/* notify_staff.h - the messages about a staff account (outbox rows about no booking): a
 * password reset link, a forced reset, a password changed, an account locked. Their texts
 * ship with bookd (a business does not override them) and they carry no calendar entry. */
#ifndef BOOKD_NOTIFY_STAFF_H
#define BOOKD_NOTIFY_STAFF_H

#include "jobs/notify_worker.h"

/* Writes the message of a staff-account row from its event and payload (a JSON object:
 * "name" the user's name or email, "token" a reset link's credential, "expires_at" and
 * "until" instants). STATUS_CONFLICT when there is nothing to send (an unknown event, or a
 * reset row whose link was already dropped). */
status notify_render_staff(db_conn *c, const notify_worker_config *cfg, const outbox_item *it,
			   int64_t now, arena *a, notify_message *m);

#endif
