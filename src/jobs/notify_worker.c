/* notify_worker.c - compose and deliver queued notifications. */
#include "jobs/notify_worker.h"
#include "jobs/notify_staff.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/civil.h"
#include "base/clock.h"
#include "base/log.h"
#include "calsync/ics.h"
#include "core/tz.h"
#include "notify/defaults.h"
#include "notify/mime.h"
#include "notify/template.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/remind.h"
#include "store/secrets.h"
#include "store/series.h"

#include "store/group.h"
#include "store/waitlist.h"

#define NOTIFY_BATCH 20
#define NOTIFY_LEASE_S 120

int64_t notify_backoff(int attempts)
{
	int64_t d = NOTIFY_BACKOFF_BASE_S;
	for (int i = 1; i < attempts && d < NOTIFY_BACKOFF_MAX_S; i++)
		d *= 2;
	if (d > NOTIFY_BACKOFF_MAX_S)
		d = NOTIFY_BACKOFF_MAX_S;
	/* Jitter spreads retries of many messages after an outage. */
	return d * (80 + (int64_t)randombytes_uniform(41)) / 100;
}


static void when_text(const tz *z, int64_t t, arena *a, const char **full, const char **date,
		      const char **time_)
{
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	civil c = tz_to_civil(z, t);
	int64_t day = civil_days(c.year, c.month, c.day);
	*date = arena_printf(a, "%s %d %s %d", days[civil_weekday(day)], c.day,
			     months[(c.month - 1) % 12], c.year);
	*time_ = arena_printf(a, "%02d:%02d", c.hour, c.min);
	*full = arena_printf(a, "%s, %s", *date, *time_);
}

/* The template of it: given (a preview), the business's own, or the shipped default;
 * STATUS_CONFLICT when there is none for its event and channel. */
static status render_pick(db_conn *c, const business *b, const outbox_item *it,
			  const notify_template *given, arena *a, const char **subject,
			  const char **text, const char **html)
{
	status st = STATUS_OK;
	if (given) {
		*subject = given->subject;
		*text = given->body_text;
		*html = given->body_html;
	} else {
		st = outbox_template(c, b->id, it->event, it->channel, a, subject, text, html);
	}
	if (st == STATUS_NOT_FOUND) {
		const notify_template *d = notify_default(it->event, it->channel);
		if (!d)
			return STATUS_CONFLICT;
		*subject = d->subject;
		*text = d->body_text;
		*html = d->body_html;
		st = STATUS_OK;
	}
	return st;
}

/* The links a message about bk carries (in a): the booking's page, its confirmation page
 * (confirm_by_email), for a reminder the customer's opt-out, and for a seat offered from a
 * waiting list the page that books it in one step or declines it, signed over the entry like
 * the manage link over the booking ("" otherwise). */
typedef struct render_links {
	const char *manage;  /* /b/{reference}?t=... */
	const char *confirm; /* /b/{reference}/confirm?t=... */
	const char *opt_out; /* the opt-out, or "" */
	const char *offer;   /* a waiting list offer: /w/{entry}?t=..., else "" */
	const char *series;  /* a series message: one line per occurrence, else "" */
	const char *group;   /* a group's summary: the organiser's /g/{group}?t=..., else "" */
	const char *group_reference; /* the group's words ("" otherwise): its reference, */
	const char *organiser;       /* its organiser's name, */
	const char *participants;    /* and a line per participant */
} render_links;

/* The lines of a series message: each occurrence's date and time in zone z and what it is
 * now (booked with its reference, cancelled, or not free with the engine's reason). */
