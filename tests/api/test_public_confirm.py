"""Public bookings that wait for an emailed confirmation (the business's confirm_by_email),
the honeypot field, and what an anonymous booking may change of a known customer."""
import re
import time

import harness
import staff
from sinks import SmtpSink

FIXTURE = {
    "business": {"slug": "calm", "name": "Calm", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 3600,
                  "providers": ["ann"], "price_minor": 5000}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"
PW = "a long enough secret"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, "calm", "owner@calm.test", "owner", PW)
    ctx.sink = SmtpSink()
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "bookings@calm.test", "--public-url", "https://calm.test"])
    ctx.c = ctx.srv.client


def teardown(ctx):
    ctx.sink.stop()


def at(ctx, instant):
    assert ctx.c.post("/api/v1/test/clock", body={"now": instant}).status == 200


def to(addr, subject_part=None):
    def pred(m):
        return addr in m["to"] and (subject_part is None or subject_part in str(m["msg"]["Subject"]))
    return pred


def book(ctx, start, email, **extra):
    body = {"service": "massage", "start": start, "customer": {"name": "Zoe", "email": email}}
    body.update(extra)
    return ctx.c.post("/api/v1/public/calm/bookings", body=body)


def free(ctx, date):
    r = ctx.c.get("/api/v1/public/calm/availability?service=massage&from=%s&to=%s" % (date, date))
    return [s["start"] for s in r.json["days"][0]["slots"]]


def planned(ctx, ref):
    """The due instants of the booking's reminders still to come, as staff see them."""
    s = staff.login(ctx, "calm", "owner@calm.test", PW, server=ctx.srv)
    bid = harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % ref)
    r = s.get(s.path("/notifications?booking=%s&status=pending" % bid))
    assert r.status == 200, r
    rows = [n for n in r.json["notifications"] if n.get("planned")]
    assert all(n["template"] == "reminder" and n["channel"] == "email" and n["booking_reference"] == ref
               for n in rows), rows
    return sorted(n["due_at"] for n in rows)


def notifications(ctx, ref):
    db = ctx.db_url
    n = harness.query(db, "SELECT COUNT(*) FROM notifications n JOIN bookings b ON b.business_id = n.business_id "
                          "AND b.id = n.booking_id WHERE b.reference = '%s'" % ref)
    events = []
    if int(n):
        for i in range(int(n)):
            events.append(harness.query(db, "SELECT n.event FROM notifications n JOIN bookings b ON "
                                            "b.business_id = n.business_id AND b.id = n.booking_id WHERE "
                                            "b.reference = '%s' ORDER BY n.event LIMIT 1 OFFSET %d" % (ref, i)))
    return sorted(events)


def confirm_mode(ctx, on):
    s = staff.login(ctx, "calm", "owner@calm.test", PW)  # the test clock may have ended a session
    r = s.request("PATCH", s.path("/protection"), body={"confirm_by_email": on})
    assert r.status == 200 and r.json["confirm_by_email"] is on, r


def link_of(msg):
    """The confirmation link of a confirm_request email: /b/REF/confirm?t=TOKEN."""
    text = msg.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https://calm\.test(/b/[A-Z0-9-]+/confirm\?t=[A-Za-z0-9_-]+)", text).group(1)


