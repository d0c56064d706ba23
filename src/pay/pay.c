/* pay.c - Stripe and PayPal over libcurl: form or JSON requests with idempotency keys,
 * answers read with jansson, webhook signatures checked. */
#include "pay/pay.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "core/money.h"

#define PAY_ANSWER_MAX (1u << 20) /* a provider's answer is a few KiB */

bool pay_method_on(const pay_config *cfg, const char *method)
{
	if (!cfg || !method)
		return false;
	if (strcmp(method, "stripe") == 0)
		return cfg->stripe_secret_key && *cfg->stripe_secret_key;
	if (strcmp(method, "paypal") == 0)
		return cfg->paypal_client_id && *cfg->paypal_client_id && cfg->paypal_client_secret &&
		       *cfg->paypal_client_secret;
	return false;
}

static size_t pay_body(char *p, size_t size, size_t n, void *ud)
{
	return buf_add(ud, p, size * n) == STATUS_OK ? size * n : 0;
}

/* One request: POST with body (or GET when body is NULL), extra headers, optional basic
 * auth. The answer's JSON (a new reference) in *out and its HTTP code in *code. STATUS_IO
 * with err when the transfer fails or the answer is not JSON. */
static status pay_http(const pay_config *cfg, const char *url, const char *body,
		       struct curl_slist *headers, const char *user, const char *pass,
		       json_t **out, long *code, char *err, size_t errlen)
{
	*out = NULL;
	*code = 0;
	CURL *curl = curl_easy_init();
	if (!curl) {
		snprintf(err, errlen, "curl could not start");
		return STATUS_IO;
	}
	buf answer;
	buf_init(&answer, PAY_ANSWER_MAX);
	char curl_err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, url);
	if (body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (user) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, pass ? pass : "");
	}
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, pay_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, cfg->timeout_s > 0 ? cfg->timeout_s : 20L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	CURLcode rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, code);
	curl_easy_cleanup(curl);
	status st = STATUS_OK;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", *curl_err ? curl_err : curl_easy_strerror(rc));
		st = STATUS_IO;
	} else {
		*out = json_loadb(answer.data ? answer.data : "", answer.len, 0, NULL);
		if (!*out) {
			snprintf(err, errlen, "HTTP %ld with an answer that is not JSON", *code);
			st = STATUS_IO;
		}
	}
	buf_free(&answer);
	return st;
}

/* The provider's own words for a refusal, or the HTTP code. */
static status pay_refused(const json_t *ans, long code, char *err, size_t errlen)
{
	const char *msg = json_string_value(json_object_get(json_object_get(ans, "error"), "message"));
	if (!msg)
		msg = json_string_value(json_object_get(ans, "message"));
	snprintf(err, errlen, "HTTP %ld: %s", code, msg ? msg : "refused");
	return STATUS_IO;
}

/* Appends key=value to a form, the value URL-encoded. */
static void form_add(buf *f, CURL *esc, const char *key, const char *value)
{
	char *v = curl_easy_escape(esc, value ? value : "", 0);
	buf_printf(f, "%s%s=%s", f->len ? "&" : "", key, v ? v : "");
	curl_free(v);
}

static struct curl_slist *stripe_headers(const pay_config *cfg, const char *idem_key)
{
	char line[512];
	struct curl_slist *h = NULL;
	snprintf(line, sizeof(line), "Authorization: Bearer %s", cfg->stripe_secret_key);
	h = curl_slist_append(h, line);
	h = curl_slist_append(h, "Content-Type: application/x-www-form-urlencoded");
	if (idem_key) {
		snprintf(line, sizeof(line), "Idempotency-Key: %s", idem_key);
		h = curl_slist_append(h, line);
	}
	return h;
}

