"""Staff access over HTTP: every staff route refuses strangers (generated from `bookd routes`),
login and sessions, CSRF, logout, expiry, lockout, rate limits, API tokens, users, audit."""
import datetime
import json
import time

import harness
import staff

NOW = "2026-06-01T08:00:00Z"
PW = "correct horse battery"
OTHER_PW = "another long password"
STATE = {"t": 1780300800}  # 2026-06-01T08:00:00Z as epoch seconds


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def epoch(rfc3339):
    return int(datetime.datetime.fromisoformat(rfc3339).timestamp())


def at(ctx, t, srv=None):
    c = (srv or ctx.srv).new_client()
    r = c.post("/api/v1/test/clock", body={"now": iso(t)})
    c.close()
    assert r.status == 200, r


def fresh(ctx, srv=None):
    """Moves the clock two hours on: earlier lockouts and failure counts no longer apply."""
    STATE["t"] += 7200
    at(ctx, STATE["t"], srv)
    return STATE["t"]


def setup(ctx):
    staff.make_business(ctx, "acme", "Acme Studio")
    staff.make_business(ctx, "other", "Other Place")
    staff.make_user(ctx, "acme", "owner@acme.test", "owner", PW, name="Olive Owner")
    staff.make_user(ctx, "acme", "admin@acme.test", "admin", PW)
    staff.make_user(ctx, "acme", "staff@acme.test", "staff", PW)
    staff.make_user(ctx, "acme", "locked@acme.test", "staff", PW)
    staff.make_user(ctx, "other", "owner@other.test", "owner", OTHER_PW)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})


def login_raw(srv, slug, email, password, timeout=30):
    c = srv.new_client(timeout)
    r = c.post("/api/v1/auth/login", body={"business": slug, "email": email, "password": password})
    c.close()
    return r


ROUTE_LEVEL = {"staff": 1, "admin": 2, "owner": 3}


def staff_routes():
    out = harness.bookd("routes").stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert any(r["pattern"] == "/api/v1/auth/login" for r in rows)
    return [r for r in rows if r["auth"] in ROUTE_LEVEL]


def fill(pattern, slug):
    parts = []
    for seg in pattern.split("/"):
        if seg == "{business}":
            parts.append(slug)
        elif seg.startswith("{") and seg.endswith("}"):
            parts.append("placeholder-" + seg[1:-1])
        else:
            parts.append(seg)
    return "/".join(parts)


def call(client, method, path):
    body = {} if method in staff.UNSAFE else None
    return client.request(method, path, body=body)


def test_every_staff_route_refuses_strangers(ctx):
    fresh(ctx)
    routes = staff_routes()
    assert len(routes) >= 10, routes
    anon = ctx.srv.new_client()
    outsider = staff.login(ctx, "other", "owner@other.test", OTHER_PW)
    outsider_token = staff.TokenClient(ctx.srv.port, staff.make_token(outsider, "outsider"))
    clients = {"staff": staff.login(ctx, "acme", "staff@acme.test", PW),
               "admin": staff.login(ctx, "acme", "admin@acme.test", PW)}
    checked = 0
    for rt in routes:
        m, pat, level = rt["method"], rt["pattern"], rt["auth"]
        path = fill(pat, "acme")
        what = "%s %s" % (m, pat)
        r = call(anon, m, path)
        assert r.status == 401, (what, "anonymous", r)
        assert r.header("WWW-Authenticate") == "Bearer", (what, r.headers)
        r = anon.request(m, path, body={} if m in staff.UNSAFE else None,
                         headers={"Authorization": "Bearer biz_nope.not-a-real-token"})
        assert r.status == 401, (what, "bad token", r)
        r = anon.request(m, path, body={} if m in staff.UNSAFE else None,
                         headers={"Cookie": "bookd_session=biz_nope.xyz"})
        assert r.status == 401, (what, "bad cookie", r)
        if "{business}" in pat:
            r = call(outsider, m, path)
            assert r.status == 404, (what, "other business (cookie)", r)
            r = call(outsider_token, m, path)
            assert r.status == 404, (what, "other business (token)", r)
            # The same answer as for a business that does not exist at all.
            r2 = call(outsider, m, fill(pat, "no-such-biz"))
            assert r2.status == 404 and r2.json["detail"].replace("no-such-biz", "acme") == r.json["detail"], (what, r2)
        if level == "admin":
            r = call(clients["staff"], m, path)
            assert r.status == 403, (what, "staff on an admin route", r)
        if level == "owner":
            for who in ("staff", "admin"):
                r = call(clients[who], m, path)
                assert r.status == 403, (what, who + " on an owner route", r)
        checked += 1
    assert checked == len(routes)


