/* series.c - the occurrences of a recurring series in the business's wall time. */
#include "core/series.h"

#include <string.h>

static const char *const POLICY_NAMES[] = {"fail", "skip", "shift"};

const char *series_policy_name(series_policy p)
{
	return (unsigned)p < 3 ? POLICY_NAMES[p] : "fail";
}

bool series_policy_parse(const char *s, series_policy *out)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, POLICY_NAMES[i]) == 0) {
			*out = (series_policy)i;
			return true;
		}
	return false;
}

/* Floor division for day numbers of wall seconds before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

status series_occurrences(const tz *zone, int64_t first, const series_rule *rule,
			  int64_t out[static SERIES_MAX], size_t *n, const char **why)
{
	*n = 0;
	if (rule->every_weeks < 1 || rule->every_weeks > SERIES_EVERY_MAX) {
		*why = "every_weeks must be from 1 to 52";
		return STATUS_INVALID;
	}
	int64_t wall = tz_to_wall(zone, first);
	int64_t day = floor_div(wall, 86400), sec = wall - day * 86400;
	int64_t step = 7 * (int64_t)rule->every_weeks;
	if (rule->count != 0) {
		if (rule->count < 1 || rule->count > SERIES_MAX) {
			*why = "count must be from 1 to 52";
			return STATUS_INVALID;
		}
	} else if (rule->until_day < day) {
		*why = "until must not be before the first date";
		return STATUS_INVALID;
	} else if ((rule->until_day - day) / step + 1 > SERIES_MAX) {
		*why = "until gives more than 52 occurrences";
		return STATUS_INVALID;
	}
	for (int64_t d = day;; d += step) {
		if (rule->count ? *n >= (size_t)rule->count : d > rule->until_day)
			break;
		out[(*n)++] = tz_from_wall(zone, d * 86400 + sec, NULL);
	}
	return STATUS_OK;
}

size_t series_shift_candidates(const tz *zone, int64_t wanted, int64_t step_s, int64_t limit_s,
			       int64_t *out, size_t max)
{
	size_t n = 0;
	if (step_s <= 0)
		return 0;
	int64_t day = tz_local_day(zone, wanted);
	for (int64_t k = 1; k * step_s <= limit_s && n < max; k++) {
		int64_t both[2] = {wanted - k * step_s, wanted + k * step_s};
		for (int i = 0; i < 2 && n < max; i++)
			if (tz_local_day(zone, both[i]) == day)
				out[n++] = both[i];
	}
	return n;
}
