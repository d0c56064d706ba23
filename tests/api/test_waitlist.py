"""Waiting lists of full class sessions: joining, the position, leaving by the signed link,
offers that cascade on cancellation, decline and expiry (test clock), accepting in one step,
staff order and priority, and races: never more seats taken than the session has."""
import re
import threading
import time
import urllib.parse

import harness
import staff
from sinks import SmsReceiver, SmtpSink

SLUG = "gym"
PW = "a long enough password"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Gym", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 300},
    "providers": [{"id": "lea", "name": "Lea"}],
    "services": [
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 12,
         "price_minor": 1000, "min_notice_s": 3600, "providers": ["lea"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "sessions": [
        {"id": "y1", "service": "yoga", "provider": "lea", "start": "2026-06-10T17:00:00Z"},
        {"id": "y2", "service": "yoga", "provider": "lea", "start": "2026-06-11T17:00:00Z"},
        {"id": "y3", "service": "yoga", "provider": "lea", "start": "2026-06-12T17:00:00Z", "capacity": 1},
        {"id": "y4", "service": "yoga", "provider": "lea", "start": "2026-06-15T17:00:00Z", "capacity": 1},
        {"id": "y5", "service": "yoga", "provider": "lea", "start": "2026-06-16T17:00:00Z"},
        {"id": "y6", "service": "yoga", "provider": "lea", "start": "2026-06-01T09:00:00Z", "capacity": 1},
        {"id": "y7", "service": "yoga", "provider": "lea", "start": "2026-06-17T17:00:00Z", "capacity": 2},
        {"id": "y8", "service": "yoga", "provider": "lea", "start": "2026-06-18T17:00:00Z", "capacity": 2},
        {"id": "y9", "service": "yoga", "provider": "lea", "start": "2026-06-19T17:00:00Z", "capacity": 1},
        {"id": "y10", "service": "yoga", "provider": "lea", "start": "2026-06-22T17:00:00Z", "capacity": 1},
        {"id": "y11", "service": "yoga", "provider": "lea", "start": "2026-06-23T17:00:00Z", "capacity": 1},
    ],
}
NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London
STARTS = {s["id"]: s["start"] for s in FIXTURE["sessions"]}
CAP = {s["id"]: s.get("capacity", 12) for s in FIXTURE["sessions"]}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@gym.test", "owner", PW)
    ctx.sink = SmtpSink()
    ctx.sms = SmsReceiver()
    # Every test books many seats from one address: the public limits would stop that.
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "desk@gym.test", "--public-url", "https://gym.test",
        "--sms-url", ctx.sms.url, "--sms-user", "AC1", "--sms-password", "tok", "--sms-from", "+15550001"])
    ctx.c = ctx.srv.client
    ctx.owner = staff.login(ctx, SLUG, "o@gym.test", PW)


def teardown(ctx):
    ctx.sink.stop()
    ctx.sms.stop()


def at(ctx, instant):
    assert ctx.c.post("/api/v1/test/clock", body={"now": instant}).status == 200


def book(c, session, email):
    return c.post("/api/v1/public/%s/bookings" % SLUG,
                  body={"service": "yoga", "start": STARTS[session],
                        "customer": {"name": email.split("@")[0], "email": email}})


def fill(ctx, session, prefix):
    out = []
    for i in range(CAP[session]):
        r = book(ctx.c, session, "%s%d@example.com" % (prefix, i))
        assert r.status == 201, r
        out.append(r.json)
    return out


def join(c, session, email, **kw):
    body = {"session": session, "customer": {"name": email.split("@")[0].title(), "email": email}}
    body.update(kw)
    return c.post("/api/v1/public/%s/waitlist" % SLUG, body=body)


def entry(c, e):
    r = c.get("/api/v1/public/waitlist/%s?t=%s" % (e["id"], e["token"]))
    assert r.status == 200, r
    return r.json


def act(c, e, what):
    return c.post("/api/v1/public/waitlist/%s/%s?t=%s" % (e["id"], what, e["token"]))


def cancel(c, b):
    r = c.post("/api/v1/public/bookings/%s/cancel" % b["reference"], body={},
               headers={"Authorization": "Bearer " + b["manage_token"]})
    assert r.status == 200, r
    return r.json


def wait_status(c, e, want, timeout=5):
    deadline = time.time() + timeout
    while True:
        got = entry(c, e)
        if got["status"] == want or time.time() > deadline:
            assert got["status"] == want, got
            return got
        time.sleep(0.05)


