"""Notifications through real peers: confirmation email with both bodies and the .ics
(parsed back with libical), SMTP down then delivered exactly once, reminders at the right
instant and withdrawn or moved by cancel and reschedule, SMS to an HTTP provider."""
import base64
import os
import subprocess
import time

import harness
from sinks import SmtpSink, SmsReceiver

FIXTURE = {
    "business": {"slug": "spa", "name": "Spa \"Calm\" & Co", "timezone": "Europe/London", "currency": "EUR",
                 "address": "1 Quay St", "phone": "+44 1 2345"},
    "providers": [{"id": "ann", "name": "Ann Lee"}],
    "services": [{"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 3600,
                  "providers": ["ann"], "price_minor": 5000}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.sink = SmtpSink()
    ctx.sms = SmsReceiver()
    # More than ten bookings from one address within the held clock's hour: not what these
    # tests are about (the limits have tests of their own).
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "bookings@spa.test", "--public-url", "https://spa.test",
        "--sms-url", ctx.sms.url, "--sms-user", "AC123", "--sms-password", "tok", "--sms-from", "+15550001", "--sms-max", "70"])
    ctx.c = ctx.srv.client


def at(ctx, instant):
    assert ctx.c.post("/api/v1/test/clock", body={"now": instant}).status == 200


def book(ctx, start, email, **cust):
    customer = {"name": "Zoë Test", "email": email}
    customer.update(cust)
    r = ctx.c.post("/api/v1/public/spa/bookings", body={"service": "massage", "start": start, "customer": customer})
    assert r.status == 201, r
    return r.json


def to(addr, subject_part=None):
    def pred(m):
        return addr in m["to"] and (subject_part is None or subject_part in str(m["msg"]["Subject"]))
    return pred


def icsdump(text):
    tool = os.environ.get("BOOKD_ICSDUMP", os.path.join(harness.ROOT, "build", "tools", "icsdump"))
    p = subprocess.run([tool], input=text, capture_output=True, text=True)
    assert p.returncode == 0, "libical could not parse the attachment"
    return dict(line.split(" ", 1) for line in p.stdout.splitlines())


def test_confirmation_email(ctx):
    at(ctx, NOW)
    b = book(ctx, "2026-06-03T10:00:00+01:00", "zoe@example.com")
    got = ctx.sink.wait(to("zoe@example.com", "Booked"), timeout=5)
    assert len(got) == 1, ctx.sink.messages
    m = got[0]["msg"]
    assert got[0]["from"] == "bookings@spa.test"
    assert m["From"].addresses[0].addr_spec == "bookings@spa.test"
    assert m["From"].addresses[0].display_name == 'Spa "Calm" & Co'
    assert str(m["Subject"]) == "Booked: Massage on Wed 3 Jun 2026 at 10:00"
    assert m["Message-ID"].startswith("<ntf_") and m["Message-ID"].endswith("@spa.test>")
    assert m["Date"]
    text = m.get_body(preferencelist=("plain",)).get_content()
    html = m.get_body(preferencelist=("html",)).get_content()
    assert "Hello Zoë Test" in text and b["reference"] in text and "Europe/London" in text
    assert "https://spa.test/b/%s?t=" % b["reference"] in text
    assert "Spa &quot;Calm&quot; &amp; Co" in html and "<b>Massage</b>" in html
    atts = [p for p in m.iter_attachments() if p.get_filename() == "booking.ics"]
    assert len(atts) == 1
    ics = icsdump(atts[0].get_content().decode() if isinstance(atts[0].get_content(), bytes) else atts[0].get_content())
    assert ics["METHOD"] == "REQUEST" and ics["STATUS"] == "CONFIRMED"
    assert int(ics["DTSTART"]) == 1780477200 and int(ics["DTEND"]) == 1780480800
    assert ics["SUMMARY"] == "Massage with Ann Lee"


