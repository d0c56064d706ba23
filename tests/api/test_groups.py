"""Booking groups: one organiser books several participants at once, all or none (a group of
4 into 3 seats is refused whole with nothing written); each participant's confirmation and
the organiser's summary; participants added and removed by the group's link; the whole group
cancelled; companies (staff CRUD, matched from a typed name, shown on the customer); and
minimum attendance: a class session under its minimum at the decision time is cancelled,
once, and everyone told."""
import time

import harness
import staff
from sinks import SmtpSink

SLUG = "studio"
PW = "a long enough password"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Studio", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "lea", "name": "Lea"}, {"id": "max", "name": "Max"},
                  {"id": "ida", "name": "Ida"}],
    "services": [
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 5,
         "price_minor": 1000, "min_notice_s": 3600, "providers": ["lea"]},
        {"id": "pilates", "name": "Pilates", "kind": "class", "duration_s": 3600, "capacity": 8,
         "price_minor": 1000, "min_notice_s": 0, "providers": ["lea"]},
        {"id": "massage", "name": "Massage", "kind": "appointment", "duration_s": 3600,
         "price_minor": 5000, "slot_interval_s": 3600, "providers": ["lea", "max", "ida"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "sessions": [
        {"id": "s1", "service": "yoga", "provider": "lea", "start": "2026-06-10T17:00:00Z"},
        {"id": "s2", "service": "yoga", "provider": "lea", "start": "2026-06-11T17:00:00Z", "capacity": 4},
        {"id": "s3", "service": "yoga", "provider": "lea", "start": "2026-06-12T17:00:00Z", "capacity": 12},
        {"id": "s4", "service": "yoga", "provider": "lea", "start": "2026-06-01T07:00:00Z", "capacity": 2},
        {"id": "p1", "service": "pilates", "provider": "lea", "start": "2026-06-03T09:00:00Z"},
        {"id": "p2", "service": "pilates", "provider": "lea", "start": "2026-06-03T11:00:00Z"},
        {"id": "p3", "service": "pilates", "provider": "lea", "start": "2026-06-03T08:00:00Z"},
    ],
}
NOW = "2026-06-01T06:00:00Z"
STARTS = {s["id"]: s["start"] for s in FIXTURE["sessions"]}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@studio.test", "owner", PW)
    ctx.sink = SmtpSink()
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "desk@studio.test",
        "--public-url", "https://studio.test"])
    ctx.c = ctx.srv.client
    ctx.owner = staff.login(ctx, SLUG, "o@studio.test", PW)
    for svc, rules in (("yoga", {"group_min": 2, "group_max": 6}),
                       ("massage", {"group_min": 2, "group_max": 3}),
                       ("pilates", {"min_attendance": 3, "decide_before_s": 86400})):
        r = ctx.owner.put(ctx.owner.path("/services/%s/group-rules" % svc), body=rules)
        assert r.status == 200, r


def teardown(ctx):
    ctx.sink.stop()


def people(prefix, n):
    return [{"name": "%s %d" % (prefix.title(), i), "email": "%s%d@example.com" % (prefix, i)}
            for i in range(n)]


def group(c, service, start, prefix, n, **kw):
    body = {"service": service, "start": start,
            "organiser": {"name": "Olga %s" % prefix, "email": "olga-%s@example.com" % prefix},
            "participants": people(prefix, n)}
    body.update(kw)
    return c.post("/api/v1/public/%s/groups" % SLUG, body=body)


def book_one(c, session, email):
    r = c.post("/api/v1/public/%s/bookings" % SLUG,
               body={"service": "yoga", "start": STARTS[session],
                     "customer": {"name": email.split("@")[0], "email": email}})
    assert r.status == 201, r
    return r.json


def taken(ctx, session):
    """Rows of the session's live bookings (staff list) and its seats left (public)."""
    day = STARTS[session][:10]
    r = ctx.owner.get(ctx.owner.path("/bookings?from=%s&to=%s&limit=200&status="
                                     "held,pending,confirmed,checked_in" % (day, day)))
    assert r.status == 200, r
    rows = [b for b in r.json["bookings"] if b["start"][:10] == day and b.get("service") in ("yoga", None)
            or (isinstance(b.get("service"), dict) and b["service"].get("id") == "yoga")]
    s = ctx.c.get("/api/v1/public/%s/sessions?service=yoga&from=%s&to=%s" % (SLUG, day, day)).json
    left = [x["seats_left"] for x in s["sessions"] if x["id"] == session][0]
    return len(r.json["bookings"]), left


