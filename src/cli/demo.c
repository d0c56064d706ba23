/* demo.c - `bookd demo`: loads the demo business (slug "demo"): services of each kind,
 * several providers and resources, opening hours, class sessions and a week of bookings. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/config_doc.h"
#include "api/password.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/ids.h"
#include "cli/cli.h"
#include "core/tz.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/user.h"

/* The configuration part: the same format as `bookd import` (docs/config-format.md). */
static const char *const DEMO_CONFIG_PARTS[] = {
	"{\"business\": {\"slug\": \"demo\", \"name\": \"Harbour Studio\", "
	" \"timezone\": \"Europe/London\", \"currency\": \"GBP\", \"locale\": \"en-GB\","
	" \"address\": \"12 Quay Street, Bristol BS1 4DJ\", \"phone\": \"+44 117 496 0000\","
	" \"listed\": true, \"accent_colour\": \"#0f766e\"},"
	"\"providers\": ["
	" {\"id\": \"alice\", \"name\": \"Alice Moreau\", \"email\": \"alice@example.com\"},"
	" {\"id\": \"ben\", \"name\": \"Ben Okafor\", \"email\": \"ben@example.com\"},"
	" {\"id\": \"chloe\", \"name\": \"Chloé Ruiz\", \"email\": \"chloe@example.com\"}],"
	"\"resources\": ["
	" {\"id\": \"room-1\", \"name\": \"Treatment room\"},"
	" {\"id\": \"studio\", \"name\": \"Yoga studio\"},"
	" {\"id\": \"bike-1\", \"name\": \"City bike 1\"},"
	" {\"id\": \"bike-2\", \"name\": \"City bike 2\"}],"
	,
	"\"services\": ["
	" {\"id\": \"haircut\", \"name\": \"Haircut\", \"description\": \"Wash, cut and finish.\","
	"  \"kind\": \"appointment\", \"duration_s\": 2700, \"price_minor\": 3500,"
	"  \"buffer_after_s\": 900, \"slot_interval_s\": 900, \"min_notice_s\": 7200,"
	"  \"cancel_until_s\": 86400, \"reschedule_until_s\": 86400,"
	"  \"refund_tiers\": [{\"min_notice_s\": 172800, \"refund_percent\": 100},"
	"                    {\"min_notice_s\": 86400, \"refund_percent\": 50}],"
	"  \"providers\": [\"alice\", \"ben\", \"chloe\"]},"
	" {\"id\": \"colour\", \"name\": \"Colour & style\", \"description\": \"Full colour with a blow-dry.\","
	"  \"kind\": \"appointment\", \"duration_s\": 7200, \"price_minor\": 9500,"
	"  \"buffer_before_s\": 600, \"buffer_after_s\": 900, \"slot_interval_s\": 1800,"
	"  \"min_notice_s\": 86400, \"providers\": [\"alice\", \"chloe\"]},"
	" {\"id\": \"massage\", \"name\": \"Massage\", \"description\": \"Sixty minutes in the treatment room.\","
	"  \"kind\": \"appointment\", \"duration_s\": 3600, \"price_minor\": 6000,"
	"  \"buffer_after_s\": 900, \"slot_interval_s\": 1800, \"needs_resource\": true,"
	"  \"providers\": [\"ben\", \"chloe\"], \"resources\": [\"room-1\"]},"
	" {\"id\": \"yoga\", \"name\": \"Evening yoga\", \"description\": \"An hour of vinyasa, mats provided.\","
	"  \"kind\": \"class\", \"duration_s\": 3600, \"price_minor\": 1200, \"capacity\": 12,"
	"  \"providers\": [\"chloe\"], \"resources\": [\"studio\"]},"
	" {\"id\": \"bike\", \"name\": \"City bike hire\", \"description\": \"By the hour, up to a day.\","
	"  \"kind\": \"rental\", \"duration_s\": 3600, \"price_minor\": 800, \"min_length_s\": 3600,"
	"  \"max_length_s\": 43200, \"slot_interval_s\": 1800, \"needs_resource\": true,"
	"  \"resources\": [\"bike-1\", \"bike-2\"]}],"
	,
	"\"schedules\": ["
	" {\"owner\": \"business\", \"weekday\": \"mon\", \"start\": \"09:00\", \"end\": \"12:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"mon\", \"start\": \"13:00\", \"end\": \"17:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"tue\", \"start\": \"09:00\", \"end\": \"12:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"tue\", \"start\": \"13:00\", \"end\": \"17:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"wed\", \"start\": \"09:00\", \"end\": \"12:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"wed\", \"start\": \"13:00\", \"end\": \"17:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"thu\", \"start\": \"09:00\", \"end\": \"12:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"thu\", \"start\": \"13:00\", \"end\": \"19:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"fri\", \"start\": \"09:00\", \"end\": \"12:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"fri\", \"start\": \"13:00\", \"end\": \"17:00\"},"
	" {\"owner\": \"business\", \"weekday\": \"sat\", \"start\": \"10:00\", \"end\": \"16:00\"},"
	" {\"owner\": \"provider:ben\", \"weekday\": \"tue\", \"start\": \"10:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"provider:ben\", \"weekday\": \"wed\", \"start\": \"10:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"provider:ben\", \"weekday\": \"thu\", \"start\": \"10:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"provider:ben\", \"weekday\": \"fri\", \"start\": \"10:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"provider:ben\", \"weekday\": \"sat\", \"start\": \"10:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"resource:room-1\", \"weekday\": \"mon\", \"start\": \"09:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"resource:room-1\", \"weekday\": \"tue\", \"start\": \"09:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"resource:room-1\", \"weekday\": \"wed\", \"start\": \"09:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"resource:room-1\", \"weekday\": \"thu\", \"start\": \"09:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"resource:room-1\", \"weekday\": \"fri\", \"start\": \"09:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"resource:room-1\", \"weekday\": \"sat\", \"start\": \"09:00\", \"end\": \"18:00\"},"
	" {\"owner\": \"resource:bike-1\", \"weekday\": \"mon\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-1\", \"weekday\": \"tue\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-1\", \"weekday\": \"wed\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-1\", \"weekday\": \"thu\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-1\", \"weekday\": \"fri\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-1\", \"weekday\": \"sat\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-1\", \"weekday\": \"sun\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-2\", \"weekday\": \"mon\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-2\", \"weekday\": \"tue\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-2\", \"weekday\": \"wed\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-2\", \"weekday\": \"thu\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-2\", \"weekday\": \"fri\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-2\", \"weekday\": \"sat\", \"start\": \"08:00\", \"end\": \"20:00\"},"
	" {\"owner\": \"resource:bike-2\", \"weekday\": \"sun\", \"start\": \"08:00\", \"end\": \"20:00\"}],"
	"\"closures\": [{\"date\": \"2026-12-25\", \"name\": \"Christmas Day\"},"
	"               {\"date\": \"2026-12-26\", \"name\": \"Boxing Day\"},"
	"               {\"date\": \"2027-01-01\", \"name\": \"New Year's Day\"}]}"};

