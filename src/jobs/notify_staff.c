/* notify_staff.c - writes the messages about staff accounts from the texts below. */
#include "jobs/notify_staff.h"

#include <jansson.h>
#include <string.h>

#include "core/tz.h"
#include "notify/template.h"
#include "store/business.h"

typedef struct staff_text {
	const char *event;   /* outbox event */
	const char *subject; /* email subject */
	const char *text;    /* plain text */
	const char *html;    /* HTML part */
} staff_text;

static const staff_text STAFF_TEXTS[] = {
	{"password_reset", "Reset your password for {{business_name}}",
	 "Hello {{user_name}},\n\nSomeone asked to reset the password of your staff account at "
	 "{{business_name}}. To choose a new password, open this link before {{expires}}:\n\n"
	 "{{reset_link}}\n\nThe link works once. If you did not ask for this, ignore this "
	 "message: your password stays as it is.\n",
	 "<p>Hello {{user_name}},</p><p>Someone asked to reset the password of your staff "
	 "account at {{business_name}}. To choose a new password, open this link before "
	 "{{expires}}:</p><p><a href=\"{{reset_link}}\">Choose a new password</a></p><p>The link "
	 "works once. If you did not ask for this, ignore this message: your password stays as "
	 "it is.</p>"},
	{"password_reset_forced", "Choose a new password for {{business_name}}",
	 "Hello {{user_name}},\n\nAn owner of {{business_name}} asked you to choose a new "
	 "password: your old one no longer works and you were signed out everywhere. Open this "
	 "link before {{expires}} to choose a new one:\n\n{{reset_link}}\n\nThe link works once; "
	 "when it has expired, ask for a new one from the sign-in page.\n",
	 "<p>Hello {{user_name}},</p><p>An owner of {{business_name}} asked you to choose a new "
	 "password: your old one no longer works and you were signed out everywhere. Open this "
	 "link before {{expires}} to choose a new one:</p><p><a href=\"{{reset_link}}\">Choose a "
	 "new password</a></p><p>The link works once; when it has expired, ask for a new one from "
	 "the sign-in page.</p>"},
	{"password_reset_invite", "You are invited to {{business_name}}",
	 "Hello {{user_name}},\n\nAn owner of {{business_name}} made you a staff account. Open "
	 "this link before {{expires}} to choose your password:\n\n{{reset_link}}\n\nThe link "
	 "works once; when it has expired, ask for a new one from the sign-in page.\n",
	 "<p>Hello {{user_name}},</p><p>An owner of {{business_name}} made you a staff account. "
	 "Open this link before {{expires}} to choose your password:</p><p><a "
	 "href=\"{{reset_link}}\">Choose your password</a></p><p>The link works once; when it "
	 "has expired, ask for a new one from the sign-in page.</p>"},
	{"password_changed", "Your password for {{business_name}} was changed",
	 "Hello {{user_name}},\n\nThe password of your staff account at {{business_name}} was "
	 "changed, and your other sessions were ended. If this was not you, ask for a reset "
	 "link from the sign-in page at once and tell an owner of {{business_name}}.\n",
	 "<p>Hello {{user_name}},</p><p>The password of your staff account at {{business_name}} "
	 "was changed, and your other sessions were ended. If this was not you, ask for a reset "
	 "link from the sign-in page at once and tell an owner of {{business_name}}.</p>"},
	{"account_locked", "Sign-in to {{business_name}} locked after many failed attempts",
	 "Hello {{user_name}},\n\nThere were many failed attempts to sign in to your staff "
	 "account at {{business_name}} from several addresses, so sign-in with your email is "
	 "locked until {{until}} (longer if the attempts go on). Your password was not "
	 "guessed. If the attempts were not yours, someone is trying to get in: choose a long "
	 "password you use nowhere else.\n",
	 "<p>Hello {{user_name}},</p><p>There were many failed attempts to sign in to your "
	 "staff account at {{business_name}} from several addresses, so sign-in with your email "
	 "is locked until {{until}} (longer if the attempts go on). Your password was not "
	 "guessed. If the attempts were not yours, someone is trying to get in: choose a long "
	 "password you use nowhere else.</p>"},
	{"staff_account_locked", "Sign-in of {{locked_email}} to {{business_name}} locked",
	 "Hello,\n\nThere were many failed attempts to sign in to the staff account "
	 "{{locked_email}} at {{business_name}} from several addresses, so sign-in with that "
	 "email is locked until {{until}} (longer if the attempts go on). The password was not "
	 "guessed. You are told as an owner of {{business_name}}; the account's user was told "
	 "too.\n",
	 "<p>Hello,</p><p>There were many failed attempts to sign in to the staff account "
	 "{{locked_email}} at {{business_name}} from several addresses, so sign-in with that "
	 "email is locked until {{until}} (longer if the attempts go on). The password was not "
	 "guessed. You are told as an owner of {{business_name}}; the account's user was told "
	 "too.</p>"},
	{"calendar_failing", "Calendar {{calendar_name}} of {{business_name}} is not syncing",
	 "Hello,\n\nbookd cannot read the calendar {{calendar_name}} of {{business_name}} "
	 "since {{since}}: {{calendar_error}}\n\n{{calendar_advice}}\n\nWhile it fails, busy time "
	 "from it may be out of date (a fail-closed calendar offers no slots). See its health "
	 "and connect it again here:\n\n{{calendar_link}}\n\nYou are told once; a new failure "
	 "after it works again tells you again.\n",
	 "<p>Hello,</p><p>bookd cannot read the calendar {{calendar_name}} of {{business_name}} "
	 "since {{since}}: {{calendar_error}}</p><p>{{calendar_advice}}</p><p>While it fails, busy "
	 "time from it may be out of date (a fail-closed calendar offers no slots). See its "
	 "health and connect it again here:</p><p><a href=\"{{calendar_link}}\">Calendar "
	 "connections</a></p><p>You are told once; a new failure after it works again tells you "
	 "again.</p>"},
	{"webhook_disabled", "Webhook to {{calendar_name}} of {{business_name}} was disabled",
	 "Hello,\n\nbookd could not deliver webhook events of {{business_name}} to "
	 "{{calendar_name}} since {{since}} (last: {{calendar_error}}), so the endpoint was "
	 "disabled. Events are kept: once the receiver works again, enable the endpoint here and "
	 "what waited is sent:\n\n{{webhook_link}}\n",
	 "<p>Hello,</p><p>bookd could not deliver webhook events of {{business_name}} to "
	 "{{calendar_name}} since {{since}} (last: {{calendar_error}}), so the endpoint was "
	 "disabled. Events are kept: once the receiver works again, enable the endpoint here and "
	 "what waited is sent:</p><p><a href=\"{{webhook_link}}\">Webhooks</a></p>"},
};

