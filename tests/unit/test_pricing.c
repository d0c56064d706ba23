/* test_pricing.c - core/pricing: the rules document, and a table of rules x instants
 * (DST change days in Europe/London and America/New_York) -> prices. */
#include <check.h>
#include <string.h>

#include "core/pricing.h"

/* An appointment's rules: every kind of condition, both kinds of effect. */
static const char *const APPT_RULES =
	"{\"rules\":["
	"{\"name\":\"Christmas\",\"dates\":{\"from\":\"2026-12-20\",\"to\":\"2027-01-03\"},"
	"\"multiplier_bp\":15000},"
	"{\"name\":\"Weekend\",\"weekdays\":[6,7],\"multiplier_bp\":12000},"
	"{\"name\":\"Evening\",\"time\":{\"from\":\"18:00\",\"to\":\"22:00\"},\"adjust_minor\":500},"
	"{\"name\":\"Early bird\",\"lead_s\":{\"min\":2592000},\"multiplier_bp\":9000},"
	"{\"name\":\"Last minute\",\"lead_s\":{\"max\":86400},\"multiplier_bp\":8000},"
	"{\"name\":\"Airport\",\"location\":\"airport\",\"adjust_minor\":2000},"
	"{\"name\":\"Night\",\"time\":{\"from\":\"23:00\",\"to\":\"02:00\"},\"adjust_minor\":100}],"
	"\"addons\":[{\"id\":\"oil\",\"name\":\"Hot oil\",\"price_minor\":700,\"duration_s\":900}]}";

/* A rental's rates, a week tier and an item's surcharge. */
static const char *const RENTAL_RULES =
	"{\"rates\":{\"hour_minor\":1000,\"day_minor\":6000},\"rules\":["
	"{\"name\":\"Week\",\"length_s\":{\"min\":604800},\"multiplier_bp\":8500},"
	"{\"name\":\"Big boat\",\"resource\":\"res_big\",\"multiplier_bp\":13000}]}";

static service appt(void)
{
	return (service){.id = "svc_a", .name = "Cut", .kind = SERVICE_APPOINTMENT,
			 .duration_s = 3600, .price_minor = 5000, .capacity = 1};
}

static service rental(void)
{
	return (service){.id = "svc_r", .name = "Boat", .kind = SERVICE_RENTAL,
			 .duration_s = 3600, .price_minor = 900, .capacity = 1};
}

static int64_t at(const char *rfc3339)
{
	int64_t t;
	ck_assert_msg(tz_parse_rfc3339(rfc3339, strlen(rfc3339), &t), "%s", rfc3339);
	return t;
}

typedef struct row {
	const char *what;
	const char *zone;
	bool rent;           /* RENTAL_RULES on the rental, else APPT_RULES on the appointment */
	const char *start;
	const char *end;     /* NULL: start + 1 hour */
	int64_t lead_s;      /* now = start - lead_s */
	const char *location;
	int64_t total;
	int lines;
} row;

