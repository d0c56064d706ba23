"""What the dashboard's calendar changes and access views need from the staff API: "notify":
false keeps the customer's message of a staff change unqueued; a staff override is refused to
the staff role and, for admins, recorded with its reason in the history and the audit log
(refused attempts too); a rental resized by a reschedule with a new end; the customer's zone
beside the booking; the audit log's filters and pages; users invited by email, and an admin
kept out of the users routes."""
import urllib.parse

import harness
import staff

SLUG = "studio"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Studio", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "resources": [{"id": "van", "name": "Van"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"]},
        {"id": "hire", "name": "Hire", "kind": "rental", "duration_s": 3600, "slot_interval_s": 3600,
         "price_minor": 1000, "resources": ["van"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # Monday, 07:00 in London
PW = "a long enough password"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    for email, role in (("o@studio.test", "owner"), ("a@studio.test", "admin"), ("s@studio.test", "staff")):
        staff.make_user(ctx, SLUG, email, role, PW)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@studio.test", PW)
    ctx.admin = staff.login(ctx, SLUG, "a@studio.test", PW)
    ctx.staff = staff.login(ctx, SLUG, "s@studio.test", PW)
    r = ctx.owner.patch(ctx.owner.path("/providers/bob"), body={"user_id": ctx.staff.user["id"]})
    assert r.status == 200, r


def count(ctx, sql):
    return int(harness.query(ctx.db_url, sql) or 0)


def customer_messages(ctx, email):
    """Outbox rows addressed to the customer (their email or SMS), whatever their status."""
    return count(ctx, "SELECT COUNT(*) FROM notifications WHERE recipient = '%s' AND event <> 'reminder'" % email)


def create(c, start, provider="ann", email="kim@example.com", **extra):
    body = {"service": "cut", "start": start, "provider": provider,
            "customer": {"name": "Kim Lee", "email": email}}
    body.update(extra)
    return c.post(c.path("/bookings"), body=body)


def test_notify_false_queues_nothing_for_the_customer(ctx):
    o = ctx.owner
    # Told: the customer's confirmation is queued.
    r = create(o, "2026-06-03T09:00:00+01:00", email="told@example.com")
    assert r.status == 201, r
    assert customer_messages(ctx, "told@example.com") == 1
    # Not told: created, moved and cancelled without a single message to them.
    r = create(o, "2026-06-03T10:00:00+01:00", email="quiet@example.com", notify=False)
    assert r.status == 201, r
    b = r.json
    assert b["history"][0]["changes"].get("notified") is False, b["history"]
    r = o.post(o.path("/bookings/%s/reschedule" % b["id"]), body={"start": "2026-06-03T11:00:00+01:00", "notify": False})
    assert r.status == 200 and r.json["start"].startswith("2026-06-03T11:00"), r
    assert r.json["history"][-1]["changes"]["notified"] is False
    r = o.post(o.path("/bookings/%s/cancel" % b["id"]), body={"reason": "mistake", "notify": False})
    assert r.status == 200 and r.json["status"] == "cancelled", r
    assert customer_messages(ctx, "quiet@example.com") == 0
    # The same moves told: each queues the customer's message.
    t = ctx.owner.post(o.path("/bookings/%s/reschedule" % b["id"]), body={"start": "2026-06-03T12:00:00+01:00"})
    assert t.status == 409, t  # a cancelled booking does not move
    r = create(o, "2026-06-03T13:00:00+01:00", email="quiet2@example.com", notify=False)
    bid = r.json["id"]
    assert o.post(o.path("/bookings/%s/reschedule" % bid), body={"start": "2026-06-03T14:00:00+01:00"}).status == 200
    assert customer_messages(ctx, "quiet2@example.com") == 1
    assert o.post(o.path("/bookings/%s/cancel" % bid), body={"reason": "sick"}).status == 200
    assert customer_messages(ctx, "quiet2@example.com") == 2
    # The audit entries say the customer was not told.
    r = o.get(o.path("/audit?q=not%20notified"))
    assert r.status == 200 and len(r.json["entries"]) == 4, r.json
    assert all(e["detail"] == "customer not notified" for e in r.json["entries"])
    # notify must be a boolean.
    r = create(o, "2026-06-03T15:00:00+01:00", notify="no")
    assert r.status == 422 and any(e["field"] == "notify" for e in r.json["errors"]), r


def test_override_refused_to_staff_and_audited_with_its_reason(ctx):
    a, s = ctx.admin, ctx.staff
    r = create(a, "2026-06-04T09:00:00+01:00", provider="bob", email="first@example.com")
    assert r.status == 201, r
    # The staff role may not override, even on its own provider: 403, nothing written, and
    # the refused attempt is in the audit log.
    r = create(s, "2026-06-04T09:00:00+01:00", provider="bob", email="second@example.com",
               override=True, override_reason="squeeze in")
    assert r.status == 403, r
    assert count(ctx, "SELECT COUNT(*) FROM bookings WHERE customer_email = 'second@example.com'") == 0
    r = ctx.owner.get(ctx.owner.path("/audit?failed=1&user=" + s.user["id"]))
    assert r.status == 200 and r.json["entries"], r
    e = r.json["entries"][0]
    assert e["status"] == 403 and e["action"] == "POST /api/v1/businesses/{business}/bookings", e
    # An admin may: the history keeps the engine's reason and staff's, the audit entry both.
    r = create(a, "2026-06-04T09:00:00+01:00", provider="bob", email="second@example.com",
               override=True, override_reason="regular, squeeze in")
    assert r.status == 201, r
    h = r.json["history"][0]
    assert h["changes"]["override"] == "busy" and h["reason"] == "regular, squeeze in", h
    r = ctx.owner.get(ctx.owner.path("/audit?q=override"))
    ent = [x for x in r.json["entries"] if x["status"] == 201]
    assert len(ent) == 1 and ent[0]["detail"] == "override busy: regular, squeeze in", r.json
    assert ent[0]["user_id"] == a.user["id"]
    # Moving into refused time: the same.
    b = r.json and create(a, "2026-06-04T10:00:00+01:00", provider="bob", email="third@example.com").json
    r = a.post(a.path("/bookings/%s/reschedule" % b["id"]),
               body={"start": "2026-06-04T18:00:00+01:00", "override": True, "override_reason": "late opening"})
    assert r.status == 200 and r.json["start"].startswith("2026-06-04T18:00"), r
    assert r.json["history"][-1]["changes"]["override"] == "outside_hours"
    assert r.json["history"][-1]["reason"] == "late opening"
    r = ctx.owner.get(ctx.owner.path("/audit?q=late%20opening"))
    assert [x["detail"] for x in r.json["entries"]] == ["override outside_hours: late opening"], r.json
    # A move the engine allows is no override: no reason recorded, no audit detail.
    r = a.post(a.path("/bookings/%s/reschedule" % b["id"]),
               body={"start": "2026-06-04T11:00:00+01:00", "override": True, "override_reason": "x"})
    assert r.status == 200 and "override" not in r.json["history"][-1]["changes"], r
    assert r.json["history"][-1]["reason"] == ""
    # The staff role moving its own booking into busy time with override: 403, unmoved.
    mine = create(s, "2026-06-04T12:00:00+01:00", provider="bob", email="mine@example.com").json
    r = s.post(s.path("/bookings/%s/reschedule" % mine["id"]),
               body={"start": "2026-06-04T09:00:00+01:00", "override": True, "override_reason": "please"})
    assert r.status == 403, r
    assert s.get(s.path("/bookings/" + mine["id"])).json["start"].startswith("2026-06-04T12:00")
    # Too long a reason.
    r = create(a, "2026-06-04T09:00:00+01:00", provider="bob", override=True, override_reason="x" * 501)
    assert r.status == 422 and r.json["errors"][0]["field"] == "override_reason", r


def test_rental_resize_and_fixed_length_services(ctx):
    o = ctx.owner
    r = ctx.srv.client.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "hire", "start": "2026-06-05T10:00:00+01:00", "end": "2026-06-05T12:00:00+01:00",
        "customer": {"name": "Ray Rent", "email": "ray@example.com", "timezone": "America/New_York"}})
    assert r.status == 201, r
    ref = r.json["reference"]
    # The list shows the service's kind and the customer's own zone.
    r = o.get(o.path("/bookings?q=ray"))
    item = r.json["bookings"][0]
    assert item["service"]["kind"] == "rental" and item["customer"]["timezone"] == "America/New_York", item
    # Resized: same start, a later end; the price follows the length.
    r = o.post(o.path("/bookings/%s/reschedule" % ref),
               body={"start": "2026-06-05T10:00:00+01:00", "end": "2026-06-05T15:00:00+01:00"})
    assert r.status == 200, r
    assert r.json["end"].startswith("2026-06-05T15:00") and r.json["customer"]["timezone"] == "America/New_York", r
    ch = r.json["history"][-1]["changes"]
    assert ch["end"]["from"].startswith("2026-06-05T12:00") and ch["end"]["to"].startswith("2026-06-05T15:00"), ch
    # Past closing: refused with the engine's reason, unchanged.
    r = o.post(o.path("/bookings/%s/reschedule" % ref),
               body={"start": "2026-06-05T10:00:00+01:00", "end": "2026-06-05T18:00:00+01:00"})
    assert r.status == 409 and r.json["reason"] == "outside_hours", r
    assert o.get(o.path("/bookings/" + ref)).json["end"].startswith("2026-06-05T15:00")
    # A fixed-length appointment keeps its length whatever end is sent.
    b = create(o, "2026-06-05T09:00:00+01:00").json
    assert b["service"]["kind"] == "appointment" and b["customer"]["timezone"] is None, b
    r = o.post(o.path("/bookings/%s/reschedule" % b["id"]),
               body={"start": "2026-06-05T13:00:00+01:00", "end": "2026-06-05T16:00:00+01:00"})
    assert r.status == 200 and r.json["end"].startswith("2026-06-05T13:30"), r
    # The calendar's items carry the kind and zone too.
    r = o.get(o.path("/calendar?from=2026-06-05"))
    rent = [x for x in r.json["bookings"] if x["reference"] == ref][0]
    assert rent["service"]["kind"] == "rental" and rent["customer"]["timezone"] == "America/New_York"