def test_group_of_4_into_3_seats_refused_whole(ctx):
    book_one(ctx.c, "s1", "single1@example.com")
    book_one(ctx.c, "s1", "single2@example.com")
    n0, left = taken(ctx, "s1")
    assert left == 3, left
    groups0 = ctx.owner.get(ctx.owner.path("/groups")).json["groups"]
    customers0 = ctx.owner.get(ctx.owner.path("/customers?limit=200")).json["customers"]
    r = group(ctx.c, "yoga", STARTS["s1"], "refused", 4)
    assert r.status == 409, r
    assert r.json.get("reason"), r.json
    n1, left = taken(ctx, "s1")
    assert (n1, left) == (n0, 3), (n1, left)
    # Nothing written: no group, no customer, no message to anyone of the group.
    assert ctx.owner.get(ctx.owner.path("/groups")).json["groups"] == groups0
    customers1 = ctx.owner.get(ctx.owner.path("/customers?limit=200")).json["customers"]
    assert [x["id"] for x in customers1] == [x["id"] for x in customers0], (customers0, customers1)
    time.sleep(0.5)
    assert not ctx.sink.matching(lambda m: any("refused" in t for t in m["to"]))
    # Three fit.
    r = group(ctx.c, "yoga", STARTS["s1"], "three", 3)
    assert r.status == 201, r
    assert taken(ctx, "s1")[1] == 0


def test_group_of_4_into_4_seats_booked_with_messages(ctx):
    r = group(ctx.c, "yoga", STARTS["s2"], "four", 4, company="Acme Ltd")
    assert r.status == 201, r
    g = r.json
    assert len(g["participants"]) == 4 and g["live"] == 4
    assert all(p["status"] == "confirmed" for p in g["participants"])
    assert all(p.get("manage_token") for p in g["participants"])
    assert len({p["reference"] for p in g["participants"]}) == 4
    assert g["company"]["name"] == "Acme Ltd"
    assert taken(ctx, "s2")[1] == 0
    for i in range(4):
        email = "four%d@example.com" % i
        got = ctx.sink.wait(lambda m, e=email: e in m["to"] and "Booked" in str(m["msg"]["Subject"]))
        assert len(got) == 1, (email, got)
    summary = ctx.sink.wait(lambda m: "olga-four@example.com" in m["to"])
    assert len(summary) == 1, summary
    text = summary[0]["msg"].get_body(preferencelist=("plain",)).get_content()
    assert g["reference"] in text and "four3@example.com" in text and "/g/%s?t=" % g["id"] in text
    # The organiser's page.
    r = ctx.c.get("/api/v1/public/groups/%s?t=%s" % (g["id"], g["token"]))
    assert r.status == 200 and r.json["live"] == 4, r
    assert ctx.c.get("/api/v1/public/groups/%s?t=wrong" % g["id"]).status == 404
    # Each participant's own booking names the group in staff's view.
    b0 = g["participants"][0]
    r = ctx.c.get("/api/v1/public/bookings/%s" % b0["reference"],
                  headers={"Authorization": "Bearer " + b0["manage_token"]})
    assert r.status == 200, r


