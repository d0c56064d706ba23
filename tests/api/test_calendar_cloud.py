"""Google Calendar and Microsoft 365 / Outlook.com connections against a loopback stand-in
that answers their documented requests (tests/tools/cloudcal_peer.py): the consent redirect
(authorization code with PKCE S256, state bound to the staff session, used once), the code
exchanged by the calendar worker, busy time read (Google events.list, Graph calendarView,
both with paging; an all-day event in the calendar's own zone) into the slot engine, bookings pushed as events (insert, patch on reschedule,
delete on cancel; bookd's own events never count as busy), the access token refreshed when
it expires and when the API refuses it early, and a revoked grant (health says
needs_credentials, the owners are emailed at once)."""
import os
import sys
import time
import urllib.parse
import urllib.request

import harness
import staff
from sinks import SmtpSink

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from cloudcal_peer import CloudPeer  # noqa: E402

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 3600, "price_minor": 4000,
                  "providers": ["ann", "bob"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-03-23T06:00:00Z"  # Monday
PW = "a long enough password"
WED_10 = 1774432800  # 2026-03-25T10:00:00Z


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@salon.test", "owner", PW)
    ctx.peer = CloudPeer().start()
    ctx.sink = SmtpSink()
    ctx.srv = ctx.server(test_clock=NOW, extra_args=ctx.peer.flags() + [
        "--smtp-url", ctx.sink.url, "--smtp-from", "cal@salon.test"])
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.http = harness.Client(ctx.srv.port)
    ctx.clock = NOW


def teardown(ctx):
    ctx.peer.stop()


def set_clock(ctx, instant):
    assert ctx.http.post("/api/v1/test/clock", body={"now": instant}).status == 200


def consent(ctx, client, service, body):
    """Starts a consent as client, follows the provider's redirect, and returns the
    callback's answer from bookd (status, Location)."""
    r = client.post(client.path("/calendar-oauth/" + service), body=body)
    assert r.status == 201, r
    url = r.json["authorize_url"]
    assert url.startswith(ctx.peer.base + "/" + service + "/"), url
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) == 43 and q["state"], q
    assert q["redirect_uri"].endswith("/api/v1/oauth/%s/callback" % service), q
    try:
        urllib.request.build_opener(NoRedirect).open(url)
        raise AssertionError("no redirect from the consent page")
    except urllib.error.HTTPError as e:
        assert e.code == 302, e
        back = urllib.parse.urlsplit(e.headers["Location"])
    assert back.path == "/api/v1/oauth/%s/callback" % service
    got = client.get(back.path + "?" + back.query)
    return got, back


def conn_of(client, cid):
    return client.get(client.path("/calendar-connections/" + cid)).json


def wait_health(client, cid, pred, what):
    deadline = time.time() + 15
    while time.time() < deadline:
        k = conn_of(client, cid)
        if pred(k):
            return k
        time.sleep(0.05)
    raise AssertionError("%s: %r" % (what, k))


def starts(ctx, day, provider):
    q = urllib.parse.urlencode({"service": "cut", "from": day, "to": day, "provider": provider})
    r = ctx.http.get("/api/v1/public/%s/availability?%s" % (SLUG, q))
    assert r.status == 200, r
    return [s["start"][11:16] for d in r.json["days"] for s in d["slots"]]


def resync(ctx, cid, after):
    """Asks for a read now and waits for one that ended after `after` (the peer's log size)."""
    assert ctx.owner.post(ctx.owner.path("/calendar-connections/%s/resync" % cid)).status == 202
    deadline = time.time() + 15
    while time.time() < deadline and len(ctx.peer.log) <= after:
        time.sleep(0.05)
    time.sleep(0.3)
    return conn_of(ctx.owner, cid)


def test_1_google_consent_and_code_exchange(ctx):
    o = ctx.owner
    # An unknown service, a bad body.
    assert o.post(o.path("/calendar-oauth/yahoo"), body={"provider_id": "ann"}).status in (404, 409)
    r = o.post(o.path("/calendar-oauth/google"), body={"provider_id": "ann", "x": 1})
    assert r.status == 422 and [e["field"] for e in r.json["errors"]] == ["x"], r
    r = o.post(o.path("/calendar-oauth/google"), body={"provider_id": "nobody"})
    assert r.status == 422 and [e["field"] for e in r.json["errors"]] == ["provider_id"], r
    got, back = consent(ctx, o, "google", {"provider_id": "ann", "name": "Ann's Google"})
    assert got.status == 303, got
    loc = got.header("Location")
    assert loc.startswith("/admin/calendars?connected=cal_"), loc
    ctx.gid = loc.split("=", 1)[1]
    # The state is used once.
    again = o.get(back.path + "?" + back.query)
    assert again.status == 303 and "oauth_error=expired" in again.header("Location"), again
    k = wait_health(o, ctx.gid, lambda k: k["health"]["state"] == "ok", "the code exchanged")
    assert k["kind"] == "google" and k["account"] == "ann@gmail.example" and k["name"] == "Ann's Google", k
    assert ctx.peer.count("google", "authorization_code") == 1 and ctx.peer.count("google", "events.list") >= 1
    # Nothing of the tokens is answered or stored in the clear.
    assert "access" not in str(k) and "refresh" not in str(k)
    box = harness.query(ctx.db_url, "SELECT secret_box FROM calendar_connections WHERE id = '%s'" % ctx.gid)
    assert box.startswith("v1:") and not any(t in box for t in ctx.peer.access), box[:20]