static const row TABLE[] = {
	/* Appointments: base 5000, a plain weekday at 10:00 with a week's notice. */
	{"plain Tuesday", "Europe/London", false, "2026-06-02T10:00:00+01:00", NULL, 604800, NULL,
	 5000, 1},
	{"Saturday +20%", "Europe/London", false, "2026-06-06T10:00:00+01:00", NULL, 604800, NULL,
	 6000, 2},
	/* London spring forward (Sunday 29 March): 18:30 BST is evening and weekend. */
	{"London DST Sunday evening", "Europe/London", false, "2026-03-29T18:30:00+01:00", NULL,
	 604800, NULL, 6500, 3},
	/* 17:30 BST is not evening, though 17:30 is 18:30 nowhere near London. */
	{"London DST Sunday 17:30", "Europe/London", false, "2026-03-29T17:30:00+01:00", NULL,
	 604800, NULL, 6000, 2},
	/* New York spring forward (Sunday 8 March): 18:30 EDT is 22:30Z, evening locally. */
	{"New York DST Sunday evening", "America/New_York", false, "2026-03-08T18:30:00-04:00", NULL,
	 604800, NULL, 6500, 3},
	/* New York fall back (Sunday 1 November): 01:30 happens twice; both are night. */
	{"New York 01:30 first", "America/New_York", false, "2026-11-01T01:30:00-04:00", NULL,
	 604800, NULL, 6100, 3},
	{"New York 01:30 second", "America/New_York", false, "2026-11-01T01:30:00-05:00", NULL,
	 604800, NULL, 6100, 3},
	/* A season: Christmas week Wednesday, +50%. */
	{"Christmas", "Europe/London", false, "2026-12-23T10:00:00+00:00", NULL, 604800, NULL,
	 7500, 2},
	{"season's last day", "Europe/London", false, "2027-01-03T10:00:00+00:00", NULL, 604800,
	 NULL, 8500, 3}, /* a Sunday: +50% +20% */
	{"after the season", "Europe/London", false, "2027-01-05T10:00:00+00:00", NULL, 604800,
	 NULL, 5000, 1},
	/* Lead time: 30 days exactly is early; a day exactly is not last minute. */
	{"early bird", "Europe/London", false, "2026-06-02T10:00:00+01:00", NULL, 2592000, NULL,
	 4500, 2},
	{"last minute", "Europe/London", false, "2026-06-02T10:00:00+01:00", NULL, 7200, NULL,
	 4000, 2},
	{"a day ahead", "Europe/London", false, "2026-06-02T10:00:00+01:00", NULL, 86400, NULL,
	 5000, 1},
	{"at the airport", "Europe/London", false, "2026-06-02T10:00:00+01:00", NULL, 604800,
	 "airport", 7000, 2},
	/* Rentals: 1000/hour, 6000/day. */
	{"5 hours", "Europe/London", true, "2026-06-02T09:00:00+01:00", "2026-06-02T14:00:00+01:00",
	 0, NULL, 5000, 1},
	{"8 hours cost a day", "Europe/London", true, "2026-06-02T09:00:00+01:00",
	 "2026-06-02T17:00:00+01:00", 0, NULL, 6000, 1},
	{"a day and 2 hours", "Europe/London", true, "2026-06-02T09:00:00+01:00",
	 "2026-06-03T11:00:00+01:00", 0, NULL, 8000, 2},
	{"a day and 20 minutes", "Europe/London", true, "2026-06-02T09:00:00+01:00",
	 "2026-06-03T09:20:00+01:00", 0, NULL, 7000, 2},
	/* London spring forward: Saturday 10:00 to Sunday 10:00 is 23 hours and one day. */
	{"London 23-hour day", "Europe/London", true, "2026-03-28T10:00:00+00:00",
	 "2026-03-29T10:00:00+01:00", 0, NULL, 6000, 1},
	/* London fall back: 22:00 to 23:00 the next day is a day (25 h) and an hour. */
	{"London 25-hour day", "Europe/London", true, "2026-10-24T22:00:00+01:00",
	 "2026-10-25T23:00:00+00:00", 0, NULL, 7000, 2},
	/* New York fall back: noon to 14:00 next day is a day and 2 hours, not 27 hours. */
	{"New York 25-hour day", "America/New_York", true, "2026-10-31T12:00:00-04:00",
	 "2026-11-01T14:00:00-05:00", 0, NULL, 8000, 2},
	{"New York spring day", "America/New_York", true, "2026-03-07T12:00:00-05:00",
	 "2026-03-08T12:00:00-04:00", 0, NULL, 6000, 1},
	/* A week tier: 7 days, -15% of 42000. */
	{"a week", "Europe/London", true, "2026-06-01T09:00:00+01:00", "2026-06-08T09:00:00+01:00",
	 0, NULL, 35700, 2},
};

