"""One customer, one place at a time: a public booking whose customer (matched by email)
already holds an overlapping live booking is refused with 409 customer_overlap, naming the
field and never the other booking; cancelled ones, touching times, staff bookings, a service
that allows it and the business setting "allow" pass; parallel requests by one email cannot
both pass. And the referral tag: validated, normalised, returned, filtered, exported, and
counted in analytics."""

import csv
import io

import harness
import staff

SLUG = "salon"
DAYS = ("mon", "tue", "wed", "thu", "fri")
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}, {"id": "cy", "name": "Cy"},
                  {"id": "dee", "name": "Dee"}] + [{"id": "p%d" % i, "name": "P%d" % i} for i in range(8)],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 1800, "min_notice_s": 0,
         "price_minor": 3000, "providers": ["ann", "bob", "cy", "dee"] + ["p%d" % i for i in range(8)]},
        {"id": "nails", "name": "Nails", "duration_s": 1800, "slot_interval_s": 1800, "min_notice_s": 0,
         "price_minor": 2000, "providers": ["ann", "bob", "cy", "dee"]},
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 10,
         "price_minor": 1000, "min_notice_s": 0, "providers": ["ann"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"} for d in DAYS],
    "sessions": [{"id": "y1", "service": "yoga", "provider": "ann", "start": "2026-06-10T17:00:00Z"}],
}
NOW = "2026-06-01T06:00:00Z"  # a Monday
PW = "a long enough password"
B = "/api/v1/public/%s/bookings" % SLUG


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@salon.test", "owner", PW)
    staff.make_user(ctx, SLUG, "s@salon.test", "staff", PW)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.staff = staff.login(ctx, SLUG, "s@salon.test", PW)
    r = ctx.owner.patch(ctx.owner.path("/protection"), body={
        "bookings_per_address_hour": 0, "bookings_per_address_day": 0,
        "bookings_per_email_hour": 0, "bookings_per_email_day": 0,
        "holds_per_client": 0, "holds_per_address": 0, "hold_day_share": 0})
    assert r.status == 200, r


def at(day, hour, minute=0):
    """A June 2026 instant in London (summer time)."""
    return "2026-06-%02dT%02d:%02d:00+01:00" % (day, hour, minute)


def book(ctx, start, email, service="cut", provider=None, client=None, **more):
    body = {"service": service, "start": start, "customer": {"name": "Cleo", "email": email}}
    if provider:
        body["provider"] = provider
    body.update(more)
    return (client or ctx.srv.client).post(B, body=body)


def assert_overlap(r, secret=None):
    assert r.status == 409, r
    assert r.header("Content-Type").startswith("application/problem+json"), r
    assert r.json["reason"] == "customer_overlap", r.json
    assert [e["field"] for e in r.json["errors"]] == ["customer.email"], r.json
    assert "manage" in r.json["detail"] or "link" in r.json["detail"], r.json
    if secret:  # the other booking is never named to whoever typed the email
        assert secret not in r.body, r.body


def test_a_overlapping_appointment_refused_touching_allowed(ctx):
    first = book(ctx, at(2, 10), "cleo@example.com", provider="ann")
    assert first.status == 201, first
    # Another provider at an overlapping time, the email typed differently: refused.
    r = book(ctx, at(2, 10, 30), "  Cleo@Example.COM ", service="nails", provider="bob")
    assert_overlap(r, first.json["reference"])
    # Touching (11:00, right after 10:00-11:00) is no overlap; another email neither.
    assert book(ctx, at(2, 11), "cleo@example.com", service="nails").status == 201
    assert book(ctx, at(2, 10), "other@example.com", provider="bob").status == 201
    n = harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings b JOIN customers c ON "
                      "c.id = b.customer_id WHERE c.email_norm = 'cleo@example.com'")
    assert n == "2", n  # nothing of the refused one was written


def test_b_two_seats_of_one_session_refused(ctx):
    start = "2026-06-10T18:00:00+01:00"
    assert book(ctx, start, "yogi@example.com", service="yoga").status == 201
    r = book(ctx, start, "yogi@example.com", service="yoga")
    assert_overlap(r)
    # Seats are the way to book several: one booking of two seats passes for another email.
    assert book(ctx, start, "pair@example.com", service="yoga", seats=2).status == 201


def test_c_a_hold_turned_booking_is_checked_and_cancelled_ones_do_not_count(ctx):
    first = book(ctx, at(3, 9), "hal@example.com", provider="ann")
    assert first.status == 201, first
    h = ctx.srv.client.post("/api/v1/public/%s/holds" % SLUG, body={"service": "nails", "start": at(3, 9), "provider": "bob"})
    assert h.status == 201, h
    r = ctx.srv.client.post(B, body={"hold": h.json["id"], "customer": {"name": "Hal", "email": "hal@example.com"}})
    assert_overlap(r, first.json["reference"])
    # The hold itself is left as it was (the refused write rolled back whole).
    assert harness.query(ctx.db_url, "SELECT status FROM bookings WHERE id = '%s'" % h.json["id"]) == "held"
    # Cancelled by the customer: the time is theirs to book again.
    ref, tok = first.json["reference"], first.json["manage_token"]
    c = ctx.srv.client.post("/api/v1/public/bookings/%s/cancel" % ref, body={},
                            headers={"Authorization": "Bearer " + tok})
    assert c.status == 200, c
    r = ctx.srv.client.post(B, body={"hold": h.json["id"], "customer": {"name": "Hal", "email": "hal@example.com"}})
    assert r.status == 201, r


