/* defaults.h - the message templates bookd ships, per event and channel; a business's own
 * templates (notification_templates) override them. */
#ifndef BOOKD_NOTIFY_DEFAULTS_H
#define BOOKD_NOTIFY_DEFAULTS_H

#include <stdbool.h>

/* One template. */
typedef struct notify_template {
	const char *event;     /* confirmed, pending, confirm_request (a public booking waits for
				  the customer to confirm it), rescheduled, cancelled, reminder,
				  no_show, waitlist_offer (a seat offered from a waiting list),
				  group_summary (to a group's organiser), late_join (joined a
				  class session under way),
				  staff_new, staff_changed */
	const char *channel;   /* email | sms */
	const char *subject;   /* email subject ("" for sms) */
	const char *body_text; /* plain text (the SMS text) */
	const char *body_html; /* HTML part of an email ("" for sms) */
} notify_template;

/* The default for event and channel, or NULL when there is none. */
const notify_template *notify_default(const char *event, const char *channel);
/* True for an event name bookd sends. */
bool notify_event_known(const char *event);

#endif