def test_2_consent_is_bound_to_the_session(ctx):
    o = ctx.owner
    other = staff.login(ctx, SLUG, "o@salon.test", PW)  # the same owner, another session
    r = o.post(o.path("/calendar-oauth/google"), body={"provider_id": "bob"})
    url = r.json["authorize_url"]
    try:
        urllib.request.build_opener(NoRedirect).open(url)
    except urllib.error.HTTPError as e:
        back = urllib.parse.urlsplit(e.headers["Location"])
    got = other.get(back.path + "?" + back.query)
    assert got.status == 303 and "oauth_error=session" in got.header("Location"), got
    # ... and that state is spent: the right session cannot use it after.
    got = o.get(back.path + "?" + back.query)
    assert "oauth_error=expired" in got.header("Location")
    # Refused at the provider: back with the reason, nothing connected.
    ctx.peer.deny = True
    got, _ = consent(ctx, o, "google", {"provider_id": "bob"})
    ctx.peer.deny = False
    assert "oauth_error=denied" in got.header("Location"), got
    assert [k["id"] for k in o.get(o.path("/calendar-connections")).json["connections"]] == [ctx.gid]
    # Without a session (an API token) no consent starts.
    r = o.post(o.path("/tokens"), body={"name": "robot"})
    assert r.status == 201, r
    t = staff.TokenClient(ctx.srv.port, r.json["token"])
    assert t.post("/api/v1/businesses/%s/calendar-oauth/google" % SLUG, body={"provider_id": "ann"}).status == 403


def test_3_google_busy_time_blocks_slots(ctx):
    o = ctx.owner
    assert "10:00" in starts(ctx, "2026-03-25", "ann")
    ctx.peer.busy["google"].append((WED_10, WED_10 + 3600))
    k = resync(ctx, ctx.gid, len(ctx.peer.log))
    assert k["health"]["state"] == "ok" and k["health"]["busy_count"] >= 1, k
    got = starts(ctx, "2026-03-25", "ann")
    assert "10:00" not in got and "11:00" in got, got
    r = o.get(o.path("/availability/explain?" + urllib.parse.urlencode(
        {"service": "cut", "start": "2026-03-25T10:00:00+00:00", "provider": "ann"})))
    assert r.json["reason"] == "external_busy", r
    # An all-day event is busy from its date's midnight to the next in the calendar's zone
    # (Europe/London, an hour ahead of UTC from 29 March: the Monday after is 23:00 UTC on).
    assert starts(ctx, "2026-03-26", "ann") != []
    ctx.peer.all_day["google"].append("2026-03-26")
    ctx.peer.all_day["google"].append("2026-03-30")
    resync(ctx, ctx.gid, len(ctx.peer.log))
    assert starts(ctx, "2026-03-26", "ann") == [] and "09:00" in starts(ctx, "2026-03-27", "ann")
    assert ctx.peer.count("google", "events.list") >= 2  # four events over two pages
    ctx.peer.all_day["google"].clear()
    resync(ctx, ctx.gid, len(ctx.peer.log))
    assert starts(ctx, "2026-03-26", "ann") != []


def book(ctx, provider, start):
    r = ctx.http.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "cut", "start": start, "provider": provider,
        "customer": {"name": "Cal Cloud", "email": "cal%d@example.com" % int(time.time() * 1000)}})
    assert r.status == 201, r
    return r.json


def wait_peer(ctx, what, pred):
    deadline = time.time() + 15
    while time.time() < deadline:
        with ctx.peer.lock:
            got = pred()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError("the stand-in never saw %s: %r" % (what, ctx.peer.events))


