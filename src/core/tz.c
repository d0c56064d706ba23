/* tz.c - zones loaded once through libical into immutable transition tables. */
#include "core/tz.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"

/* Instants are kept within this many seconds of the epoch (about 36 million years) so
 * that adding an offset or a day can never overflow. */
#define TZ_CLAMP ((int64_t)1 << 50)

struct tz {
	char name[TZ_NAME_MAX + 1]; /* the name it was loaded by */
	size_t n;                   /* periods in the table, at least 1 */
	int64_t *start;             /* first instant of each period; start[0] is INT64_MIN */
	int32_t *offset;            /* seconds east of UTC during each period */
	int32_t max_offset;         /* the largest offset in the table, for wall searches */
};

/* The one lock around libical and the cache. libical expands zone changes lazily and has
 * had races loading zones, so every call into it happens under this lock. */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static tz **tz_cache;       /* loaded zones, owned for the life of the process */
static size_t tz_cache_len; /* zones in tz_cache */
static size_t tz_cache_cap; /* slots allocated in tz_cache */

static int64_t tz_clamp(int64_t t)
{
	return t < -TZ_CLAMP ? -TZ_CLAMP : t > TZ_CLAMP ? TZ_CLAMP : t;
}

static int64_t tz_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ---- loading (under tz_lock) ---- */

/* True for a plausible IANA name: components of letters, digits and "._+-", separated by
 * single slashes, none starting with a dot; and not one of the special files. */
static bool tz_name_ok(const char *name, size_t len)
{
	if (len == 0 || len > TZ_NAME_MAX)
		return false;
	bool comp_start = true;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (c == '/') {
			if (comp_start)
				return false;
			comp_start = true;
			continue;
		}
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		          (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' || c == '.';
		if (!ok || (comp_start && c == '.'))
			return false;
		comp_start = false;
	}
	if (comp_start)
		return false;
	static const char *const refused[] = {"localtime", "posixrules", "Factory"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strlen(refused[i]) == len && memcmp(name, refused[i], len) == 0)
			return false;
	if ((len > 6 && memcmp(name, "posix/", 6) == 0) ||
	    (len > 6 && memcmp(name, "right/", 6) == 0))
		return false;
	return true;
}

/* libical maps a name it cannot find to nothing or to a zone without rules (floating
 * time), so the zone file must exist before we ask. */