def test_add_remove_cancel_group(ctx):
    r = group(ctx.c, "yoga", STARTS["s3"], "arc", 2)
    assert r.status == 201, r
    g = r.json
    base = "/api/v1/public/groups/%s" % g["id"]
    t = "?t=" + g["token"]
    left0 = taken(ctx, "s3")[1]
    r = ctx.c.post(base + "/participants" + t, body={"name": "New One", "email": "arc-new@example.com"})
    assert r.status == 201, r
    assert r.json["live"] == 3
    assert taken(ctx, "s3")[1] == left0 - 1
    assert ctx.sink.wait(lambda m: "arc-new@example.com" in m["to"] and "Booked" in str(m["msg"]["Subject"]))
    # The same person twice is refused, naming the field.
    r = ctx.c.post(base + "/participants" + t, body={"name": "New One", "email": "arc-new@example.com"})
    assert r.status == 422, r
    ref = [p for p in r.json.get("errors", [{}])] and None
    members = ctx.c.get(base + t).json["participants"]
    new = [p for p in members if p["email"] == "arc-new@example.com"][0]
    r = ctx.c.request("DELETE", base + "/participants/%s" % new["reference"] + t)
    assert r.status == 200, r
    assert r.json["live"] == 2
    assert taken(ctx, "s3")[1] == left0
    # Under the minimum of 2: the organiser cancels the group instead.
    first = members[0]
    r = ctx.c.request("DELETE", base + "/participants/%s" % first["reference"] + t)
    assert r.status == 422, r
    r = ctx.c.post(base + "/cancel" + t, body={"reason": "plans changed"})
    assert r.status == 200, r
    assert r.json["status"] == "cancelled" and r.json["live"] == 0
    assert all(p["status"] == "cancelled" for p in r.json["participants"])
    assert taken(ctx, "s3")[1] == left0 + 2
    for i in range(2):
        email = "arc%d@example.com" % i
        assert ctx.sink.wait(lambda m, e=email: e in m["to"] and "Cancelled" in str(m["msg"]["Subject"]))
    assert ctx.c.post(base + "/cancel" + t, body={}).status == 409
    del ref


def test_group_sizes_and_fields(ctx):
    r = group(ctx.c, "yoga", STARTS["s3"], "big", 7)
    assert r.status == 422 and r.json["errors"][0]["field"] == "participants", r
    r = group(ctx.c, "yoga", STARTS["s3"], "solo", 1)
    assert r.status == 422, r
    body = {"service": "yoga", "start": STARTS["s3"], "organiser": {"name": "O", "email": "o@x.example"},
            "participants": [{"name": "A", "email": "a@x.example"}, {"name": "B", "email": "A@x.example"}]}
    r = ctx.c.post("/api/v1/public/%s/groups" % SLUG, body=body)
    assert r.status == 422 and r.json["errors"][0]["field"] == "participants[1].email", r
    body["participants"][1] = {"name": "B", "email": "not an email"}
    r = ctx.c.post("/api/v1/public/%s/groups" % SLUG, body=body)
    assert r.status == 422 and r.json["errors"][0]["field"] == "participants[1].email", r
    body["service"] = "pilates"  # no groups there
    body["participants"][1] = {"name": "B", "email": "b@x.example"}
    r = ctx.c.post("/api/v1/public/%s/groups" % SLUG, body=body)
    assert r.status == 422 and r.json["errors"][0]["field"] == "service", r
    rules = ctx.c.get("/api/v1/public/%s/group-rules" % SLUG).json["services"]
    assert {x["service"]: (x["min"], x["max"]) for x in rules if x["max"]} == {"yoga": (2, 6), "massage": (2, 3)}


def test_appointment_group_across_providers(ctx):
    start = "2026-06-02T09:00:00Z"  # 10:00 in London, a Tuesday
    r = group(ctx.c, "massage", start, "spa", 3)
    assert r.status == 201, r
    provs = {p["provider"] for p in r.json["participants"]}
    assert provs == {"lea", "max", "ida"}, provs
    # Nobody left at that time: another pair is refused whole.
    r = group(ctx.c, "massage", start, "spa2", 2)
    assert r.status == 409, r
    a = ctx.c.get("/api/v1/public/%s/availability?service=massage&from=2026-06-02&to=2026-06-02" % SLUG).json
    assert not [s for d in a["days"] for s in d["slots"] if s["start"].startswith("2026-06-02T10:00")]