/* One demo booking a day: who, what, at which local time, for whom. */
typedef struct demo_booking {
	const char *provider;  /* provider id */
	const char *service;   /* service id */
	const char *resource;  /* resource id or NULL */
	int weekday_mask;      /* bit 0 = Monday: the days it happens */
	int hour, min;         /* local start */
} demo_booking;

static const demo_booking DEMO_BOOKINGS[] = {
	{"alice", "haircut", NULL, 0x3f, 10, 0},  {"alice", "haircut", NULL, 0x1f, 14, 0},
	{"ben", "colour", NULL, 0x3e, 11, 0},     {"chloe", "haircut", NULL, 0x3f, 9, 30},
	{"chloe", "massage", "room-1", 0x1f, 15, 0},
};

static const char *const DEMO_CUSTOMERS[][2] = {
	{"Maya Patel", "maya.patel@example.com"},   {"Tom Fischer", "tom.fischer@example.com"},
	{"Ines Costa", "ines.costa@example.com"},   {"Oliver Grant", "oliver.grant@example.com"},
	{"Sara Lind", "sara.lind@example.com"},     {"Kenji Mori", "kenji.mori@example.com"},
	{"Aoife Byrne", "aoife.byrne@example.com"}, {"Lucas Silva", "lucas.silva@example.com"},
};

/* Adds class sessions Mon, Wed, Fri 18:00 local for four weeks from `today`. */
static void demo_sessions(json_t *doc, const tz *z, int64_t today)
{
	json_t *sessions = json_array();
	for (int64_t d = today; d < today + 28; d++) {
		int wd = civil_weekday(d);
		if (wd != 0 && wd != 2 && wd != 4)
			continue;
		civil c = civil_from_days(d);
		c.hour = 18;
		char start[TZ_RFC3339_SIZE];
		tz_format_rfc3339(z, tz_from_civil(z, c, NULL), start);
		json_array_append_new(sessions, json_pack("{s:s, s:s, s:s, s:s}", "service", "yoga",
							  "provider", "chloe", "resource", "studio",
							  "start", start));
	}
	json_object_set_new(doc, "sessions", sessions); /* steals */
}