def test_audit_filters_and_pages(ctx):
    o, a = ctx.owner, ctx.admin
    for i in range(5):
        r = create(a, "2026-06-08T%02d:00:00+01:00" % (9 + i), email="page%d@example.com" % i)
        assert r.status == 201, r
    q = "/audit?" + urllib.parse.urlencode({"user": a.user["id"], "q": "POST", "limit": 2})
    seen, cur, pages = [], None, 0
    while True:
        r = o.get(o.path(q + ("&cursor=" + urllib.parse.quote(cur) if cur else "")))
        assert r.status == 200, r
        assert len(r.json["entries"]) <= 2
        seen += r.json["entries"]
        pages += 1
        cur = r.json["next_cursor"]
        if not cur:
            break
    assert pages >= 3 and len(seen) >= 5 and len({e["id"] for e in seen}) == len(seen)
    assert all(e["user_id"] == a.user["id"] for e in seen)
    assert [e["at"] for e in seen] == sorted([e["at"] for e in seen], reverse=True)
    # Dates: today (the test clock's) holds them all; yesterday none.
    assert o.get(o.path("/audit?from=2026-06-01&to=2026-06-01")).json["entries"]
    assert o.get(o.path("/audit?to=2026-05-31")).json["entries"] == []
    # Bad filters name their field.
    for bad, field in (("from=yesterday", "from"), ("failed=yes", "failed"), ("cursor=zz", "cursor"),
                       ("q=" + "x" * 101, "q")):
        r = o.get(o.path("/audit?" + bad))
        assert r.status == 400 and r.json["errors"][0]["field"] == field, (bad, r)
    # The staff role may not read it; an admin may.
    assert ctx.staff.get(ctx.staff.path("/audit")).status == 403
    assert a.get(a.path("/audit")).status == 200


