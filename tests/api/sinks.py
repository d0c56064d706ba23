"""sinks.py - real peers on loopback for notification tests: an SMTP sink (aiosmtpd, from
Debian's python3-aiosmtpd) that can be stopped and started again on the same port, and an
HTTP receiver standing in for an SMS provider."""
import email
import email.policy
import http.server
import socket
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                       "raw": envelope.content, "msg": msg})
        return "250 OK"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.lock = threading.RLock()
        self.controller = None
        self.start()

    def start(self):
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def wait(self, pred, timeout=10):
        """The messages matching pred, once at least one arrived (or [] after timeout)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                got = [m for m in self.messages if pred(m)]
            if got:
                return got
            time.sleep(0.05)
        return []

    def matching(self, pred):
        with self.lock:
            return [m for m in self.messages if pred(m)]


class SmsReceiver:
    """Records form POSTs like an SMS provider's API and answers 201."""

    def __init__(self):
        self.requests = []
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n).decode()
                outer.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                       "type": self.headers.get("Content-Type"),
                                       "form": dict(urllib.parse.parse_qsl(body))})
                self.send_response(201)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/2010-04-01/Messages" % self.port

    def stop(self):
        self.server.shutdown()