static status demo_bookings(db_conn *c, const char *bid, const tz *z, int64_t today, int64_t now,
			    arena *a, int *made)
{
	int k = 0;
	for (int64_t d = today; d < today + 7; d++) {
		int wd = civil_weekday(d);
		for (size_t i = 0; i < sizeof(DEMO_BOOKINGS) / sizeof(DEMO_BOOKINGS[0]); i++) {
			const demo_booking *want = &DEMO_BOOKINGS[i];
			if (!(want->weekday_mask & (1 << wd)))
				continue;
			service s;
			status st = store_service_get(c, bid, want->service, a, &s);
			if (st != STATUS_OK)
				return st;
			civil lc = civil_from_days(d);
			lc.hour = want->hour;
			lc.min = want->min;
			const char *const *who = DEMO_CUSTOMERS[k % 8];
			const char *cid;
			st = store_customer_upsert(c, bid, who[1], who[0], "", false, 1, s.price_minor, now, a,
						   &cid);
			if (st != STATUS_OK)
				return st;
			booking b = {0};
			b.id = ids_new(a, "bkg");
			b.reference = ids_reference(a);
			b.service_id = s.id;
			b.provider_id = want->provider;
			b.resource_id = want->resource;
			b.start_at = tz_from_civil(z, lc, NULL);
			b.end_at = b.start_at + s.duration_s;
			b.busy_start = b.start_at - s.buffer_before_s;
			b.busy_end = b.end_at + s.buffer_after_s;
			b.seats = 1;
			b.status = BOOKING_CONFIRMED;
			b.customer_id = cid;
			b.customer_name = who[0];
			b.customer_email = who[1];
			b.source = k % 3 == 0 ? "phone" : "web";
			b.price_minor = s.price_minor;
			b.currency = "GBP";
			b.manage_token_hash = ids_secret_hash(a, ids_secret(a));
			b.created_at = now;
			b.updated_at = now;
			st = store_booking_insert(c, bid, &b);
			if (st == STATUS_OK)
				st = store_booking_event(c, bid, ids_new(a, "evt"), b.id, now, "demo",
							 "created", NULL, "confirmed", "demo data", NULL);
			if (st != STATUS_OK)
				return st;
			k++;
		}
	}
	*made = k;
	return STATUS_OK;
}

status demo_load(db_conn *c, bool replace, const char *owner_hash, int64_t now, arena *a,
		 errlist *errs, const char **business_id_out, int *bookings_out)
{
	buf text;
	buf_init(&text, 1u << 16);
	for (size_t i = 0; i < sizeof(DEMO_CONFIG_PARTS) / sizeof(DEMO_CONFIG_PARTS[0]); i++)
		buf_adds(&text, DEMO_CONFIG_PARTS[i]);
	json_t *doc = json_loads(text.data, 0, NULL);
	buf_free(&text);
	const tz *z = tz_get("Europe/London");
	int64_t today = tz_local_day(z, now);
	demo_sessions(doc, z, today);
	const char *bid = NULL;
	status st = config_import(c, doc, replace, now, a, errs, &bid);
	json_decref(doc);
	int made = 0;
	if (st == STATUS_OK) {
		st = db_begin_write(c);
		staff_user owner = {.business_id = bid, .id = ids_new(a, "usr"),
				    .email = "owner@demo.test", .name = "Demo owner", .role = "owner",
				    .password_hash = owner_hash, .created_at = now};
		if (st == STATUS_OK)
			st = store_user_insert(c, &owner);
		if (st == STATUS_OK)
			st = demo_bookings(c, bid, z, today, now, a, &made);
		if (st == STATUS_OK)
			st = db_commit(c);
		else
			db_rollback(c);
	}
	if (st == STATUS_OK) {
		if (business_id_out)
			*business_id_out = bid;
		if (bookings_out)
			*bookings_out = made;
	}
	return st;
}

int cmd_demo(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db", *replace_s = "no";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH or postgres://..."},
		{"--replace", NULL, &replace_s, "yes: delete and reload an existing demo business"},
	};
	int code = 0;
	if (!cli_parse("demo", "Load the demo business (slug 'demo') with a week of bookings.",
		       argc, argv, flags, 2, &code))
		return code;
	bool replace = strcmp(replace_s, "yes") == 0;
	db *d;
	code = cli_open_db(url, 1, &d);
	if (code)
		return code;
	arena *a = arena_new();
	db_conn *c = db_acquire(d);
	business existing;
	status st = store_business_by_slug(c, "demo", a, &existing);
	if (st == STATUS_OK && !replace) {
		printf("demo business already loaded (bookd demo --replace yes reloads it)\n");
		db_release(d, c);
		db_close(d);
		arena_free(a);
		return 0;
	}
	errlist errs = {0};
	int made = 0;
	/* A staff owner to try the dashboard and the staff API with; the password is shown once. */
	const char *password = ids_secret(a);
	char hash[PASSWORD_HASH_MAX];
	st = password_hash(password, hash) == STATUS_OK
		     ? demo_load(c, replace, hash, clock_now(), a, &errs, NULL, &made)
		     : STATUS_INTERNAL;
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd demo: %s: %s%s%s\n", status_name(st), db_error(c),
			errs.count ? errs.e[0].field : "", errs.count ? errs.e[0].detail : "");
		code = 1;
	} else {
		printf("demo business loaded: slug demo, %d bookings over the next 7 days\n"
		       "staff login: business demo, owner@demo.test, password %s (shown once)\n",
		       made, password);
	}
	db_release(d, c);
	db_close(d);
	arena_free(a);
	return code;
}
