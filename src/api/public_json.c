/* public_json.c - catalogue and booking answers through the JSON writer. */
#include "api/public_json.h"

#include "base/jsonw.h"

static void write_money(jsonw *w, int64_t amount_minor, const char *currency)
{
	jsonw_obj(w);
	jsonw_key(w, "amount_minor");
	jsonw_int(w, amount_minor);
	jsonw_key(w, "currency");
	jsonw_str(w, currency);
	jsonw_obj_end(w);
}

status public_services_write(buf *out, const char *currency, const service *svcs, int n,
			     provider *const *providers, const int *n_providers)
{
	jsonw w;
	jsonw_init(&w, out);
	jsonw_obj(&w);
	jsonw_key(&w, "services");
	jsonw_arr(&w);
	for (int i = 0; i < n; i++) {
		const service *s = &svcs[i];
		jsonw_obj(&w);
		jsonw_key(&w, "id");
		jsonw_str(&w, s->id);
		jsonw_key(&w, "name");
		jsonw_str(&w, s->name);
		jsonw_key(&w, "description");
		jsonw_str(&w, s->description);
		jsonw_key(&w, "kind");
		jsonw_str(&w, service_kind_name(s->kind));
		jsonw_key(&w, "duration_s");
		jsonw_int(&w, s->duration_s);
		jsonw_key(&w, "price");
		write_money(&w, s->price_minor, currency);
		jsonw_key(&w, "capacity");
		jsonw_int(&w, s->capacity);
		jsonw_key(&w, "providers");
		jsonw_arr(&w);
		for (int j = 0; j < n_providers[i]; j++) {
			jsonw_obj(&w);
			jsonw_key(&w, "id");
			jsonw_str(&w, providers[i][j].id);
			jsonw_key(&w, "name");
			jsonw_str(&w, providers[i][j].name);
			jsonw_obj_end(&w);
		}
		jsonw_arr_end(&w);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	return jsonw_end(&w);
}

static void write_instant(jsonw *w, const char *key, const tz *zone, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(zone, t, s);
	jsonw_key(w, key);
	jsonw_str(w, s);
}

status public_booking_write(buf *out, const book_result *res, const char *currency,
			    const tz *zone)
{
	const booking *bk = &res->b;
	const char *who = bk->provider_id ? bk->provider_id : bk->resource_id;
	jsonw w;
	jsonw_init(&w, out);
	jsonw_obj(&w);
	jsonw_key(&w, "reference");
	jsonw_str(&w, bk->reference);
	jsonw_key(&w, "status");
	jsonw_str(&w, booking_status_name(bk->status));
	jsonw_key(&w, "service");
	jsonw_str(&w, bk->service_id);
	jsonw_key(&w, "provider");
	if (who)
		jsonw_str(&w, who);
	else
		jsonw_null(&w);
	write_instant(&w, "start", zone, bk->start_at);
	write_instant(&w, "end", zone, bk->end_at);
	jsonw_key(&w, "seats");
	jsonw_int(&w, bk->seats);
	jsonw_key(&w, "price");
	write_money(&w, bk->price_minor, currency);
	if (bk->resource_id && bk->provider_id) {
		jsonw_key(&w, "resource");
		jsonw_str(&w, bk->resource_id);
	}
	if (bk->referral && *bk->referral) {
		jsonw_key(&w, "referral");
		jsonw_str(&w, bk->referral);
	}
	if (res->manage_token) {
		jsonw_key(&w, "manage_token");
		jsonw_str(&w, res->manage_token);
	}
	if (bk->status == BOOKING_HELD && bk->customer_id) {
		/* Waits for the customer to confirm it from the email just sent (confirm_by_email). */
		jsonw_key(&w, "awaiting_confirmation");
		jsonw_bool(&w, true);
		write_instant(&w, "expires_at", zone, bk->hold_expires_at);
	}
	jsonw_obj_end(&w);
	return jsonw_end(&w);
}
