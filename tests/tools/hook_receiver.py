"""hook_receiver.py - a webhook receiver on loopback for tests and for trying webhooks by hand.

It checks each request's Bookd-Signature ("t=T,v1=HEX[,v1=HEX]": HMAC-SHA256 of "T." + body
keyed by the endpoint's secret) against the secrets it is given, records every request
(event id, type, which secrets signed it, the status it answered) and answers `status`
(settable: 500 stands for an outage). Tests start it in-process (HookReceiver); by hand:

    python3 tests/tools/hook_receiver.py --secret whsec_... [--port 8099]

prints one line per request and answers 200.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import threading
import time


def signatures(header):
    """(t, [v1 hex...]) of a Bookd-Signature header value; (None, []) when malformed."""
    t, v1 = None, []
    for part in (header or "").split(","):
        k, _, v = part.strip().partition("=")
        if k == "t" and v.isdigit():
            t = v
        elif k == "v1" and v:
            v1.append(v)
    return t, v1


def signed_by(secret, header, body, tolerance=None, now=None):
    """Whether one v1 signature of header is secret's over "t." + body (compared in constant
    time), and t is within tolerance seconds of now when a tolerance is given."""
    t, v1 = signatures(header)
    if t is None:
        return False
    if tolerance is not None and abs((now if now is not None else time.time()) - int(t)) > tolerance:
        return False
    want = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(want, v) for v in v1)


class HookReceiver:
    def __init__(self, secrets=(), status=200):
        self.secrets = list(secrets)
        self.status = status
        self.big = 0  # answer this many bytes of body instead (a bounded read is tested)
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                sig = self.headers.get("Bookd-Signature")
                with receiver.lock:
                    status = receiver.status
                    good = [s for s in receiver.secrets if signed_by(s, sig, body)]
                try:
                    doc = json.loads(body)
                except ValueError:
                    doc = {}
                rec = {"event_id": self.headers.get("Bookd-Event-Id"), "delivery_id": self.headers.get("Bookd-Delivery-Id"),
                       "signature": sig, "signed_by": good, "status": status, "body": doc, "path": self.path,
                       "raw": body}
                with receiver.lock:
                    receiver.requests.append(rec)
                out = b'{"received": true}' if status < 300 else b"receiver down"
                if receiver.big:
                    out = b"x" * receiver.big
                self.send_response(status)
                if 300 <= status < 400:  # a redirect to itself: bookd must not follow it
                    self.send_header("Location", self.path + "?followed=1")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/hooks" % self.port

    def set(self, status=None, secrets=None, big=None):
        with self.lock:
            if big is not None:
                self.big = big
            if status is not None:
                self.status = status
            if secrets is not None:
                self.secrets = list(secrets)

    def accepted(self):
        """The requests answered 2xx, in arrival order."""
        with self.lock:
            return [r for r in self.requests if r["status"] < 300]

    def all(self):
        with self.lock:
            return list(self.requests)

    def wait(self, pred, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = [r for r in self.all() if pred(r)]
            if got:
                return got
            time.sleep(0.05)
        return []

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def main():
    ap = argparse.ArgumentParser(description="a webhook receiver that checks bookd's signatures")
    ap.add_argument("--secret", action="append", default=[], help="a signing secret (repeatable)")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    r = HookReceiver(args.secret)
    if args.port:
        r.stop()
        r.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), r.httpd.RequestHandlerClass)
        r.port = args.port
        threading.Thread(target=r.httpd.serve_forever, daemon=True).start()
    print("listening on", r.url, flush=True)
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            for q in r.all()[seen:]:
                print(q["body"].get("type"), q["event_id"], "signed" if q["signed_by"] else "NOT SIGNED", flush=True)
            seen = len(r.all())
    except KeyboardInterrupt:
        r.stop()


if __name__ == "__main__":
    main()
