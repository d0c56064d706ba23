"""Webhooks out against a receiver on loopback (tests/tools/hook_receiver.py): non-public
addresses refused without --webhooks-allow-private (at save, and at delivery), signed
events seen exactly once and in order per booking after a receiver outage, secret rotation
with both signatures during the overlap, replay, an endpoint disabled after failing for
hours with its owner told by email, and two bookd processes sharing the queue without
sending any event twice."""
import calendar
import os
import sys
import time

import harness
import staff
from sinks import SmtpSink

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "tools"))
import hook_receiver  # noqa: E402

SLUG = "hooks"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Hook Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "price_minor": 3000, "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}
NOW = "2026-06-01T06:00:00Z"
PW = "a long enough secret"
ALL = ["booking.created", "booking.confirmed", "booking.rescheduled", "booking.cancelled",
       "booking.no_show", "booking.completed", "customer.created", "payment.succeeded",
       "payment.refunded", "waitlist.offered"]


def epoch(instant):
    return calendar.timegm(time.strptime(instant, "%Y-%m-%dT%H:%M:%SZ"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def start_server(ctx, allow=True):
    args = ["--smtp-url", ctx.sink.url, "--smtp-from", "hooks@salon.test",
            "--public-url", "https://salon.test"]
    if allow:
        args += ["--webhooks-allow-private", "on"]
    s = ctx.server(test_clock=iso(ctx.now), env={"BOOKD_RATE_LIMITS": "off"}, extra_args=args)
    return s


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "owner@salon.test", "owner", PW)
    ctx.now = epoch(NOW)
    ctx.sink = SmtpSink()
    ctx.rx = hook_receiver.HookReceiver()
    ctx.srv = start_server(ctx)
    ctx.s = staff.login(ctx, SLUG, "owner@salon.test", PW)


def teardown(ctx):
    ctx.rx.stop()
    ctx.sink.stop()


def at(ctx, t, servers=None):
    ctx.now = t
    for s in servers or [ctx.srv]:
        assert s.client.post("/api/v1/test/clock", body={"now": iso(t)}).status == 200
    ctx.s = staff.login(ctx, SLUG, "owner@salon.test", PW)


def wait_for(fn, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def create(ctx, events=ALL, client=None):
    c = client or ctx.s
    r = c.post(c.path("/webhooks"), body={"url": ctx.rx.url, "events": events, "description": "test"})
    assert r.status == 201, r
    assert r.json["secret"].startswith("whsec_") and len(r.json["secret"]) > 40
    return r.json


def log(ctx, hook_id, client=None):
    c = client or ctx.s
    r = c.get(c.path("/webhooks/%s/deliveries?limit=200" % hook_id))
    assert r.status == 200, r
    return r.json["deliveries"]


def book(ctx, start, email):
    r = ctx.srv.client.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "cut", "start": start, "customer": {"name": "Zoe", "email": email}})
    assert r.status == 201, r
    return r.json


def manage(ctx, b, action, body):
    r = ctx.srv.client.post("/api/v1/public/bookings/%s/%s" % (b["reference"], action), body=body,
                            headers={"Authorization": "Bearer " + b["manage_token"]})
    assert r.status == 200, r
    return r.json


def test_a_non_public_addresses_refused(ctx):
    nf = start_server(ctx, allow=False)
    c = staff.login(ctx, SLUG, "owner@salon.test", PW, server=nf)
    port = ctx.rx.port
    for url in ("http://127.0.0.1:%d/hooks" % port, "http://10.1.2.3/hooks", "http://[::1]:%d/" % port,
                "http://169.254.169.254/latest/meta-data", "http://localhost:%d/hooks" % port,
                "http://192.168.1.10/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/",
                "ftp://example.test/", "https://user:pw@example.test/", "not a url"):
        r = c.post(c.path("/webhooks"), body={"url": url, "events": ["booking.created"]})
        assert r.status == 422, (url, r)
        assert any(e.get("field") == "url" for e in r.json.get("errors", [])), (url, r.json)
    r = c.post(c.path("/webhooks"), body={"url": ctx.rx.url, "events": ["booking.eaten"]})
    assert r.status == 422 and any(e["field"] == "events[0]" for e in r.json["errors"]), r
    # Saved while allowed, delivered by a process that is not: refused at delivery, after
    # resolving, and nothing reaches the receiver.
    hook = create(ctx, ["booking.created"])
    ctx.srv.stop()
    r = c.post(c.path("/webhooks/%s/test" % hook["id"]))
    assert r.status == 202, r
    d = wait_for(lambda: [x for x in log(ctx, hook["id"], c) if x["log"]], "the refused attempt")[0]
    assert d["log"][0]["code"] == 0 and "non-public" in d["log"][0]["error"], d
    assert d["status"] == "pending" and not ctx.rx.all()
    assert c.delete(c.path("/webhooks/%s" % hook["id"])).status == 204
    nf.stop()
    ctx.srv = start_server(ctx)
    ctx.s = staff.login(ctx, SLUG, "owner@salon.test", PW)


