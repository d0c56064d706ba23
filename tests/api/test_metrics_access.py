"""/metrics is not for everyone: on the main listener it needs the bearer token of
--metrics-token and does not exist without one; --metrics-listen serves it on an address of
its own instead."""
import re
import time

import harness

TOKEN = "0123456789abcdef-metrics"


def metrics(port, token=None):
    c = harness.Client(port)
    try:
        return c.get("/metrics", headers={"Authorization": "Bearer " + token} if token else None)
    finally:
        c.close()


def test_no_metrics_without_a_token_or_a_listener(ctx):
    srv = ctx.server()
    r = metrics(srv.port)
    assert r.status == 404, r
    assert metrics(srv.port, "anything").status == 404


def test_the_token_is_needed_on_the_main_listener(ctx):
    srv = ctx.server(extra_args=["--metrics-token", TOKEN])
    r = metrics(srv.port)
    assert r.status == 401 and r.header("WWW-Authenticate").startswith("Bearer"), r
    for wrong in (TOKEN[:-1], TOKEN + "x", TOKEN.upper(), ""):
        assert metrics(srv.port, wrong).status == 401, wrong
    r = metrics(srv.port, TOKEN)
    assert r.status == 200 and "bookd_http_requests_total" in r.body, r
    r = harness.bookd("serve", "--metrics-token", "short", check=False)
    assert r.returncode == 2 and "--metrics-token" in r.stderr, r


def test_a_metrics_listener_of_its_own(ctx):
    srv = ctx.server(extra_args=["--metrics-listen", "127.0.0.1:0"])
    port = int(re.search(r"metrics served on http://[^ \"]*:(\d+)\"", srv.read_log()).group(1))
    assert port != srv.port
    assert metrics(srv.port).status == 404
    srv.client.get("/healthz")
    deadline = time.time() + 3  # an exchange is counted once its answer is out
    while True:
        r = metrics(port)
        assert r.status == 200, r
        counted = re.search(r'bookd_http_requests_total\{method="GET",route="/healthz",code="2xx"\} [1-9]', r.body)
        if counted or time.time() > deadline:
            break
        time.sleep(0.05)
    assert counted, r.body
    # The main listener's connections are counted there too.
    assert re.search(r"^bookd_http_connections [0-9]+$", r.body, re.M), r.body
    assert re.search(r"^bookd_http_connections_refused_total 0$", r.body, re.M), r.body
    assert re.search(r"^bookd_http_connections_cut_total 0$", r.body, re.M), r.body
    c = harness.Client(port)
    assert c.get("/healthz").status == 404  # only /metrics there
    c.close()
    # With a token as well, the side listener asks for it.
    srv2 = ctx.server(extra_args=["--metrics-listen", "127.0.0.1:0", "--metrics-token", TOKEN])
    port2 = int(re.search(r"metrics served on http://[^ \"]*:(\d+)\"", srv2.read_log()).group(1))
    assert metrics(port2).status == 401
    assert metrics(port2, TOKEN).status == 200
    assert metrics(srv2.port, TOKEN).status == 200