static status series_lines(db_conn *c, const business *b, const booking *bk, const tz *z,
			   arena *a, const char **out)
{
	const char *sid;
	series_result *s = arena_alloc(a, sizeof(*s));
	status st = series_of_booking(c, b->id, bk->id, a, &sid);
	if (st == STATUS_OK)
		st = series_get(c, b, sid, a, s);
	if (st != STATUS_OK)
		return st;
	const char *text = "";
	for (int i = 0; i < s->n; i++) {
		const series_item *it = &s->items[i];
		const char *full, *date, *time_;
		when_text(z, it->booking_id ? it->start : it->wanted, a, &full, &date, &time_);
		const char *what = !it->booking_id
					   ? arena_printf(a, "not booked: not free (%s)", it->reason)
				   : it->status == BOOKING_CANCELLED
					   ? arena_printf(a, "cancelled (%s)", it->reference)
					   : arena_printf(a, "%s%s", it->reference,
							  it->shifted ? ", moved from the usual time" : "");
		text = arena_printf(a, "%s  %s  %s\n", text, full, what);
	}
	*out = text;
	return STATUS_OK;
}

static status render_links_make(db_conn *c, const notify_worker_config *cfg,
				const outbox_item *it, const business *b, const booking *bk,
				int64_t now, arena *a, render_links *out)
{
	out->opt_out = "";
	if (bk->customer_id && strcmp(it->event, "reminder") == 0) {
		const char *tok;
		status st = store_link_token(c, "optout", arena_printf(a, "%s:%s", b->id,
								       bk->customer_id),
					     now, a, &tok);
		if (st != STATUS_OK)
			return st;
		out->opt_out = arena_printf(a, "%s/api/v1/public/notifications/opt-out?b=%s&c=%s"
					    "&token=%s", cfg->public_url, b->id, bk->customer_id, tok);
	}
	const char *tok;
	status st = store_link_token(c, "manage", bk->id, now, a, &tok);
	if (st != STATUS_OK)
		return st;
	out->manage = arena_printf(a, "%s/b/%s?t=%s", cfg->public_url, bk->reference, tok);
	out->confirm = arena_printf(a, "%s/b/%s/confirm?t=%s", cfg->public_url, bk->reference, tok);
	out->offer = "";
	out->series = "";
	if (strncmp(it->event, "series_", 7) == 0) {
		const tz *z = bk->customer_tz ? tz_get(bk->customer_tz) : NULL;
		st = series_lines(c, b, bk, z ? z : tz_get(b->timezone), a, &out->series);
		if (st != STATUS_OK)
			return st;
	}
	if (strcmp(it->event, "waitlist_offer") == 0) {
		const char *entry;
		st = waitlist_by_hold(c, b->id, bk->id, a, &entry);
		if (st == STATUS_OK)
			st = store_link_token(c, "waitlist", entry, now, a, &tok);
		if (st != STATUS_OK)
			return st;
		out->offer = arena_printf(a, "%s/w/%s?t=%s", cfg->public_url, entry, tok);
	}
	out->group = out->group_reference = out->organiser = out->participants = "";
	if (strncmp(it->event, "group_", 6) == 0) {
		const char *gid;
		st = group_message_words(c, b->id, bk->id, a, &out->organiser, &out->group_reference,
					 &gid, &out->participants);
		if (st == STATUS_OK)
			st = store_link_token(c, "group", gid, now, a, &tok);
		if (st != STATUS_OK)
			return st;
		out->group = arena_printf(a, "%s/g/%s?t=%s", cfg->public_url, gid, tok);
	}
	return STATUS_OK;
}

/* The calendar attachment of a customer's email (left out when it cannot be written). */
static status render_ics(db_conn *c, const notify_worker_config *cfg, const business *b,
			 const booking *bk, const service *svc, const provider *who,
			 const char *manage, int64_t now, arena *a, notify_message *m)
{
	booking_event *ev;
	int nev = 0;
	status st = store_booking_events(c, b->id, bk->id, a, &ev, &nev);
	bool cancelled = bk->status == BOOKING_CANCELLED;
	ics_event e = {
		.uid = arena_printf(a, "%s@bookd", bk->id),
		.sequence = nev > 0 ? nev - 1 : 0,
		.start = bk->start_at,
		.end = bk->end_at,
		.stamp = now,
		.summary = who->name ? arena_printf(a, "%s with %s", svc->name, who->name) : svc->name,
		.location = b->address,
		.description = arena_printf(a, "Booking %s. Manage it at %s", bk->reference, manage),
		.url = manage,
		.organizer_name = b->name,
		.organizer_email = cfg->send.smtp_from,
		.attendee_name = bk->customer_name,
		.attendee_email = bk->customer_email,
		.cancelled = cancelled,
	};
	m->ics_method = cancelled ? "CANCEL" : "REQUEST";
	if (st == STATUS_OK &&
	    ics_write_event(&e, cancelled ? ICS_CANCEL : ICS_REQUEST, &m->ics) != STATUS_OK)
		buf_reset(&m->ics); /* a message without the attachment beats none */
	return st;
}

