"""CalDAV two-way sync against a real Radicale (htpasswd auth, loopback, started here):
connect by discovery with a sealed password, push a booking (create, update, cancel),
busy time added in Radicale hides the slot within one sync, bookd's own events never count
as busy, an event of ours deleted or moved in Radicale marks the booking (never changes it)
and staff resolve it, a 412 on update is read again and retried, a wrong password shows in
health, Radicale stopped then started (back-off, recovery, nothing lost or doubled), and a
recurring busy event with an exception across the spring DST change in a custom VTIMEZONE."""
import datetime
import re
import time
import urllib.parse

import harness
import radicale
import staff

SLUG = "dav"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Dav Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 3600, "price_minor": 4000,
         "providers": ["ann", "bob"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-03-23T06:00:00Z"  # Monday; London moves to summer time on Sunday 29 March
PW = "a long enough password"

VTZ = "\r\n".join([
    "BEGIN:VTIMEZONE", "TZID:Home Rules",
    "BEGIN:STANDARD", "DTSTART:19701025T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:19700329T010000", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "END:VTIMEZONE"])


def vcal(*events, tz=False):
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//external//EN"] + ([VTZ] if tz else [])
                       + list(events) + ["END:VCALENDAR"]) + "\r\n"


def vevent(*lines):
    return "\r\n".join(["BEGIN:VEVENT", "DTSTAMP:20260301T000000Z"] + list(lines) + ["END:VEVENT"])


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@dav.test", "owner", PW)
    ctx.dav = radicale.Radicale({"ann": "ann-app-password", "bob": "bob-pw"})
    ctx.cal = ctx.dav.mkcalendar("ann", "work")
    ctx.dav.mkcalendar("bob", "main")
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@dav.test", PW)
    ctx.http = harness.Client(ctx.srv.port)
    ctx.clock = NOW
    ctx.minute = 0


def teardown(ctx):
    ctx.dav.close()


def advance(ctx, minutes):
    """Moves the test clock on (past poll intervals and back-offs)."""
    ctx.minute += minutes
    h, m = divmod(ctx.minute, 60)
    ctx.clock = "2026-03-23T%02d:%02d:00Z" % (6 + h, m)
    assert ctx.http.post("/api/v1/test/clock", body={"now": ctx.clock}).status == 200


def conn(ctx, cid):
    r = ctx.owner.get(ctx.owner.path("/calendar-connections/" + cid))
    assert r.status == 200, r
    return r.json


def wait_round(ctx, cid, since, want=None):
    """Waits for a round of cid recorded at or after the test clock's `since`."""
    deadline = time.time() + 20
    while time.time() < deadline:
        c = conn(ctx, cid)
        h = c["health"]
        done = h["state"] != "pending" and (h["last_attempt_at"] or "")[:19] >= since[:19] and \
            h["next_attempt_at"] > h["last_attempt_at"]
        if done and (want is None or want(c)):
            return c
        time.sleep(0.05)
    raise AssertionError("no round recorded: %r\n%s" % (c, ctx.srv.read_log()[-3000:]))


def wait_for(what, fn, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def starts(ctx, day, provider="ann"):
    q = urllib.parse.urlencode({"service": "cut", "from": day, "to": day, "provider": provider})
    r = ctx.http.get("/api/v1/public/%s/availability?%s" % (SLUG, q))
    assert r.status == 200, r
    return [s["start"][11:16] for d in r.json["days"] for s in d["slots"]]


def book(ctx, start, provider="ann"):
    ctx.n = getattr(ctx, "n", 0) + 1  # an address each: the per-address hourly limit stays out of it
    r = ctx.http.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "cut", "start": start, "provider": provider,
        "customer": {"name": "Cleo Client", "email": "cleo%d@example.com" % ctx.n}})
    assert r.status == 201, r
    return harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % r.json["reference"])


