/* test_jsonw.c - base/jsonw and the answers written with it (api/avail_answer.c,
 * api/public_json.c): on many generated inputs (unicode, every control character, quotes,
 * long names) each must be the bytes jansson's compact dump gives for the answer built the
 * old way with json_pack, and parse back with jansson to an equal value. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/avail_answer.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/public_json.h"
#include "base/arena.h"
#include "base/jsonw.h"
#include "base/civil.h"

/* A small deterministic generator (tests must not depend on the system's random). */
static uint64_t gen_state;

static uint32_t gen(uint32_t n)
{
	gen_state = gen_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(gen_state >> 33) % n;
}

/* A random UTF-8 text from a: ASCII, every C0 control, DEL, quotes, backslash, slash, 2-, 3-
 * and 4-byte characters (U+2028 among them), sometimes long. */
static const char *gen_text(arena *a)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\"", "\\", "/", "\x7f", "\xc3\xa9", "\xe2\x80\xa8", "\xe6\x9d\xb1",
		"\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xc2\x80", "</script>", "{}[],:", "\xd7\x90"};
	size_t n = gen(4) == 0 ? 300 + gen(3000) : gen(24);
	char *s = arena_alloc(a, n * 10 + 1), *p = s; /* the longest piece is 9 bytes */
	for (size_t i = 0; i < n; i++) {
		if (gen(5) == 0) {
			*p++ = (char)(1 + gen(31)); /* a control character */
			continue;
		}
		const char *piece = pieces[gen(sizeof(pieces) / sizeof(pieces[0]))];
		size_t l = strlen(piece);
		memcpy(p, piece, l);
		p += l;
	}
	*p = '\0';
	return s;
}

/* Asserts out is exactly the compact dump of want (stolen), and parses back equal to it. */
static void same_as_jansson(const buf *out, json_t *want)
{
	ck_assert_ptr_nonnull(want);
	char *dump = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
	ck_assert_ptr_nonnull(dump);
	ck_assert_uint_eq(out->len, strlen(dump));
	ck_assert(memcmp(out->data, dump, out->len) == 0);
	json_error_t err;
	json_t *back = json_loadb(out->data, out->len, JSON_DECODE_ANY, &err);
	ck_assert_ptr_nonnull(back);
	ck_assert(json_equal(back, want));
	json_decref(back);
	free(dump);
	json_decref(want);
}

START_TEST(jsonw_strings_escape_as_jansson)
{
	arena *a = arena_new();
	gen_state = 1;
	/* Every single byte below 0x80, then generated texts. */
	for (int c = 1; c < 0x80; c++) {
		char s[2] = {(char)c, 0};
		buf b;
		buf_init(&b, 1u << 20);
		ck_assert_int_eq(jsonw_quote(&b, s, 1), STATUS_OK);
		same_as_jansson(&b, json_string(s));
		buf_free(&b);
	}
	for (int i = 0; i < 2000; i++) {
		const char *s = gen_text(a);
		int64_t v = ((int64_t)gen(1u << 31) - (1LL << 30)) * (int64_t)(1 + gen(1u << 30));
		buf b;
		buf_init(&b, 1u << 20);
		jsonw w;
		jsonw_init(&w, &b);
		jsonw_obj(&w);
		jsonw_key(&w, s);
		jsonw_str(&w, s);
		jsonw_key(&w, "n");
		jsonw_int(&w, v);
		jsonw_key(&w, "t");
		jsonw_bool(&w, i & 1);
		jsonw_key(&w, "z");
		jsonw_null(&w);
		jsonw_obj_end(&w);
		ck_assert_int_eq(jsonw_end(&w), STATUS_OK);
		json_t *o = json_object();
		json_object_set_new(o, s, json_string(s));
		json_object_set_new(o, "n", json_integer(v));
		json_object_set_new(o, "t", json_boolean(i & 1));
		json_object_set_new(o, "z", json_null());
		same_as_jansson(&b, o);
		buf_free(&b);
	}
	arena_free(a);
}
END_TEST

START_TEST(jsonw_refuses_what_jansson_cannot_hold)
{
	buf b;
	buf_init(&b, 1u << 20);
	/* Not UTF-8: a stray continuation byte, an overlong form, a surrogate, cut short. */
	static const char *const bad[] = {"a\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe6\x9d"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_ptr_null(json_string(bad[i]));
		jsonw w;
		jsonw_init(&w, &b);
		jsonw_str(&w, bad[i]);
		ck_assert_int_eq(jsonw_end(&w), STATUS_INVALID);
	}
	/* NULL where a string is due; unbalanced; the buffer's maximum. */
	jsonw w;
	jsonw_init(&w, &b);
	jsonw_str(&w, NULL);
	ck_assert_int_eq(jsonw_end(&w), STATUS_INVALID);
	jsonw_init(&w, &b);
	jsonw_arr(&w);
	ck_assert_int_eq(jsonw_end(&w), STATUS_INVALID);
	buf small;
	buf_init(&small, 8);
	jsonw_init(&w, &small);
	jsonw_str(&w, "longer than eight");
	ck_assert_int_eq(jsonw_end(&w), STATUS_INVALID);
	buf_free(&small);
	buf_free(&b);
}
END_TEST

