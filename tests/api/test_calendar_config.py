"""Calendar connections and feeds in the configuration document (`bookd export`/`import`,
GET/PUT …/config) without any secret: an ICS address, a CalDAV password, OAuth tokens and a
feed's token never appear; imported connections come back needing credentials and are not
read until they get them; imported feeds need a new address before anyone can read them;
export → import → export round-trips; PUT replaces the section; bad rows are refused at
their JSON path."""
import http.server
import json
import os
import threading
import time

import harness
import staff

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "resources": [{"id": "room", "name": "Room", "capacity": 1}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "price_minor": 4000, "providers": ["ann"]}],
}
NOW = "2026-03-23T06:00:00Z"
PW = "a long enough password"
CAL = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n"
SECRET = "pr1vate-t0ken-in-the-address"


class Peer:
    def __init__(self):
        self.hits = 0
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                peer.hits += 1
                self.send_response(200)
                self.send_header("Content-Length", str(len(CAL)))
                self.end_headers()
                self.wfile.write(CAL)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/%s/basic.ics" % (self.httpd.server_address[1], SECRET)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@salon.test", "owner", PW)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.peer = Peer()


def teardown(ctx):
    ctx.peer.httpd.shutdown()


def wait_state(client, cid, state):
    deadline = time.time() + 15
    while time.time() < deadline:
        got = client.get(client.path("/calendar-connections/" + cid)).json
        if got["health"]["state"] == state:
            return got
        time.sleep(0.05)
    raise AssertionError("not %s: %r" % (state, got))


def export_cli(ctx, slug):
    return json.loads(harness.bookd("export", "--db", ctx.db_url, "--business", slug).stdout)


def test_1_export_has_no_secret_and_import_needs_credentials(ctx):
    o = ctx.owner
    r = o.post(o.path("/calendar-connections"), body={"url": ctx.peer.url, "provider_id": "ann", "name": "Ann's phone",
                                                      "fail_closed_after_min": 10, "poll_interval_s": 600})
    assert r.status == 201, r
    ctx.cid = r.json["id"]
    wait_state(o, ctx.cid, "ok")
    feeds = []
    for body in ({"scope": "provider", "subject_id": "ann", "name": "Ann's bookings"},
                 {"scope": "resource", "subject_id": "room", "detail": "free_busy", "past_days": 7, "future_days": 90},
                 {"scope": "business", "detail": "free_busy"}):
        r = o.post(o.path("/calendar-feeds"), body=body)
        assert r.status == 201, r
        feeds.append(r.json)
    assert o.put(o.path("/calendar-settings"), body={"alert_after_min": 45}).status == 200

    doc = export_cli(ctx, SLUG)
    assert o.get(o.path("/config")).json == doc  # the API answers the same document
    text = json.dumps(doc)
    assert SECRET not in text and "127.0.0.1" not in text
    for f in feeds:
        assert f["token"] not in text and f["token"].split(".")[-1] not in text
    assert "token" not in text and "hint" not in text and "password" not in text
    cal = doc["calendar"]
    assert cal["alert_after_min"] == 45
    assert cal["connections"] == [{"id": ctx.cid, "kind": "ics", "provider_id": "ann", "name": "Ann's phone",
                                   "push": False, "poll_interval_s": 600, "fail_closed_after_min": 10}], cal
    assert sorted((f["id"], f["scope"], f["subject_id"], f["detail"], f["past_days"], f["future_days"]) for f in cal["feeds"]) == \
        sorted([(f["id"], f["scope"], f["subject_id"], f["detail"], f["past_days"], f["future_days"]) for f in feeds])

    # Imported under another slug: the connection needs credentials and is not read.
    doc["business"]["slug"] = "salon-two"
    hits = ctx.peer.hits
    harness.import_doc(ctx.db_url, doc)
    staff.make_user(ctx, "salon-two", "o@two.test", "owner", PW)
    two = staff.login(ctx, "salon-two", "o@two.test", PW)
    conns = two.get(two.path("/calendar-connections")).json["connections"]
    assert len(conns) == 1, conns
    k = conns[0]
    h = k["health"]
    assert k["id"] == ctx.cid and k["url_hint"] == "" and k["fail_closed_after_min"] == 10
    assert h["state"] == "needs_credentials" and h["needs_credentials"] and h["next_attempt_at"] is None, k
    assert two.get(two.path("/calendar-settings")).json["alert_after_min"] == 45
    time.sleep(1.2)  # a pass of the calendar worker
    assert ctx.peer.hits == hits
    # Its feeds exist, but no address leads to them until a new one is made.
    tfeeds = two.get(two.path("/calendar-feeds")).json["feeds"]
    assert sorted(f["id"] for f in tfeeds) == sorted(f["id"] for f in feeds)
    old = feeds[0]["token"].split(".")
    stolen = "%s.%s.%s" % (harness.query(ctx.db_url, "SELECT id FROM businesses WHERE slug = 'salon-two'"), old[1], old[2])
    http = harness.Client(ctx.srv.port)
    assert http.get("/api/v1/public/calendar-feeds/%s/feed.ics" % stolen).status == 404
    r = two.post(two.path("/calendar-feeds/%s/rotate" % feeds[0]["id"]))
    assert r.status == 200, r
    assert http.get("/api/v1/public/calendar-feeds/%s/feed.ics" % r.json["token"]).status == 200
    # Round trip: the new business's export is the document but for the slug.
    again = export_cli(ctx, "salon-two")
    assert again == doc, (again, doc)
    # Given its address again, it is read at once.
    r = two.patch(two.path("/calendar-connections/" + ctx.cid), body={"url": ctx.peer.url})
    assert r.status == 200 and r.json["health"]["state"] == "stale" and not r.json["health"]["needs_credentials"], r
    wait_state(two, ctx.cid, "ok")
    assert ctx.peer.hits > hits