def test_3b_google_bookings_pushed_as_events_and_never_busy(ctx):
    b = book(ctx, "ann", "2026-03-25T14:00:00+00:00")
    ev = wait_peer(ctx, "the event", lambda: [e for e in ctx.peer.events["google"].values()
                                              if e.get("iCalUID", "").endswith("@bookd")])
    assert len(ev) == 1 and ev[0]["start"]["dateTime"].startswith("2026-03-25T14:00:00"), ev
    assert "Cut" in ev[0]["summary"] and b["reference"] in ev[0]["description"], ev
    # The next read cuts bookd's own event out of Google's busy time: only the other one counts.
    k = resync(ctx, ctx.gid, len(ctx.peer.log))
    assert k["health"]["busy_count"] == 1 and k["health"]["pushed_events"] == 1, k
    # Moved (a minute later: the test clock stands still otherwise): the same event changes.
    set_clock(ctx, "2026-03-23T06:01:00Z")
    r = ctx.http.request("POST", "/api/v1/public/bookings/%s/reschedule" % b["reference"],
                         body={"start": "2026-03-25T15:00:00+00:00"},
                         headers={"Authorization": "Bearer " + b["manage_token"]})
    assert r.status == 200, r
    wait_peer(ctx, "the move", lambda: [e for e in ctx.peer.events["google"].values()
                                        if e["start"]["dateTime"].startswith("2026-03-25T15:00:00")])
    assert len(ctx.peer.events["google"]) == 1 and ctx.peer.count("google", "patch") == 1
    # Cancelled: the event goes.
    set_clock(ctx, "2026-03-23T06:02:00Z")
    r = ctx.http.request("POST", "/api/v1/public/bookings/%s/cancel" % b["reference"], body={},
                         headers={"Authorization": "Bearer " + b["manage_token"]})
    assert r.status == 200, r
    wait_peer(ctx, "the delete", lambda: not ctx.peer.events["google"] and ctx.peer.count("google", "delete") == 1)


def booking_id(ctx, b):
    return harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % b["reference"])


def staff_booking(ctx, bid):
    r = ctx.owner.get(ctx.owner.path("/bookings/" + bid))
    assert r.status == 200, r
    return r.json


def test_3c_events_moved_or_deleted_outside_bookd_need_attention(ctx):
    """As with CalDAV: never a silent change or cancel; staff decide, and "keep bookd's
    time" writes bookd's version again."""
    o = ctx.owner
    a = booking_id(ctx, book(ctx, "ann", "2026-03-25T11:00:00+00:00"))
    b = booking_id(ctx, book(ctx, "ann", "2026-03-25T13:00:00+00:00"))

    def event(bid):  # called under ctx.peer.lock
        return next((e for e in ctx.peer.events["google"].values() if e.get("iCalUID") == bid + "@bookd"), None)
    wait_peer(ctx, "both events", lambda: event(a) and event(b))
    resync(ctx, ctx.gid, len(ctx.peer.log))
    assert staff_booking(ctx, a)["calendar_attention"] == [] and staff_booking(ctx, b)["calendar_attention"] == []
    with ctx.peer.lock:
        del ctx.peer.events["google"][event(a)["id"]]
        ev = event(b)
        ev["start"] = {"dateTime": "2026-03-25T16:00:00Z"}
        ev["end"] = {"dateTime": "2026-03-25T17:00:00Z"}
    k = resync(ctx, ctx.gid, len(ctx.peer.log))
    assert k["health"]["needs_attention"] == 2, k
    ja, jb = staff_booking(ctx, a), staff_booking(ctx, b)
    assert [x["what"] for x in ja["calendar_attention"]] == ["deleted"], ja
    assert [x["what"] for x in jb["calendar_attention"]] == ["moved"], jb
    assert ja["status"] == "confirmed" and jb["start"].startswith("2026-03-25T13:00"), (ja, jb)
    # The moved event is not busy time of its own (it is bookd's), nor written over.
    assert "16:00" in starts(ctx, "2026-03-25", "ann")
    resync(ctx, ctx.gid, len(ctx.peer.log))
    with ctx.peer.lock:
        assert event(a) is None and event(b)["start"]["dateTime"] == "2026-03-25T16:00:00Z"
    for bid in (a, b):
        r = o.post(o.path("/bookings/%s/calendar-attention/resolve" % bid))
        assert r.status == 200 and r.json["calendar_attention"] == [], r
    wait_peer(ctx, "bookd's versions again", lambda: event(a) and event(b)["start"]["dateTime"].startswith("2026-03-25T13:00"))
    k = resync(ctx, ctx.gid, len(ctx.peer.log))
    assert k["health"]["needs_attention"] == 0, k
    for bid in (a, b):
        assert o.post(o.path("/bookings/%s/cancel" % bid), body={"reason": "test over"}).status == 200


