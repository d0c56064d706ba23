"""The availability answer cache never outlives a change made by another process: on SQLite
the server notices another connection's commit (PRAGMA data_version), on PostgreSQL the
command that wrote tells every server (NOTIFY). With the test clock held, "now" never moves,
so only that can make the next answer right."""
import json
import os
import tempfile
import time

import harness

DOC = {
    "business": {"slug": "cache", "name": "Cache", "timezone": "Europe/London"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 3600,
                  "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": "tue", "start": "09:00", "end": "12:00"}],
}
CLOCK = "2026-06-01T06:00:00Z"
Q = "/api/v1/public/cache/availability?service=cut&from=2026-06-02&to=2026-06-02"


def import_doc(ctx, doc, replace):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    args = ["import", "--db", ctx.db_url, "--file", path] + (["--replace", "yes"] if replace else [])
    harness.bookd(*args)
    os.unlink(path)


def starts(srv):
    r = srv.client.get(Q)
    assert r.status == 200, r
    return [s["start"][11:16] for s in r.json["days"][0]["slots"]]


def eventually(ctx, srv, want):
    """SQLite: the very next answer. PostgreSQL: the notification is asynchronous, so
    within a second."""
    deadline = time.time() + (1.0 if ctx.kind == "postgres" else 0)
    while True:
        got = starts(srv)
        if got == want or time.time() >= deadline:
            assert got == want, got
            return
        time.sleep(0.02)


def test_import_by_another_process_is_seen_at_once(ctx):
    import_doc(ctx, DOC, False)
    srv = ctx.server(test_clock=CLOCK)
    assert starts(srv) == ["09:00", "10:00", "11:00"]
    assert starts(srv) == ["09:00", "10:00", "11:00"]  # the second answer is the cached one
    longer = json.loads(json.dumps(DOC))
    longer["schedules"][0]["end"] = "14:00"
    import_doc(ctx, longer, True)  # another process replaces the business
    eventually(ctx, srv, ["09:00", "10:00", "11:00", "12:00", "13:00"])
    import_doc(ctx, DOC, True)
    eventually(ctx, srv, ["09:00", "10:00", "11:00"])