def test_login_me_and_cookie(ctx):
    fresh(ctx)
    r = login_raw(ctx.srv, "acme", "Owner@ACME.test ", PW)
    assert r.status == 200, r
    body = r.json
    assert body["user"]["email"] == "owner@acme.test" and body["user"]["role"] == "owner"
    assert body["user"]["name"] == "Olive Owner" and "password_hash" not in json.dumps(body)
    assert body["business"]["slug"] == "acme" and len(body["csrf_token"]) >= 40
    cookie = r.header("Set-Cookie")
    assert cookie.startswith("bookd_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie
    c = staff.login(ctx, "acme", "owner@acme.test", PW)
    me = c.get("/api/v1/auth/me")
    assert me.status == 200, me
    assert me.json["via"] == "session" and me.json["csrf_token"] == c.csrf_token
    assert me.json["user"]["id"] == c.user["id"]
    assert c.get(c.path("/users")).status == 200
    # Missing fields are a validation error, not a login failure.
    r = ctx.srv.new_client().post("/api/v1/auth/login", body={"business": "acme"})
    assert r.status == 422 and {e["field"] for e in r.json["errors"]} == {"email", "password"}, r


def test_secure_cookie_with_https_public_url(ctx):
    srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off", "BOOKD_PUBLIC_URL": "https://book.example"})
    fresh(ctx, srv)
    r = login_raw(srv, "acme", "owner@acme.test", PW)
    assert r.status == 200, r
    assert "; Secure" in r.header("Set-Cookie")
    assert srv.stop() == 0


def test_csrf_required_for_cookie_sessions(ctx):
    fresh(ctx)
    c = staff.login(ctx, "acme", "admin@acme.test", PW)
    c.send_csrf = False
    r = c.post(c.path("/tokens"), body={"name": "no csrf"})
    assert r.status == 403 and "CSRF" in r.json["detail"], r
    r = c.post(c.path("/tokens"), body={"name": "wrong csrf"}, headers={"X-CSRF-Token": "x" * 43})
    assert r.status == 403, r
    other = staff.login(ctx, "acme", "owner@acme.test", PW)
    r = c.post(c.path("/tokens"), body={"name": "someone else's csrf"}, headers={"X-CSRF-Token": other.csrf_token})
    assert r.status == 403, r
    # Safe methods need no token.
    assert c.get(c.path("/tokens")).status == 200
    c.send_csrf = True
    r = c.post(c.path("/tokens"), body={"name": "with csrf"})
    assert r.status == 201, r
    # Bearer tokens need none.
    t = staff.TokenClient(ctx.srv.port, r.json["token"], "acme")
    r = t.post(t.path("/tokens"), body={"name": "by token"})
    assert r.status == 201, r


def test_logout_revokes_the_session(ctx):
    fresh(ctx)
    c = staff.login(ctx, "acme", "staff@acme.test", PW)
    old_cookie = dict(c.cookies)
    c.send_csrf = False
    assert c.logout().status == 403  # logout is an unsafe request too
    c.send_csrf = True
    r = c.logout()
    assert r.status == 204, r
    assert "Max-Age=0" in r.header("Set-Cookie")
    stale = staff.StaffClient(ctx.srv.port, "acme")
    stale.cookies = old_cookie
    r = stale.get("/api/v1/auth/me")
    assert r.status == 401, r
    # Other sessions of the same user live on.
    d = staff.login(ctx, "acme", "staff@acme.test", PW)
    assert d.get("/api/v1/auth/me").status == 200


def test_session_expires_after_twelve_hours(ctx):
    t = fresh(ctx)
    c = staff.login(ctx, "acme", "staff@acme.test", PW)
    expires = c.get("/api/v1/auth/me").json["expires_at"]
    assert expires.endswith("+01:00") and epoch(expires) == t + 12 * 3600, expires  # London, summer
    at(ctx, t + 12 * 3600 - 1)
    assert c.get("/api/v1/auth/me").status == 200
    at(ctx, t + 12 * 3600)
    assert c.get("/api/v1/auth/me").status == 401
    STATE["t"] = t + 12 * 3600


def test_wrong_password_and_unknown_email_look_alike(ctx):
    fresh(ctx)
    answers = []
    timings = {"wrong": [], "unknown": []}
    for _ in range(2):
        for kind, slug, email in (("wrong", "acme", "admin@acme.test"), ("unknown", "acme", "nobody@acme.test"),
                                  ("unknown", "no-such-business", "admin@acme.test")):
            t0 = time.monotonic()
            r = login_raw(ctx.srv, slug, email, "not the password")
            timings[kind].append(time.monotonic() - t0)
            assert r.status == 401, r
            assert r.header("Set-Cookie") is None
            answers.append({k: v for k, v in r.json.items() if k not in ("request_id",)})
    assert all(a == answers[0] for a in answers), answers
    wrong, unknown = min(timings["wrong"]), min(timings["unknown"])
    # Without the dummy hash an unknown email would answer in about a millisecond.
    assert unknown > 0.3 * wrong, timings


def test_logins_hash_off_the_http_threads(ctx):
    """With one HTTP thread, a health check answers while six logins wait for their hashes:
    the password pool parks them instead of hashing on the thread."""
    t = fresh(ctx)
    srv = ctx.server(test_clock=iso(t), env={"BOOKD_RATE_LIMITS": "off"}, extra_args=("--threads", "1"))
    done = []

    def one(i):
        r = login_raw(srv, "acme", "slow%d@acme.test" % i, "wrong password %d" % i)
        done.append(time.monotonic())
        return r.status

    import threading
    statuses = []
    th = threading.Thread(target=lambda: statuses.extend(harness.parallel(6, one)))
    th.start()
    time.sleep(0.05)
    c = srv.new_client()
    r = c.get("/healthz")
    healthy_at = time.monotonic()
    c.close()
    th.join()
    assert r.status == 200, r
    assert statuses == [401] * 6, statuses
    assert healthy_at < max(done), (healthy_at, done)
    srv.stop()


def test_full_hashing_queue_answers_503(ctx):
    """48 logins at once: two hash and 32 wait; those beyond are refused at once with 503 and
    Retry-After (from one address each newcomer ranks below those already waiting)."""
    fresh(ctx)
    # The last of the 32 waiting waits for 16 hashes before its own: on a loaded machine under
    # the sanitizers that is past the usual 30 s client timeout.
    res = harness.parallel(48, lambda i: login_raw(ctx.srv, "acme", "flood%d@acme.test" % i, "wrong password", 120))
    codes = [r.status for r in res]
    busy = [r for r in res if r.status == 503]
    assert set(codes) <= {401, 503}, codes
    assert 1 <= len(busy) <= 48 - 32, codes
    assert all(r.header("Retry-After") == "2" for r in busy), busy[0].headers
    assert codes.count(401) >= 32, codes
    fresh(ctx)


def test_lockout_engages_and_backs_off(ctx):
    t = fresh(ctx)
    for i in range(5):
        r = login_raw(ctx.srv, "acme", "locked@acme.test", "wrong %d" % i)
        assert r.status == 401, (i, r)
    r = login_raw(ctx.srv, "acme", "locked@acme.test", PW)
    assert r.status == 429, r
    assert 1 <= int(r.header("Retry-After")) <= 60, r.headers
    # An unknown email locks the same way: the answers tell nothing.
    for i in range(5):
        assert login_raw(ctx.srv, "acme", "ghost@acme.test", "wrong %d" % i).status == 401
    g = login_raw(ctx.srv, "acme", "ghost@acme.test", PW)
    assert g.status == 429 and g.json["detail"] == r.json["detail"]
    # Other users are not locked.
    assert login_raw(ctx.srv, "acme", "staff@acme.test", PW).status == 200
    at(ctx, t + 61)
    # A sixth failure locks for twice as long.
    assert login_raw(ctx.srv, "acme", "locked@acme.test", "wrong again").status == 401
    at(ctx, t + 61 + 119)
    assert login_raw(ctx.srv, "acme", "locked@acme.test", PW).status == 429
    at(ctx, t + 61 + 121)
    r = login_raw(ctx.srv, "acme", "locked@acme.test", PW)
    assert r.status == 200, r
    # Success forgets the email's failures.
    assert login_raw(ctx.srv, "acme", "locked@acme.test", "wrong").status == 401
    assert login_raw(ctx.srv, "acme", "locked@acme.test", PW).status == 200
    STATE["t"] = t + 200


def test_lockout_per_address(ctx):
    t = fresh(ctx)
    for i in range(20):
        r = login_raw(ctx.srv, "acme", "spray%d@acme.test" % i, "wrong")
        assert r.status == 401, (i, r)
    r = login_raw(ctx.srv, "acme", "owner@acme.test", PW)
    assert r.status == 429, r
    at(ctx, t + 61)
    assert login_raw(ctx.srv, "acme", "owner@acme.test", PW).status == 200
    STATE["t"] = t + 61


def test_lockout_holds_across_processes(ctx):
    t = fresh(ctx)
    second = ctx.server(test_clock=iso(t), env={"BOOKD_RATE_LIMITS": "off"})
    for i in range(5):
        assert login_raw(ctx.srv, "acme", "locked@acme.test", "wrong %d" % i).status == 401
    assert login_raw(second, "acme", "locked@acme.test", PW).status == 429
    # A session made by one process works on the other, and logout there ends it here.
    c = staff.login(ctx, "acme", "owner@acme.test", PW)
    c2 = staff.StaffClient(second.port, "acme")
    c2.cookies, c2.csrf_token = dict(c.cookies), c.csrf_token
    assert c2.get("/api/v1/auth/me").status == 200
    assert c2.logout().status == 204
    assert c.get("/api/v1/auth/me").status == 401
    assert second.stop() == 0


def test_rate_limits_engage_and_release(ctx):
    t = fresh(ctx)
    srv = ctx.server(test_clock=iso(t), env={"BOOKD_RATE_LIMITS": "on"})
    c = srv.new_client()
    t0 = t - t % 60 + 120  # the start of a minute window
    at(ctx, t0, srv)
    for i in range(300):
        r = c.get("/api/v1/public/acme")
        assert r.status == 200, (i, r)
    r = c.get("/api/v1/public/acme")
    assert r.status == 429 and int(r.header("Retry-After")) == 60, r
    assert c.get("/api/v1/public/other").status == 429  # per address
    assert c.get("/healthz").status == 200            # not a public API route
    at(ctx, t0 + 60, srv)
    assert c.get("/api/v1/public/acme").status == 200
    # Logins: 10 a minute from one address.
    for i in range(10):
        r = login_raw(srv, "acme", "rl%d@acme.test" % i, "wrong")
        assert r.status == 401, (i, r)
    r = login_raw(srv, "acme", "owner@acme.test", PW)
    assert r.status == 429 and r.header("Retry-After"), r
    at(ctx, t0 + 120, srv)
    assert login_raw(srv, "acme", "owner@acme.test", PW).status == 200
    assert srv.stop() == 0
    STATE["t"] = t0 + 120


def test_rate_limit_per_business(ctx):
    t = fresh(ctx)
    srv = ctx.server(test_clock=iso(t - t % 60), env={"BOOKD_RATE_LIMITS": "public_business=5/60"})
    c = srv.new_client()
    for i in range(5):
        assert c.get("/api/v1/public/acme/services").status == 200, i
    assert c.get("/api/v1/public/acme").status == 429
    assert c.get("/api/v1/public/other").status == 200
    assert srv.stop() == 0
    bad = harness.bookd("serve", "--rate-limits", "public_business=5", "--db", ctx.db_url, check=False)
    assert bad.returncode == 2 and "rate limits" in bad.stderr, bad


def test_api_tokens(ctx):
    fresh(ctx)
    owner = staff.login(ctx, "acme", "owner@acme.test", PW)
    r = owner.post(owner.path("/tokens"), body={"name": "ci"})
    assert r.status == 201, r
    tok = r.json
    assert tok["token"].count(".") == 1 and tok["role"] == "owner" and tok["name"] == "ci"
    assert tok["hint"] == tok["token"][-4:]
    t = staff.TokenClient(ctx.srv.port, tok["token"], "acme")
    me = t.get("/api/v1/auth/me")
    assert me.status == 200 and me.json["via"] == "token" and me.json["token_id"] == tok["id"], me
    assert "csrf_token" not in me.json
    assert t.get(t.path("/users")).status == 200  # acts as the owner
    listed = owner.get(owner.path("/tokens")).json["tokens"]
    mine = [x for x in listed if x["id"] == tok["id"]]
    assert len(mine) == 1 and "token" not in mine[0] and mine[0]["last_used_at"] is not None
    assert tok["token"] not in json.dumps(listed)
    assert t.post("/api/v1/auth/logout").status == 422  # a token is revoked, not logged out
    r = owner.delete(owner.path("/tokens/" + tok["id"]))
    assert r.status == 204, r
    assert t.get("/api/v1/auth/me").status == 401
    assert owner.delete(owner.path("/tokens/tok_nonexistent")).status == 404
    revoked = [x for x in owner.get(owner.path("/tokens")).json["tokens"] if x["id"] == tok["id"]][0]
    assert revoked["revoked_at"] is not None
    # A token acts with its creator's current role.
    staff.make_user(ctx, "acme", "temp-admin@acme.test", "admin", PW)
    adm = staff.login(ctx, "acme", "temp-admin@acme.test", PW)
    at_ = staff.TokenClient(ctx.srv.port, staff.make_token(adm, "admin's"), "acme")
    assert at_.get(at_.path("/tokens")).status == 200
    assert at_.get(at_.path("/users")).status == 403
    uid = adm.user["id"]
    assert owner.patch(owner.path("/users/" + uid), body={"role": "staff"}).status == 200
    assert at_.get(at_.path("/tokens")).status == 403
    assert adm.get(adm.path("/tokens")).status == 403
    assert owner.delete(owner.path("/users/" + uid)).status == 204
    assert at_.get("/api/v1/auth/me").status == 401
    assert adm.get("/api/v1/auth/me").status == 401


def test_api_token_expiry_scope_and_last_use(ctx):
    t0 = fresh(ctx)
    owner = staff.login(ctx, "acme", "owner@acme.test", PW)
    for bad in ({"expires_at": iso(t0 - 1)}, {"expires_at": "tomorrow"}, {"expires_at": iso(t0 + 11 * 366 * 86400)},
                {"read_only": "yes"}, {"scope": "read"}):
        r = owner.post(owner.path("/tokens"), body=bad)
        assert r.status == 422 and r.json["errors"][0]["field"] == list(bad)[0], (bad, r)
    r = owner.post(owner.path("/tokens"), body={"name": "reader", "read_only": True, "expires_at": iso(t0 + 3600)})
    assert r.status == 201 and r.json["read_only"] is True and epoch(r.json["expires_at"]) == t0 + 3600, r
    assert r.json["last_used_at"] is None
    reader = staff.TokenClient(ctx.srv.port, r.json["token"], "acme")
    rid = r.json["id"]
    # Read-only: safe methods work, every unsafe one is 403 (and nothing changes).
    assert reader.get(reader.path("/users")).status == 200
    r = reader.post(reader.path("/tokens"), body={"name": "escalate"})
    assert r.status == 403 and "read-only" in r.json["detail"], r
    assert reader.patch(reader.path("/users/" + owner.user["id"]), body={"name": "x"}).status == 403
    assert reader.delete(reader.path("/tokens/" + rid)).status == 403
    assert not any(x["name"] == "escalate" for x in owner.get(owner.path("/tokens")).json["tokens"])
    # Last use: recorded, then at most once a minute.
    def last_used():
        mine = [x for x in owner.get(owner.path("/tokens")).json["tokens"] if x["id"] == rid][0]
        return epoch(mine["last_used_at"])
    assert last_used() == t0
    at(ctx, t0 + 30)
    assert reader.get("/api/v1/auth/me").status == 200
    assert last_used() == t0
    at(ctx, t0 + 61)
    assert reader.get("/api/v1/auth/me").status == 200
    assert last_used() == t0 + 61
    # A full token with no expiry lists null; the reader stops at its expiry.
    r = owner.post(owner.path("/tokens"), body={"name": "full"})
    assert r.status == 201 and r.json["expires_at"] is None and r.json["read_only"] is False, r
    at(ctx, t0 + 3599)
    assert reader.get("/api/v1/auth/me").status == 200
    at(ctx, t0 + 3600)
    assert reader.get("/api/v1/auth/me").status == 401
    STATE["t"] = t0 + 3600


def test_users_crud(ctx):
    fresh(ctx)
    owner = staff.login(ctx, "acme", "owner@acme.test", PW)
    r = owner.post(owner.path("/users"), body={"email": "New@Acme.test", "name": "Nia", "role": "staff",
                                               "password": "a fine password"})
    assert r.status == 201, r
    u = r.json
    assert u["email"] == "new@acme.test" and u["role"] == "staff" and u["id"].startswith("usr_")
    assert "password" not in json.dumps(u) and "hash" not in json.dumps(u)
    assert owner.post(owner.path("/users"), body={"email": "new@acme.test", "role": "staff",
                                                  "password": "a fine password"}).status == 409
    r = owner.post(owner.path("/users"), body={"email": "bad", "role": "boss", "password": "short"})
    assert r.status == 422 and {e["field"] for e in r.json["errors"]} == {"email", "role", "password"}, r
    listed = owner.get(owner.path("/users")).json["users"]
    assert "new@acme.test" in [x["email"] for x in listed]
    assert "$argon2" not in json.dumps(listed)
    assert staff.login(ctx, "acme", "new@acme.test", "a fine password").user["role"] == "staff"
    r = owner.patch(owner.path("/users/" + u["id"]), body={"role": "admin", "name": "Nia N."})
    assert r.status == 200 and r.json["role"] == "admin" and r.json["name"] == "Nia N.", r
    assert owner.patch(owner.path("/users/usr_nope"), body={"name": "x"}).status == 404
    # The last owner stays.
    me = owner.user["id"]
    assert owner.patch(owner.path("/users/" + me), body={"role": "admin"}).status == 409
    assert owner.delete(owner.path("/users/" + me)).status == 409
    assert owner.delete(owner.path("/users/" + u["id"])).status == 204
    assert owner.delete(owner.path("/users/" + u["id"])).status == 404
    assert login_raw(ctx.srv, "acme", "new@acme.test", "a fine password").status == 401
    # Users of another business are invisible.
    other = staff.login(ctx, "other", "owner@other.test", OTHER_PW)
    assert "owner@acme.test" not in json.dumps(other.get(other.path("/users")).json)


def test_audit_log(ctx):
    t = fresh(ctx)
    adm = staff.login(ctx, "acme", "admin@acme.test", PW)
    login_raw(ctx.srv, "acme", "admin@acme.test", "wrong password")
    r = adm.post(adm.path("/tokens"), body={"name": "audited"})
    assert r.status == 201
    adm.send_csrf = False
    assert adm.post(adm.path("/tokens"), body={}).status == 403
    adm.send_csrf = True
    entries = adm.get(adm.path("/audit?limit=200")).json["entries"]
    actions = [e["action"] for e in entries]
    assert actions[:4] == ["POST /api/v1/businesses/{business}/tokens", "POST /api/v1/businesses/{business}/tokens",
                           "login_failed", "login"], actions[:6]
    top = entries[0]
    assert top["status"] == 403 and top["user_id"] == adm.user["id"] and top["actor_email"] == "admin@acme.test"
    assert top["remote_addr"] == "127.0.0.1" and top["path"] == "/api/v1/businesses/acme/tokens"
    assert epoch(top["at"]) == t, top
    assert entries[1]["status"] == 201 and entries[2]["user_id"] == adm.user["id"]
    # Paging: newest first, no overlaps, the end says so.
    seen, cursor = [], None
    while True:
        q = "/audit?limit=3" + ("&cursor=" + cursor if cursor else "")
        page = adm.get(adm.path(q)).json
        seen += [e["id"] for e in page["entries"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [e["id"] for e in entries]
    assert adm.get(adm.path("/audit?cursor=junk")).status == 400
    assert adm.get(adm.path("/audit?limit=0")).status == 400
    # Logouts are recorded; reads are not.
    assert adm.logout().status == 204
    owner = staff.login(ctx, "acme", "owner@acme.test", PW)
    acts = [e["action"] for e in owner.get(owner.path("/audit?limit=5")).json["entries"]]
    assert acts[:2] == ["login", "logout"], acts
    assert not any(a.startswith("GET ") for a in acts)
    # Another business's log holds none of this.
    other = staff.login(ctx, "other", "owner@other.test", OTHER_PW)
    assert "admin@acme.test" not in json.dumps(other.get(other.path("/audit")).json)


def test_cli_user_and_business(ctx):
    r = harness.bookd("business", "add", "--db", ctx.db_url, "--slug", "acme", "--name", "Dup",
                      "--timezone", "Europe/London", check=False)
    assert r.returncode == 1 and "taken" in r.stderr, r
    r = harness.bookd("business", "add", "--db", ctx.db_url, "--slug", "zed", "--name", "Zed",
                      "--timezone", "Mars/Olympus", check=False)
    assert r.returncode == 2, r
    r = harness.bookd("user", "add", "--db", ctx.db_url, "--business", "acme", "--email", "x@acme.test",
                      "--role", "boss", input=PW + "\n", check=False)
    assert r.returncode == 2, r
    r = harness.bookd("user", "add", "--db", ctx.db_url, "--business", "nope", "--email", "x@acme.test",
                      "--role", "staff", input=PW + "\n", check=False)
    assert r.returncode == 1 and "no business" in r.stderr, r
    r = harness.bookd("user", "add", "--db", ctx.db_url, "--business", "acme", "--email", "x@acme.test",
                      "--role", "staff", input="short\n", check=False)
    assert r.returncode == 2, r
    r = harness.bookd("user", "add", "--db", ctx.db_url, "--business", "acme", "--email", "owner@acme.test",
                      "--role", "staff", input=PW + "\n", check=False)
    assert r.returncode == 1 and "already" in r.stderr, r
    out = harness.bookd("routes").stdout.splitlines()
    assert {"method": "GET", "pattern": "/healthz", "auth": "public"} in [json.loads(x) for x in out]
