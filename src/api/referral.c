/* referral.c - the referral tag's rules, and the 409 of a customer's overlapping booking. */
#include "api/referral.h"

#include <ctype.h>
#include <string.h>

#include "store/overlap_guard.h"

const char *referral_normalise(arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n == 0 || n > REFERRAL_MAX)
		return NULL;
	char *out = arena_strndup(a, s, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)out[i];
		if (ch >= 0x80 || !(isalnum(ch) || strchr("._~+@:/-", ch)))
			return NULL;
		out[i] = (char)tolower(ch);
	}
	return out;
}

const char *referral_body(http_req *r, const json_t *body)
{
	const json_t *v = json_object_get(body, "referral"); /* borrowed */
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return NULL;
	const char *norm = json_is_string(v) ? referral_normalise(r->arena, json_string_value(v))
					     : NULL;
	if (!norm)
		http_field_error_add(r, "referral",
				     "must be 1 to %d letters, digits or . _ ~ + @ : / - (no spaces)",
				     REFERRAL_MAX);
	return norm;
}

bool referral_overlap_answer(http_req *r, const book_result *res)
{
	if (!res->refusal || strcmp(res->refusal, OVERLAP_REFUSAL) != 0)
		return false;
	/* "s:[{...}]": the errors array and its object are built and stolen by json_pack. */
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:[{s:s, s:s}], s:s, s:s}", "type",
			      "/problems/customer-overlap", "title", "Conflict", "status", 409,
			      "detail", res->why, "reason", OVERLAP_REFUSAL, "errors", "field",
			      "customer.email", "detail",
			      "already has a booking at an overlapping time", "instance", r->path,
			      "request_id", r->request_id);
	http_json_take(r, 409, p);
	r->content_type = "application/problem+json";
	r->result = STATUS_CONFLICT;
	return true;
}
