"""staff.py - helpers for tests of staff routes: users made with `bookd user add`, and
clients that log in, keep the session cookie and send X-CSRF-Token on unsafe methods.

    import staff
    staff.make_business(ctx, "acme")                       # bookd business add
    staff.make_user(ctx, "acme", "o@acme.test", "owner", "a long password")
    c = staff.login(ctx, "acme", "o@acme.test", "a long password")
    r = c.get(c.path("/users"))                            # /api/v1/businesses/acme/users
    t = staff.TokenClient(ctx.srv.port, token)             # bearer API token, no CSRF

The server is ctx.srv when the module set one, else the last one ctx.server() started;
pass server=... to choose.
"""
import harness

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _server(ctx, server):
    if server is not None:
        return server
    if getattr(ctx, "srv", None) is not None:
        return ctx.srv
    if ctx.servers:
        return ctx.servers[-1]
    raise AssertionError("no bookd server started: call ctx.server() first")


def make_business(ctx, slug, name=None, timezone="Europe/London", currency="EUR", locale="en"):
    """Runs `bookd business add` against ctx.db_url."""
    return harness.bookd("business", "add", "--db", ctx.db_url, "--slug", slug, "--name", name or slug.title(),
                         "--timezone", timezone, "--currency", currency, "--locale", locale)


def make_user(ctx, slug, email, role, password, name=None):
    """Runs `bookd user add` with the password on stdin against ctx.db_url."""
    args = ["user", "add", "--db", ctx.db_url, "--business", slug, "--email", email, "--role", role]
    if name:
        args += ["--name", name]
    return harness.bookd(*args, input=password + "\n")


class StaffClient:
    """A logged-in staff session: keeps the cookie, sends the CSRF token on unsafe methods."""

    def __init__(self, port, slug):
        self.port = port
        self.slug = slug
        self.http = harness.Client(port)
        self.cookies = {}
        self.csrf_token = None
        self.user = None
        self.send_csrf = True  # tests of CSRF turn it off

    def path(self, rest=""):
        """The staff path of this client's business: path("/users") -> /api/v1/businesses/SLUG/users."""
        return "/api/v1/businesses/%s%s" % (self.slug, rest)

    def _keep_cookies(self, r):
        for k, v in r.headers:
            if k.lower() != "set-cookie":
                continue
            first = v.split(";")[0]
            name, _, value = first.partition("=")
            attrs = v.lower()
            if value == "" or "max-age=0" in attrs:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()

    def request(self, method, path, body=None, headers=None, raw=None):
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs.setdefault("Cookie", "; ".join("%s=%s" % kv for kv in self.cookies.items()))
        if method.upper() in UNSAFE and self.send_csrf and self.csrf_token:
            hdrs.setdefault("X-CSRF-Token", self.csrf_token)
        r = self.http.request(method, path, body=body, headers=hdrs, raw=raw)
        self._keep_cookies(r)
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, email, password):
        """POST /api/v1/auth/login; returns the response (keeps cookie and CSRF token on 200)."""
        r = self.request("POST", "/api/v1/auth/login",
                         body={"business": self.slug, "email": email, "password": password})
        if r.status == 200:
            self.csrf_token = r.json["csrf_token"]
            self.user = r.json["user"]
        return r

    def logout(self):
        return self.request("POST", "/api/v1/auth/logout")

    def close(self):
        self.http.close()


class TokenClient:
    """A client that authenticates with a bearer API token (no cookie, no CSRF)."""

    def __init__(self, port, token, slug=None):
        self.http = harness.Client(port)
        self.token = token
        self.slug = slug

    def path(self, rest=""):
        return "/api/v1/businesses/%s%s" % (self.slug, rest)

    def request(self, method, path, body=None, headers=None, raw=None):
        hdrs = dict(headers or {})
        hdrs.setdefault("Authorization", "Bearer " + self.token)
        return self.http.request(method, path, body=body, headers=hdrs, raw=raw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def close(self):
        self.http.close()


def login(ctx, slug, email, password, server=None):
    """Logs in to the business slug; returns a StaffClient (raises unless the login succeeds)."""
    c = StaffClient(_server(ctx, server).port, slug)
    r = c.login(email, password)
    if r.status != 200:
        raise AssertionError("login of %s to %s failed: %r" % (email, slug, r))
    return c


def make_token(client, name="test"):
    """Creates an API token with a logged-in admin or owner StaffClient; returns the secret."""
    r = client.post(client.path("/tokens"), body={"name": name})
    if r.status != 201:
        raise AssertionError("token creation failed: %r" % (r,))
    return r.json["token"]