static status stripe_checkout(const pay_config *cfg, const pay_checkout_req *rq, arena *a,
			      pay_checkout *out, char *err, size_t errlen)
{
	char amount[32], lower[4] = {0};
	snprintf(amount, sizeof(amount), "%lld", (long long)rq->amount_minor);
	for (int i = 0; i < 3 && rq->currency[i]; i++)
		lower[i] = (char)(rq->currency[i] - 'A' + 'a');
	CURL *esc = curl_easy_init();
	buf f;
	buf_init(&f, 16u << 10);
	form_add(&f, esc, "mode", "payment");
	form_add(&f, esc, "success_url", rq->success_url);
	form_add(&f, esc, "cancel_url", rq->cancel_url);
	form_add(&f, esc, "client_reference_id", rq->payment_id);
	form_add(&f, esc, "metadata[payment]", rq->payment_id);
	form_add(&f, esc, "metadata[booking]", rq->reference);
	form_add(&f, esc, "payment_intent_data[metadata][payment]", rq->payment_id);
	form_add(&f, esc, "line_items[0][quantity]", "1");
	form_add(&f, esc, "line_items[0][price_data][currency]", lower);
	form_add(&f, esc, "line_items[0][price_data][unit_amount]", amount);
	form_add(&f, esc, "line_items[0][price_data][product_data][name]", rq->description);
	curl_easy_cleanup(esc);
	char url[1024];
	snprintf(url, sizeof(url), "%s/v1/checkout/sessions", cfg->stripe_api_base);
	struct curl_slist *h = stripe_headers(cfg, rq->idem_key);
	json_t *ans;
	long code;
	status st = f.full ? STATUS_INVALID
			   : pay_http(cfg, url, f.data, h, NULL, NULL, &ans, &code, err, errlen);
	curl_slist_free_all(h);
	buf_free(&f);
	if (st != STATUS_OK)
		return st;
	const char *id = json_string_value(json_object_get(ans, "id"));
	const char *link = json_string_value(json_object_get(ans, "url"));
	if (code / 100 != 2 || !id || !link) {
		st = pay_refused(ans, code, err, errlen);
	} else {
		out->provider_ref = arena_strdup(a, id);
		out->url = arena_strdup(a, link);
	}
	json_decref(ans);
	return st;
}

bool pay_element_on(const pay_config *cfg)
{
	return pay_method_on(cfg, "stripe") && cfg->stripe_publishable_key &&
	       *cfg->stripe_publishable_key;
}

status pay_stripe_intent_create(const pay_config *cfg, const pay_checkout_req *rq, arena *a,
				pay_intent *out, char *err, size_t errlen)
{
	char amount[32], lower[4] = {0};
	snprintf(amount, sizeof(amount), "%lld", (long long)rq->amount_minor);
	for (int i = 0; i < 3 && rq->currency[i]; i++)
		lower[i] = (char)(rq->currency[i] - 'A' + 'a');
	CURL *esc = curl_easy_init();
	buf f;
	buf_init(&f, 16u << 10);
	form_add(&f, esc, "amount", amount);
	form_add(&f, esc, "currency", lower);
	form_add(&f, esc, "automatic_payment_methods[enabled]", "true");
	form_add(&f, esc, "description", rq->description);
	form_add(&f, esc, "metadata[payment]", rq->payment_id);
	form_add(&f, esc, "metadata[booking]", rq->reference);
	curl_easy_cleanup(esc);
	char url[1024];
	snprintf(url, sizeof(url), "%s/v1/payment_intents", cfg->stripe_api_base);
	struct curl_slist *h = stripe_headers(cfg, rq->idem_key);
	json_t *ans;
	long code;
	status st = f.full ? STATUS_INVALID
			   : pay_http(cfg, url, f.data, h, NULL, NULL, &ans, &code, err, errlen);
	curl_slist_free_all(h);
	buf_free(&f);
	if (st != STATUS_OK)
		return st;
	const char *id = json_string_value(json_object_get(ans, "id"));
	const char *secret = json_string_value(json_object_get(ans, "client_secret"));
	if (code / 100 != 2 || !id || !secret) {
		st = pay_refused(ans, code, err, errlen);
	} else {
		out->provider_ref = arena_strdup(a, id);
		out->client_secret = arena_strdup(a, secret);
	}
	json_decref(ans);
	return st;
}

/* PayPal's OAuth token, cached until a minute before it expires. */
static pthread_mutex_t paypal_lock = PTHREAD_MUTEX_INITIALIZER;
static char paypal_token[2048];
static int64_t paypal_token_until;

