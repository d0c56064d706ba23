"""Trusted proxies: X-Forwarded-For is believed only from a peer named in --trusted-proxies
(the rightmost hop that is not itself a trusted proxy); from anyone else it is ignored, so a
forged header neither escapes a rate limit nor changes the address in the log."""
import hostile

PROXY = "127.0.0.9"


def setup(ctx):
    ctx.srv = ctx.server(extra_args=["--trusted-proxies", PROXY + ",10.0.0.0/8",
                                     "--rate-limits", "public_addr=3/60,public_business=1000/60"])


def get(ctx, source, xff):
    status, _, _ = hostile.timed(ctx.srv.port, "GET", "/api/v1/public/nobody/services", source,
                                 headers={"X-Forwarded-For": xff})
    return status


def test_forged_forwarded_for_from_an_untrusted_peer_is_ignored(ctx):
    # Every request claims another address; the peer's own is what counts: 3, then 429.
    codes = [get(ctx, "127.0.0.1", "203.0.113.%d" % i) for i in range(5)]
    assert codes == [404, 404, 404, 429, 429], codes
    log = ctx.srv.read_log()
    assert "remote=203.0.113." not in log
    assert "remote=127.0.0.1" in log


def test_a_trusted_proxy_names_the_client(ctx):
    # Through the proxy, each client has its own count (the proxy's address is not limited as
    # one), a client's own forgery left of what the proxy appended is not believed, and a
    # hop through another trusted proxy is skipped.
    codes = [get(ctx, PROXY, "6.6.6.%d, 198.51.100.%d" % (i, i)) for i in range(6)]
    assert codes == [404] * 6, codes
    codes = [get(ctx, PROXY, "6.6.6.%d, 198.51.100.77, 10.1.2.3" % i) for i in range(4)]
    assert codes == [404, 404, 404, 429], codes
    log = ctx.srv.read_log()
    assert "remote=198.51.100.77" in log and "remote=198.51.100.5" in log
    assert "remote=6.6.6." not in log and "remote=10.1.2.3" not in log
