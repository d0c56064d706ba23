/* ids.c - random ids and secrets from libsodium. */
#include "base/ids.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

static const char ids_crockford[] = "0123456789abcdefghjkmnpqrstvwxyz";
static const char ids_ref_alphabet[] = "23456789ABCDEFGHJKMNPQRSTVWXYZ"; /* 30 symbols */

char *ids_new(arena *a, const char *prefix)
{
	size_t pl = strlen(prefix);
	char *out = arena_alloc(a, pl + 1 + 16 + 1);
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	memcpy(out, prefix, pl);
	out[pl] = '_';
	for (int i = 0; i < 16; i++)
		out[pl + 1 + i] = ids_crockford[raw[i] & 31];
	out[pl + 17] = '\0';
	return out;
}

char *ids_sortable(arena *a, const char *prefix)
{
	static _Atomic uint64_t last;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	/* Strictly increasing within the process even when the clock repeats a value. */
	uint64_t prev = atomic_load(&last);
	do {
		if (t <= prev)
			t = prev + 1;
	} while (!atomic_compare_exchange_weak(&last, &prev, t));
	size_t pl = strlen(prefix);
	char *out = arena_alloc(a, pl + 1 + 16 + 8 + 1);
	memcpy(out, prefix, pl);
	out[pl] = '_';
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++)
		out[pl + 1 + i] = hex[(t >> (60 - 4 * i)) & 15];
	unsigned char raw[8];
	randombytes_buf(raw, sizeof(raw));
	for (int i = 0; i < 8; i++)
		out[pl + 17 + i] = ids_crockford[raw[i] & 31];
	out[pl + 25] = '\0';
	return out;
}

char *ids_reference(arena *a)
{
	char *out = arena_alloc(a, 10);
	for (int i = 0, j = 0; i < 8; i++) {
		if (i == 4)
			out[j++] = '-';
		out[j++] = ids_ref_alphabet[randombytes_uniform(sizeof(ids_ref_alphabet) - 1)];
	}
	out[9] = '\0';
	return out;
}

char *ids_secret(arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	size_t n = sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	sodium_bin2base64(out, n, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

char *ids_secret_hash(arena *a, const char *secret)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	char *out = arena_alloc(a, sizeof(h) * 2 + 1);
	sodium_bin2hex(out, sizeof(h) * 2 + 1, h, sizeof(h));
	return out;
}

bool ids_equal_ct(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

char *ids_link_token(arena *a, const char *key, const char *purpose, const char *subject)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)purpose, strlen(purpose));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)":", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)subject, strlen(subject));
	crypto_auth_hmacsha256_final(&st, mac);
	size_t n = sodium_base64_ENCODED_LEN(sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	sodium_bin2base64(out, n, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}