def test_companies_crud_and_customer(ctx):
    o = ctx.owner
    r = o.post(o.path("/companies"), body={"name": "Globex", "billing_email": "Billing@Globex.example",
                                          "notes": "net 30"})
    assert r.status == 201, r
    k = r.json
    assert k["billing_email"] == "billing@globex.example"
    assert o.post(o.path("/companies"), body={"name": "  globex "}).status == 409
    assert o.post(o.path("/companies"), body={"name": "X", "billing_email": "nope"}).status == 422
    r = o.patch(o.path("/companies/%s" % k["id"]), body={"notes": "net 45"})
    assert r.status == 200 and r.json["notes"] == "net 45" and r.json["name"] == "Globex", r
    # A group under a differently written name joins the same company; its organiser too.
    r = group(ctx.c, "yoga", STARTS["s3"], "glx", 2, company="GLOBEX")
    assert r.status == 201, r
    assert r.json["company"]["id"] == k["id"]
    r = o.get(o.path("/companies/%s" % k["id"]))
    assert r.status == 200 and r.json["groups"] == 1 and r.json["customers"] == 1, r
    assert r.json["booking_groups"][0]["reference"]
    cs = o.get(o.path("/customers?q=olga-glx@example.com")).json["customers"]
    assert len(cs) == 1
    r = o.get(o.path("/customers/%s/company" % cs[0]["id"]))
    assert r.status == 200 and r.json["company"]["name"] == "Globex", r
    # Staff move a participant into it, and out.
    part = o.get(o.path("/customers?q=glx0@example.com")).json["customers"][0]
    r = o.put(o.path("/customers/%s/company" % part["id"]), body={"company": k["id"]})
    assert r.status == 200 and r.json["company"]["id"] == k["id"], r
    assert o.get(o.path("/companies/%s" % k["id"])).json["customers"] == 2
    r = o.put(o.path("/customers/%s/company" % part["id"]), body={"company": None})
    assert r.status == 200 and r.json["company"] is None, r
    assert o.put(o.path("/customers/%s/company" % part["id"]), body={"company": "cmp_nope"}).status == 404
    names = [x["name"] for x in o.get(o.path("/companies")).json["companies"]]
    assert "Globex" in names, names
    assert o.delete(o.path("/companies/%s" % k["id"])).status == 200
    assert o.get(o.path("/companies/%s" % k["id"])).status == 404
    r = o.get(o.path("/customers/%s/company" % cs[0]["id"]))
    assert r.json["company"] is None
    # The booking's group, for the dashboard's detail.
    gl = o.get(o.path("/groups")).json["groups"]
    g = [x for x in gl if x["organiser"]["email"] == "olga-glx@example.com"][0]
    assert g["company"] is None
    full = o.get(o.path("/groups/%s" % g["id"])).json
    bid = full["participants"][0]["booking"]
    r = o.get(o.path("/bookings/%s/group" % bid))
    assert r.status == 200 and r.json["id"] == g["id"], r


def late(c, session, email):
    return c.post("/api/v1/public/%s/sessions/%s/late-join" % (SLUG, session),
                  body={"customer": {"name": email.split("@")[0], "email": email}})


def test_late_join_notice(ctx):
    o = ctx.owner
    assert o.put(o.path("/services/yoga/group-rules"), body={"late_join_s": 900}).status == 200
    book_one(ctx.c, "s4", "early@example.com")
    r = late(ctx.c, "s4", "late1@example.com")
    assert r.status == 422 and r.json["errors"][0]["field"] == "session", r  # not begun
    assert ctx.c.post("/api/v1/test/clock", body={"now": "2026-06-01T07:05:00Z"}).status == 200
    u = ctx.c.get("/api/v1/public/%s/sessions-under-way?service=yoga" % SLUG)
    assert u.status == 200 and [(x["id"], x["seats_left"]) for x in u.json["sessions"]] == [("s4", 1)], u
    r = late(ctx.c, "s4", "late1@example.com")
    assert r.status == 201 and r.json["late_join"] is True and r.json["manage_token"], r
    got = ctx.sink.wait(lambda m: "late1@example.com" in m["to"])
    assert got and "Joined late" in str(got[0]["msg"]["Subject"]), got
    time.sleep(0.3)
    assert not ctx.sink.matching(lambda m: "late1@example.com" in m["to"] and "Booked" in str(m["msg"]["Subject"]))
    # Full now: refused with the engine's reason, nothing written.
    r = late(ctx.c, "s4", "late2@example.com")
    assert r.status == 409 and r.json.get("reason") == "full", r
    assert ctx.c.get("/api/v1/public/%s/sessions-under-way?service=yoga" % SLUG).json["sessions"] == []
    # Past the window: closed.
    assert ctx.c.post("/api/v1/test/clock", body={"now": "2026-06-01T07:16:00Z"}).status == 200
    r = late(ctx.c, "s4", "late3@example.com")
    assert r.status == 422, r
    assert o.put(o.path("/services/yoga/group-rules"), body={"late_join_s": 0}).status == 200
    assert ctx.c.post("/api/v1/test/clock", body={"now": NOW}).status == 200


def pilates(c, start, email):
    r = c.post("/api/v1/public/%s/bookings" % SLUG,
               body={"service": "pilates", "start": start,
                     "customer": {"name": email.split("@")[0], "email": email}})
    assert r.status == 201, r
    return r.json