def test_4_google_token_refreshed_on_expiry_and_when_refused(ctx):
    before = ctx.peer.count("google", "refresh_token")
    # The access token lives an hour: two hours later the round refreshes it first.
    set_clock(ctx, "2026-03-23T08:00:00Z")
    wait_health(ctx.owner, ctx.gid, lambda k: (k["health"]["last_success_at"] or "").startswith("2026-03-23T08"), "a round at 08:00")
    assert ctx.peer.count("google", "refresh_token") == before + 1
    assert ctx.peer.count("google", "401") == 0  # refreshed before, never refused
    # Refused early (the provider ended it): refreshed once, then read.
    ctx.peer.expire_access("google")
    k = resync(ctx, ctx.gid, len(ctx.peer.log))
    assert k["health"]["state"] == "ok", k
    assert ctx.peer.count("google", "refresh_token") == before + 2 and ctx.peer.count("google", "401") == 1


def test_5_microsoft_consent_busy_read_with_paging(ctx):
    o = ctx.owner
    base = 1774429200  # 2026-03-25T09:00:00Z
    ctx.peer.busy["microsoft"] += [(base + i * 7200, base + i * 7200 + 3600) for i in range(3)]  # 09, 11, 13
    got, _ = consent(ctx, o, "microsoft", {"provider_id": "bob", "fail_closed_after_min": 60})
    assert got.status == 303 and "connected=" in got.header("Location"), got
    ctx.mid = got.header("Location").split("=", 1)[1]
    k = wait_health(o, ctx.mid, lambda k: k["health"]["state"] == "ok", "the Microsoft code exchanged")
    assert k["account"] == "bob@contoso.example" and k["health"]["busy_count"] == 3, k
    assert ctx.peer.count("microsoft", "calendarView") >= 2  # three events over two pages
    bob = starts(ctx, "2026-03-25", "bob")
    assert "09:00" not in bob and "11:00" not in bob and "13:00" not in bob and "10:00" in bob, bob
    # A booking of Bob's becomes an event of his Outlook calendar, which the next read (a
    # calendarView that lists it) does not count as busy.
    b = book(ctx, "bob", "2026-03-25T15:00:00+00:00")
    ev = wait_peer(ctx, "the event", lambda: [e for e in ctx.peer.events["microsoft"].values()
                                              if e.get("transactionId", "").endswith("@bookd")])
    assert ev[0]["start"] == {"dateTime": "2026-03-25T15:00:00", "timeZone": "UTC"}, ev
    assert b["reference"] in ev[0]["body"]["content"], ev
    k = resync(ctx, ctx.mid, len(ctx.peer.log))
    assert k["health"]["busy_count"] == 3 and k["health"]["pushed_events"] == 1, k
    # Moved in Outlook: the booking needs attention, and keeps its time.
    with ctx.peer.lock:
        ev[0]["start"] = {"dateTime": "2026-03-25T16:00:00.0000000", "timeZone": "UTC"}
        ev[0]["end"] = {"dateTime": "2026-03-25T17:00:00.0000000", "timeZone": "UTC"}
    k = resync(ctx, ctx.mid, len(ctx.peer.log))
    assert k["health"]["needs_attention"] == 1, k
    got = staff_booking(ctx, booking_id(ctx, b))
    assert [x["what"] for x in got["calendar_attention"]] == ["moved"] and got["start"].startswith("2026-03-25T15:00"), got


def test_6_revoked_grant_needs_credentials_and_tells_the_owner(ctx):
    o = ctx.owner
    ctx.peer.revoke("microsoft")
    k = resync(ctx, ctx.mid, len(ctx.peer.log))
    k = wait_health(o, ctx.mid, lambda k: k["health"]["state"] == "needs_credentials", "the refusal recorded")
    h = k["health"]
    assert h["needs_credentials"] and "invalid_grant" in h["last_error"] and h["alerted_at"], k
    mail = ctx.sink.wait(lambda m: "is not syncing" in str(m["msg"]["Subject"]) and "o@salon.test" in m["to"])
    assert mail, [str(m["msg"]["Subject"]) for m in ctx.sink.messages]
    # Bob's busy time from before stays, and the banner's count says so.
    assert o.get(o.path("/calendar-settings")).json["alerting"] == 1
    # Connected again through a new consent for the same connection: healthy, banner gone.
    got, _ = consent(ctx, o, "microsoft", {"connection_id": ctx.mid})
    assert got.header("Location") == "/admin/calendars?connected=" + ctx.mid, got
    k = wait_health(o, ctx.mid, lambda k: k["health"]["state"] == "ok", "connected again")
    assert k["health"]["alerted_at"] is None and o.get(o.path("/calendar-settings")).json["alerting"] == 0