def test_b_signed_once_in_order_after_outage(ctx):
    hook = create(ctx)
    assert "secret" not in ctx.s.get(ctx.s.path("/webhooks/%s" % hook["id"])).json
    ctx.rx.set(status=500, secrets=[hook["secret"]])
    b = book(ctx, "2026-06-02T10:00:00+01:00", "zoe@example.test")
    manage(ctx, b, "reschedule", {"start": "2026-06-02T11:00:00+01:00"})
    manage(ctx, b, "cancel", {"reason": "changed plans"})
    # The outage: the first event of the booking and the customer's are tried and refused;
    # the booking's later events wait behind its first.
    wait_for(lambda: len(ctx.rx.all()) >= 2, "the first attempts: %r %r" % (b, log(ctx, hook["id"])))
    time.sleep(1.5)
    assert sorted(r["body"]["type"] for r in ctx.rx.all()) == ["booking.created", "customer.created"]
    ctx.rx.set(status=200)
    at(ctx, ctx.now + 3600)
    wait_for(lambda: len(ctx.rx.accepted()) >= 4, "every event after the outage")
    time.sleep(1.5)
    got = ctx.rx.accepted()
    ids = [r["event_id"] for r in got]
    assert len(ids) == len(set(ids)) == 4, [(r["body"]["type"], r["event_id"]) for r in got]
    for r in got:
        assert r["signed_by"] == [hook["secret"]], r["signature"]
        assert r["body"]["id"] == r["event_id"] and r["body"]["created_at"]
        assert r["signature"].startswith("t=")
    mine = [r["body"] for r in got if r["body"]["data"]["object"].get("reference") == b["reference"]]
    assert [x["type"] for x in mine] == ["booking.created", "booking.rescheduled", "booking.cancelled"], mine
    cust = [r["body"]["data"]["object"] for r in got if r["body"]["type"] == "customer.created"]
    assert cust[0]["email"] == "zoe@example.test", cust
    cancelled = mine[-1]["data"]["object"]
    assert cancelled["status"] == "cancelled" and cancelled["start"] == "2026-06-02T10:00:00+00:00"
    entries = log(ctx, hook["id"])
    assert all(d["status"] == "succeeded" for d in entries), entries
    first = [d for d in entries if d["type"] == "booking.created"][0]
    assert [a["code"] for a in first["log"]] == [500, 200], first["log"]
    assert first["log"][0]["response"] == "receiver down" and first["log"][1]["latency_ms"] >= 0
    ctx.hook = hook
    ctx.booking = b


def test_c_replay(ctx):
    hook = ctx.hook
    entries = log(ctx, hook["id"])
    d = [x for x in entries if x["type"] == "booking.rescheduled"][0]
    before = len(ctx.rx.accepted())
    r = ctx.s.post(ctx.s.path("/webhooks/%s/deliveries/%s/replay" % (hook["id"], d["id"])))
    assert r.status == 202, r
    wait_for(lambda: len(ctx.rx.accepted()) > before, "the replay")
    again = ctx.rx.accepted()[-1]
    assert again["event_id"] == d["event_id"] and again["body"]["type"] == "booking.rescheduled"
    # The receiver answered before bookd wrote the outcome: wait for the log to say so.
    new = wait_for(lambda: [x for x in log(ctx, hook["id"]) if x["id"] == r.json["delivery_id"]
                            and x["status"] == "succeeded"], "the replay logged")[0]
    assert new["replay_of"] == d["id"]
    r = ctx.s.post(ctx.s.path("/webhooks/%s/deliveries/whd_nope/replay" % hook["id"]))
    assert r.status == 404, r


