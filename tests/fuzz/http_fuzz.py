"""http_fuzz.py - fuzzes the running server over HTTP: every route `bookd routes` lists gets
valid requests (built from the demo business and ids read back from the server), mutated:
values of other types, sizes at and past their limits, deep nesting, UTF-8 oddities and
invalid UTF-8, NULs, numbers at their limits, dates at year 1 and 9999, unknown zones, path
parameters and query values bent the same way, headers and methods swapped. A 5xx answer,
a server that dies, or a sanitizer report in its log is a failure.

usage: http_fuzz.py [--seed N] [--requests N] [--db URL]
Starts BOOKD_BIN (default build/san/bookd) on a fresh SQLite file with the demo loaded.
Ends with "http-fuzz: N passed, N failed": one check per route (no 5xx, no lost
connection), and one for the server (alive, clean exit, no sanitizer report).
Only Debian's /usr/bin/python3 standard library.
"""
import argparse
import datetime
import http.client
import json
import os
import random
import re
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))
import harness  # noqa: E402

# Requests that hash a password (argon2id, about 64 MiB and a good part of a second under
# ASan) get only this many each; every other route shares the rest of the count evenly.
SLOW_ROUTES = {("POST", "/api/v1/auth/login"), ("POST", "/api/v1/businesses/{business}/users"),
               ("POST", "/api/v1/auth/password"), ("POST", "/api/v1/auth/password-reset/complete"),
               ("POST", "/auth/reset")}
SLOW_SHARE = 6
BIG_HEAD = 16 * 1024  # a request head at least this long may be cut off with a 414
REQUEST_TIMEOUT_S = 15  # an answer slower than this is a failure
SKIP_ROUTES = {("POST", "/api/v1/test/clock")}  # exists only with the test clock

INT_LIMITS = [0, -1, 1, 2**31 - 1, 2**31, -2**31 - 1, 2**53, 2**63 - 1, -2**63, 2**64, 10**30]
REALS = [0.5, -0.0, 1e308, -1e308, 1e-308, 3.0]
DATES = ["0001-01-01", "9999-12-31", "0000-01-01", "2026-02-29", "2024-02-29", "2026-13-01",
         "10000-01-01", "2026-1-1", ""]
INSTANTS = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+13:00",
            "9999-12-31T23:59:59-14:00", "2026-03-29T01:30:00+00:00", "2026-10-25T01:30:00+01:00",
            "2026-12-02T10:00:00.999999999Z", "2026-12-02T10:00:00", "2026-12-02 10:00:00Z",
            "1970-01-01T00:00:00Z", "2038-01-19T03:14:08Z"]
ZONES = ["Mars/Olympus", "UTC", "Etc/GMT+14", "Pacific/Kiritimati", "Pacific/Chatham",
         "Asia/Kathmandu", "America/St_Johns", "localtime", "posix/Europe/London",
         "../../../etc/passwd", "Europe/London\u0000x", "EUROPE/LONDON", ""]
STRINGS = ["", " ", "a" * 256, "a" * 5000, "x" * 70000, "\u0000", "a\u0000b", "\r\nBcc: x@evil",
           "\u202eevil", "\U0001F600" * 50, "\ud7ff\ue000\uffff", "Zoë d'Arcy <script>",
           "=cmd|' /C calc'!A0", "%s%n%x", "{{customer_name}}", "'; DROP TABLE bookings; --",
           "\t", "é" * 300, "null", "true", "0", "-1", "1e999"]
RAW_STRINGS = [b'"\xff\xfe"', b'"\xc0\xaf"', b'"\xed\xa0\x80"', b'"a\\ud800b"', b'"\\u0000"',
               b'"\xe6\x97"']


RAW = {}  # placeholder string -> raw JSON text, for nesting deeper than json.dumps goes


