"""A resource's capacity under a race (DESIGN.md "No double booking"): 32 clients book
hour-long massages on a half-hour grid into one room of capacity 3, starts overlapping in
part; at no instant does the room hold more than 3, every refusal is a clean 409, and what
the slots still offer agrees with what was written."""
import harness

ROOM_CAP = 3
SPA = {
    "business": {"slug": "spa", "name": "Three Bed Spa", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "p%02d" % i, "name": "Therapist %d" % i} for i in range(1, 13)],
    "resources": [{"id": "room", "name": "Treatment room", "capacity": ROOM_CAP}],
    "services": [{"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 1800,
                  "needs_resource": True, "providers": ["p%02d" % i for i in range(1, 13)],
                  "resources": ["room"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
STARTS = ["2026-12-10T10:00:00Z", "2026-12-10T10:30:00Z", "2026-12-10T11:00:00Z"]


def setup(ctx):
    harness.import_doc(ctx.db_url, SPA)
    ctx.srv = ctx.server(test_clock="2026-12-01T06:00:00Z", env={"BOOKD_RATE_LIMITS": "off"})


def slots(ctx):
    r = ctx.srv.client.get("/api/v1/public/spa/availability?service=massage&from=2026-12-10&to=2026-12-10")
    assert r.status == 200, r
    return {s["start"]: s for d in r.json["days"] for s in d["slots"]}


def test_32_clients_never_put_more_than_capacity_in_the_room(ctx):
    before = slots(ctx)
    assert before["2026-12-10T10:00:00+00:00"]["seats_left"] == ROOM_CAP

    def attempt(i):
        c = ctx.srv.new_client()
        body = {"service": "massage", "start": STARTS[i % 3],
                "customer": {"name": "Racer %d" % i, "email": "racer%d@example.com" % i}}
        r = c.post("/api/v1/public/spa/bookings", body=body)
        c.close()
        return r

    rs = harness.parallel(32, attempt)
    assert all(not isinstance(r, Exception) for r in rs), rs
    assert all(r.status in (201, 409) for r in rs), [r.status for r in rs]
    won = [r for r in rs if r.status == 201]
    # 10:00 and 11:00 do not overlap: three each fit when no 10:30 got in first; never more.
    assert ROOM_CAP <= len(won) <= 2 * ROOM_CAP, len(won)
    assert all(r.json.get("reason") for r in rs if r.status == 409)
    # The most bookings in the room at any instant: count those covering each one's start.
    peak = harness.query(ctx.db_url, (
        "SELECT MAX(n) FROM (SELECT a.id, COUNT(*) AS n FROM bookings a JOIN bookings b "
        "ON b.business_id = a.business_id AND b.resource_id = a.resource_id "
        "AND b.start_at <= a.start_at AND a.start_at < b.end_at "
        "WHERE a.resource_id = 'room' AND a.status = 'confirmed' AND b.status = 'confirmed' "
        "GROUP BY a.id) t"))
    assert int(peak) <= ROOM_CAP, peak
    written = harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings WHERE resource_id = 'room' "
                                        "AND status = 'confirmed'")
    assert int(written) == len(won), (written, len(won))
    # Every start the race reached is full now, and what is offered stays within the room.
    after = slots(ctx)
    for s in ("2026-12-10T10:00:00+00:00", "2026-12-10T10:30:00+00:00", "2026-12-10T11:00:00+00:00"):
        assert s not in after, after.get(s)
    assert all(s["seats_left"] <= ROOM_CAP for s in after.values())