def test_d_rotation_overlap(ctx):
    hook = ctx.hook
    old = hook["secret"]
    r = ctx.s.post(ctx.s.path("/webhooks/%s/rotate" % hook["id"]), body={"overlap_s": 3600})
    assert r.status == 200 and r.json["secret"] != old and r.json["previous_secret_until"], r
    new = r.json["secret"]
    ctx.rx.set(secrets=[new, old])
    n = len(ctx.rx.all())
    assert ctx.s.post(ctx.s.path("/webhooks/%s/test" % hook["id"])).status == 202
    wait_for(lambda: len(ctx.rx.all()) > n, "the test event during the overlap")
    q = ctx.rx.all()[-1]
    assert q["body"]["type"] == "webhook.test"
    assert sorted(q["signed_by"]) == sorted([new, old]), q["signature"]
    assert len(hook_receiver.signatures(q["signature"])[1]) == 2
    at(ctx, ctx.now + 7200)
    n = len(ctx.rx.all())
    assert ctx.s.post(ctx.s.path("/webhooks/%s/test" % hook["id"])).status == 202
    wait_for(lambda: len(ctx.rx.all()) > n, "the test event after the overlap")
    q = ctx.rx.all()[-1]
    assert q["signed_by"] == [new], q["signature"]
    assert len(hook_receiver.signatures(q["signature"])[1]) == 1
    assert ctx.s.get(ctx.s.path("/webhooks/%s" % hook["id"])).json["previous_secret_until"] is None
    assert ctx.s.delete(ctx.s.path("/webhooks/%s" % hook["id"])).status == 204
    assert ctx.s.get(ctx.s.path("/webhooks/%s" % hook["id"])).status == 404


def test_e_disabled_after_hours_of_failure_owner_told(ctx):
    hook = create(ctx, ["booking.no_show"])
    ctx.rx.set(status=503, secrets=[hook["secret"]])
    assert ctx.s.post(ctx.s.path("/webhooks/%s/test" % hook["id"])).status == 202
    for step in range(1, 16):
        wait_for(lambda: sum(len(d["log"]) for d in log(ctx, hook["id"])) >= step, "attempt %d" % step)
        e = ctx.s.get(ctx.s.path("/webhooks/%s" % hook["id"])).json
        if not e["enabled"]:
            break
        at(ctx, ctx.now + 7200)
    e = ctx.s.get(ctx.s.path("/webhooks/%s" % hook["id"])).json
    assert not e["enabled"] and e["failures"] >= 10 and "failed attempts" in e["disabled_reason"], e
    mail = ctx.sink.wait(lambda m: "owner@salon.test" in m["to"] and "disabled" in str(m["msg"]["subject"]))
    assert mail, [m["msg"]["subject"] for m in ctx.sink.messages]
    text = mail[0]["msg"].get_body(preferencelist=("plain",)).get_content()
    assert ctx.rx.url in text and "https://salon.test/admin/webhooks" in text, text
    # Disabled: nothing goes out, even when due; enabled again, what waited is delivered.
    ctx.rx.set(status=200)
    at(ctx, ctx.now + 7200)
    time.sleep(1.5)
    assert not ctx.rx.accepted() or all(r["body"]["type"] != "webhook.test" or
                                        r["body"]["data"]["object"]["endpoint"] != hook["id"]
                                        for r in ctx.rx.accepted())
    r = ctx.s.patch(ctx.s.path("/webhooks/%s" % hook["id"]), body={"enabled": True})
    assert r.status == 200 and r.json["enabled"] and r.json["failures"] == 0, r
    wait_for(lambda: [x for x in ctx.rx.accepted() if x["body"]["type"] == "webhook.test" and
                      x["body"]["data"]["object"]["endpoint"] == hook["id"]], "the delivery after enabling")
    assert ctx.s.delete(ctx.s.path("/webhooks/%s" % hook["id"])).status == 204


def test_f_admin_only(ctx):
    staff.make_user(ctx, SLUG, "staff@salon.test", "staff", PW)
    c = staff.login(ctx, SLUG, "staff@salon.test", PW)
    assert c.get(c.path("/webhooks")).status == 403
    assert c.post(c.path("/webhooks"), body={"url": ctx.rx.url, "events": ALL}).status == 403