def test_smtp_down_then_delivered_exactly_once(ctx):
    at(ctx, NOW)
    ctx.sink.stop()
    try:
        book(ctx, "2026-06-04T10:00:00+01:00", "down@example.com")
        time.sleep(1.5)  # the worker tries, fails, and schedules a retry
        assert ctx.sink.matching(to("down@example.com")) == []
    finally:
        ctx.sink.start()
    assert ctx.sink.wait(to("down@example.com"), timeout=1.5) == []  # not before the retry time
    at(ctx, "2026-06-01T06:02:00Z")  # past the first back-off (30 s +- 20 %)
    got = ctx.sink.wait(to("down@example.com"), timeout=5)
    assert len(got) == 1
    at(ctx, "2026-06-01T07:00:00Z")
    time.sleep(1.5)
    assert len(ctx.sink.matching(to("down@example.com", "Booked"))) == 1


def test_reminders_on_time_withdrawn_and_moved(ctx):
    at(ctx, NOW)
    keep = book(ctx, "2026-06-05T10:00:00+01:00", "keep@example.com")     # 09:00 UTC
    gone = book(ctx, "2026-06-05T12:00:00+01:00", "gone@example.com")
    move = book(ctx, "2026-06-05T14:00:00+01:00", "move@example.com")
    h = lambda b: {"Authorization": "Bearer " + b["manage_token"]}
    assert ctx.c.post("/api/v1/public/bookings/%s/cancel" % gone["reference"], body={}, headers=h(gone)).status == 200
    r = ctx.c.post("/api/v1/public/bookings/%s/reschedule" % move["reference"],
                   body={"start": "2026-06-05T16:00:00+01:00"}, headers=h(move))
    assert r.status == 200, r
    at(ctx, "2026-06-04T08:59:59Z")  # one second before the 24 h reminder of `keep`
    time.sleep(1.2)
    assert ctx.sink.matching(to("keep@example.com", "Reminder")) == []
    at(ctx, "2026-06-04T09:00:00Z")
    assert len(ctx.sink.wait(to("keep@example.com", "Reminder"), timeout=5)) == 1
    at(ctx, "2026-06-04T13:00:00Z")  # the moved booking's old 24 h instant
    time.sleep(1.2)
    assert ctx.sink.matching(to("move@example.com", "Reminder")) == []
    at(ctx, "2026-06-04T15:00:00Z")  # its new one
    assert len(ctx.sink.wait(to("move@example.com", "Reminder"), timeout=5)) == 1
    at(ctx, "2026-06-05T08:00:00Z")  # keep's 1 h reminder
    deadline = time.time() + 5
    while time.time() < deadline and len(ctx.sink.matching(to("keep@example.com", "Reminder"))) < 2:
        time.sleep(0.05)
    at(ctx, "2026-06-05T14:00:00Z")  # the moved booking's 1 h reminder
    time.sleep(1.5)
    assert len(ctx.sink.matching(to("keep@example.com", "Reminder"))) == 2  # 24 h and 1 h, once each
    assert ctx.sink.matching(to("gone@example.com", "Reminder")) == []
    assert len(ctx.sink.matching(to("move@example.com", "Reminder"))) == 2
    assert len(ctx.sink.matching(to("gone@example.com", "Cancelled"))) == 1
    assert len(ctx.sink.matching(to("move@example.com", "Moved"))) == 1