static bool tz_file_exists(const char *name)
{
	const char *dir = icaltzutil_get_zone_directory();
	if (!dir || !*dir)
		return false;
	char path[512];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int32_t tz_ical_offset(icaltimezone *iz, int64_t t)
{
	civil c = civil_from_epoch(t);
	struct icaltimetype tt = icaltime_null_time();
	tt.year = c.year;
	tt.month = c.month;
	tt.day = c.day;
	tt.hour = c.hour;
	tt.minute = c.min;
	tt.second = c.sec;
	tt.zone = icaltimezone_get_utc_timezone();
	int is_daylight = 0;
	return (int32_t)icaltimezone_get_utc_offset_of_utc_time(iz, &tt, &is_daylight);
}

/* Reads one line of icaltimezone_dump_changes: "NAME\tDD Mon YYYY\tHH:MM:SS\t+HHMM", the
 * date and time being the UTC instant of a change. */
static bool tz_parse_dump_line(const char *line, int64_t *t_out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = strchr(line, '\t');
	if (!p)
		return false;
	p++;
	char *end;
	long day = strtol(p, &end, 10);
	if (end == p || *end != ' ')
		return false;
	p = end + 1;
	int month = 0;
	for (int m = 0; m < 12; m++)
		if (strncmp(p, months + 3 * m, 3) == 0)
			month = m + 1;
	if (month == 0 || p[3] != ' ')
		return false;
	p += 4;
	long year = strtol(p, &end, 10);
	if (end == p || *end != '\t')
		return false;
	p = end + 1;
	long hour = strtol(p, &end, 10);
	if (end == p || *end != ':')
		return false;
	p = end + 1;
	long min = strtol(p, &end, 10);
	if (end == p || *end != ':')
		return false;
	p = end + 1;
	long sec = strtol(p, &end, 10);
	if (end == p)
		return false;
	if (year < 1 || year > 9999 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 ||
	    min > 59 || sec < 0 || sec > 60)
		return false;
	civil c = {(int)year, month, (int)day, (int)hour, (int)min, (int)sec};
	*t_out = civil_to_epoch(c);
	return true;
}

static void tz_push(tz *z, size_t *cap, int64_t start, int32_t offset)
{
	if (z->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		z->start = xrealloc(z->start, *cap * sizeof(*z->start));
		z->offset = xrealloc(z->offset, *cap * sizeof(*z->offset));
	}
	z->start[z->n] = start;
	z->offset[z->n] = offset;
	z->n++;
	if (offset > z->max_offset)
		z->max_offset = offset;
}

/* Builds the transition table of one zone from libical. Caller holds tz_lock. */
static tz *tz_load(const char *name)
{
	tz *z = xcalloc(1, sizeof(*z));
	memcpy(z->name, name, strlen(name) + 1);
	z->max_offset = INT32_MIN;
	size_t cap = 0;

	if (strcmp(name, "UTC") == 0) {
		/* libical's own UTC zone has no rules to dump. */
		tz_push(z, &cap, INT64_MIN, 0);
		return z;
	}
	if (!tz_file_exists(name))
		goto refused;
	icaltimezone *iz = icaltimezone_get_builtin_timezone(name);
	if (!iz || !icaltimezone_get_component(iz))
		goto refused;

	char *text = NULL;
	size_t text_len = 0;
	FILE *f = open_memstream(&text, &text_len);
	if (!f)
		goto refused;
	icaltimezone_dump_changes(iz, TZ_LAST_YEAR, f);
	fclose(f);

	/* The dump lists the changes in order, sometimes with repeats or changes that keep the
	 * offset; only real changes of offset are kept. The offset of each period is asked of
	 * libical's conversion itself. */
	bool first = true;
	int64_t prev_t = INT64_MIN;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		int64_t t;
		if (tz_parse_dump_line(line, &t) && t > prev_t) {
			if (first) {
				tz_push(z, &cap, INT64_MIN, tz_ical_offset(iz, t - 1));
				first = false;
			}
			int32_t off = tz_ical_offset(iz, t);
			if (off != z->offset[z->n - 1])
				tz_push(z, &cap, t, off);
			prev_t = t;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	if (first) /* a zone with no changes at all (Etc/GMT+5) */
		tz_push(z, &cap, INT64_MIN, tz_ical_offset(iz, 0));
	return z;

refused:
	free(z->start);
	free(z->offset);
	free(z);
	return NULL;
}

const tz *tz_get_n(const char *name, size_t len)
{
	if (!name || !tz_name_ok(name, len))
		return NULL;
	char key[TZ_NAME_MAX + 1];
	memcpy(key, name, len);
	key[len] = '\0';

	pthread_mutex_lock(&tz_lock);
	tz *found = NULL;
	for (size_t i = 0; i < tz_cache_len && !found; i++)
		if (strcmp(tz_cache[i]->name, key) == 0)
			found = tz_cache[i];
	if (!found) {
		found = tz_load(key);
		if (found) {
			if (tz_cache_len == tz_cache_cap) {
				tz_cache_cap = tz_cache_cap ? tz_cache_cap * 2 : 16;
				tz_cache = xrealloc(tz_cache, tz_cache_cap * sizeof(*tz_cache));
			}
			tz_cache[tz_cache_len++] = found;
		}
	}
	pthread_mutex_unlock(&tz_lock);
	return found;
}

const tz *tz_get(const char *name)
{
	return name ? tz_get_n(name, strlen(name)) : NULL;
}

const char *tz_name(const tz *z)
{
	return z->name;
}

/* ---- conversions (lock-free: the table never changes after loading) ---- */

/* The period in force at t: the last i with start[i] <= t. */
static size_t tz_period(const tz *z, int64_t t)
{
	size_t lo = 0, hi = z->n; /* start[lo] <= t < start[hi] (hi == n: no bound) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->start[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int32_t tz_offset_at(const tz *z, int64_t t)
{
	return z->offset[tz_period(z, t)];
}

int64_t tz_to_wall(const tz *z, int64_t t)
{
	t = tz_clamp(t);
	return t + tz_offset_at(z, t);
}

civil tz_to_civil(const tz *z, int64_t t)
{
	return civil_from_epoch(tz_to_wall(z, t));
}

int64_t tz_local_day(const tz *z, int64_t t)
{
	return tz_floordiv(tz_to_wall(z, t), 86400);
}

int64_t tz_from_wall(const tz *z, int64_t wall, bool *exact_out)
{
	wall = tz_clamp(wall);
	/* The local time t + offset(t) rises within each period and jumps at changes. The
	 * answer lies in the first period whose local end is past `wall`; periods that end
	 * before wall - max_offset cannot be it. */
	size_t i = tz_period(z, wall - z->max_offset);
	for (; i + 1 < z->n; i++)
		if (wall < z->start[i + 1] + z->offset[i])
			break;
	int64_t t = wall - z->offset[i];
	bool exact = true;
	if (t < z->start[i]) {
		/* wall falls in the gap before this period: its first instant is the answer. */
		t = z->start[i];
		exact = false;
	}
	if (exact_out)
		*exact_out = exact;
	return t;
}

int64_t tz_from_civil(const tz *z, civil c, bool *exact_out)
{
	return tz_from_wall(z, civil_to_epoch(c), exact_out);
}

int64_t tz_day_start(const tz *z, int64_t day, bool *exact_out)
{
	int64_t lim = TZ_CLAMP / 86400;
	int64_t wall = day < -lim ? -TZ_CLAMP : day > lim ? TZ_CLAMP : day * 86400;
	return tz_from_wall(z, wall, exact_out);
}

int64_t tz_next_transition(const tz *z, int64_t t)
{
	size_t i = tz_period(z, t);
	return i + 1 < z->n ? z->start[i + 1] : INT64_MAX;
}

/* ---- RFC 3339 ---- */

static void tz_put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

bool tz_format_rfc3339(const tz *z, int64_t t, char out[static TZ_RFC3339_SIZE])
{
	t = tz_clamp(t);
	int32_t off = tz_offset_at(z, t);
	off -= off % 60; /* RFC 3339 offsets have no seconds; shift the local time instead */
	civil c = civil_from_epoch(t + off);
	out[0] = '\0';
	if (c.year < 0 || c.year > 9999)
		return false;
	out[0] = (char)('0' + c.year / 1000);
	out[1] = (char)('0' + c.year / 100 % 10);
	tz_put2(out + 2, c.year % 100);
	out[4] = '-';
	tz_put2(out + 5, c.month);
	out[7] = '-';
	tz_put2(out + 8, c.day);
	out[10] = 'T';
	tz_put2(out + 11, c.hour);
	out[13] = ':';
	tz_put2(out + 14, c.min);
	out[16] = ':';
	tz_put2(out + 17, c.sec);
	int32_t a = off < 0 ? -off : off;
	out[19] = off < 0 ? '-' : '+';
	tz_put2(out + 20, a / 3600);
	out[22] = ':';
	tz_put2(out + 23, a / 60 % 60);
	out[25] = '\0';
	return true;
}

static bool tz_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool tz_parse_rfc3339(const char *s, size_t len, int64_t *t_out)
{
	int y, mo, d, h, mi, se;
	if (!s || len < 20)
		return false;
	if (!tz_digits(s, 4, &y) || s[4] != '-' || !tz_digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !tz_digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    !tz_digits(s + 11, 2, &h) || s[13] != ':' || !tz_digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !tz_digits(s + 17, 2, &se))
		return false;
	if (!civil_date_valid(y, mo, d) || h > 23 || mi > 59 || se > 59)
		return false;
	size_t i = 19;
	if (s[i] == '.') {
		size_t digits = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0 || digits > 9)
			return false;
	}
	if (i >= len)
		return false;
	int off = 0;
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		int oh, om;
		if (len - i != 6 || !tz_digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
		    !tz_digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
		i += 6;
	} else {
		return false;
	}
	if (i != len)
		return false;
	civil c = {y, mo, d, h, mi, se};
	int64_t t = civil_to_epoch(c) - off;
	/* The offset may carry the instant out of years 1..9999 UTC, where it could not be
	 * written back (tz_format_rfc3339) nor read again. */
	if (t < TZ_FIRST_INSTANT || t > TZ_LAST_INSTANT)
		return false;
	*t_out = t;
	return true;
}