def nested(depth, leaf):
    """depth levels of arrays and objects around leaf; past 50 levels a placeholder that
    dumps() swaps for the raw text."""
    if depth <= 50:
        v = leaf
        for i in range(depth):
            v = [v] if i % 2 else {"a": v}
        return v
    text = json.dumps(leaf)
    for i in range(depth):
        text = "[" + text + "]" if i % 2 else '{"a":' + text + "}"
    key = "@@RAW%d@@" % len(RAW)
    RAW[key] = text
    return key


def dumps(v, ensure_ascii=True):
    text = json.dumps(v, ensure_ascii=ensure_ascii)
    for key in re.findall(r'"(@@RAW\d+@@)"', text):
        text = text.replace('"%s"' % key, RAW[key], 1)
    return text


def auth_lost(headers):
    """True when a 401 may mean our own credentials were revoked (a token or session the
    fuzzer itself deleted), not a mutated header."""
    a = headers.get("Authorization")
    return isinstance(a, str) and a.startswith("Bearer ") or \
        isinstance(headers.get("Cookie"), str) and headers["Cookie"].startswith("bookd_session=")


class Fuzzer:
    def __init__(self, srv, rng, password, db_url):
        self.srv = srv
        self.rng = rng
        self.password = password
        self.db_url = db_url
        self.conn = None
        self.cookie = None
        self.csrf = None
        self.token = None
        self.ids = {}
        self.failures = []
        self.per_route = {}
        self.sent = 0
        self.today = datetime.date.today()

    # ---- transport

    def connect(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=REQUEST_TIMEOUT_S)

    def send(self, method, path, body=None, headers=None, stream=False):
        """One request; returns (status, body bytes, headers) or (None, error, None)."""
        for attempt in range(2):
            if self.conn is None:
                self.connect()
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                if stream:
                    status, hdrs = r.status, r.getheaders()
                    self.conn.close()
                    self.conn = None
                    return status, b"", hdrs
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, data, r.getheaders()
            except (http.client.HTTPException, OSError) as e:
                self.conn.close()
                self.conn = None
                head = len(path) + sum(len(str(k)) + len(v if isinstance(v, bytes) else str(v))
                                       for k, v in (headers or {}).items())
                if isinstance(e, (BrokenPipeError, ConnectionResetError)) and head > BIG_HEAD and \
                        self.srv.proc.poll() is None:
                    # libmicrohttpd answers a head past its memory 414 or 431 and closes at
                    # once, while we are still sending: refused, as it should be.
                    return 414, b"", None
                if self.srv.proc.poll() is not None or attempt == 1:
                    return None, repr(e), None

    def staff_headers(self, method, how):
        if how == "token":
            return {"Authorization": "Bearer " + self.token}
        h = {"Cookie": "bookd_session=" + self.cookie}
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            h["X-CSRF-Token"] = self.csrf
        return h

    def login(self):
        email = getattr(self, "email", "owner@demo.test")
        st, data, hdrs = self.send("POST", "/api/v1/auth/login", json.dumps(
            {"business": "demo", "email": email, "password": self.password}),
            {"Content-Type": "application/json"})
        if st == 401:
            # A fuzzed password change or reset took this owner's password: a new owner.
            self.fresh_owner()
            return self.login()
        if st != 200:
            raise RuntimeError("login failed: %s %s" % (st, data))
        self.csrf = json.loads(data)["csrf_token"]
        for k, v in hdrs:
            if k.lower() == "set-cookie" and v.startswith("bookd_session="):
                self.cookie = v.split(";", 1)[0].split("=", 1)[1]

    def fresh_owner(self):
        """A new owner to act as (bookd user add), for when fuzzed requests took the current
        one's password or, with other owners about, demoted it."""
        self.owners = getattr(self, "owners", 0) + 1
        self.email = "fuzz-owner-%d@demo.test" % self.owners
        self.password = "fuzz owner password %d" % self.owners
        harness.bookd("user", "add", "--db", self.db_url, "--business", "demo", "--email", self.email,
                      "--role", "owner", input=self.password + "\n")

    def new_token(self, again=True):
        st, data, _ = self.send("POST", "/api/v1/businesses/demo/tokens", json.dumps({"name": "fuzz"}),
                                self.staff_headers("POST", "cookie"))
        if st == 403 and again:
            # A fuzzed PATCH …/users demoted this owner (another owner made it allowed).
            self.fresh_owner()
            self.login()
            return self.new_token(again=False)
        if st != 201:
            raise RuntimeError("token failed: %s %s" % (st, data))
        self.token = json.loads(data)["token"]

    def get_json(self, path):
        st, data, _ = self.send("GET", path, headers=self.staff_headers("GET", "token"))
        if st == 401:
            self.reauth()
            st, data, _ = self.send("GET", path, headers=self.staff_headers("GET", "token"))
        try:
            return json.loads(data) if st == 200 else {}
        except ValueError:
            return {}

    def reauth(self):
        st, _, _ = self.send("GET", "/api/v1/auth/me", headers=self.staff_headers("GET", "cookie"))
        if st != 200:
            self.login()
        self.new_token()

    # ---- what exists

    def discover(self):
        b = "/api/v1/businesses/demo"
        ids = {}
        for key, path, field in [("service", "/services", "services"), ("provider", "/providers", "providers"),
                                 ("resource", "/resources", "resources"), ("schedule", "/schedules", "schedules"),
                                 ("override", "/overrides", "overrides"), ("time_off", "/time-off", "time_off"),
                                 ("closure", "/closures", "closures"), ("session", "/sessions", "sessions"),
                                 ("booking", "/bookings?limit=50", "bookings"), ("customer", "/customers", "customers"),
                                 ("user", "/users", "users"), ("token", "/tokens", "tokens"),
                                 ("id", "/notifications", "notifications"), ("entry", "/waitlist", "entries")]:
            rows = self.get_json(b + path).get(field, [])
            ids[key] = [r["id"] for r in rows if isinstance(r, dict) and "id" in r] or ["nope"]
            if key == "booking":
                ids["booking"] += [r["reference"] for r in rows if isinstance(r, dict) and "reference" in r]
        ids["hold"] = ids.get("hold", ["hld_nope"])
        self.ids = ids
        if not getattr(self, "manage", None):
            self.manage = []
        # A booking of our own, for the manage-by-token routes.
        r = self.public_booking()
        if r:
            self.manage.append(r)
            self.manage = self.manage[-5:]
        # A waiting list entry of our own, for its public routes (they need its link token).
        if not getattr(self, "waitlist", None):
            self.waitlist = []
        st, data, _ = self.send("POST", "/api/v1/public/demo/waitlist", json.dumps(
            {"service": "haircut", "from": self.date(1), "to": self.date(20), "customer": {"name": "Fuzz", "email": "wl%d@example.com" % self.rng.randint(0, 10**6)}}),
            {"Content-Type": "application/json"})
        if st in (200, 201):
            j = json.loads(data)
            self.waitlist = (self.waitlist + [(j["id"], j["token"])])[-5:]

    def public_booking(self):
        day = self.today + datetime.timedelta(days=self.rng.randint(2, 6))
        avail = self.send("GET", "/api/v1/public/demo/availability?service=haircut&from=%s&to=%s" % (day, day))
        try:
            slots = json.loads(avail[1])["days"][0]["slots"]
        except (ValueError, KeyError, IndexError, TypeError):
            return None
        if not slots:
            return None
        s = self.rng.choice(slots)
        st, data, _ = self.send("POST", "/api/v1/public/demo/bookings", json.dumps(
            {"service": "haircut", "start": s["start"], "customer": {"name": "Fuzz", "email": "fuzz@example.com"}}),
            {"Content-Type": "application/json"})
        if st != 201:
            return None
        j = json.loads(data)
        return j["reference"], j["manage_token"]

    # ---- valid requests

    def pick(self, key):
        return self.rng.choice(self.ids.get(key) or ["nope"])

    def date(self, d=0):
        return str(self.today + datetime.timedelta(days=d))

    def instant(self, d=2, h=10):
        return "%sT%02d:00:00Z" % (self.today + datetime.timedelta(days=d), h)

    def valid(self, method, pattern):
        """(path params, query dict, body or None, auth) for a valid request on the route."""
        rng = self.rng
        p = {"business": "demo"}
        for name in re.findall(r"{(\w+)}", pattern):
            if name == "business":
                continue
            if name == "reference":
                p[name] = self.manage[-1][0] if self.manage else self.pick("booking")
            elif name == "event":
                p[name] = rng.choice(["confirmed", "reminder", "cancelled", "rescheduled", "pending", "no_show"])
            elif name == "channel":
                p[name] = rng.choice(["email", "sms"])
            elif name == "entry" and pattern.startswith("/api/v1/public/") and getattr(self, "waitlist", None):
                p[name] = self.waitlist[-1][0]
            else:
                p[name] = self.pick(name)
        q = {}
        body = None
        tail = pattern.split("/{business}", 1)[-1] if "{business}" in pattern else pattern
        svc = rng.choice(["haircut", "colour", "massage", "yoga", "bike"])
        if tail.endswith("/availability") or tail.endswith("/availability/explain"):
            q = {"service": svc, "from": self.date(1), "to": self.date(rng.randint(1, 20)),
                 "tz": rng.choice(["Europe/London", "America/New_York", "Asia/Tokyo"])}
            if tail.endswith("explain"):
                q = {"service": svc, "start": self.instant(), "provider": self.pick("provider")}
            if rng.random() < 0.5:
                q["seats"] = str(rng.randint(1, 3))
        elif tail in ("/bookings", "/bookings.csv") and method == "GET":
            q = {"from": self.date(-3), "to": self.date(10)}
            if tail == "/bookings":
                q.update(rng.choice([{}, {"status": "confirmed,held"}, {"provider": "alice"}, {"limit": "5"},
                                     {"service": "haircut", "source": "web"}, {"customer": self.pick("customer")}]))
        elif tail == "/analytics":
            q = {"from": self.date(-30), "to": self.date(30), "group": rng.choice(["day", "week", "month"]),
                 "by": rng.choice(["service", "provider", "source"])}
        elif tail == "/sessions" and pattern.startswith("/api/v1/public/"):
            q = {"service": rng.choice(["yoga", "haircut"]), "from": self.date(0), "to": self.date(rng.randint(0, 40))}
        elif pattern.startswith("/api/v1/public/waitlist/"):
            q = {"t": self.waitlist[-1][1] if getattr(self, "waitlist", None) else "nope"}
        elif tail == "/waitlist-stats":
            q = {"from": self.date(-30), "to": self.date(1)}
        elif tail in ("/time-off", "/overrides", "/closures", "/sessions") and method == "GET":
            q = {"from": self.date(0), "to": self.date(60)}
            if tail != "/closures" and tail != "/sessions":
                q["owner"] = rng.choice(["business", "provider:alice", "resource:room-1"])
        elif tail == "/customers" and method == "GET":
            q = {"q": rng.choice(["maya", "example", "+44", ""])}
        elif tail == "/audit":
            q = {"limit": "10"}
        elif pattern.startswith("/b/") or "opt-out" in pattern:
            ref, tok = self.manage[-1] if self.manage else ("X", "Y")
            q = {"t": tok}
            if "opt-out" in pattern:
                q = {"b": ref, "t": tok}
        if method in ("POST", "PUT", "PATCH"):
            body = self.valid_body(method, pattern, tail, svc)
        auth = "none"
        if pattern.startswith("/api/v1/businesses") or pattern.startswith("/api/v1/auth/") and "login" not in pattern:
            auth = rng.choice(["cookie", "token"])
        if pattern.startswith("/api/v1/public/bookings/"):
            auth = "manage"
        return p, q, body, auth

    def valid_body(self, method, pattern, tail, svc):
        rng = self.rng
        cust = {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+447700900123"}
        if pattern.endswith("/holds"):
            return {"service": svc, "start": self.instant(rng.randint(1, 6), rng.randint(9, 16)),
                    "provider": self.pick("provider"), "seats": 1}
        if pattern.endswith("/bookings") and "public" in pattern:
            b = {"service": svc, "start": self.instant(rng.randint(1, 6), rng.randint(9, 16)), "customer": cust,
                 "notes": "fuzz"}
            if svc == "bike":
                b["end"] = self.instant(3, 14)
            return b
        if pattern.endswith("/reschedule"):
            return {"start": self.instant(rng.randint(1, 6), rng.randint(9, 16)), "provider": self.pick("provider")}
        if pattern.endswith("/rebook"):
            return {"start": self.instant(rng.randint(1, 6), rng.randint(9, 16))}
        if pattern.endswith("/cancel"):
            return {"reason": "fuzz"}
        if pattern.endswith("/login"):
            return {"business": "demo", "email": "owner@demo.test", "password": self.password}
        if pattern.endswith("/logout") or pattern.endswith("/retry") or pattern.endswith("/confirm") or \
                pattern.endswith("/check-in") or pattern.endswith("/no-show") or pattern.endswith("/complete"):
            return {}
        if tail == "/users":
            return {"email": "u%d@demo.test" % rng.randint(0, 10**6), "role": "staff", "name": "U",
                    "password": "a long password"}
        if tail == "/users/{user}":
            return {"role": rng.choice(["staff", "admin"]), "name": "Renamed"}
        if tail == "/tokens":
            return {"name": "t"}
        if tail == "":
            return {"name": "Harbour", "hold_ttl_s": 600, "phone": "+44 1", "auto_no_show": True}
        if tail == "/config":
            cfg = self.get_json("/api/v1/businesses/demo/config")
            return cfg or {"business": {"slug": "demo"}}
        if tail == "/waitlist" and pattern.startswith("/api/v1/public/"):
            if rng.random() < 0.5:
                return {"session": self.pick("session"), "customer": cust}
            return {"service": "haircut", "from": self.date(1), "to": self.date(rng.randint(1, 30)),
                    "provider": self.pick("provider"), "time_from": "09:00", "time_to": "12:00", "customer": cust}
        if tail == "/waitlist/{entry}":
            return {"priority": rng.choice(["high", "normal", "low"]), "position": rng.randint(1, 5)}
        if tail == "/waitlist/{entry}/offer":
            return {"start": self.instant(rng.randint(1, 6), rng.randint(9, 16)), "provider": self.pick("provider")}
        if tail == "/waitlist-settings":
            return {"offer_s": rng.randint(60, 7200)}
        if tail.startswith("/services"):
            return {"id": "s%d" % rng.randint(0, 999), "name": "Trim", "kind": "appointment", "duration_s": 1800,
                    "price_minor": 1000, "slot_interval_s": 900, "providers": ["alice"],
                    "refund_tiers": [{"min_notice_s": 3600, "refund_percent": 50}]}
        if tail.startswith("/providers"):
            return {"id": "p%d" % rng.randint(0, 999), "name": "Dan", "email": "dan@example.com"}
        if tail.startswith("/resources"):
            return {"id": "r%d" % rng.randint(0, 999), "name": "Car", "capacity": 2}
        if tail.startswith("/schedules"):
            return {"owner": "provider:alice", "weekday": "sun", "start": "10:00", "end": "14:00",
                    "valid_from": self.date(0), "valid_to": self.date(90)}
        if tail.startswith("/overrides"):
            return {"owner": "business", "date": self.date(9), "start": "10:00", "end": "12:00"}
        if tail.startswith("/time-off"):
            return {"owner": "provider:ben", "start": self.instant(8, 9), "end": self.instant(8, 12), "reason": "x"}
        if tail.startswith("/closures"):
            return {"date": self.date(11), "name": "Closed"}
        if tail.startswith("/sessions"):
            return {"service": "yoga", "provider": "chloe", "resource": "studio", "start": self.instant(9, 7),
                    "capacity": 8}
        if tail == "/bookings":
            return {"service": svc, "provider": self.pick("provider"), "start": self.instant(4, 15), "source": "phone",
                    "customer": cust, "override": rng.random() < 0.3}
        if tail.startswith("/customers/"):
            return {"name": "Maya", "phone": "+44", "notes": "likes tea"}
        if tail.startswith("/notification-templates") and pattern.endswith("/preview"):
            return {"booking": self.pick("booking")}
        if tail.startswith("/notification-templates"):
            return {"subject": "Hi {{customer_name}}", "body_text": "At {{start}} {{manage_link}}",
                    "body_html": "<p>{{service_name}}</p>"}
        if tail == "/notification-settings":
            return {"reminder_offsets_s": [86400, 3600], "quiet_start": "22:00", "quiet_end": "07:00"}
        return {}

    # ---- mutation

    def nasty(self, like=None):
        rng = self.rng
        k = rng.randrange(11)
        if k == 0:
            return rng.choice(INT_LIMITS)
        if k == 1:
            return rng.choice(REALS)
        if k == 2:
            return rng.choice(DATES)
        if k == 3:
            return rng.choice(INSTANTS)
        if k == 4:
            return rng.choice(ZONES)
        if k == 5:
            return rng.choice(STRINGS)
        if k == 6:
            return rng.choice([None, True, False, [], {}, [1, "a", None], {"x": {"y": []}}])
        if k == 7:
            return nested(rng.choice([3, 40, 300, 3000]), rng.choice([1, "a", None]))
        if k == 8:
            return [rng.choice(STRINGS[5:13]) for _ in range(rng.choice([1, 100, 2000]))]
        if k == 9 and isinstance(like, str):
            return like + rng.choice(["x", "\u0000", " ", "é", "Z", "%"]) * rng.choice([1, 3, 300])
        return rng.choice([like, str(like), [like]]) if like is not None else None

    def mutate_body(self, body):
        """Returns bytes."""
        rng = self.rng
        b = json.loads(dumps(body)) if body is not None else None
        for _ in range(rng.randint(1, 3)):
            targets = []

            def walk(v, depth=0):
                if isinstance(v, dict):
                    targets.append(v)
                    for x in v.values():
                        if depth < 4:
                            walk(x, depth + 1)
                elif isinstance(v, list):
                    targets.append(v)
                    for x in v[:20]:
                        if depth < 4:
                            walk(x, depth + 1)
            walk(b)
            if not targets or rng.random() < 0.08:
                b = self.nasty(b)
                continue
            t = rng.choice(targets)
            op = rng.randrange(5)
            if isinstance(t, dict):
                if t and op < 3:
                    k = rng.choice(list(t))
                    t[k] = self.nasty(t[k])
                elif t and op == 3:
                    del t[rng.choice(list(t))]
                else:
                    t[rng.choice(["provider", "resource", "waitlist", "deposit", "id", "x" * 300, "", "\u0000k"])] = \
                        self.nasty()
            elif isinstance(t, list):
                if t and op < 3:
                    i = rng.randrange(len(t))
                    t[i] = self.nasty(t[i])
                elif op == 3:
                    t.insert(rng.randrange(len(t) + 1), self.nasty())
                elif t:
                    t.pop(rng.randrange(len(t)))
        raw = dumps(b, ensure_ascii=rng.random() < 0.5).encode()
        r = rng.random()
        if r < 0.04:
            raw = raw[:rng.randrange(len(raw) + 1)]  # truncated
        elif r < 0.08 and raw.startswith(b"{") and len(raw) > 2:
            raw = raw[:-1] + b',"a":1,"a":2}'  # duplicate key
        elif r < 0.12:
            raw = raw.replace(b'"', rng.choice(RAW_STRINGS)[:-1], 1)  # invalid UTF-8 or escapes
        elif r < 0.14:
            raw = raw + b"\x00garbage"
        elif r < 0.16:
            raw = b"\xef\xbb\xbf" + raw
        return raw

    def mutate_text(self, v):
        n = self.nasty(v)
        if isinstance(n, (dict, list)) or n is None:
            n = dumps(n)
        s = str(n)
        r = self.rng.random()
        if r < 0.15:
            return s.encode("utf-8", "surrogatepass")
        if r < 0.25:
            return b"%00" + s.encode("utf-8", "surrogatepass")
        if r < 0.3:
            return b"\xff\xfe" + s.encode("utf-8", "surrogatepass")
        return s.encode("utf-8", "surrogatepass")

    def request(self, method, pattern):
        rng = self.rng
        p, q, body, auth = self.valid(method, pattern)
        headers = {}
        raw = json.dumps(body).encode() if body is not None else None
        mutations = rng.choice([0, 1, 1, 2, 3])
        what = [rng.choice(["body", "body", "query", "path", "header", "method"]) for _ in range(mutations)]
        if body is None:
            what = ["query" if w == "body" else w for w in what]
        if "body" in what:
            raw = self.mutate_body(body)
        enc_p = {}
        for k, v in p.items():
            enc_p[k] = urllib.parse.quote(v, safe="")
        if "path" in what and p:
            k = rng.choice(list(p))
            v = self.mutate_text(p[k])
            enc_p[k] = urllib.parse.quote_from_bytes(v, safe="%") if rng.random() < 0.8 else \
                urllib.parse.quote_from_bytes(v, safe="")
            if not enc_p[k]:
                enc_p[k] = rng.choice(["%2F", "..", "%2e%2e", "%", "%zz"])
        path = pattern
        for k, v in enc_p.items():
            path = path.replace("{%s}" % k, v)
        qitems = [(k.encode(), str(v).encode()) for k, v in q.items()]
        if "query" in what:
            op = rng.randrange(5)
            if qitems and op < 3:
                i = rng.randrange(len(qitems))
                qitems[i] = (qitems[i][0], self.mutate_text(qitems[i][1].decode()))
            elif op == 3:
                qitems.append((rng.choice([b"from", b"to", b"tz", b"limit", b"cursor", b"seats", b"service",
                                           b"\x00", b"x" * 300]), self.mutate_text("")))
            elif qitems:
                qitems.append(qitems[0])
            if rng.random() < 0.05:
                # Not hundreds: libmicrohttpd's connection pool runs out and the request
                # waits for the connection timeout (issue 15, slow and hostile clients).
                qitems += [(b"p%d" % i, b"v") for i in range(rng.choice([10, 40]))]
        if qitems:
            path += "?" + "&".join(urllib.parse.quote_from_bytes(k, safe="") + "=" +
                                   urllib.parse.quote_from_bytes(v, safe="%") for k, v in qitems)
        if raw is not None:
            headers["Content-Type"] = "application/json"
        if auth in ("cookie", "token"):
            headers.update(self.staff_headers(method, auth))
        elif auth == "manage" and self.manage:
            headers["Authorization"] = "Bearer " + self.manage[-1][1]
        if "header" in what:
            h = rng.choice(["Content-Type", "Idempotency-Key", "Authorization", "Cookie", "X-CSRF-Token",
                            "X-Request-Id", "Accept", "Content-Type"])
            headers[h] = rng.choice(["", "text/plain", "application/json; charset=latin1", "Bearer ", "Bearer x.y",
                                     "bookd_session=; bookd_session=x", "k" * 300, "k" * 9000, "\u00e9".encode(),
                                     "multipart/form-data; boundary=x", "a" * 64])
        if "method" in what:
            method = rng.choice(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "BREW"])
        if method in ("POST", "PUT", "PATCH") and raw is not None and rng.random() < 0.03:
            idem = "k%d" % rng.randrange(5)
            headers["Idempotency-Key"] = idem
        stream = pattern.endswith("/events") and method == "GET"
        return method, path, raw, headers, stream

    # ---- the run

    def run(self, routes, count):
        fast = [r for r in routes if r not in SLOW_ROUTES and r not in SKIP_ROUTES]
        plan = []
        for r in routes:
            if r in SLOW_ROUTES:
                plan += [r] * min(SLOW_SHARE, max(1, count // 1000))
        i = 0
        while len(plan) < count:
            plan.append(fast[i % len(fast)])
            i += 1
        self.rng.shuffle(plan)
        for r in routes:
            if r not in SKIP_ROUTES:
                self.per_route.setdefault(r, 0)
        for i, (method, pattern) in enumerate(plan):
            if i % 400 == 0:
                self.discover()
            m, path, raw, headers, stream = self.request(method, pattern)
            t0 = time.time()
            st, data, _ = self.send(m, path, raw, headers, stream)
            dt = time.time() - t0
            self.slowest = max(getattr(self, "slowest", (0, "")), (dt, "%s %s" % (m, path[:120])))
            self.sent += 1
            self.per_route[(method, pattern)] += 1
            if st is None or st >= 500:
                self.failures.append(((method, pattern), m, path, (raw or b"")[:400], st, data[:300]))
                if self.srv.proc.poll() is not None:
                    print("http-fuzz: the server died on %s %s" % (m, path))
                    break
            if st == 401 and auth_lost(headers):
                self.reauth()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=3000)
    args = ap.parse_args()
    os.environ.setdefault("BOOKD_BIN", os.path.join(harness.ROOT, "build", "san", "bookd"))
    os.environ["BOOKD_RATE_LIMITS"] = "off"
    tmp = tempfile.mkdtemp(prefix="bookd-http-fuzz-")
    db_url = "sqlite:" + os.path.join(tmp, "fuzz.db")
    out = harness.bookd("demo", "--db", db_url).stdout
    password = re.search(r"password (\S+)", out).group(1)
    routes = []
    for line in harness.bookd("routes").stdout.splitlines():
        r = json.loads(line)
        routes.append((r["method"], r["pattern"]))
    srv = harness.Server(db_url)
    rng = random.Random(args.seed)
    fz = Fuzzer(srv, rng, password, db_url)
    t0 = time.time()
    try:
        fz.login()
        fz.new_token()
        fz.run(routes, args.requests)
    finally:
        alive = srv.proc.poll() is None
        code = srv.stop()
        log = srv.read_log()
        srv.cleanup()
    took = time.time() - t0
    passed = failed = 0
    bad_routes = {f[0] for f in fz.failures}
    for r, n in sorted(fz.per_route.items()):
        if r in bad_routes:
            failed += 1
        else:
            passed += 1
    for f in fz.failures[:20]:
        print("http-fuzz: FAIL %s %s -> %s %r\n    body %r" % (f[1], f[2][:300], f[4], f[5], f[3]))
    san = re.findall(r"(ERROR: (?:Address|Leak)Sanitizer[^\n]*|runtime error[^\n]*|SUMMARY: [^\n]*)", log)
    if alive and code == 0 and not san:
        passed += 1
    else:
        failed += 1
        print("http-fuzz: server alive at the end: %s, exit code %s" % (alive, code))
        for s in san[:10]:
            print("http-fuzz: " + s)
    untouched = [r for r, n in fz.per_route.items() if n == 0]
    print("http-fuzz: %d requests (seed %d) over %d routes in %.1f s, %d answered 5xx or lost; %d routes not reached"
          % (fz.sent, args.seed, len(fz.per_route), took, len(fz.failures), len(untouched)))
    print("http-fuzz: slowest answer %.2f s: %s" % getattr(fz, "slowest", (0, "")))
    print("http-fuzz: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