def test_g_two_processes_deliver_each_event_once(ctx):
    hook = create(ctx, ["booking.created"])
    ctx.rx.set(status=200, secrets=[hook["secret"]])
    second = start_server(ctx)
    at(ctx, ctx.now, servers=[ctx.srv, second])
    before = {r["event_id"] for r in ctx.rx.accepted()}
    refs = []
    for i in range(12):
        day = 3 + i // 8
        b = book(ctx, "2026-06-%02dT%02d:00:00+01:00" % (day, 9 + i % 8), "p%d@example.test" % i)
        refs.append(b["reference"])
    wait_for(lambda: len([r for r in ctx.rx.accepted() if r["event_id"] not in before]) >= 12,
             "twelve events")
    time.sleep(2.5)  # both workers polled again: nothing more may come
    new = [r for r in ctx.rx.accepted() if r["event_id"] not in before]
    ids = [r["event_id"] for r in new]
    assert len(ids) == 12 and len(set(ids)) == 12, len(ids)
    assert sorted(r["body"]["data"]["object"]["reference"] for r in new) == sorted(refs)
    second.stop()
    assert ctx.s.delete(ctx.s.path("/webhooks/%s" % hook["id"])).status == 204


def test_h_payment_and_completion_events(ctx):
    hook = create(ctx, ["payment.succeeded", "booking.completed"])
    ctx.rx.set(status=200, secrets=[hook["secret"]])
    n = len(ctx.rx.accepted())
    b = book(ctx, "2026-06-08T09:00:00+01:00", "pay@example.test")
    r = ctx.s.post(ctx.s.path("/bookings/%s/payments" % b["reference"]),
                   body={"method": "cash", "amount_minor": 3000})
    assert r.status == 201, r
    at(ctx, epoch("2026-06-08T09:00:00Z"))
    wait_for(lambda: len([x for x in ctx.rx.accepted()[n:] if x["body"]["type"] != "booking.created"]) >= 2,
             "the payment and the completion")
    def mine():
        got = [x["body"] for x in ctx.rx.accepted()[n:]]
        ids = {o["data"]["object"]["id"] for o in got if o["data"]["object"].get("reference") == b["reference"]}
        return [o for o in got if o["type"] != "booking.created" and (
            o["data"]["object"].get("reference") == b["reference"] or o["data"]["object"].get("booking_id") in ids)]
    mine = wait_for(lambda: len(mine()) >= 2 and mine(), "this booking's payment and completion")
    types = [x["type"] for x in mine]
    assert types == ["payment.succeeded", "booking.completed"], types
    pay = mine[0]["data"]["object"]
    assert pay["amount"] == {"amount_minor": 3000, "currency": "EUR"} and pay["method"] == "cash", pay
    assert mine[1]["data"]["object"]["status"] == "completed"
    assert all(x["signed_by"] == [hook["secret"]] for x in ctx.rx.accepted()[n:])
    assert ctx.s.delete(ctx.s.path("/webhooks/%s" % hook["id"])).status == 204


def test_i_redirects_not_followed_answers_read_bounded(ctx):
    hook = create(ctx, ["booking.no_show"])
    ctx.rx.set(status=307, secrets=[hook["secret"]])
    # only this hook's requests: an earlier test's delivery may still arrive meanwhile
    def ours():
        return [x for x in ctx.rx.all() if hook["secret"] in x["signed_by"]]
    n = len(ours())
    assert ctx.s.post(ctx.s.path("/webhooks/%s/test" % hook["id"])).status == 202
    d = wait_for(lambda: [x for x in log(ctx, hook["id"]) if x["log"]], "the redirected attempt")[0]
    assert d["log"][0]["code"] == 307 and d["status"] == "pending", d
    time.sleep(0.5)
    assert len(ours()) == n + 1 and "followed" not in ours()[-1]["path"], ours()[n:]
    # A 2xx with a long answer: a success; the log keeps the answer's first 1 KiB.
    ctx.rx.set(status=200, big=1 << 20)
    at(ctx, ctx.now + 3600)
    d = wait_for(lambda: [x for x in log(ctx, hook["id"]) if x["status"] == "succeeded"], "the delivery")[0]
    assert d["log"][-1]["code"] == 200 and d["log"][-1]["response"] == "x" * 1024, d["log"][-1]["response"][:20]
    ctx.rx.set(big=0)
    # The log is kept 30 days.
    at(ctx, ctx.now + 31 * 86400)
    wait_for(lambda: not log(ctx, hook["id"]), "the old log dropped")
    assert ctx.s.delete(ctx.s.path("/webhooks/%s" % hook["id"])).status == 204
