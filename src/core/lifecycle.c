/* lifecycle.c - booking status transitions. */
#include "core/lifecycle.h"

#include <string.h>

static const char *const action_names[] = {
	"book", "confirm", "check_in", "complete", "cancel", "no_show", "expire", "reschedule",
};

const char *booking_action_name(booking_action a)
{
	if ((unsigned)a < sizeof(action_names) / sizeof(action_names[0]))
		return action_names[a];
	return "unknown";
}

bool booking_action_parse(const char *s, booking_action *out)
{
	for (size_t i = 0; s && i < sizeof(action_names) / sizeof(action_names[0]); i++) {
		if (strcmp(s, action_names[i]) == 0) {
			*out = (booking_action)i;
			return true;
		}
	}
	return false;
}

bool lifecycle_is_final(booking_status s)
{
	return s == BOOKING_CANCELLED || s == BOOKING_COMPLETED || s == BOOKING_NO_SHOW ||
	       s == BOOKING_EXPIRED;
}

bool lifecycle_is_active(booking_status s)
{
	return s == BOOKING_HELD || s == BOOKING_PENDING || s == BOOKING_CONFIRMED ||
	       s == BOOKING_CHECKED_IN;
}

status lifecycle_next(booking_status from, booking_action action, bool needs_approval,
		      booking_status *to, const char **why)
{
	booking_status next = from;
	const char *no = NULL;
	if (lifecycle_is_final(from)) {
		no = "the booking is already final";
	} else {
		switch (action) {
		case ACTION_BOOK:
			if (from == BOOKING_HELD)
				next = needs_approval ? BOOKING_PENDING : BOOKING_CONFIRMED;
			else
				no = "only a hold can be booked";
			break;
		case ACTION_CONFIRM:
			if (from == BOOKING_PENDING)
				next = BOOKING_CONFIRMED;
			else
				no = "only a pending booking can be confirmed";
			break;
		case ACTION_CHECK_IN:
			if (from == BOOKING_CONFIRMED)
				next = BOOKING_CHECKED_IN;
			else
				no = "only a confirmed booking can be checked in";
			break;
		case ACTION_COMPLETE:
			if (from == BOOKING_CONFIRMED || from == BOOKING_CHECKED_IN)
				next = BOOKING_COMPLETED;
			else
				no = "only a confirmed or checked-in booking can be completed";
			break;
		case ACTION_CANCEL:
			if (from == BOOKING_HELD || from == BOOKING_PENDING || from == BOOKING_CONFIRMED)
				next = BOOKING_CANCELLED;
			else
				no = "a checked-in booking cannot be cancelled";
			break;
		case ACTION_NO_SHOW:
			if (from == BOOKING_CONFIRMED)
				next = BOOKING_NO_SHOW;
			else
				no = "only a confirmed booking can be marked no-show";
			break;
		case ACTION_EXPIRE:
			if (from == BOOKING_HELD)
				next = BOOKING_EXPIRED;
			else
				no = "only a hold can expire";
			break;
		case ACTION_RESCHEDULE:
			if (from != BOOKING_PENDING && from != BOOKING_CONFIRMED)
				no = "only a pending or confirmed booking can be rescheduled";
			break;
		default:
			no = "unknown action";
		}
	}
	if (no) {
		if (why)
			*why = no;
		return STATUS_CONFLICT;
	}
	*to = next;
	if (why)
		*why = NULL;
	return STATUS_OK;
}