/* Fills the subject, text and HTML of m from the templates and the booking's words. */
static status render_body(const outbox_item *it, const business *b, const booking *bk,
			  const service *svc, const provider *who, const render_links *l,
			  const char *const tmpl[3], arena *a, notify_message *m)
{
	/* Times in the customer's zone when their booking page gave it; else the business's. */
	const tz *z = bk->customer_tz && strncmp(it->event, "staff_", 6) != 0
			      ? tz_get(bk->customer_tz)
			      : NULL;
	if (!z)
		z = tz_get(b->timezone);
	const char *start, *start_date, *start_time, *e_full, *e_date, *end_time;
	when_text(z, bk->start_at, a, &start, &start_date, &start_time);
	when_text(z, bk->end_at, a, &e_full, &e_date, &end_time);
	const char *offer_until = "", *o_date, *o_time;
	if (strcmp(it->event, "waitlist_offer") == 0)
		when_text(z, bk->hold_expires_at, a, &offer_until, &o_date, &o_time);
	tmpl_var vars[] = {
		{"business_name", b->name},       {"business_address", b->address},
		{"business_phone", b->phone},     {"customer_name", bk->customer_name},
		{"service_name", svc->name},      {"provider_name", who->name ? who->name : b->name},
		{"start", start},                 {"start_date", start_date},
		{"start_time", start_time},       {"zone", tz_name(z)},
		{"end_time", end_time},           {"reference", bk->reference},
		{"manage_link", l->manage},       {"opt_out_link", l->opt_out},
		{"confirm_link", l->confirm},
		{"status", booking_status_name(bk->status)}, {"reason", ""},
		{"refund", ""},
		{"offer_link", l->offer},         {"offer_until", offer_until},
		{"series", l->series ? l->series : ""},
		{"group_link", l->group},         {"group_reference", l->group_reference},
		{"organiser_name", l->organiser}, {"participants", l->participants},
	};
	size_t nv = sizeof(vars) / sizeof(vars[0]);
	buf sub;
	buf_init(&sub, 1000);
	status st = tmpl_render(tmpl[0], vars, nv, false, &sub);
	m->subject = arena_strdup(a, sub.data ? sub.data : "");
	buf_free(&sub);
	if (st == STATUS_OK)
		st = tmpl_render(tmpl[1], vars, nv, false, &m->text);
	if (st == STATUS_OK && tmpl[2] && *tmpl[2])
		st = tmpl_render(tmpl[2], vars, nv, true, &m->html);
	m->from_name = b->name;
	return st;
}