static status paypal_auth(const pay_config *cfg, char *bearer, size_t len, char *err,
			  size_t errlen)
{
	int64_t now = clock_mono_ns() / 1000000000;
	pthread_mutex_lock(&paypal_lock);
	if (paypal_token_until > now && *paypal_token) {
		snprintf(bearer, len, "Authorization: Bearer %s", paypal_token);
		pthread_mutex_unlock(&paypal_lock);
		return STATUS_OK;
	}
	pthread_mutex_unlock(&paypal_lock);
	char url[1024];
	snprintf(url, sizeof(url), "%s/v1/oauth2/token", cfg->paypal_api_base);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
	json_t *ans;
	long code;
	status st = pay_http(cfg, url, "grant_type=client_credentials", h, cfg->paypal_client_id,
			     cfg->paypal_client_secret, &ans, &code, err, errlen);
	curl_slist_free_all(h);
	if (st != STATUS_OK)
		return st;
	const char *tok = json_string_value(json_object_get(ans, "access_token"));
	json_int_t ttl = json_integer_value(json_object_get(ans, "expires_in"));
	if (code / 100 != 2 || !tok || strlen(tok) >= sizeof(paypal_token)) {
		st = pay_refused(ans, code, err, errlen);
	} else {
		pthread_mutex_lock(&paypal_lock);
		snprintf(paypal_token, sizeof(paypal_token), "%s", tok);
		paypal_token_until = now + (ttl > 120 ? ttl - 60 : 60);
		pthread_mutex_unlock(&paypal_lock);
		snprintf(bearer, len, "Authorization: Bearer %s", tok);
	}
	json_decref(ans);
	return st;
}

/* A JSON POST to PayPal with its token and, for creates, PayPal-Request-Id. */
static status paypal_post(const pay_config *cfg, const char *path, const json_t *body,
			  const char *idem_key, json_t **ans, long *code, char *err, size_t errlen)
{
	char bearer[2200], url[1024], idem[300];
	status st = paypal_auth(cfg, bearer, sizeof(bearer), err, errlen);
	if (st != STATUS_OK)
		return st;
	snprintf(url, sizeof(url), "%s%s", cfg->paypal_api_base, path);
	struct curl_slist *h = curl_slist_append(NULL, bearer);
	h = curl_slist_append(h, "Content-Type: application/json");
	if (idem_key) {
		snprintf(idem, sizeof(idem), "PayPal-Request-Id: %s", idem_key);
		h = curl_slist_append(h, idem);
	}
	char *text = json_dumps(body, JSON_COMPACT);
	st = pay_http(cfg, url, text ? text : "{}", h, NULL, NULL, ans, code, err, errlen);
	free(text);
	curl_slist_free_all(h);
	return st;
}

static status paypal_checkout(const pay_config *cfg, const pay_checkout_req *rq, arena *a,
			      pay_checkout *out, char *err, size_t errlen)
{
	char value[32];
	money_decimal(rq->amount_minor, rq->currency, value, sizeof(value));
	json_t *body = json_pack(
		"{s:s, s:[{s:s, s:s, s:s, s:{s:s, s:s}}], s:{s:{s:{s:s, s:s, s:s}}}}", "intent",
		"CAPTURE", "purchase_units", "reference_id", rq->reference, "custom_id",
		rq->payment_id, "description", rq->description, "amount", "currency_code",
		rq->currency, "value", value, "payment_source", "paypal", "experience_context",
		"return_url", rq->success_url, "cancel_url", rq->cancel_url, "user_action",
		"PAY_NOW");
	if (!body) {
		snprintf(err, errlen, "the order could not be written");
		return STATUS_INVALID;
	}
	json_t *ans;
	long code;
	status st = paypal_post(cfg, "/v2/checkout/orders", body, rq->idem_key, &ans, &code, err,
				errlen);
	json_decref(body);
	if (st != STATUS_OK)
		return st;
	const char *id = json_string_value(json_object_get(ans, "id"));
	const char *link = NULL;
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(ans, "links"), i, l) {
		const char *rel = json_string_value(json_object_get(l, "rel"));
		if (rel && (strcmp(rel, "payer-action") == 0 || strcmp(rel, "approve") == 0))
			link = json_string_value(json_object_get(l, "href"));
	}
	if (code / 100 != 2 || !id || !link) {
		st = pay_refused(ans, code, err, errlen);
	} else {
		out->provider_ref = arena_strdup(a, id);
		out->url = arena_strdup(a, link);
	}
	json_decref(ans);
	return st;
}

