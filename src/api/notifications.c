/* notifications.c - staff routes for notifications: history per booking or customer, retry
 * by hand, templates (list, save, reset, preview) and settings (reminder offsets, quiet
 * hours, staff alerts, whether email is configured). Admin and owner. */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/handlers.h"
#include "core/reminders.h"
#include "core/tz.h"
#include "jobs/notify_worker.h"
#include "notify/defaults.h"
#include "notify/template.h"
#include "store/booking.h"
#include "store/notify_admin.h"
#include "store/outbox.h"
#include "store/remind.h"

static const char *const NOTIFY_EVENTS[] = {"confirmed", "pending",  "rescheduled",   "cancelled",
					    "reminder",  "no_show",  "staff_new", "staff_changed",
					    "waitlist_offer", "group_summary", "late_join", NULL};
static const char *const NOTIFY_CHANNELS[] = {"email", "sms", NULL};

static json_t *instant(const tz *z, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	if (!t)
		return json_null();
	tz_format_rfc3339(z, t, s);
	return json_string(s);
}

void notifications_list(http_req *r)
{
	app *ap = r->app;
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	notify_row *rows;
	int n;
	status st = notify_history(c, b.id, http_query(r, "booking"), http_query(r, "customer"),
				   http_query(r, "status"), 200, r->arena, &rows, &n);
	/* Reminders are written when they fall due (store/remind): the ones still to come are
	 * computed from the bookings and listed after the stored rows, marked "planned". */
	const char *want = http_query(r, "status");
	notify_row *plan = NULL;
	int np = 0;
	if (st == STATUS_OK && (!want || !*want || strcmp(want, "pending") == 0))
		st = remind_planned(c, b.id, http_query(r, "booking"), http_query(r, "customer"),
				    r->now, 200 - n, r->arena, &plan, &np);
	int64_t wait_email = 0, wait_sms = 0;
	if (st == STATUS_OK)
		st = notify_waiting(c, b.id, &wait_email, &wait_sms);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b.timezone);
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:o}",
					"id", rows[i].id, "booking", rows[i].booking_id,
					"booking_reference", rows[i].booking_reference, "customer",
					rows[i].customer_id, "channel", rows[i].channel, "template",
					rows[i].event, "recipient", rows[i].recipient, "status",
					rows[i].status, "attempts", rows[i].attempts, "last_error",
					rows[i].last_error, "due_at", instant(z, rows[i].due_at),
					"next_attempt_at", instant(z, rows[i].next_attempt_at), "created_at",
					instant(z, rows[i].created_at), "sent_at", instant(z, rows[i].sent_at)));
	for (int i = 0; i < np; i++)
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, "
					"s:o, s:o, s:b}",
					"id", plan[i].id, "booking", plan[i].booking_id,
					"booking_reference", plan[i].booking_reference, "customer",
					plan[i].customer_id, "channel", plan[i].channel, "template",
					plan[i].event, "recipient", plan[i].recipient, "status",
					plan[i].status, "attempts", 0, "last_error", "", "due_at",
					instant(z, plan[i].due_at), "next_attempt_at",
					instant(z, plan[i].next_attempt_at), "created_at",
					instant(z, plan[i].created_at), "sent_at", json_null(), "planned",
					true));
	bool email = ap->notify && ap->notify->send.smtp_url && *ap->notify->send.smtp_url;
	bool sms = ap->notify && ap->notify->send.sms_url && *ap->notify->send.sms_url;
	http_json_take(r, 200,
		       json_pack("{s:o, s:{s:b, s:b, s:I, s:I}}", "notifications", list, "delivery",
				 "email_configured", email, "sms_configured", sms, "email_waiting",
				 (json_int_t)wait_email, "sms_waiting", (json_int_t)wait_sms));
}

void notifications_retry(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	status st = outbox_retry_now(c, b.id, http_param(r, "id"), r->now);
	if (st == STATUS_CONFLICT) {
		http_problem(r, st, "only a failed notification can be retried");
		return;
	}
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such notification");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	notify_kick();
	http_json_take(r, 202, json_pack("{s:s, s:s}", "id", http_param(r, "id"), "status", "pending"));
}

