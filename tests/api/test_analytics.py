"""Analytics over HTTP: a month (June 2026, Europe/London, BST = UTC+1) seeded through the
public and staff APIs with the test clock, and every figure checked against numbers worked
out by hand below (never by running the server's SQL again)."""

import harness
import staff

SLUG = "ana"
PW = "a long enough password"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Ana", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"]},
        {"id": "color", "name": "Colour", "duration_s": 3600, "slot_interval_s": 1800, "price_minor": 9000,
         "providers": ["ann"],
         "refund_tiers": [{"min_notice_s": 172800, "refund_percent": 100},
                          {"min_notice_s": 0, "refund_percent": 50}]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "closures": [{"date": "2026-06-15", "name": "Closed Monday"}],
    "time_off": [{"owner": "provider:bob", "start": "2026-06-24T08:00:00Z", "end": "2026-06-24T12:00:00Z"}],
}
NOW = "2026-05-31T09:00:00Z"  # every booking is made now (Sunday), so lead = start - NOW

# The seeded month. start is local (+01:00); leads are start(UTC) - 2026-05-31T09:00Z.
#  ref  svc    prov  start (local)      via     ends as      price  revenue  lead (s)
#  B1   cut    ann   06-01 09:00        web     completed    4000   4000     23h            =   82800
#  B2   color  ann   06-02 10:00        phone   checked_in   9000   9000     2d             =  172800
#  B3   cut    bob   06-03 14:00        walk_in confirmed    4000   4000     3d 4h          =  273600
#  B4   cut    bob   06-10 09:00        web     cancelled*   4000      0     10d - 1h       =  860400
#  B5   color  ann   06-01 14:00        web     cancelled**  9000   4500     1d 4h          =  100800
#  B6   cut    ann   06-16 09:00        phone   no_show      4000      0     16d - 1h       = 1378800
#  B7   cut    bob   06-17 11:00        web     completed    4000   4000     17d + 1h       = 1472400
#  B8   cut    ann   06-22 09:00        admin   confirmed    4000   4000     22d - 1h       = 1897200
#  *  by staff: full refund, fee 0.  ** by the customer 28 h before: the 50 % tier, fee 4500.
#  Outside the month: B9 on 07-01 (confirmed). A live hold on 06-05 is not a booking.
REVENUE = 4000 + 9000 + 4000 + 0 + 4500 + 0 + 4000 + 4000  # 29500
LEADS = sorted([82800, 172800, 273600, 860400, 100800, 1378800, 1472400, 1897200])
LEAD_AVG = sum(LEADS) // 8                  # 6238800 / 8 = 779850
LEAD_MEDIAN = (LEADS[3] + LEADS[4]) // 2   # (273600 + 860400) / 2 = 567000
# Open time: 22 weekdays in June minus the closure (15th) = 21 days x 8 h = 604800 s; bob
# also has 4 h off on the 24th: 590400 s. Booked (time-taking statuses; cancelled ones
# free their time): ann B1 30 + B2 60 + B6 30 + B8 30 min = 9000 s; bob B3 + B7 = 3600 s.
OPEN_ANN, OPEN_BOB = 21 * 8 * 3600, 21 * 8 * 3600 - 4 * 3600
BOOKED_ANN, BOOKED_BOB = 9000, 3600


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@ana.test", "owner", PW)
    staff.make_user(ctx, SLUG, "s@ana.test", "staff", PW)
    ctx.srv = ctx.server(test_clock=NOW)
    o = ctx.owner = staff.login(ctx, SLUG, "o@ana.test", PW)
    pub = ctx.srv.client
    refs = {}

    def web(name, svc, prov, start):
        r = pub.post("/api/v1/public/%s/bookings" % SLUG,
                     body={"service": svc, "provider": prov, "start": start,
                           "customer": {"name": name, "email": name.lower() + "@example.com"}})
        assert r.status == 201, r
        refs[name] = (r.json["reference"], r.json["manage_token"])
        g = o.get(o.path("/bookings/" + r.json["reference"]))
        return g.json["id"]

    def desk(name, svc, prov, start, source):
        r = o.post(o.path("/bookings"), body={"service": svc, "provider": prov, "start": start, "source": source,
                                              "customer": {"name": name, "email": name.lower() + "@example.com"}})
        assert r.status == 201, r
        return r.json["id"]

    ids = {
        "B1": web("B1", "cut", "ann", "2026-06-01T09:00:00+01:00"),
        "B2": desk("B2", "color", "ann", "2026-06-02T10:00:00+01:00", "phone"),
        "B3": desk("B3", "cut", "bob", "2026-06-03T14:00:00+01:00", "walk_in"),
        "B4": web("B4", "cut", "bob", "2026-06-10T09:00:00+01:00"),
        "B5": web("B5", "color", "ann", "2026-06-01T14:00:00+01:00"),
        "B6": desk("B6", "cut", "ann", "2026-06-16T09:00:00+01:00", "phone"),
        "B7": web("B7", "cut", "bob", "2026-06-17T11:00:00+01:00"),
        "B8": desk("B8", "cut", "ann", "2026-06-22T09:00:00+01:00", "admin"),
        "B9": desk("B9", "cut", "ann", "2026-07-01T09:00:00+01:00", "admin"),
    }
    h = pub.post("/api/v1/public/%s/holds" % SLUG, body={"service": "cut", "start": "2026-06-05T09:00:00+01:00"})
    assert h.status == 201, h

    def act(b, name, body=None):
        r = o.post(o.path("/bookings/%s/%s" % (ids[b], name)), body=body or {})
        assert r.status == 200, (b, name, r)
        return r.json

    act("B1", "complete")
    act("B2", "check-in")
    assert act("B4", "cancel", {"reason": "staff"})["fee"]["amount_minor"] == 0
    ref, token = refs["B5"]
    r = pub.post("/api/v1/public/bookings/%s/cancel" % ref, body={}, headers={"Authorization": "Bearer " + token})
    assert r.status == 200 and r.json["fee"]["amount_minor"] == 4500, r
    act("B6", "no-show")
    act("B7", "check-in")
    act("B7", "complete")


