"""Staff bookings over HTTP: list filters and cursor paging, detail with history, manual
bookings with and without override, every action allowed and refused, the staff role's
narrowing to its own provider, customers (search, profile, edits that never rewrite past
bookings) and the CSV export's quoting."""
import csv
import io

import harness
import staff

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"]},
        {"id": "vet", "name": "Approval", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 1000,
         "requires_approval": True, "providers": ["ann", "bob"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # Monday, 07:00 in London
PW = "a long enough password"


def link_provider(client, provider, user_id):
    """Links a provider to a staff user through the catalogue API (admin or owner client)."""
    r = client.patch(client.path("/providers/" + provider), body={"user_id": user_id})
    assert r.status == 200 and r.json["user_id"] == user_id, r


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    for email, role in (("o@salon.test", "owner"), ("a@salon.test", "admin"), ("s@salon.test", "staff"),
                        ("n@salon.test", "staff")):
        staff.make_user(ctx, SLUG, email, role, PW)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.staff = staff.login(ctx, SLUG, "s@salon.test", PW)
    link_provider(ctx.owner, "bob", ctx.staff.user["id"])
    ctx.nobody = staff.login(ctx, SLUG, "n@salon.test", PW)


def P(c, rest=""):
    return c.path(rest)


def create(c, start, provider=None, service="cut", customer=None, **extra):
    body = {"service": service, "start": start,
            "customer": customer or {"name": "Kim Lee", "email": "kim@example.com", "phone": "+44 1"}}
    if provider:
        body["provider"] = provider
    body.update(extra)
    return c.post(P(c, "/bookings"), body=body)


def public_book(ctx, start, email="pub@example.com", service="cut", provider=None, name="Pat Pub"):
    body = {"service": service, "start": start, "customer": {"name": name, "email": email}}
    if provider:
        body["provider"] = provider
    r = ctx.srv.client.post("/api/v1/public/%s/bookings" % SLUG, body=body)
    assert r.status == 201, r
    return r.json


def test_manual_booking_and_override(ctx):
    o = ctx.owner
    r = create(o, "2026-06-02T09:00:00+01:00", "ann", source="phone")
    assert r.status == 201, r
    b = r.json
    assert b["source"] == "phone" and b["status"] == "confirmed" and b["provider"]["id"] == "ann"
    assert b["customer"]["email"] == "kim@example.com" and b["customer"]["id"]
    assert [h["kind"] for h in b["history"]] == ["created"]
    assert b["history"][0]["actor"].startswith("staff:")
    assert "override" not in b["history"][0]["changes"]
    # The same time again: the engine's reason, nothing written.
    r = create(o, "2026-06-02T09:00:00+01:00", "ann", source="walk_in")
    assert r.status == 409 and r.json["reason"] == "busy", r
    # With override the time is taken anyway and the history says why it was refused.
    r = create(o, "2026-06-02T09:00:00+01:00", "ann", source="walk_in", override=True)
    assert r.status == 201, r
    assert r.json["history"][0]["changes"]["override"] == "busy"
    # Outside hours too.
    r = create(o, "2026-06-02T20:00:00+01:00", "ann", override=True)
    assert r.status == 201 and r.json["source"] == "admin", r
    assert r.json["history"][0]["changes"]["override"] == "outside_hours"
    # Override needs a provider, a known source, an admin.
    assert create(o, "2026-06-02T10:00:00+01:00", override=True).status == 422
    assert create(o, "2026-06-02T10:00:00+01:00", "ann", source="web").status == 422
    assert create(o, "2026-06-02T10:00:00+01:00", "nope").status == 409
    assert create(o, "2026-06-02T10:00:00+01:00", "ann", service="nope").status == 422
    r = create(ctx.staff, "2026-06-02T09:00:00+01:00", "bob", override=True)
    assert r.status == 403, r
    # Walk-in without an email is refused with the field named.
    r = create(o, "2026-06-02T11:00:00+01:00", "ann", customer={"name": "X"})
    assert r.status == 422 and any(e["field"] == "customer.email" for e in r.json["errors"]), r


def test_list_filters_and_paging(ctx):
    o = ctx.owner
    made = []
    for day in (8, 9, 10):
        for hour, prov, src in ((9, "ann", "phone"), (9, "bob", "walk_in"), (10, "ann", "admin"),
                                (11, "bob", "phone")):
            r = create(o, "2026-06-%02dT%02d:00:00+01:00" % (day, hour), prov, source=src,
                       customer={"name": "List %d" % day, "email": "list%d@example.com" % day})
            assert r.status == 201, r
            made.append(r.json)
    web = public_book(ctx, "2026-06-09T15:00:00+01:00", email="web@example.com")
    q = "?from=2026-06-08&to=2026-06-10"
    # Pages of 5: every booking exactly once, in (start, id) order.
    seen, cursor, pages = [], None, 0
    while True:
        r = o.get(P(o, "/bookings" + q + "&limit=5" + ("&cursor=" + cursor if cursor else "")))
        assert r.status == 200, r
        seen += r.json["bookings"]
        pages += 1
        cursor = r.json["next_cursor"]
        if not cursor:
            break
    ids = [b["id"] for b in seen]
    assert len(ids) == 13 and len(set(ids)) == 13 and pages == 3, ids
    assert set(ids) == {b["id"] for b in made} | {next(b["id"] for b in seen if b["reference"] == web["reference"])}
    keys = [(b["start"], b["id"]) for b in seen]
    assert keys == sorted(keys)
    # Filters.
    def ids_of(query):
        r = o.get(P(o, "/bookings" + q + query))
        assert r.status == 200, r
        return [b["id"] for b in r.json["bookings"]]
    assert len(ids_of("&provider=bob")) == 6
    assert len(ids_of("&source=phone")) == 6
    assert len(ids_of("&source=web")) == 1
    assert len(ids_of("&provider=ann&source=admin")) == 3
    assert ids_of("&service=vet") == []
    cust = made[0]["customer"]["id"]
    assert len(ids_of("&customer=" + cust)) == 4
    # Dates are business-zone days, to included; instants work too.
    r = o.get(P(o, "/bookings?from=2026-06-09&to=2026-06-09"))
    assert len(r.json["bookings"]) == 5
    r = o.get(P(o, "/bookings?from=2026-06-09T09:00:00%2B01:00&to=2026-06-09T10:00:00%2B01:00"))
    assert len(r.json["bookings"]) == 2
    # Status: several at once.
    first = made[0]["id"]
    assert o.post(P(o, "/bookings/%s/cancel" % first), body={"reason": "ill"}).status == 200
    assert ids_of("&status=cancelled") == [first]
    assert len(ids_of("&status=cancelled,confirmed")) == 13
    assert len(ids_of("&status=confirmed")) == 12
    # Bad queries are 400 with the field named.
    for bad, field in (("&status=nope", "status"), ("&limit=0", "limit"), ("&limit=201", "limit"),
                       ("&cursor=zzz", "cursor"), ("&from=2026-13-01", "from"), ("&source=fax", "source")):
        r = o.get(P(o, "/bookings?x=1" + bad))
        assert r.status == 400 and r.json["errors"][0]["field"] == field, (bad, r)


def test_actions_allowed_and_refused(ctx):
    o = ctx.owner
    r = create(o, "2026-06-03T09:00:00+01:00", "ann", service="vet")
    assert r.status == 201 and r.json["status"] == "pending", r
    bid = r.json["id"]

    def act(name, body=None, want=200, who=o, ident=None):
        r = who.post(P(who, "/bookings/%s/%s" % (ident or bid, name)), body=body if body is not None else {})
        assert r.status == want, (name, r)
        return r.json

    # Refused from pending: check-in, no-show, complete.
    for name in ("check-in", "no-show", "complete"):
        j = act(name, want=409)
        assert j["detail"], j
    assert act("confirm")["status"] == "confirmed"
    assert act("confirm", want=409)["detail"] == "only a pending booking can be confirmed"
    assert act("check-in")["status"] == "checked_in"
    assert act("cancel", {"reason": "x"}, want=409)["detail"] == "a checked-in booking cannot be cancelled"
    done = act("complete")
    assert done["status"] == "completed"
    assert [h["kind"] for h in done["history"]] == ["created", "confirm", "check_in", "complete"]
    assert act("no-show", want=409)["detail"] == "the booking is already final"
    # By reference too.
    g = o.get(P(o, "/bookings/" + done["reference"]))
    assert g.status == 200 and g.json["id"] == bid
    assert o.get(P(o, "/bookings/bkg_NOPE")).status == 404

    # No-show and cancel (reason required; full refund).
    b2 = create(o, "2026-06-03T10:00:00+01:00", "ann").json
    assert act("no-show", ident=b2["id"])["status"] == "no_show"
    b3 = create(o, "2026-06-03T11:00:00+01:00", "ann").json
    assert o.post(P(o, "/bookings/%s/cancel" % b3["id"]), body={}).status == 422
    c = act("cancel", {"reason": "asked by phone"}, ident=b3["id"])
    assert c["status"] == "cancelled" and c["fee"]["amount_minor"] == 0 and c["refund"]["amount_minor"] == 4000
    assert c["history"][-1]["reason"] == "asked by phone"
    act("cancel", {"reason": "again"}, want=409, ident=b3["id"])

    # Reschedule: free time, taken time (409 with reason), override (recorded).
    b4 = create(o, "2026-06-04T09:00:00+01:00", "ann").json
    create(o, "2026-06-04T10:00:00+01:00", "ann")
    m = act("reschedule", {"start": "2026-06-04T11:00:00+01:00"}, ident=b4["id"])
    assert m["start"] == "2026-06-04T11:00:00+01:00" and m["provider"]["id"] == "ann"
    assert m["history"][-1]["kind"] == "rescheduled"
    j = act("reschedule", {"start": "2026-06-04T10:00:00+01:00"}, want=409, ident=b4["id"])
    assert j["reason"] == "busy"
    m = act("reschedule", {"start": "2026-06-04T10:00:00+01:00", "override": True}, ident=b4["id"])
    assert m["start"] == "2026-06-04T10:00:00+01:00"
    assert m["history"][-1]["changes"]["override"] == "busy"
    m = act("reschedule", {"start": "2026-06-04T12:00:00+01:00", "provider": "bob"}, ident=b4["id"])
    assert m["provider"]["id"] == "bob"
    act("reschedule", {"start": "2026-06-04T12:00:00+01:00"}, want=409, ident=b3["id"])  # cancelled
    act("reschedule", {"start": "nope"}, want=422, ident=b4["id"])

    # Rebook: a new booking naming the old reference.
    n = o.post(P(o, "/bookings/%s/rebook" % done["id"]), body={"start": "2026-06-05T09:00:00+01:00"})
    assert n.status == 201, n
    assert n.json["id"] != bid and n.json["status"] == "pending" and n.json["customer"]["email"] == "kim@example.com"
    assert n.json["history"][0]["changes"]["rebooked_from"] == done["reference"]
    r = o.post(P(o, "/bookings/%s/rebook" % done["id"]), body={"start": "2026-06-05T09:00:00+01:00", "provider": "ann"})
    assert r.status == 409 and r.json["reason"] == "busy", r


def test_staff_role_sees_only_its_provider(ctx):
    o, s, nobody = ctx.owner, ctx.staff, ctx.nobody
    ann = create(o, "2026-06-11T09:00:00+01:00", "ann",
                 customer={"name": "Only Ann", "email": "onlyann@example.com"}).json
    bob = create(o, "2026-06-11T09:00:00+01:00", "bob",
                 customer={"name": "Bob Fan", "email": "bobfan@example.com"}).json
    r = s.get(P(s, "/bookings?from=2026-06-11&to=2026-06-11"))
    assert r.status == 200 and [b["id"] for b in r.json["bookings"]] == [bob["id"]], r
    # Asking for the other provider gives nothing, never their bookings.
    assert s.get(P(s, "/bookings?from=2026-06-11&to=2026-06-11&provider=ann")).json["bookings"] == []
    assert s.get(P(s, "/bookings/" + ann["id"])).status == 404
    assert s.get(P(s, "/bookings/" + ann["reference"])).status == 404
    assert s.post(P(s, "/bookings/%s/check-in" % ann["id"]), body={}).status == 404
    assert s.post(P(s, "/bookings/%s/cancel" % ann["id"]), body={"reason": "x"}).status == 404
    assert s.get(P(s, "/bookings/" + bob["id"])).status == 200
    assert s.post(P(s, "/bookings/%s/check-in" % bob["id"]), body={}).json["status"] == "checked_in"
    # Staff book for themselves only.
    assert create(s, "2026-06-11T10:00:00+01:00", "ann").status == 403
    mine = create(s, "2026-06-11T10:00:00+01:00")
    assert mine.status == 201 and mine.json["provider"]["id"] == "bob", mine
    assert s.post(P(s, "/bookings/%s/reschedule" % mine.json["id"]),
                  body={"start": "2026-06-11T11:00:00+01:00", "provider": "ann"}).status == 403
    # Customers: only those of their bookings.
    found = s.get(P(s, "/customers?q=only")).json["customers"]
    assert found == []
    assert s.get(P(s, "/customers?q=onlyann@example")).json["customers"] == []  # no substrings
    # ... but an exact email or phone finds anyone, to book them: contact details, no notes.
    assert o.patch(P(o, "/customers/" + ann["customer"]["id"]),
                   body={"phone": "+44 7000 1", "notes": "private to Ann"}).status == 200
    for q in ("onlyann@example.com", "%20OnlyAnn@Example.com%20", "%2B44%207000%201"):
        found = s.get(P(s, "/customers?q=" + q)).json["customers"]
        assert [(c["name"], c["notes"]) for c in found] == [("Only Ann", "")], (q, found)
    browse = [c["id"] for c in s.get(P(s, "/customers")).json["customers"]]
    assert bob["customer"]["id"] in browse and ann["customer"]["id"] not in browse, browse
    assert s.get(P(s, "/customers/" + ann["customer"]["id"])).status == 404
    assert s.patch(P(s, "/customers/" + ann["customer"]["id"]), body={"notes": "x"}).status == 404
    prof = s.get(P(s, "/customers/" + bob["customer"]["id"]))
    assert prof.status == 200 and all(b["provider"]["id"] == "bob" for b in prof.json["bookings"])
    # Whole-business views are for admins.
    assert s.get(P(s, "/analytics?from=2026-06-01&to=2026-06-30")).status == 403
    assert s.get(P(s, "/bookings.csv?from=2026-06-01&to=2026-06-30")).status == 403
    # A staff user with no provider sees no bookings.
    assert nobody.get(P(nobody, "/bookings?from=2026-06-11&to=2026-06-11")).json["bookings"] == []
    assert nobody.get(P(nobody, "/bookings/" + bob["id"])).status == 404
    assert create(nobody, "2026-06-11T12:00:00+01:00").status == 403
    # No credentials at all.
    assert ctx.srv.client.get("/api/v1/businesses/%s/bookings" % SLUG).status == 401


def test_customers_search_profile_edit(ctx):
    o = ctx.owner
    a = create(o, "2026-06-12T09:00:00+01:00", "ann",
               customer={"name": "Zoe Quill", "email": "zoe.quill@example.com", "phone": "+44 7700 900123"}).json
    create(o, "2026-06-12T10:00:00+01:00", "ann",
           customer={"name": "Zoe Quill", "email": "zoe.quill@example.com"})
    c3 = create(o, "2026-06-12T11:00:00+01:00", "ann",
                customer={"name": "Zoe Quill", "email": "zoe.quill@example.com"}).json
    o.post(P(o, "/bookings/%s/cancel" % c3["id"]), body={"reason": "x"})
    create(o, "2026-06-12T09:00:00+01:00", "bob", customer={"name": "Quentin Zed", "email": "qz@example.com"})
    cid = a["customer"]["id"]

    def search(q, extra=""):
        r = o.get(P(o, "/customers?q=" + q + extra))
        assert r.status == 200, r
        return r.json

    assert [c["id"] for c in search("quill")["customers"]] == [cid]      # name, any case
    assert [c["id"] for c in search("ZOE.Q")["customers"]] == [cid]      # email
    assert [c["id"] for c in search("900123")["customers"]] == [cid]     # phone
    assert search("100%25")["customers"] == []                          # % is literal
    both = search("q")["customers"]
    assert [c["name"] for c in both][:2] == sorted(c["name"] for c in both)[:2]
    # Paging of one: every match once.
    seen, cur = [], ""
    while True:
        page = search("q", "&limit=1" + ("&cursor=" + cur if cur else ""))
        seen += [c["id"] for c in page["customers"]]
        cur = page["next_cursor"]
        if not cur:
            break
    assert len(seen) == len(set(seen)) == len(both)

    prof = o.get(P(o, "/customers/" + cid)).json
    assert prof["email"] == "zoe.quill@example.com" and len(prof["bookings"]) == 3
    assert prof["stats"] == {"bookings": 3, "visits": 0, "spend": {"amount_minor": 8000, "currency": "EUR"},
                             "cancellations": 1, "no_shows": 0}
    # Edits change the profile only: past bookings keep the details typed for them.
    r = o.patch(P(o, "/customers/" + cid), body={"name": "Zoe Q. Renamed", "phone": "+44 1", "notes": "likes tea"})
    assert r.status == 200, r
    assert r.json["name"] == "Zoe Q. Renamed" and r.json["notes"] == "likes tea" and r.json["phone"] == "+44 1"
    b = o.get(P(o, "/bookings/" + a["id"])).json
    assert b["customer"]["name"] == "Zoe Quill" and b["customer"]["phone"] == "+44 7700 900123"
    assert o.patch(P(o, "/customers/" + cid), body={"phone": "call me"}).status == 422
    assert o.patch(P(o, "/customers/" + cid), body={"name": ""}).status == 422
    assert o.patch(P(o, "/customers/cus_NOPE"), body={"notes": "x"}).status == 404
    assert o.get(P(o, "/customers/cus_NOPE")).status == 404


def test_csv_quoting(ctx):
    o = ctx.owner
    evil = '=HYPERLINK("http://x","y")'
    r = create(o, "2026-06-19T09:00:00+01:00", "ann",
               customer={"name": evil, "email": "evil@example.com", "phone": "+44 2"},
               notes='said "hi", then\nleft')
    assert r.status == 201, r
    r = o.get(P(o, "/bookings.csv?from=2026-06-19&to=2026-06-19"))
    assert r.status == 200, r
    assert r.header("Content-Type").startswith("text/csv")
    text = r.body
    assert text.endswith("\r\n") and text.startswith("reference,status,start,end,")
    # The escaping as written: quotes doubled inside quotes, the formula guarded.
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in text
    assert '"said ""hi"", then\nleft"' in text
    assert ",\"'+44 2\"," in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    head, row = rows
    cell = dict(zip(head, row))
    assert cell["customer_name"] == "'" + evil
    assert cell["notes"] == 'said "hi", then\nleft'
    assert cell["customer_phone"] == "'+44 2"
    assert cell["price_minor"] == "4000" and cell["status"] == "confirmed"
    assert cell["start"] == "2026-06-19T09:00:00+01:00" and cell["provider"] == "Ann"
    # The range is required and bounded.
    assert o.get(P(o, "/bookings.csv?from=2026-06-19")).status == 400
    assert o.get(P(o, "/bookings.csv?from=2026-01-01&to=2027-06-01")).status == 400