def test_2_put_replaces_the_section(ctx):
    o = ctx.owner
    doc = o.get(o.path("/config")).json
    cal = doc["calendar"]
    cal["alert_after_min"] = 120
    cal["connections"][0]["name"] = "Renamed"
    cal["connections"].append({"id": "cal_new", "kind": "caldav", "resource_id": "room",
                               "url": "https://dav.example/cal/room/", "username": "room"})
    gone = cal["feeds"].pop()
    cal["feeds"][0]["name"] = "Relabelled"
    r = o.put(o.path("/config"), body=doc)
    assert r.status == 200, r
    got = r.json["calendar"]
    assert got["alert_after_min"] == 120
    assert {k["id"]: k["name"] for k in got["connections"]} == {ctx.cid: "Renamed", "cal_new": ""}
    new = o.get(o.path("/calendar-connections/cal_new")).json
    assert new["kind"] == "caldav" and new["health"]["needs_credentials"], new
    # Its password given again: sealed, and a read is asked for at once.
    r = o.patch(o.path("/calendar-connections/cal_new"), body={"password": "s3cret-pw", "username": "room2"})
    assert r.status == 200 and not r.json["health"]["needs_credentials"] and r.json["username"] == "room2", r
    assert r.json["health"]["next_attempt_at"] is not None and "s3cret" not in r.body
    box = harness.query(ctx.db_url, "SELECT secret_box FROM calendar_connections WHERE id = 'cal_new'")
    assert box.startswith("v1:") and "s3cret" not in box
    # The existing connection keeps its address and health: only its settings changed.
    kept = o.get(o.path("/calendar-connections/" + ctx.cid)).json
    assert kept["name"] == "Renamed" and kept["health"]["state"] == "ok" and kept["url_hint"].startswith("http://127.0.0.1")
    assert gone["id"] not in [f["id"] for f in got["feeds"]]
    assert {f["id"]: f["name"] for f in got["feeds"]}[cal["feeds"][0]["id"]] == "Relabelled"
    # Without the section, a PUT leaves calendars alone.
    del doc["calendar"]
    assert o.put(o.path("/config"), body=doc).status == 200
    assert len(o.get(o.path("/calendar-connections")).json["connections"]) == 2
    # Leaving the connections out deletes them.
    doc["calendar"] = {"connections": [], "feeds": cal["feeds"]}
    assert o.put(o.path("/config"), body=doc).status == 200
    assert o.get(o.path("/calendar-connections")).json["connections"] == []


def test_3_bad_rows_are_refused_at_their_path(ctx):
    o = ctx.owner
    doc = o.get(o.path("/config")).json
    doc["calendar"] = {
        "alert_after_min": 0,
        "connections": [
            {"kind": "ics", "provider_id": "ann", "url": "https://calendar.example/secret.ics"},
            {"kind": "caldav", "provider_id": "ann", "url": "https://u:p@dav.example/"},
            {"kind": "gopher", "provider_id": "nobody", "password": "x"},
        ],
        "feeds": [{"scope": "customer", "subject_id": "cus_1"}, {"scope": "provider", "subject_id": "bob"}],
    }
    r = o.put(o.path("/config"), body=doc)
    assert r.status == 422, r
    fields = sorted(e["field"] for e in r.json["errors"])
    assert fields == sorted(["calendar.alert_after_min", "calendar.connections[0].url", "calendar.connections[1].url",
                             "calendar.connections[2].kind", "calendar.connections[2].provider_id",
                             "calendar.connections[2].password", "calendar.feeds[0].scope",
                             "calendar.feeds[1].subject_id"]), fields
    # bookd import refuses the same document, naming the same paths, and writes nothing.
    doc["business"]["slug"] = "salon-three"
    path = os.path.join(ctx.tmp if hasattr(ctx, "tmp") else "/tmp", "bad-calendar-%d.json" % os.getpid())
    with open(path, "w") as f:
        json.dump(doc, f)
    try:
        p = harness.bookd("import", "--db", ctx.db_url, "--file", path, check=False)
    finally:
        os.unlink(path)
    assert p.returncode != 0 and "calendar.connections[0].url" in p.stdout + p.stderr, (p.stdout, p.stderr)
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM businesses WHERE slug = 'salon-three'") == "0"
