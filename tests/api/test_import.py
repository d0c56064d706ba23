"""`bookd import`: a configuration document is validated whole and written all or nothing."""
import json
import os
import tempfile

import harness


def write(doc):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    return path


GOOD = {
    "business": {"slug": "imp", "name": "Import Test", "timezone": "America/New_York", "currency": "USD"},
    "providers": [{"id": "p1", "name": "Pat"}],
    "services": [{"id": "s1", "name": "Consult", "duration_s": 1800, "providers": ["p1"]}],
    "schedules": [{"owner": "provider:p1", "weekday": "mon", "start": "09:00", "end": "17:00"}],
}


def test_import_then_catalogue(ctx):
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(GOOD))
    assert "imported business imp" in p.stdout
    srv = ctx.server()
    r = srv.client.get("/api/v1/public/imp/services")
    assert r.status == 200
    assert r.json["services"][0]["providers"] == [{"id": "p1", "name": "Pat"}]
    assert srv.client.get("/api/v1/public/imp").json["timezone"] == "America/New_York"


def test_import_refuses_existing_slug_without_replace(ctx):
    doc = json.loads(json.dumps(GOOD))
    doc["business"]["slug"] = "twice"
    harness.bookd("import", "--db", ctx.db_url, "--file", write(doc))
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(doc), check=False)
    assert p.returncode == 1 and "business.slug" in p.stderr
    doc["business"]["name"] = "Replaced"
    harness.bookd("import", "--db", ctx.db_url, "--file", write(doc), "--replace", "yes")
    srv = ctx.server()
    assert srv.client.get("/api/v1/public/twice").json["name"] == "Replaced"


def test_bad_document_lists_fields_and_writes_nothing(ctx):
    bad = json.loads(json.dumps(GOOD))
    bad["business"]["slug"] = "imp2"
    bad["business"]["timezone"] = "Mars/Olympus_Mons"
    bad["services"][0]["duration_s"] = "long"
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(bad), check=False)
    assert p.returncode == 1
    assert "business.timezone" in p.stderr, p.stderr
    srv = ctx.server()
    assert srv.client.get("/api/v1/public/imp2").status == 404


def test_late_error_rolls_back_everything(ctx):
    bad = json.loads(json.dumps(GOOD))
    bad["business"]["slug"] = "imp3"
    bad["schedules"][0]["weekday"] = "funday"
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(bad), check=False)
    assert p.returncode == 1 and "schedules[0].weekday" in p.stderr, p.stderr
    srv = ctx.server()
    assert srv.client.get("/api/v1/public/imp3").status == 404


def test_service_that_can_never_be_offered_is_refused(ctx):
    bad = json.loads(json.dumps(GOOD))
    bad["business"]["slug"] = "imp4"
    bad["services"][0]["min_notice_s"] = 30 * 86400
    bad["services"][0]["max_advance_s"] = 7 * 86400
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(bad), check=False)
    assert p.returncode == 1 and "services[0].min_notice_s" in p.stderr, p.stderr


def test_unknown_provider_reference_is_refused(ctx):
    bad = json.loads(json.dumps(GOOD))
    bad["business"]["slug"] = "imp5"
    bad["services"][0]["providers"] = ["ghost"]
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(bad), check=False)
    assert p.returncode == 1 and "services[0].providers[0]" in p.stderr, p.stderr


def test_slot_interval_off_the_minute_is_refused(ctx):
    bad = json.loads(json.dumps(GOOD))
    bad["business"]["slug"] = "imp6"
    bad["services"][0]["slot_interval_s"] = 90
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(bad), check=False)
    assert p.returncode == 1 and "services[0].slot_interval_s" in p.stderr, p.stderr


def test_rental_whose_minimum_passes_its_maximum_is_refused(ctx):
    bad = json.loads(json.dumps(GOOD))
    bad["business"]["slug"] = "imp7"
    bad["services"][0].update({"kind": "rental", "duration_s": 7200, "max_length_s": 3600})
    p = harness.bookd("import", "--db", ctx.db_url, "--file", write(bad), check=False)
    assert p.returncode == 1 and "services[0].duration_s" in p.stderr, p.stderr