def test_booking_waits_for_the_emailed_confirmation(ctx):
    at(ctx, NOW)
    confirm_mode(ctx, True)
    start = "2026-06-02T09:00:00+01:00"
    r = book(ctx, start, "zoe@example.com")
    assert r.status == 201, r
    assert r.json["status"] == "held" and r.json["awaiting_confirmation"] is True, r
    assert r.json["expires_at"] == "2026-06-01T08:00:00+01:00", r  # confirm_within_s: an hour
    ref, token = r.json["reference"], r.json["manage_token"]
    assert start not in free(ctx, "2026-06-02")  # the slot is kept meanwhile
    got = ctx.sink.wait(to("zoe@example.com", "Please confirm"), timeout=5)
    assert len(got) == 1, ctx.sink.messages
    # Nothing else is queued for an address that has not confirmed: no booking mail, no reminders.
    assert notifications(ctx, ref) == ["confirm_request"], notifications(ctx, ref)
    # The manage token (which whoever sent the request holds) cannot confirm it.
    h = {"Authorization": "Bearer " + token}
    assert ctx.c.get("/api/v1/public/bookings/%s" % ref, headers=h).json["status"] == "held"
    link = link_of(got[0]["msg"])
    token = link.split("?t=")[1]
    # Opening the link (a mail scanner does) asks and confirms nothing; neither does reading
    # the booking with the link's token, and the manage token cannot confirm it at all.
    page = ctx.c.get(link)
    assert page.status == 200 and "Confirm this booking" in page.body and 'method="post"' in page.body, page
    r = ctx.c.get("/api/v1/public/bookings/%s?t=%s" % (ref, token))
    assert r.status == 200 and r.json["status"] == "held" and r.json["awaiting_confirmation"] is True, r
    r = ctx.c.post("/api/v1/public/bookings/%s/confirm" % ref, headers=h, body={})
    assert r.status == 404, r
    assert ctx.c.get(link[:-3] + "xyz").status == 404
    assert ctx.c.post(link[:-3] + "xyz", body={}).status == 404
    assert ctx.c.get("/api/v1/public/bookings/%s" % ref, headers=h).json["status"] == "held"
    done = ctx.c.post(link, body={})
    assert done.status == 200 and "your booking is confirmed" in done.body, done
    b = ctx.c.get("/api/v1/public/bookings/%s" % ref, headers=h).json
    assert b["status"] == "confirmed" and "awaiting_confirmation" not in b, b
    assert len(ctx.sink.wait(to("zoe@example.com", "Booked"), timeout=5)) == 1
    # The reminders are planned from the confirmation (written only when each falls due):
    # the staff history lists both, computed from the booking.
    assert notifications(ctx, ref) == ["confirm_request", "confirmed"], notifications(ctx, ref)
    assert planned(ctx, ref) == ["2026-06-01T09:00:00+01:00", "2026-06-02T08:00:00+01:00"], planned(ctx, ref)
    again = ctx.c.post(link, body={})
    assert again.status == 200 and "Booking confirmed" in again.body, again
    r = ctx.c.post("/api/v1/public/bookings/%s/confirm?t=%s" % (ref, token), body={})
    assert r.status == 409 and "already confirmed" in r.json["detail"], r
    # The API route does the same for the web app, with the link's token.
    r = book(ctx, "2026-06-02T11:00:00+01:00", "zed@example.com")
    assert r.status == 201 and r.json["awaiting_confirmation"] is True, r
    zed = ctx.sink.wait(to("zed@example.com", "Please confirm"), timeout=5)
    zt = link_of(zed[0]["msg"]).split("?t=")[1]
    r = ctx.c.post("/api/v1/public/bookings/%s/confirm?t=%s" % (r.json["reference"], zt), body={})
    assert r.status == 200 and r.json["status"] == "confirmed", r

