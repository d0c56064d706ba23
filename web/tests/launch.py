"""launch.py - starts what the browser tests talk to: an SMTP sink (tests/api/sinks.py) that
writes each message to a folder, and a real bookd on SQLite (migrated, the demo loaded) with
the test clock and the sink as its mail server, on free loopback ports. Prints one JSON line
{"port", "mail_dir", "db"} when ready and stops everything when its standard input closes.

Usage: /usr/bin/python3 web/tests/launch.py TEST_CLOCK WORK_DIR [extra bookd serve args...]
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
    server = harness.Server(db, test_clock=clock, extra_args=["--smtp-url", sink.url, "--smtp-from", "studio@example.com"] + extra,
                            env={"BOOKD_RATE_LIMITS": "off"})
    print(json.dumps({"port": server.port, "mail_dir": mail_dir, "db": db, "log": server.log_path,
                      "owner_password": m.group(1) if m else None}), flush=True)
    try:
        sys.stdin.read()
    finally:
        stop.set()
        server.stop()
        sink.stop()


if __name__ == "__main__":
    main()