def ours(ctx, bid, user="ann", cal=None):
    """Radicale's objects whose UID is the booking's: [(href, etag, text)]."""
    evs = ctx.dav.events(user, cal or ctx.cal)
    return [(h, e, t) for h, (e, t) in evs.items() if ("UID:%s@bookd" % bid) in t]


def seconds(instant):
    return datetime.datetime.fromisoformat(instant).timestamp()


def staff_booking(ctx, bid):
    r = ctx.owner.get(ctx.owner.path("/bookings/" + bid))
    assert r.status == 200, r
    return r.json


def test_1_connect_by_discovery_and_push_a_booking(ctx):
    o = ctx.owner
    bid = book(ctx, "2026-03-24T10:00:00+00:00")
    r = o.post(o.path("/calendar-connections"), body={
        "kind": "caldav", "url": ctx.dav.url + "/", "username": "ann", "password": "ann-app-password",
        "provider_id": "ann", "name": "Ann's Radicale", "poll_interval_s": 600})
    assert r.status == 201, r
    c = r.json
    ctx.cid = c["id"]
    assert c["kind"] == "caldav" and c["username"] == "ann" and c["push"] is True
    assert "password" not in c and "ann-app-password" not in r.body
    # The password is stored sealed, never as given.
    box = harness.query(ctx.db_url, "SELECT secret_box FROM calendar_connections WHERE id = '%s'" % ctx.cid)
    assert box.startswith("v1:") and "ann-app-password" not in box
    got = wait_round(ctx, ctx.cid, NOW)
    assert got["health"]["state"] == "ok" and got["health"]["last_error"] is None, got
    # Discovery found the calendar: the principal's home, then its calendar of events.
    assert harness.query(ctx.db_url, "SELECT url FROM calendar_connections WHERE id = '%s'" % ctx.cid) \
        == ctx.dav.url + ctx.cal
    evs = ours(ctx, bid)
    assert len(evs) == 1, ctx.dav.events("ann", ctx.cal)
    href, etag, text = evs[0]
    assert href == ctx.cal + bid + ".ics"
    assert "DTSTART:20260324T100000Z" in text and "DTEND:20260324T110000Z" in text
    assert "METHOD" not in text and "Cleo Client" in text
    # bookd's own event is not busy time: the booking blocks its slot, nothing else does.
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM external_busy WHERE connection_id = '%s'" % ctx.cid) == "0"
    assert staff_booking(ctx, bid)["calendar_attention"] == []
    ctx.bid = bid
    assert "ann-app-password" not in ctx.srv.read_log()
    # Never in an export: neither the password nor its sealed form.
    out = harness.bookd("export", "--db", ctx.db_url, "--business", SLUG).stdout
    assert "ann-app-password" not in out and box not in out and '"v1:' not in out


def test_2_update_and_cancel_follow_the_booking(ctx):
    o = ctx.owner
    href, etag, _ = ours(ctx, ctx.bid)[0]
    advance(ctx, 1)
    r = o.post(o.path("/bookings/%s/reschedule" % ctx.bid), body={"start": "2026-03-24T13:00:00+00:00"})
    assert r.status == 200, r
    moved = wait_for("the update", lambda: [e for e in ours(ctx, ctx.bid) if "DTSTART:20260324T130000Z" in e[2]])
    assert len(ours(ctx, ctx.bid)) == 1 and moved[0][0] == href and moved[0][1] != etag
    assert "SEQUENCE:1" in moved[0][2] or "SEQUENCE:2" in moved[0][2]
    advance(ctx, 1)
    r = o.post(o.path("/bookings/%s/cancel" % ctx.bid), body={"reason": "ill"})
    assert r.status == 200, r
    wait_for("the delete", lambda: ours(ctx, ctx.bid) == [])
    got = wait_round(ctx, ctx.cid, ctx.clock)
    assert got["health"]["state"] == "ok"
    assert staff_booking(ctx, ctx.bid)["status"] == "cancelled"


