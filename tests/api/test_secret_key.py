"""The server key that seals stored calendar secrets: made with mode 0600 on first start,
read again on the next, and a bad key refuses to start with a line naming it."""
import base64
import os
import stat

import harness


def key_path(ctx):
    if ctx.kind == "sqlite":
        return os.path.join(os.path.dirname(ctx.db_url[len("sqlite:"):]), "bookd-secret.key")
    return os.path.join(os.environ["STATE_DIRECTORY"], "secret.key")


def test_key_file_made_0600_and_kept(ctx):
    env = {k: v for k, v in os.environ.items() if k != "BOOKD_SECRET_KEY"}
    srv = ctx.server(env=env)
    path = key_path(ctx)
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    with open(path) as f:
        text = f.read()
    assert len(base64.b64decode(text.strip())) == 32
    assert text.strip() not in srv.read_log()  # the key is never logged
    assert srv.stop() == 0
    srv2 = ctx.server(env=env)
    with open(path) as f:
        assert f.read() == text  # read again, not replaced
    assert "made a new secret key file" not in srv2.read_log()
    assert srv2.stop() == 0


def test_bad_key_refuses_to_start(ctx):
    p = harness.bookd("serve", "--listen", "127.0.0.1:0", "--db", ctx.db_url, check=False,
                      env={"BOOKD_SECRET_KEY": base64.b64encode(b"x" * 31).decode()})
    assert p.returncode == 1 and "BOOKD_SECRET_KEY must be the base64 of 32 bytes" in p.stderr, p.stderr
    loose = os.path.join(ctx.tmp, "loose.key")
    with open(loose, "w") as f:
        f.write(base64.b64encode(b"k" * 32).decode() + "\n")
    os.chmod(loose, 0o644)
    p = harness.bookd("serve", "--listen", "127.0.0.1:0", "--db", ctx.db_url,
                      "--secret-key-file", loose, check=False, env={"BOOKD_SECRET_KEY": ""})
    assert p.returncode == 1 and loose in p.stderr and "chmod 600" in p.stderr, p.stderr
