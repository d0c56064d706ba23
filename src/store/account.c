/* account.c - changes to a staff account, one write transaction each (account.h). */
#include "store/account.h"

#include <string.h>

#include "store/outbox.h"
#include "store/session.h"

/* Ends the transaction: committed when st is OK, otherwise rolled back. */
static status account_end(db_conn *c, status st)
{
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

/* STATUS_CONFLICT (and *last_owner) when u is the business's only owner. */
static status account_keep_an_owner(db_conn *c, const staff_user *u, bool *last_owner)
{
	if (strcmp(u->role, "owner") != 0)
		return STATUS_OK;
	int64_t owners = 0;
	status st = store_user_count_owners(c, u->business_id, &owners);
	if (st == STATUS_OK && owners <= 1) {
		*last_owner = true;
		st = STATUS_CONFLICT;
	}
	return st;
}

status store_account_update(db_conn *c, const char *business_id, const char *id,
			    const char *role, const char *name, arena *a, staff_user *out,
			    bool *last_owner)
{
	*last_owner = false;
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = store_user_get(c, business_id, id, a, out);
	if (st == STATUS_OK && role && strcmp(role, "owner") != 0)
		st = account_keep_an_owner(c, out, last_owner);
	if (st == STATUS_OK)
		st = store_user_update(c, business_id, id, role, name);
	if (st == STATUS_OK)
		st = store_user_get(c, business_id, id, a, out);
	return account_end(c, st);
}

status store_account_delete(db_conn *c, const char *business_id, const char *id, arena *a,
			    bool *last_owner)
{
	*last_owner = false;
	staff_user u;
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = store_user_get(c, business_id, id, a, &u);
	if (st == STATUS_OK)
		st = account_keep_an_owner(c, &u, last_owner);
	if (st == STATUS_OK)
		st = store_user_delete(c, business_id, id);
	return account_end(c, st);
}

static status account_mail(db_conn *c, const char *business_id, const store_account_mail *m,
			   int64_t now, arena *a)
{
	return m ? outbox_staff(c, business_id, m->event, m->to, m->payload, now, a) : STATUS_OK;
}

status store_account_password(db_conn *c, const store_password_change *ch, arena *a)
{
	const char *bid = ch->business_id, *uid = ch->user_id;
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	if (ch->use_reset) /* once: a second use, even a racing one, finds it used */
		st = store_reset_use(c, bid, ch->use_reset, ch->now);
	if (st == STATUS_OK)
		st = store_user_set_password(c, bid, uid, ch->hash);
	if (st == STATUS_OK)
		st = store_staff_session_end_user(c, bid, uid, ch->keep_session, ch->now);
	if (st == STATUS_OK)
		st = store_reset_end_all(c, bid, uid, ch->now);
	if (st == STATUS_OK && ch->new_reset)
		st = store_reset_insert(c, ch->new_reset);
	if (st == STATUS_OK && ch->login_key)
		st = store_login_clear(c, bid, ch->login_key);
	if (st == STATUS_OK)
		st = account_mail(c, bid, ch->mail, ch->now, a);
	if (st == STATUS_OK && ch->audit)
		st = store_audit_insert(c, ch->audit);
	return account_end(c, st);
}

status store_account_reset_request(db_conn *c, const char *user_id, int per_hour,
				   const store_reset *rs, const store_account_mail *mail,
				   int64_t purge_before, int64_t now, arena *a, bool *issued)
{
	*issued = false;
	int64_t recent = 0;
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	if (user_id)
		st = store_reset_count_since(c, rs->business_id, user_id, now - 3600, &recent);
	if (st == STATUS_OK && user_id && recent < per_hour) {
		st = store_reset_insert(c, rs);
		if (st == STATUS_OK)
			st = account_mail(c, rs->business_id, mail, now, a);
		*issued = st == STATUS_OK;
	}
	if (st == STATUS_OK)
		st = store_reset_purge(c, purge_before);
	st = account_end(c, st);
	if (st != STATUS_OK)
		*issued = false;
	return st;
}