/* The availability slot as the handler built it with jansson before the writer. */
static json_t *old_slot_json(const avail_slot *s, const tz *zone, bool rental)
{
	char start[TZ_RFC3339_SIZE], end[TZ_RFC3339_SIZE];
	tz_format_rfc3339(zone, s->start, start);
	tz_format_rfc3339(zone, s->end, end);
	json_t *ids = json_array();
	for (size_t i = 0; i < s->n_providers; i++)
		json_array_append_new(ids, json_string(s->providers[i]));
	json_t *o = json_pack("{s:s, s:s, s:o, s:i}", "start", start, "end", end,
			      rental ? "resources" : "providers", ids, "seats_left", s->seats_left);
	if (rental) {
		char last[TZ_RFC3339_SIZE];
		tz_format_rfc3339(zone, s->last_start, last);
		json_object_set_new(o, "last_start", json_string(last));
		json_object_set(o, "providers", json_object_get(o, "resources"));
	} else if (s->n_resources) {
		json_t *res = json_array();
		for (size_t i = 0; i < s->n_resources; i++)
			json_array_append_new(res, json_string(s->resources[i]));
		json_object_set_new(o, "resources", res);
	}
	if (s->session_id)
		json_object_set_new(o, "session", json_string(s->session_id));
	return o;
}

static json_t *old_answer_json(const avail_answer *ans)
{
	json_t *days = json_array();
	size_t k = 0;
	for (int64_t d = ans->from_day; d <= ans->to_day; d++) {
		char date[11];
		civil_format_date(d, date);
		json_t *slots = json_array();
		while (k < ans->n_slots && tz_local_day(ans->zone, ans->slots[k].start) <= d) {
			if (tz_local_day(ans->zone, ans->slots[k].start) == d)
				json_array_append_new(slots,
						      old_slot_json(&ans->slots[k], ans->zone, ans->rental));
			k++;
		}
		json_array_append_new(days, json_pack("{s:s, s:o}", "date", date, "slots", slots));
	}
	return json_pack("{s:s, s:s, s:o}", "service", ans->service_id, "tz", tz_name(ans->zone),
			 "days", days);
}

START_TEST(availability_answer_as_jansson)
{
	static const char *const zones[] = {"Europe/London", "Asia/Tokyo", "Pacific/Chatham",
					    "America/St_Johns", "UTC", "Australia/Lord_Howe"};
	arena *a = arena_new();
	gen_state = 2;
	for (int round = 0; round < 400; round++) {
		const char *ids[6];
		for (int i = 0; i < 6; i++)
			ids[i] = gen_text(a);
		size_t n = gen(60);
		avail_slot *slots = arena_alloc(a, (n + 1) * sizeof(*slots));
		int64_t t = 1774000000 + (int64_t)gen(86400 * 400); /* a year: every DST change */
		for (size_t i = 0; i < n; i++) {
			avail_slot *s = &slots[i];
			t += 900 * (1 + gen(8)) + (gen(10) == 0 ? 86400 * (int64_t)gen(40) : 0);
			s->start = t;
			s->end = t + 1800 + gen(3) * 86400;
			s->last_start = t + gen(3600);
			s->seats_left = (int)gen(5);
			s->n_providers = gen(4);
			s->providers = arena_alloc(a, 4 * sizeof(char *));
			for (size_t j = 0; j < s->n_providers; j++)
				s->providers[j] = ids[gen(6)];
			s->n_resources = gen(3) == 0 ? gen(3) : 0;
			s->resources = arena_alloc(a, 4 * sizeof(char *));
			for (size_t j = 0; j < s->n_resources; j++)
				s->resources[j] = ids[gen(6)];
			s->session_id = gen(4) == 0 ? ids[gen(6)] : NULL;
		}
		const tz *zone = tz_get(zones[gen(6)]);
		ck_assert_ptr_nonnull(zone);
		int64_t d0 = tz_local_day(zone, n ? slots[0].start : t) + (int64_t)gen(3) - 1;
		avail_answer ans = {.service_id = ids[0], .zone = zone, .from_day = d0,
				    .to_day = d0 + gen(90), .rental = gen(3) == 0, .slots = slots,
				    .n_slots = n};
		buf b;
		buf_init(&b, 16u << 20);
		ck_assert_int_eq(avail_answer_write(&b, &ans), STATUS_OK);
		same_as_jansson(&b, old_answer_json(&ans));
		/* Packed for the cache and back: the same answer. */
		size_t len;
		void *packed = avail_pack(slots, n, a, &len);
		avail_slot *back;
		size_t nb;
		ck_assert(avail_unpack(packed, len, a, &back, &nb));
		ck_assert_uint_eq(nb, n);
		avail_answer again = ans;
		again.slots = back;
		buf b2;
		buf_init(&b2, 16u << 20);
		ck_assert_int_eq(avail_answer_write(&b2, &again), STATUS_OK);
		ck_assert_uint_eq(b2.len, b.len);
		ck_assert(memcmp(b.data, b2.data, b.len) == 0);
		buf_free(&b2);
		buf_free(&b);
		arena_reset(a);
	}
	arena_free(a);
}
END_TEST

