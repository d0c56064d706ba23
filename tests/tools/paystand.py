#!/usr/bin/python3
"""paystand.py - a loopback stand-in for the parts of the Stripe and PayPal APIs bookd
uses. It is not Stripe or PayPal: it answers the documented requests with the documented
shapes, keeps everything in memory, and sends signed webhook events to bookd the way the
providers do, so the payment flow can be tested without a network.

Stripe (form-encoded, "Authorization: Bearer sk_..."; Idempotency-Key honoured):
  POST /v1/checkout/sessions        -> checkout.session {id, url, payment_status, ...}
  GET  /v1/checkout/sessions/{id}   -> the session
  POST /v1/payment_intents          -> payment_intent {id, client_secret, status:
                                       requires_payment_method, amount, currency, metadata}
  GET  /v1/payment_intents/{id}     -> payment_intent {id, amount, currency, status}
  POST /v1/payment_intents/{id}/confirm  (the page's Stripe.js: "Bearer pk_...",
                                       client_secret) -> succeeded; then the webhook
                                       payment_intent.succeeded
  POST /v1/refunds                  -> refund {id, status: "succeeded", amount, payment_intent}
  webhook: checkout.session.completed, signed "Stripe-Signature: t=TS,v1=HMAC-SHA256(secret,
  "TS.body")" and POSTed to the configured address.
PayPal (JSON, OAuth2 client credentials; PayPal-Request-Id honoured):
  POST /v1/oauth2/token                          -> {access_token, expires_in}
  POST /v2/checkout/orders                       -> {id, status: CREATED, links: [payer-action]}
  POST /v2/checkout/orders/{id}/capture          -> {status: COMPLETED, purchase_units[0].payments.captures[0]}
  POST /v2/payments/captures/{id}/refund         -> {id, status: COMPLETED}
  POST /v1/notifications/verify-webhook-signature -> {verification_status: SUCCESS | FAILURE}
  webhook: CHECKOUT.ORDER.APPROVED with PayPal-Transmission-* headers.
The customer's pages: GET /pay/stripe/{session} and /pay/paypal/{order} show a "Pay" button;
pressing it completes the payment, sends the webhook, and redirects to the return address.
GET /v3/ is a stand-in of Stripe.js for the Payment Element (window.Stripe(pk): elements(
{clientSecret}), create("payment").mount(node), confirmPayment({elements, confirmParams:
{return_url}})): it draws a plain card form (no real card data goes anywhere), confirms the
intent at /v1/payment_intents/{id}/confirm with the publishable key, and sends the page to
return_url with payment_intent, payment_intent_client_secret and redirect_status, as
Stripe.js does. CORS is open, as Stripe's API is to browsers.
Test controls (never part of either API), JSON:
  POST /_control/config {stripe_webhook, paypal_webhook}   where to send events
  POST /_control/stripe/complete {session, timestamp?, secret?}  pay and send the event
  POST /_control/stripe/resend {event, timestamp?}          send a stored event again
  POST /_control/paypal/approve {order}                     approve and send the event
  POST /_control/fail_refunds {count}                       the next count refunds fail (500)
  GET  /_control/state                                      sessions, orders, refunds, calls

Run alone: paystand.py [--port N] [--stripe-webhook-secret S] [--paypal-webhook-id ID]
"""
import argparse
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STRIPE_KEY = "sk_test_standin"
STRIPE_PK = "pk_test_standin"
PAYPAL_ID = "standin-client"
PAYPAL_SECRET = "standin-secret"


def _flat_form(pairs):
    """Stripe's bracketed form keys (a[b][c]=v) as nested dicts."""
    out = {}
    for k, v in pairs:
        parts = k.replace("]", "").split("[")
        d = out
        for p in parts[:-1]:
            d = d.setdefault(p, {})
        d[parts[-1]] = v
    return out


