"""booking_paid.py - booking.create.paid.sqlite: bookings per second through the paid path
(the public booking is made pending on its payment hold, the customer asks for the Stripe
checkout, which bookd creates at the provider, the provider's signed webhook confirms the
booking), as a ratio to the unpaid path (the public booking alone) measured in the same run
on the same machine. The provider is the loopback stand-in (tests/tools/paystand.py); both
paths are driven by the same Python clients, so the ratio is what payment adds.

usage: booking_paid.py BOOKD_BINARY WORK_DIR [SECONDS] [CLIENTS]
"""
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
os.environ["BOOKD_BIN"] = os.path.abspath(sys.argv[1])

import harness  # noqa: E402
import paystand  # noqa: E402

PROVIDERS = 20


def fixture(paid):
    svc = {"id": "cut", "name": "Cut", "duration_s": 900, "slot_interval_s": 900, "price_minor": 4000,
           "max_advance_s": 400 * 86400, "providers": ["p%d" % i for i in range(PROVIDERS)]}
    return {
        "business": {"slug": "bench", "name": "Bench", "timezone": "UTC", "currency": "EUR", "hold_ttl_s": 900},
        "providers": [{"id": "p%d" % i, "name": "P%d" % i} for i in range(PROVIDERS)],
        "services": [svc],
        "schedules": [{"owner": "business", "weekday": d, "start": "00:00", "end": "24:00"}
                      for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
    }


def slots():
    """Every (provider, start) a year ahead, in order: no two clients ever want the same."""
    day0 = (int(time.time()) // 86400 + 2) * 86400
    for d in range(360):
        for q in range(96):
            for p in range(PROVIDERS):
                yield "p%d" % p, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(day0 + d * 86400 + q * 900))


def run(work, paid, seconds, clients):
    name = os.path.join(work, "paid.db" if paid else "unpaid.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(name + suffix):
            os.unlink(name + suffix)
    db = "sqlite:" + name
    path = os.path.join(work, "bench.json")
    with open(path, "w") as f:
        json.dump(fixture(paid), f)
    harness.bookd("import", "--db", db, "--file", path)
    stand = paystand.PayStand(stripe_webhook_secret="whsec_bench")
    srv = harness.Server(db, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--public-url", "http://127.0.0.1:1",
        "--stripe-secret-key", paystand.STRIPE_KEY, "--stripe-webhook-secret", "whsec_bench",
        "--stripe-api-base", stand.url])
    stand.stripe_webhook = "http://127.0.0.1:%d/api/v1/payments/stripe/webhook" % srv.port
    try:
        if paid:
            owner = "owner@bench.test"
            harness.bookd("user", "add", "--db", db, "--business", "bench", "--email", owner, "--role", "owner",
                          input="a long enough secret\n")
            import staff

            class Ctx:
                pass
            ctx = Ctx()
            ctx.srv = srv
            ctx.servers = [srv]
            s = staff.login(ctx, "bench", owner, "a long enough secret")
            r = s.put(s.path("/services/cut/payment"), body={"mode": "deposit", "deposit_percent": 25})
            assert r.status == 200, r
        it = slots()
        lock = threading.Lock()
        done = [0]
        errors = [0]
        stop = time.time() + seconds

        def client(i):
            c = srv.new_client()
            n = 0
            while time.time() < stop:
                with lock:
                    prov, start = next(it)
                n += 1
                r = c.post("/api/v1/public/bench/bookings", body={
                    "service": "cut", "start": start, "provider": prov,
                    "customer": {"name": "Bench", "email": "c%d.%d@example.com" % (i, n)}})
                if r.status != 201:
                    with lock:
                        errors[0] += 1
                    continue
                b = r.json
                if paid:
                    auth = {"Authorization": "Bearer " + b["manage_token"]}
                    r = c.post("/api/v1/public/bookings/%s/pay" % b["reference"], body={"method": "stripe"}, headers=auth)
                    ok = r.status == 200
                    if ok:
                        code, _ = stand.stripe_complete(r.json["redirect_url"].rsplit("/", 1)[1])
                        ok = code == 200
                    if not ok:
                        with lock:
                            errors[0] += 1
                        continue
                with lock:
                    done[0] += 1
            c.close()

        t0 = time.time()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - t0
        if paid:  # every paid booking really ended confirmed
            confirmed = harness.query(db, "SELECT COUNT(*) FROM bookings WHERE status = 'confirmed'")
            assert int(confirmed) == done[0], (confirmed, done[0])
        return done[0] / elapsed, errors[0]
    finally:
        srv.stop()
        srv.cleanup()
        stand.stop()


def main():
    work = sys.argv[2]
    os.makedirs(work, exist_ok=True)
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 6
    clients = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    unpaid, e1 = run(work, False, seconds, clients)
    paid, e2 = run(work, True, seconds, clients)
    print("bench booking.create.unpaid.sqlite %.0f bookings/s" % unpaid)
    print("bench booking.create.paid.sqlite %.0f bookings/s" % paid)
    print("bench booking.create.paid.sqlite.ratio %.3f ratio" % (paid / unpaid if unpaid else 0))
    if e1 or e2:
        print("bench booking.create.paid.sqlite.errors %d count" % (e1 + e2))


if __name__ == "__main__":
    main()
