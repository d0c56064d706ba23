"""hostile.py - many raw sockets against a bookd, for the tests of slow and hostile clients.

Every socket connects to 127.0.0.1 from a chosen loopback source address (the whole of
127.0.0.0/8 is local on Linux), so one test plays several clients. Only the standard library.

    crowd = Crowd(port, 4000, source="127.0.0.1", head=b"GET /healthz HTTP/1.1\\r\\n")
    crowd.trickle(b"X-Slow: 1\\r\\n")        # one more header line on every open socket
    crowd.poll()                            # reads what arrived; notes who was closed
    timed_get(port, "/healthz", source="127.0.0.2")   # (status, seconds)
"""
import errno
import http.client
import json
import select
import socket
import time


class Crowd:
    """n non-blocking connections from one source address, each sent `head` once open."""

    def __init__(self, port, n, source="127.0.0.1", head=b""):
        self.port = port
        self.socks = []
        self.got = {}      # fileno -> bytes received
        self.closed = set()  # fileno of sockets the server closed (or reset)
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((source, 0))
            s.setblocking(False)
            try:
                s.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            self.socks.append(s)
            self.got[s.fileno()] = b""
        self._wait_connected()
        if head:
            self.send(head)

    def _wait_connected(self, timeout=20):
        pending = {s.fileno(): s for s in self.socks}
        deadline = time.time() + timeout
        while pending and time.time() < deadline:
            p = select.poll()
            for fd in pending:
                p.register(fd, select.POLLOUT)
            for fd, _ in p.poll(500):
                pending.pop(fd, None)
        for fd in pending:  # never connected: count as refused
            self.closed.add(fd)

    def open_socks(self):
        return [s for s in self.socks if s.fileno() not in self.closed]

    def send(self, data):
        """Sends data on every socket still open; a socket that fails is noted closed."""
        for s in self.open_socks():
            try:
                s.send(data)
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                    continue
                self.closed.add(s.fileno())

    def trickle(self, line=b"X-Slow: 1\r\n"):
        self.send(line)

    def poll(self, timeout=0.0):
        """Reads whatever arrived on every open socket; EOF or reset marks it closed."""
        deadline = time.time() + timeout
        while True:
            socks = {s.fileno(): s for s in self.open_socks()}
            p = select.poll()
            for fd in socks:
                p.register(fd, select.POLLIN)
            for fd, _ in p.poll(0):
                try:
                    data = socks[fd].recv(65536)
                except OSError:
                    data = b""
                if data:
                    self.got[fd] += data
                else:
                    self.closed.add(fd)
            if time.time() >= deadline:
                return
            time.sleep(0.05)

    def statuses(self):
        """How many sockets got each first status line, e.g. {"429": 3744}."""
        out = {}
        for data in self.got.values():
            if data.startswith(b"HTTP/1.1 "):
                code = data[9:12].decode()
                out[code] = out.get(code, 0) + 1
        return out

    def close(self):
        for s in self.socks:
            s.close()
        self.socks = []


class SourceConnection(http.client.HTTPConnection):
    """An HTTP connection to 127.0.0.1 from a chosen loopback address."""

    def __init__(self, port, source, timeout=10):
        super().__init__("127.0.0.1", port, timeout=timeout, source_address=(source, 0))


def timed(port, method, path, source, body=None, headers=None):
    """One request on a fresh connection from source: (status, seconds, body text)."""
    t0 = time.perf_counter()
    c = SourceConnection(port, source)
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    try:
        c.request(method, path, body=data, headers=hdrs)
        r = c.getresponse()
        text = r.read().decode("utf-8", "replace")
        return r.status, time.perf_counter() - t0, text
    finally:
        c.close()


def raw_exchange(port, data, timeout=5.0, source="127.0.0.1"):
    """Sends raw bytes on a fresh connection and reads until the server closes it or a first
    response has arrived whole; returns (bytes, seconds)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.settimeout(timeout)
    t0 = time.perf_counter()
    got = b""
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(data)
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            got += chunk
            head, sep, rest = got.partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if len(rest) >= length:
                    break
    finally:
        s.close()
    return got, time.perf_counter() - t0