static bool known(const char *const *names, const char *s)
{
	for (size_t i = 0; s && names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

/* The {event} and {channel} of the path; answers 404 for unknown ones. */
static bool template_key(http_req *r, const char **event, const char **channel)
{
	*event = http_param(r, "event");
	*channel = http_param(r, "channel");
	if (!known(NOTIFY_EVENTS, *event) || !known(NOTIFY_CHANNELS, *channel) ||
	    (strcmp(*channel, "sms") == 0 && !notify_default(*event, "sms"))) {
		http_problem(r, STATUS_NOT_FOUND, "no such template");
		return false;
	}
	return true;
}

void notification_templates_list(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	json_t *list = json_array();
	status st = STATUS_OK;
	for (size_t i = 0; NOTIFY_EVENTS[i] && st == STATUS_OK; i++) {
		for (size_t k = 0; NOTIFY_CHANNELS[k]; k++) {
			const notify_template *d = notify_default(NOTIFY_EVENTS[i], NOTIFY_CHANNELS[k]);
			if (!d)
				continue;
			const char *sub = d->subject, *text = d->body_text, *html = d->body_html;
			st = outbox_template(c, b.id, d->event, d->channel, r->arena, &sub, &text, &html);
			bool custom = st == STATUS_OK;
			if (st == STATUS_NOT_FOUND)
				st = STATUS_OK;
			json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:s, s:s, s:s}", "event",
							      d->event, "channel", d->channel, "custom",
							      custom, "subject", sub, "body_text", text,
							      "body_html", html));
		}
	}
	if (st != STATUS_OK) {
		json_decref(list);
		api_store_error(r, c, st);
		return;
	}
	json_t *names = json_array();
	for (size_t i = 0; TMPL_NAMES[i]; i++)
		json_array_append_new(names, json_string(TMPL_NAMES[i]));
	http_json_take(r, 200, json_pack("{s:o, s:o}", "templates", list, "placeholders", names));
}

/* Reads a template body: subject, body_text, body_html, each checked for placeholders. */
static bool template_body(http_req *r, json_t *body, const char *channel, notify_template *t)
{
	const char *keys[] = {"subject", "body_text", "body_html"};
	const char **dst[] = {&t->subject, &t->body_text, &t->body_html};
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(body, keys[i]); /* borrowed */
		*dst[i] = "";
		if (!v || json_is_null(v)) {
			if (i == 1 || (i == 0 && strcmp(channel, "email") == 0))
				http_field_error_add(r, keys[i], "is required");
			continue;
		}
		if (!json_is_string(v) || strlen(json_string_value(v)) > 20000) {
			http_field_error_add(r, keys[i], "must be a string of at most 20000 characters");
			continue;
		}
		char why[128];
		if (tmpl_check(json_string_value(v), why, sizeof(why)) != STATUS_OK)
			http_field_error_add(r, keys[i], "%s", why);
		*dst[i] = arena_strdup(r->arena, json_string_value(v));
	}
	return r->nerrors == 0;
}

void notification_template_put(http_req *r)
{
	const char *event, *channel;
	if (!template_key(r, &event, &channel))
		return;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	notify_template t = {.event = event, .channel = channel};
	bool ok = template_body(r, body, channel, &t);
	json_decref(body);
	if (!ok) {
		http_problem(r, STATUS_INVALID, "invalid template");
		return;
	}
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	status st = notify_template_put(c, b.id, event, channel, t.subject, t.body_text, t.body_html,
					r->now);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	http_json_take(r, 200, json_pack("{s:s, s:s, s:b, s:s, s:s, s:s}", "event", event, "channel",
					 channel, "custom", 1, "subject", t.subject, "body_text",
					 t.body_text, "body_html", t.body_html));
}

void notification_template_delete(http_req *r)
{
	const char *event, *channel;
	if (!template_key(r, &event, &channel))
		return;
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	status st = notify_template_delete(c, b.id, event, channel);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	http_text(r, 204, "application/json", "", 0);
}

