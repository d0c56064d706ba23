"""External busy time from an ICS address: a loopback HTTP server (Python's http.server, in
this process) serves a calendar with ETag; bookd's calendar worker reads it and the slot
engine leaves out what it covers. Covered: a weekly event with an EXDATE and a moved
occurrence across the spring DST change in a zone the file defines itself under a name
that is not IANA's, an all-day event, transparent and cancelled events, an invalid event
among valid ones (skipped, counted, the rest still read), an unchanged file answered 304,
a failing server (health shows it, busy time kept, back-off), and a fail-closed provider
whose data goes stale (no slots, reason calendar_stale) until a read succeeds again."""
import http.server
import threading
import time
import urllib.parse

import harness
import staff

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 3600, "price_minor": 4000,
         "providers": ["ann", "bob"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-03-23T06:00:00Z"  # Monday; London changes to summer time on Sunday 29 March
PW = "a long enough password"

VTZ = "\r\n".join([
    "BEGIN:VTIMEZONE", "TZID:My Home Time",
    "BEGIN:STANDARD", "DTSTART:19701025T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:19700329T010000", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "END:VTIMEZONE"])


def event(*lines):
    return "\r\n".join(["BEGIN:VEVENT", "DTSTAMP:20260301T000000Z"] + list(lines) + ["END:VEVENT"])


def calendar(*events):
    return ("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", VTZ] + list(events)
                        + ["END:VCALENDAR"]) + "\r\n").encode()


# Wednesdays 10:00-11:00 "My Home Time" (London's rules under another name) four times from
# 25 March: 1 April excluded, 8 April moved to 14:00, 15 April in summer time.
WEEKLY = [event("UID:weekly", "DTSTART;TZID=My Home Time:20260325T100000",
                "DTEND;TZID=My Home Time:20260325T110000", "RRULE:FREQ=WEEKLY;COUNT=4",
                "EXDATE;TZID=My Home Time:20260401T100000", "SUMMARY:Dentist"),
          event("UID:weekly", "RECURRENCE-ID;TZID=My Home Time:20260408T100000",
                "DTSTART;TZID=My Home Time:20260408T140000", "DTEND;TZID=My Home Time:20260408T150000")]
ALLDAY = event("UID:allday", "DTSTART;VALUE=DATE:20260327", "DTEND;VALUE=DATE:20260328")
FREE = event("UID:free", "DTSTART:20260324T100000Z", "DTEND:20260324T110000Z", "TRANSP:TRANSPARENT")
OFF = event("UID:off", "DTSTART:20260324T120000Z", "DTEND:20260324T130000Z", "STATUS:CANCELLED")
BROKEN = event("UID:broken", "DTSTART:not-a-time", "DTEND:20260324T150000Z")


class Peer:
    """A loopback HTTP server with one calendar file: ETag and If-None-Match, a switch to
    fail with 500, and counts of what it answered."""

    def __init__(self, body):
        self.body, self.fail, self.hits = body, False, []
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                etag = '"%x"' % (hash(peer.body) & 0xFFFFFFFF)
                if peer.fail:
                    peer.hits.append(500)
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.headers.get("If-None-Match") == etag:
                    peer.hits.append(304)
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                else:
                    peer.hits.append(200)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/calendar; charset=utf-8")
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", str(len(peer.body)))
                    self.end_headers()
                    self.wfile.write(peer.body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/private/basic.ics" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@salon.test", "owner", PW)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.http = harness.Client(ctx.srv.port)
    ctx.peer = Peer(calendar(*WEEKLY, ALLDAY, FREE, OFF, BROKEN))
    ctx.clock = NOW


def teardown(ctx):
    ctx.peer.close()


def set_clock(ctx, instant):
    assert ctx.http.post("/api/v1/test/clock", body={"now": instant}).status == 200
    ctx.clock = instant


def conn_path(ctx, cid=""):
    return ctx.owner.path("/calendar-connections" + ("/" + cid if cid else ""))


def wait_attempt(ctx, cid, after_hits, since=None):
    """Waits until the peer was asked again and bookd recorded the outcome (of an attempt made
    at or after `since`, the test clock's instant: the peer's hits may be another
    connection's)."""
    deadline = time.time() + 15
    while time.time() < deadline:
        r = ctx.owner.get(conn_path(ctx, cid))
        assert r.status == 200, r
        h = r.json["health"]
        fresh = since is None or (h["last_attempt_at"] or "")[:19] >= since[:19]
        if len(ctx.peer.hits) > after_hits and h["state"] != "pending" and h["last_attempt_at"] and h["next_attempt_at"] > h["last_attempt_at"] and fresh:
            return r.json
        time.sleep(0.05)
    raise AssertionError("no read recorded: %r %r" % (ctx.peer.hits, r.json))


