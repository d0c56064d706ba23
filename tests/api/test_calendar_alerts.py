"""Owner alerts about failing calendar connections, read from a real SMTP sink: a connection
failing for longer than the business's threshold tells every owner (not admins) once; later
failures tell nobody; a success ends the failure, so the next one tells them again; a peer
refusing the credentials (401) tells them at once and the health says so. The threshold is
a setting (default 60 minutes) beside the count of connections the owners were told of,
which the dashboard's banner shows. A connection's label, fail-closed minutes and ICS
address change with PATCH."""
import http.server
import threading
import time

import harness
import staff
from sinks import SmtpSink

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "price_minor": 4000, "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-03-23T06:00:00Z"
PW = "a long enough password"
CAL = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n"


class Peer:
    """A calendar address that answers 200, 500 or 401 as told."""

    def __init__(self):
        self.code, self.hits = 500, []
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                peer.hits.append(peer.code)
                self.send_response(peer.code)
                body = CAL if peer.code == 200 else b""
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/private/secret.ics" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@salon.test", "owner", PW)
    staff.make_user(ctx, SLUG, "o2@salon.test", "owner", PW)
    staff.make_user(ctx, SLUG, "a@salon.test", "admin", PW)
    ctx.sink = SmtpSink()
    ctx.srv = ctx.server(test_clock=NOW, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "cal@salon.test", "--public-url", "https://salon.test"])
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.http = harness.Client(ctx.srv.port)
    ctx.peer = Peer()


def teardown(ctx):
    ctx.peer.httpd.shutdown()


def set_clock(ctx, instant):
    assert ctx.http.post("/api/v1/test/clock", body={"now": instant}).status == 200


def conn(ctx, cid=""):
    return ctx.owner.path("/calendar-connections" + ("/" + cid if cid else ""))


def attempt_at(ctx, cid, instant):
    """Moves the clock to instant and waits for the attempt made then."""
    hits = len(ctx.peer.hits)
    set_clock(ctx, instant)
    deadline = time.time() + 15
    while time.time() < deadline:
        got = ctx.owner.get(conn(ctx, cid)).json
        h = got["health"]
        if len(ctx.peer.hits) > hits and (h["last_attempt_at"] or "")[:16] == instant[:16] and \
                h["next_attempt_at"] > h["last_attempt_at"]:
            return got
        time.sleep(0.05)
    raise AssertionError("no attempt at %s: %r\n%s" % (instant, got, "\n".join(l for l in ctx.srv.read_log().splitlines() if "event=request" not in l)[-3000:]))


def alerts(ctx):
    return [m for m in ctx.sink.messages if "is not syncing" in str(m["msg"]["Subject"])]


def wait_alerts(ctx, n):
    deadline = time.time() + 15
    while time.time() < deadline and len(alerts(ctx)) < n:
        time.sleep(0.05)
    time.sleep(0.3)  # and no more than n
    got = alerts(ctx)
    assert len(got) == n, [(m["to"], str(m["msg"]["Subject"])) for m in got]
    return got


def text_of(m):
    return m["msg"].get_body(preferencelist=("plain",)).get_content()


def test_1_settings_default_and_validation(ctx):
    o = ctx.owner
    r = o.get(o.path("/calendar-settings"))
    assert r.status == 200 and r.json == {"alert_after_min": 60, "alerting": 0}, r
    for bad in ({"alert_after_min": 0}, {"alert_after_min": "x"}, {}, {"alert_after_min": 30, "x": 1}):
        r = o.put(o.path("/calendar-settings"), body=bad)
        assert r.status == 422 and r.json["errors"], (bad, r)
    r = o.put(o.path("/calendar-settings"), body={"alert_after_min": 30})
    assert r.status == 200 and r.json["alert_after_min"] == 30, r
    # Staff of the admin role may read and change it too; the staff role may not.
    admin = staff.login(ctx, SLUG, "a@salon.test", PW)
    assert admin.get(admin.path("/calendar-settings")).json["alert_after_min"] == 30