def test_3_busy_time_added_in_radicale_hides_the_slot_within_one_sync(ctx):
    assert "14:00" in starts(ctx, "2026-03-25")
    st, _, _ = ctx.dav.put("ann", ctx.cal + "dentist.ics", vcal(vevent(
        "UID:dentist-1", "DTSTART:20260325T140000Z", "DTEND:20260325T150000Z", "SUMMARY:Dentist")))
    assert st == 201
    advance(ctx, 11)  # past the 600 s poll interval: one (incremental) sync
    got = wait_round(ctx, ctx.cid, ctx.clock)
    assert got["health"]["busy_count"] == 1, got
    assert "14:00" not in starts(ctx, "2026-03-25") and "15:00" in starts(ctx, "2026-03-25")
    assert "14:00" in starts(ctx, "2026-03-25", provider="bob")
    token = harness.query(ctx.db_url, "SELECT sync_token FROM calendar_connections WHERE id = '%s'" % ctx.cid)
    assert token and token.startswith("http://radicale.org/ns/sync/")


def test_4_recurring_busy_event_with_exception_across_dst(ctx):
    # Wednesdays 10:00-11:00 in a VTIMEZONE named "Home Rules" (London's rules), four times
    # from 25 March: 1 April excluded, 8 April moved to 14:00, 15 April in summer time.
    text = vcal(vevent("UID:weekly", "DTSTART;TZID=Home Rules:20260325T100000",
                       "DTEND;TZID=Home Rules:20260325T110000", "RRULE:FREQ=WEEKLY;COUNT=4",
                       "EXDATE;TZID=Home Rules:20260401T100000", "SUMMARY:Class"),
                vevent("UID:weekly", "RECURRENCE-ID;TZID=Home Rules:20260408T100000",
                       "DTSTART;TZID=Home Rules:20260408T140000", "DTEND;TZID=Home Rules:20260408T150000"),
                tz=True)
    st, _, body = ctx.dav.put("ann", ctx.cal + "weekly.ics", text)
    assert st == 201, body
    advance(ctx, 11)
    wait_round(ctx, ctx.cid, ctx.clock, want=lambda c: c["health"]["busy_count"] == 4)
    assert "10:00" not in starts(ctx, "2026-03-25")
    assert "10:00" in starts(ctx, "2026-04-01")  # excluded
    apr8 = starts(ctx, "2026-04-08")
    assert "10:00" in apr8 and "14:00" not in apr8  # moved occurrence
    apr15 = starts(ctx, "2026-04-15")  # summer time: 10:00 local is 09:00Z
    assert "10:00" not in apr15 and "09:00" in apr15 and "11:00" in apr15, apr15


def test_5_our_event_deleted_or_moved_in_radicale_marks_the_booking(ctx):
    o = ctx.owner
    advance(ctx, 1)
    a = book(ctx, "2026-03-26T10:00:00+00:00")
    b = book(ctx, "2026-03-26T12:00:00+00:00")
    wait_for("both pushed", lambda: len(ours(ctx, a)) == 1 and len(ours(ctx, b)) == 1)
    wait_round(ctx, ctx.cid, ctx.clock)
    ha = ours(ctx, a)[0][0]
    hb, _, tb = ours(ctx, b)[0]
    assert ctx.dav.delete("ann", ha)[0] in (200, 204)
    st, _, _ = ctx.dav.put("ann", hb, tb.replace("DTSTART:20260326T120000Z", "DTSTART:20260326T150000Z")
                           .replace("DTEND:20260326T130000Z", "DTEND:20260326T160000Z"))
    assert st in (201, 204), st
    advance(ctx, 11)
    wait_round(ctx, ctx.cid, ctx.clock)
    h = conn(ctx, ctx.cid)["health"]
    assert h["needs_attention"] == 2 and h["pushed_events"] >= 2, h
    ja, jb = staff_booking(ctx, a), staff_booking(ctx, b)
    assert [x["what"] for x in ja["calendar_attention"]] == ["deleted"], ja["calendar_attention"]
    assert [x["what"] for x in jb["calendar_attention"]] == ["moved"], jb["calendar_attention"]
    assert ja["calendar_attention"][0]["connection_name"] == "Ann's Radicale"
    # Never a silent change or cancel: the bookings are as they were.
    assert ja["status"] == "confirmed" and jb["status"] == "confirmed"
    assert jb["start"].startswith("2026-03-26T12:00")
    # Nor is the moved event ours to count as busy, nor written over by the next round.
    assert ours(ctx, a) == [] and "DTSTART:20260326T150000Z" in ours(ctx, b)[0][2]
    advance(ctx, 11)
    wait_round(ctx, ctx.cid, ctx.clock)
    assert ours(ctx, a) == [] and "DTSTART:20260326T150000Z" in ours(ctx, b)[0][2]
    # Staff resolve: bookd's version is written again (anew, and over the moved one).
    for bid in (a, b):
        r = o.post(o.path("/bookings/%s/calendar-attention/resolve" % bid))
        assert r.status == 200 and r.json["calendar_attention"] == [], r
    wait_for("re-pushed", lambda: len(ours(ctx, a)) == 1 and
             "DTSTART:20260326T120000Z" in (ours(ctx, b) or [("", "", "")])[0][2])
    assert o.post(o.path("/bookings/%s/calendar-attention/resolve" % a)).status == 404
    wait_for("no attention left", lambda: conn(ctx, ctx.cid)["health"]["needs_attention"] == 0)
    ctx.a = a