/* An instant as "YYYY-MM-DD HH:MM (zone)" in the business's zone, or "" for 0. */
static const char *staff_when(const tz *z, int64_t t, arena *a)
{
	char s[TZ_RFC3339_SIZE];
	if (t <= 0 || !z || !tz_format_rfc3339(z, t, s))
		return "";
	return arena_printf(a, "%.10s %.5s (%s)", s, s + 11, tz_name(z));
}

status notify_render_staff(db_conn *c, const notify_worker_config *cfg, const outbox_item *it,
			   int64_t now, arena *a, notify_message *m)
{
	(void)now;
	const staff_text *t = NULL;
	for (size_t i = 0; i < sizeof(STAFF_TEXTS) / sizeof(STAFF_TEXTS[0]); i++)
		if (strcmp(STAFF_TEXTS[i].event, it->event) == 0)
			t = &STAFF_TEXTS[i];
	if (!t || strcmp(it->channel, "email") != 0)
		return STATUS_CONFLICT;
	business b;
	status st = store_business_by_id(c, it->business_id, a, &b);
	if (st != STATUS_OK)
		return st;
	json_t *p = json_loads(it->payload ? it->payload : "", 0, NULL); /* new reference */
	const char *name = json_string_value(json_object_get(p, "name")); /* borrowed */
	const char *token = json_string_value(json_object_get(p, "token"));
	const char *locked = json_string_value(json_object_get(p, "email"));
	int64_t expires = (int64_t)json_integer_value(json_object_get(p, "expires_at"));
	int64_t until = (int64_t)json_integer_value(json_object_get(p, "until"));
	int64_t since = (int64_t)json_integer_value(json_object_get(p, "since"));
	const char *cal_error = json_string_value(json_object_get(p, "error"));
	bool refused = json_is_true(json_object_get(p, "refused"));
	bool is_reset = strncmp(it->event, "password_reset", 14) == 0;
	if (is_reset && (!token || !*token)) {
		json_decref(p);
		return STATUS_CONFLICT;
	}
	const tz *z = tz_get(b.timezone);
	tmpl_var vars[] = {
		{"business_name", b.name},
		{"user_name", arena_strdup(a, name && *name ? name : it->recipient)},
		{"reset_link", is_reset ? arena_printf(a, "%s/auth/reset?t=%s", cfg->public_url, token)
					: ""},
		{"expires", staff_when(z, expires, a)},
		{"until", staff_when(z, until, a)},
		{"locked_email", arena_strdup(a, locked ? locked : "")},
		{"calendar_name", arena_strdup(a, name && *name ? name : "")},
		{"calendar_error", arena_strdup(a, cal_error ? cal_error : "")},
		{"since", staff_when(z, since, a)},
		{"calendar_advice",
		 refused ? "The calendar refused bookd's credentials: connect it again with new ones."
			 : "bookd keeps trying, less often as the failure lasts."},
		{"calendar_link", arena_printf(a, "%s/admin/calendars", cfg->public_url)},
		{"webhook_link", arena_printf(a, "%s/admin/webhooks", cfg->public_url)},
	};
	json_decref(p); /* the strings used were copied into a */
	size_t nv = sizeof(vars) / sizeof(vars[0]);
	buf sub;
	buf_init(&sub, 1000);
	st = tmpl_render(t->subject, vars, nv, false, &sub);
	m->subject = arena_strdup(a, sub.data ? sub.data : "");
	buf_free(&sub);
	if (st == STATUS_OK)
		st = tmpl_render(t->text, vars, nv, false, &m->text);
	if (st == STATUS_OK)
		st = tmpl_render(t->html, vars, nv, true, &m->html);
	m->from_name = b.name;
	return st;
}