def test_reminders_planned_lazily_from_the_bookings(ctx):
    """No reminder row is written with the booking: the worker writes each when it falls due.
    A reminder whose instant had passed when the booking was made, or moved, is not sent;
    staff see the reminders still to come, computed."""
    import staff
    at(ctx, NOW)
    x = book(ctx, "2026-06-16T10:00:00+01:00", "lazyx@example.com")  # 09:00 UTC
    z = book(ctx, "2026-06-17T10:00:00+01:00", "lazyz@example.com")
    rows = "SELECT n.event FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE b.reference = '%s'"
    assert ctx.sink.wait(to("lazyx@example.com", "Booked"), timeout=5)
    assert harness.query(ctx.db_url, rows % x["reference"]) == "confirmed"  # the confirmation only
    staff.make_user(ctx, "spa", "lazy@spa.test", "owner", "correct horse battery")
    s = staff.login(ctx, "spa", "lazy@spa.test", "correct horse battery", server=ctx.srv)
    bid = harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % x["reference"])
    detail = s.get(s.path("/bookings/" + bid))
    assert detail.status == 200, detail
    planned = [m for m in detail.json["messages"] if m.get("planned")]
    assert sorted(m["due_at"] for m in planned) == ["2026-06-15T10:00:00+01:00", "2026-06-16T09:00:00+01:00"], planned
    assert all(m["event"] == "reminder" and m["status"] == "pending" and m["recipient"] == "lazyx@example.com"
               for m in planned), planned
    # The list filtered by one booking, or by one customer, plans only theirs.
    cid = harness.query(ctx.db_url, "SELECT customer_id FROM bookings WHERE id = '%s'" % bid)
    for q in ("booking=" + bid, "customer=" + cid):
        listed = s.get(s.path("/notifications?status=pending&" + q))
        assert listed.status == 200, listed
        mine = [m for m in listed.json["notifications"] if m.get("planned")]
        assert sorted(m["due_at"] for m in mine) == ["2026-06-15T10:00:00+01:00", "2026-06-16T09:00:00+01:00"], (q, mine)
        assert {m["booking"] for m in mine} == {bid}, (q, mine)
    everyone = s.get(s.path("/notifications?status=pending")).json["notifications"]
    assert {m["recipient"] for m in everyone if m.get("planned")} >= {"lazyx@example.com", "lazyz@example.com"}
    # Booked after its 24 h instant had passed: that reminder is not sent late.
    at(ctx, "2026-06-15T12:00:00Z")
    y = book(ctx, "2026-06-16T11:00:00+01:00", "lazyy@example.com")  # 24 h instant: 10:00 UTC on the 15th
    assert len(ctx.sink.wait(to("lazyx@example.com", "Reminder"), timeout=5)) == 1  # x's 24 h one
    time.sleep(1.2)
    assert ctx.sink.matching(to("lazyy@example.com", "Reminder")) == []
    at(ctx, "2026-06-16T08:30:00Z")  # x's 1 h instant (08:00 UTC) has come
    deadline = time.time() + 5
    while time.time() < deadline and len(ctx.sink.matching(to("lazyx@example.com", "Reminder"))) < 2:
        time.sleep(0.05)
    assert len(ctx.sink.matching(to("lazyx@example.com", "Reminder"))) == 2
    # y's 1 h and z's 24 h instants (both 09:00 UTC), then z moved to a start whose 24 h
    # instant has passed already: only the new 1 h one follows.
    at(ctx, "2026-06-16T09:30:00Z")
    assert len(ctx.sink.wait(to("lazyz@example.com", "Reminder"), timeout=5)) == 1
    assert len(ctx.sink.wait(to("lazyy@example.com", "Reminder"), timeout=5)) == 1
    h = {"Authorization": "Bearer " + z["manage_token"]}
    r = ctx.c.post("/api/v1/public/bookings/%s/reschedule" % z["reference"], body={"start": "2026-06-17T09:00:00+01:00"},
                   headers=h)
    assert r.status == 200, r
    time.sleep(1.2)
    assert len(ctx.sink.matching(to("lazyz@example.com", "Reminder"))) == 1
    at(ctx, "2026-06-17T06:59:59Z")  # one second before z's new 1 h instant
    time.sleep(1.2)
    assert len(ctx.sink.matching(to("lazyz@example.com", "Reminder"))) == 1
    at(ctx, "2026-06-17T07:00:00Z")
    deadline = time.time() + 5
    while time.time() < deadline and len(ctx.sink.matching(to("lazyz@example.com", "Reminder"))) < 2:
        time.sleep(0.05)
    time.sleep(1.2)
    assert len(ctx.sink.matching(to("lazyx@example.com", "Reminder"))) == 2
    assert len(ctx.sink.matching(to("lazyy@example.com", "Reminder"))) == 1
    assert len(ctx.sink.matching(to("lazyz@example.com", "Reminder"))) == 2
    # Each once: one row per reminder, all sent.
    sent = "SELECT COUNT(*) FROM notifications WHERE event = 'reminder' AND recipient LIKE 'lazy%%' AND status = '%s'"
    assert harness.query(ctx.db_url, sent % "sent") == "5"
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications WHERE event = 'reminder' AND recipient LIKE 'lazy%'") == "5"
    s.close()