def starts(ctx, day, provider="ann"):
    q = urllib.parse.urlencode({"service": "cut", "from": day, "to": day, "provider": provider})
    r = ctx.http.get("/api/v1/public/%s/availability?%s" % (SLUG, q))
    assert r.status == 200, r
    return [s["start"][11:16] for d in r.json["days"] for s in d["slots"]]


def why(ctx, start, provider="ann"):
    q = urllib.parse.urlencode({"service": "cut", "start": start, "provider": provider})
    r = ctx.owner.get(ctx.owner.path("/availability/explain?" + q))
    assert r.status == 200, r
    return r.json["reason"]


def test_1_a_served_calendar_blocks_its_slots(ctx):
    o = ctx.owner
    before = starts(ctx, "2026-03-25")
    assert "10:00" in before
    r = o.post(conn_path(ctx), body={"url": ctx.peer.url, "provider_id": "ann", "name": "Ann's phone",
                                     "poll_interval_s": 600})
    assert r.status == 201, r
    c = r.json
    ctx.cid = c["id"]
    # The address may hold its owner's secret: only scheme and host come back.
    assert c["url_hint"] == ctx.peer.url[:ctx.peer.url.index("/private")] and "private" not in r.body
    got = wait_attempt(ctx, ctx.cid, 0)
    h = got["health"]
    assert h["state"] == "ok" and h["last_error"] is None and h["failures"] == 0, got
    assert h["skipped_events"] == 1  # the invalid event, skipped, the rest read
    assert h["busy_count"] == 4, got  # 25 Mar, 8 Apr (moved), 15 Apr, 27 Mar (all day)
    assert ctx.peer.hits == [200]

    assert starts(ctx, "2026-03-25") == [t for t in before if t != "10:00"]
    assert why(ctx, "2026-03-25T10:00:00+00:00") == "external_busy"
    assert why(ctx, "2026-03-25T10:00:00+00:00", provider="bob") == "offered"
    assert "10:00" in starts(ctx, "2026-03-25", provider="bob")
    assert "10:00" in starts(ctx, "2026-04-01")  # excluded occurrence
    apr8 = starts(ctx, "2026-04-08")
    assert "10:00" in apr8 and "14:00" not in apr8  # moved occurrence
    # Summer time: 10:00 local is 09:00Z, the slot at 10:00 BST is the one taken.
    apr15 = starts(ctx, "2026-04-15")
    assert "10:00" not in apr15 and "09:00" in apr15 and "11:00" in apr15, apr15
    assert starts(ctx, "2026-03-27") == []  # all day
    assert "10:00" in starts(ctx, "2026-03-24") and "12:00" in starts(ctx, "2026-03-24")  # free, cancelled
    # A booking inside external busy time is refused with the engine's reason.
    r = ctx.http.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "cut", "start": "2026-03-25T10:00:00+00:00", "provider": "ann",
        "customer": {"name": "Al", "email": "al@example.com"}})
    assert r.status == 409, r


def test_2_unchanged_file_is_304_and_changes_are_read(ctx):
    hits = len(ctx.peer.hits)
    set_clock(ctx, "2026-03-23T06:11:00Z")  # past the 600 s poll interval
    got = wait_attempt(ctx, ctx.cid, hits, since="2026-03-23T06:11:00Z")
    assert ctx.peer.hits[hits:] == [304], ctx.peer.hits
    assert got["health"]["state"] == "ok" and got["health"]["busy_count"] == 4
    assert got["health"]["last_success_at"].startswith("2026-03-23T06:11")
    assert starts(ctx, "2026-03-27") == []
    # The owner moves the all-day event to Thursday.
    ctx.peer.body = calendar(*WEEKLY, event("UID:allday", "DTSTART;VALUE=DATE:20260326",
                                            "DTEND;VALUE=DATE:20260327"))
    hits = len(ctx.peer.hits)
    set_clock(ctx, "2026-03-23T06:22:00Z")
    got = wait_attempt(ctx, ctx.cid, hits, since="2026-03-23T06:22:00Z")
    assert ctx.peer.hits[hits:] == [200]
    assert got["health"]["skipped_events"] == 0
    assert starts(ctx, "2026-03-26") == [] and len(starts(ctx, "2026-03-27")) == 8


