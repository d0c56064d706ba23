"""cloudcal_peer.py - a loopback stand-in for Google Calendar and Microsoft Graph, for tests.

It answers the requests bookd makes the way the providers document them (Google: OAuth 2.0
for web server apps with PKCE, Calendar API v3 events list (singleEvents, pages by
pageToken)/insert/patch/delete and calendars.get; Microsoft identity platform v2.0 authorization code flow with PKCE, Graph
v1.0 /me, /me/calendarView, /me/calendar/events and /me/events/{id}). It is not either
service: it keeps everything in memory and checks what a test needs (client id and secret,
redirect URI, the PKCE S256 challenge, codes used once, bearer tokens, refresh tokens that
can be revoked). Paths: /google/auth, /google/token, /google/calendar/v3/...;
/microsoft/authorize, /microsoft/token, /microsoft/v1.0/....

    peer = CloudPeer(); peer.start()
    bookd flags: peer.flags()      # --google-client-id ... pointing at the peer
    peer.busy["google"].append((start, end))   # someone else's event (epoch seconds)
    peer.all_day["google"].append("2026-03-26")  # an all-day event in peer.zone
    peer.events["google"]          # {id: event JSON} as bookd wrote them
    peer.revoke("google")          # refresh tokens and access tokens stop working
"""
import base64
import hashlib
import http.server
import json
import secrets
import threading
import time
import urllib.parse
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

CLIENTS = {"google": ("gclient.apps.example", "gsecret"), "microsoft": ("ms-client-0000", "mssecret")}


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(s):
    s = s.replace("Z", "+00:00")
    if "." in s:
        head, rest = s.split(".", 1)
        off = ""
        for sign in "+-":
            if sign in rest:
                off = sign + rest.split(sign, 1)[1]
        s = head + off
    d = datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return int(d.timestamp())


