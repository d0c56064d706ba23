"""HTTPS without a proxy: --tls-cert and --tls-key serve TLS (libmicrohttpd over GnuTLS) with
Strict-Transport-Security on every answer; SIGHUP loads the pair again (a bad pair is refused
and the one in use stays). Certificates are made here with openssl, self-signed."""
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time

import harness


def make_pair(directory, name, cn):
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-days", "2", "-subj", "/CN=" + cn, "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


def get(port, ca, path="/healthz"):
    """GET over TLS trusting only ca: (status, headers dict, the server's certificate in DER)."""
    ctx = ssl.create_default_context(cafile=ca)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path).encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            der = s.getpeercert(binary_form=True)
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    lines = head.split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
    return int(lines[0].split()[1]), headers, der


def der_of(cert):
    return ssl.PEM_cert_to_DER_cert(open(cert).read())


def test_https_with_hsts_and_reload_on_sighup(ctx):
    d = ctx.tmp
    cert_a, key_a = make_pair(d, "a", "bookd-a")
    cert_b, key_b = make_pair(d, "b", "bookd-b")
    live_cert, live_key = os.path.join(d, "live.crt"), os.path.join(d, "live.key")
    shutil.copy(cert_a, live_cert)
    shutil.copy(key_a, live_key)
    srv = ctx.server(extra_args=["--tls-cert", live_cert, "--tls-key", live_key])
    assert re.search(r"listening on https://127\.0\.0\.1:%d" % srv.port, srv.read_log())

    status, headers, der = get(srv.port, cert_a)
    assert status == 200
    assert headers["strict-transport-security"].startswith("max-age="), headers
    assert der == der_of(cert_a)
    # Plain HTTP on the TLS port gets no answer in HTTP.
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            got = s.recv(100)
        except (ConnectionResetError, socket.timeout):
            got = b""
    assert not got.startswith(b"HTTP/1.1 200"), got

    # A bad pair (b's certificate with a's key) is refused; a keeps serving.
    shutil.copy(cert_b, live_cert)
    srv.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 5
    while "does not belong" not in srv.read_log() and time.time() < deadline:
        time.sleep(0.05)
    assert "the certificate in use stays" in srv.read_log()
    assert get(srv.port, cert_a)[2] == der_of(cert_a)

    # The whole new pair: new handshakes present it.
    shutil.copy(key_b, live_key)
    srv.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 5
    while "loaded again" not in srv.read_log() and time.time() < deadline:
        time.sleep(0.05)
    status, _, der = get(srv.port, cert_b)
    assert status == 200 and der == der_of(cert_b)
    assert srv.stop() == 0


def test_tls_flags_are_checked(ctx):
    d = ctx.tmp
    cert, key = make_pair(d, "c", "bookd-c")
    r = harness.bookd("serve", "--tls-cert", cert, check=False)
    assert r.returncode == 2 and "--tls-key" in r.stderr, r
    r = harness.bookd("serve", "--tls-cert", cert, "--tls-key", os.path.join(d, "missing.key"), check=False)
    assert r.returncode == 2 and "missing.key" in r.stderr, r
    # Without TLS, no HSTS header.
    srv = ctx.server()
    assert srv.client.get("/healthz").header("Strict-Transport-Security") is None
