"""radicale.py - a real CalDAV server for tests: Debian's Radicale (`/usr/bin/python3 -m
radicale`) with a temporary configuration, htpasswd authentication (plain) and storage, on a
free loopback port. Stop and start it again on the same port to test outages.

    dav = radicale.Radicale({"ann": "secret"})
    dav.mkcalendar("ann", "work")                 # /ann/work/
    dav.put("ann", "/ann/work/x.ics", ics_text)   # as an external client would
    dav.events("ann", "/ann/work/")               # {href: (etag, text)}
    dav.stop(); dav.start()
"""
import base64
import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

PYTHON = "/usr/bin/python3"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Radicale:
    def __init__(self, users):
        self.users = dict(users)
        self.dir = tempfile.mkdtemp(prefix="bookd-radicale-")
        with open(os.path.join(self.dir, "users"), "w") as f:
            for u, p in self.users.items():
                f.write("%s:%s\n" % (u, p))
        self.port = free_port()
        self.proc = None
        self.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def _config(self):
        path = os.path.join(self.dir, "config")
        with open(path, "w") as f:
            f.write("[server]\nhosts = 127.0.0.1:%d\n" % self.port)
            f.write("[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = plain\n"
                    % os.path.join(self.dir, "users"))
            f.write("[storage]\nfilesystem_folder = %s\n" % os.path.join(self.dir, "collections"))
            f.write("[logging]\nlevel = info\n[web]\ntype = none\n")
        return path

    def start(self):
        self.log = open(os.path.join(self.dir, "log"), "a")
        for _ in range(50):
            # cwd: its own directory, so `-m radicale` never finds this file instead.
            self.proc = subprocess.Popen([PYTHON, "-m", "radicale", "--config", self._config()],
                                         stdout=self.log, stderr=self.log, cwd=self.dir)
            deadline = time.time() + 20
            while time.time() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                    return
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None:
                break
            time.sleep(0.2)  # the port may still be held: try again
        raise RuntimeError("radicale did not start:\n" + self.read_log())

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def read_log(self):
        with open(os.path.join(self.dir, "log"), errors="replace") as f:
            return f.read()

    def request(self, user, method, path, body=None, headers=None):
        h = dict(headers or {})
        auth = base64.b64encode(("%s:%s" % (user, self.users[user])).encode()).decode()
        h["Authorization"] = "Basic " + auth
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=h)
        r = c.getresponse()
        data = r.read().decode("utf-8", "replace")
        out = (r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        c.close()
        return out

    def mkcalendar(self, user, name, vtodo_too=False):
        comps = '<C:comp name="VEVENT"/>' + ('<C:comp name="VTODO"/>' if vtodo_too else "")
        body = ('<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                '<D:set><D:prop><D:displayname>%s</D:displayname><C:supported-calendar-component-set>%s'
                '</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>' % (name, comps))
        st, _, txt = self.request(user, "MKCALENDAR", "/%s/%s/" % (user, name), body,
                                  {"Content-Type": "application/xml"})
        assert st == 201, (st, txt)
        return "/%s/%s/" % (user, name)

    def put(self, user, href, text, headers=None):
        h = {"Content-Type": "text/calendar; charset=utf-8"}
        h.update(headers or {})
        return self.request(user, "PUT", href, text, h)

    def get(self, user, href):
        return self.request(user, "GET", href)

    def delete(self, user, href):
        return self.request(user, "DELETE", href)

    def events(self, user, collection):
        """Every object of the collection: {href: (etag, text)}."""
        body = ('<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                '<D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/>'
                '</C:filter></C:calendar-query>')
        st, _, txt = self.request(user, "REPORT", collection, body,
                                  {"Content-Type": "application/xml", "Depth": "1"})
        assert st == 207, (st, txt)
        out = {}
        for resp in re.findall(r"<response>(.*?)</response>", txt, re.S):
            href = re.search(r"<href>(.*?)</href>", resp).group(1)
            etag = re.search(r"<getetag>(.*?)</getetag>", resp)
            data = re.search(r"<C:calendar-data>(.*?)</C:calendar-data>", resp, re.S)
            if data:
                out[href] = (etag.group(1).replace("&quot;", '"') if etag else "",
                             data.group(1).replace("&#13;", "\r"))
        return out
