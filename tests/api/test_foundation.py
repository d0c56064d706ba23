"""The server's foundation: health, errors, request ids, keep-alive, metrics, limits,
the test clock, the CLI's usage errors and a clean SIGTERM."""
import json
import socket
import subprocess
import time

import harness


METRICS_TOKEN = "a-metrics-token-for-tests"


def setup(ctx):
    ctx.bookd("demo", "--db", ctx.db_url)
    ctx.srv = ctx.server(env={"BOOKD_METRICS_TOKEN": METRICS_TOKEN})
    ctx.c = ctx.srv.client


def test_healthz_checks_database(ctx):
    r = ctx.c.get("/healthz")
    assert r.status == 200, r
    assert r.json == {"status": "ok", "database": "ok"}
    assert r.header("Content-Type") == "application/json"


def test_request_id_on_every_response(ctx):
    a = ctx.c.get("/healthz").header("X-Request-Id")
    b = ctx.c.get("/nope").header("X-Request-Id")
    assert a and b and a != b and len(a) >= 16
    # A sane incoming id is kept so a request can be traced across services.
    r = ctx.c.get("/healthz", headers={"X-Request-Id": "trace-12345678"})
    assert r.header("X-Request-Id") == "trace-12345678"
    r = ctx.c.get("/healthz", headers={"X-Request-Id": "bad id with spaces"})
    assert r.header("X-Request-Id") != "bad id with spaces"


def test_unknown_route_is_problem_json(ctx):
    r = ctx.c.get("/api/v1/nothing/here")
    assert r.status == 404
    assert r.header("Content-Type") == "application/problem+json"
    p = r.json
    assert p["status"] == 404 and p["title"] == "Not Found"
    assert p["instance"] == "/api/v1/nothing/here"
    assert p["request_id"] == r.header("X-Request-Id")


def test_wrong_method_is_405(ctx):
    r = ctx.c.post("/healthz", body={})
    assert r.status == 405, r
    assert r.header("Content-Type") == "application/problem+json"


def test_unknown_business_is_404(ctx):
    r = ctx.c.get("/api/v1/public/no-such-shop")
    assert r.status == 404 and "no-such-shop" in r.json["detail"]


def test_keep_alive_serves_many_requests_on_one_connection(ctx):
    s = socket.create_connection(("127.0.0.1", ctx.srv.port))
    s.settimeout(5)
    f = s.makefile("rb")
    for i in range(50):
        path = "/healthz" if i % 2 == 0 else "/api/v1/public/demo"
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
        status = f.readline()
        assert status.startswith(b"HTTP/1.1 200"), status
        length = None
        while True:
            line = f.readline()
            if line in (b"\r\n", b""):
                break
            k, _, v = line.decode().partition(":")
            if k.lower() == "content-length":
                length = int(v)
            assert not (k.lower() == "connection" and "close" in v.lower()), "server closed keep-alive"
        body = f.read(length)
        assert len(body) == length
    s.close()


def test_body_limit_is_413(ctx):
    big = "x" * (1100 * 1024)
    c = ctx.srv.new_client()
    r = c.request("POST", "/api/v1/public/demo/holds", raw=big.encode(),
                  headers={"Content-Type": "application/json"})
    assert r.status == 413, r
    c.close()


def test_metrics_count_requests_per_route(ctx):
    for _ in range(3):
        ctx.c.get("/api/v1/public/demo/services")
    text = ctx.c.get("/metrics", headers={"Authorization": "Bearer " + METRICS_TOKEN}).body
    line = [l for l in text.splitlines()
            if l.startswith('bookd_http_requests_total{method="GET",route="/api/v1/public/{business}/services",code="2xx"}')]
    assert line and int(line[0].split()[-1]) >= 3, text
    assert "bookd_http_request_duration_seconds_bucket" in text
    assert "bookd_db_seconds_total" in text
    assert "bookd_http_errors_total" in text