status pay_checkout_create(const pay_config *cfg, const char *method, const pay_checkout_req *rq,
			   arena *a, pay_checkout *out, char *err, size_t errlen)
{
	if (!pay_method_on(cfg, method)) {
		snprintf(err, errlen, "%s is not configured", method);
		return STATUS_INVALID;
	}
	if (strcmp(method, "stripe") == 0)
		return stripe_checkout(cfg, rq, a, out, err, errlen);
	return paypal_checkout(cfg, rq, a, out, err, errlen);
}

status pay_paypal_capture(const pay_config *cfg, const char *order_id, const char *idem_key,
			  arena *a, const char **capture_id, int64_t *amount_minor,
			  const char **currency, char *err, size_t errlen)
{
	char path[512];
	char *esc = curl_escape(order_id, 0);
	snprintf(path, sizeof(path), "/v2/checkout/orders/%s/capture", esc ? esc : "");
	curl_free(esc);
	json_t *body = json_object(), *ans;
	long code;
	status st = paypal_post(cfg, path, body, idem_key, &ans, &code, err, errlen);
	json_decref(body);
	if (st != STATUS_OK)
		return st;
	json_t *cap = json_array_get(json_object_get(json_object_get(json_array_get(json_object_get(ans, "purchase_units"), 0), "payments"), "captures"), 0);
	const char *id = json_string_value(json_object_get(cap, "id"));
	const char *cst = json_string_value(json_object_get(cap, "status"));
	json_t *amt = json_object_get(cap, "amount");
	const char *cur = json_string_value(json_object_get(amt, "currency_code"));
	const char *val = json_string_value(json_object_get(amt, "value"));
	if (code / 100 != 2 || !id || !cur || !val || !cst || strcmp(cst, "COMPLETED") != 0 ||
	    !money_parse_decimal(val, cur, amount_minor)) {
		st = pay_refused(ans, code, err, errlen);
	} else {
		*capture_id = arena_strdup(a, id);
		*currency = arena_strdup(a, cur);
	}
	json_decref(ans);
	return st;
}

status pay_refund_create(const pay_config *cfg, const char *method, const char *provider_payment,
			 int64_t amount_minor, const char *currency, const char *idem_key,
			 arena *a, const char **refund_ref, char *err, size_t errlen)
{
	if (!pay_method_on(cfg, method) || !provider_payment) {
		snprintf(err, errlen, "%s is not configured", method);
		return STATUS_IO;
	}
	json_t *ans;
	long code;
	status st;
	const char *ok_status;
	if (strcmp(method, "stripe") == 0) {
		char url[1024], amount[32];
		snprintf(url, sizeof(url), "%s/v1/refunds", cfg->stripe_api_base);
		snprintf(amount, sizeof(amount), "%lld", (long long)amount_minor);
		CURL *esc = curl_easy_init();
		buf f;
		buf_init(&f, 4096);
		form_add(&f, esc, "payment_intent", provider_payment);
		form_add(&f, esc, "amount", amount);
		curl_easy_cleanup(esc);
		struct curl_slist *h = stripe_headers(cfg, idem_key);
		st = pay_http(cfg, url, f.data, h, NULL, NULL, &ans, &code, err, errlen);
		curl_slist_free_all(h);
		buf_free(&f);
		ok_status = "succeeded";
	} else {
		char path[512], value[32];
		char *esc = curl_escape(provider_payment, 0);
		snprintf(path, sizeof(path), "/v2/payments/captures/%s/refund", esc ? esc : "");
		curl_free(esc);
		money_decimal(amount_minor, currency, value, sizeof(value));
		json_t *body = json_pack("{s:{s:s, s:s}}", "amount", "value", value, "currency_code",
					 currency);
		st = paypal_post(cfg, path, body, idem_key, &ans, &code, err, errlen);
		json_decref(body);
		ok_status = "COMPLETED";
	}
	if (st != STATUS_OK)
		return st;
	const char *id = json_string_value(json_object_get(ans, "id"));
	const char *rs = json_string_value(json_object_get(ans, "status"));
	/* A refund the provider accepted but still processes ("pending") is done on our side:
	 * the money is on its way back, and asking again would not change that. */
	if (code / 100 != 2 || !id || !rs ||
	    (strcmp(rs, ok_status) != 0 && strcmp(rs, "pending") != 0 && strcmp(rs, "PENDING") != 0))
		st = pay_refused(ans, code, err, errlen);
	else
		*refund_ref = arena_strdup(a, id);
	json_decref(ans);
	return st;
}

