#!/usr/bin/python3
"""login_attack.py - how long a real staff login takes while other addresses guess passwords.

Starts bookd on a fresh SQLite file (rate limits off, so only the lockout and the hashing
queue stand between the attackers and the argon2id workers), then for DURATION seconds:
ATTACKERS addresses (127.0.0.10, 127.0.0.11, ...) each keep CONNS connections sending logins
with wrong passwords for random emails, while one honest client on 127.0.0.1 logs in with
the right password every PERIOD seconds and records how long each login took. Prints the
honest latencies (p50, p90, max) and the attackers' answers by status. Figures, not pass/fail.

    BOOKD_BIN=build/bookd /usr/bin/python3 bench/login_attack.py [DURATION] [ATTACKERS] [CONNS]
"""
import collections
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BOOKD_BIN", os.path.join(ROOT, "build", "bookd"))
PW = "the right password"


def bookd(*args, stdin=None):
    subprocess.run([BIN, *args], input=stdin, text=True, check=True, capture_output=True)


def login(conn, email, password):
    body = json.dumps({"business": "bench", "email": email, "password": password})
    conn.request("POST", "/api/v1/auth/login", body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    return r.status


def main():
    duration = float(sys.argv[1]) if len(sys.argv) > 1 else 20
    attackers = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    conns = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    period = 0.5
    tmp = tempfile.mkdtemp(prefix="bookd-login-bench-")
    db = "sqlite:" + os.path.join(tmp, "bench.db")
    bookd("business", "add", "--db", db, "--slug", "bench", "--name", "Bench", "--timezone", "UTC")
    bookd("user", "add", "--db", db, "--business", "bench", "--email", "real@bench.test",
          "--role", "owner", stdin=PW + "\n")
    log = open(os.path.join(tmp, "log.txt"), "w+")
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--db", db, "--threads", "8",
                             "--rate-limits", "off"], stdout=log, stderr=log)
    port = None
    for _ in range(500):
        with open(log.name) as f:
            m = re.search(r"listening on http://[^ ]*:(\d+)", f.read())
        if m:
            port = int(m.group(1))
            break
        time.sleep(0.02)
    assert port, "bookd did not start"

    # Quiet baseline.
    honest = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    quiet = []
    for _ in range(5):
        t0 = time.monotonic()
        assert login(honest, "real@bench.test", PW) == 200
        quiet.append(time.monotonic() - t0)

    stop = time.monotonic() + duration
    answers = collections.Counter()
    lock = threading.Lock()

    def attacker(i, j):
        src = "127.0.0.%d" % (10 + i)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(src, 0))
        k = 0
        while time.monotonic() < stop:
            k += 1
            try:
                st = login(conn, "guess-%d-%d-%d@bench.test" % (i, j, k), "wrong %d" % k)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(src, 0))
                st = "error"
            with lock:
                answers[st] += 1
        conn.close()

    threads = [threading.Thread(target=attacker, args=(i, j)) for i in range(attackers) for j in range(conns)]
    for t in threads:
        t.start()
    time.sleep(1)  # let the queue fill
    under = []
    while time.monotonic() < stop:
        t0 = time.monotonic()
        st = login(honest, "real@bench.test", PW)
        under.append((time.monotonic() - t0, st))
        time.sleep(period)
    for t in threads:
        t.join()
    proc.terminate()
    proc.wait(timeout=30)

    def pct(xs, p):
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")

    ok = [d for d, st in under if st == 200]
    print("quiet logins: p50 %.3f s, max %.3f s" % (pct(quiet, 0.5), max(quiet)))
    print("under attack (%d addresses x %d connections, %.0f s): %d logins, %d answered 200, "
          "p50 %.3f s, p90 %.3f s, max %.3f s, other answers %s" % (
              attackers, conns, duration, len(under), len(ok), pct(ok, 0.5), pct(ok, 0.9),
              max(ok) if ok else float("nan"),
              dict(collections.Counter(st for _, st in under if st != 200))))
    print("attackers' answers: %s" % dict(answers))
    print("each honest login under attack (s): %s" % " ".join("%.2f" % d for d, _ in under))


if __name__ == "__main__":
    main()