static void run_row(const row *r)
{
	pricing_rules rules;
	char field[64] = "";
	ck_assert_int_eq(pricing_parse(r->rent ? RENTAL_RULES : APPT_RULES, &rules, field,
				       sizeof(field)),
			 STATUS_OK);
	service svc = r->rent ? rental() : appt();
	int64_t start = at(r->start);
	pricing_input in = {.svc = &svc, .zone = tz_get(r->zone), .start = start,
			    .end = r->end ? at(r->end) : start + 3600, .now = start - r->lead_s,
			    .seats = 1, .location = r->location};
	ck_assert_ptr_nonnull(in.zone);
	pricing_quote q;
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, NULL), STATUS_OK);
	ck_assert_msg(q.total_minor == r->total && q.n == r->lines, "%s: %lld in %d lines",
		      r->what, (long long)q.total_minor, q.n);
	int64_t sum = 0;
	for (int i = 0; i < q.n; i++)
		sum += q.line[i].amount_minor;
	ck_assert_int_eq(sum, q.total_minor);
}

START_TEST(pricing_table)
{
	for (size_t i = 0; i < sizeof(TABLE) / sizeof(TABLE[0]); i++)
		run_row(&TABLE[i]);
}
END_TEST

START_TEST(pricing_rounding_and_lines)
{
	/* Half away from zero, both signs. */
	ck_assert_int_eq(pricing_bp_of(999, 5000), 500);   /* 499.5 */
	ck_assert_int_eq(pricing_bp_of(999, -1500), -150); /* -149.85 */
	ck_assert_int_eq(pricing_bp_of(-5, 5000), -3);     /* -2.5 */
	ck_assert_int_eq(pricing_bp_of(3, 1000), 0);       /* 0.3 */
	ck_assert_int_eq(pricing_bp_of(5, 1000), 1);       /* 0.5 */
	pricing_rules rules;
	ck_assert_int_eq(pricing_parse(APPT_RULES, &rules, NULL, 0), STATUS_OK);
	service svc = appt();
	svc.price_minor = 999;
	int64_t start = at("2026-12-23T10:00:00+00:00"); /* Christmas: +50% of 999 is 500 */
	const char *chosen[] = {"oil"};
	pricing_input in = {.svc = &svc, .zone = tz_get("Europe/London"), .start = start,
			    .end = start + 3600, .now = start - 604800, .seats = 2,
			    .addons = chosen, .n_addons = 1, .tier_name = "Gold",
			    .tier_discount_bp = 1000};
	pricing_quote q;
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, NULL), STATUS_OK);
	/* base 2 x 999 = 1998; +50% = 999; oil 700 once; subtotal 3697; Gold -10% = -370. */
	ck_assert_int_eq(q.n, 4);
	ck_assert_str_eq(q.line[0].kind, "base");
	ck_assert_int_eq(q.line[0].amount_minor, 1998);
	ck_assert_str_eq(q.line[1].label, "Christmas");
	ck_assert_int_eq(q.line[1].amount_minor, 999);
	ck_assert_int_eq(q.line[1].bp, 15000);
	ck_assert_str_eq(q.line[2].kind, "addon");
	ck_assert_int_eq(q.line[2].amount_minor, 700);
	ck_assert_str_eq(q.line[3].kind, "tier");
	ck_assert_int_eq(q.line[3].amount_minor, -370);
	ck_assert_int_eq(q.total_minor, 3327);
	ck_assert_int_eq(q.extra_s, 900); /* the add-on lengthens the booking */
	/* An add-on not offered, or asked for twice. */
	const char *unknown[] = {"wax"}, *twice[] = {"oil", "oil"}, *bad = NULL;
	in.addons = unknown;
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, &bad), STATUS_NOT_FOUND);
	ck_assert_str_eq(bad, "wax");
	in.addons = twice;
	in.n_addons = 2;
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, &bad), STATUS_NOT_FOUND);
	/* No rules: the list price, one line; never below zero. */
	in.n_addons = 0;
	in.tier_discount_bp = 0;
	ck_assert_int_eq(pricing_quote_make(NULL, &in, &q, NULL), STATUS_OK);
	ck_assert_int_eq(q.total_minor, 1998);
	ck_assert_int_eq(q.n, 1);
	ck_assert_int_eq(pricing_parse("{\"rules\":[{\"name\":\"Free\",\"adjust_minor\":-5000}]}",
				       &rules, NULL, 0),
			 STATUS_OK);
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, NULL), STATUS_OK);
	ck_assert_int_eq(q.total_minor, 0);
	/* A rental item's rule and a whole day on rates with only a day rate. */
	ck_assert_int_eq(pricing_parse(RENTAL_RULES, &rules, NULL, 0), STATUS_OK);
	service r = rental();
	in = (pricing_input){.svc = &r, .zone = tz_get("Europe/London"), .start = start,
			     .end = start + 5 * 3600, .now = start, .seats = 1,
			     .resource_id = "res_big"};
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, NULL), STATUS_OK);
	ck_assert_int_eq(q.total_minor, 6500); /* 5 hours +30% */
	ck_assert_int_eq(pricing_parse("{\"rates\":{\"day_minor\":6000}}", &rules, NULL, 0),
			 STATUS_OK);
	in.end = start + 25 * 3600;
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, NULL), STATUS_OK);
	ck_assert_int_eq(q.total_minor, 12000); /* 25 hours start a second day */
	ck_assert_int_eq(pricing_parse("{\"rates\":{\"hour_minor\":1000}}", &rules, NULL, 0),
			 STATUS_OK);
	in.start = at("2026-03-29T00:00:00+00:00"); /* London's 23-hour day, by the hour */
	in.end = at("2026-03-30T00:00:00+01:00");
	ck_assert_int_eq(pricing_quote_make(&rules, &in, &q, NULL), STATUS_OK);
	ck_assert_int_eq(q.total_minor, 23000);
}
END_TEST

