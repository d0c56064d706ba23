"""Slow and hostile clients: a flood of trickling and idle connections from some addresses
leaves /healthz and a booking from another address answering at once; requests that would
make the server wait (hundreds of query parameters, a chunk size of 2^64 - 1, a body larger
than the route takes) get a prompt 4xx; a request head that keeps trickling is cut at its
deadline; event streams are capped per address; query values with control characters are
refused naming the parameter. (tests/unit/test_http_conns.c counts the rest: streams and
connections given back, the reserve.)"""
import json
import socket
import statistics
import time

import harness
import hostile

FIXTURE = {
    "business": {"slug": "slow", "name": "Slow", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 900, "slot_interval_s": 900, "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "00:00", "end": "24:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}
NOW = "2026-06-01T06:00:00Z"
HEAD_DEADLINE_S = 10  # HTTP_HEAD_MS in src/http/server.h
PER_ADDRESS = 256     # the default of --max-connections-per-address


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"},
                         extra_args=["--max-streams-per-address", "3"])
    ctx.c = ctx.srv.client
    ctx.slot = 0


def booking(ctx, source):
    """A direct booking from source on a fresh connection: (status, seconds)."""
    ctx.slot += 1
    start = "2026-06-%02dT%02d:%02d:00Z" % (2 + ctx.slot // 48, (ctx.slot % 48) // 4, (ctx.slot % 4) * 15)
    body = {"service": "cut", "start": start,
            "customer": {"name": "Kim Lee", "email": "kim%d@example.com" % ctx.slot}}
    status, secs, text = hostile.timed(ctx.srv.port, "POST", "/api/v1/public/slow/bookings", source, body=body)
    assert status == 201, (status, text)
    return secs


def healthz(ctx, source):
    status, secs, _ = hostile.timed(ctx.srv.port, "GET", "/healthz", source)
    assert status == 200, status
    return secs


def test_floods_leave_room_for_other_addresses(ctx):
    port = ctx.srv.port
    ctx.c.close()  # its keep-alive connection from 127.0.0.1 would take one of the share
    booking(ctx, "127.0.0.2")  # warm: the first write prepares its statements
    t0 = time.time()
    # 4 000 connections from one address that send a header line every 2 s, and 2 000 idle
    # keep-alive connections (one whole request each, then silence) from another.
    trick = hostile.Crowd(port, 4000, "127.0.0.1", b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    idle = hostile.Crowd(port, 2000, "127.0.0.3", b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        idle.poll(1.0)
        trick.trickle()
        trick.poll(0.2)
        # Each address got its share and no more; the rest were refused at once.
        assert idle.statuses().get("200", 0) == PER_ADDRESS, idle.statuses()
        assert idle.statuses().get("429", 0) + len(idle.closed) >= 2000 - PER_ADDRESS, idle.statuses()
        assert len(trick.open_socks()) == PER_ADDRESS, len(trick.open_socks())

        # Another address is served at once, both the cheapest route and a booking.
        health = [healthz(ctx, "127.0.0.2") for _ in range(7)]
        books = [booking(ctx, "127.0.0.2") for _ in range(3)]
        assert statistics.median(health) < 0.1, health
        assert statistics.median(books) < 0.1, books

        # The tricklers keep trickling; each head has a deadline, not an idle timeout.
        while time.time() - t0 < HEAD_DEADLINE_S + 2.5:
            trick.trickle()
            trick.poll(1.0)
        trick.poll(1.0)
        assert len(trick.open_socks()) == 0, len(trick.open_socks())
        cut = [d for d in trick.got.values() if d.startswith(b"HTTP/1.1 408")]
        assert len(cut) > PER_ADDRESS // 2, len(cut)  # a reset may beat the answer now and then
        # Idle keep-alive connections end with the same deadline, closed without a word: a
        # 408 there would be read as the answer to the client's next request.
        idle.poll(1.0)
        assert len(idle.open_socks()) == 0, len(idle.open_socks())
        answered = [d for d in idle.got.values() if d.startswith(b"HTTP/1.1 200")]
        assert len(answered) == PER_ADDRESS, len(answered)
        assert not [d for d in answered if d.count(b"HTTP/1.1 ") != 1], "an idle connection got a 408"
        assert healthz(ctx, "127.0.0.1") < 1.0  # the flooding address is served again
    finally:
        trick.close()
        idle.close()


def test_a_server_filled_by_many_addresses_still_takes_a_newcomer(ctx):
    # 64 connections at most, 8 per address: ten addresses with idle keep-alive connections
    # take every place (the reserve too: each holds more than a few). A new address gets in all
    # the same: the busiest address loses a connection that only waits for a request.
    srv = ctx.server(env={"BOOKD_RATE_LIMITS": "off"},
                     extra_args=["--max-connections", "64", "--max-connections-per-address", "8"])
    crowds = []
    try:
        for i in range(10):
            crowds.append(hostile.Crowd(srv.port, 8, "127.0.1.%d" % (i + 1),
                                        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
            crowds[-1].poll(0.3)
        held = sum(len(c.open_socks()) for c in crowds)
        assert held >= 56, held
        for i in range(5):
            status, secs, _ = hostile.timed(srv.port, "GET", "/healthz", "127.0.0.%d" % (20 + i))
            assert status == 200 and secs < 1.0, (status, secs)
    finally:
        for c in crowds:
            c.close()
        srv.stop()


def test_requests_that_would_make_the_server_wait_get_a_prompt_4xx(ctx):
    port = ctx.srv.port
    params = "&".join("p%d=%d" % (i, i) for i in range(500)).encode()
    cases = [
        (b"GET /api/v1/public/slow/services?" + params + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
        (b"GET /healthz?" + b"&" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(500)) + b"\r\n",
         b"431"),
        (b"POST /api/v1/public/slow/bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
         b"Content-Type: application/json\r\n\r\nffffffffffffffff\r\n", b"411"),
        (b"POST /api/v1/public/slow/bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
         b"Content-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n", b"411"),
        (b"POST /api/v1/public/slow/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n"
         b"Content-Type: application/json\r\n\r\n{", b"413"),
        # Public routes take 64 KiB: one a little over is read and then refused; this one says
        # 64 KiB and 2 MiB and a byte are coming.
        (b"POST /api/v1/public/slow/holds HTTP/1.1\r\nHost: x\r\nContent-Length: 2162689\r\n"
         b"Content-Type: application/json\r\n\r\n{", b"413"),
    ]
    for raw, code in cases:
        got, secs = hostile.raw_exchange(port, raw, timeout=5)
        assert got[9:12] == code, (raw[:60], got[:200])
        assert secs < 1.0, (raw[:60], secs)
    # 64 parameters are still fine.
    q = "&".join("p%d=%d" % (i, i) for i in range(63))
    assert ctx.c.get("/api/v1/public/slow/services?" + q).status == 200
    # A body within the route's limit is read as before.
    r = ctx.c.post("/api/v1/public/slow/holds", body={"service": "cut", "start": "2026-06-03T10:00:00Z",
                                                      "pad": "x" * 60000})
    assert r.status in (201, 422), r


def test_body_limits_are_per_route(ctx):
    # The configuration document may be large: 100 KB reach the route (and its login check)...
    big = json.dumps({"pad": "x" * 100000}).encode()
    r = ctx.c.request("PUT", "/api/v1/businesses/slow/config", raw=big,
                      headers={"Content-Type": "application/json"})
    assert r.status == 401, r
    # ...where a booking's 413 comes before anything is read.
    r = ctx.c.request("POST", "/api/v1/public/slow/bookings", raw=big,
                      headers={"Content-Type": "application/json"})
    assert r.status == 413 and "65536" in r.json["detail"], r
    got, secs = hostile.raw_exchange(ctx.srv.port, b"PUT /api/v1/businesses/slow/config HTTP/1.1\r\nHost: x\r\n"
                                     b"Content-Length: 6291457\r\nContent-Type: application/json\r\n\r\n{")
    assert got[9:12] == b"413" and secs < 1.0, got[:100]
    r = ctx.c.request("PUT", "/api/v1/businesses/slow/config", raw=b"x" * (4 * 1048576 + 1),
                      headers={"Content-Type": "application/json"})
    assert r.status == 413 and "4194304" in r.json["detail"], r


def test_control_characters_in_query_values_are_refused_naming_the_parameter(ctx):
    base = "/api/v1/public/slow/availability?service=cut&to=2026-12-10&from="
    for bad in ("2026-12-10%00", "2026-12-10%0A", "2026-12-10%1B", "2026-12-10%7F", "%FF", "%C0%AF",
                "%ED%A0%80", "%C2%85"):
        r = ctx.c.get(base + bad)
        assert r.status == 400, (bad, r)
        assert [e["field"] for e in r.json["errors"]] == ["from"], (bad, r.json)
    r = ctx.c.get("/api/v1/public/slow/availability?service=cut&from=2026-12-10&to=2026-12-10&x%00y=1")
    assert r.status == 400 and r.json["errors"][0]["field"] == "x?y", r
    # Clean UTF-8 is fine (and the parameter then judged by its route as before).
    r = ctx.c.get("/api/v1/public/slow/availability?service=cut&from=2026-12-10&to=2026-12-10&tz=Europe%2FLondon")
    assert r.status == 200, r
    r = ctx.c.get("/api/v1/public/slow/availability?service=caf%C3%A9&from=2026-12-10&to=2026-12-10")
    assert r.status == 404, r
    # A path with a control character or bytes that are not UTF-8 is refused too, and the
    # request log keeps one line per request with those bytes escaped.
    for path in ("/api/v1/public/slow%1B[2J/services", "/api/v1/public/slow%FF/services",
                 "/api/v1/public/slow%0Aevent=forged/services"):
        r = ctx.c.get(path)
        assert r.status == 400, (path, r)
    deadline = time.time() + 3  # a line is written once its answer is out
    while True:
        with open(ctx.srv.log_path, "rb") as f:
            log = f.read()
        if log.count(b"route=/api/v1/public/{business}/services status=400") >= 3 or time.time() > deadline:
            break
        time.sleep(0.05)
    assert b"\x1b" not in log and b"\xff" not in log and b"\nevent=forged" not in log
    # the path is logged as it was sent, still encoded
    assert b"path=/api/v1/public/slow%1B[2J/services " in log, log[-2000:]
    assert b"path=/api/v1/public/slow%FF/services " in log
    assert b'path="/api/v1/public/slow%0Aevent=forged/services"' in log


def test_path_segments_are_decoded_once(ctx):
    """The path is routed as sent and each segment decoded once: "%2573" is "%73", not "s";
    an encoded NUL no longer cuts the path short (it was answered as /public/slow); an
    encoded '/' is not a separator."""
    assert ctx.c.get("/api/v1/public/%73low/services").status == 200
    assert ctx.c.get("/api/v1/public/%2573low/services").status == 404
    r = ctx.c.get("/api/v1/public/slow%00x/services")
    assert r.status == 400, r
    r = ctx.c.get("/api/v1/public/slow%00")
    assert r.status == 400, r
    assert ctx.c.get("/api/v1/public/slow%2Fservices").status == 404
    assert ctx.c.get("/api/v1/public/slow%zz/services").status == 400
    assert ctx.c.get("/api/v1/public/slow%/services").status == 400
    assert ctx.c.get("/api/v1/public/caf%C3%A9/services").status == 404  # clean UTF-8: judged by its route


def test_event_streams_are_capped_per_address(ctx):
    port = ctx.srv.port
    streams = []
    try:
        for i in range(3):
            s = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.5", 0))
            s.sendall(b"GET /api/v1/public/slow/events HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(5)
            assert s.recv(4096).startswith(b"HTTP/1.1 200"), i
            streams.append(s)
        status, secs, text = hostile.timed(port, "GET", "/api/v1/public/slow/events", "127.0.0.5")
        assert status == 429, (status, text)
        assert "event streams" in json.loads(text)["detail"]
        # Another address still gets its stream.
        s = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.6", 0))
        s.sendall(b"GET /api/v1/public/slow/events HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        assert s.recv(4096).startswith(b"HTTP/1.1 200")
        streams.append(s)
        # Other routes from the capped address are served as ever.
        assert healthz(ctx, "127.0.0.5") < 1.0
    finally:
        for s in streams:
            s.close()
