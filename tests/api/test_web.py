"""The web app's server side: its files with caching, precompressed variants and 304s; the
pages (/, /book/..., /b/...) with their security headers and who may frame them; the
business settings the app reads; and a refusal's words fitting what was refused."""
import gzip
import http.client
import json
import os
import tempfile

import harness
import staff

NOW = "2026-06-01T06:00:00Z"
PW = "a long enough secret"
INDEX = b"<!doctype html><title>app</title><script type=module src=/assets/app-3f9a.js></script>"
JS = b"console.log('booking app');" * 20
CSS = b".b{color:red}"

FIXTURE = {
    "business": {"slug": "salon", "name": "Salon", "timezone": "Europe/London", "currency": "EUR",
                 "listed": True, "embed_origins": ["https://salon.example", "http://localhost:5173"],
                 "accent_colour": "#0f766e", "logo_url": "https://salon.example/logo.png",
                 "address": "1 High Street", "hold_ttl_s": 420},
    "providers": [{"id": "ann", "name": "Ann"}],
    "resources": [{"id": "car", "name": "Car"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "providers": ["ann"]},
        {"id": "hire", "name": "Hire", "kind": "rental", "duration_s": 3600, "slot_interval_s": 3600,
         "resources": ["car"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    # The car is away on the Tuesday (a blackout), Ann on the Wednesday.
    "time_off": [{"owner": "resource:car", "start": "2026-06-02T00:00:00+01:00", "end": "2026-06-03T00:00:00+01:00"},
                 {"owner": "provider:ann", "start": "2026-06-03T00:00:00+01:00", "end": "2026-06-04T00:00:00+01:00"}],
}
OTHER = {"business": {"slug": "quiet", "name": "Quiet", "timezone": "Europe/London"}}


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def make_web_dir(root):
    d = os.path.join(root, "dist")
    write(os.path.join(d, "index.html"), INDEX)
    write(os.path.join(d, "index.html.gz"), gzip.compress(INDEX))
    write(os.path.join(d, "index.html.br"), b"BR:" + INDEX)  # the bytes stand for brotli's
    write(os.path.join(d, "assets", "app-3f9a.js"), JS)
    write(os.path.join(d, "assets", "app-3f9a.js.gz"), gzip.compress(JS))
    write(os.path.join(d, "assets", "app-3f9a.js.br"), b"BR:" + JS)
    write(os.path.join(d, "assets", "app-77aa.css"), CSS)
    write(os.path.join(d, "sw.js"), b"self.addEventListener('fetch', () => {});")
    write(os.path.join(d, "bookd.js"), b"/* embed */")
    write(os.path.join(d, "manifest.webmanifest"), b'{"name":"Salon"}')
    write(os.path.join(d, "icons", "icon-192.png"), b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    write(os.path.join(d, "favicon.ico"), b"\0\0\1\0")
    write(os.path.join(d, "fonts.woff2"), b"wOF2")
    write(os.path.join(d, ".env"), b"SECRET=in-the-dir")
    write(os.path.join(root, "secret.txt"), b"SECRET=outside")
    return d


def import_doc(db_url, doc):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    p = harness.bookd("import", "--db", db_url, "--file", path, check=False)
    os.unlink(path)
    return p


def setup(ctx):
    ctx.web = make_web_dir(ctx.tmp)
    assert import_doc(ctx.db_url, FIXTURE).returncode == 0
    assert import_doc(ctx.db_url, OTHER).returncode == 0
    staff.make_user(ctx, "salon", "owner@salon.test", "owner", PW)
    ctx.srv = ctx.server(test_clock=NOW, extra_args=["--web-dir", ctx.web], env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client


def raw(ctx, path, method="GET", headers=None, port=None):
    """One request on its own connection, the path sent exactly as given; the body as bytes."""
    conn = http.client.HTTPConnection("127.0.0.1", port or ctx.srv.port, timeout=30)
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return r.status, hdrs, body


# ---- files ------------------------------------------------------------------------------

def test_files_have_their_type_and_caching(ctx):
    st, h, body = raw(ctx, "/assets/app-3f9a.js")
    assert st == 200 and body == JS, (st, body[:80])
    assert h["content-type"] == "text/javascript; charset=utf-8", h
    assert h["cache-control"] == "public, max-age=31536000, immutable", h
    assert h["vary"] == "Accept-Encoding" and "content-encoding" not in h, h
    assert h["x-content-type-options"] == "nosniff"
    st, h, _ = raw(ctx, "/assets/app-77aa.css")
    assert st == 200 and h["content-type"] == "text/css; charset=utf-8" and "immutable" in h["cache-control"], h
    expect = {"/sw.js": "text/javascript; charset=utf-8", "/bookd.js": "text/javascript; charset=utf-8",
              "/manifest.webmanifest": "application/manifest+json", "/icons/icon-192.png": "image/png",
              "/favicon.ico": "image/x-icon", "/fonts.woff2": "font/woff2"}
    for path, ctype in expect.items():
        st, h, _ = raw(ctx, path)
        assert st == 200 and h["content-type"] == ctype, (path, st, h)
        assert h["cache-control"] == "no-cache", (path, h)
    for path in ("/assets/nope.js", "/nope.js", "/icons/nope.png", "/assets/app-3f9a.js.gz"):
        st, h, _ = raw(ctx, path)
        assert st == 404, (path, st)


def test_head_answers_the_headers_alone(ctx):
    st, h, body = raw(ctx, "/assets/app-3f9a.js", method="HEAD")
    assert st == 200 and body == b"" and int(h["content-length"]) == len(JS), (st, h)
    assert "immutable" in h["cache-control"] and h["etag"], h
    st, h, body = raw(ctx, "/book/salon", method="HEAD")
    assert st == 200 and body == b"" and int(h["content-length"]) == len(INDEX), (st, h)
    assert "frame-ancestors" in h["content-security-policy"], h
    assert raw(ctx, "/nope.js", method="HEAD")[0] == 404


def test_precompressed_variants_follow_accept_encoding(ctx):
    def get(ae):
        return raw(ctx, "/assets/app-3f9a.js", headers={"Accept-Encoding": ae} if ae is not None else None)
    st, h, body = get("gzip, deflate, br")
    assert st == 200 and h.get("content-encoding") == "br" and body == b"BR:" + JS, h
    assert h["vary"] == "Accept-Encoding"
    st, h, body = get("gzip")
    assert h.get("content-encoding") == "gzip" and gzip.decompress(body) == JS, h
    st, h, body = get("br;q=0, gzip;q=0.5")
    assert h.get("content-encoding") == "gzip" and gzip.decompress(body) == JS, h
    st, h, body = get("x-gzip")
    assert h.get("content-encoding") == "gzip", h
    for ae in ("gzip;q=0", "identity", "", None, "*;q=0", "deflate"):
        st, h, body = get(ae)
        assert st == 200 and "content-encoding" not in h and body == JS, (ae, h)
    st, h, body = get("*")
    assert h.get("content-encoding") == "br", h
    # A file without variants is sent as it is, whatever the client accepts.
    st, h, body = raw(ctx, "/assets/app-77aa.css", headers={"Accept-Encoding": "br, gzip"})
    assert st == 200 and "content-encoding" not in h and body == CSS, h
    # The page too.
    st, h, body = raw(ctx, "/book/salon", headers={"Accept-Encoding": "gzip"})
    assert h.get("content-encoding") == "gzip" and gzip.decompress(body) == INDEX, h


def test_etag_answers_304(ctx):
    st, h, body = raw(ctx, "/assets/app-3f9a.js")
    tag = h["etag"]
    assert tag.startswith('"') and tag.endswith('"'), tag
    st, h2, body = raw(ctx, "/assets/app-3f9a.js", headers={"If-None-Match": tag})
    assert st == 304 and body == b"" and h2["etag"] == tag, (st, h2)
    assert "immutable" in h2["cache-control"]
    st, _, _ = raw(ctx, "/assets/app-3f9a.js", headers={"If-None-Match": '"other", W/' + tag})
    assert st == 304
    # Each variant has its own tag: a gzip copy does not satisfy a plain request.
    st, hg, _ = raw(ctx, "/assets/app-3f9a.js", headers={"Accept-Encoding": "gzip"})
    assert hg["etag"] != tag
    st, _, body = raw(ctx, "/assets/app-3f9a.js", headers={"If-None-Match": hg["etag"]})
    assert st == 200 and body == JS
    st, hp, _ = raw(ctx, "/b/ABCD-EFGH")
    st, _, body = raw(ctx, "/b/ABCD-EFGH", headers={"If-None-Match": hp["etag"]})
    assert st == 304 and body == b""


def test_nothing_outside_the_web_dir_is_served(ctx):
    paths = ["/assets/..", "/assets/../secret.txt", "/..", "/../secret.txt", "/%2e%2e/secret.txt",
             "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
             "/icons/..%2f..%2fsecret.txt", "/.env", "/assets/%2eenv", "/%2fetc%2fpasswd",
             "//etc/passwd", "/assets//etc/passwd", "/icons/%2e%2e", "/..%5csecret.txt",
             "/secret.txt%00.js", "/assets/%00"]
    for p in paths:
        st, h, body = raw(ctx, p)
        assert st in (400, 404), (p, st, body[:200])
        assert b"SECRET" not in body, p
    # The same names are fine inside: the check is on the name, not a guess at the intent.
    assert raw(ctx, "/assets/app-3f9a.js")[0] == 200


# ---- pages ------------------------------------------------------------------------------

def csp_of(h):
    return dict((d.strip().split(" ", 1) + [""])[:2] for d in h["content-security-policy"].split(";"))


def assert_page_headers(h):
    csp = csp_of(h)
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'", csp
    assert csp["img-src"] == "'self' data: https:" and csp["connect-src"] == "'self'", csp
    assert csp["manifest-src"] == "'self'" and csp["worker-src"] == "'self'", csp
    assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'", csp
    assert h["referrer-policy"] == "strict-origin-when-cross-origin", h
    assert h["permissions-policy"] == "camera=(), microphone=(), geolocation=()", h
    assert h["x-content-type-options"] == "nosniff"
    assert h["cache-control"] == "no-cache", h
    assert h["content-type"] == "text/html; charset=utf-8", h
    return csp


def test_booking_pages_are_the_app_framed_by_the_business_origins(ctx):
    for path in ("/book/salon", "/book/salon/cut", "/book/salon?lang=de"):
        st, h, body = raw(ctx, path)
        assert st == 200 and body == INDEX, (path, st)
        csp = assert_page_headers(h)
        assert csp["frame-ancestors"] == "'self' https://salon.example http://localhost:5173", csp
        assert "x-frame-options" not in h, h
    # A business without origins: only the server's own pages may frame it.
    st, h, _ = raw(ctx, "/book/quiet")
    assert st == 200 and csp_of(h)["frame-ancestors"] == "'self'" and "x-frame-options" not in h
    # No such business: the app all the same (it says so), never framed.
    st, h, body = raw(ctx, "/book/nobody")
    assert st == 404 and body == INDEX, st
    assert assert_page_headers(h)["frame-ancestors"] == "'none'" and h["x-frame-options"] == "DENY"


def test_other_pages_are_never_framed(ctx):
    for path in ("/b/K7QF-2M9X?t=abc", "/", "/index.html"):
        st, h, body = raw(ctx, path)
        assert st == 200 and body == INDEX, (path, st)
        csp = assert_page_headers(h)
        assert csp["frame-ancestors"] == "'none'" and h["x-frame-options"] == "DENY", (path, h)


def test_front_page_with_several_businesses_is_the_app_and_lists_the_listed(ctx):
    st, h, body = raw(ctx, "/")
    assert st == 200 and body == INDEX and "location" not in h
    r = ctx.c.get("/api/v1/public/businesses")
    assert r.status == 200 and r.json == {"businesses": [{"slug": "salon", "name": "Salon"}]}, r


def test_front_page_with_one_business_goes_to_it(ctx):
    url = ctx.new_db_url()
    assert import_doc(url, OTHER).returncode == 0
    srv = harness.Server(url, extra_args=["--web-dir", ctx.web])
    ctx.servers.append(srv)
    st, h, _ = raw(ctx, "/", port=srv.port)
    assert st == 302 and h["location"] == "/book/quiet", (st, h)
    st, h, _ = raw(ctx, "/?lang=de-CH", port=srv.port)
    assert st == 302 and h["location"] == "/book/quiet?lang=de-CH", (st, h)
    st, h, _ = raw(ctx, "/?lang=%22x", port=srv.port)
    assert st == 302 and h["location"] == "/book/quiet", (st, h)
    # Not listed: the list stays empty though it is the only one.
    r = srv.client.get("/api/v1/public/businesses")
    assert r.status == 200 and r.json == {"businesses": []}, r


def test_without_the_app_pages_say_it_was_not_built(ctx):
    empty = os.path.join(ctx.tmp, "empty")
    os.makedirs(empty, exist_ok=True)
    srv = ctx.server(extra_args=["--web-dir", empty])
    st, h, body = raw(ctx, "/book/salon", port=srv.port)
    assert st == 200 and b"web app was not built" in body, (st, body)
    assert h["content-type"] == "text/html; charset=utf-8" and "frame-ancestors 'self'" in h["content-security-policy"]
    st, _, body = raw(ctx, "/b/ABCD-EFGH", port=srv.port)
    assert st == 200 and b"not built" in body
    assert raw(ctx, "/assets/app-3f9a.js", port=srv.port)[0] == 404
    assert srv.client.get("/api/v1/public/salon").status == 200  # the API does not need it


def test_web_dir_must_be_a_directory(ctx):
    p = harness.bookd("serve", "--db", ctx.db_url, "--listen", "127.0.0.1:0", "--web-dir",
                      os.path.join(ctx.tmp, "no-such-dir"), check=False)
    assert p.returncode == 2 and "--web-dir" in p.stderr, p


def test_files_are_read_per_request(ctx):
    path = os.path.join(ctx.web, "late.txt")
    assert raw(ctx, "/late.txt")[0] == 404
    write(path, b"new")
    st, h, body = raw(ctx, "/late.txt")
    assert st == 200 and body == b"new" and h["content-type"] == "text/plain; charset=utf-8"
    os.unlink(path)


# ---- settings ---------------------------------------------------------------------------

def test_public_profile_carries_the_app_settings(ctx):
    r = ctx.c.get("/api/v1/public/salon")
    assert r.status == 200, r
    j = r.json
    assert j["logo_url"] == "https://salon.example/logo.png" and j["accent_colour"] == "#0f766e", j
    assert j["require_phone"] is False and j["address"] == "1 High Street" and j["hold_ttl_s"] == 420, j
    assert "embed_origins" not in j and "listed" not in j  # staff settings, not the customer's
    j = ctx.c.get("/api/v1/public/quiet").json
    assert j["logo_url"] == "" and j["accent_colour"] == "" and j["hold_ttl_s"] == 600, j


def fields(r):
    return [e["field"] for e in (r.json or {}).get("errors", [])]


def test_settings_are_validated_and_change_the_pages(ctx):
    s = staff.login(ctx, "salon", "owner@salon.test", PW)
    r = s.get(s.path(""))
    assert r.status == 200 and r.json["embed_origins"] == ["https://salon.example", "http://localhost:5173"], r
    assert r.json["listed"] is True and r.json["require_phone"] is False, r
    bad = {
        "embed_origins": (["https://ok.example", "javascript:alert(1)"], "embed_origins[1]"),
        "accent_colour": ("red", "accent_colour"),
        "logo_url": ("http://salon.example/logo.png", "logo_url"),
        "listed": ("yes", "listed"),
        "require_phone": (1, "require_phone"),
    }
    for key, (value, field) in bad.items():
        r = s.patch(s.path(""), body={key: value})
        assert r.status == 422 and fields(r) == [field], (key, r)
    for origins in (["https://a.example/path"], ["https://a.example; script-src *"], ["ftp://a.example"],
                    ["https://"], ["https://a.example:0"], ["https://a..example"], "https://a.example",
                    ["https://a.example"] * 21, [7]):
        r = s.patch(s.path(""), body={"embed_origins": origins})
        assert r.status == 422 and fields(r)[0].startswith("embed_origins"), (origins, r)
    for colour in ("#12345", "#1234567", "123456", "#gggggg"):
        r = s.patch(s.path(""), body={"accent_colour": colour})
        assert r.status == 422 and fields(r) == ["accent_colour"], (colour, r)
    r = s.patch(s.path(""), body={"logo_url": "https://x.example/a\"onerror=1"})
    assert r.status == 422 and fields(r) == ["logo_url"], r
    # Nothing was written by the refusals.
    assert ctx.c.get("/api/v1/public/salon").json["accent_colour"] == "#0f766e"

    r = s.patch(s.path(""), body={"embed_origins": ["https://Shop.Example:8443", "https://*.partner.example"],
                                  "accent_colour": "#AbCdEf", "logo_url": "", "require_phone": True,
                                  "listed": False})
    assert r.status == 200, r
    assert r.json["embed_origins"] == ["https://shop.example:8443", "https://*.partner.example"], r
    st, h, _ = raw(ctx, "/book/salon")
    assert csp_of(h)["frame-ancestors"] == "'self' https://shop.example:8443 https://*.partner.example", h
    j = ctx.c.get("/api/v1/public/salon").json
    assert j["accent_colour"] == "#AbCdEf" and j["logo_url"] == "" and j["require_phone"] is True, j
    assert ctx.c.get("/api/v1/public/businesses").json == {"businesses": []}

    # require_phone: a public booking without a phone names the field.
    body = {"service": "cut", "start": "2026-06-01T10:00:00+01:00",
            "customer": {"name": "Pat", "email": "pat@example.test"}}
    r = ctx.c.post("/api/v1/public/salon/bookings", body=body)
    assert r.status == 422 and fields(r) == ["customer.phone"], r
    body["customer"]["phone"] = "+44 20 7946 0000"
    r = ctx.c.post("/api/v1/public/salon/bookings", body=body)
    assert r.status == 201, r

    # Back as they were; the export carries the settings.
    r = s.patch(s.path(""), body={"embed_origins": FIXTURE["business"]["embed_origins"], "listed": True,
                                  "accent_colour": "#0f766e", "logo_url": "https://salon.example/logo.png",
                                  "require_phone": False})
    assert r.status == 200, r
    doc = s.get(s.path("/config")).json
    for k in ("embed_origins", "listed", "accent_colour", "logo_url", "require_phone"):
        assert doc["business"][k] == FIXTURE["business"].get(k, False), (k, doc["business"])


def test_import_checks_the_settings(ctx):
    doc = json.loads(json.dumps(OTHER))
    doc["business"].update({"slug": "badly", "accent_colour": "teal", "embed_origins": ["nope"]})
    p = import_doc(ctx.db_url, doc)
    assert p.returncode != 0, p
    assert "business.accent_colour" in p.stderr + p.stdout and "business.embed_origins[0]" in p.stderr + p.stdout, p
    doc = json.loads(json.dumps(OTHER))
    doc["business"]["slug"] = "businesses"  # the public list's own path
    p = import_doc(ctx.db_url, doc)
    assert p.returncode != 0 and "business.slug" in p.stderr + p.stdout, p


# ---- refusals in words that fit -------------------------------------------------------

def test_a_blocked_resource_is_not_called_an_away_provider(ctx):
    # The car's blackout (a rental).
    r = ctx.c.post("/api/v1/public/salon/holds", body={"service": "hire", "start": "2026-06-02T10:00:00+01:00",
                                                       "end": "2026-06-02T12:00:00+01:00"})
    assert r.status == 409 and r.json["reason"] == "time_off", r
    assert "provider" not in r.json["detail"] and "away" not in r.json["detail"], r.json
    assert r.json["detail"] == "what you are booking is not available at that time", r.json
    r = ctx.c.post("/api/v1/public/salon/bookings", body={
        "service": "hire", "start": "2026-06-02T10:00:00+01:00", "end": "2026-06-02T12:00:00+01:00",
        "customer": {"name": "Pat", "email": "pat@example.test", "phone": "1"}})
    assert r.status == 409 and r.json["detail"] == "what you are booking is not available at that time", r
    # Ann's day off still reads as a person's.
    r = ctx.c.post("/api/v1/public/salon/holds", body={"service": "cut", "start": "2026-06-03T10:00:00+01:00"})
    assert r.status == 409 and r.json["reason"] == "time_off", r
    assert r.json["detail"] == "the provider is away at that time", r.json
