"""A public group booking counts against the business's public booking limits like the
bookings it makes: each participant is a booking of the client's address, so a third group
from one address past bookings_per_address_hour is refused (429, nothing written)."""
import harness
import staff

SLUG = "lim"
PW = "a long enough password"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Lim", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "lea", "name": "Lea"}],
    "services": [{"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 20,
                  "providers": ["lea"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "sessions": [{"id": "s1", "service": "yoga", "provider": "lea", "start": "2026-06-10T17:00:00Z"}],
}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@lim.test", "owner", PW)
    # The public limits on, whatever the suite sets (scripts/test.sh turns them off).
    ctx.srv = ctx.server(test_clock="2026-06-01T06:00:00Z",
                         env={"BOOKD_RATE_LIMITS": "public_addr=100000/60,public_business=100000/60"})
    ctx.owner = staff.login(ctx, SLUG, "o@lim.test", PW)


def group(c, n, tag):
    return c.post("/api/v1/public/%s/groups" % SLUG, body={
        "service": "yoga", "start": "2026-06-10T17:00:00Z",
        "organiser": {"name": "O", "email": "o-%s@example.com" % tag},
        "participants": [{"name": "P%d" % i, "email": "p%d-%s@example.com" % (i, tag)} for i in range(n)]})


def test_groups_count_against_the_address_limit(ctx):
    o = ctx.owner
    r = o.request("PATCH", o.path("/protection"), body={"bookings_per_address_hour": 3})
    assert r.status == 200, r
    assert o.put(o.path("/services/yoga/group-rules"), body={"group_min": 2, "group_max": 4}).status == 200
    c = ctx.srv.client
    assert group(c, 2, "a").status == 201
    assert group(c, 2, "b").status == 201  # 2 booked from the address, under 3
    r = group(c, 2, "c")
    assert r.status == 429 and r.json["limit"] == "bookings_per_address_hour", r
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM booking_groups") == "2"
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings") == "4"