def settle(ctx):
    """Waits until no round is running or owed (resolved pushes written, lease released)."""
    wait_for("the worker to settle", lambda: harness.query(
        ctx.db_url, "SELECT COUNT(*) FROM calendar_pushes WHERE pushed_updated_at = -1") == "0" and harness.query(
        ctx.db_url, "SELECT lease_until FROM calendar_connections WHERE id = '%s'" % ctx.cid) == "0")


def test_6_a_412_on_update_is_read_again_and_retried(ctx):
    o = ctx.owner
    settle(ctx)
    href, etag, text = ours(ctx, ctx.a)[0]
    # Someone adds a note in their calendar app: the ETag changes, the times do not.
    st, _, _ = ctx.dav.put("ann", href, text.replace("END:VEVENT", "COMMENT:bring the forms\r\nEND:VEVENT"))
    assert st in (201, 204)
    advance(ctx, 1)
    r = o.post(o.path("/bookings/%s/reschedule" % ctx.a), body={"start": "2026-03-26T14:00:00+00:00"})
    assert r.status == 200, r
    wait_for("the retried update", lambda: [e for e in ours(ctx, ctx.a) if "DTSTART:20260326T140000Z" in e[2]])
    assert "read again" in ctx.srv.read_log()
    # Radicale saw the update refused once (If-Match the old ETag), then the retry succeed.
    pat = r"PUT response status for '%s' in [0-9.]+ seconds: (\d+)" % re.escape(href)
    puts = wait_for("Radicale's log of the retry", lambda: (lambda p: p if "412" in p and p[-1] != "412" else None)(
        re.findall(pat, ctx.dav.read_log())))
    assert puts[-1] in ("200", "201", "204"), puts
    assert staff_booking(ctx, ctx.a)["calendar_attention"] == []
    assert len(ours(ctx, ctx.a)) == 1


