/* money.c - minor units, currency digits, deposits and refunds of what was paid. */
#include "core/money.h"

#include <stdio.h>
#include <string.h>

/* ISO 4217 codes whose minor unit is not two digits. */
static const struct {
	const char code[4];
	int digits;
} MONEY_EXCEPTIONS[] = {
	{"BHD", 3}, {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3}, {"ISK", 0},
	{"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3},
	{"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"VUV", 0},
	{"XAF", 0}, {"XOF", 0}, {"XPF", 0},
};

int money_digits(const char *currency)
{
	for (size_t i = 0; currency && i < sizeof(MONEY_EXCEPTIONS) / sizeof(MONEY_EXCEPTIONS[0]);
	     i++)
		if (strcmp(currency, MONEY_EXCEPTIONS[i].code) == 0)
			return MONEY_EXCEPTIONS[i].digits;
	return 2;
}

bool money_currency_ok(const char *c)
{
	return c && strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' &&
	       c[2] >= 'A' && c[2] <= 'Z';
}

void money_decimal(int64_t amount, const char *currency, char *out, size_t outlen)
{
	int d = money_digits(currency);
	const char *sign = amount < 0 ? "-" : "";
	uint64_t v = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
	if (d == 0) {
		snprintf(out, outlen, "%s%llu", sign, (unsigned long long)v);
		return;
	}
	uint64_t scale = d == 3 ? 1000 : 100;
	snprintf(out, outlen, "%s%llu.%0*llu", sign, (unsigned long long)(v / scale), d,
		 (unsigned long long)(v % scale));
}

bool money_parse_decimal(const char *text, const char *currency, int64_t *out)
{
	int d = money_digits(currency);
	const char *p = text;
	if (!p || !*p)
		return false;
	int64_t whole = 0, frac = 0;
	int fd = 0;
	bool digits = false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (INT64_MAX / 1000 - 9) / 10)
			return false;
		whole = whole * 10 + (*p - '0');
		digits = true;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++fd > d)
				return false;
			frac = frac * 10 + (*p - '0');
		}
	}
	if (*p || !digits)
		return false;
	for (; fd < d; fd++)
		frac *= 10;
	int64_t scale = d == 0 ? 1 : d == 3 ? 1000 : 100;
	*out = whole * scale + frac;
	return true;
}

static const char *const MODE_NAMES[] = {"none", "deposit", "full"};

const char *money_mode_name(money_mode m)
{
	return (unsigned)m < 3 ? MODE_NAMES[m] : "none";
}

bool money_mode_parse(const char *s, money_mode *out)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, MODE_NAMES[i]) == 0) {
			*out = (money_mode)i;
			return true;
		}
	return false;
}

int64_t money_due(const money_terms *t, int64_t price)
{
	if (price <= 0)
		return 0;
	switch (t->mode) {
	case MONEY_FULL:
		return price;
	case MONEY_DEPOSIT:
		if (t->deposit_percent > 0)
			return (price * t->deposit_percent + 99) / 100;
		return t->deposit_minor < price ? t->deposit_minor : price;
	default:
		return 0;
	}
}

int64_t money_refund(const policy_refunds *tiers, int64_t start, int64_t now, int64_t paid,
		     bool force_majeure, int *percent_out)
{
	if (paid <= 0) {
		if (percent_out)
			*percent_out = force_majeure ? 100 : 0;
		return 0;
	}
	if (force_majeure) {
		if (percent_out)
			*percent_out = 100;
		return paid;
	}
	return policy_refund(tiers, start, now, paid, percent_out);
}