status notify_render(db_conn *c, const notify_worker_config *cfg, const outbox_item *it,
		     const notify_template *given, int64_t now, arena *a, notify_message *m)
{
	business b;
	booking bk;
	service svc;
	provider who = {0};
	if (!it->booking_id) /* a message about a staff account */
		return given ? STATUS_CONFLICT : notify_render_staff(c, cfg, it, now, a, m);
	status st = store_business_by_id(c, it->business_id, a, &b);
	if (st == STATUS_OK)
		st = store_booking_get(c, b.id, it->booking_id, false, a, &bk);
	if (st == STATUS_OK)
		st = store_service_get(c, b.id, bk.service_id, a, &svc);
	if (st == STATUS_OK && bk.provider_id)
		st = store_provider_get(c, b.id, bk.provider_id, a, &who);
	if (st != STATUS_OK)
		return st;
	if (!given && strcmp(it->event, "reminder") == 0 &&
	    (bk.status != BOOKING_CONFIRMED || bk.start_at <= now))
		return STATUS_CONFLICT;
	/* An offer already answered or lapsed is not sent any more. */
	if (!given && strcmp(it->event, "waitlist_offer") == 0 &&
	    (bk.status != BOOKING_HELD || bk.hold_expires_at <= now))
		return STATUS_CONFLICT;
	const char *tmpl[3] = {NULL, NULL, NULL}; /* subject, text, HTML */
	render_links l = {0};
	st = render_pick(c, &b, it, given, a, &tmpl[0], &tmpl[1], &tmpl[2]);
	if (st == STATUS_OK)
		st = render_links_make(c, cfg, it, &b, &bk, now, a, &l);
	if (st == STATUS_OK)
		st = render_body(it, &b, &bk, &svc, &who, &l, tmpl, a, m);
	/* An offer is not a booking yet: no calendar entry. */
	bool customer_mail = strcmp(it->channel, "email") == 0 && strncmp(it->event, "staff_", 6) != 0 &&
			     strcmp(it->event, "waitlist_offer") != 0 &&
			     strncmp(it->event, "series_", 7) != 0 && /* each date has its own */
			     strcmp(it->event, "group_summary") != 0;
	if (st == STATUS_OK && customer_mail)
		st = render_ics(c, cfg, &b, &bk, &svc, &who, l.manage, now, a, m);
	return st;
}

static status notify_deliver(const notify_worker_config *cfg, const outbox_item *it,
			     const notify_message *m, int64_t now, arena *a, char *err, size_t errlen)
{
	if (strcmp(it->channel, "sms") == 0)
		return send_sms(&cfg->send, it->recipient, m->text.data ? m->text.data : "", err, errlen);
	const char *host = strstr(cfg->public_url, "://");
	host = host ? host + 3 : "bookd";
	size_t hl = strcspn(host, ":/");
	mime_mail mail = {
		.from_addr = cfg->send.smtp_from,
		.from_name = m->from_name,
		.to_addr = it->recipient,
		.subject = m->subject,
		.text = m->text.data,
		.html = m->html.data,
		.ics = m->ics.len ? m->ics.data : NULL,
		.ics_method = m->ics_method,
		.message_id = arena_printf(a, "<%s@%.*s>", it->id, (int)hl, host),
		.date = now,
	};
	buf out;
	buf_init(&out, 4u << 20);
	status st = mime_write(&mail, &out);
	if (st == STATUS_OK)
		st = send_email(&cfg->send, it->recipient, out.data, out.len, err, errlen);
	else
		snprintf(err, errlen, "the message could not be written");
	buf_free(&out);
	return st;
}

status notify_run_once(db *d, const notify_worker_config *cfg, int64_t now, bool reminders,
		       int *sent_n)
{
	bool email = cfg->send.smtp_url && *cfg->send.smtp_url;
	bool sms = cfg->send.sms_url && *cfg->send.sms_url;
	int sent = 0;
	arena *a = arena_new();
	db_conn *c = db_acquire(d);
	outbox_item *items;
	int n = 0;
	/* Reminders that have come due get their rows first (store/remind), then are claimed
	 * like any other row. */
	status st = reminders ? remind_plan_due(c, now, a, NULL) : STATUS_OK;
	if (st == STATUS_OK)
		st = outbox_claim(c, now, email, sms, NOTIFY_BATCH, NOTIFY_LEASE_S, a, &items, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		const outbox_item *it = &items[i];
		notify_message m = {0};
		buf_init(&m.text, 256u << 10);
		buf_init(&m.html, 256u << 10);
		buf_init(&m.ics, 64u << 10);
		char err[512] = "";
		status cs = notify_render(c, cfg, it, NULL, now, a, &m);
		status ds = STATUS_IO;
		if (cs == STATUS_CONFLICT) {
			st = outbox_cancelled(c, it, "nothing to send any more", now);
		} else if (cs != STATUS_OK) {
			snprintf(err, sizeof(err), "could not write the message: %s", status_name(cs));
		} else {
			/* The database connection is not needed while the peer answers. */
			db_release(d, c);
			ds = notify_deliver(cfg, it, &m, now, a, err, sizeof(err));
			c = db_acquire(d);
		}
		if (cs == STATUS_CONFLICT) {
			/* done above */
		} else if (ds == STATUS_OK) {
			st = outbox_sent(c, it, now);
			sent++;
		} else if (ds == STATUS_INVALID || it->attempts >= NOTIFY_MAX_ATTEMPTS) {
			/* STATUS_INVALID: no attempt can ever succeed */
			st = outbox_failed(c, it, err, now);
			log_warn("notify: %s to %s failed for good: %s", it->event, it->channel, err);
		} else {
			st = outbox_retry(c, it, now + notify_backoff(it->attempts), err, now);
			log_warn("notify: %s by %s, attempt %d: %s", it->event, it->channel, it->attempts, err);
		}
		buf_free(&m.text);
		buf_free(&m.html);
		buf_free(&m.ics);
	}
	db_release(d, c);
	arena_free(a);
	if (sent_n)
		*sent_n = sent;
	return st;
}