def session_state(ctx, session):
    """(seats taken by live bookings and holds, seats_left shown publicly, slots offered)."""
    day = STARTS[session][:10]
    r = ctx.owner.get(ctx.owner.path("/bookings?service=yoga&from=%s&to=%s&limit=200&status="
                                     "held,pending,confirmed,checked_in" % (day, day)))
    assert r.status == 200, r
    taken = sum(b["seats"] for b in r.json["bookings"])
    s = ctx.c.get("/api/v1/public/%s/sessions?service=yoga&from=%s&to=%s" % (SLUG, day, day)).json
    left = [x["seats_left"] for x in s["sessions"] if x["id"] == session]
    a = ctx.c.get("/api/v1/public/%s/availability?service=yoga&from=%s&to=%s" % (SLUG, day, day)).json
    offered = sum(sl["seats_left"] for d in a["days"] for sl in d["slots"])
    return taken, left[0] if left else None, offered


def check_never_oversold(ctx, session):
    taken, left, offered = session_state(ctx, session)
    assert taken <= CAP[session], (taken, CAP[session])
    assert left == CAP[session] - taken, (left, taken)
    assert offered == CAP[session] - taken, (offered, taken)
    return taken


def offer_link(ctx, email):
    got = ctx.sink.wait(lambda m: email in m["to"] and "seat is free" in str(m["msg"]["Subject"]), timeout=5)
    assert got, [m["to"] for m in ctx.sink.messages]
    body = got[-1]["msg"].get_body(preferencelist=("plain",)).get_content()
    m = re.search(r"https://gym\.test/w/([A-Za-z0-9_]+)\?t=([A-Za-z0-9_-]+)", body)
    assert m, body
    return m.group(1), m.group(2)


def test_cascade_cancel_offer_expire_next_books(ctx):
    at(ctx, NOW)
    seats = fill(ctx, "y1", "y1-")
    assert check_never_oversold(ctx, "y1") == 12
    assert book(ctx.c, "y1", "late@example.com").status == 409
    s = ctx.c.get("/api/v1/public/%s/sessions?service=yoga&from=2026-06-10&to=2026-06-10" % SLUG).json
    assert s["sessions"][0]["waitlist"] is True and s["sessions"][0]["seats_left"] == 0
    w = []
    for i, email in enumerate(("w1@example.com", "w2@example.com", "w3@example.com")):
        r = join(ctx.c, "y1", email)
        assert r.status == 201, r
        assert r.json["position"] == i + 1 and r.json["status"] == "waiting"
        assert r.json["link"] == "/w/%s?t=%s" % (r.json["id"], r.json["token"])
        w.append(r.json)
    again = join(ctx.c, "y1", "W1@Example.com")  # the same person: the same entry
    assert again.status == 200 and again.json["id"] == w[0]["id"] and again.json["position"] == 1
    # A cancellation offers the seat to the first, in the same transaction: never free.
    cancel(ctx.c, seats[0])
    e1 = entry(ctx.c, w[0])
    assert e1["status"] == "offered" and e1["position"] is None
    assert e1["offer"]["expires_at"] == "2026-06-01T07:30:00+01:00"  # 30 minutes
    assert entry(ctx.c, w[1])["position"] == 1 and entry(ctx.c, w[2])["position"] == 2
    assert check_never_oversold(ctx, "y1") == 12
    entry_id, tok = offer_link(ctx, "w1@example.com")
    assert (entry_id, tok) == (w[0]["id"], w[0]["token"])
    assert book(ctx.c, "y1", "sneak@example.com").status == 409
    # The offer lapses: the job passes it to the second.
    at(ctx, "2026-06-01T06:30:00Z")
    wait_status(ctx.c, w[0], "expired")
    e2 = wait_status(ctx.c, w[1], "offered")
    assert e2["offer"]["expires_at"] == "2026-06-01T08:00:00+01:00"
    assert check_never_oversold(ctx, "y1") == 12
    assert act(ctx.c, w[0], "accept").status == 409
    offer_link(ctx, "w2@example.com")
    r = act(ctx.c, w[1], "accept")
    assert r.status == 201, r
    assert r.json["status"] == "confirmed" and r.json["manage_token"] and r.json["seats"] == 1
    assert entry(ctx.c, w[1])["status"] == "booked" and entry(ctx.c, w[1])["reference"] == r.json["reference"]
    mine = ctx.c.get("/api/v1/public/bookings/" + r.json["reference"],
                     headers={"Authorization": "Bearer " + r.json["manage_token"]}).json
    assert mine["status"] == "confirmed" and mine["customer"]["email"] == "w2@example.com"
    assert ctx.sink.wait(lambda m: "w2@example.com" in m["to"] and "Booked" in str(m["msg"]["Subject"]))
    assert act(ctx.c, w[1], "accept").status == 409  # once
    # The third stays waiting, now first.
    e3 = entry(ctx.c, w[2])
    assert e3["status"] == "waiting" and e3["position"] == 1
    assert check_never_oversold(ctx, "y1") == 12
    # Every step is in the history (staff), and on the hold's booking.
    h = ctx.owner.get(ctx.owner.path("/waitlist/" + w[0]["id"])).json
    assert [x["kind"] for x in h["history"]] == ["joined", "offered", "expired"], h
    h2 = ctx.owner.get(ctx.owner.path("/waitlist/" + w[1]["id"])).json
    assert [x["kind"] for x in h2["history"]] == ["joined", "offered", "accepted"], h2
    hist = [x["kind"] for x in mine["history"]]
    assert hist[0] == "held" and hist[-1] == "booked", hist


