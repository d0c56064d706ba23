/* lifecycle.h - the booking status machine: which action moves which status where.
 *
 *   held ──book──▶ pending ──confirm──▶ confirmed ──check_in──▶ checked_in ──complete──▶ completed
 *     │  └─book (no approval)───────────────▲   │                                  ▲
 *     ├─expire──▶ expired                       ├──complete (past, job)────────────┘
 *     └─cancel──▶ cancelled ◀──cancel── pending, confirmed
 *                                           confirmed ──no_show──▶ no_show
 *
 * A booking that must be paid in advance (store/payment.h) is booked pending with a hold
 * expiry of its own: while that lasts it keeps its time as a hold does; its payment turns
 * it confirmed (or leaves it pending, without the expiry, when its service needs approval),
 * and the lifecycle worker moves it pending ──expire──▶ expired when the expiry passes
 * unpaid. That is the only way out of pending into expired (ACTION_EXPIRE stays a hold's).
 *
 * cancelled, completed, no_show and expired are final. A public booking that waits for the
 * customer's emailed confirmation (the business's confirm_by_email) stays held, with its
 * customer attached, until the link books it or it expires like any hold: no status of
 * its own is needed. Pure and thread-safe. */
#ifndef BOOKD_LIFECYCLE_H
#define BOOKD_LIFECYCLE_H

#include <stdbool.h>

#include "base/status.h"
#include "core/model.h"

typedef enum booking_action {
	ACTION_BOOK,       /* a hold becomes a booking (pending or confirmed) */
	ACTION_CONFIRM,    /* staff approve a pending booking */
	ACTION_CHECK_IN,   /* the customer arrived */
	ACTION_COMPLETE,   /* the service was given (or its time passed) */
	ACTION_CANCEL,     /* customer or staff call it off */
	ACTION_NO_SHOW,    /* the customer did not come */
	ACTION_EXPIRE,     /* a hold ran out */
	ACTION_RESCHEDULE  /* moved to another time: the status stays */
} booking_action;

/* The status after `action` on a booking in `from`. needs_approval decides ACTION_BOOK.
 * STATUS_CONFLICT with *why set (a sentence for people) when the action is not allowed
 * from that status; *to is then unchanged. */
status lifecycle_next(booking_status from, booking_action action, bool needs_approval,
		      booking_status *to, const char **why) __attribute__((warn_unused_result));

/* Takes time or seats from others (held while live, pending, confirmed, checked_in). */
bool lifecycle_is_active(booking_status s);
/* cancelled, completed, no_show, expired. */
bool lifecycle_is_final(booking_status s);

const char *booking_action_name(booking_action a);
bool booking_action_parse(const char *s, booking_action *out);

#endif