class CloudPeer:
    def __init__(self):
        self.codes, self.refresh, self.access = {}, {}, {}
        self.busy = {"google": [], "microsoft": []}
        self.all_day = {"google": []}  # dates ("2026-03-26") of all-day events
        self.zone = "Europe/London"  # the Google calendar's own zone
        self.events = {"google": {}, "microsoft": {}}
        self.log = []  # (service, what) of each request, for assertions
        self.deny = False
        self.lock = threading.Lock()
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                peer.handle(self, "GET")

            def do_POST(self):
                peer.handle(self, "POST")

            def do_PATCH(self):
                peer.handle(self, "PATCH")

            def do_DELETE(self):
                peer.handle(self, "DELETE")

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()  # later connections are refused, not left waiting

    def flags(self):
        b = self.base
        return ["--google-client-id", CLIENTS["google"][0], "--google-client-secret", CLIENTS["google"][1],
                "--google-auth-url", b + "/google/auth", "--google-token-url", b + "/google/token",
                "--google-api-url", b + "/google/calendar/v3",
                "--microsoft-client-id", CLIENTS["microsoft"][0], "--microsoft-client-secret", CLIENTS["microsoft"][1],
                "--microsoft-auth-url", b + "/microsoft/authorize", "--microsoft-token-url", b + "/microsoft/token",
                "--microsoft-api-url", b + "/microsoft/v1.0"]

    def revoke(self, service):
        with self.lock:
            for k, v in self.refresh.items():
                if v["service"] == service:
                    v["revoked"] = True
            for k in [k for k, v in self.access.items() if v == service]:
                del self.access[k]

    def expire_access(self, service):
        """Every access token of service stops working (as if it expired early)."""
        with self.lock:
            for k in [k for k, v in self.access.items() if v == service]:
                del self.access[k]

    def count(self, service, what):
        return sum(1 for s, w in self.log if s == service and w == what)

    # ---- the HTTP side -----------------------------------------------------------------
    def reply(self, h, code, body=None, headers=()):
        data = b"" if body is None else json.dumps(body).encode()
        h.send_response(code)
        for k, v in headers:
            h.send_header(k, v)
        if body is not None:
            h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def handle(self, h, method):
        u = urllib.parse.urlsplit(h.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        n = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(n) if n else b""
        parts = u.path.strip("/").split("/")
        service = parts[0]
        if service not in CLIENTS:
            return self.reply(h, 404, {"error": "not_found"})
        rest = "/".join(parts[1:])
        with self.lock:
            if rest in ("auth", "authorize") and method == "GET":
                return self.consent(h, service, q)
            if rest == "token" and method == "POST":
                return self.token(h, service, dict(urllib.parse.parse_qsl(raw.decode())))
            auth = h.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or self.access.get(auth[7:]) != service:
                self.log.append((service, "401"))
                return self.reply(h, 401, {"error": {"code": 401, "message": "Invalid Credentials"}})
            body = json.loads(raw) if raw else None
            if service == "google":
                return self.google(h, method, parts[3:], q, body)
            return self.graph(h, method, parts[2:], q, body)

    def consent(self, h, service, q):
        self.log.append((service, "consent"))
        cid, _ = CLIENTS[service]
        if q.get("client_id") != cid or q.get("response_type") != "code" or \
                q.get("code_challenge_method") != "S256" or not q.get("code_challenge") or not q.get("state"):
            return self.reply(h, 400, {"error": "invalid_request"})
        if service == "microsoft" and "offline_access" not in q.get("scope", ""):
            return self.reply(h, 400, {"error": "invalid_scope"})
        if service == "google" and q.get("access_type") != "offline":
            return self.reply(h, 400, {"error": "invalid_request"})
        target = q["redirect_uri"]
        if self.deny:
            loc = target + "?" + urllib.parse.urlencode({"error": "access_denied", "state": q["state"]})
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"redirect_uri": target, "challenge": q["code_challenge"]}
            loc = target + "?" + urllib.parse.urlencode({"code": code, "state": q["state"]})
        return self._redirect(h, loc)

    def _redirect(self, h, loc):
        h.send_response(302)
        h.send_header("Location", loc)
        h.send_header("Content-Length", "0")
        h.end_headers()

    def token(self, h, service, f):
        cid, secret = CLIENTS[service]
        if f.get("client_id") != cid or f.get("client_secret") != secret:
            self.log.append((service, "bad_client"))
            return self.reply(h, 401, {"error": "invalid_client"})
        grant = f.get("grant_type")
        self.log.append((service, grant))
        if grant == "authorization_code":
            c = self.codes.pop(f.get("code", ""), None)  # used once
            if not c or c["redirect_uri"] != f.get("redirect_uri"):
                return self.reply(h, 400, {"error": "invalid_grant"})
            digest = base64.urlsafe_b64encode(hashlib.sha256(f.get("code_verifier", "").encode()).digest()).rstrip(b"=")
            if digest.decode() != c["challenge"]:
                return self.reply(h, 400, {"error": "invalid_grant", "error_description": "PKCE"})
            rt = secrets.token_urlsafe(24)
            self.refresh[rt] = {"service": service, "revoked": False}
        elif grant == "refresh_token":
            rt = f.get("refresh_token", "")
            r = self.refresh.get(rt)
            if not r or r["revoked"] or r["service"] != service:
                return self.reply(h, 400, {"error": "invalid_grant"})
            if service == "microsoft":  # Microsoft rotates refresh tokens
                r["revoked"] = True
                rt = secrets.token_urlsafe(24)
                self.refresh[rt] = {"service": service, "revoked": False}
            else:
                rt = None  # Google keeps the refresh token and gives none
        else:
            return self.reply(h, 400, {"error": "unsupported_grant_type"})
        at = secrets.token_urlsafe(24)
        self.access[at] = service
        out = {"access_token": at, "expires_in": 3600, "token_type": "Bearer", "scope": "calendar"}
        if rt:
            out["refresh_token"] = rt
        return self.reply(h, 200, out)

    def google(self, h, method, p, q, body):
        ev = self.events["google"]
        if p == ["calendars", "primary", "events"] and method == "GET":
            # events.list: singleEvents, timeMin/timeMax overlap, pages of two by pageToken.
            self.log.append(("google", "events.list"))
            if q.get("singleEvents") != "true":
                return self.reply(h, 400, {"error": {"code": 400, "message": "singleEvents"}})
            lo, hi = parse(q["timeMin"]), parse(q["timeMax"])
            items = [{"kind": "calendar#event", "id": "gbusy%d" % i, "status": "confirmed",
                      "start": {"dateTime": iso(s)}, "end": {"dateTime": iso(e)}}
                     for i, (s, e) in enumerate(self.busy["google"])]
            items += [{"kind": "calendar#event", "id": "gday%d" % i, "status": "confirmed",
                       "start": {"date": d}, "end": {"date": (date.fromisoformat(d) + timedelta(days=1)).isoformat()}}
                      for i, d in enumerate(self.all_day["google"])]
            items += [dict(v, kind="calendar#event") for v in ev.values()]

            def when(w):
                if "dateTime" in w:
                    return parse(w["dateTime"])
                d = datetime.fromisoformat(w["date"]).replace(tzinfo=ZoneInfo(self.zone))
                return int(d.timestamp())
            items = [i for i in items if when(i["end"]) > lo and when(i["start"]) < hi]
            skip = int(q.get("pageToken", "0"))
            out = {"kind": "calendar#events", "timeZone": self.zone, "items": items[skip:skip + 2]}
            if skip + 2 < len(items):
                out["nextPageToken"] = str(skip + 2)
            return self.reply(h, 200, out)
        if p == ["calendars", "primary"] and method == "GET":
            return self.reply(h, 200, {"kind": "calendar#calendar", "id": "ann@gmail.example", "summary": "ann@gmail.example"})
        if p[:3] == ["calendars", "primary", "events"]:
            if len(p) == 3 and method == "POST":
                self.log.append(("google", "insert"))
                eid = secrets.token_hex(8)
                ev[eid] = dict(body, id=eid, status="confirmed")
                return self.reply(h, 200, ev[eid])
            eid = p[3] if len(p) == 4 else None
            if eid not in ev:
                return self.reply(h, 404 if method != "DELETE" else 410, {"error": {"code": 404, "message": "Not Found"}})
            if method == "PATCH":
                self.log.append(("google", "patch"))
                ev[eid].update(body)
                return self.reply(h, 200, ev[eid])
            if method == "DELETE":
                self.log.append(("google", "delete"))
                del ev[eid]
                return self.reply(h, 204)
        return self.reply(h, 404, {"error": {"code": 404, "message": "Not Found"}})

    def graph(self, h, method, p, q, body):
        ev = self.events["microsoft"]
        if p == ["me"] and method == "GET":
            return self.reply(h, 200, {"id": "1", "mail": "bob@contoso.example", "userPrincipalName": "bob@contoso.example"})
        if p == ["me", "calendarView"] and method == "GET":
            self.log.append(("microsoft", "calendarView"))
            if "utc" not in h.headers.get("Prefer", "").lower():
                return self.reply(h, 400, {"error": {"code": "ErrorInvalidRequest"}})
            lo, hi = parse(q["startDateTime"]), parse(q["endDateTime"])
            items = [{"id": "ext%d" % i, "start": {"dateTime": iso(s)[:-1] + ".0000000", "timeZone": "UTC"},
                      "end": {"dateTime": iso(e)[:-1] + ".0000000", "timeZone": "UTC"}, "showAs": "busy", "isCancelled": False}
                     for i, (s, e) in enumerate(self.busy["microsoft"])]
            items += [{"id": k, "start": v["start"], "end": v["end"], "showAs": "busy", "isCancelled": False} for k, v in ev.items()]
            items = [i for i in items if parse(i["end"]["dateTime"]) > lo and parse(i["start"]["dateTime"]) < hi]
            # Two pages, as Graph pages with @odata.nextLink.
            skip = int(q.get("$skip", "0"))
            page = items[skip:skip + 2]
            out = {"value": page}
            if skip + 2 < len(items):
                nq = dict(q, **{"$skip": str(skip + 2)})
                out["@odata.nextLink"] = self.base + "/microsoft/v1.0/me/calendarView?" + urllib.parse.urlencode(nq)
            return self.reply(h, 200, out)
        if p == ["me", "calendar", "events"] and method == "POST":
            self.log.append(("microsoft", "insert"))
            eid = "AAMk" + secrets.token_hex(8)
            ev[eid] = dict(body, id=eid)
            return self.reply(h, 201, ev[eid])
        if p[:2] == ["me", "events"] and len(p) == 3:
            eid = p[2]
            if eid not in ev:
                return self.reply(h, 404, {"error": {"code": "ErrorItemNotFound"}})
            if method == "PATCH":
                self.log.append(("microsoft", "patch"))
                ev[eid].update(body)
                return self.reply(h, 200, ev[eid])
            if method == "DELETE":
                self.log.append(("microsoft", "delete"))
                del ev[eid]
                return self.reply(h, 204)
        return self.reply(h, 404, {"error": {"code": "NotFound"}})


if __name__ == "__main__":
    p = CloudPeer().start()
    print(json.dumps({"base": p.base, "flags": p.flags()}), flush=True)
    while True:
        time.sleep(3600)