def test_wrong_token_is_404_and_leave(ctx):
    at(ctx, NOW)
    r = join(ctx.c, "y1", "leaver@example.com")
    assert r.status == 201, r
    e = r.json
    assert ctx.c.get("/api/v1/public/waitlist/%s?t=%s" % (e["id"], "x" * 43)).status == 404
    assert ctx.c.get("/api/v1/public/waitlist/%s" % e["id"]).status == 404
    assert ctx.c.post("/api/v1/public/waitlist/%s/leave?t=bad" % e["id"]).status == 404
    left = act(ctx.c, e, "leave")
    assert left.status == 200 and left.json["status"] == "left" and left.json["position"] is None
    assert act(ctx.c, e, "leave").status == 409


def test_join_refusals(ctx):
    at(ctx, NOW)
    r = join(ctx.c, "y2", "early@example.com")  # seats are free: book them
    assert r.status == 409 and "book" in r.json["detail"], r
    r = join(ctx.c, "nope", "x@example.com")
    assert r.status == 422 and r.json["errors"][0]["field"] == "session", r
    r = ctx.c.post("/api/v1/public/%s/waitlist" % SLUG,
                   body={"session": "y1", "customer": {"name": "A", "email": "a@example.com"}, "priority": "high"})
    assert r.status == 422 and any(e["field"] == "priority" for e in r.json["errors"]), r
    r = join(ctx.c, "y1", "not-an-email")
    assert r.status == 422
    # Someone booked in the session cannot wait for it too.
    r = join(ctx.c, "y1", "y1-3@example.com")
    assert r.status == 409 and "already" in r.json["detail"], r


def test_decline_passes_it_on_at_once(ctx):
    at(ctx, NOW)
    [seat] = fill(ctx, "y3", "y3-")
    b = join(ctx.c, "y3", "b@example.com").json
    c = join(ctx.c, "y3", "c@example.com").json
    assert act(ctx.c, b, "decline").status == 409  # nothing offered yet
    cancel(ctx.c, seat)
    assert entry(ctx.c, b)["status"] == "offered"
    r = act(ctx.c, b, "decline")
    assert r.status == 200 and r.json["status"] == "declined", r
    assert entry(ctx.c, c)["status"] == "offered"
    assert check_never_oversold(ctx, "y3") == 1
    r = act(ctx.c, c, "accept")
    assert r.status == 201, r
    assert check_never_oversold(ctx, "y3") == 1


def test_staff_order_priority_and_removal(ctx):
    at(ctx, NOW)
    [seat] = fill(ctx, "y4", "y4-")
    d, e, f = (join(ctx.c, "y4", x + "@example.com").json for x in ("dd", "ee", "ff"))
    o = ctx.owner
    assert o.patch(o.path("/waitlist/" + f["id"]), body={"position": 1}).json["position"] == 1
    order = [x["id"] for x in o.get(o.path("/waitlist?session=y4&status=waiting")).json["entries"]]
    assert order == [f["id"], d["id"], e["id"]]
    r = o.patch(o.path("/waitlist/" + e["id"]), body={"priority": "high"})
    assert r.status == 200 and r.json["priority"] == "high" and r.json["position"] == 1
    assert entry(ctx.c, d)["position"] == 3
    assert o.patch(o.path("/waitlist/" + e["id"]), body={"priority": "urgent"}).status == 422
    assert o.patch(o.path("/waitlist/" + e["id"]), body={}).status == 422
    r = o.delete(o.path("/waitlist/" + e["id"]) + "?reason=asked%20by%20phone")
    assert r.status == 200 and r.json["status"] == "removed", r
    assert r.json["history"][-1]["kind"] == "removed" and r.json["history"][-1]["reason"] == "asked by phone"
    assert o.patch(o.path("/waitlist/" + e["id"]), body={"position": 1}).status == 409
    # The seat goes to the first by the staff's order.
    cancel(ctx.c, seat)
    assert entry(ctx.c, f)["status"] == "offered" and entry(ctx.c, d)["status"] == "waiting"
    # Staff removing an offered entry passes the seat on.
    r = o.delete(o.path("/waitlist/" + f["id"]))
    assert r.status == 200 and r.json["status"] == "removed"
    assert entry(ctx.c, d)["status"] == "offered"
    assert check_never_oversold(ctx, "y4") == 1
    assert ctx.c.get(o.path("/waitlist")).status == 401