def test_unconfirmed_booking_lapses_and_frees_the_slot(ctx):
    at(ctx, NOW)
    confirm_mode(ctx, True)
    start = "2026-06-03T10:00:00+01:00"
    # From a hold, too: the hold becomes the unconfirmed booking.
    h = ctx.c.post("/api/v1/public/calm/holds", body={"service": "massage", "start": start})
    assert h.status == 201, h
    r = ctx.c.post("/api/v1/public/calm/bookings",
                   body={"hold": h.json["id"], "customer": {"name": "Mal", "email": "victim@example.com"}})
    assert r.status == 201 and r.json["status"] == "held" and r.json["awaiting_confirmation"], r
    ref = r.json["reference"]
    got = ctx.sink.wait(to("victim@example.com", "Please confirm"), timeout=5)
    assert len(got) == 1
    assert start not in free(ctx, "2026-06-03")
    at(ctx, "2026-06-01T07:00:01Z")  # past confirm_within_s
    deadline = time.time() + 5
    while time.time() < deadline and start not in free(ctx, "2026-06-03"):
        time.sleep(0.1)
    assert start in free(ctx, "2026-06-03")  # expired like a hold
    status = "SELECT status FROM bookings WHERE reference = '%s'" % ref
    while time.time() < deadline and harness.query(ctx.db_url, status) != "expired":
        time.sleep(0.1)
    assert harness.query(ctx.db_url, status) == "expired"
    done = ctx.c.post(link_of(got[0]["msg"]), body={})
    assert done.status == 409 and "not confirmed in time" in done.body, done
    # Well past the booking's start: no reminder ever went to the address that never confirmed.
    at(ctx, "2026-06-03T09:30:00Z")
    time.sleep(1.2)
    assert ctx.sink.matching(to("victim@example.com", "Reminder")) == []
    assert notifications(ctx, ref) == ["confirm_request"]
    assert harness.query(ctx.db_url, "SELECT bookings_count FROM customers WHERE email_norm = 'victim@example.com'") == "0"
    confirm_mode(ctx, False)
    r = book(ctx, "2026-06-03T11:00:00+01:00", "direct@example.com")
    assert r.status == 201 and r.json["status"] == "confirmed" and "awaiting_confirmation" not in r.json, r


def test_filled_honeypot_is_refused_without_a_reason(ctx):
    at(ctx, NOW)
    before = harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings")
    r = book(ctx, "2026-06-04T09:00:00+01:00", "bot@example.com", website="http://spam.example")
    assert r.status == 422 and "errors" not in r.json, r
    assert "website" not in r.body
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings") == before
    r = book(ctx, "2026-06-04T09:00:00+01:00", "person@example.com", website="")
    assert r.status == 201, r


def test_anonymous_booking_never_overwrites_a_known_customer(ctx):
    at(ctx, NOW)
    s = staff.login(ctx, "calm", "owner@calm.test", PW)
    r = s.post(s.path("/bookings"), body={"service": "massage", "start": "2026-06-05T09:00:00+01:00",
                                          "customer": {"name": "Ada Real", "email": "ada@example.com",
                                                       "phone": "+44 1111"}})
    assert r.status == 201, r
    # A stranger books under Ada's email with another name and phone.
    r = book(ctx, "2026-06-05T11:00:00+01:00", "ADA@example.com",
             customer={"name": "Mallory", "email": "ADA@example.com", "phone": "+44 9999"})
    assert r.status == 201, r
    ref = r.json["reference"]
    cust = s.get(s.path("/customers?q=ada@example.com")).json["customers"][0]
    assert cust["name"] == "Ada Real" and cust["phone"] == "+44 1111", cust
    b = s.get(s.path("/bookings/%s" % ref)).json
    # The booking keeps what was typed for it, and staff see that it differs from the profile.
    assert b["customer"]["name"] == "Mallory" and b["customer"]["phone"] == "+44 9999", b
    assert sorted(b["customer"]["differs"]) == ["name", "phone"], b["customer"]
    # Blanks are filled: a known email with no phone on file gets the one typed.
    r = s.post(s.path("/bookings"), body={"service": "massage", "start": "2026-06-05T13:00:00+01:00",
                                          "customer": {"name": "Bo", "email": "bo@example.com"}})
    assert r.status == 201, r
    r = book(ctx, "2026-06-05T14:00:00+01:00", "bo@example.com",
             customer={"name": "Bo Other", "email": "bo@example.com", "phone": "+44 2222"})
    assert r.status == 201, r
    cust = s.get(s.path("/customers?q=bo@example.com")).json["customers"][0]
    assert cust["name"] == "Bo" and cust["phone"] == "+44 2222", cust