def test_sms_to_the_provider(ctx):
    at(ctx, NOW)
    b = book(ctx, "2026-06-08T09:00:00+01:00", "sms@example.com", phone="+44 7700 900123", sms=True)
    deadline = time.time() + 5
    while time.time() < deadline and not ctx.sms.requests:
        time.sleep(0.05)
    assert len(ctx.sms.requests) == 1, ctx.sms.requests
    req = ctx.sms.requests[0]
    assert req["path"] == "/2010-04-01/Messages"
    assert req["type"] == "application/x-www-form-urlencoded"
    assert req["auth"] == "Basic " + base64.b64encode(b"AC123:tok").decode()
    assert req["form"]["To"] == "+44 7700 900123" and req["form"]["From"] == "+15550001"
    body = req["form"]["Body"]
    assert len(body) <= 70 and body.endswith("...") and body.startswith("Spa")
    # Without the opt-in, no SMS.
    book(ctx, "2026-06-08T11:00:00+01:00", "nosms@example.com", phone="+44 7700 900999")
    time.sleep(1.2)
    assert len(ctx.sms.requests) == 1


def test_sms_too_for_reminders(ctx):
    """A customer who opted in to SMS gets reminders by SMS as well as by email (they used to
    get only the confirmation by SMS)."""
    at(ctx, NOW)
    before = len(ctx.sms.requests)
    b = book(ctx, "2026-06-23T10:00:00+01:00", "smsrem@example.com", phone="+44 7700 900555", sms=True)
    at(ctx, "2026-06-22T09:00:01Z")  # the 24-hour reminder is due
    deadline = time.time() + 5
    def reminders():
        return [q for q in ctx.sms.requests[before:]
                if q["form"]["To"] == "+44 7700 900555" and "reminder" in q["form"]["Body"]]
    while time.time() < deadline and not reminders():
        time.sleep(0.05)
    assert len(reminders()) == 1, ctx.sms.requests[before:]
    assert len(ctx.sink.wait(to("smsrem@example.com", "Reminder"), timeout=5)) == 1
    # Cancelled: the 1-hour reminder goes on neither channel.
    r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % b["reference"],
                   headers={"Authorization": "Bearer " + b["manage_token"]}, body={})
    assert r.status == 200, r
    at(ctx, "2026-06-23T08:00:01Z")
    time.sleep(1.2)
    assert len(reminders()) == 1 and len(ctx.sink.matching(to("smsrem@example.com", "Reminder"))) == 1


def test_retry_of_an_unknown_notification_is_404(ctx):
    import staff
    at(ctx, NOW)
    staff.make_user(ctx, "spa", "desk@spa.test", "admin", "correct horse battery")
    s = staff.login(ctx, "spa", "desk@spa.test", "correct horse battery", server=ctx.srv)
    r = s.post(s.path("/notifications/ntf_doesnotexist/retry"), body={})
    assert r.status == 404, r
    b = book(ctx, "2026-06-24T10:00:00+01:00", "sent@example.com")
    ctx.sink.wait(to("sent@example.com", "Booked"), timeout=5)
    nid = harness.query(ctx.db_url, "SELECT n.id FROM notifications n JOIN bookings b ON b.id = n.booking_id "
                                    "WHERE b.reference = '%s' AND n.event = 'confirmed'" % b["reference"])
    r = s.post(s.path("/notifications/%s/retry" % nid), body={})
    assert r.status == 409, r  # sent, not failed: a conflict, not a stranger


def teardown(ctx):
    ctx.sink.stop()
    ctx.sms.stop()


