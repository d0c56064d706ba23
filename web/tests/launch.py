"""launch.py - starts what the browser tests talk to: an SMTP sink (tests/api/sinks.py) that
writes each message to a folder, and a real bookd on SQLite (migrated, the demo loaded) with
the test clock and the sink as its mail server, on free loopback ports. Prints one JSON line
{"port", "mail_dir", "db"} when ready and stops everything when its standard input closes.

Usage: /usr/bin/python3 web/tests/launch.py TEST_CLOCK WORK_DIR [extra bookd serve args...]
With --paystand among the extra arguments, the payment stand-in (tests/tools/paystand.py)
starts too, bookd takes payments through it, and the JSON line names it ("paystand"); with
--paystand-element as well, the Payment Element is on, Stripe.js loaded from the stand-in.
"""
import json
import os
import re
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))

import harness  # noqa: E402
import sinks  # noqa: E402


def summarise(m):
    """A message as the tests read it: to, subject, plain text, iCalendar attachment."""
    msg = m["msg"]
    out = {"to": m["to"], "subject": str(msg["Subject"] or ""), "text": "", "html": "", "ics": ""}
    for part in msg.walk():
        ct = part.get_content_type()
        if part.is_multipart():
            continue
        body = part.get_content()
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        if ct == "text/plain" and not out["text"]:
            out["text"] = body
        elif ct == "text/html" and not out["html"]:
            out["html"] = body
        elif ct == "text/calendar" or (part.get_filename() or "").endswith(".ics"):
            out["ics"] = body
    return out


def main():
    clock, work = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    mail_dir = os.path.join(work, "mail")
    os.makedirs(mail_dir, exist_ok=True)
    db = "sqlite:" + os.path.join(work, "bookd.db")
    harness.bookd("migrate", "--db", db)
    demo = harness.bookd("demo", "--db", db).stdout
    m = re.search(r"owner@demo\.test, password (\S+)", demo)
    sink = sinks.SmtpSink()
    written = [0]
    stop = threading.Event()

    def spool():
        while not stop.wait(0.05):
            with sink.lock:
                new = sink.messages[written[0]:]
                written[0] = len(sink.messages)
            for i, m in enumerate(new):
                n = written[0] - len(new) + i
                path = os.path.join(mail_dir, "%04d.json" % n)
                with open(path + ".tmp", "w") as f:
                    json.dump(summarise(m), f)
                os.rename(path + ".tmp", path)

    threading.Thread(target=spool, daemon=True).start()
    pay = None
    element = "--paystand-element" in extra  # the Payment Element too, Stripe.js from the stand-in
    extra = [a for a in extra if a != "--paystand-element"]
    if "--paystand" in extra:  # payments against the loopback stand-in (tests/tools/paystand.py)
        extra = [a for a in extra if a != "--paystand"]
        sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
        import calendar
        import time
        import paystand
        held = calendar.timegm(time.strptime(clock, "%Y-%m-%dT%H:%M:%SZ"))
        pay = paystand.PayStand(stripe_webhook_secret="whsec_web", paypal_webhook_id="WH-WEB", clock=lambda: held)
        # The provider sends the customer back to the public URL: it must be this server's.
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        extra += ["--listen", "127.0.0.1:%d" % port, "--public-url", "http://127.0.0.1:%d" % port]
        extra += ["--stripe-secret-key", paystand.STRIPE_KEY, "--stripe-webhook-secret", "whsec_web",
                  "--stripe-api-base", pay.url, "--paypal-client-id", paystand.PAYPAL_ID,
                  "--paypal-client-secret", paystand.PAYPAL_SECRET, "--paypal-webhook-id", "WH-WEB",
                  "--paypal-api-base", pay.url]
        if element:
            extra += ["--stripe-publishable-key", paystand.STRIPE_PK, "--stripe-js-url", pay.url + "/v3/"]
    server = harness.Server(db, test_clock=clock, extra_args=["--smtp-url", sink.url, "--smtp-from", "studio@example.com"] + extra,
                            env={"BOOKD_RATE_LIMITS": "off"})
    if pay:
        hooks = "http://127.0.0.1:%d/api/v1/payments/" % server.port
        pay.stripe_webhook, pay.paypal_webhook = hooks + "stripe/webhook", hooks + "paypal/webhook"
    print(json.dumps({"port": server.port, "mail_dir": mail_dir, "db": db, "log": server.log_path,
                      "owner_password": m.group(1) if m else None,
                      "paystand": pay.url if pay else None}), flush=True)
    try:
        sys.stdin.read()
    finally:
        stop.set()
        server.stop()
        sink.stop()
        if pay:
            pay.stop()


if __name__ == "__main__":
    main()