def test_3_failures_back_off_keep_busy_time_and_fail_closed_goes_stale(ctx):
    o = ctx.owner
    # Fail closed for Bob: his slots go when his calendar's data is 5 minutes old.
    hits = len(ctx.peer.hits)
    r = o.post(conn_path(ctx), body={"url": ctx.peer.url, "provider_id": "bob", "poll_interval_s": 60,
                                     "fail_closed_after_min": 5})
    assert r.status == 201, r
    bob = r.json["id"]
    assert r.json["fail_closed_after_min"] == 5
    wait_attempt(ctx, bob, hits)
    bob25 = starts(ctx, "2026-03-25", provider="bob")
    assert "10:00" not in bob25 and "11:00" in bob25  # the same file now blocks Bob too
    ctx.peer.fail = True
    hits = len(ctx.peer.hits)
    set_clock(ctx, "2026-03-23T06:40:00Z")
    got = wait_attempt(ctx, bob, hits, since="2026-03-23T06:40:00Z")
    h = got["health"]
    assert h["state"] == "stale" and h["failures"] == 1 and "HTTP 500" in h["last_error"], got
    assert h["next_attempt_at"] > "2026-03-23T06:40:4"  # back-off of about a minute
    assert starts(ctx, "2026-03-25", provider="bob") == []
    assert why(ctx, "2026-03-25T11:00:00+00:00", provider="bob") == "calendar_stale"
    # Ann's connection fails open: its busy time stays, her other slots stay offered.
    ann = wait_attempt(ctx, ctx.cid, 0)
    assert ann["health"]["state"] == "failing" and ann["health"]["busy_count"] == 4
    assert starts(ctx, "2026-03-26") == []
    ann25 = starts(ctx, "2026-03-25")
    assert "10:00" not in ann25 and "11:00" in ann25
    # A second failure doubles the wait.
    hits = len(ctx.peer.hits)
    set_clock(ctx, "2026-03-23T06:42:00Z")
    got = wait_attempt(ctx, bob, hits, since="2026-03-23T06:42:00Z")
    assert got["health"]["failures"] == 2, got
    # The server recovers: the next read clears the error and Bob is offered again.
    ctx.peer.fail = False
    set_clock(ctx, "2026-03-23T07:00:00Z")
    deadline = time.time() + 15
    while time.time() < deadline:
        got = o.get(conn_path(ctx, bob)).json
        if got["health"]["state"] == "ok":
            break
        time.sleep(0.05)
    assert got["health"]["state"] == "ok" and got["health"]["failures"] == 0, got
    assert "10:00" not in starts(ctx, "2026-03-25", provider="bob")  # the same file: busy
    assert "11:00" in starts(ctx, "2026-03-25", provider="bob")


def test_4_validation_resync_and_delete(ctx):
    o = ctx.owner
    r = o.post(conn_path(ctx), body={"url": "file:///etc/passwd", "provider_id": "ann", "resource_id": "x",
                                     "poll_interval_s": 5, "kind": "gopher", "x": 1})
    assert r.status in (400, 422), r
    assert {e["field"] for e in r.json["errors"]} == {"url", "resource_id", "poll_interval_s", "kind", "x"}, r.json
    r = o.post(conn_path(ctx), body={"url": ctx.peer.url, "provider_id": "nobody"})
    assert r.status in (400, 422) and [e["field"] for e in r.json["errors"]] == ["provider_id"], r
    lst = o.get(conn_path(ctx)).json["connections"]
    assert {c["provider_id"] for c in lst} == {"ann", "bob"} and all("url" not in c for c in lst)
    hits = len(ctx.peer.hits)
    r = o.post(conn_path(ctx, ctx.cid + "/resync"))
    assert r.status == 202, r
    deadline = time.time() + 15  # validators dropped: a full read
    while 200 not in ctx.peer.hits[hits:] and time.time() < deadline:
        time.sleep(0.05)
    assert 200 in ctx.peer.hits[hits:], ctx.peer.hits[hits:]
    wait_attempt(ctx, ctx.cid, hits)
    assert o.request("DELETE", conn_path(ctx, ctx.cid)).status == 204
    assert o.get(conn_path(ctx, ctx.cid)).status == 404
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM external_busy WHERE connection_id = '%s'" % ctx.cid) == "0"
    assert "10:00" in starts(ctx, "2026-03-25")  # Ann's busy time went with it
    assert o.request("DELETE", conn_path(ctx, ctx.cid)).status == 404
