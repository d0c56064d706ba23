"""run.py - runs the API test modules (tests/api/test_*.py) against one database.

usage: run.py sqlite | postgres URL  [-k SUBSTRING]

Each module defines test_* functions taking a Context, and may name the databases it runs
on (DATABASES = ("postgres",)); it is not run, nor counted, on the others. A Context gives a fresh database
per module (a new SQLite file, or a new PostgreSQL database in the given cluster) and
starts bookd lazily. Ends with one line "api-<db>: N passed, N failed".
"""
import importlib.util
import os
import sys
import tempfile
import time
import traceback
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Context:
    def __init__(self, kind, pg_url):
        self.kind = kind
        self.pg_url = pg_url
        self.servers = []
        self.tmp = tempfile.mkdtemp(prefix="bookd-api-")
        self.db_url = self.new_db_url()

    def new_db_url(self):
        if self.kind == "sqlite":
            return "sqlite:" + os.path.join(self.tmp, "t-%s.db" % uuid.uuid4().hex[:8])
        name = "t_" + uuid.uuid4().hex[:12]
        u = urllib.parse.urlparse(self.pg_url)
        admin = self.pg_url
        import subprocess
        subprocess.run(["psql", "-q", "-X", "-d", admin, "-c", "CREATE DATABASE %s" % name],
                       check=True, capture_output=True)
        return urllib.parse.urlunparse(u._replace(path="/" + name))

    def server(self, **kw):
        s = harness.Server(self.db_url, **kw)
        self.servers.append(s)
        return s

    def bookd(self, *args, **kw):
        return harness.bookd(*args, **kw)

    def close(self):
        for s in self.servers:
            if s.proc.poll() is None:
                s.stop()
            s.cleanup()


def main():
    kind = sys.argv[1]
    pg_url = sys.argv[2] if kind == "postgres" else None
    only = None
    if "-k" in sys.argv:
        only = sys.argv[sys.argv.index("-k") + 1]
    here = os.path.dirname(os.path.abspath(__file__))
    # PostgreSQL servers keep their secret key file in the state directory: one of the run's own.
    os.environ.setdefault("STATE_DIRECTORY", tempfile.mkdtemp(prefix="bookd-state-"))
    passed = failed = 0
    failures = []
    for fname in sorted(os.listdir(here)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(here, fname))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        tests = [(n, getattr(mod, n)) for n in sorted(dir(mod)) if n.startswith("test_")]
        tests = [(n, f) for n, f in tests if only is None or only in n or only in fname]
        if not tests or kind not in getattr(mod, "DATABASES", ("sqlite", "postgres")):
            continue  # a module may name the databases it is for (DATABASES = ("postgres",))
        ctx = Context(kind, pg_url)
        if hasattr(mod, "setup"):
            mod.setup(ctx)
        try:
            for name, fn in tests:
                t0 = time.time()
                try:
                    fn(ctx)
                    passed += 1
                    print("ok   %s %s::%s (%.2fs)" % (kind, fname, name, time.time() - t0), flush=True)
                except Exception:
                    failed += 1
                    tb = traceback.format_exc()
                    failures.append((fname, name, tb))
                    print("FAIL %s %s::%s\n%s" % (kind, fname, name, tb), flush=True)
        finally:
            if hasattr(mod, "teardown"):
                mod.teardown(ctx)
            for s in ctx.servers:
                if s.proc.poll() is None:
                    code = s.stop()
                    if code != 0:
                        failed += 1
                        print("FAIL %s %s: bookd exited %s on SIGTERM\n%s" % (kind, fname, code, s.read_log()[-3000:]))
                log = s.read_log()
                if "ERROR: AddressSanitizer" in log or "runtime error:" in log or "LeakSanitizer" in log:
                    failed += 1
                    print("FAIL %s %s: sanitizer report\n%s" % (kind, fname, log[-5000:]))
            ctx.close()
    print("api-%s: %d passed, %d failed" % (kind, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