def test_staff_history_templates_preview_and_settings(ctx):
    import staff
    at(ctx, NOW)
    staff.make_user(ctx, "spa", "owner@spa.test", "owner", "correct horse battery")
    s = staff.login(ctx, "spa", "owner@spa.test", "correct horse battery", server=ctx.srv)
    b = book(ctx, "2026-06-09T10:00:00+01:00", "hist@example.com")
    ctx.sink.wait(to("hist@example.com", "Booked"), timeout=5)
    detail = ctx.c.get("/api/v1/public/bookings/" + b["reference"], headers={"Authorization": "Bearer " + b["manage_token"]})
    assert detail.status == 200
    r = s.get(s.path("/notifications?status=sent"))
    assert r.status == 200, r
    assert r.json["delivery"]["email_configured"] is True
    sent = [n for n in r.json["notifications"] if n["recipient"] == "hist@example.com"]
    assert len(sent) == 1 and sent[0]["template"] == "confirmed" and sent[0]["attempts"] == 1
    assert sent[0]["sent_at"]
    assert sent[0]["booking_reference"] == b["reference"]  # the history names the booking as staff know it
    pending = s.get(s.path("/notifications?status=pending")).json["notifications"]
    assert {n["template"] for n in pending if n["recipient"] == "hist@example.com"} == {"reminder"}
    # Templates: the defaults, a custom one that fails validation, one that is saved and used.
    t = s.get(s.path("/notification-templates")).json
    assert "customer_name" in t["placeholders"]
    assert any(x["event"] == "confirmed" and x["channel"] == "email" and not x["custom"] for x in t["templates"])
    r = s.put(s.path("/notification-templates/confirmed/email"), body={"subject": "Hi {{nmae}}", "body_text": "x"})
    assert r.status == 422 and r.json["errors"][0]["field"] == "subject"
    r = s.put(s.path("/notification-templates/confirmed/email"),
              body={"subject": "See you, {{customer_name}}!", "body_text": "{{service_name}} at {{start_time}}",
                    "body_html": "<p>{{customer_name}}</p>"})
    assert r.status == 200, r
    p = s.post(s.path("/notification-templates/confirmed/email/preview"), body={"booking": b["reference"]})
    assert p.status == 200, p
    assert p.json["subject"] == "See you, Zoë Test!" and p.json["body_text"] == "Massage at 10:00"
    book(ctx, "2026-06-09T12:00:00+01:00", "custom@example.com")
    got = ctx.sink.wait(to("custom@example.com", "See you"), timeout=5)
    assert len(got) == 1
    assert s.delete(s.path("/notification-templates/confirmed/email")).status == 204
    assert s.put(s.path("/notification-templates/bogus/email"), body={"body_text": "x"}).status == 404
    # Settings.
    alerts = [{"email": "desk@spa.test", "events": ["new", "changed"]}, {"email": "boss@spa.test", "events": ["changed"]}]
    r = s.patch(s.path("/notification-settings"), body={"reminder_offsets_s": [7200], "quiet_start_min": 1320,
                                                         "quiet_end_min": 420, "staff_alerts": alerts})
    assert r.status == 200 and r.json["reminder_offsets_s"] == [7200] and r.json["staff_alerts"] == alerts
    assert s.patch(s.path("/notification-settings"), body={"reminder_offsets_s": [0]}).status == 422
    bad = s.patch(s.path("/notification-settings"), body={"staff_alerts": [{"email": "nobody", "events": ["new"]}]})
    assert bad.status == 422 and bad.json["errors"][0]["field"] == "staff_alerts"
    nb = book(ctx, "2026-06-10T10:00:00+01:00", "alerts@example.com")
    assert len(ctx.sink.wait(to("desk@spa.test", "New booking"), timeout=5)) == 1
    assert ctx.sink.matching(to("boss@spa.test")) == []  # the boss hears only of changes
    h = {"Authorization": "Bearer " + nb["manage_token"]}
    assert ctx.c.post("/api/v1/public/bookings/%s/cancel" % nb["reference"], body={}, headers=h).status == 200
    assert len(ctx.sink.wait(to("boss@spa.test", nb["reference"]), timeout=5)) == 1
    # The public routes need no login; the staff ones do.
    assert ctx.c.get("/api/v1/businesses/spa/notifications").status == 401