def test_admin_cannot_open_users_and_owner_invites(ctx):
    a, o = ctx.admin, ctx.owner
    assert a.get(a.path("/users")).status == 403
    assert a.post(a.path("/users"), body={"email": "x@studio.test", "role": "staff", "password": PW}).status == 403
    uid = ctx.staff.user["id"]
    assert a.patch(a.path("/users/" + uid), body={"role": "admin"}).status == 403
    assert a.delete(a.path("/users/" + uid)).status == 403
    assert a.post(a.path("/users/%s/password-reset" % uid), body={}).status == 403
    # Invited: no password, an emailed link to choose one; nobody can sign in meanwhile.
    r = o.post(o.path("/users"), body={"email": "New@Studio.test", "name": "Nia", "role": "staff", "invite": True})
    assert r.status == 201 and r.json["email"] == "new@studio.test" and r.json["invite_expires_at"], r
    assert count(ctx, "SELECT COUNT(*) FROM notifications WHERE recipient = 'new@studio.test' "
                      "AND event = 'password_reset_invite'") == 1
    assert count(ctx, "SELECT COUNT(*) FROM password_resets WHERE user_id = '%s'" % r.json["id"]) == 1
    c = staff.StaffClient(ctx.srv.port, SLUG)
    assert c.login("new@studio.test", "!reset").status == 401
    # A password and invite together, or neither: the field is named.
    r = o.post(o.path("/users"), body={"email": "b@studio.test", "role": "staff", "invite": True, "password": PW})
    assert r.status == 422 and r.json["errors"][0]["field"] == "password", r
    r = o.post(o.path("/users"), body={"email": "b@studio.test", "role": "staff"})
    assert r.status == 422 and r.json["errors"][0]["field"] == "password", r
    r = o.post(o.path("/users"), body={"email": "b@studio.test", "role": "staff", "invite": "yes"})
    assert r.status == 422 and any(e["field"] == "invite" for e in r.json["errors"]), r
    # Inviting an address already in use: 409, nothing queued.
    r = o.post(o.path("/users"), body={"email": "new@studio.test", "role": "staff", "invite": True})
    assert r.status == 409, r
    assert count(ctx, "SELECT COUNT(*) FROM notifications WHERE recipient = 'new@studio.test'") == 1
