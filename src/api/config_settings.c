/* config_settings.c - the document's business settings that live beside the business row
 * (protection limits, waiting-list offer time), written by import and replace. */
#include "api/config_loyalty.h"
#include "api/config_read.h"
#include "api/protection_rules.h"
#include "api/assign_rules.h"
#include "api/customer_overlap.h"
#include "store/pricing.h"
#include "store/protection.h"
#include "store/waitlist.h"

status config_settings_write(db_conn *c, const char *business_id, const config_doc *d)
{
	status st = STATUS_OK;
	if (d->protection) {
		protection p;
		errlist unused = {0}; /* config_read found none */
		st = store_protection_get(c, business_id, &p);
		if (st == STATUS_OK) {
			protection_read(d->protection, "protection", &p, &unused);
			st = store_protection_set(c, business_id, &p);
		}
	}
	if (st == STATUS_OK && d->has_assign) {
		/* Like protection: the keys given, over the setting as it is. */
		assign_settings s;
		assign_prio *prios = NULL;
		int n = 0;
		errlist unused = {0}; /* config_read found none */
		arena *a = arena_new();
		st = assign_settings_get(c, business_id, &s);
		if (st == STATUS_OK) {
			assign_read(d->assign_doc, "assignment", a, &s, &prios, &n, &unused);
			st = assign_write(c, business_id, &s, prios, n);
		}
		arena_free(a);
	}
	if (st == STATUS_OK && d->has_overlap) {
		/* A policy left out keeps the current one (import: the default, refuse). */
		bool refuse = d->overlap_refuse;
		if (!d->overlap_has_policy)
			st = overlap_policy_get(c, business_id, &refuse);
		if (st == STATUS_OK)
			st = customer_overlap_write(c, business_id, refuse, d->overlap_svcs,
						    d->noverlap_svcs);
	}
	if (st == STATUS_OK && d->pricing)
		st = store_pricing_replace_all(c, business_id, d->pricing);
	if (st == STATUS_OK && d->waitlist_offer_s)
		st = waitlist_offer_s_set(c, business_id, d->waitlist_offer_s);
	if (st == STATUS_OK && d->loyalty)
		st = config_loyalty_write(c, business_id, d);
	return st;
}