def test_d_staff_bookings_are_not_refused(ctx):
    assert book(ctx, at(4, 9), "sam@example.com", provider="ann").status == 201
    r = ctx.owner.post(ctx.owner.path("/bookings"), body={
        "service": "nails", "start": at(4, 9), "provider": "bob",
        "customer": {"name": "Sam", "email": "sam@example.com"}})
    assert r.status == 201, r
    # Staff are warned, not refused.
    assert [w["code"] for w in r.json["warnings"]] == ["customer_overlap"], r.json
    r = ctx.owner.post(ctx.owner.path("/bookings"), body={
        "service": "nails", "start": at(4, 12), "provider": "bob",
        "customer": {"name": "Sam", "email": "sam@example.com"}})
    assert r.status == 201 and "warnings" not in r.json, r


def test_e_settings_service_flag_and_business_policy(ctx):
    g = ctx.staff.get(ctx.staff.path("/customer-overlap"))
    assert g.status == 200, g
    assert g.json["policy"] == "refuse"
    assert {s["id"]: s["allow_overlap"] for s in g.json["services"]} == {"cut": False, "nails": False, "yoga": False}
    # Staff read; only admin and owner change.
    assert ctx.staff.patch(ctx.staff.path("/customer-overlap"), body={"policy": "allow"}).status == 403
    bad = ctx.owner.patch(ctx.owner.path("/customer-overlap"), body={"policy": "sometimes"})
    assert bad.status == 422 and bad.json["errors"][0]["field"] == "policy", bad
    bad = ctx.owner.patch(ctx.owner.path("/customer-overlap"),
                          body={"services": [{"id": "nails", "allow_overlap": True}, {"id": "nope", "allow_overlap": True}]})
    assert bad.status == 422 and bad.json["errors"][0]["field"] == "services", bad
    # All or nothing: nails was not changed by the refused request.
    assert book(ctx, at(5, 9), "fam@example.com", provider="ann").status == 201
    assert_overlap(book(ctx, at(5, 9), "fam@example.com", service="nails", provider="bob"))
    r = ctx.owner.patch(ctx.owner.path("/customer-overlap"), body={"services": [{"id": "nails", "allow_overlap": True}]})
    assert r.status == 200 and {s["id"]: s["allow_overlap"] for s in r.json["services"]}["nails"] is True, r
    assert book(ctx, at(5, 9), "fam@example.com", service="nails", provider="bob").status == 201
    # A second cut still meets the first (neither service allows it).
    assert_overlap(book(ctx, at(5, 9), "fam@example.com", provider="cy"))
    r = ctx.owner.patch(ctx.owner.path("/customer-overlap"), body={"policy": "allow"})
    assert r.status == 200 and r.json["policy"] == "allow", r
    assert book(ctx, at(5, 9), "fam@example.com", provider="dee").status == 201
    r = ctx.owner.patch(ctx.owner.path("/customer-overlap"),
                        body={"policy": "refuse", "services": [{"id": "nails", "allow_overlap": False}]})
    assert r.status == 200, r
    # The configuration document carries it.
    doc = ctx.owner.get(ctx.owner.path("/config")).json
    assert doc["customer_overlap"]["policy"] == "refuse"
    assert doc["customer_overlap"]["services"] == []  # only the services that allow it


def test_f_parallel_requests_by_one_email_cannot_both_pass(ctx):
    def attempt(i):
        c = ctx.srv.new_client()
        # Eight free providers, overlapping starts: only the customer rule can refuse.
        r = book(ctx, at(8, 14, 30 * (i % 2)), "racer@example.com", provider="p%d" % i, client=c)
        c.close()
        return r

    rs = harness.parallel(8, attempt)
    assert all(not isinstance(r, Exception) for r in rs), rs
    assert sorted(r.status for r in rs) == [201] + [409] * 7, [r.status for r in rs]
    for r in rs:
        if r.status == 409:
            assert_overlap(r)
    n = harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings WHERE customer_email = 'racer@example.com'")
    assert n == "1", n


def test_f2_a_booking_waiting_for_its_emailed_confirmation_counts(ctx):
    assert ctx.owner.patch(ctx.owner.path("/protection"), body={"confirm_by_email": True}).status == 200
    try:
        r = book(ctx, at(10, 9), "wait@example.com", provider="ann")
        assert r.status == 201 and r.json.get("awaiting_confirmation") is True, r
        assert_overlap(book(ctx, at(10, 9, 30), "wait@example.com", service="nails", provider="bob"), r.json["reference"])
    finally:
        assert ctx.owner.patch(ctx.owner.path("/protection"), body={"confirm_by_email": False}).status == 200