def get(ctx, query):
    r = ctx.owner.get(ctx.owner.path("/analytics?" + query))
    assert r.status == 200, r
    return r.json


def close(a, b):
    return abs(a - b) < 1e-9


def test_month_totals_by_hand(ctx):
    j = get(ctx, "from=2026-06-01&to=2026-06-30")
    assert j["group"] == "month" and j["timezone"] == "Europe/London" and j["currency"] == "EUR"
    t = j["totals"]
    assert t["bookings"] == 8
    assert t["by_status"] == {"pending": 0, "confirmed": 2, "checked_in": 1, "completed": 2,
                              "cancelled": 2, "no_show": 1}
    assert t["revenue"] == {"amount_minor": REVENUE, "currency": "EUR"} and REVENUE == 29500
    assert close(t["cancellation_rate"], 2 / 8)
    assert close(t["no_show_rate"], 1 / (1 + 2 + 1))  # of checked_in + completed + no_show
    assert t["lead_time"] == {"average_s": LEAD_AVG, "median_s": LEAD_MEDIAN}
    assert (LEAD_AVG, LEAD_MEDIAN) == (779850, 567000)
    assert len(j["periods"]) == 1 and j["periods"][0]["totals"] == t
    assert (j["periods"][0]["from"], j["periods"][0]["to"]) == ("2026-06-01", "2026-06-30")


def test_utilisation_by_hand(ctx):
    j = get(ctx, "from=2026-06-01&to=2026-06-30")
    use = {u["id"]: u for u in j["utilisation"]}
    assert set(use) == {"ann", "bob"}
    assert (use["ann"]["open_s"], use["ann"]["booked_s"]) == (OPEN_ANN, BOOKED_ANN) == (604800, 9000)
    assert (use["bob"]["open_s"], use["bob"]["booked_s"]) == (OPEN_BOB, BOOKED_BOB) == (590400, 3600)
    assert close(use["ann"]["utilisation"], 9000 / 604800)
    assert close(use["bob"]["utilisation"], 3600 / 590400)
    assert use["bob"]["kind"] == "provider" and use["bob"]["name"] == "Bob"