/* The worker's state, owned here behind notify_lock. */
static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notify_cond = PTHREAD_COND_INITIALIZER;
static bool notify_running, notify_kicked, notify_started;
static bool notify_clock_moved; /* the next pass looks at the reminders whenever it runs */
static pthread_t notify_thread;
static db *notify_db;
static const notify_worker_config *notify_cfg;
static int notify_interval_ms;

static void *notify_main(void *arg)
{
	(void)arg;
	/* Reminders fall due with time, not with the changes that kick the worker (every
	 * booking does): a kicked pass delivers what the change queued, and looks for due
	 * reminders only once interval_ms has passed since the last look. */
	int64_t reminded_ns = 0;
	pthread_mutex_lock(&notify_lock);
	while (notify_running) {
		notify_kicked = false;
		int64_t mono = clock_mono_ns();
		bool reminders = notify_clock_moved || reminded_ns == 0 ||
				 mono - reminded_ns >= (int64_t)notify_interval_ms * 1000000;
		notify_clock_moved = false;
		pthread_mutex_unlock(&notify_lock);
		if (reminders)
			reminded_ns = mono;
		int sent = 0;
		status st = notify_run_once(notify_db, notify_cfg, clock_now(), reminders, &sent);
		if (st != STATUS_OK && st != STATUS_BUSY)
			log_warn("notify: pass failed: %s", status_name(st));
		pthread_mutex_lock(&notify_lock);
		if (!notify_running || notify_kicked || sent == NOTIFY_BATCH)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += notify_interval_ms / 1000;
		until.tv_nsec += (long)(notify_interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&notify_cond, &notify_lock, &until);
	}
	pthread_mutex_unlock(&notify_lock);
	return NULL;
}

void notify_start(db *d, const notify_worker_config *cfg, int interval_ms)
{
	notify_db = d;
	notify_cfg = cfg;
	notify_interval_ms = interval_ms > 0 ? interval_ms : 1000;
	notify_running = true;
	notify_started = pthread_create(&notify_thread, NULL, notify_main, NULL) == 0;
	if (notify_started)
		pthread_setname_np(notify_thread, "notify");
}

void notify_kick(void)
{
	pthread_mutex_lock(&notify_lock);
	notify_kicked = true;
	pthread_cond_broadcast(&notify_cond);
	pthread_mutex_unlock(&notify_lock);
}

void notify_kick_clock(void)
{
	pthread_mutex_lock(&notify_lock);
	notify_kicked = true;
	notify_clock_moved = true;
	pthread_cond_broadcast(&notify_cond);
	pthread_mutex_unlock(&notify_lock);
}

void notify_stop(void)
{
	pthread_mutex_lock(&notify_lock);
	notify_running = false;
	pthread_cond_broadcast(&notify_cond);
	pthread_mutex_unlock(&notify_lock);
	if (notify_started)
		pthread_join(notify_thread, NULL);
	notify_started = false;
}
