"""The public API under attack: bodies refuse keys they do not know and text with control
characters, holds and bookings are capped per client, and one address cannot empty a
calendar or send mail for others."""
import json
import os
import tempfile

import harness

NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London

FIXTURE = {
    "business": {"slug": "hard", "name": "Hard", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "resources": [{"id": "lambo", "name": "Lamborghini"}, {"id": "ferrari", "name": "Ferrari"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"]},
        {"id": "hire", "name": "Hire", "kind": "rental", "duration_s": 3600, "slot_interval_s": 3600,
         "resources": ["lambo", "ferrari"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}


def setup(ctx):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(FIXTURE, f)
    harness.bookd("import", "--db", ctx.db_url, "--file", path)
    os.unlink(path)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client


def errors(r):
    return {e["field"]: e["detail"] for e in (r.json or {}).get("errors", [])}


def count(ctx, sql):
    return int(harness.query(ctx.db_url, sql)[0][0])


CUSTOMER = {"name": "Kim Lee", "email": "kim@example.com"}


def test_unknown_keys_are_refused_and_named(ctx):
    c = ctx.c
    before = count(ctx, "SELECT COUNT(*) FROM bookings")
    # The Ferrari customer: "resource" is not a field (it is "provider"); never silently ignored.
    r = c.post("/api/v1/public/hard/bookings",
               body={"service": "hire", "start": "2026-06-02T09:00:00+01:00",
                     "end": "2026-06-02T12:00:00+01:00", "resource": "ferrari", "waitlist": True,
                     "deposit_minor": 0, "customer": dict(CUSTOMER, vip=True)})
    assert r.status == 422, r
    e = errors(r)
    assert set(e) == {"resource", "waitlist", "deposit_minor", "customer.vip"}, e
    assert e["resource"] == "is not a field of this object", e
    r = c.post("/api/v1/public/hard/holds",
               body={"service": "hire", "start": "2026-06-02T09:00:00+01:00",
                     "end": "2026-06-02T12:00:00+01:00", "resource": "ferrari"})
    assert r.status == 422 and set(errors(r)) == {"resource"}, r
    assert count(ctx, "SELECT COUNT(*) FROM bookings") == before  # nothing held or booked

    # The documented fields still book, and the manage routes refuse strangers too.
    r = c.post("/api/v1/public/hard/bookings",
               body={"service": "hire", "start": "2026-06-02T09:00:00+01:00",
                     "end": "2026-06-02T12:00:00+01:00", "provider": "ferrari", "seats": 1,
                     "notes": "", "customer": dict(CUSTOMER, phone="+44 1", timezone="Europe/Paris",
                                                   sms=False)})
    assert r.status == 201 and r.json["provider"] == "ferrari", r
    ref, token = r.json["reference"], r.json["manage_token"]
    h = {"Authorization": "Bearer " + token}
    r = c.post("/api/v1/public/bookings/%s/reschedule" % ref, headers=h,
               body={"start": "2026-06-03T09:00:00+01:00", "end": "2026-06-03T12:00:00+01:00",
                     "resource": "lambo"})
    assert r.status == 422 and set(errors(r)) == {"resource"}, r
    r = c.post("/api/v1/public/bookings/%s/cancel" % ref, headers=h, body={"reason": "x", "refund": 100})
    assert r.status == 422 and set(errors(r)) == {"refund"}, r
    r = c.get("/api/v1/public/bookings/%s" % ref, headers=h)
    assert r.json["status"] == "confirmed" and r.json["start"].startswith("2026-06-02T09:00"), r


def test_control_characters_are_refused_in_text_fields(ctx):
    c = ctx.c
    before = count(ctx, "SELECT COUNT(*) FROM bookings")
    body = {"service": "cut", "start": "2026-06-04T10:00:00+01:00",
            "customer": {"name": "Eve\r\nBcc: x@y", "email": "eve@example.com",
                         "phone": "+44\t1"}, "notes": "fine\rnot"}
    r = c.post("/api/v1/public/hard/bookings", body=body)
    assert r.status == 422, r
    e = errors(r)
    assert set(e) == {"customer.name", "customer.phone", "notes"}, e
    for bad in ("Eve\nEve", "Eve\x00", "Eve\x1b[31m", "Eve\x7f", "Eve\u0085", "Eve\u2028x"):
        body = {"service": "cut", "start": "2026-06-04T10:00:00+01:00",
                "customer": {"name": bad, "email": "eve@example.com"}}
        r = c.post("/api/v1/public/hard/bookings", body=body)
        if "\x00" in bad:
            assert r.status in (400, 422), (bad, r)  # the JSON reader refuses \u0000 itself
        else:
            assert r.status == 422 and set(errors(r)) == {"customer.name"}, (bad, r)
    assert count(ctx, "SELECT COUNT(*) FROM bookings") == before
    # Notes are multi-line: line feeds and tabs stay, the rest of the name is plain text.
    r = c.post("/api/v1/public/hard/bookings",
               body={"service": "cut", "start": "2026-06-04T10:00:00+01:00",
                     "customer": {"name": "Ève O'Neil", "email": "eve@example.com"},
                     "notes": "line one\n\tline two"})
    assert r.status == 201, r
    ref, token = r.json["reference"], r.json["manage_token"]
    r = c.get("/api/v1/public/bookings/%s" % ref, headers={"Authorization": "Bearer " + token})
    assert r.json["notes"] == "line one\n\tline two" and r.json["customer"]["name"] == "Ève O'Neil", r
    r = c.post("/api/v1/public/bookings/%s/cancel" % ref, headers={"Authorization": "Bearer " + token},
               body={"reason": "bye\r\nX-Injected: 1"})
    assert r.status == 422 and set(errors(r)) == {"reason"}, r
