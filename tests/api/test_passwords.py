"""Staff passwords over HTTP, with every email read from a real SMTP sink: changing one's
password, the forgotten-password link and its page, an owner's forced reset, and the lockout
of an email alone (after 100 failures from many addresses, told once to the user and the
owners) that one stranger cannot trigger."""
import http.client
import json
import re
import time
import urllib.parse

import harness
import staff
from sinks import SmtpSink

NOW = "2026-06-01T08:00:00Z"
T0 = 1780300800
PW = "correct horse battery"
STATE = {"t": T0}


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def at(ctx, t):
    c = ctx.srv.new_client()
    assert c.post("/api/v1/test/clock", body={"now": iso(t)}).status == 200
    c.close()


def fresh(ctx):
    """Two hours on: earlier failures, locks and reset caps no longer count."""
    STATE["t"] += 7200
    at(ctx, STATE["t"])
    return STATE["t"]


def setup(ctx):
    staff.make_business(ctx, "acme", "Acme <Studio>")
    staff.make_user(ctx, "acme", "owner@acme.test", "owner", PW, name="Olive Owner")
    staff.make_user(ctx, "acme", "admin@acme.test", "admin", PW)
    for who in ("changer", "forgot", "forced", "target", "twice"):
        staff.make_user(ctx, "acme", "%s@acme.test" % who, "staff", PW, name=who.title())
    ctx.sink = SmtpSink()
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "staff@acme.test", "--public-url", "https://acme.test"])