status pay_stripe_verify(const char *secret, const char *header, const char *body, size_t len,
			 int64_t now, int64_t tolerance_s)
{
	if (!secret || !*secret || !header)
		return STATUS_UNAUTHORIZED;
	/* t=TS and every v1=HEX; other schemes (v0) are ignored. */
	int64_t ts = -1;
	const char *sigs[8];
	size_t sig_len[8];
	int nsig = 0;
	for (const char *p = header; *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && *p == ' ') {
			p++;
			n--;
		}
		if (n > 2 && strncmp(p, "t=", 2) == 0) {
			char tmp[24];
			if (n - 2 >= sizeof(tmp))
				return STATUS_UNAUTHORIZED;
			memcpy(tmp, p + 2, n - 2);
			tmp[n - 2] = '\0';
			char *end;
			long long v = strtoll(tmp, &end, 10);
			if (*end || v < 0)
				return STATUS_UNAUTHORIZED;
			ts = v;
		} else if (n > 3 && strncmp(p, "v1=", 3) == 0 && nsig < 8) {
			sigs[nsig] = p + 3;
			sig_len[nsig++] = n - 3;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (ts < 0 || nsig == 0)
		return STATUS_UNAUTHORIZED;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state s;
	char tstext[24];
	int tn = snprintf(tstext, sizeof(tstext), "%lld.", (long long)ts);
	crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)tstext, (unsigned long long)tn);
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&s, mac);
	char hex[sizeof(mac) * 2 + 1];
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	bool match = false;
	for (int i = 0; i < nsig; i++)
		if (sig_len[i] == sizeof(hex) - 1 && sodium_memcmp(sigs[i], hex, sizeof(hex) - 1) == 0)
			match = true;
	if (!match)
		return STATUS_UNAUTHORIZED;
	if (ts < now - tolerance_s || ts > now + tolerance_s)
		return STATUS_INVALID;
	return STATUS_OK;
}

status pay_paypal_verify(const pay_config *cfg, const pay_paypal_headers *h, const char *body,
			 size_t len, char *err, size_t errlen)
{
	if (!h->transmission_id || !h->transmission_time || !h->transmission_sig || !h->cert_url ||
	    !h->auth_algo || !cfg->paypal_webhook_id || !*cfg->paypal_webhook_id)
		return STATUS_UNAUTHORIZED;
	json_t *event = json_loadb(body, len, 0, NULL);
	if (!event)
		return STATUS_UNAUTHORIZED;
	/* json_pack "o" steals event. */
	json_t *rq = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "auth_algo", h->auth_algo,
			       "cert_url", h->cert_url, "transmission_id", h->transmission_id,
			       "transmission_sig", h->transmission_sig, "transmission_time",
			       h->transmission_time, "webhook_id", cfg->paypal_webhook_id,
			       "webhook_event", event);
	if (!rq)
		return STATUS_UNAUTHORIZED;
	json_t *ans;
	long code;
	status st = paypal_post(cfg, "/v1/notifications/verify-webhook-signature", rq, NULL, &ans,
				&code, err, errlen);
	json_decref(rq);
	if (st != STATUS_OK)
		return st;
	const char *v = json_string_value(json_object_get(ans, "verification_status"));
	if (code / 100 != 2)
		st = pay_refused(ans, code, err, errlen);
	else if (!v || strcmp(v, "SUCCESS") != 0)
		st = STATUS_UNAUTHORIZED;
	json_decref(ans);
	return st;
}
