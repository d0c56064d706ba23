/* defaults.c - shipped templates: short, clear, with the facts a customer needs. */
#include "notify/defaults.h"

#include <string.h>

#define HTML_HEAD "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">"
#define HTML_FOOT                                                                              \
	"<p style=\"color:#666;font-size:small\">{{business_name}} &middot; {{business_address}} "   \
	"&middot; {{business_phone}}</p></body></html>"
#define TEXT_FOOT "\n--\n{{business_name}}\n{{business_address}}\n{{business_phone}}\n"

static const notify_template NOTIFY_DEFAULTS[] = {
	{"confirmed", "email", "Booked: {{service_name}} on {{start_date}} at {{start_time}}",
	 "Hello {{customer_name}},\n\nyour booking is confirmed:\n\n  {{service_name}} with "
	 "{{provider_name}}\n  {{start}} ({{zone}})\n  Reference {{reference}}\n\nTo reschedule or "
	 "cancel: {{manage_link}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>your booking is confirmed:</p><p><b>{{service_name}}"
		   "</b> with {{provider_name}}<br>{{start}} ({{zone}})<br>Reference <b>{{reference}}"
		   "</b></p><p><a href=\"{{manage_link}}\">Reschedule or cancel</a></p>" HTML_FOOT},
	{"pending", "email", "Request received: {{service_name}} on {{start_date}}",
	 "Hello {{customer_name}},\n\nwe have your request for {{service_name}} on {{start}} "
	 "({{zone}}). We will confirm it shortly.\nReference {{reference}}: {{manage_link}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>we have your request for <b>{{service_name}}"
		   "</b> on {{start}} ({{zone}}). We will confirm it shortly.</p><p>Reference "
		   "{{reference}} &middot; <a href=\"{{manage_link}}\">view it</a></p>" HTML_FOOT},
	{"confirm_request", "email", "Please confirm: {{service_name}} on {{start_date}}",
	 "Hello {{customer_name}},\n\nsomeone asked to book {{service_name}} on {{start}} "
	 "({{zone}}) under this email address. The booking is kept for you only when you confirm "
	 "it on this page:\n\n  {{confirm_link}}\n\nIf it was not you, do nothing: it lapses on "
	 "its own and you will hear nothing more.\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>someone asked to book <b>{{service_name}}</b> "
		   "on {{start}} ({{zone}}) under this email address. The booking is kept for you "
		   "only when you confirm it:</p><p><a href=\"{{confirm_link}}\">Confirm the "
		   "booking</a></p><p>If it was not you, do nothing: it lapses on its own and you "
		   "will hear nothing more.</p>" HTML_FOOT},
	{"rescheduled", "email", "Moved: {{service_name}} now on {{start_date}} at {{start_time}}",
	 "Hello {{customer_name}},\n\nyour booking has moved to {{start}} ({{zone}}) with "
	 "{{provider_name}}.\nReference {{reference}}: {{manage_link}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>your booking has moved to <b>{{start}}</b> "
		   "({{zone}}) with {{provider_name}}.</p><p>Reference {{reference}} &middot; <a "
		   "href=\"{{manage_link}}\">manage it</a></p>" HTML_FOOT},
	{"cancelled", "email", "Cancelled: {{service_name}} on {{start_date}}",
	 "Hello {{customer_name}},\n\nyour booking of {{service_name}} on {{start}} ({{zone}}) is "
	 "cancelled. {{refund}}\nReference {{reference}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>your booking of <b>{{service_name}}</b> on "
		   "{{start}} ({{zone}}) is cancelled. {{refund}}</p><p>Reference {{reference}}</p>" HTML_FOOT},
	{"reminder", "email", "Reminder: {{service_name}} on {{start_date}} at {{start_time}}",
	 "Hello {{customer_name}},\n\na reminder of your booking:\n\n  {{service_name}} with "
	 "{{provider_name}}\n  {{start}} ({{zone}})\n\nTo reschedule or cancel: {{manage_link}}\n"
	 "No more reminders: {{opt_out_link}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>a reminder of your booking:</p><p><b>"
		   "{{service_name}}</b> with {{provider_name}}<br>{{start}} ({{zone}})</p><p><a "
		   "href=\"{{manage_link}}\">Reschedule or cancel</a></p><p style=\"font-size:small\">"
		   "<a href=\"{{opt_out_link}}\">No more reminders</a></p>" HTML_FOOT},
	{"no_show", "email", "We missed you: {{service_name}} on {{start_date}}",
	 "Hello {{customer_name}},\n\nwe missed you at {{start}} ({{zone}}). Book again any time.\n"
	 TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>we missed you at {{start}} ({{zone}}). Book "
		   "again any time.</p>" HTML_FOOT},
	{"waitlist_offer", "email", "A seat is free: {{service_name}} on {{start_date}}",
	 "Hello {{customer_name}},\n\na seat has freed up in {{service_name}} on {{start}} "
	 "({{zone}}), and you are next on the waiting list. It is kept for you until "
	 "{{offer_until}}. Book it in one step:\n\n  {{offer_link}}\n\nThe same page lets you "
	 "decline, so the seat goes to the next person. If you do nothing, it passes on by itself.\n"
	 TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>a seat has freed up in <b>{{service_name}}</b> "
		   "on {{start}} ({{zone}}), and you are next on the waiting list. It is kept for "
		   "you until <b>{{offer_until}}</b>.</p><p><a href=\"{{offer_link}}\">Book the "
		   "seat</a></p><p>The same page lets you decline, so the seat goes to the next "
		   "person. If you do nothing, it passes on by itself.</p>" HTML_FOOT},
	{"series_confirmed", "email", "Booked: {{service_name}}, a series from {{start_date}}",
	 "Hello {{customer_name}},\n\nyour series of {{service_name}} is booked:\n\n{{series}}\n"
	 "Each date is a booking of its own, with its own reminder. To see the series, cancel one "
	 "date or the rest: {{manage_link}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>your series of <b>{{service_name}}</b> is "
		   "booked:</p><pre style=\"font-family:sans-serif\">{{series}}</pre><p>Each date is "
		   "a booking of its own, with its own reminder.</p><p><a href=\"{{manage_link}}\">"
		   "See the series, cancel one date or the rest</a></p>" HTML_FOOT},
	{"series_cancelled", "email", "Cancelled: {{service_name}} from {{start_date}}",
	 "Hello {{customer_name}},\n\nyour series of {{service_name}} is cancelled from {{start}} "
	 "({{zone}}) on. The series now reads:\n\n{{series}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>your series of <b>{{service_name}}</b> is "
		   "cancelled from {{start}} ({{zone}}) on. The series now reads:</p><pre "
		   "style=\"font-family:sans-serif\">{{series}}</pre>" HTML_FOOT},
	{"group_summary", "email", "Group booked: {{service_name}} on {{start_date}} ({{group_reference}})",
	 "Hello {{organiser_name}},\n\nyour group is booked for {{service_name}} on {{start}} "
	 "({{zone}}). Group reference {{group_reference}}.\n\nParticipants (each gets their own "
	 "confirmation):\n{{participants}}\nTo add or remove participants, or cancel the group: "
	 "{{group_link}}\n" TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{organiser_name}},</p><p>your group is booked for <b>{{service_name}}"
		   "</b> on {{start}} ({{zone}}). Group reference <b>{{group_reference}}</b>.</p>"
		   "<p>Participants (each gets their own confirmation):</p><pre>{{participants}}</pre>"
		   "<p><a href=\"{{group_link}}\">Manage the group</a></p>" HTML_FOOT},
	{"late_join", "email", "Joined late: {{service_name}} has begun",
	 "Hello {{customer_name}},\n\nyou have joined {{service_name}}, which began at {{start}} "
	 "({{zone}}) and is under way: come straight in.\nReference {{reference}}: {{manage_link}}\n"
	 TEXT_FOOT,
	 HTML_HEAD "<p>Hello {{customer_name}},</p><p>you have joined <b>{{service_name}}</b>, which "
		   "began at {{start}} ({{zone}}) and is under way: come straight in.</p><p>Reference "
		   "{{reference}} &middot; <a href=\"{{manage_link}}\">view it</a></p>" HTML_FOOT},
	{"staff_new", "email", "New booking: {{service_name}} {{start_date}} {{start_time}}",
	 "New booking {{reference}}: {{service_name}} with {{provider_name}} on {{start}} "
	 "({{zone}}) for {{customer_name}}. Status {{status}}.\n",
	 HTML_HEAD "<p>New booking <b>{{reference}}</b>: {{service_name}} with {{provider_name}} on "
		   "{{start}} ({{zone}}) for {{customer_name}}. Status {{status}}.</p></body></html>"},
	{"staff_changed", "email", "Booking {{reference}} {{status}}",
	 "Booking {{reference}} ({{service_name}}, {{customer_name}}) is now {{status}}: {{start}} "
	 "({{zone}}). {{reason}}\n",
	 HTML_HEAD "<p>Booking <b>{{reference}}</b> ({{service_name}}, {{customer_name}}) is now "
		   "{{status}}: {{start}} ({{zone}}). {{reason}}</p></body></html>"},
	{"confirmed", "sms", "", "{{business_name}}: booked {{service_name}} {{start}}. Ref "
				 "{{reference}}. Manage: {{manage_link}}", ""},
	{"rescheduled", "sms", "", "{{business_name}}: moved to {{start}}. Ref {{reference}}.", ""},
	{"cancelled", "sms", "", "{{business_name}}: {{service_name}} {{start}} cancelled. Ref "
				 "{{reference}}.", ""},
	/* The link first: an SMS is cut at --sms-max characters. */
	{"waitlist_offer", "sms", "", "{{business_name}}: a seat is yours to book: {{offer_link}} "
				      "({{service_name}} {{start}}; kept until {{offer_until}})", ""},
	{"reminder", "sms", "", "{{business_name}} reminder: {{service_name}} {{start}}. Manage: "
				"{{manage_link}}", ""},
};

const notify_template *notify_default(const char *event, const char *channel)
{
	for (size_t i = 0; i < sizeof(NOTIFY_DEFAULTS) / sizeof(NOTIFY_DEFAULTS[0]); i++)
		if (strcmp(NOTIFY_DEFAULTS[i].event, event) == 0 &&
		    strcmp(NOTIFY_DEFAULTS[i].channel, channel) == 0)
			return &NOTIFY_DEFAULTS[i];
	return NULL;
}

bool notify_event_known(const char *event)
{
	return notify_default(event, "email") != NULL;
}
