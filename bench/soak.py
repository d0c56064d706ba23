"""soak.py - `make bench`'s soak: mixed load against one bookd for SOAK_SECONDS (default 600):
95 % availability reads, 4 % holds and bookings, 1 % staff reads, with 200 live-event (SSE)
clients connected throughout. Prints "bench NAME VALUE UNIT" lines: requests, errors, p50 and
p99 latency, and the server's resident memory and open descriptors after warm-up and at the
end (goals: 0 errors, RSS growth under 5 %). Figures, not pass/fail.

usage: soak.py BOOKD_BINARY WORKDIR
"""
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time

BIN, WORK = sys.argv[1], sys.argv[2]
SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "16"))
SSE_CLIENTS = int(os.environ.get("SOAK_SSE", "200"))
CLOCK = "2031-01-06T06:00:00Z"  # a Monday; the server's "now" for the whole run
PW = "soak password 1234"
DB = "sqlite:" + os.path.join(WORK, "soak.db")

PROVIDERS = ["p%d" % i for i in range(8)]
DOC = {
    "business": {"slug": "soak", "name": "Soak", "timezone": "Europe/London", "hold_ttl_s": 60},
    "providers": [{"id": p, "name": p.upper()} for p in PROVIDERS],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 900,
                  "max_advance_s": 365 * 86400, "providers": PROVIDERS}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}


def run(*args, stdin=None):
    return subprocess.run([BIN] + list(args), input=stdin, capture_output=True, text=True, check=True)


def proc_figures(pid):
    rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024.0
    fds = len(os.listdir("/proc/%d/fd" % pid))
    return rss, fds


def main():
    path = os.path.join(WORK, "soak.json")
    with open(path, "w") as f:
        json.dump(DOC, f)
    run("import", "--db", DB, "--file", path)
    run("user", "add", "--db", DB, "--business", "soak", "--email", "o@soak.test", "--role", "owner",
        stdin=PW + "\n")
    log = open(os.path.join(WORK, "soak.log"), "w+")
    env = dict(os.environ, BOOKD_RATE_LIMITS="off")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    srv = subprocess.Popen([BIN, "serve", "--db", DB, "--listen", "127.0.0.1:%d" % port, "--test-clock", CLOCK,
                            "--log-level", "warn"], stdout=log, stderr=log, env=env)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        sys.exit("soak: bookd did not start")
    try:
        soak(srv, port)
    finally:
        srv.terminate()
        srv.wait()


def login(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/api/v1/auth/login", json.dumps({"business": "soak", "email": "o@soak.test", "password": PW}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    cookie = r.getheader("Set-Cookie").split(";")[0]
    c.close()
    return cookie


def soak(srv, port):
    cookie = login(port)
    stop = threading.Event()
    lat = []  # seconds, per request
    errors = []
    counts = {"avail": 0, "write": 0, "staff": 0}
    lock = threading.Lock()
    dates = ["2031-01-%02d" % d for d in range(6, 31)]

    # The SSE clients: connected for the whole run, read and thrown away.
    streams = []
    for _ in range(SSE_CLIENTS):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /api/v1/public/soak/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        s.setblocking(False)
        streams.append(s)

    def drain():
        import select
        while not stop.is_set():
            r, _, _ = select.select(streams, [], [], 0.5)
            for s in r:
                try:
                    s.recv(65536)
                except OSError:
                    pass

    def client(i):
        rnd = random.Random(i)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while not stop.is_set():
            x = rnd.random()
            d = rnd.choice(dates)
            if x < 0.95:
                kind, method, path, body, h = "avail", "GET", "/api/v1/public/soak/availability?service=cut&from=%s&to=%s" % (d, d), None, {}
            elif x < 0.99:
                n += 1
                hh, mm = rnd.randrange(8, 19), rnd.choice((0, 15, 30, 45))
                start = "%sT%02d:%02d:00Z" % (d, hh, mm)
                if rnd.random() < 0.5:
                    kind, method, path = "write", "POST", "/api/v1/public/soak/holds"
                    body = {"service": "cut", "start": start}
                else:
                    kind, method, path = "write", "POST", "/api/v1/public/soak/bookings"
                    body = {"service": "cut", "start": start,
                            "customer": {"name": "Soak %d" % i, "email": "s%d-%d@example.com" % (i, n)}}
                body, h = json.dumps(body), {"Content-Type": "application/json"}
            else:
                kind, method, path, body, h = "staff", "GET", "/api/v1/businesses/soak/bookings?from=%s&to=%s" % (d, d), None, {"Cookie": cookie}
            t = time.perf_counter()
            try:
                c.request(method, path, body, h)
                r = c.getresponse()
                r.read()
                ok = r.status < 500 and r.status not in (400, 401, 403, 404, 422, 429)
                if not ok:
                    errors.append((path, r.status))
            except (OSError, http.client.HTTPException) as e:
                errors.append((path, repr(e)))
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            dt = time.perf_counter() - t
            with lock:
                lat.append(dt)
                counts[kind] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    threads.append(threading.Thread(target=drain))
    for t in threads:
        t.start()
    warm = max(5.0, SECONDS * 0.1)
    time.sleep(warm)
    rss0, fds0 = proc_figures(srv.pid)
    time.sleep(max(0.0, SECONDS - warm))
    rss1, fds1 = proc_figures(srv.pid)
    stop.set()
    for t in threads:
        t.join()
    for s in streams:
        s.close()
    lat.sort()
    total = len(lat)
    p = lambda q: lat[min(total - 1, int(q * total))] * 1000 if total else 0
    print("bench soak.seconds %.0f s" % SECONDS)
    print("bench soak.requests %d requests" % total)
    print("bench soak.rps %.1f req/s" % (total / SECONDS))
    print("bench soak.mix.availability %d requests" % counts["avail"])
    print("bench soak.mix.writes %d requests" % counts["write"])
    print("bench soak.mix.staff %d requests" % counts["staff"])
    print("bench soak.sse_clients %d clients" % SSE_CLIENTS)
    print("bench soak.errors %d errors" % len(errors))
    print("bench soak.latency.p50 %.2f ms" % p(0.50))
    print("bench soak.latency.p99 %.2f ms" % p(0.99))
    print("bench soak.rss.start %.1f MiB" % rss0)
    print("bench soak.rss.end %.1f MiB" % rss1)
    print("bench soak.rss.growth %.2f %%" % ((rss1 - rss0) / rss0 * 100 if rss0 else 0))
    print("bench soak.fds.start %d descriptors" % fds0)
    print("bench soak.fds.end %d descriptors" % fds1)
    for e in errors[:5]:
        print("soak: error %s" % (e,), file=sys.stderr)


if __name__ == "__main__":
    main()
