"""Customers for staff over HTTP: the profile's figures, contact edits (email included) that
never rewrite a booking's own details, the CSV export (figures, quoting, formula guard),
the staff role's narrowing and other businesses' refusal; and a booking's messages and
"resend confirmation" (queued through the outbox to the SMTP sink, recorded, rate-limited)."""
import csv
import io
import time

import harness
import staff
from sinks import SmtpSink

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"], "cancel_until_s": 86400,
         "refund_tiers": [{"min_notice_s": 172800, "refund_percent": 100}, {"min_notice_s": 0, "refund_percent": 50}]},
        {"id": "vet", "name": "Approval", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 1000,
         "requires_approval": True, "providers": ["ann", "bob"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # Monday, 07:00 in London
PW = "a long enough password"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_business(ctx, "other", "Other Place")
    for slug, email, role in ((SLUG, "o@salon.test", "owner"), (SLUG, "a@salon.test", "admin"),
                              (SLUG, "s@salon.test", "staff"), ("other", "o@other.test", "owner")):
        staff.make_user(ctx, slug, email, role, PW)
    ctx.sink = SmtpSink()
    ctx.srv = ctx.server(test_clock=NOW, extra_args=["--smtp-url", ctx.sink.url,
                                                     "--smtp-from", "studio@salon.test"])
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.admin = staff.login(ctx, SLUG, "a@salon.test", PW)
    ctx.staff = staff.login(ctx, SLUG, "s@salon.test", PW)
    r = ctx.owner.patch(ctx.owner.path("/providers/bob"), body={"user_id": ctx.staff.user["id"]})
    assert r.status == 200, r
    ctx.other = staff.login(ctx, "other", "o@other.test", PW)


def teardown(ctx):
    ctx.sink.stop()


def create(c, start, provider="ann", service="cut", customer=None):
    body = {"service": service, "start": start, "provider": provider,
            "customer": customer or {"name": "Kim Lee", "email": "kim@example.com", "phone": "+44 1"}}
    r = c.post(c.path("/bookings"), body=body)
    assert r.status == 201, r
    return r.json


def act(c, booking, action, body=None):
    r = c.post(c.path("/bookings/%s/%s" % (booking["id"], action)), body=body if body is not None else {})
    assert r.status == 200, r
    return r.json


def clock(ctx, instant):
    assert ctx.srv.client.post("/api/v1/test/clock", body={"now": instant}).status == 200


def parse_csv(r):
    assert r.status == 200, r
    assert r.header("Content-Type").startswith("text/csv")
    assert 'filename="customers.csv"' in r.header("Content-Disposition")
    text = r.body if isinstance(r.body, str) else r.body.decode("utf-8")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def test_profile_figures_and_contact_edits(ctx):
    o = ctx.owner
    cust = {"name": "Vera Visit", "email": "vera@example.com", "phone": "+44 7700 111"}
    done = create(o, "2026-06-02T09:00:00+01:00", customer=cust)
    seen = create(o, "2026-06-02T10:00:00+01:00", customer=cust)
    gone = create(o, "2026-06-02T11:00:00+01:00", customer=cust)
    noshow = create(o, "2026-06-02T12:00:00+01:00", customer=cust)
    create(o, "2026-06-03T09:00:00+01:00", customer=cust)                      # confirmed
    create(o, "2026-06-03T10:00:00+01:00", service="vet", customer=cust)       # pending
    act(o, done, "check-in")
    act(o, done, "complete")
    act(o, seen, "check-in")
    act(o, gone, "cancel", {"reason": "ill"})
    act(o, noshow, "no-show")
    cid = done["customer"]["id"]
    prof = o.get(o.path("/customers/" + cid)).json
    # Counted: all six; visits: checked in or completed; spend: confirmed, checked-in and
    # completed prices (3 x 4000 + the confirmed 4000), a staff cancel keeps no fee, a
    # no-show and a pending booking bring nothing.
    assert prof["stats"] == {"bookings": 6, "visits": 2, "no_shows": 1, "cancellations": 1,
                             "spend": {"amount_minor": 12000, "currency": "EUR"}}, prof["stats"]

    # Email and phone change on the profile only; every booking keeps what it was made with.
    r = o.patch(o.path("/customers/" + cid), body={"email": "  Vera.New@Example.COM ", "phone": "+44 7700 222"})
    assert r.status == 200, r
    assert r.json["email"] == "vera.new@example.com" and r.json["phone"] == "+44 7700 222"
    b = o.get(o.path("/bookings/" + done["id"])).json
    assert b["customer"]["email"] == "vera@example.com" and b["customer"]["phone"] == "+44 7700 111"
    assert b["customer"]["differs"] == ["phone"] and b["customer"]["profile"]["phone"] == "+44 7700 222"
    items = o.get(o.path("/customers/" + cid)).json["bookings"]
    assert len(items) == 6 and all(i["customer"]["email"] == "vera@example.com" for i in items)
    assert all(i["customer"]["phone"] == "+44 7700 111" and i["customer"]["differs"] == ["phone"] for i in items)
    # The new email is the key later bookings are matched by; the old one is free again.
    later = create(o, "2026-06-04T09:00:00+01:00", customer={"name": "Vera Visit", "email": "vera.new@example.com"})
    assert later["customer"]["id"] == cid
    fresh = create(o, "2026-06-04T10:00:00+01:00", customer={"name": "Vera Old", "email": "vera@example.com"})
    assert fresh["customer"]["id"] != cid

    # Another customer's email: 409 naming the field, nothing changed.
    r = o.patch(o.path("/customers/" + cid), body={"email": "vera@example.com", "name": "Not Applied"})
    assert r.status == 409 and r.json["errors"][0]["field"] == "email", r
    assert o.get(o.path("/customers/" + cid)).json["name"] == "Vera Visit"
    for bad in ({"email": "not an address"}, {"email": 7}, {"phone": "call me"}, {"name": ""},
                {"name": "A\r\nBcc: x"}, {"nickname": "V"}):
        r = o.patch(o.path("/customers/" + cid), body=bad)
        assert r.status == 422, (bad, r)
        assert r.json["errors"][0]["field"] in bad, (bad, r.json)
    # Notes are multi-line.
    r = o.patch(o.path("/customers/" + cid), body={"notes": "likes tea\nno perfume"})
    assert r.status == 200 and r.json["notes"] == "likes tea\nno perfume"


def test_customers_csv_export(ctx):
    o = ctx.owner
    evil = {"name": "=HYPERLINK(\"http://x\",\"y\")", "email": "evil@example.com", "phone": "+44 9"}
    e1 = create(o, "2026-06-05T09:00:00+01:00", customer=evil)
    act(o, e1, "check-in")
    create(o, "2026-06-05T10:00:00+01:00", customer=evil)
    r = o.patch(o.path("/customers/" + e1["customer"]["id"]), body={"notes": '@said "hi", then\nleft'})
    assert r.status == 200
    quiet = create(o, "2026-06-05T11:00:00+01:00", customer={"name": "Quiet Quinn", "email": "quinn@example.com"})
    act(o, quiet, "cancel", {"reason": "x"})

    header, rows = parse_csv(o.get(o.path("/customers.csv")))
    assert header == ["name", "email", "phone", "notes", "bookings", "visits", "no_shows", "cancellations",
                      "spend_minor", "currency", "last_booking", "created_at"]
    listed = [c["email"] for c in o.get(o.path("/customers?limit=200")).json["customers"]]
    assert [r["email"] for r in rows] == listed      # every customer, in the list's order
    by_email = {r["email"]: r for r in rows}
    ev = by_email["evil@example.com"]
    # Formula guard on text cells (the name and the notes), quotes and line breaks kept.
    assert ev["name"] == "'" + evil["name"] and ev["phone"] == "'+44 9"
    assert ev["notes"] == "'@said \"hi\", then\nleft"
    assert (ev["bookings"], ev["visits"], ev["cancellations"], ev["spend_minor"], ev["currency"]) == ("2", "1", "0", "8000", "EUR")
    assert ev["last_booking"] == "2026-06-05T10:00:00+01:00"
    q = by_email["quinn@example.com"]
    assert (q["bookings"], q["cancellations"], q["spend_minor"]) == ("1", "1", "0")
    # The same figures as each profile.
    for row in rows:
        cid = o.get(o.path("/customers?q=" + row["email"].replace("+", "%2B"))).json["customers"][0]["id"]
        st = o.get(o.path("/customers/" + cid)).json["stats"]
        assert (int(row["bookings"]), int(row["visits"]), int(row["no_shows"]), int(row["cancellations"]),
                int(row["spend_minor"])) == (st["bookings"], st["visits"], st["no_shows"], st["cancellations"],
                                             st["spend"]["amount_minor"]), (row, st)
    # q narrows it like the search; a customer with no booking has zero figures.
    _, only = parse_csv(o.get(o.path("/customers.csv?q=QUINN")))
    assert [r["email"] for r in only] == ["quinn@example.com"]
    assert parse_csv(o.get(o.path("/customers.csv?q=nobody-at-all")))[1] == []
    assert o.get(o.path("/customers.csv?q=" + "x" * 201)).status == 400
    # Admins may; the staff role may not; another business's owner finds nothing.
    assert ctx.admin.get(ctx.admin.path("/customers.csv")).status == 200
    assert ctx.staff.get(ctx.staff.path("/customers.csv")).status == 403
    r = ctx.other.get("/api/v1/businesses/%s/customers.csv" % SLUG)
    assert r.status == 404 and "evil@example.com" not in str(r.body)
    _, theirs = parse_csv(ctx.other.get(ctx.other.path("/customers.csv")))
    assert theirs == []


def test_staff_role_and_other_businesses(ctx):
    o, s, other = ctx.owner, ctx.staff, ctx.other
    mine = create(o, "2026-06-08T09:00:00+01:00", provider="bob",
                  customer={"name": "Bea Bob", "email": "bea@example.com", "phone": "+44 3"})
    theirs = create(o, "2026-06-08T09:00:00+01:00", provider="ann",
                    customer={"name": "Ada Ann", "email": "ada@example.com", "phone": "+44 4"})
    o.patch(o.path("/customers/" + theirs["customer"]["id"]), body={"notes": "secret"})
    browse = [c["email"] for c in s.get(s.path("/customers?limit=200")).json["customers"]]
    assert "bea@example.com" in browse and "ada@example.com" not in browse, browse
    assert s.get(s.path("/customers?q=ada")).json["customers"] == []
    found = s.get(s.path("/customers?q=ADA@example.com")).json["customers"]
    assert [(c["email"], c["notes"]) for c in found] == [("ada@example.com", "")]
    assert s.get(s.path("/customers/" + theirs["customer"]["id"])).status == 404
    assert s.patch(s.path("/customers/" + theirs["customer"]["id"]), body={"phone": "+1"}).status == 404
    # Their own customer: the profile lists only their provider's bookings, and they may edit it.
    r = s.patch(s.path("/customers/" + mine["customer"]["id"]), body={"notes": "prefers mornings"})
    assert r.status == 200 and all(b["provider"]["id"] == "bob" for b in r.json["bookings"])
    # Another business: its owner's credentials on this business's paths are 404, and this
    # business's customer ids mean nothing under its own.
    cid = mine["customer"]["id"]
    for path in ("/customers", "/customers/" + cid):
        assert other.get("/api/v1/businesses/%s%s" % (SLUG, path)).status == 404
    assert other.patch("/api/v1/businesses/%s/customers/%s" % (SLUG, cid), body={"notes": "x"}).status == 404
    assert other.get(other.path("/customers/" + cid)).status == 404
    assert other.patch(other.path("/customers/" + cid), body={"notes": "x"}).status == 404
    assert other.get(other.path("/customers?q=bea@example.com")).json["customers"] == []
    assert o.get(o.path("/customers/" + cid)).json["notes"] == "prefers mornings"


def test_resend_confirmation(ctx):
    o, s = ctx.owner, ctx.staff
    b = create(o, "2026-06-09T09:00:00+01:00", provider="bob",
               customer={"name": "Rex Resend", "email": "rex@example.com"})
    first = ctx.sink.wait(lambda m: "rex@example.com" in m["to"], timeout=10)
    assert len(first) == 1, first
    r = o.post(o.path("/bookings/%s/resend" % b["id"]))
    assert r.status == 202, r
    assert r.json["resent"] == {"event": "confirmed", "recipient": "rex@example.com"}
    assert r.json["history"][-1]["kind"] == "resend" and r.json["history"][-1]["actor"] == "staff:" + o.user["id"]
    deadline = time.time() + 10
    while time.time() < deadline and len(ctx.sink.matching(lambda m: "rex@example.com" in m["to"])) < 2:
        time.sleep(0.05)
    got = ctx.sink.matching(lambda m: "rex@example.com" in m["to"])
    assert len(got) == 2 and str(got[0]["msg"]["Subject"]) == str(got[1]["msg"]["Subject"]), got
    assert b["reference"] in got[1]["msg"].get_body(("plain",)).get_content()
    # The detail lists both messages with their delivery.
    deadline = time.time() + 10
    while time.time() < deadline:
        msgs = o.get(o.path("/bookings/" + b["id"])).json["messages"]
        cust = [m for m in msgs if m["recipient"] == "rex@example.com" and m["event"] == "confirmed"]
        if len(cust) == 2 and all(m["status"] == "sent" for m in cust):
            break
        time.sleep(0.05)
    assert len(cust) == 2 and all(m["status"] == "sent" and m["sent_at"] and m["channel"] == "email"
                                  for m in cust), msgs
    # Again at once: 429 with when to try, nothing queued.
    r = o.post(o.path("/bookings/%s/resend" % b["id"]), body={})
    assert r.status == 429 and 0 < int(r.header("Retry-After")) <= 60, r
    # The staff role resends for its own provider's bookings; others' are 404.
    ann = create(o, "2026-06-09T09:00:00+01:00", provider="ann", customer={"name": "Ann Cust", "email": "annc@example.com"})
    assert s.post(s.path("/bookings/%s/resend" % ann["id"])).status == 404
    assert ctx.other.post("/api/v1/businesses/%s/bookings/%s/resend" % (SLUG, b["id"])).status == 404
    assert o.post(o.path("/bookings/%s/resend" % b["id"]), body={"channel": "sms"}).status == 422
    # A minute later: allowed again, up to five in 24 hours.
    t = 1780293600 + 61  # NOW + 61 s
    for i in range(4):
        clock(ctx, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t + 61 * i)))
        r = s.post(s.path("/bookings/%s/resend" % b["id"]))
        assert r.status == 202, (i, r)
    clock(ctx, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t + 61 * 5)))
    r = o.post(o.path("/bookings/%s/resend" % b["id"]))
    assert r.status == 429 and int(r.header("Retry-After")) > 3600, r
    hist = o.get(o.path("/bookings/" + b["id"])).json["history"]
    assert [h["kind"] for h in hist].count("resend") == 5
    # Audited.
    acts = [(e["action"], e["status"]) for e in o.get(o.path("/audit?limit=50")).json["entries"]]
    assert ("POST /api/v1/businesses/{business}/bookings/{booking}/resend", 202) in acts, acts[:5]
    # Pending bookings resend their "pending" message; a cancelled one has nothing to resend.
    p = create(o, "2026-06-10T09:00:00+01:00", service="vet", customer={"name": "Pam", "email": "pam@example.com"})
    r = o.post(o.path("/bookings/%s/resend" % p["id"]))
    assert r.status == 202 and r.json["resent"]["event"] == "pending", r
    act(o, p, "cancel", {"reason": "x"})
    r = o.post(o.path("/bookings/%s/resend" % p["id"]))
    assert r.status == 409 and "pending or confirmed" in r.json["detail"], r
    assert o.post(o.path("/bookings/bk_NOPE/resend")).status == 404


def test_cancel_terms_in_the_detail(ctx):
    o = ctx.owner
    far = create(o, "2026-06-12T09:00:00+01:00")    # 4 days ahead: full customer refund
    near = create(o, "2026-06-02T16:00:00+01:00")   # 33 hours ahead: 50 %
    late = create(o, "2026-06-01T15:00:00+01:00")   # 8 hours ahead: past the customer's cut-off
    t = {k: o.get(o.path("/bookings/" + b["id"])).json["cancel_terms"] for k, b in
         (("far", far), ("near", near), ("late", late))}
    eur = lambda n: {"amount_minor": n, "currency": "EUR"}
    assert t["far"] == {"customer_may_cancel": True, "customer_refund": eur(4000), "customer_refund_percent": 100,
                        "staff_refund": eur(4000)}, t["far"]
    assert t["near"]["customer_may_cancel"] and t["near"]["customer_refund"] == eur(2000)
    assert t["late"] == {"customer_may_cancel": False, "customer_refund": eur(0), "customer_refund_percent": 0,
                         "staff_refund": eur(4000)}, t["late"]
    done = act(o, late, "cancel", {"reason": "x"})
    assert "cancel_terms" not in done and done["refund"] == eur(4000)
