/* catalog_protection.c - GET, PATCH /api/v1/businesses/{business}/protection: the limits
 * that keep public clients from emptying the calendar or sending mail for an attacker
 * (store/protection.h), and whether a public booking waits for an emailed confirmation.
 * Any staff role reads; admin and owner change. */
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/protection_rules.h"
#include "api/staff_catalog.h"
#include "store/protection.h"

void catalog_protection_get(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	protection p;
	status st = store_protection_get(c, b.id, &p);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, protection_json(&p));
}

void catalog_protection_patch(http_req *r)
{
	business b;
	json_t *body;
	db_conn *c = auth_open_admin_body(r, &b, &body);
	if (!c)
		return;
	protection p;
	errlist errs = {0};
	status st = store_protection_get(c, b.id, &p);
	if (st == STATUS_OK)
		protection_read(body, "", &p, &errs);
	json_decref(body);
	for (int i = 0; i < errs.count; i++)
		http_field_error_add(r, errs.e[i].field, "%s", errs.e[i].detail);
	if (st == STATUS_OK && r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid protection settings");
	} else {
		if (st == STATUS_OK)
			st = store_protection_set(c, b.id, &p);
		if (st != STATUS_OK)
			api_store_error(r, c, st);
		else
			http_json_take(r, 200, protection_json(&p));
	}
}
