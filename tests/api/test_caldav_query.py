"""CalDAV against a server without sync-collection: a loopback proxy in front of a real
Radicale answers every sync-collection REPORT 403 (DAV:supported-report), so bookd reads
busy time with a time-range calendar-query instead, every round in full: an external event
blocks its slot, bookd's own pushed event does not, and one of ours deleted in the calendar
still marks its booking."""
import http.client
import http.server
import threading
import time
import urllib.parse

import harness
import radicale
import staff

SLUG = "nosync"
FIXTURE = {
    "business": {"slug": SLUG, "name": "No Sync", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 3600,
                  "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-03-23T06:00:00Z"
PW = "a long enough password"


class NoSyncProxy:
    """Forwards every request to Radicale except sync-collection REPORTs; counts both kinds."""

    def __init__(self, port):
        self.refused, self.queries = 0, 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else None
                if self.command == "REPORT" and body and b"sync-collection" in body:
                    proxy.refused += 1
                    out = (b'<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:supported-report/>'
                           b'</D:error>')
                    self.send_response(403)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                    return
                if self.command == "REPORT" and body and b"calendar-query" in body:
                    proxy.queries += 1
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                c.request(self.command, self.path, body=body, headers=hdrs)
                r = c.getresponse()
                data = r.read()
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                c.close()

            do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = handle_one

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@nosync.test", "owner", PW)
    ctx.dav = radicale.Radicale({"ann": "pw"})
    ctx.cal = ctx.dav.mkcalendar("ann", "work")
    ctx.proxy = NoSyncProxy(ctx.dav.port)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@nosync.test", PW)
    ctx.http = harness.Client(ctx.srv.port)


def teardown(ctx):
    ctx.proxy.close()
    ctx.dav.close()


def starts(ctx, day):
    q = urllib.parse.urlencode({"service": "cut", "from": day, "to": day, "provider": "ann"})
    r = ctx.http.get("/api/v1/public/%s/availability?%s" % (SLUG, q))
    assert r.status == 200, r
    return [s["start"][11:16] for d in r.json["days"] for s in d["slots"]]


def wait(what, fn):
    deadline = time.time() + 20
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def test_calendar_query_when_sync_collection_is_refused(ctx):
    o = ctx.owner
    st, _, _ = ctx.dav.put("ann", ctx.cal + "ext.ics", "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:ext-1",
        "DTSTAMP:20260301T000000Z", "DTSTART:20260325T140000Z", "DTEND:20260325T150000Z",
        "END:VEVENT", "END:VCALENDAR", ""]))
    assert st == 201
    r = ctx.http.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "cut", "start": "2026-03-25T10:00:00+00:00", "provider": "ann",
        "customer": {"name": "Q", "email": "q@example.com"}})
    assert r.status == 201, r
    bid = harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % r.json["reference"])
    r = o.post(o.path("/calendar-connections"), body={
        "kind": "caldav", "url": ctx.proxy.url + ctx.cal, "username": "ann", "password": "pw",
        "provider_id": "ann", "poll_interval_s": 600})
    assert r.status == 201, r
    cid = r.json["id"]
    href = ctx.cal + bid + ".ics"
    wait("the push", lambda: href in ctx.dav.events("ann", ctx.cal))
    h = wait("a good round", lambda: (lambda h: h if h["state"] == "ok" and h["busy_count"] == 1 else None)(
        o.get(o.path("/calendar-connections/" + cid)).json["health"]))
    assert ctx.proxy.refused >= 1 and ctx.proxy.queries >= 1
    assert harness.query(ctx.db_url, "SELECT COALESCE(sync_token, 'none') FROM calendar_connections") == "none"
    day = starts(ctx, "2026-03-25")
    assert "14:00" not in day and "10:00" not in day and "11:00" in day, day
    # Ours is not busy time: only the external event's interval is stored.
    assert harness.query(ctx.db_url, "SELECT uid FROM external_busy") == "ext-1"
    # Deleted in the calendar: the next full read marks the booking.
    assert ctx.dav.delete("ann", href)[0] in (200, 204)
    assert ctx.http.post("/api/v1/test/clock", body={"now": "2026-03-23T06:11:00Z"}).status == 200
    att = wait("the attention", lambda: o.get(o.path("/bookings/" + bid)).json["calendar_attention"])
    assert [a["what"] for a in att] == ["deleted"], att
    assert h["last_error"] is None