def test_z_minimum_attendance_cancels_once(ctx):
    o = ctx.owner
    # p1: 2 booked of a minimum of 3; p2: its own minimum of 1, 1 booked.
    pilates(ctx.c, STARTS["p1"], "pa@example.com")
    pilates(ctx.c, STARTS["p1"], "pb@example.com")
    pilates(ctx.c, STARTS["p2"], "pc@example.com")
    r = o.put(o.path("/sessions/p2/rules"), body={"min_attendance": 1})
    assert r.status == 200 and r.json["min_attendance"] == 1 and r.json["own_minimum"], r
    r = o.get(o.path("/sessions/p1/rules"))
    assert r.json["min_attendance"] == 3 and r.json["decision"] is None and r.json["attendance"] == 2, r
    # p3, nobody booked: offered (and the answer cached) until its decision.
    day = "/api/v1/public/%s/availability?service=pilates&from=2026-06-03&to=2026-06-03" % SLUG
    assert [s for d in ctx.c.get(day).json["days"] for s in d["slots"] if s["start"].startswith("2026-06-03T09:00")]
    # Before the decision time (a day before): nothing happens.
    assert ctx.c.post("/api/v1/test/clock", body={"now": "2026-06-02T08:00:00Z"}).status == 200
    time.sleep(1.0)
    o = ctx.owner = staff.login(ctx, SLUG, "o@studio.test", PW)  # the clock moved past the session
    r = o.get(o.path("/sessions/p1/rules"))
    assert r.status == 200 and r.json["decision"] is None, r
    # At it: p1 is cancelled, p2 kept.
    assert ctx.c.post("/api/v1/test/clock", body={"now": "2026-06-02T09:30:00Z"}).status == 200
    deadline = time.time() + 10
    while o.get(o.path("/sessions/p1/rules")).json["decision"] is None and time.time() < deadline:
        time.sleep(0.1)
    assert o.get(o.path("/sessions/p1/rules")).json["decision"] == "cancelled"
    for e in ("pa@example.com", "pb@example.com"):
        assert ctx.sink.wait(lambda m, e=e: e in m["to"] and "Cancelled" in str(m["msg"]["Subject"]))
    # Once: later passes (and a restart) tell nobody again.
    assert ctx.c.post("/api/v1/test/clock", body={"now": "2026-06-02T11:30:00Z"}).status == 200
    deadline = time.time() + 10
    while o.get(o.path("/sessions/p2/rules")).json["decision"] is None and time.time() < deadline:
        time.sleep(0.1)
    assert o.get(o.path("/sessions/p2/rules")).json["decision"] == "kept"
    time.sleep(1.0)
    for e in ("pa@example.com", "pb@example.com"):
        assert len(ctx.sink.matching(lambda m, e=e: e in m["to"] and "Cancelled" in str(m["msg"]["Subject"]))) == 1
    assert not ctx.sink.matching(lambda m: "pc@example.com" in m["to"] and "Cancelled" in str(m["msg"]["Subject"]))
    # The cancelled session is offered no more; a decided one keeps its minimum.
    a = ctx.c.get("/api/v1/public/%s/availability?service=pilates&from=2026-06-03&to=2026-06-03" % SLUG).json
    starts = [s["start"] for d in a["days"] for s in d["slots"]]
    assert not [s for s in starts if s.startswith("2026-06-03T10:00")], starts
    assert [s for s in starts if s.startswith("2026-06-03T12:00")], starts
    assert not [s for s in starts if s.startswith("2026-06-03T09:00")], starts  # p3, empty
    assert o.get(o.path("/sessions/p3/rules")).json["decision"] == "cancelled"
    # nor listed for its waiting list: the cancelled ones go, the kept one stays
    listed = ctx.c.get("/api/v1/public/%s/sessions?service=pilates&from=2026-06-03&to=2026-06-03" % SLUG).json
    ids = [x["id"] for x in listed["sessions"]]
    assert "p1" not in ids and "p3" not in ids and "p2" in ids, ids
    r = ctx.c.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "pilates", "start": STARTS["p3"], "customer": {"name": "Z", "email": "z@example.com"}})
    assert r.status == 409, r
    assert o.put(o.path("/sessions/p1/rules"), body={"min_attendance": 0}).status == 409