def login(ctx, email, password, source=None, srv=None):
    port = (srv or ctx.srv).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                      source_address=(source, 0) if source else None)
    conn.request("POST", "/api/v1/auth/login", body=json.dumps({"business": "acme", "email": email, "password": password}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status


def session(ctx, email, password):
    c = staff.StaffClient(ctx.srv.port, "acme")
    r = c.login(email, password)
    assert r.status == 200, r
    return c


def mails(ctx, addr, subject):
    return ctx.sink.matching(lambda m: addr in m["to"] and subject in str(m["msg"]["Subject"]))


def wait_mail(ctx, addr, subject, n=1):
    deadline = time.time() + 15
    while time.time() < deadline:
        got = mails(ctx, addr, subject)
        if len(got) >= n:
            return got
        time.sleep(0.05)
    raise AssertionError("no %r mail to %s; got %s" % (subject, addr, [str(m["msg"]["Subject"]) for m in ctx.sink.messages]))


def text_of(m):
    return m["msg"].get_body(preferencelist=("plain",)).get_content()


def link_token(m):
    found = re.search(r"https://acme\.test/auth/reset\?t=([A-Za-z0-9_.-]+)", text_of(m))
    assert found, text_of(m)
    return found.group(1)


def form_post(ctx, fields, headers=None):
    c = ctx.srv.new_client()
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(headers or {})
    r = c.request("POST", "/auth/reset", raw=urllib.parse.urlencode(fields).encode(), headers=h)
    c.close()
    return r


def test_change_password_ends_other_sessions(ctx):
    fresh(ctx)
    a = session(ctx, "changer@acme.test", PW)
    b = session(ctx, "changer@acme.test", PW)
    # The current password is required and checked.
    r = a.post("/api/v1/auth/password", body={"new_password": "a brand new password"})
    assert r.status == 422 and r.json["errors"][0]["field"] == "current_password", r
    r = a.post("/api/v1/auth/password", body={"current_password": PW, "new_password": "short"})
    assert r.status == 422 and r.json["errors"][0]["field"] == "new_password", r
    r = a.post("/api/v1/auth/password", body={"current_password": "not it at all", "new_password": "a brand new password"})
    assert r.status == 403 and r.json["errors"][0]["field"] == "current_password", r
    r = a.post("/api/v1/auth/password", body={"current_password": PW, "new_password": "a brand new password"})
    assert r.status == 204, r
    # This session goes on; the other one ended; the old password no longer works.
    assert a.get("/api/v1/auth/me").status == 200
    assert b.get("/api/v1/auth/me").status == 401
    assert login(ctx, "changer@acme.test", PW) == 401
    assert login(ctx, "changer@acme.test", "a brand new password") == 200
    m = wait_mail(ctx, "changer@acme.test", "was changed")
    assert "Acme <Studio>" in text_of(m[0])
    html = m[0]["msg"].get_body(preferencelist=("html",)).get_content()
    assert "Acme &lt;Studio&gt;" in html and "<Studio>" not in html
    # The audit log has the change.
    o = session(ctx, "owner@acme.test", PW)
    entries = o.get(o.path("/audit")).json["entries"]
    assert any(e["action"] == "POST /api/v1/auth/password" and e["status"] == 204 for e in entries), entries


def test_forgotten_password_link(ctx):
    t = fresh(ctx)
    before = session(ctx, "forgot@acme.test", PW)
    c = ctx.srv.new_client()
    known = c.post("/api/v1/auth/password-reset", body={"business": "acme", "email": " Forgot@Acme.test "})
    unknown = c.post("/api/v1/auth/password-reset", body={"business": "acme", "email": "nobody@acme.test"})
    nobiz = c.post("/api/v1/auth/password-reset", body={"business": "no-such", "email": "forgot@acme.test"})
    c.close()
    assert known.status == unknown.status == nobiz.status == 202
    assert known.json == unknown.json == nobiz.json
    m = wait_mail(ctx, "forgot@acme.test", "Reset your password")
    token = link_token(m[0])
    # The database holds the secret only hashed; the outbox row dropped it once sent.
    secret = token.split(".")[2]
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", secret), secret
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM password_resets") != "0"
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM password_resets WHERE secret_hash LIKE '%%%s%%'" % secret) == "0"
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications WHERE payload LIKE '%%%s%%'" % secret) == "0"
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications WHERE event = 'password_reset' AND status = 'sent'") != "0"
    # The page: a form, no script, strict headers, escaped values.
    c = ctx.srv.new_client()
    page = c.get("/auth/reset?t=" + token)
    c.close()
    assert page.status == 200, page
    assert "<form" in page.body and "<script" not in page.body.lower()
    assert "Acme &lt;Studio&gt;" in page.body
    assert "default-src 'none'" in page.header("Content-Security-Policy")
    assert page.header("Referrer-Policy") == "no-referrer"
    assert page.header("Cache-Control") == "no-store"
    # A cross-site post is refused; two different passwords are refused; nothing changed.
    assert form_post(ctx, {"t": token, "password": "new secret pw", "confirm": "new secret pw"},
                     {"Origin": "https://evil.test"}).status == 403
    assert form_post(ctx, {"t": token, "password": "new secret pw", "confirm": "other secret"}).status == 422
    assert login(ctx, "forgot@acme.test", PW) == 200
    assert form_post(ctx, {"t": token, "password": "new secret pw", "confirm": "new secret pw"},
                     {"Origin": "null"}).status == 403
    assert form_post(ctx, {"t": token, "password": "new secret pw", "confirm": "new secret pw"},
                     {"Sec-Fetch-Site": "cross-site"}).status == 403
    assert form_post(ctx, {"t": token, "password": "new secret pw"}, {"Content-Type": "text/plain"}).status == 403
    # The links' own origin (the public URL, as behind a proxy) or the Host's is accepted.
    r = form_post(ctx, {"t": token, "password": "new secret pw", "confirm": "new secret pw"},
                  {"Origin": "https://acme.test"})
    assert r.status == 200 and "changed" in r.body, r
    # Once only; every session ended; the new password works.
    assert form_post(ctx, {"t": token, "password": "third secret pw", "confirm": "third secret pw"}).status == 404
    assert before.get("/api/v1/auth/me").status == 401
    assert login(ctx, "forgot@acme.test", PW) == 401
    assert login(ctx, "forgot@acme.test", "new secret pw") == 200
    # A tampered secret with a real id is refused like any other.
    c = ctx.srv.new_client()
    bid, rid, _ = token.split(".")
    assert c.get("/auth/reset?t=%s.%s.%s" % (bid, rid, "A" * 43)).status == 404
    c.close()
    STATE["t"] = t


def test_reset_link_expires_and_the_json_route(ctx):
    t = fresh(ctx)
    c = ctx.srv.new_client()
    assert c.post("/api/v1/auth/password-reset", body={"business": "acme", "email": "twice@acme.test"}).status == 202
    token = link_token(wait_mail(ctx, "twice@acme.test", "Reset your password")[0])
    at(ctx, t + 31 * 60)
    r = c.post("/api/v1/auth/password-reset/complete", body={"token": token, "password": "too late password"})
    assert r.status == 404, r
    assert c.post("/api/v1/auth/password-reset", body={"business": "acme", "email": "twice@acme.test"}).status == 202
    token = link_token(wait_mail(ctx, "twice@acme.test", "Reset your password", 2)[-1])
    r = c.post("/api/v1/auth/password-reset/complete", body={"token": token, "password": "x"})
    assert r.status == 422 and r.json["errors"][0]["field"] == "password", r
    r = c.post("/api/v1/auth/password-reset/complete", body={"token": token, "password": "in time password"})
    assert r.status == 204, r
    assert c.post("/api/v1/auth/password-reset/complete", body={"token": token, "password": "again password"}).status == 404
    c.close()
    assert login(ctx, "twice@acme.test", "in time password") == 200
    # At most three links an hour per account; the answer stays the same.
    n0 = len(mails(ctx, "twice@acme.test", "Reset your password"))
    c = ctx.srv.new_client()
    for _ in range(4):
        assert c.post("/api/v1/auth/password-reset", body={"business": "acme", "email": "twice@acme.test"}).status == 202
    c.close()
    wait_mail(ctx, "twice@acme.test", "Reset your password", n0 + 1)
    time.sleep(1.5)
    assert len(mails(ctx, "twice@acme.test", "Reset your password")) - n0 == 1  # two earlier this hour


def test_reset_requests_are_rate_limited(ctx):
    srv = ctx.server(test_clock=iso(fresh(ctx)), env={"BOOKD_RATE_LIMITS": "reset_email=2/3600,reset_addr=4/3600"})
    c = srv.new_client()
    ask = lambda email: c.post("/api/v1/auth/password-reset", body={"business": "acme", "email": email}).status
    assert [ask("a@acme.test"), ask("a@acme.test"), ask("a@acme.test")] == [202, 202, 429]
    assert ask("b@acme.test") == 202
    r = c.post("/api/v1/auth/password-reset", body={"business": "acme", "email": "c@acme.test"})
    assert r.status == 429 and int(r.header("Retry-After")) > 0, r
    c.close()
    srv.stop()


def test_owner_forces_a_reset(ctx):
    fresh(ctx)
    victim = session(ctx, "forced@acme.test", PW)
    uid = victim.user["id"]
    admin = session(ctx, "admin@acme.test", PW)
    assert admin.post(admin.path("/users/%s/password-reset" % uid)).status == 403
    o = session(ctx, "owner@acme.test", PW)
    assert o.post(o.path("/users/usr_nosuchuser/password-reset")).status == 404
    r = o.post(o.path("/users/%s/password-reset" % uid))
    assert r.status == 202 and r.json["user"]["id"] == uid and r.json["link_expires_at"], r
    assert victim.get("/api/v1/auth/me").status == 401
    # The old password fails, after the same work as any wrong password (the unusable
    # marker is checked like a missing user: against the dummy hash).
    t0 = time.monotonic()
    assert login(ctx, "forced@acme.test", PW) == 401
    forced = time.monotonic() - t0
    t0 = time.monotonic()
    assert login(ctx, "admin@acme.test", "a wrong password") == 401
    wrong = time.monotonic() - t0
    assert forced > 0.3 * wrong, (forced, wrong)
    m = wait_mail(ctx, "forced@acme.test", "Choose a new password")
    token = link_token(m[0])
    c = ctx.srv.new_client()
    assert c.post("/api/v1/auth/password-reset/complete", body={"token": token, "password": "chosen anew 123"}).status == 204
    c.close()
    assert login(ctx, "forced@acme.test", "chosen anew 123") == 200
    assert o.get("/api/v1/auth/me").status == 200


def test_one_stranger_cannot_lock_an_account_out(ctx):
    fresh(ctx)
    for i in range(5):
        assert login(ctx, "target@acme.test", "wrong %d" % i, source="127.0.0.50") == 401
    assert login(ctx, "target@acme.test", PW, source="127.0.0.50") == 429
    assert login(ctx, "target@acme.test", PW, source="127.0.0.51") == 200


def sql(ctx, statement):
    """Runs one writing statement on the test database (the server keeps running)."""
    if ctx.db_url.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(ctx.db_url[len("sqlite:"):], timeout=30)
        con.execute(statement)
        con.commit()
        con.close()
    else:
        import subprocess
        subprocess.run(["psql", "-q", "-X", "-d", ctx.db_url, "-c", statement], check=True, capture_output=True)


def test_email_alone_locks_after_100_and_tells_once(ctx):
    """Failures of one email from many addresses (each under the pair and address
    thresholds) lock the email from everywhere at the 100th; its user and the other owner
    hear of it once. The first 96 failures are written straight into the counter (each real
    one costs an argon2id hash); the last four race from four addresses."""
    t = fresh(ctx)
    sql(ctx, "INSERT INTO login_failures (business_id, key, failures, last_failure_at, locked_until) "
             "SELECT id, 'email:target@acme.test', 96, %d, 0 FROM businesses WHERE slug = 'acme'" % (t - 60))
    res = harness.parallel(4, lambda i: login(ctx, "target@acme.test", "wrong %d" % i, source="127.0.1.%d" % (i + 1)))
    assert res == [401] * 4, res
    assert login(ctx, "target@acme.test", PW, source="127.0.2.1") == 429
    assert login(ctx, "owner@acme.test", PW, source="127.0.2.1") == 200
    for i in range(3):  # failures while locked are refused before counting: no second mail
        assert login(ctx, "target@acme.test", "more %d" % i, source="127.0.2.2") == 429
    got = wait_mail(ctx, "target@acme.test", "locked")
    told = wait_mail(ctx, "owner@acme.test", "target@acme.test")
    time.sleep(1.5)
    assert len(mails(ctx, "target@acme.test", "locked")) == 1
    assert len(mails(ctx, "owner@acme.test", "target@acme.test")) == 1
    assert "not guessed" in text_of(got[0]) and "target@acme.test" in text_of(told[0])
    # 99 failures lock nothing: one fewer than the threshold.
    t = fresh(ctx)
    sql(ctx, "DELETE FROM login_failures")
    sql(ctx, "INSERT INTO login_failures (business_id, key, failures, last_failure_at, locked_until) "
             "SELECT id, 'email:target@acme.test', 98, %d, 0 FROM businesses WHERE slug = 'acme'" % (t - 60))
    assert login(ctx, "target@acme.test", "wrong", source="127.0.3.1") == 401
    assert login(ctx, "target@acme.test", PW, source="127.0.3.2") == 200
