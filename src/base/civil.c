/* civil.c - Gregorian day arithmetic after H. Hinnant's public-domain algorithms. */
#include <stddef.h>

#include "base/civil.h"


static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t civil_days(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = floordiv(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

civil civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = floordiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	civil c = {0};
	c.year = (int)(y + (m <= 2));
	c.month = (int)m;
	c.day = (int)d;
	return c;
}

int civil_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 in Monday-based order). */
	int64_t w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int64_t civil_to_epoch(civil c)
{
	return civil_days(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.min * 60 + c.sec;
}

civil civil_from_epoch(int64_t t)
{
	int64_t days = floordiv(t, 86400);
	int64_t rem = t - days * 86400;
	civil c = civil_from_days(days);
	c.hour = (int)(rem / 3600);
	c.min = (int)(rem % 3600 / 60);
	c.sec = (int)(rem % 60);
	return c;
}

bool civil_date_valid(int year, int month, int day)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
		return false;
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int max = mdays[month - 1] + (month == 2 && leap);
	return day <= max;
}

static bool civil_digits(const char *s, int n, int *out)
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

bool civil_parse_date(const char *s, size_t len, int64_t *days_out)
{
	int y, m, d;
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!civil_digits(s, 4, &y) || !civil_digits(s + 5, 2, &m) || !civil_digits(s + 8, 2, &d))
		return false;
	if (!civil_date_valid(y, m, d))
		return false;
	*days_out = civil_days(y, m, d);
	return true;
}

void civil_format_date(int64_t days, char out[static 11])
{
	civil c = civil_from_days(days);
	unsigned y = (unsigned)c.year % 10000, m = (unsigned)c.month % 100, d = (unsigned)c.day % 100;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}
