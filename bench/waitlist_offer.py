"""waitlist_offer.py - waitlist.offer.latency_ms: from a cancellation's answer (its commit) to
the offer email of the first on the waiting list in the SMTP sink, on SQLite.

A 40-seat class is filled, 30 people wait, and 30 bookings are cancelled one at a time; each
cancellation offers its seat to the next in the same transaction and the notification
worker mails it. Prints the median and the 95th percentile.

usage: waitlist_offer.py BOOKD_BINARY WORK_DIR
"""
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "api"))
os.environ["BOOKD_BIN"] = os.path.abspath(sys.argv[1])

import harness  # noqa: E402
from sinks import SmtpSink  # noqa: E402

SEATS, WAITING = 40, 30


def main():
    work = sys.argv[2]
    start = time.strftime("%Y-%m-%dT17:00:00Z", time.gmtime(time.time() + 7 * 86400))
    doc = {
        "business": {"slug": "bench", "name": "Bench", "timezone": "Europe/London", "currency": "EUR"},
        "providers": [{"id": "lea", "name": "Lea"}],
        "services": [{"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600,
                      "capacity": SEATS, "providers": ["lea"]}],
        "sessions": [{"id": "s1", "service": "yoga", "provider": "lea", "start": start}],
    }
    path = os.path.join(work, "waitlist.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    db = "sqlite:" + os.path.join(work, "waitlist.db")
    harness.bookd("import", "--db", db, "--file", path)
    sink = SmtpSink()
    srv = harness.Server(db, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--smtp-url", sink.url, "--smtp-from", "desk@bench.test", "--public-url", "https://bench.test"])
    c = srv.client
    try:
        booked = []
        for i in range(SEATS):
            r = c.post("/api/v1/public/bench/bookings", body={
                "service": "yoga", "start": start, "customer": {"name": "B%d" % i, "email": "b%d@bench.test" % i}})
            assert r.status == 201, r
            booked.append(r.json)
        for i in range(WAITING):
            r = c.post("/api/v1/public/bench/waitlist", body={
                "session": "s1", "customer": {"name": "W%d" % i, "email": "w%d@bench.test" % i}})
            assert r.status == 201, r
        lat = []
        for i in range(WAITING):
            b = booked[i]
            r = c.post("/api/v1/public/bookings/%s/cancel" % b["reference"], body={},
                       headers={"Authorization": "Bearer " + b["manage_token"]})
            assert r.status == 200, r
            t0 = time.monotonic()
            addr = "w%d@bench.test" % i
            got = False
            while not got and time.monotonic() - t0 < 10:
                with sink.lock:  # polled every millisecond: the sink's own wait polls at 50
                    got = any(addr in m["to"] and "seat is free" in str(m["msg"]["Subject"])
                              for m in sink.messages[-5:])
                if not got:
                    time.sleep(0.001)
            assert got, "no offer email for " + addr
            lat.append((time.monotonic() - t0) * 1000)
        lat.sort()
        print("bench waitlist.offer.latency_ms %.1f ms" % statistics.median(lat))
        print("bench waitlist.offer.latency_p95_ms %.1f ms" % lat[int(len(lat) * 0.95) - 1])
    finally:
        srv.stop()
        srv.cleanup()
        sink.stop()


if __name__ == "__main__":
    main()
