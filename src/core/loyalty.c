/* loyalty.c - loyalty points, tiers, the tier discount and the replay of a customer's facts
 * (core/loyalty.h). Pure: integers only, no I/O. */
#include "core/loyalty.h"

#include <stdio.h>
#include <string.h>

const char *loyalty_basis_name(loyalty_basis b)
{
	return b == LOYALTY_BY_VISITS ? "visits" : "value";
}

bool loyalty_basis_parse(const char *s, loyalty_basis *out)
{
	if (s && strcmp(s, "value") == 0)
		*out = LOYALTY_BY_VALUE;
	else if (s && strcmp(s, "visits") == 0)
		*out = LOYALTY_BY_VISITS;
	else
		return false;
	return true;
}

bool loyalty_settings_ok(const loyalty_settings *s, char *field, size_t fieldlen,
			 const char **why)
{
	if (s->points_per_unit < 0 || s->points_per_unit > LOYALTY_POINTS_PER_UNIT_MAX) {
		snprintf(field, fieldlen, "points_per_unit");
		*why = "must be 0 to 1000";
		return false;
	}
	if (s->ntiers < 0 || s->ntiers > LOYALTY_TIERS_MAX) {
		snprintf(field, fieldlen, "tiers");
		*why = "at most 8 tiers";
		return false;
	}
	for (int i = 0; i < s->ntiers; i++) {
		const loyalty_tier *t = &s->tiers[i];
		const char *bad = NULL, *msg = NULL;
		if (!t->name[0])
			bad = "name", msg = "is required";
		else if (t->threshold < 0)
			bad = "threshold", msg = "must not be negative";
		else if (i > 0 && t->threshold <= s->tiers[i - 1].threshold)
			bad = "threshold", msg = "must be above the previous tier's";
		else if (t->multiplier_bp < 0 || t->multiplier_bp > LOYALTY_MULTIPLIER_BP_MAX)
			bad = "multiplier_bp", msg = "must be 0 to 50000";
		else if (t->discount_bp < 0 || t->discount_bp > LOYALTY_DISCOUNT_BP_MAX)
			bad = "discount_bp", msg = "must be 0 to 10000";
		if (bad) {
			snprintf(field, fieldlen, "tiers[%d].%s", i, bad);
			*why = msg;
			return false;
		}
	}
	return true;
}

int loyalty_tier_of(const loyalty_settings *s, int64_t value_minor, int64_t visits)
{
	if (!s->enabled)
		return -1;
	int64_t metric = s->basis == LOYALTY_BY_VISITS ? visits : value_minor;
	int tier = -1;
	for (int i = 0; i < s->ntiers; i++)
		if (metric >= s->tiers[i].threshold)
			tier = i;
	return tier;
}

int64_t loyalty_discounted_price(const loyalty_settings *s, int tier, int64_t price_minor,
				 int64_t *discount_out)
{
	int64_t off = 0;
	if (s->enabled && tier >= 0 && tier < s->ntiers && price_minor > 0) {
		int64_t p = price_minor > LOYALTY_AMOUNT_MAX ? LOYALTY_AMOUNT_MAX : price_minor;
		off = p * s->tiers[tier].discount_bp / 10000;
	}
	if (discount_out)
		*discount_out = off;
	return price_minor - off;
}

static int64_t pow10_of(int digits)
{
	int64_t p = 1;
	for (int i = 0; i < digits && i < 6; i++)
		p *= 10;
	return p;
}

int64_t loyalty_points_for(const loyalty_settings *s, int64_t amount_minor, int digits,
			   int multiplier_bp)
{
	if (!s->enabled || amount_minor <= 0 || s->points_per_unit <= 0 || multiplier_bp <= 0)
		return 0;
	int64_t a = amount_minor > LOYALTY_AMOUNT_MAX ? LOYALTY_AMOUNT_MAX : amount_minor;
	int64_t m = multiplier_bp > LOYALTY_MULTIPLIER_BP_MAX ? LOYALTY_MULTIPLIER_BP_MAX
							      : multiplier_bp;
	/* a <= 1e11, rate <= 1e3, m <= 5e4: the product stays below 2^63. */
	return a * s->points_per_unit * m / (pow10_of(digits) * 10000);
}

/* What replay keeps per booking. */
typedef struct loyalty_slot {
	const char *booking;  /* its reference (borrowed) */
	int multiplier_bp;    /* frozen when it first earned; 0 before */
	int64_t points;       /* points it holds now */
	int64_t value;        /* lifetime value it holds now */
	int64_t paid;         /* money received for it, net of refunds */
	int64_t earned_paid;  /* the money its points were earned on (for proportional refunds) */
	bool closed;          /* cancelled or completed: later facts change no points */
} loyalty_slot;

