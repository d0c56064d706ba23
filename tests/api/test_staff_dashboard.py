"""What the staff dashboard needs from the API: the staff events stream (a booking made
anywhere reaches an open dashboard at once, narrowed to the staff role's own provider), the
impact preview of changes to hours (dry_run) and the calendar's open time per provider."""
import json
import socket
import time
import urllib.parse

import harness
import staff

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # Monday, 07:00 in London
PW = "a long enough password"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    for email, role in (("o@salon.test", "owner"), ("s@salon.test", "staff"), ("n@salon.test", "staff")):
        staff.make_user(ctx, SLUG, email, role, PW)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.staff = staff.login(ctx, SLUG, "s@salon.test", PW)
    r = ctx.owner.patch(ctx.owner.path("/providers/bob"), body={"user_id": ctx.staff.user["id"]})
    assert r.status == 200, r
    ctx.nobody = staff.login(ctx, SLUG, "n@salon.test", PW)
    # Every public booking here comes from one address: the public limits are not under test.
    r = ctx.owner.patch(ctx.owner.path("/protection"), body={
        "bookings_per_address_hour": 0, "bookings_per_address_day": 0,
        "bookings_per_email_hour": 0, "bookings_per_email_day": 0})
    assert r.status == 200, r


class Stream:
    """A raw SSE client with headers of our choosing; events parsed as they arrive."""

    def __init__(self, port, path, headers=None):
        self.s = socket.create_connection(("127.0.0.1", port))
        extra = "".join("%s: %s\r\n" % kv for kv in (headers or {}).items())
        self.s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n%s\r\n"
                        % (path, extra)).encode())
        self.buf = b""
        self.s.settimeout(0.1)

    def _fill(self, deadline):
        while time.time() < deadline:
            try:
                chunk = self.s.recv(65536)
                if not chunk:
                    return
                self.buf += chunk
                return
            except socket.timeout:
                pass

    def head(self, timeout=5):
        deadline = time.time() + timeout
        while b"\r\n\r\n" not in self.buf and time.time() < deadline:
            self._fill(deadline)
        return self.buf.split(b"\r\n", 1)[0].decode()

    def events(self):
        """Every "booking" event received so far, as dicts."""
        out = []
        for block in self.buf.decode(errors="replace").split("\n\n"):
            lines = block.split("\n")
            if "event: booking" in lines:
                data = [ln[6:] for ln in lines if ln.startswith("data: ")]
                out.append(json.loads(data[0]))
        return out

    def wait_for(self, pred, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            hit = [e for e in self.events() if pred(e)]
            if hit:
                return hit[0]
            self._fill(min(deadline, time.time() + 0.1))
        return None

    def drain(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._fill(deadline)

    def close(self):
        self.s.close()


def cookie_of(c):
    return {"Cookie": "; ".join("%s=%s" % kv for kv in c.cookies.items())}


def open_stream(ctx, client):
    st = Stream(ctx.srv.port, client.path("/events"), cookie_of(client))
    assert st.head() == "HTTP/1.1 200 OK", st.buf[:200]
    return st


def public_book(ctx, start, provider, n=[0]):
    n[0] += 1  # an email of its own: one email may not hold overlapping bookings
    body = {"service": "cut", "start": start, "provider": provider,
            "customer": {"name": "Pat Pub", "email": "pub%d@example.com" % n[0]}}
    r = ctx.srv.client.post("/api/v1/public/%s/bookings" % SLUG, body=body)
    assert r.status == 201, r
    return r.json


def test_staff_stream_hears_public_bookings_within_two_seconds(ctx):
    owner, mine, other = open_stream(ctx, ctx.owner), open_stream(ctx, ctx.staff), open_stream(ctx, ctx.nobody)
    try:
        t0 = time.time()
        ann = public_book(ctx, "2026-06-02T09:00:00+01:00", "ann")
        e = owner.wait_for(lambda e: e["reference"] == ann["reference"], 2)
        assert e is not None and time.time() - t0 < 2, owner.buf[-500:]
        assert e["change"] == "created" and e["status"] == "confirmed" and e["provider"] == "ann"
        assert e["start"] == "2026-06-02T09:00:00+01:00" and e["booking"]
        bob = public_book(ctx, "2026-06-02T10:00:00+01:00", "bob")
        assert mine.wait_for(lambda e: e["reference"] == bob["reference"], 2) is not None
        assert owner.wait_for(lambda e: e["reference"] == bob["reference"], 2) is not None
        mine.drain(0.3)
        other.drain(0.3)
        # The staff role hears only its own provider; a staff user without one hears nothing.
        assert [e["reference"] for e in mine.events()] == [bob["reference"]]
        assert other.events() == []
    finally:
        for s in (owner, mine, other):
            s.close()


def test_staff_stream_hears_moves_and_cancellations(ctx):
    b = public_book(ctx, "2026-06-03T09:00:00+01:00", "bob")
    mine = open_stream(ctx, ctx.staff)
    try:
        # Moved from bob to ann: bob's stream hears it left.
        r = ctx.owner.post(ctx.owner.path("/bookings/%s/reschedule" % b["reference"]),
                           body={"start": "2026-06-03T11:00:00+01:00", "provider": "ann"})
        assert r.status == 200, r
        e = mine.wait_for(lambda e: e["reference"] == b["reference"], 2)
        assert e and e["change"] == "changed" and e["provider"] == "ann", mine.buf[-500:]
        assert e["start"] == "2026-06-03T11:00:00+01:00"
        c = public_book(ctx, "2026-06-03T12:00:00+01:00", "bob")
        r = ctx.staff.post(ctx.staff.path("/bookings/%s/cancel" % c["reference"]), body={"reason": "ill"})
        assert r.status == 200, r
        e = mine.wait_for(lambda e: e["reference"] == c["reference"] and e["change"] == "cancelled", 2)
        assert e and e["status"] == "cancelled"
        r = ctx.staff.post(ctx.staff.path("/bookings"), body={
            "service": "cut", "start": "2026-06-03T14:00:00+01:00", "source": "walk_in",
            "customer": {"name": "Walk In", "email": "walk@example.com"}})
        assert r.status == 201, r
        assert mine.wait_for(lambda e: e["reference"] == r.json["reference"] and e["change"] == "created", 2)
    finally:
        mine.close()


def test_staff_stream_needs_credentials_of_the_business(ctx):
    st = Stream(ctx.srv.port, "/api/v1/businesses/%s/events" % SLUG)
    assert st.head() == "HTTP/1.1 401 Unauthorized"
    st.close()
    st = Stream(ctx.srv.port, "/api/v1/businesses/nowhere/events", cookie_of(ctx.owner))
    assert st.head() == "HTTP/1.1 404 Not Found"
    st.close()
    token = staff.make_token(ctx.owner)
    st = Stream(ctx.srv.port, "/api/v1/businesses/%s/events" % SLUG, {"Authorization": "Bearer " + token})
    try:
        assert st.head() == "HTTP/1.1 200 OK"
        b = public_book(ctx, "2026-06-04T09:00:00+01:00", "ann")
        assert st.wait_for(lambda e: e["reference"] == b["reference"], 2)
    finally:
        st.close()


# ---- the impact preview: ?dry_run=1 on the catalogue writes ----

def avail(ctx, date):
    r = ctx.srv.client.get("/api/v1/public/%s/availability?service=cut&from=%s&to=%s" % (SLUG, date, date))
    assert r.status == 200, r
    return r.json["days"][0]["slots"]


def affected(r):
    assert r.status == 200, r
    assert r.json["dry_run"] is True, r.json
    return {a["reference"]: a["reason"] for a in r.json["affected"]}


def test_dry_run_lists_the_bookings_a_change_strands_and_writes_nothing(ctx):
    o = ctx.owner
    late = public_book(ctx, "2026-06-09T15:00:00+01:00", "ann")    # Tuesday
    early = public_book(ctx, "2026-06-09T09:30:00+01:00", "ann")
    bobs = public_book(ctx, "2026-06-09T15:00:00+01:00", "bob")
    before = avail(ctx, "2026-06-09")
    version = o.get(o.path("/overrides")).json

    # A shorter day for ann strands her afternoon booking only.
    r = o.post(o.path("/overrides?dry_run=1"),
               body={"owner": "provider:ann", "date": "2026-06-09", "start": "09:00", "end": "12:00"})
    got = affected(r)
    assert got == {late["reference"]: "outside_hours"}, r.json
    item = r.json["affected"][0]
    assert item["provider"] == "ann" and item["customer_name"] == "Pat Pub"
    assert item["start"] == "2026-06-09T15:00:00+01:00" and item["detail"]
    # Nothing written: no override, the same availability.
    assert o.get(o.path("/overrides")).json == version
    assert avail(ctx, "2026-06-09") == before

    # A break over 09:30 for the whole business: two ranges that day.
    r = o.post(o.path("/overrides?dry_run=1"),
               body={"owner": "business", "date": "2026-06-09", "start": "12:00", "end": "17:00"})
    assert affected(r) == {early["reference"]: "outside_hours"}, r.json

    # A closure strands every booking of the day.
    r = o.post(o.path("/closures?dry_run=1"), body={"date": "2026-06-09", "name": "Flood"})
    assert affected(r) == {late["reference"]: "closure", early["reference"]: "closure",
                           bobs["reference"]: "closure"}
    assert "2026-06-09" not in [c["date"] for c in o.get(o.path("/closures")).json["closures"]]

    # Time off over one booking, reaching into it from before it starts.
    r = o.post(o.path("/time-off?dry_run=1"), body={
        "owner": "provider:bob", "start": "2026-06-09T14:00:00+01:00", "end": "2026-06-09T15:15:00+01:00"})
    assert affected(r) == {bobs["reference"]: "time_off"}

    # A longer service runs past closing for the afternoon bookings.
    r = o.patch(o.path("/services/cut?dry_run=1"), body={"duration_s": 3 * 3600})
    got = affected(r)
    assert got[late["reference"]] == "outside_hours" and got[bobs["reference"]] == "outside_hours"
    assert early["reference"] not in got
    assert o.get(o.path("/services/cut")).json["duration_s"] == 1800

    # Weekly hours: Tuesday shortened to 09:00-14:00.
    rules = o.get(o.path("/schedules?owner=business")).json["schedules"]
    tue = [s for s in rules if s["weekday"] == "tue"][0]
    r = o.patch(o.path("/schedules/%s?dry_run=1" % tue["id"]), body={"end": "14:00"})
    got = affected(r)
    assert set(got) >= {late["reference"], bobs["reference"]} and early["reference"] not in got
    assert o.get(o.path("/schedules/" + tue["id"])).json["end"] == "17:00"

    # Deleting it strands every Tuesday booking.
    r = o.delete(o.path("/schedules/%s?dry_run=1" % tue["id"]))
    assert set(affected(r)) >= {late["reference"], early["reference"], bobs["reference"]}
    assert o.get(o.path("/schedules/" + tue["id"])).status == 200

    # A change that strands nothing says so; a bad flag is 400; a bad body still 422.
    r = o.post(o.path("/closures?dry_run=1"), body={"date": "2026-06-12", "name": "Quiet"})
    assert affected(r) == {} and r.json["checked"] == 0
    r = o.post(o.path("/closures?dry_run=maybe"), body={"date": "2026-06-12", "name": "Quiet"})
    assert r.status == 400 and r.json["errors"][0]["field"] == "dry_run"
    r = o.post(o.path("/closures?dry_run=1"), body={"date": "June", "name": "Quiet"})
    assert r.status == 422, r
    assert "2026-06-12" not in [c["date"] for c in o.get(o.path("/closures")).json["closures"]]


def test_dry_run_ignores_bookings_already_outside_and_narrows_staff(ctx):
    o = ctx.owner
    # Booked by override outside hours: not this change's doing.
    r = o.post(o.path("/bookings"), body={
        "service": "cut", "start": "2026-06-10T18:00:00+01:00", "provider": "bob", "override": True,
        "customer": {"name": "Late Lou", "email": "lou@example.com"}})
    assert r.status == 201, r
    out = r.json["reference"]
    mine = public_book(ctx, "2026-06-10T10:00:00+01:00", "bob")
    anns = public_book(ctx, "2026-06-10T10:00:00+01:00", "ann")
    r = o.post(o.path("/closures?dry_run=1"), body={"date": "2026-06-10", "name": "Strike"})
    got = affected(r)
    assert out not in got and set(got) == {mine["reference"], anns["reference"]}
    # Staff preview their own time off and see only their own bookings.
    r = ctx.staff.post(ctx.staff.path("/time-off?dry_run=1"), body={
        "owner": "provider:bob", "start": "2026-06-10T09:00:00+01:00", "end": "2026-06-10T12:00:00+01:00"})
    assert affected(r) == {mine["reference"]: "time_off"}
    r = ctx.staff.get(ctx.staff.path("/time-off?owner=provider:bob&from=2026-06-10&to=2026-06-10"))
    assert r.json["time_off"] == []
    # A preview of a write the role may not make is refused like the write.
    r = ctx.staff.post(ctx.staff.path("/closures?dry_run=1"), body={"date": "2026-06-10", "name": "x"})
    assert r.status == 403


# ---- the calendar: open time per provider from the engine, time off, closures, bookings ----

def test_calendar_gives_open_time_from_the_engine_with_breaks_time_off_and_closures(ctx):
    o = ctx.owner
    for start, end in (("09:00", "12:00"), ("13:00", "17:30")):
        r = o.post(o.path("/overrides"), body={"owner": "provider:ann", "date": "2026-06-16",
                                               "start": start, "end": end})
        assert r.status == 201, r
    r = o.post(o.path("/time-off"), body={"owner": "provider:bob", "start": "2026-06-16T14:00:00+01:00",
                                          "end": "2026-06-16T15:00:00+01:00", "reason": "dentist"})
    assert r.status == 201, r
    assert o.post(o.path("/closures"), body={"date": "2026-06-17", "name": "Fair"}).status == 201
    b = public_book(ctx, "2026-06-16T10:00:00+01:00", "bob")

    r = o.get(o.path("/calendar?from=2026-06-16&to=2026-06-17"))
    assert r.status == 200, r
    cal = r.json
    assert cal["timezone"] == "Europe/London" and cal["from"] == "2026-06-16" and cal["to"] == "2026-06-17"
    cols = {c["id"]: c for c in cal["bookables"]}
    assert set(cols) == {"ann", "bob"} and cols["ann"]["kind"] == "provider"
    # ann's override gives two ranges (her own, so it replaces the business's day), the second
    # cut at 17:00 where the business's hours end: they bound everyone's.
    assert cols["ann"]["open"] == [
        {"start": "2026-06-16T09:00:00+01:00", "end": "2026-06-16T12:00:00+01:00"},
        {"start": "2026-06-16T13:00:00+01:00", "end": "2026-06-16T17:00:00+01:00"}], cols["ann"]
    assert cols["bob"]["open"] == [
        {"start": "2026-06-16T09:00:00+01:00", "end": "2026-06-16T14:00:00+01:00"},
        {"start": "2026-06-16T15:00:00+01:00", "end": "2026-06-16T17:00:00+01:00"}]
    assert cols["bob"]["time_off"] == [{"start": "2026-06-16T14:00:00+01:00", "end": "2026-06-16T15:00:00+01:00"}]
    assert cal["closures"] == [{"date": "2026-06-17", "name": "Fair"}]
    assert [x["reference"] for x in cal["bookings"]] == [b["reference"]]
    assert cal["bookings"][0]["provider"]["id"] == "bob"
    # It agrees with what the public availability offers.
    starts = {s["start"] for s in avail(ctx, "2026-06-16") if "ann" in s["providers"]}
    assert "2026-06-16T12:00:00+01:00" not in starts and "2026-06-16T13:00:00+01:00" in starts
    assert "2026-06-16T16:30:00+01:00" in starts and "2026-06-16T17:00:00+01:00" not in starts

    # The staff role sees its own column and bookings only; one provider can be asked for.
    r = ctx.staff.get(ctx.staff.path("/calendar?from=2026-06-16"))
    assert [c["id"] for c in r.json["bookables"]] == ["bob"] and len(r.json["bookings"]) == 1
    assert ctx.nobody.get(ctx.nobody.path("/calendar?from=2026-06-16")).json["bookables"] == []
    r = o.get(o.path("/calendar?from=2026-06-16&provider=ann"))
    assert [c["id"] for c in r.json["bookables"]] == ["ann"] and r.json["bookings"] == []

    for q, field in (("", "from"), ("?from=16-06-2026", "from"), ("?from=2026-06-16&to=2026-06-15", "to"),
                     ("?from=2026-06-01&to=2026-08-01", "to")):
        r = o.get(o.path("/calendar" + q))
        assert r.status == 400 and r.json["errors"][0]["field"] == field, (q, r)


def test_bookings_list_searches_customer_text_and_reference(ctx):
    o = ctx.owner
    body = {"service": "cut", "start": "2026-06-23T09:00:00+01:00", "provider": "ann",
            "customer": {"name": "Zoë O'Hara_100%", "email": "ZOE.search@Example.com", "phone": "+44 7700 900555"}}
    r = ctx.srv.client.post("/api/v1/public/%s/bookings" % SLUG, body=body)
    assert r.status == 201, r
    ref = r.json["reference"]
    for q in ("zoë o'", "ZOE.SEARCH", "900555", ref.lower(), "_100%"):
        r = o.get(o.path("/bookings?q=" + urllib.parse.quote(q)))
        assert r.status == 200, r
        assert [b["reference"] for b in r.json["bookings"]] == [ref], (q, r.json)
    # Pattern characters are text: "_" and "%" match only themselves.
    for q in ("o_hara", "o%hara", "zzz"):
        r = o.get(o.path("/bookings?q=" + urllib.parse.quote(q)))
        assert ref not in [b["reference"] for b in r.json["bookings"]], q
    # Narrowed like every filter: bob's staff login finds nothing of ann's.
    r = ctx.staff.get(ctx.staff.path("/bookings?q=" + ref))
    assert r.json["bookings"] == []
    r = o.get(o.path("/bookings?q=" + "x" * 101))
    assert r.status == 400 and r.json["errors"][0]["field"] == "q"


def test_explain_narrows_the_staff_role_to_its_own_provider(ctx):
    q = urllib.parse.urlencode({"service": "cut", "start": "2026-06-02T10:00:00+01:00"})
    r = ctx.owner.get(ctx.owner.path("/availability/explain?" + q))
    assert r.status == 200 and r.json["offered"] is True and sorted(r.json["providers"]) == ["ann", "bob"], r
    # bob's login hears of bob only, asked for anyone or for bob by name; ann is not its to ask about.
    r = ctx.staff.get(ctx.staff.path("/availability/explain?" + q))
    assert r.status == 200 and r.json["providers"] == ["bob"], r
    r = ctx.staff.get(ctx.staff.path("/availability/explain?" + q + "&provider=bob"))
    assert r.status == 200 and r.json["providers"] == ["bob"], r
    r = ctx.staff.get(ctx.staff.path("/availability/explain?" + q + "&provider=ann"))
    assert r.status == 403, r
    # A staff login linked to no provider is offered nothing.
    r = ctx.nobody.get(ctx.nobody.path("/availability/explain?" + q))
    assert r.status == 200 and r.json["offered"] is False, r


# ---- copying one weekday's hours to other days (the hours editor's "copy to days") ----

def book_as(ctx, start, provider, who):
    body = {"service": "cut", "start": start, "provider": provider,
            "customer": {"name": who, "email": who.lower().replace(" ", ".") + "@example.com"}}
    r = ctx.srv.client.post("/api/v1/public/%s/bookings" % SLUG, body=body)
    assert r.status == 201, r
    return r.json


def test_copy_to_days_previews_what_it_strands_then_replaces_the_days_in_one_go(ctx):
    o = ctx.owner
    rules = lambda: sorted((s["weekday"], s["start"], s["end"], s["valid_from"]) for s in
                           o.get(o.path("/schedules?owner=provider:ann")).json["schedules"])
    # Ann's own week: Monday 09:00-12:00 and 13:00-15:00, Tuesday 09:00-17:00, and a
    # summer Monday that the copy of the all-year rules leaves alone.
    made = []
    for body in ({"weekday": "mon", "start": "09:00", "end": "12:00"},
                 {"weekday": "mon", "start": "13:00", "end": "15:00"},
                 {"weekday": "tue", "start": "09:00", "end": "17:00"},
                 {"weekday": "mon", "start": "10:00", "end": "11:00", "valid_from": "2026-07-01",
                  "valid_to": "2026-08-31"}):
        r = o.post(o.path("/schedules"), body=dict(body, owner="provider:ann"))
        assert r.status == 201, r
        made.append(r.json["id"])
    late = book_as(ctx, "2026-06-23T16:00:00+01:00", "ann", "Tia Late")   # a Tuesday afternoon
    lunch = book_as(ctx, "2026-06-23T12:00:00+01:00", "ann", "Len Lunch")  # in Monday's break
    ok = book_as(ctx, "2026-06-23T10:00:00+01:00", "ann", "Oli Early")
    before = rules()
    body = {"owner": "provider:ann", "weekday": "mon", "to": ["tue", "wed"]}
    r = o.post(o.path("/schedules/copy?dry_run=1"), body=body)
    got = affected(r)
    assert got == {late["reference"]: "outside_hours", lunch["reference"]: "break"}, r.json
    assert ok["reference"] not in got
    assert rules() == before, "a preview writes nothing"

    r = o.post(o.path("/schedules/copy"), body=body)
    assert r.status == 200, r
    week = {(s["weekday"], s["start"], s["end"]) for s in r.json["schedules"]}
    assert week == {(d, s, e) for d in ("mon", "tue", "wed") for s, e in (("09:00", "12:00"), ("13:00", "15:00"))}, week
    assert ("mon", "10:00", "11:00", "2026-07-01") in rules(), "another season is untouched"
    slots = [s["start"][11:16] for s in ctx.srv.client.get(
        "/api/v1/public/%s/availability?service=cut&provider=ann&from=2026-06-24&to=2026-06-24" % SLUG).json["days"][0]["slots"]]
    assert slots and all("09:00" <= h < "12:00" or "13:00" <= h < "15:00" for h in slots), slots

    # Faults are named at their field; nothing is written.
    for bad, field in (({"weekday": "mon", "to": ["tue", "xyz"]}, "to[1]"),
                       ({"weekday": "mon", "to": ["mon"]}, "to[0]"),
                       ({"weekday": "mon", "to": []}, "to"),
                       ({"weekday": "sunday", "to": ["mon"]}, "weekday"),
                       ({"weekday": "mon", "to": ["tue"], "owner": "provider:nobody"}, "owner"),
                       ({"weekday": "mon", "to": ["tue"], "valid_from": "2026-09-01", "valid_to": "2026-08-01"}, "valid_from"),
                       ({"weekday": "mon", "to": ["tue"], "colour": "red"}, "colour")):
        r = o.post(o.path("/schedules/copy"), body=dict({"owner": "provider:ann"}, **bad))
        assert r.status == 422 and field in [e["field"] for e in r.json["errors"]], (bad, r)
    # Staff copy only their own provider's days.
    r = ctx.staff.post(ctx.staff.path("/schedules/copy"), body=body)
    assert r.status == 403, r
    r = ctx.staff.post(ctx.staff.path("/schedules/copy?dry_run=1"),
                       body={"owner": "provider:bob", "weekday": "mon", "to": ["sat"]})
    assert affected(r) == {}
    # Ann works the business's hours again.
    for s in o.get(o.path("/schedules?owner=provider:ann")).json["schedules"]:
        assert o.delete(o.path("/schedules/" + s["id"])).status == 204


def test_business_zone_change_previews_the_bookings_it_strands_and_writes_nothing(ctx):
    o = ctx.owner
    early = book_as(ctx, "2026-06-25T09:30:00+01:00", "ann", "Zed Early")  # 04:30 in New York
    late = book_as(ctx, "2026-06-25T16:00:00+01:00", "bob", "Zoe Late")    # 11:00 in New York
    r = o.patch(o.path("?dry_run=1"), body={"timezone": "America/New_York"})
    got = affected(r)
    assert got.get(early["reference"]) == "outside_hours" and late["reference"] not in got, r.json
    assert o.get(o.path("")).json["timezone"] == "Europe/London", "a preview writes nothing"
    # A change that moves no hours strands nothing; faults are named as without the flag.
    assert affected(o.patch(o.path("?dry_run=1"), body={"phone": "+44 1"})) == {}
    assert o.get(o.path("")).json["phone"] != "+44 1"
    r = o.patch(o.path("?dry_run=1"), body={"timezone": "Mars/Olympus"})
    assert r.status == 422 and r.json["errors"][0]["field"] == "timezone", r
    r = o.patch(o.path("?dry_run=perhaps"), body={"phone": "+44 1"})
    assert r.status == 400 and r.json["errors"][0]["field"] == "dry_run", r
    r = ctx.staff.patch(ctx.staff.path("?dry_run=1"), body={"timezone": "America/New_York"})
    assert r.status == 403, r