def test_weeks_and_split_by_provider(ctx):
    j = get(ctx, "from=2026-06-01&to=2026-06-30&group=week&by=provider")
    weeks = [(p["from"], p["to"], p["totals"]["bookings"]) for p in j["periods"]]
    # Weeks Monday-Sunday: B1 B2 B3 B5 | B4 | B6 B7 (15th closed) | B8 | none.
    assert weeks == [("2026-06-01", "2026-06-07", 4), ("2026-06-08", "2026-06-14", 1),
                     ("2026-06-15", "2026-06-21", 2), ("2026-06-22", "2026-06-28", 1),
                     ("2026-06-29", "2026-06-30", 0)]
    w1 = j["periods"][0]["totals"]
    assert w1["revenue"]["amount_minor"] == 4000 + 9000 + 4000 + 4500
    assert w1["lead_time"]["median_s"] == (100800 + 172800) // 2  # of 82800, 100800, 172800, 273600
    assert j["periods"][4]["totals"]["cancellation_rate"] is None
    assert j["periods"][4]["totals"]["lead_time"] is None
    g = {x["key"]: x for x in j["groups"]}
    assert set(g) == {"ann", "bob"} and g["ann"]["name"] == "Ann"
    assert g["ann"]["bookings"] == 5 and g["ann"]["revenue"]["amount_minor"] == 4000 + 9000 + 4500 + 0 + 4000
    assert g["bob"]["bookings"] == 3 and g["bob"]["revenue"]["amount_minor"] == 4000 + 0 + 4000
    assert close(g["bob"]["cancellation_rate"], 1 / 3)
    assert g["bob"]["no_show_rate"] == 0.0
    # Utilisation per week: ann's first week holds 5 open days and B1 + B2 (90 min).
    ann = next(u for u in j["utilisation"] if u["id"] == "ann")
    assert ann["periods"][0]["open_s"] == 5 * 8 * 3600 and ann["periods"][0]["booked_s"] == 5400
    assert ann["periods"][2]["open_s"] == 4 * 8 * 3600  # the closure on the 15th


def test_split_by_source_and_service(ctx):
    j = get(ctx, "from=2026-06-01&to=2026-06-30&by=source")
    g = {x["key"]: x["bookings"] for x in j["groups"]}
    assert g == {"web": 4, "phone": 2, "walk_in": 1, "admin": 1}
    j = get(ctx, "from=2026-06-01&to=2026-06-30&by=service&group=day")
    assert len(j["periods"]) == 30
    g = {x["key"]: x for x in j["groups"]}
    assert g["color"]["bookings"] == 2 and g["color"]["revenue"]["amount_minor"] == 9000 + 4500
    assert g["color"]["name"] == "Colour"
    assert g["cut"]["bookings"] == 6
    day1 = j["periods"][0]
    assert day1["from"] == "2026-06-01" and day1["totals"]["bookings"] == 2  # B1 and B5


def test_bad_queries(ctx):
    o = ctx.owner
    for q, field in (("to=2026-06-30", "from"), ("from=2026-06-01", "to"),
                     ("from=2026-06-30&to=2026-06-01", "to"), ("from=2026-01-01&to=2027-12-31", "to"),
                     ("from=2026-06-01&to=2026-06-30&group=year", "group"),
                     ("from=2026-06-01&to=2026-06-30&by=colour", "by")):
        r = o.get(o.path("/analytics?" + q))
        assert r.status == 400 and r.json["errors"][0]["field"] == field, (q, r)
    s = staff.login(ctx, SLUG, "s@ana.test", PW)
    assert s.get(s.path("/analytics?from=2026-06-01&to=2026-06-30")).status == 403


def test_heat_map_and_lead_histogram_by_hand(ctx):
    j = get(ctx, "from=2026-06-01&to=2026-06-30")
    heat = j["heatmap"]
    assert len(heat) == 7 and all(len(row) == 24 for row in heat)
    # Local start weekday (Monday = 0) and hour of B1..B8; B9 (July) and the hold are out.
    want = [[0] * 24 for _ in range(7)]
    for d, h in ((0, 9), (1, 10), (2, 14), (2, 9), (0, 14), (1, 9), (2, 11), (0, 9)):
        want[d][h] += 1
    assert heat == want and heat[0][9] == 2
    assert sum(map(sum, heat)) == j["totals"]["bookings"] == 8
    # Leads (table above) into <1h, 1h-1d, 1-3d, 3-7d, 7-14d, 14-30d, 30d+.
    hist = j["lead_time_histogram"]
    assert [(b["min_s"], b["max_s"]) for b in hist] == [
        (None, 3600), (3600, 86400), (86400, 259200), (259200, 604800), (604800, 1209600),
        (1209600, 2592000), (2592000, None)]
    assert [b["bookings"] for b in hist] == [0, 1, 2, 1, 1, 3, 0]
    # The heat map follows the range: the first week alone holds B1, B2, B3 and B5.
    w = get(ctx, "from=2026-06-01&to=2026-06-07")
    assert sum(map(sum, w["heatmap"])) == 4 and w["heatmap"][0][14] == 1 and w["heatmap"][0][9] == 1