START_TEST(pricing_parse_errors)
{
	static const struct {
		const char *doc, *field;
	} bad[] = {
		{"[]", "pricing"},
		{"{\"rules\":[{\"multiplier_bp\":12000}]}", "rules[0].name"},
		{"{\"rules\":[{\"name\":\"x\"}]}", "rules[0].multiplier_bp"},
		{"{\"rules\":[{\"name\":\"x\",\"multiplier_bp\":1,\"adjust_minor\":1}]}",
		 "rules[0].adjust_minor"},
		{"{\"rules\":[{\"name\":\"x\",\"multiplier_bp\":1.5}]}", "rules[0].multiplier_bp"},
		{"{\"rules\":[{\"name\":\"x\",\"weekdays\":[0],\"multiplier_bp\":1}]}",
		 "rules[0].weekdays"},
		{"{\"rules\":[{\"name\":\"x\",\"time\":{\"from\":\"25:00\",\"to\":\"26:00\"},"
		 "\"multiplier_bp\":1}]}",
		 "rules[0].time"},
		{"{\"rules\":[{\"name\":\"x\",\"dates\":{\"from\":\"2026-02-30\",\"to\":\"2026-03-01\"},"
		 "\"multiplier_bp\":1}]}",
		 "rules[0].dates"},
		{"{\"rules\":[{\"name\":\"x\",\"lead_s\":{\"min\":5,\"max\":5},\"multiplier_bp\":1}]}",
		 "rules[0].lead_s"},
		{"{\"rates\":{\"day_minor\":-1}}", "rates.day_minor"},
		{"{\"addons\":[{\"id\":\"a\",\"name\":\"A\"}]}", "addons[0].price_minor"},
		{"{\"addons\":[{\"id\":\"a\",\"name\":\"A\",\"price_minor\":1},"
		 "{\"id\":\"a\",\"name\":\"B\",\"price_minor\":1}]}",
		 "addons[1].id"},
		{"{\"surge\":1}", "surge"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pricing_rules r;
		char field[64] = "";
		ck_assert_int_eq(pricing_parse(bad[i].doc, &r, field, sizeof(field)), STATUS_INVALID);
		ck_assert_str_eq(field, bad[i].field);
		ck_assert(pricing_empty(&r));
	}
	pricing_rules r;
	ck_assert_int_eq(pricing_parse("", &r, NULL, 0), STATUS_OK);
	ck_assert(pricing_empty(&r));
	ck_assert_int_eq(pricing_parse("{}", &r, NULL, 0), STATUS_OK);
	ck_assert(pricing_empty(&r));
}
END_TEST

Suite *pricing_suite(void)
{
	Suite *s = suite_create("pricing");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, pricing_table);
	tcase_add_test(tc, pricing_rounding_and_lines);
	tcase_add_test(tc, pricing_parse_errors);
	suite_add_tcase(s, tc);
	return s;
}