def test_settings_offer_time_and_notice_cut_off(ctx):
    o = ctx.owner
    assert o.get(o.path("/waitlist-settings")).json == {"offer_s": 1800}
    assert o.patch(o.path("/waitlist-settings"), body={"offer_s": 5}).status == 422
    assert o.patch(o.path("/waitlist-settings"), body={"offer_s": 7200}).json == {"offer_s": 7200}
    try:
        # y6 starts at 10:00 London, bookable until 09:00 (one hour's notice): an offer made at
        # 07:00 ends there, not two hours later.
        at(ctx, NOW)
        [seat] = fill(ctx, "y6", "y6-")
        g = join(ctx.c, "y6", "gg@example.com").json
        cancel(ctx.c, seat)
        assert entry(ctx.c, g)["offer"]["expires_at"] == "2026-06-01T09:00:00+01:00"
        at(ctx, "2026-06-01T08:00:00Z")  # notice closed: nobody else can be offered it
        assert wait_status(ctx.c, g, "expired")
        at(ctx, "2026-06-01T09:00:01Z")  # the session began: nobody waits any more
    finally:
        o.patch(o.path("/waitlist-settings"), body={"offer_s": 1800})
        at(ctx, NOW)


def test_race_32_clients_for_freed_seats(ctx):
    at(ctx, NOW)
    seats = fill(ctx, "y5", "y5-")
    waiting = [join(ctx.c, "y5", "r%d@example.com" % i).json for i in range(8)]
    for b in seats[:4]:  # four seats free, each offered at once down the list
        cancel(ctx.c, b)
    assert [entry(ctx.c, w)["status"] for w in waiting] == ["offered"] * 4 + ["waiting"] * 4
    results = []
    lock = threading.Lock()
    go = threading.Barrier(32)

    def accept(w):
        c = ctx.srv.new_client()
        go.wait()
        r = act(c, w, "accept")
        with lock:
            results.append(("accept", r.status))
        c.close()

    def direct(i):
        c = ctx.srv.new_client()
        go.wait()
        r = book(c, "y5", "d%d@example.com" % i)
        with lock:
            results.append(("direct", r.status))
        c.close()

    def cancelling(b):
        c = ctx.srv.new_client()
        go.wait()
        r = c.post("/api/v1/public/bookings/%s/cancel" % b["reference"], body={},
                   headers={"Authorization": "Bearer " + b["manage_token"]})
        with lock:
            results.append(("cancel", r.status))
        c.close()

    # 4 offered accept, 3 more seats are cancelled, and 25 others try to book directly, at once.
    threads = [threading.Thread(target=accept, args=(w,)) for w in waiting[:4]]
    threads += [threading.Thread(target=cancelling, args=(b,)) for b in seats[4:7]]
    threads += [threading.Thread(target=direct, args=(i,)) for i in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for k, s in results if k == "accept") == [201] * 4, results
    assert sorted(s for k, s in results if k == "cancel") == [200] * 3, results
    # Each freed seat is offered to the next waiting inside the cancellation: no direct
    # booking ever finds it free while people wait.
    assert sorted(s for k, s in results if k == "direct") == [409] * 25, results
    statuses = [entry(ctx.c, w)["status"] for w in waiting]
    assert statuses == ["booked"] * 4 + ["offered"] * 3 + ["waiting"], statuses
    taken = check_never_oversold(ctx, "y5")
    assert taken == 12
    # The offered accept: exactly capacity stand booked or held for the waiting.
    for w in waiting[4:7]:
        assert act(ctx.c, w, "accept").status == 201
    assert act(ctx.c, waiting[7], "accept").status == 409
    assert check_never_oversold(ctx, "y5") == 12