size_t loyalty_work_size(size_t max_bookings)
{
	return sizeof(loyalty_slot) * (max_bookings ? max_bookings : 1);
}

static loyalty_slot *slot_of(loyalty_slot *slots, size_t *nslots, size_t max, const char *ref)
{
	if (!ref)
		return NULL;
	for (size_t i = 0; i < *nslots; i++)
		if (strcmp(slots[i].booking, ref) == 0)
			return &slots[i];
	if (*nslots == max)
		return NULL;
	loyalty_slot *k = &slots[(*nslots)++];
	memset(k, 0, sizeof(*k));
	k->booking = ref;
	return k;
}

static int current_multiplier(const loyalty_settings *s, const loyalty_account *acc)
{
	return acc->tier >= 0 ? s->tiers[acc->tier].multiplier_bp : 10000;
}

/* Earns for amount of money on booking k. */
static int64_t earn(const loyalty_settings *s, int digits, loyalty_slot *k, loyalty_account *acc,
		    int64_t amount)
{
	if (!k->multiplier_bp)
		k->multiplier_bp = current_multiplier(s, acc);
	/* Points of everything earned on, less those held: no rounding drift across parts. */
	int64_t before = loyalty_points_for(s, k->earned_paid, digits, k->multiplier_bp);
	k->earned_paid += amount;
	int64_t got = loyalty_points_for(s, k->earned_paid, digits, k->multiplier_bp) - before;
	k->points += got;
	k->value += amount;
	acc->value_minor += amount;
	return got;
}

/* Gives back what amount of k's money earned (at most what it holds). */
static int64_t give_back(const loyalty_settings *s, int digits, loyalty_slot *k,
			 loyalty_account *acc, int64_t amount)
{
	if (amount > k->earned_paid)
		amount = k->earned_paid;
	int64_t before = loyalty_points_for(s, k->earned_paid, digits, k->multiplier_bp);
	k->earned_paid -= amount;
	int64_t back = before - loyalty_points_for(s, k->earned_paid, digits, k->multiplier_bp);
	if (back > k->points)
		back = k->points;
	int64_t v = amount > k->value ? k->value : amount;
	k->points -= back;
	k->value -= v;
	acc->value_minor -= v;
	return -back;
}

void loyalty_replay(const loyalty_settings *s, int digits, const loyalty_fact *facts, size_t n,
		    void *work, size_t max_bookings, loyalty_account *out, loyalty_entry *hist,
		    size_t *nhist)
{
	loyalty_slot *slots = work;
	size_t nslots = 0, nh = 0;
	memset(out, 0, sizeof(*out));
	out->tier = -1;
	for (size_t i = 0; i < n; i++) {
		const loyalty_fact *f = &facts[i];
		loyalty_slot *k = slot_of(slots, &nslots, max_bookings, f->booking);
		int64_t change = 0;
		const char *kind = "earned", *reason = "";
		bool visit = false;
		switch (f->kind) {
		case LOYALTY_PAID:
			reason = "payment";
			if (k) {
				k->paid += f->amount_minor;
				if (!k->closed)
					change = earn(s, digits, k, out, f->amount_minor);
			}
			break;
		case LOYALTY_REFUNDED:
			kind = "reversed", reason = "refund";
			if (k) {
				k->paid -= f->amount_minor;
				change = give_back(s, digits, k, out, f->amount_minor);
			}
			break;
		case LOYALTY_COMPLETED:
			reason = "visit";
			visit = true;
			out->visits++;
			if (k && !k->closed) {
				int64_t rest = f->amount_minor - (k->paid > 0 ? k->paid : 0);
				if (rest > 0)
					change = earn(s, digits, k, out, rest);
				k->closed = true;
			}
			break;
		case LOYALTY_CANCELLED:
			kind = "reversed", reason = "cancelled";
			if (k && !k->closed) {
				change = give_back(s, digits, k, out, k->earned_paid);
				k->closed = true;
			}
			break;
		case LOYALTY_ADJUSTED:
			kind = "adjusted";
			reason = f->reason ? f->reason : "";
			change = f->points;
			break;
		}
		out->points += change;
		out->tier = loyalty_tier_of(s, out->value_minor, out->visits);
		if (hist && (change != 0 || visit || f->kind == LOYALTY_ADJUSTED))
			hist[nh++] = (loyalty_entry){.kind = kind, .at = f->at, .booking = f->booking,
						     .points = change, .balance = out->points,
						     .tier = out->tier, .reason = reason,
						     .actor = f->kind == LOYALTY_ADJUSTED ? f->actor
											  : NULL};
	}
	if (nhist)
		*nhist = nh;
}
