/* avail_check.c - one requested start (rentals: start and end), answered by the slot code
 * itself run over that single instant; and service validation. */
#include <string.h>

#include "core/avail_impl.h"

static const avail_bookable *avail_find(const avail_request *req, const char *id)
{
	for (size_t i = 0; i < req->n_providers; i++)
		if (req->providers[i].id && strcmp(req->providers[i].id, id) == 0)
			return &req->providers[i];
	return NULL;
}

/* Overnight ranges: the end lies in one of the return spans (both ends included). */
static bool avail_check_return(const avail_slot *s, int64_t end)
{
	for (size_t k = 0; k < s->n_returns; k++)
		if (s->returns[k].start <= end && end <= s->returns[k].end)
			return true;
	return false;
}

/* Rentals: the candidates whose free range holds [start, end), with the end on their grid
 * and the length allowed. */
static bool avail_check_rental(const avail_request *req, const avail_pick *p, const avail_result *r,
                               arena *a, avail_slot *out)
{
	const avail_service *svc = req->service;
	avail_grid g = avail_grid_of(svc);
	size_t n_ids = 0, cap = 0;
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].start == p->start)
			cap += r->slots[i].n_providers;
	if (cap == 0)
		return false;
	const char **ids = arena_alloc(a, cap * sizeof(*ids));
	for (size_t i = 0; i < r->n_slots; i++) {
		const avail_slot *s = &r->slots[i];
		if (s->start != p->start || s->end < p->end || s->last_start < p->start)
			continue;
		if (s->n_returns && !avail_check_return(s, p->end))
			continue;
		for (size_t k = 0; k < s->n_providers; k++) {
			const avail_bookable *b = avail_find(req, s->providers[k]);
			const tz *z = b ? avail_zone_of(req, b) : req->business_zone;
			if (avail_tz_on_grid(z, g, p->end) &&
			    avail_rental_length_ok(svc, z, p->start, p->end))
				ids[n_ids++] = s->providers[k];
		}
	}
	if (n_ids == 0)
		return false;
	if (out) {
		/* Keep the request's order whatever order the ranges came in. */
		const char **ordered = arena_alloc(a, n_ids * sizeof(*ordered));
		size_t w = 0;
		for (size_t i = 0; i < req->n_providers; i++)
			for (size_t k = 0; k < n_ids; k++)
				if (ids[k] == req->providers[i].id) {
					ordered[w++] = ids[k];
					break;
				}
		memset(out, 0, sizeof(*out));
		out->start = p->start;
		out->end = p->end;
		out->last_start = p->start;
		out->providers = ordered;
		out->n_providers = w;
		out->seats_left = (int)w;
	}
	return true;
}

bool avail_check(const avail_request *req, const avail_pick *p, arena *a, avail_slot *out)
{
	if (!req || !p || !req->service || p->start == INT64_MAX)
		return false;
	const avail_service *svc = req->service;
	avail_query q = {0};
	q.from = p->start;
	q.to = p->start + 1;
	q.now = p->now;
	q.seats = p->seats;
	q.provider = p->provider;
	int64_t horizon = 0;
	if (svc->kind == AVAIL_RENTAL) {
		if (p->end <= p->start)
			return false;
		horizon = p->end;
	}
	avail_result r;
	if (avail_run(req, &q, horizon, a, &r) != STATUS_OK)
		return false;
	if (svc->kind == AVAIL_RENTAL)
		return avail_check_rental(req, p, &r, a, out);
	for (size_t i = 0; i < r.n_slots; i++) {
		if (r.slots[i].start == p->start) {
			if (out)
				*out = r.slots[i];
			return true;
		}
	}
	return false;
}

status avail_service_validate(const avail_service *s, const char **field_out)
{
	const char *field = NULL;
	if (!s)
		field = "service";
	else if (s->kind != AVAIL_APPOINTMENT && s->kind != AVAIL_CLASS && s->kind != AVAIL_RENTAL)
		field = "kind";
	else if (s->duration_s <= 0 || s->duration_s > AVAIL_MAX_RANGE_S)
		field = "duration_s";
	else if (s->buffer_before_s < 0 || s->buffer_before_s > AVAIL_MAX_RANGE_S)
		field = "buffer_before_s";
	else if (s->buffer_after_s < 0 || s->buffer_after_s > AVAIL_MAX_RANGE_S)
		field = "buffer_after_s";
	else if (s->min_notice_s < 0)
		field = "min_notice_s";
	else if (s->max_advance_s <= 0 || s->max_advance_s > 100LL * 366 * 86400)
		field = "max_advance_s";
	else if (s->min_notice_s >= s->max_advance_s)
		field = "min_notice_s"; /* no start can be both that late and that early */
	else if (s->slot_interval_s <= 0 || s->slot_interval_s % 60 != 0 ||
	         s->slot_interval_s > 86400)
		field = "slot_interval_s";
	else if (s->capacity < 1)
		field = "capacity";
	else if (s->kind == AVAIL_RENTAL) {
		if (s->min_length_s < 0)
			field = "min_length_s";
		else if (s->max_length_s < 0)
			field = "max_length_s";
		else if (s->max_length_s > 0 && avail_rental_min(s) > s->max_length_s)
			field = s->min_length_s > 0 ? "min_length_s" : "duration_s";
		else if (s->whole_days && s->max_length_s > 0 && s->max_length_s < 86400)
			field = "max_length_s"; /* not even one whole day fits */
		else if (s->whole_days && s->max_length_s > 0 &&
		         avail_rental_min_days(s) > s->max_length_s / 86400)
			field = "min_length_s"; /* counted in whole days, the minimum passes the
			                           maximum */
		else if (!s->whole_days && s->max_length_s > 0 &&
		         s->max_length_s < s->slot_interval_s)
			field = "max_length_s"; /* ends lie on the grid: no rental is that short */
	}
	if (field_out)
		*field_out = field;
	return field ? STATUS_INVALID : STATUS_OK;
}
