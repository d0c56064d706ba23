"""A booking group ends with its last booking: when every participant cancels by their own
link, the group is cancelled too (it used to stay "active" with nobody in it). And the
staff role reads a booking's group (the dashboard shows it on the booking), only for a
booking it may see; changing a group stays admin's."""
import harness
import staff

SLUG = "grpend"
PW = "a long enough password"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Group End", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "lea", "name": "Lea"}, {"id": "max", "name": "Max"}],
    "services": [
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 8,
         "min_notice_s": 0, "providers": ["lea"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "sessions": [{"id": "s1", "service": "yoga", "provider": "lea", "start": "2026-06-10T17:00:00Z"}],
}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@grpend.test", "owner", PW)
    ctx.srv = ctx.server(test_clock="2026-06-01T06:00:00Z", env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client
    ctx.owner = staff.login(ctx, SLUG, "o@grpend.test", PW)
    r = ctx.owner.put(ctx.owner.path("/services/yoga/group-rules"), body={"group_min": 2, "group_max": 4})
    assert r.status == 200, r


def make_group(ctx, prefix, n):
    r = ctx.c.post("/api/v1/public/%s/groups" % SLUG, body={
        "service": "yoga", "start": "2026-06-10T17:00:00Z",
        "organiser": {"name": "Olga", "email": "olga-%s@example.com" % prefix},
        "participants": [{"name": "P %d" % i, "email": "%s%d@example.com" % (prefix, i)} for i in range(n)]})
    assert r.status == 201, r
    return r.json


def cancel_own(ctx, p):
    r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % p["reference"], body={},
                   headers={"Authorization": "Bearer " + p["manage_token"]})
    assert r.status == 200, r


def test_a_group_ends_when_every_participant_cancels_by_their_link(ctx):
    g = make_group(ctx, "solo", 2)
    cancel_own(ctx, g["participants"][0])
    r = ctx.owner.get(ctx.owner.path("/groups/%s" % g["id"]))
    assert r.status == 200 and r.json["status"] == "active" and r.json["live"] == 1, r
    cancel_own(ctx, g["participants"][1])
    r = ctx.owner.get(ctx.owner.path("/groups/%s" % g["id"]))
    assert r.status == 200 and r.json["status"] == "cancelled" and r.json["live"] == 0, r
    page = ctx.c.get("/api/v1/public/groups/%s?t=%s" % (g["id"], g["token"]))
    assert page.status == 200 and page.json["status"] == "cancelled", page
    # An ended group takes no one new.
    r = ctx.c.post("/api/v1/public/groups/%s/participants?t=%s" % (g["id"], g["token"]),
                   body={"name": "Late", "email": "late@example.com"})
    assert r.status == 409, r
    # A group with someone left stays active.
    g2 = make_group(ctx, "duo", 3)
    cancel_own(ctx, g2["participants"][0])
    cancel_own(ctx, g2["participants"][2])
    assert ctx.owner.get(ctx.owner.path("/groups/%s" % g2["id"])).json["status"] == "active"


def test_staff_read_the_group_of_a_booking_they_may_see(ctx):
    g = make_group(ctx, "read", 2)
    booking = ctx.owner.get(ctx.owner.path("/groups/%s" % g["id"])).json["participants"][0]["booking"]
    # Lea's user (her provider's bookings) and Max's (none of this group's).
    users = {}
    for who in ("lea", "max"):
        email = "%s@grpend.test" % who
        staff.make_user(ctx, SLUG, email, "staff", PW)
        u = [x for x in ctx.owner.get(ctx.owner.path("/users")).json["users"] if x["email"] == email][0]
        r = ctx.owner.patch(ctx.owner.path("/providers/%s" % who), body={"user_id": u["id"]})
        assert r.status == 200, r
        users[who] = staff.login(ctx, SLUG, email, PW)
    lea, mx = users["lea"], users["max"]
    r = lea.get(lea.path("/bookings/%s/group" % booking))
    assert r.status == 200 and r.json["id"] == g["id"] and len(r.json["participants"]) == 2, r
    assert lea.get(lea.path("/groups/%s" % g["id"])).status == 200
    # Not his provider's: as if there were none.
    assert mx.get(mx.path("/bookings/%s/group" % booking)).status == 404
    assert mx.get(mx.path("/groups/%s" % g["id"])).status == 404
    # Changing a group stays admin's.
    assert lea.post(lea.path("/groups/%s/cancel" % g["id"]), body={}).status == 403
    assert lea.get(lea.path("/groups")).status == 403
    assert ctx.owner.get(ctx.owner.path("/groups/%s" % g["id"])).json["status"] == "active"