# The stand-in of Stripe.js (GET /v3/): the calls the booking page makes, nothing more.
STRIPE_JS = r"""
(function () {
  var base = document.currentScript ? new URL(document.currentScript.src).origin : "";
  window.Stripe = function (pk) {
    return {
      elements: function (opts) {
        var secret = opts && opts.clientSecret;
        return {
          _secret: secret,
          create: function (kind) {
            return {
              mount: function (node) {
                var el = typeof node === "string" ? document.querySelector(node) : node;
                el.innerHTML = '<div data-standin-element="' + kind + '"><label>Card number (stand-in)' +
                  '<input data-standin-card inputmode="numeric" autocomplete="off" value="4242 4242 4242 4242"></label></div>';
              }
            };
          }
        };
      },
      confirmPayment: function (args) {
        var secret = args.elements._secret;
        var id = secret.split("_secret_")[0];
        return fetch(base + "/v1/payment_intents/" + id + "/confirm", {
          method: "POST",
          headers: { "Authorization": "Bearer " + pk, "Content-Type": "application/x-www-form-urlencoded" },
          body: "client_secret=" + encodeURIComponent(secret)
        }).then(function (r) { return r.json(); }).then(function (pi) {
          if (pi.error) return { error: { message: pi.error.message } };
          var u = new URL(args.confirmParams.return_url);
          u.searchParams.set("payment_intent", id);
          u.searchParams.set("payment_intent_client_secret", secret);
          u.searchParams.set("redirect_status", pi.status);
          window.location.assign(u.toString());
          return new Promise(function () {});
        });
      }
    };
  };
})();
"""