/* The catalogue as the handler built it with jansson before the writer. */
static json_t *old_services_json(const char *currency, const service *svcs, int n,
				 provider *const *ps, const int *nps)
{
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		json_t *providers = json_array();
		for (int j = 0; j < nps[i]; j++)
			json_array_append_new(providers, json_pack("{s:s, s:s}", "id", ps[i][j].id,
								   "name", ps[i][j].name));
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:i, s:o}", "id", svcs[i].id,
					"name", svcs[i].name, "description", svcs[i].description,
					"kind", service_kind_name(svcs[i].kind), "duration_s",
					(json_int_t)svcs[i].duration_s, "price",
					api_money(svcs[i].price_minor, currency), "capacity",
					svcs[i].capacity, "providers", providers));
	}
	return json_pack("{s:o}", "services", list);
}

START_TEST(services_and_booking_as_jansson)
{
	arena *a = arena_new();
	gen_state = 3;
	for (int round = 0; round < 400; round++) {
		int n = (int)gen(6);
		service *svcs = arena_alloc(a, sizeof(service) * (size_t)(n + 1));
		provider **ps = arena_alloc(a, sizeof(*ps) * (size_t)(n + 1));
		int *nps = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) {
			svcs[i].id = gen_text(a);
			svcs[i].name = gen_text(a);
			svcs[i].description = gen_text(a);
			svcs[i].kind = (service_kind)gen(3);
			svcs[i].duration_s = (int64_t)gen(1u << 30) * (gen(2) ? 1 : 1000);
			svcs[i].price_minor = (int64_t)gen(1u << 31) - 5;
			svcs[i].capacity = (int)gen(100);
			nps[i] = (int)gen(5);
			ps[i] = arena_alloc(a, sizeof(provider) * 5);
			for (int j = 0; j < nps[i]; j++) {
				ps[i][j].id = gen_text(a);
				ps[i][j].name = gen_text(a);
			}
		}
		const char *currency = gen(2) ? "EUR" : gen_text(a);
		buf b;
		buf_init(&b, 16u << 20);
		ck_assert_int_eq(public_services_write(&b, currency, svcs, n, ps, nps), STATUS_OK);
		same_as_jansson(&b, old_services_json(currency, svcs, n, ps, nps));
		buf_free(&b);

		book_result res = {0};
		booking *bk = &res.b;
		bk->reference = gen_text(a);
		bk->status = (booking_status)gen(4);
		bk->service_id = gen_text(a);
		bk->provider_id = gen(3) ? gen_text(a) : NULL;
		bk->resource_id = gen(2) ? gen_text(a) : NULL;
		bk->start_at = 1774000000 + (int64_t)gen(1u << 26);
		bk->end_at = bk->start_at + gen(86400 * 3);
		bk->seats = (int)gen(9) + 1;
		bk->price_minor = gen(100000);
		bk->customer_id = gen(2) ? "cus_1" : NULL;
		bk->hold_expires_at = bk->start_at - gen(7200);
		if (gen(2))
			res.manage_token = gen_text(a);
		business biz = {.currency = currency};
		const tz *zone = tz_get(gen(2) ? "Asia/Kathmandu" : "America/Los_Angeles");
		buf_init(&b, 16u << 20);
		ck_assert_int_eq(public_booking_write(&b, &res, currency, zone), STATUS_OK);
		same_as_jansson(&b, booking_json_created(&res, &biz, zone));
		buf_free(&b);
		arena_reset(a);
	}
	arena_free(a);
}
END_TEST

Suite *jsonw_suite(void)
{
	Suite *s = suite_create("jsonw");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, jsonw_strings_escape_as_jansson);
	tcase_add_test(tc, jsonw_refuses_what_jansson_cannot_hold);
	tcase_add_test(tc, availability_answer_as_jansson);
	tcase_add_test(tc, services_and_booking_as_jansson);
	suite_add_tcase(s, tc);
	return s;
}