def test_manage_link_page_and_opt_out(ctx):
    import re
    import urllib.parse
    at(ctx, NOW)
    book(ctx, "2026-06-11T10:00:00+01:00", "page@example.com")
    m = ctx.sink.wait(to("page@example.com", "Booked"), timeout=5)[0]["msg"]
    text = m.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https://spa\.test(/b/[A-Z0-9-]+\?t=[A-Za-z0-9_-]+)", text).group(1)
    # The link opens the web app's page; the app calls the manage API with the link's token.
    page = ctx.c.get(link)
    assert page.status == 200 and page.header("Content-Type").startswith("text/html")
    assert "frame-ancestors 'none'" in page.header("Content-Security-Policy")
    ref, token = re.match(r"/b/([A-Z0-9-]+)\?t=(.+)$", link).groups()
    api = "/api/v1/public/bookings/%s" % ref
    got = ctx.c.get("%s?t=%s" % (api, token))
    assert got.status == 200 and got.json["status"] == "confirmed", got
    assert got.json["reference"] == ref
    assert ctx.c.get("%s/calendar.ics?t=%s" % (api, token)).status == 200
    assert ctx.c.get("%s?t=%sxyz" % (api, token[:-3])).status == 404
    # Everything the manage page offers works with the emailed link's token: reschedule too.
    moved = ctx.c.post("%s/reschedule?t=%s" % (api, token), body={"start": "2026-06-11T15:00:00+01:00"})
    assert moved.status == 200 and moved.json["start"] == "2026-06-11T15:00:00+01:00", moved
    assert ctx.c.post("%s/reschedule?t=%sxyz" % (api, token[:-3]),
                      body={"start": "2026-06-11T16:00:00+01:00"}).status == 404
    done = ctx.c.post("%s/cancel?t=%s" % (api, token), body={})
    assert done.status == 200 and done.json["status"] == "cancelled", done
    assert len(ctx.sink.wait(to("page@example.com", "Cancelled"), timeout=5)) == 1
    # Opt out from a reminder's link; later reminders are withdrawn.
    book(ctx, "2026-06-12T10:00:00+01:00", "quiet@example.com")
    at(ctx, "2026-06-11T07:00:00Z")  # 2 h offset set above: due 07:00 UTC on the 12th, not yet
    at(ctx, "2026-06-12T07:00:00Z")
    rem = ctx.sink.wait(to("quiet@example.com", "Reminder"), timeout=5)
    assert len(rem) == 1
    body = rem[0]["msg"].get_body(preferencelist=("plain",)).get_content()
    opt = re.search(r"https://spa\.test(/api/v1/public/notifications/opt-out\?b=[\w-]+&c=[\w-]+&token=[\w-]+)", body).group(1)
    ask = ctx.c.get(opt)  # a link scanner opening it changes nothing
    assert ask.status == 200 and "Stop reminders" in ask.body and 'method="post"' in ask.body
    assert ctx.c.get(opt[:-4] + "AAAA").status == 404
    assert ctx.c.post(opt[:-4] + "AAAA", body={}).status == 404
    assert ctx.c.get("/api/v1/public/notifications/opt-out").status == 404  # no parameters at all
    assert ctx.c.post("/api/v1/public/notifications/opt-out?b=x", body={}).status == 404
    done = ctx.c.post(opt, body={})
    assert done.status == 200 and "No more reminders" in done.body
    # Later bookings of this customer get no reminders.
    book(ctx, "2026-06-19T10:00:00+01:00", "quiet@example.com")
    at(ctx, "2026-06-18T09:00:00Z")
    time.sleep(1.2)
    assert len(ctx.sink.matching(to("quiet@example.com", "Reminder"))) == 1


def test_times_in_the_customers_zone(ctx):
    at(ctx, NOW)
    book(ctx, "2026-06-15T10:00:00+01:00", "tokyo@example.com", timezone="Asia/Tokyo")
    got = ctx.sink.wait(to("tokyo@example.com", "Booked"), timeout=5)
    assert len(got) == 1
    assert str(got[0]["msg"]["Subject"]) == "Booked: Massage on Mon 15 Jun 2026 at 18:00"
    assert "Asia/Tokyo" in got[0]["msg"].get_body(preferencelist=("plain",)).get_content()
    r = ctx.c.post("/api/v1/public/spa/bookings", body={"service": "massage", "start": "2026-06-15T12:00:00+01:00",
                   "customer": {"name": "X", "email": "x@example.com", "timezone": "Mars/Base"}})
    assert r.status == 422 and r.json["errors"][0]["field"] == "customer.timezone"
