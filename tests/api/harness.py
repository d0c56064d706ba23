"""harness.py - starts a real build/bookd on a free loopback port and talks HTTP to it.

Used by tests/api/run.py. Only the Python standard library (Debian's /usr/bin/python3).
"""
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.body[:300])


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, raw=None):
        hdrs = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        try:
            self.conn.request(method, path, body=data, headers=hdrs)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # bookd closes a keep-alive connection that stays idle past the head deadline;
            # like a browser, send the request again once on a new connection.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path, body=data, headers=hdrs)
            r = self.conn.getresponse()
        payload = r.read()
        return Response(r.status, r.getheaders(), payload.decode("utf-8", "replace"))

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def close(self):
        self.conn.close()


class Server:
    """A running bookd. `binary` defaults to BOOKD_BIN or build/bookd."""

    def __init__(self, db_url, test_clock=None, extra_args=(), env=None):
        self.binary = os.environ.get("BOOKD_BIN", os.path.join(ROOT, "build", "bookd"))
        self.db_url = db_url
        self.log_path = tempfile.mktemp(prefix="bookd-log-", suffix=".txt")
        args = [self.binary, "serve", "--listen", "127.0.0.1:0", "--db", db_url, "--threads", "8"]
        if test_clock:
            args += ["--test-clock", test_clock]
        args += list(extra_args)
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.log = open(self.log_path, "w+")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, env=full_env)
        self.port = self._wait_port()
        self.client = Client(self.port)

    def _wait_port(self):
        deadline = time.time() + 30
        pat = re.compile(r"listening on https?://[^ ]*:(\d+)")
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("bookd exited with %s:\n%s" % (self.proc.returncode, self.read_log()))
            m = pat.search(self.read_log())
            if m:
                return int(m.group(1))
            time.sleep(0.02)
        raise RuntimeError("bookd did not start:\n" + self.read_log())

    def read_log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def new_client(self, timeout=30):
        return Client(self.port, timeout)

    def stop(self, timeout=30):
        """SIGTERM, wait; returns the exit code."""
        self.client.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def cleanup(self):
        try:
            os.unlink(self.log_path)
        except OSError:
            pass


def bookd(*args, input=None, check=True, env=None):
    """Runs a bookd command (env: variables added to the environment); returns CompletedProcess."""
    binary = os.environ.get("BOOKD_BIN", os.path.join(ROOT, "build", "bookd"))
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run([binary] + list(args), input=input, capture_output=True, text=True, timeout=120,
                       env=full_env)
    if check and p.returncode != 0:
        raise AssertionError("bookd %s failed (%d): %s %s" % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p


def import_doc(db_url, doc, *extra):
    """`bookd import` of the configuration document doc (a dict) into db_url; extra flags
    (for example "--replace", "yes") follow. Returns the CompletedProcess."""
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    try:
        return bookd("import", "--db", db_url, "--file", path, *extra)
    finally:
        os.unlink(path)


def query(db_url, sql):
    """The first column of the first row of sql, read straight from the database behind
    db_url (sqlite:PATH or a postgres URL), as text; None when there is no row."""
    if db_url.startswith("sqlite:"):
        con = sqlite3.connect("file:%s?mode=ro" % db_url[len("sqlite:"):], uri=True)
        try:
            row = con.execute(sql).fetchone()
        finally:
            con.close()
        return None if row is None or row[0] is None else str(row[0])
    p = subprocess.run(["psql", "-q", "-X", "-A", "-t", "-d", db_url, "-c", sql],
                       capture_output=True, text=True, check=True)
    out = p.stdout.strip()
    return out.splitlines()[0] if out else None


def parallel(n, fn):
    """Runs fn(i) in n threads at once; returns the results in order."""
    results = [None] * n
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as e:  # reported by the caller
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