class PayStand:
    def __init__(self, stripe_webhook_secret="whsec_standin", paypal_webhook_id="WH-STANDIN",
                 port=0, clock=None):
        self.stripe_secret = stripe_webhook_secret
        self.paypal_webhook_id = paypal_webhook_id
        self.clock = clock or time.time
        self.lock = threading.Lock()
        self.sessions, self.intents, self.orders, self.captures = {}, {}, {}, {}
        self.refunds = []          # every refund made (once per idempotency key)
        self.refund_calls = 0      # every refund request, failed ones too
        self.fail_refunds = 0
        self.idem = {}             # (api, key) -> (code, answer)
        self.events = {}           # id -> (kind, body)
        self.calls = []            # (method, path, idempotency key)
        self.stripe_webhook = None
        self.paypal_webhook = None
        self.sign_key = secrets.token_bytes(32)  # "PayPal's" signing key
        self.tokens = set()
        stand = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                stand._handle(self, "GET")

            def do_POST(self):
                stand._handle(self, "POST")

            def do_OPTIONS(self):  # a browser's preflight of the page's confirm
                stand._send(self, 204, None, extra=stand._cors())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- plumbing ----
    def _send(self, h, code, obj=None, ctype="application/json", extra=()):
        data = b"" if obj is None else (obj if isinstance(obj, bytes) else json.dumps(obj).encode())
        h.send_response(code)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _handle(self, h, method):
        n = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(n) if n else b""
        u = urllib.parse.urlparse(h.path)
        path = u.path
        idem = h.headers.get("Idempotency-Key") or h.headers.get("PayPal-Request-Id")
        with self.lock:
            self.calls.append((method, path, idem))
        try:
            if path.startswith("/_control/"):
                return self._control(h, method, path, raw)
            if path.startswith("/pay/"):
                return self._page(h, method, path, u.query)
            if path == "/v3/" and method == "GET":
                return self._send(h, 200, STRIPE_JS.encode(), ctype="text/javascript", extra=self._cors())
            if method == "POST" and path.startswith("/v1/payment_intents/") and path.endswith("/confirm"):
                return self._intent_confirm(h, path.split("/")[3], raw)
            if path.startswith("/v1/oauth2/") or path.startswith("/v2/") or path.startswith("/v1/notifications/"):
                return self._paypal(h, method, path, raw, idem)
            if path.startswith("/v1/"):
                return self._stripe(h, method, path, raw, idem)
            self._send(h, 404, {"error": {"message": "no such route"}})
        except Exception as e:  # a stand-in bug answers 500, like a provider outage
            self._send(h, 500, {"error": {"message": "stand-in failure: %r" % e}})

    def _replay(self, api, key):
        if not key:
            return None
        with self.lock:
            return self.idem.get((api, key))

    def _keep(self, api, key, code, ans):
        if key:
            with self.lock:
                self.idem[(api, key)] = (code, ans)

    # ---- Stripe ----
    def _stripe(self, h, method, path, raw, idem):
        if h.headers.get("Authorization") != "Bearer " + STRIPE_KEY:
            return self._send(h, 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}})
        form = _flat_form(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))
        if method == "POST":
            hit = self._replay("stripe", idem)
            if hit:
                return self._send(h, hit[0], hit[1], extra=[("Idempotent-Replayed", "true")])
        if method == "POST" and path == "/v1/checkout/sessions":
            item = form["line_items"]["0"]
            pd = item["price_data"]
            amount = int(pd["unit_amount"]) * int(item.get("quantity", "1"))
            sid = "cs_test_" + secrets.token_hex(12)
            s = {"id": sid, "object": "checkout.session", "mode": form.get("mode"),
                 "url": "%s/pay/stripe/%s" % (self.url, sid), "status": "open",
                 "payment_status": "unpaid", "amount_total": amount, "currency": pd["currency"],
                 "client_reference_id": form.get("client_reference_id"),
                 "metadata": form.get("metadata", {}), "payment_intent": None,
                 "success_url": form.get("success_url"), "cancel_url": form.get("cancel_url"),
                 "product": pd.get("product_data", {}).get("name")}
            with self.lock:
                self.sessions[sid] = s
            self._keep("stripe", idem, 200, s)
            return self._send(h, 200, s)
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            s = self.sessions.get(path.rsplit("/", 1)[1])
            return self._send(h, 200, s) if s else self._send(h, 404, {"error": {"message": "No such checkout.session"}})
        if method == "POST" and path == "/v1/payment_intents":
            pid = "pi_" + secrets.token_hex(12)
            pi = {"id": pid, "object": "payment_intent", "amount": int(form["amount"]),
                  "amount_received": 0, "currency": form["currency"],
                  "status": "requires_payment_method", "client_secret": pid + "_secret_" + secrets.token_hex(8),
                  "metadata": form.get("metadata", {}), "description": form.get("description"),
                  "automatic_payment_methods": {"enabled": form.get("automatic_payment_methods", {}).get("enabled") == "true"}}
            with self.lock:
                self.intents[pid] = pi
            self._keep("stripe", idem, 200, pi)
            return self._send(h, 200, pi)
        if method == "GET" and path.startswith("/v1/payment_intents/"):
            pi = self.intents.get(path.rsplit("/", 1)[1])
            return self._send(h, 200, pi) if pi else self._send(h, 404, {"error": {"message": "No such payment_intent"}})
        if method == "POST" and path == "/v1/refunds":
            return self._refund(h, "stripe", idem, form.get("payment_intent"), int(form.get("amount", "0")))
        self._send(h, 404, {"error": {"message": "Unrecognized request URL"}})

    def _cors(self):
        return [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "Authorization, Content-Type"),
                ("Access-Control-Allow-Methods", "GET, POST")]

    def _intent_confirm(self, h, pid, raw):
        """Stripe.js's confirm with the publishable key and the intent's client secret."""
        form = dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))
        pi = self.intents.get(pid)
        if h.headers.get("Authorization") != "Bearer " + STRIPE_PK:
            return self._send(h, 401, {"error": {"message": "Invalid API Key provided"}}, extra=self._cors())
        if not pi or form.get("client_secret") != pi["client_secret"]:
            return self._send(h, 404, {"error": {"message": "No such payment_intent"}}, extra=self._cors())
        code, _ = self.intent_succeed(pid)
        return self._send(h, 200, dict(self.intents[pid], webhook_status=code), extra=self._cors())

    def intent_succeed(self, pid, timestamp=None, secret=None):
        """Pays intent pid and sends payment_intent.succeeded; returns (code, event)."""
        with self.lock:
            pi = self.intents[pid]
            pi.update(status="succeeded", amount_received=pi["amount"])
        ev = {"id": "evt_" + secrets.token_hex(12), "object": "event", "type": "payment_intent.succeeded",
              "created": int(self.clock()), "data": {"object": dict(pi)}}
        body = json.dumps(ev).encode()
        self.events[ev["id"]] = ("stripe", body)
        return self.stripe_send(body, timestamp, secret), ev

    def _refund(self, h, api, idem, payment, amount):
        with self.lock:
            self.refund_calls += 1
            failing = self.fail_refunds > 0
            if failing:
                self.fail_refunds -= 1
        if failing:  # an outage answer is not kept under the key: a retry is a new try
            return self._send(h, 500, {"error": {"message": "temporary failure (stand-in)"}})
        known = self.intents if api == "stripe" else self.captures
        if payment not in known:
            return self._send(h, 404, {"error": {"message": "No such payment"}})
        paid = known[payment]["amount"]
        done = sum(r["amount"] for r in self.refunds if r["payment"] == payment)
        if amount <= 0 or done + amount > paid:
            return self._send(h, 400, {"error": {"message": "Refund amount exceeds what is left"}})
        if api == "stripe":
            rid = "re_" + secrets.token_hex(10)
            ans = {"id": rid, "object": "refund", "status": "succeeded", "amount": amount,
                   "payment_intent": payment, "currency": known[payment]["currency"]}
        else:
            rid = secrets.token_hex(8).upper()
            ans = {"id": rid, "status": "COMPLETED"}
        with self.lock:
            self.refunds.append({"api": api, "id": rid, "payment": payment, "amount": amount, "key": idem})
        self._keep(api, idem, 201 if api == "paypal" else 200, ans)
        return self._send(h, 201 if api == "paypal" else 200, ans)

    def stripe_complete(self, sid, timestamp=None, secret=None):
        """Pays session sid and sends checkout.session.completed; returns (code, event)."""
        with self.lock:
            s = self.sessions[sid]
            if s["payment_status"] != "paid":
                pi = "pi_" + secrets.token_hex(12)
                self.intents[pi] = {"id": pi, "object": "payment_intent", "amount": s["amount_total"],
                                    "currency": s["currency"], "status": "succeeded"}
                s.update(payment_status="paid", status="complete", payment_intent=pi)
        ev = {"id": "evt_" + secrets.token_hex(12), "object": "event", "type": "checkout.session.completed",
              "created": int(self.clock()), "data": {"object": dict(s)}}
        body = json.dumps(ev).encode()
        self.events[ev["id"]] = ("stripe", body)
        return self.stripe_send(body, timestamp, secret), ev

    def stripe_send(self, body, timestamp=None, secret=None):
        ts = int(self.clock() if timestamp is None else timestamp)
        mac = hmac.new((secret or self.stripe_secret).encode(), b"%d." % ts + body, hashlib.sha256).hexdigest()
        return self._post(self.stripe_webhook, body, {"Stripe-Signature": "t=%d,v1=%s" % (ts, mac)})

    # ---- PayPal ----
    def _sig(self, tid, ttime, event):
        body = json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
        msg = "%s|%s|%s|%d" % (tid, ttime, self.paypal_webhook_id, zlib.crc32(body))
        return base64.b64encode(hmac.new(self.sign_key, msg.encode(), hashlib.sha256).digest()).decode()

    def _paypal(self, h, method, path, raw, idem):
        if path == "/v1/oauth2/token":
            want = "Basic " + base64.b64encode(("%s:%s" % (PAYPAL_ID, PAYPAL_SECRET)).encode()).decode()
            if h.headers.get("Authorization") != want:
                return self._send(h, 401, {"error": "invalid_client", "error_description": "Client Authentication failed"})
            tok = "A21AA" + secrets.token_hex(16)
            with self.lock:
                self.tokens.add(tok)
            return self._send(h, 200, {"access_token": tok, "token_type": "Bearer", "expires_in": 32400})
        auth = h.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return self._send(h, 401, {"name": "AUTHENTICATION_FAILURE", "message": "Authentication failed"})
        body = json.loads(raw or b"{}")
        if path == "/v1/notifications/verify-webhook-signature":
            ok = (body.get("webhook_id") == self.paypal_webhook_id and hmac.compare_digest(
                self._sig(body.get("transmission_id"), body.get("transmission_time"), body.get("webhook_event")),
                body.get("transmission_sig") or ""))
            return self._send(h, 200, {"verification_status": "SUCCESS" if ok else "FAILURE"})
        hit = self._replay("paypal", idem)
        if hit:
            return self._send(h, hit[0], hit[1])
        if path == "/v2/checkout/orders":
            pu = body["purchase_units"][0]
            oid = secrets.token_hex(8).upper()
            ctx = body.get("payment_source", {}).get("paypal", {}).get("experience_context", {})
            o = {"id": oid, "status": "CREATED", "intent": body.get("intent"), "purchase_units": [pu],
                 "return_url": ctx.get("return_url"), "cancel_url": ctx.get("cancel_url"),
                 "links": [{"rel": "self", "href": "%s/v2/checkout/orders/%s" % (self.url, oid), "method": "GET"},
                           {"rel": "payer-action", "href": "%s/pay/paypal/%s" % (self.url, oid), "method": "GET"}]}
            with self.lock:
                self.orders[oid] = o
            ans = {"id": oid, "status": "CREATED", "links": o["links"]}
            self._keep("paypal", idem, 201, ans)
            return self._send(h, 201, ans)
        if path.startswith("/v2/checkout/orders/") and path.endswith("/capture"):
            oid = path.split("/")[4]
            o = self.orders.get(oid)
            if not o:
                return self._send(h, 404, {"name": "RESOURCE_NOT_FOUND", "message": "order"})
            if o["status"] != "APPROVED":
                return self._send(h, 422, {"name": "UNPROCESSABLE_ENTITY", "message": "ORDER_NOT_APPROVED"})
            amt = o["purchase_units"][0]["amount"]
            cid = secrets.token_hex(8).upper()
            digits = 0 if amt["currency_code"] in ("JPY", "HUF", "TWD") else 2
            minor = int(round(float(amt["value"]) * 10 ** digits))
            with self.lock:
                o["status"] = "COMPLETED"
                self.captures[cid] = {"id": cid, "amount": minor, "currency": amt["currency_code"], "order": oid}
            cap = {"id": cid, "status": "COMPLETED", "amount": amt}
            ans = {"id": oid, "status": "COMPLETED",
                   "purchase_units": [{"reference_id": o["purchase_units"][0].get("reference_id"),
                                       "payments": {"captures": [cap]}}]}
            self._keep("paypal", idem, 201, ans)
            return self._send(h, 201, ans)
        if path.startswith("/v2/payments/captures/") and path.endswith("/refund"):
            cid = path.split("/")[4]
            cap = self.captures.get(cid)
            digits = 0 if cap and cap["currency"] in ("JPY", "HUF", "TWD") else 2
            value = body.get("amount", {}).get("value", "0")
            return self._refund(h, "paypal", idem, cid, int(round(float(value) * 10 ** digits)))
        self._send(h, 404, {"name": "NOT_FOUND", "message": "no such route"})

    def paypal_approve(self, oid, forge=False):
        """Approves order oid and sends CHECKOUT.ORDER.APPROVED; returns (code, event)."""
        with self.lock:
            o = self.orders[oid]
            if o["status"] == "CREATED":
                o["status"] = "APPROVED"
        ev = {"id": "WH-" + secrets.token_hex(10).upper(), "event_type": "CHECKOUT.ORDER.APPROVED",
              "resource_type": "checkout-order", "create_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "resource": {"id": oid, "status": "APPROVED", "intent": "CAPTURE",
                           "purchase_units": o["purchase_units"]}}
        body = json.dumps(ev).encode()
        self.events[ev["id"]] = ("paypal", body)
        return self.paypal_send(ev, forge), ev

    def paypal_send(self, ev, forge=False):
        tid = secrets.token_hex(8)
        ttime = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        sig = self._sig(tid, ttime, ev)
        if forge:
            sig = base64.b64encode(b"x" * 32).decode()
        return self._post(self.paypal_webhook, json.dumps(ev).encode(), {
            "PayPal-Transmission-Id": tid, "PayPal-Transmission-Time": ttime,
            "PayPal-Transmission-Sig": sig, "PayPal-Auth-Algo": "SHA256withRSA",
            "PayPal-Cert-Url": "%s/certs/standin.pem" % self.url})

    def _post(self, url, body, headers):
        if not url:
            return 0
        rq = urllib.request.Request(url, data=body, method="POST",
                                    headers=dict(headers, **{"Content-Type": "application/json"}))
        try:
            with urllib.request.urlopen(rq, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    # ---- the customer's pages and the test controls ----
    def _page(self, h, method, path, query):
        parts = path.split("/")  # "", "pay", api, id[, "complete"]
        api, oid = parts[2], parts[3]
        thing = self.sessions.get(oid) if api == "stripe" else self.orders.get(oid)
        if not thing:
            return self._send(h, 404, b"no such checkout", "text/plain")
        if method == "POST":
            if api == "stripe":
                self.stripe_complete(oid)
                back = thing["success_url"]
            else:
                self.paypal_approve(oid)
                back = thing["return_url"]
            return self._send(h, 303, b"", "text/plain", [("Location", back)])
        amount = thing.get("amount_total") if api == "stripe" else thing["purchase_units"][0]["amount"]["value"]
        cancel = thing.get("cancel_url")
        html = ("<!doctype html><html lang=en><head><meta name=viewport content='width=device-width'>"
                "<title>Payment stand-in</title></head><body><main><h1>Payment stand-in (%s)</h1>"
                "<p>Amount: <span id=amount>%s</span></p><form method=post>"
                "<button type=submit id=pay>Pay</button></form><p><a id=cancel href='%s'>Cancel</a></p>"
                "</main></body></html>") % (api, amount, cancel)
        return self._send(h, 200, html.encode(), "text/html; charset=utf-8")

    def _control(self, h, method, path, raw):
        body = json.loads(raw or b"{}")
        if path == "/_control/config":
            self.stripe_webhook = body.get("stripe_webhook", self.stripe_webhook)
            self.paypal_webhook = body.get("paypal_webhook", self.paypal_webhook)
            return self._send(h, 200, {"ok": True})
        if path == "/_control/stripe/complete":
            code, ev = self.stripe_complete(body["session"], body.get("timestamp"), body.get("secret"))
            return self._send(h, 200, {"webhook_status": code, "event": ev})
        if path == "/_control/stripe/resend":
            code = self.stripe_send(self.events[body["event"]][1], body.get("timestamp"))
            return self._send(h, 200, {"webhook_status": code})
        if path == "/_control/paypal/approve":
            code, ev = self.paypal_approve(body["order"], body.get("forge", False))
            return self._send(h, 200, {"webhook_status": code, "event": ev})
        if path == "/_control/fail_refunds":
            self.fail_refunds = int(body.get("count", 1))
            return self._send(h, 200, {"ok": True})
        if path == "/_control/state":
            return self._send(h, 200, {"sessions": self.sessions, "orders": self.orders,
                                       "refunds": self.refunds, "refund_calls": self.refund_calls})
        self._send(h, 404, {"error": "no such control"})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--stripe-webhook-secret", default="whsec_standin")
    ap.add_argument("--paypal-webhook-id", default="WH-STANDIN")
    a = ap.parse_args()
    s = PayStand(a.stripe_webhook_secret, a.paypal_webhook_id, a.port)
    print("paystand listening on %s (Stripe key %s; PayPal %s / %s)" % (s.url, STRIPE_KEY, PAYPAL_ID, PAYPAL_SECRET),
          flush=True)
    try:
        s.thread.join()
    except KeyboardInterrupt:
        s.stop()


if __name__ == "__main__":
    main()