void notification_template_preview(http_req *r)
{
	const char *event, *channel;
	if (!template_key(r, &event, &channel))
		return;
	json_t *body = r->body_len ? http_body_json(r) : json_object();
	if (!body)
		return;
	notify_template t = {.event = event, .channel = channel};
	const notify_template *given = NULL;
	if (json_object_get(body, "body_text")) {
		if (!template_body(r, body, channel, &t)) {
			json_decref(body);
			http_problem(r, STATUS_INVALID, "invalid template");
			return;
		}
		given = &t;
	}
	const char *booking_id = json_string_value(json_object_get(body, "booking"));
	booking_id = booking_id ? arena_strdup(r->arena, booking_id) : NULL;
	json_decref(body);
	app *ap = r->app;
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	status st = STATUS_OK;
	booking by_ref;
	const char *ref_bid;
	if (!booking_id)
		st = notify_sample_booking(c, b.id, r->arena, &booking_id);
	else if (store_booking_by_reference(c, booking_id, r->arena, &by_ref, &ref_bid) == STATUS_OK &&
		 strcmp(ref_bid, b.id) == 0)
		booking_id = by_ref.id; /* a reference names it as well as an id */
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, STATUS_CONFLICT, "a preview needs a booking to fill the placeholders");
		return;
	}
	outbox_item it = {.business_id = b.id, .id = "preview", .booking_id = booking_id,
			  .channel = channel, .event = event, .recipient = ""};
	notify_message m = {0};
	buf_init(&m.text, 256u << 10);
	buf_init(&m.html, 256u << 10);
	buf_init(&m.ics, 64u << 10);
	if (st == STATUS_OK)
		st = notify_render(c, ap->notify, &it, given, r->now, r->arena, &m);
	if (st == STATUS_OK)
		http_json_take(r, 200, json_pack("{s:s, s:s, s:s}", "subject", m.subject ? m.subject : "",
						 "body_text", m.text.data ? m.text.data : "",
						 "body_html", m.html.data ? m.html.data : ""));
	else if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such booking");
	else
		api_store_error(r, NULL, st);
	buf_free(&m.text);
	buf_free(&m.html);
	buf_free(&m.ics);
}

static json_t *settings_json(const notify_settings *s)
{
	json_t *offsets = json_loads(s->reminder_offsets, 0, NULL);
	json_t *alerts = json_loads(s->staff_alerts, 0, NULL);
	return json_pack("{s:o, s:i, s:i, s:o}", "reminder_offsets_s", offsets ? offsets : json_array(),
			 "quiet_start_min", s->quiet_start_min, "quiet_end_min", s->quiet_end_min,
			 "staff_alerts", alerts ? alerts : json_array());
}

void notification_settings_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	notify_settings s;
	if (!auth_business(r, c, &b))
		return;
	status st = notify_settings_get(c, b.id, r->arena, &s);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	http_json_take(r, 200, settings_json(&s));
}

void notification_settings_patch(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	db_conn *c = app_db(r);
	business b;
	notify_settings s;
	if (!auth_business(r, c, &b)) {
		json_decref(body);
		return;
	}
	status st = notify_settings_get(c, b.id, r->arena, &s);
	json_t *v;
	if ((v = json_object_get(body, "reminder_offsets_s"))) {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		int64_t offs[REMINDERS_MAX];
		size_t n;
		if (!text || reminders_parse(text, offs, &n) != STATUS_OK)
			http_field_error_add(r, "reminder_offsets_s",
					     "must be up to %d positive offsets in seconds, at most 60 days",
					     REMINDERS_MAX);
		else
			s.reminder_offsets = arena_strdup(r->arena, text);
		free(text);
	}
	const char *mins[] = {"quiet_start_min", "quiet_end_min"};
	int *dst[] = {&s.quiet_start_min, &s.quiet_end_min};
	for (int i = 0; i < 2; i++) {
		if (!(v = json_object_get(body, mins[i])))
			continue;
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1439)
			http_field_error_add(r, mins[i], "must be minutes after midnight, 0 to 1439");
		else
			*dst[i] = (int)json_integer_value(v);
	}
	if ((v = json_object_get(body, "staff_alerts"))) {
		/* [{"email": ADDRESS, "events": ["new", "changed"]}]: who hears of what. */
		bool ok = json_is_array(v) && json_array_size(v) <= 50;
		size_t i;
		json_t *who;
		json_array_foreach(ok ? v : NULL, i, who) {
			const char *addr = json_string_value(json_object_get(who, "email"));
			const json_t *events = json_object_get(who, "events");
			ok = ok && json_is_object(who) && addr && strchr(addr, '@') && strlen(addr) <= 254 &&
			     !strpbrk(addr, " ,<>\r\n") && (!events || json_is_array(events));
			size_t k;
			json_t *e;
			json_array_foreach(ok ? events : NULL, k, e) ok = ok && json_is_string(e) &&
				(strcmp(json_string_value(e), "new") == 0 || strcmp(json_string_value(e), "changed") == 0);
		}
		if (!ok) {
			http_field_error_add(r, "staff_alerts",
					     "must be a list of {\"email\", \"events\": [\"new\", \"changed\"]}");
		} else {
			char *text = json_dumps(v, JSON_COMPACT);
			if (text)
				s.staff_alerts = arena_strdup(r->arena, text);
			else
				http_field_error_add(r, "staff_alerts", "could not be stored");
			free(text);
		}
	}
	json_decref(body);
	if (st == STATUS_OK && r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid notification settings");
		return;
	}
	if (st == STATUS_OK)
		st = notify_settings_put(c, b.id, &s, r->now);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	http_json_take(r, 200, settings_json(&s));
}