def test_capacity_raise_offers_the_new_seats_in_order(ctx):
    at(ctx, NOW)
    fill(ctx, "y7", "y7-")
    a, b, c = (join(ctx.c, "y7", x + "@example.com").json for x in ("cap-a", "cap-b", "cap-c"))
    big = join(ctx.c, "y7", "cap-big@example.com", seats=3).json  # a party of three never fits
    o = ctx.owner
    r = o.patch(o.path("/sessions/y7"), body={"capacity": 4})
    assert r.status == 200, r
    CAP["y7"] = 4
    # The jobs worker offers the two new seats, one each, down the list.
    wait_status(ctx.c, a, "offered")
    wait_status(ctx.c, b, "offered")
    assert entry(ctx.c, c)["status"] == "waiting" and entry(ctx.c, c)["position"] == 1
    assert entry(ctx.c, big)["status"] == "waiting"
    assert check_never_oversold(ctx, "y7") == 4


def test_an_expired_hold_frees_its_seat_for_the_list(ctx):
    at(ctx, NOW)
    [first, _] = fill(ctx, "y8", "y8-")
    cancel(ctx.c, first)
    h = ctx.c.post("/api/v1/public/%s/holds" % SLUG, body={"service": "yoga", "start": STARTS["y8"]})
    assert h.status == 201, h  # the last seat held by someone deciding
    w = join(ctx.c, "y8", "patient@example.com").json
    assert w["status"] == "waiting"
    at(ctx, "2026-06-01T06:05:00Z")  # the hold's expiry (hold_ttl_s 300)
    e = wait_status(ctx.c, w, "offered")
    assert e["offer"]["expires_at"] == "2026-06-01T07:35:00+01:00"
    assert check_never_oversold(ctx, "y8") == 2


def test_joins_count_against_the_public_limits(ctx):
    at(ctx, NOW)
    o = ctx.owner
    fill(ctx, "y9", "y9-")
    fill(ctx, "y10", "y10-")
    # Earlier tests joined from this address too: only the email's limit is looked at here.
    assert o.patch(o.path("/protection"), body={"bookings_per_email_hour": 2, "bookings_per_address_hour": 0,
                                                "bookings_per_address_day": 0}).status == 200
    limited = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "on"})
    try:
        c = limited.client
        assert join(c, "y9", "lim@example.com").status == 201
        assert join(c, "y9", "lim@example.com").status == 200  # the same entry again
        assert join(c, "y10", "lim@example.com").status == 201
        r = join(c, "y9", "lim@example.com")
        assert r.status == 429 and r.json["limit"] == "bookings_per_email_hour", r
        assert int(r.header("Retry-After")) > 0
        assert join(c, "y10", "other@example.com").status == 201  # others still join
    finally:
        limited.stop()
        o.patch(o.path("/protection"), body={"bookings_per_email_hour": 3, "bookings_per_address_hour": 10,
                                             "bookings_per_address_day": 30})


def test_zz_conversion_figures(ctx):
    # Runs last (sorted): the figures of everything the tests above did today.
    o = ctx.owner
    r = o.get(o.path("/waitlist-stats?from=2026-06-01&to=2026-06-01"))
    assert r.status == 200, r
    f = r.json
    assert f["joined"] >= 20 and f["booked"] >= 1 and f["offered"] >= f["booked"]
    assert f["offers"]["made"] >= f["offers"]["accepted"] + f["offers"]["declined"] + f["offers"]["expired"]
    assert abs(f["conversion"] - f["booked"] / f["joined"]) < 1e-9
    assert o.get(o.path("/waitlist-stats?from=2026-06-02&to=2026-06-01")).status == 400
    empty = o.get(o.path("/waitlist-stats?from=2025-01-01&to=2025-01-31")).json
    assert empty["joined"] == 0 and empty["conversion"] is None


def test_offer_by_sms_too_when_asked(ctx):
    at(ctx, NOW)
    [seat] = fill(ctx, "y11", "y11-")
    r = join(ctx.c, "y11", "texter@example.com")
    assert r.status == 201
    w = ctx.c.post("/api/v1/public/%s/waitlist" % SLUG, body={
        "session": "y11", "customer": {"name": "Tex", "email": "tex@example.com", "phone": "+44 7700 900999", "sms": True}})
    assert w.status == 201, w
    assert act(ctx.c, r.json, "leave").status == 200  # the first leaves: Tex is next
    cancel(ctx.c, seat)
    assert entry(ctx.c, w.json)["status"] == "offered"
    deadline = time.time() + 5
    mine = []
    while time.time() < deadline and not mine:
        mine = [q for q in ctx.sms.requests if q["form"].get("To") == "+44 7700 900999"]
        time.sleep(0.05)
    assert len(mine) == 1, ctx.sms.requests
    assert "/w/%s?t=%s" % (w.json["id"], w.json["token"]) in mine[0]["form"]["Body"], mine[0]
    assert ctx.sink.wait(lambda m: "tex@example.com" in m["to"] and "seat is free" in str(m["msg"]["Subject"]))
