"""The reverse-proxy setup of the README, for real: Debian's nginx on loopback in front of
bookd started with --trusted-proxies. Through it, each client is known by its own address
(rate limits count per client, the log names it, a client's forged X-Forwarded-For is not
believed), event streams flow unbuffered, and a chunked body reaches bookd with a length."""
import os
import shutil
import signal
import socket
import subprocess
import time

import hostile
import staff

# The README's location block, on plain HTTP (TLS at nginx changes nothing bookd sees).
NGINX_CONF = """
worker_processes 1;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %(dir)s/body;
    proxy_temp_path %(dir)s/proxy;
    fastcgi_temp_path %(dir)s/fastcgi;
    uwsgi_temp_path %(dir)s/uwsgi;
    scgi_temp_path %(dir)s/scgi;
    server {
        listen 127.0.0.1:%(port)d;
        location / {
            proxy_pass http://127.0.0.1:%(upstream)d;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
            proxy_read_timeout 1h;
            client_max_body_size 4m;
        }
    }
}
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def setup(ctx):
    staff.make_business(ctx, "proxied")
    ctx.srv = ctx.server(extra_args=["--trusted-proxies", "127.0.0.1",
                                     "--rate-limits", "public_addr=3/60,public_business=1000/60"])
    d = os.path.join(ctx.tmp, "nginx")
    os.makedirs(d, exist_ok=True)
    ctx.nginx_port = free_port()
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF % {"dir": d, "port": ctx.nginx_port, "upstream": ctx.srv.port})
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    ctx.nginx = subprocess.Popen([nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", ctx.nginx_port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start: %s" % ctx.nginx.stderr.read())


def teardown(ctx):
    ctx.nginx.send_signal(signal.SIGQUIT)
    try:
        ctx.nginx.wait(timeout=10)
    except subprocess.TimeoutExpired:
        ctx.nginx.kill()
        ctx.nginx.wait()


def via_nginx(ctx, source, headers=None, path="/api/v1/public/nobody/services"):
    status, _, _ = hostile.timed(ctx.nginx_port, "GET", path, source, headers=headers)
    return status


def test_clients_behind_nginx_keep_their_own_address(ctx):
    # Two clients: each has its own count of 3 (the proxy's address is not one shared bucket),
    # and a client's own X-Forwarded-For, which nginx keeps left of what it appends, is not
    # believed: its requests still count as its own.
    a = [via_nginx(ctx, "127.0.0.7", {"X-Forwarded-For": "6.6.6.%d" % i}) for i in range(4)]
    b = [via_nginx(ctx, "127.0.0.8") for _ in range(4)]
    assert a == [404, 404, 404, 429], a
    assert b == [404, 404, 404, 429], b
    log = ctx.srv.read_log()
    assert "remote=127.0.0.7" in log and "remote=127.0.0.8" in log
    assert "remote=6.6.6." not in log


def test_event_streams_and_chunked_bodies_through_nginx(ctx):
    s = socket.create_connection(("127.0.0.1", ctx.nginx_port), timeout=5, source_address=("127.0.0.9", 0))
    try:
        s.sendall(b"GET /api/v1/public/proxied/events HTTP/1.1\r\nHost: x\r\n\r\n")
        got = b""
        deadline = time.time() + 5
        while b": connected" not in got and time.time() < deadline:
            got += s.recv(4096)
        assert got.startswith(b"HTTP/1.1 200") and b": connected" in got, got[:300]
    finally:
        s.close()
    # bookd refuses chunked bodies itself (411); nginx reads them whole and sends a length.
    raw = (b"POST /api/v1/public/proxied/holds HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
    got, _ = hostile.raw_exchange(ctx.nginx_port, raw, source="127.0.0.10")
    assert got.startswith(b"HTTP/1.1 422"), got[:200]  # the body arrived and was judged
    got, _ = hostile.raw_exchange(ctx.srv.port, raw)
    assert got.startswith(b"HTTP/1.1 411"), got[:200]