def test_2_a_long_failure_tells_each_owner_once(ctx):
    o = ctx.owner
    r = o.post(conn(ctx), body={"url": ctx.peer.url, "provider_id": "ann", "name": "Ann's phone",
                                "poll_interval_s": 60})
    assert r.status == 201, r
    ctx.cid = cid = r.json["id"]
    deadline = time.time() + 15
    while time.time() < deadline and o.get(conn(ctx, cid)).json["health"]["state"] == "pending":
        time.sleep(0.05)
    got = o.get(conn(ctx, cid)).json
    h = got["health"]
    assert h["state"] == "failing" and h["failing_since"].startswith("2026-03-23T06:00"), got
    assert h["alerted_at"] is None and not h["needs_credentials"]
    got = attempt_at(ctx, cid, "2026-03-23T06:20:00Z")  # 20 minutes: under the 30 set
    assert got["health"]["alerted_at"] is None and got["health"]["failing_since"].startswith("2026-03-23T06:00")
    wait_alerts(ctx, 0)
    got = attempt_at(ctx, cid, "2026-03-23T06:31:00Z")
    assert got["health"]["alerted_at"].startswith("2026-03-23T06:31"), got
    mails = wait_alerts(ctx, 2)
    assert sorted(m["to"][0] for m in mails) == ["o2@salon.test", "o@salon.test"]  # not the admin
    body = text_of(mails[0])
    assert "Ann's phone (Ann)" in body and "HTTP 500" in body and "https://salon.test/admin/calendars" in body
    assert "2026-03-23 06:00" in body and "private" not in body and "secret" not in body
    assert o.get(o.path("/calendar-settings")).json["alerting"] == 1
    # Later failures tell nobody again.
    attempt_at(ctx, cid, "2026-03-23T08:00:00Z")
    attempt_at(ctx, cid, "2026-03-23T10:00:00Z")
    wait_alerts(ctx, 2)
    # Recovery ends the failure: the banner goes, and a new failure tells them again.
    ctx.peer.code = 200
    got = attempt_at(ctx, cid, "2026-03-23T12:00:00Z")
    h = got["health"]
    assert h["state"] == "ok" and h["alerted_at"] is None and h["failing_since"] is None, got
    assert o.get(o.path("/calendar-settings")).json["alerting"] == 0
    ctx.peer.code = 500
    attempt_at(ctx, cid, "2026-03-23T12:10:00Z")
    wait_alerts(ctx, 2)
    attempt_at(ctx, cid, "2026-03-23T12:50:00Z")
    wait_alerts(ctx, 4)


def test_3_refused_credentials_tell_at_once(ctx):
    o = ctx.owner
    ctx.peer.code = 200
    attempt_at(ctx, ctx.cid, "2026-03-23T14:00:00Z")
    wait_alerts(ctx, 4)
    ctx.peer.code = 401
    got = attempt_at(ctx, ctx.cid, "2026-03-23T14:10:00Z")
    h = got["health"]
    assert h["state"] == "needs_credentials" and h["needs_credentials"] and "HTTP 401" in h["last_error"], got
    assert h["alerted_at"] is not None
    mails = wait_alerts(ctx, 6)
    assert "refused" in text_of(mails[-1])
    # A new secret address is the new credentials: the next read is at once and succeeds.
    ctx.peer.code = 200
    hits = len(ctx.peer.hits)
    r = o.patch(conn(ctx, ctx.cid), body={"url": ctx.peer.url + "?new"})
    assert r.status == 200 and not r.json["health"]["needs_credentials"], r
    deadline = time.time() + 15
    while time.time() < deadline and (len(ctx.peer.hits) == hits or o.get(conn(ctx, ctx.cid)).json["health"]["state"] != "ok"):
        time.sleep(0.05)
    h = o.get(conn(ctx, ctx.cid)).json["health"]
    assert h["state"] == "ok" and h["alerted_at"] is None, h


def test_4_patch(ctx):
    o = ctx.owner
    r = o.patch(conn(ctx, ctx.cid), body={"name": "Front desk", "fail_closed_after_min": 15, "poll_interval_s": 300})
    assert r.status == 200, r
    assert r.json["name"] == "Front desk" and r.json["fail_closed_after_min"] == 15 and r.json["poll_interval_s"] == 300
    assert "new" not in r.body and "private" not in r.body
    r = o.patch(conn(ctx, ctx.cid), body={"fail_closed_after_min": None})
    assert r.status == 200 and r.json["fail_closed_after_min"] is None and r.json["name"] == "Front desk", r
    r = o.patch(conn(ctx, ctx.cid), body={"url": "file:///etc/passwd", "kind": "caldav", "poll_interval_s": 1})
    assert r.status == 422, r
    fields = sorted(e["field"] for e in r.json["errors"])
    assert fields == ["kind", "poll_interval_s", "url"], fields
    assert o.patch(conn(ctx, "cal_nothing"), body={"name": "x"}).status == 404
    r = o.patch(conn(ctx, ctx.cid), body={"password": "pw"})  # an ICS address has none
    assert r.status == 422 and [e["field"] for e in r.json["errors"]] == ["password"], r