def test_test_clock_route_absent_without_flag(ctx):
    r = ctx.c.post("/api/v1/test/clock", body={"now": "2030-01-01T00:00:00Z"})
    assert r.status == 404


def test_test_clock_moves_now(ctx):
    srv = ctx.server(test_clock="2026-03-01T10:00:00Z")
    assert "test clock is on" in srv.read_log()
    r = srv.client.post("/api/v1/test/clock", body={"now": "2026-03-02T08:30:00+01:00"})
    assert r.status == 200, r
    assert r.json["now_epoch"] == 1772436600
    r = srv.client.post("/api/v1/test/clock", body={"now": "yesterday"})
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "now"
    r = srv.client.request("POST", "/api/v1/test/clock", raw=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert r.status == 400 and "malformed JSON" in r.json["detail"]
    assert srv.stop() == 0


def test_sigterm_stops_cleanly(ctx):
    srv = ctx.server()
    assert srv.client.get("/healthz").status == 200
    assert srv.stop() == 0
    assert "stopped cleanly" in srv.read_log()


def test_access_log_line_per_request(ctx):
    ctx.c.get("/api/v1/public/demo", headers={"X-Request-Id": "logcheck-0001"})
    ctx.c.get("/healthz")  # the line is written when the exchange completes
    for _ in range(100):
        lines = [l for l in ctx.srv.read_log().splitlines() if "id=logcheck-0001" in l]
        if lines:
            break
        time.sleep(0.01)
    assert len(lines) == 1, lines
    assert "event=request" in lines[0] and "status=200" in lines[0]
    assert "route=/api/v1/public/{business}" in lines[0] and "dur_ms=" in lines[0]


def test_cli_usage_errors_exit_2(ctx):
    p = harness.bookd("serve", "--bogus", check=False)
    assert p.returncode == 2 and "unknown flag" in p.stderr and p.stderr.count("\n") == 1
    p = harness.bookd("migrate", "--db", "mysql://x", check=False)
    assert p.returncode == 2 and p.stderr.count("\n") == 1, p.stderr
    p = harness.bookd("serve", "--listen", "nowhere", check=False)
    assert p.returncode == 2, p.stderr
    p = harness.bookd("frobnicate", check=False)
    assert p.returncode == 2
    for cmd in ("serve", "migrate", "demo", "import", "version"):
        p = harness.bookd(cmd, "--help", check=False)
        assert p.returncode == 0 and "usage: bookd " + cmd in p.stdout, (cmd, p.stdout)
    p = harness.bookd("version")
    assert p.stdout.startswith("bookd ")


def test_demo_is_idempotent_and_complete(ctx):
    p = ctx.bookd("demo", "--db", ctx.db_url)
    assert "already loaded" in p.stdout
    svcs = ctx.c.get("/api/v1/public/demo/services").json["services"]
    kinds = {s["kind"] for s in svcs}
    assert kinds == {"appointment", "class", "rental"}, kinds
    haircut = [s for s in svcs if s["id"] == "haircut"][0]
    assert haircut["price"] == {"amount_minor": 3500, "currency": "GBP"}
    assert len(haircut["providers"]) == 3


def test_migrate_twice_is_noop(ctx):
    p = ctx.bookd("migrate", "--db", ctx.db_url)
    assert "applied: 0" in p.stdout, p.stdout


def test_demo_owner_logs_in_and_replace_reloads_everything(ctx):
    import re
    import staff
    p = ctx.bookd("demo", "--db", ctx.db_url, "--replace", "yes")
    pw = re.search(r"owner@demo\.test, password (\S+)", p.stdout).group(1)
    s = staff.login(ctx, "demo", "owner@demo.test", pw, server=ctx.srv)
    assert s.get(s.path("/bookings?limit=5")).status == 200
    # Reloading the demo while a session, audit rows and bookings exist leaves nothing behind.
    p = ctx.bookd("demo", "--db", ctx.db_url, "--replace", "yes")
    assert "demo business loaded" in p.stdout
    assert s.get(s.path("/bookings?limit=5")).status == 401  # the old session went with it