def test_7_wrong_password_shows_in_health(ctx):
    o = ctx.owner
    r = o.post(o.path("/calendar-connections"), body={
        "kind": "caldav", "url": ctx.dav.url + "/bob/main/", "username": "bob", "password": "wrong",
        "provider_id": "bob"})
    assert r.status == 201, r
    got = wait_round(ctx, r.json["id"], ctx.clock)
    h = got["health"]
    # A refused password is not an outage: the connection needs credentials, and the owners
    # were told at once (test_calendar_alerts.py reads their email).
    assert h["state"] == "needs_credentials" and h["needs_credentials"] and h["failures"] == 1, got
    assert "401" in h["last_error"] and h["alerted_at"] is not None, got
    assert "wrong" not in h["last_error"]
    assert o.request("DELETE", o.path("/calendar-connections/" + r.json["id"])).status == 204
    # The server's /.well-known/caldav (a redirect to the root), then the principal, its home
    # and its calendar: the address found is kept.
    r = o.post(o.path("/calendar-connections"), body={
        "kind": "caldav", "url": ctx.dav.url + "/.well-known/caldav", "username": "bob", "password": "bob-pw",
        "provider_id": "bob", "push": False})
    assert r.status == 201 and r.json["push"] is False, r
    got = wait_round(ctx, r.json["id"], ctx.clock)
    assert got["health"]["state"] == "ok" and got["health"]["pushed_events"] == 0, got
    assert harness.query(ctx.db_url, "SELECT url FROM calendar_connections WHERE id = '%s'" % r.json["id"]) \
        == ctx.dav.url + "/bob/main/"
    assert o.request("DELETE", o.path("/calendar-connections/" + r.json["id"])).status == 204
    # Validation: a caldav connection needs its account.
    r = o.post(o.path("/calendar-connections"), body={"kind": "caldav", "url": "webcal://x.test/",
                                                      "provider_id": "bob", "push": "yes"})
    assert r.status == 422
    assert {e["field"] for e in r.json["errors"]} == {"url", "username", "password", "push"}, r.json


def test_8_radicale_stopped_then_started_backs_off_and_recovers(ctx):
    ctx.dav.stop()
    advance(ctx, 1)
    bid = book(ctx, "2026-03-27T10:00:00+00:00")
    got = wait_round(ctx, ctx.cid, ctx.clock, want=lambda c: c["health"]["failures"] >= 1)
    h = got["health"]
    assert h["state"] == "failing" and h["failures"] == 1, got
    # Back-off: about a minute (with jitter) after the failed attempt.
    wait = seconds(h["next_attempt_at"]) - seconds(h["last_attempt_at"])
    assert 45 <= wait <= 75, h
    first_next = h["next_attempt_at"]
    advance(ctx, 2)
    got = wait_round(ctx, ctx.cid, ctx.clock, want=lambda c: c["health"]["failures"] >= 2)
    h = got["health"]
    assert h["failures"] == 2 and h["next_attempt_at"] > first_next
    assert 95 <= seconds(h["next_attempt_at"]) - seconds(h["last_attempt_at"]) <= 145, h  # doubled
    # The slot of the busy time read before the outage stays hidden (fail open keeps it).
    assert "14:00" not in starts(ctx, "2026-03-25")
    ctx.dav.start()
    advance(ctx, 5)
    got = wait_round(ctx, ctx.cid, ctx.clock, want=lambda c: c["health"]["state"] == "ok")
    assert got["health"]["failures"] == 0
    # Nothing lost or doubled: the booking made during the outage is there once.
    assert len(ours(ctx, bid)) == 1
    evs = ctx.dav.events("ann", ctx.cal)
    uids = [re.search(r"UID:(\S+)", t).group(1) for _, t in evs.values()]
    assert len(uids) == len(set(uids)), uids
    assert "14:00" not in starts(ctx, "2026-03-25")
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM external_busy WHERE uid LIKE '%@bookd'") == "0"


def test_9_a_booking_moved_to_another_provider_leaves_the_calendar(ctx):
    o = ctx.owner
    advance(ctx, 1)
    bid = book(ctx, "2026-03-27T14:00:00+00:00")
    wait_for("the push", lambda: len(ours(ctx, bid)) == 1)
    advance(ctx, 1)
    r = o.post(o.path("/bookings/%s/reschedule" % bid), body={"start": "2026-03-27T14:00:00+00:00", "provider": "bob"})
    assert r.status == 200 and r.json["provider"]["id"] == "bob", r
    wait_for("the event gone from Ann's calendar", lambda: ours(ctx, bid) == [])
    assert staff_booking(ctx, bid)["calendar_attention"] == []
    got = wait_round(ctx, ctx.cid, ctx.clock)
    assert got["health"]["state"] == "ok"
