/* credentials.c - cookie, credential and email parsing; lockout and rate-limit settings. */
#include "api/credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cred_cookie_get(const char *header, const char *name, char *out, size_t outlen)
{
	if (!header || !name)
		return false;
	size_t nl = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t vl = len - nl - 1;
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			if (vl == 0 || vl >= outlen)
				return false;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return true;
		}
		p += len;
	}
	return false;
}

static bool cred_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

bool cred_split(const char *value, char *bid, size_t bidlen, const char **secret)
{
	if (!value)
		return false;
	const char *dot = strchr(value, '.');
	if (!dot || dot == value || dot[1] == '\0' || strlen(value) > CRED_MAX)
		return false;
	size_t n = (size_t)(dot - value);
	if (n >= bidlen)
		return false;
	for (const char *p = value; *p; p++)
		if (p != dot && !cred_char(*p))
			return false;
	memcpy(bid, value, n);
	bid[n] = '\0';
	*secret = dot + 1;
	return true;
}

bool cred_email_norm(const char *in, char *out, size_t outlen)
{
	if (!in)
		return false;
	while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\n' ||
		     in[n - 1] == '\r'))
		n--;
	if (n < 3 || n > 254 || n >= outlen)
		return false;
	const char *at = memchr(in, '@', n);
	if (!at || at == in || at == in + n - 1 || memchr(at + 1, '@', n - (size_t)(at - in) - 1))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= ' ' || c == 0x7f)
			return false;
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
	}
	out[n] = '\0';
	return true;
}

int64_t cred_lock_seconds(int64_t failures, int64_t after)
{
	if (failures < after)
		return 0;
	int64_t s = CRED_LOCK_BASE_S;
	for (int64_t i = after; i < failures && s < CRED_LOCK_MAX_S; i++)
		s *= 2;
	return s < CRED_LOCK_MAX_S ? s : CRED_LOCK_MAX_S;
}

static cred_limit *cred_limit_named(cred_limits *l, const char *name, size_t n)
{
	static const char *const names[] = {"login_addr",      "login_business", "public_addr",
					    "public_business", "reset_addr",     "reset_email"};
	cred_limit *fields[] = {&l->login_addr,      &l->login_business, &l->public_addr,
				&l->public_business, &l->reset_addr,     &l->reset_email};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncmp(names[i], name, n) == 0)
			return fields[i];
	return NULL;
}

bool cred_limits_parse(const char *spec, cred_limits *out, char *err, size_t errlen)
{
	*out = (cred_limits){
		.on = true,
		.login_addr = {10, 60},
		.login_business = {60, 60},
		.public_addr = {300, 60},
		.public_business = {3000, 60},
		.reset_addr = {10, 3600},
		.reset_email = {5, 3600},
	};
	if (!spec || !*spec || strcmp(spec, "on") == 0)
		return true;
	if (strcmp(spec, "off") == 0) {
		out->on = false;
		return true;
	}
	const char *p = spec;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		cred_limit *l = eq ? cred_limit_named(out, p, (size_t)(eq - p)) : NULL;
		char *e1 = NULL, *e2 = NULL;
		long count = -1, secs = -1;
		if (l) {
			count = strtol(eq + 1, &e1, 10);
			if (e1 && *e1 == '/')
				secs = strtol(e1 + 1, &e2, 10);
		}
		if (!l || count < 1 || count > 1000000 || secs < 1 || secs > 86400 ||
		    e2 != p + len) {
			snprintf(err, errlen,
				 "rate limits must be on, off or NAME=COUNT/SECONDS,... (names "
				 "login_addr, login_business, public_addr, public_business, reset_addr, "
				 "reset_email); bad part "
				 "'%.*s'",
				 (int)len, p);
			return false;
		}
		l->count = (int)count;
		l->window_s = (int)secs;
		p += len;
		if (*p == ',')
			p++;
	}
	return true;
}
