/* policy.c - cancellation and reschedule windows, refund tiers. */
#include "core/policy.h"

#include <jansson.h>
#include <stdlib.h>

static int tier_cmp(const void *a, const void *b)
{
	int64_t x = ((const policy_tier *)a)->min_notice_s, y = ((const policy_tier *)b)->min_notice_s;
	return x < y ? 1 : x > y ? -1 : 0; /* most notice first */
}

status policy_refunds_parse(const char *text, policy_refunds *out)
{
	out->n = 0;
	json_t *v = json_loads(text ? text : "[]", 0, NULL);
	if (!json_is_array(v) || json_array_size(v) > POLICY_MAX_TIERS) {
		json_decref(v);
		return STATUS_INVALID;
	}
	size_t i;
	json_t *t;
	json_array_foreach(v, i, t) {
		json_t *n = json_object_get(t, "min_notice_s"), *p = json_object_get(t, "refund_percent");
		if (!json_is_integer(n) || !json_is_integer(p) || json_integer_value(n) < 0 ||
		    json_integer_value(p) < 0 || json_integer_value(p) > 100) {
			json_decref(v);
			out->n = 0;
			return STATUS_INVALID;
		}
		out->tier[out->n].min_notice_s = json_integer_value(n);
		out->tier[out->n].refund_percent = (int)json_integer_value(p);
		out->n++;
	}
	json_decref(v);
	qsort(out->tier, (size_t)out->n, sizeof(out->tier[0]), tier_cmp);
	return STATUS_OK;
}

bool policy_in_time(int64_t start, int64_t now, int64_t until_s)
{
	return now <= start - until_s;
}

int64_t policy_refund(const policy_refunds *p, int64_t start, int64_t now, int64_t price_minor,
		      int *refund_percent_out)
{
	int percent = p->n == 0 ? 100 : 0;
	for (int i = 0; i < p->n; i++) {
		if (start - now >= p->tier[i].min_notice_s) {
			percent = p->tier[i].refund_percent;
			break;
		}
	}
	if (refund_percent_out)
		*refund_percent_out = percent;
	return price_minor * percent / 100;
}

int64_t policy_price(const service *svc, int64_t start, int64_t end, int seats)
{
	int64_t units = 1;
	if (svc->kind == SERVICE_RENTAL && svc->duration_s > 0 && end > start) {
		int64_t span = end - start;
		/* Whole local days last 23 to 25 hours: count days, not seconds. */
		if (svc->whole_days)
			span = (span + 43200) / 86400 * 86400;
		units = (span + svc->duration_s - 1) / svc->duration_s;
		if (units < 1)
			units = 1;
	}
	return svc->price_minor * units * seats;
}