def test_g_referral_validated_normalised_and_returned(ctx):
    for bad in ("has space", "x" * 81, "emoji\u2603", 12):
        r = book(ctx, at(9, 9), "ref@example.com", referral=bad)
        assert r.status == 422, r
        assert [e["field"] for e in r.json["errors"]] == ["referral"], r.json
    r = book(ctx, at(9, 9), "ref@example.com", provider="ann", referral=" Newsletter/Spring ")
    assert r.status == 201, r
    assert r.json["referral"] == "newsletter/spring"
    m = ctx.srv.client.get("/api/v1/public/bookings/%s" % r.json["reference"],
                           headers={"Authorization": "Bearer " + r.json["manage_token"]})
    assert m.json["referral"] == "newsletter/spring", m.json
    # Staff create it too, and see it in the detail and the list.
    s = ctx.owner.post(ctx.owner.path("/bookings"), body={
        "service": "nails", "start": at(9, 11), "provider": "bob", "referral": "partner-gym",
        "customer": {"name": "Pat", "email": "pat@example.com"}})
    assert s.status == 201 and s.json["referral"] == "partner-gym", s
    bad = ctx.owner.post(ctx.owner.path("/bookings"), body={
        "service": "nails", "start": at(9, 12), "referral": "a b",
        "customer": {"name": "Pat", "email": "pat@example.com"}})
    assert bad.status == 422 and bad.json["errors"][0]["field"] == "referral", bad
    d = ctx.owner.get(ctx.owner.path("/bookings/%s" % r.json["reference"]))
    assert d.json["referral"] == "newsletter/spring", d.json
    lst = ctx.owner.get(ctx.owner.path("/bookings?referral=Newsletter/Spring&from=2026-06-01&to=2026-06-30"))
    assert lst.status == 200, lst
    assert [b["reference"] for b in lst.json["bookings"]] == [r.json["reference"]], lst.json
    assert lst.json["bookings"][0]["referral"] == "newsletter/spring"
    assert ctx.owner.get(ctx.owner.path("/bookings?referral=a%20b")).status == 400
    text = ctx.owner.get(ctx.owner.path("/bookings.csv?from=2026-06-09&to=2026-06-09")).body
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {x["referral"] for x in rows} == {"newsletter/spring", "partner-gym"}, rows


def test_h_analytics_by_referral(ctx):
    r = ctx.owner.get(ctx.owner.path("/analytics?from=2026-06-09&to=2026-06-09&group=day&by=referral"))
    assert r.status == 200, r
    groups = {g["key"]: g for g in r.json["periods"][0]["groups"]}
    assert groups["newsletter/spring"]["bookings"] == 1
    assert groups["newsletter/spring"]["revenue"]["amount_minor"] == 3000
    assert groups["partner-gym"]["revenue"]["amount_minor"] == 2000


def test_i_the_rule_travels_with_the_configuration_document(ctx):
    path = ctx.owner.path("/config")
    doc = ctx.owner.get(path).json
    doc["customer_overlap"] = {"policy": "allow", "services": [{"id": "yoga", "allow_overlap": True}]}
    r = ctx.owner.put(path, body=doc)
    assert r.status == 200, r
    now = ctx.owner.get(ctx.owner.path("/customer-overlap")).json
    assert now["policy"] == "allow" and {s["id"]: s["allow_overlap"] for s in now["services"]}["yoga"] is True, now
    # Bad values are named by their path; a service not in the document is refused.
    for bad, field in (({"policy": "x"}, "customer_overlap.policy"),
                       ({"services": [{"id": "ghost", "allow_overlap": True}]}, "customer_overlap.services[0].id"),
                       ({"services": [{"id": "yoga", "allow_overlap": 1}]}, "customer_overlap.services[0].allow_overlap")):
        doc["customer_overlap"] = bad
        r = ctx.owner.put(path, body=doc)
        assert r.status == 422 and field in {e["field"] for e in r.json["errors"]}, (bad, r)
    assert ctx.owner.get(ctx.owner.path("/customer-overlap")).json == now
    # `bookd import` of the export makes a business with the same rule.
    exported = ctx.owner.get(path).json
    exported["business"]["slug"] = "salon-copy"
    harness.import_doc(ctx.db_url, exported)
    assert harness.query(ctx.db_url, "SELECT customer_overlap FROM businesses WHERE slug = 'salon-copy'") == "allow"
    assert harness.query(ctx.db_url, "SELECT s.allow_customer_overlap FROM services s JOIN businesses b ON "
                         "b.id = s.business_id WHERE b.slug = 'salon-copy' AND s.id = 'yoga'") == "1"
