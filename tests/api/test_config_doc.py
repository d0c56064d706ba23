"""The configuration document has one reader for `bookd import` and PUT …/config: a malformed
element at any position of any list is a 422 (or an import error) naming it, never a crash,
and nothing is written."""
import json
import os
import tempfile

import harness
import staff

PW = "correct horse battery staple"
SLUG = "cfgdoc"
DOC = {
    "business": {"slug": SLUG, "name": "Config Doc", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "resources": [{"id": "room", "name": "Room", "capacity": 2}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "providers": ["ann", "bob"]},
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 8,
         "providers": ["ann"], "resources": ["room"]},
    ],
    "schedules": [{"owner": "provider:ann", "weekday": "mon", "start": "09:00", "end": "12:00"},
                  {"owner": "business", "weekday": "sat", "start": "10:00", "end": "14:00"}],
    "overrides": [{"owner": "business", "date": "2026-12-31", "closed": True}],
    "time_off": [{"owner": "provider:bob", "start": "2026-07-01T00:00:00+01:00",
                  "end": "2026-07-08T00:00:00+01:00", "reason": "holiday"}],
    "closures": [{"date": "2026-12-25", "name": "Christmas Day"}],
    "sessions": [{"id": "yoga-1", "service": "yoga", "provider": "ann", "start": "2026-06-03T18:00:00+01:00"}],
}
LISTS = ("providers", "resources", "services", "schedules", "overrides", "time_off", "closures", "sessions")
BAD = (42, "x", None, True, [], {}, {"id": 7}, [{}], 1e308)


def write(doc):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    return path


def setup(ctx):
    harness.import_doc(ctx.db_url, DOC)
    staff.make_user(ctx, SLUG, "owner@cfg.test", "owner", PW)
    ctx.srv = ctx.server(test_clock="2026-05-20T06:00:00Z")
    ctx.owner = staff.login(ctx, SLUG, "owner@cfg.test", PW)


def with_bad(doc, key, pos, bad):
    d = json.loads(json.dumps(doc))
    d[key].insert(pos, bad)
    return d


def test_put_with_a_bad_element_anywhere_is_422_and_changes_nothing(ctx):
    path = "/api/v1/businesses/%s/config" % SLUG
    doc = ctx.owner.get(path).json
    # The reported crash: a bad provider placed before the real ones.
    r = ctx.owner.put(path, body=with_bad(doc, "providers", 0, 42))
    assert r.status == 422, r
    assert "providers[0]" in {e["field"] for e in r.json["errors"]}, r.json
    tried = 0
    for key in LISTS:
        for pos in range(len(doc[key]) + 1):
            for bad in BAD:
                r = ctx.owner.put(path, body=with_bad(doc, key, pos, bad))
                want = "%s[%d]" % (key, pos)
                assert r.status == 422, (want, bad, r)
                got = [e["field"] for e in r.json["errors"]]
                assert got and all(f.startswith(want) for f in got), (want, bad, got)
                tried += 1
    assert tried > 150
    assert ctx.owner.get(path).json == doc
    assert ctx.srv.client.get("/healthz").status == 200
    # The document itself still replaces cleanly.
    assert ctx.owner.put(path, body=doc).status == 200


def test_import_with_a_bad_element_is_refused_at_its_path(ctx):
    for key in LISTS:
        n = len(DOC[key])
        for pos, bad in ((0, 42), (n, {"id": 7})):
            doc = with_bad(DOC, key, pos, bad)
            doc["business"]["slug"] = "imp-bad"
            path = write(doc)
            try:
                p = harness.bookd("import", "--db", ctx.db_url, "--file", path, check=False)
            finally:
                os.unlink(path)
            assert p.returncode == 1, (key, pos, p.stdout, p.stderr)
            assert "%s[%d]" % (key, pos) in p.stderr, (key, pos, p.stderr)
    assert ctx.srv.client.get("/api/v1/public/imp-bad").status == 404


def test_import_and_put_agree_on_references(ctx):
    """Both writers refuse a service naming a provider the document lacks, at the same path."""
    bad = json.loads(json.dumps(DOC))
    bad["services"][0]["providers"] = ["ann", "ghost"]
    path = "/api/v1/businesses/%s/config" % SLUG
    r = ctx.owner.put(path, body=bad)
    assert r.status == 422 and "services[0].providers[1]" in {e["field"] for e in r.json["errors"]}, r
    bad["business"]["slug"] = "imp-ref"
    f = write(bad)
    try:
        p = harness.bookd("import", "--db", ctx.db_url, "--file", f, check=False)
    finally:
        os.unlink(f)
    assert p.returncode == 1 and "services[0].providers[1]" in p.stderr, p.stderr


def test_protection_and_waitlist_settings_travel_with_the_document(ctx):
    """The protection limits and the waiting-list offer time are part of the configuration:
    exported, replaced by PUT (keys left out keep their value), refused at their path when
    bad, and created by `bookd import`."""
    path = "/api/v1/businesses/%s/config" % SLUG
    prot = "/api/v1/businesses/%s/protection" % SLUG
    assert ctx.owner.patch(prot, body={"holds_per_client": 7, "slowdown_after": 40}).status == 200
    assert ctx.owner.patch("/api/v1/businesses/%s/waitlist-settings" % SLUG, body={"offer_s": 900}).status == 200
    doc = ctx.owner.get(path).json
    assert doc["protection"]["holds_per_client"] == 7 and doc["protection"]["slowdown_after"] == 40, doc["protection"]
    assert doc["waitlist"] == {"offer_s": 900}, doc.get("waitlist")

    # A PUT with one key changes that key only; the rest stays.
    doc2 = json.loads(json.dumps(doc))
    doc2["protection"] = {"slowdown_ms": 2500}
    doc2["waitlist"] = {"offer_s": 1200}
    assert ctx.owner.put(path, body=doc2).status == 200
    now = ctx.owner.get(prot).json
    assert now["slowdown_ms"] == 2500 and now["holds_per_client"] == 7 and now["slowdown_after"] == 40, now
    assert ctx.owner.get(path).json["waitlist"] == {"offer_s": 1200}

    # Bad values are named by their path and nothing changes.
    for bad, field in (({"slowdown_ms": -1}, "protection.slowdown_ms"), ({"nope": 1}, "protection.nope"),
                       ("x", "protection")):
        doc3 = json.loads(json.dumps(doc))
        doc3["protection"] = bad
        doc3["business"]["name"] = "Changed"
        r = ctx.owner.put(path, body=doc3)
        assert r.status == 422 and field in {e["field"] for e in r.json["errors"]}, (bad, r)
    doc3 = json.loads(json.dumps(doc))
    doc3["waitlist"] = {"offer_s": 5}
    r = ctx.owner.put(path, body=doc3)
    assert r.status == 422 and "waitlist.offer_s" in {e["field"] for e in r.json["errors"]}, r
    assert ctx.owner.get(prot).json == now
    assert ctx.owner.get(path).json["business"]["name"] == "Config Doc"

    # `bookd import` of the exported document makes a business with the same settings.
    exported = ctx.owner.get(path).json
    exported["business"]["slug"] = "cfg-copy"
    f = write(exported)
    try:
        harness.bookd("import", "--db", ctx.db_url, "--file", f)
    finally:
        os.unlink(f)
    staff.make_user(ctx, "cfg-copy", "owner@copy.test", "owner", PW)
    copy = staff.login(ctx, "cfg-copy", "owner@copy.test", PW)
    assert copy.get("/api/v1/businesses/cfg-copy/protection").json == now
    assert copy.get("/api/v1/businesses/cfg-copy/config").json["waitlist"] == {"offer_s": 1200}


def test_put_assignment_keeps_the_keys_it_leaves_out(ctx):
    """An "assignment" object in PUT …/config changes the keys it has and keeps the others,
    as "protection" does (it used to reset policy and window to their defaults)."""
    path = "/api/v1/businesses/%s/config" % SLUG
    assign = "/api/v1/businesses/%s/assignment" % SLUG
    r = ctx.owner.patch(assign, body={"policy": "least_booked", "window_days": 5,
                                      "priorities": [{"provider_id": "bob", "priority": 3}]})
    assert r.status == 200, r
    doc = ctx.owner.get(path).json
    doc["assignment"] = {"policy": "round_robin"}
    assert ctx.owner.put(path, body=doc).status == 200
    got = ctx.owner.get(assign).json
    assert got["policy"] == "round_robin" and got["window_days"] == 5, got
    assert {p["provider_id"]: p["priority"] for p in got["priorities"]}["bob"] == 3, got
    doc["assignment"] = {"window_days": 9}
    assert ctx.owner.put(path, body=doc).status == 200
    got = ctx.owner.get(assign).json
    assert got["policy"] == "round_robin" and got["window_days"] == 9, got
    doc["assignment"] = {}
    assert ctx.owner.put(path, body=doc).status == 200
    assert ctx.owner.get(assign).json == got


def test_packages_and_group_rules_round_trip(ctx):
    """Packages (definitions) and a service's group rules (sizes, a class's minimum attendance
    and decision time, late joining) are configuration: exported, created by `bookd import`,
    replaced by PUT (a package's sold terms never change; one left out is withdrawn; a service
    left out of "group_rules" goes back to the defaults), refused at their path when bad."""
    path = "/api/v1/businesses/%s/config" % SLUG
    biz = "/api/v1/businesses/%s" % SLUG
    r = ctx.owner.post(biz + "/packages", body={"name": "Ten yoga", "service": "yoga", "sessions": 10,
                                                "price": {"amount_minor": 9000}})
    assert r.status == 201, r
    pkg = r.json["id"]
    assert ctx.owner.put(biz + "/services/yoga/group-rules", body={
        "group_max": 6, "min_attendance": 3, "decide_before_s": 7200, "late_join_s": 600}).status == 200
    assert ctx.owner.put(biz + "/services/cut/group-rules", body={"group_min": 2, "group_max": 3}).status == 200
    doc = ctx.owner.get(path).json
    assert doc["packages"] == [{"id": pkg, "name": "Ten yoga", "service": "yoga", "sessions": 10,
                                "price_minor": 9000, "active": True}], doc["packages"]
    rules = {g["service"]: g for g in doc["group_rules"]}
    assert rules["yoga"] == {"service": "yoga", "group_min": 2, "group_max": 6, "min_attendance": 3,
                             "decide_before_s": 7200, "late_join_s": 600}, rules
    assert rules["cut"]["group_max"] == 3 and set(rules) == {"yoga", "cut"}, rules

    # `bookd import` of the export makes a business with the same packages and rules.
    copy_doc = json.loads(json.dumps(doc))
    copy_doc["business"]["slug"] = "cfg-extras"
    f = write(copy_doc)
    try:
        harness.bookd("import", "--db", ctx.db_url, "--file", f)
    finally:
        os.unlink(f)
    staff.make_user(ctx, "cfg-extras", "owner@extras.test", "owner", PW)
    other = staff.login(ctx, "cfg-extras", "owner@extras.test", PW)
    again = other.get("/api/v1/businesses/cfg-extras/config").json
    assert again["packages"] == doc["packages"] and again["group_rules"] == doc["group_rules"], again
    assert other.get("/api/v1/businesses/cfg-extras/services/yoga/group-rules").json["min_attendance"] == 3

    # PUT: a new price, a second package, only yoga's rules (cut's go back to the defaults).
    doc2 = json.loads(json.dumps(doc))
    doc2["packages"][0]["price_minor"] = 8000
    doc2["packages"].append({"id": "five-cuts", "name": "Five cuts", "service": "cut", "sessions": 5,
                             "price_minor": 10000})
    doc2["group_rules"] = [rules["yoga"]]
    assert ctx.owner.put(path, body=doc2).status == 200
    got = {p["id"]: p for p in ctx.owner.get(biz + "/packages").json["packages"]}
    assert got[pkg]["price"]["amount_minor"] == 8000 and got["five-cuts"]["sessions"] == 5, got
    assert ctx.owner.get(biz + "/services/cut/group-rules").json["group_max"] == 0
    assert ctx.owner.get(biz + "/services/yoga/group-rules").json["decide_before_s"] == 7200

    # A package's sessions cannot change: 409 naming it, and nothing changes.
    doc3 = json.loads(json.dumps(doc2))
    doc3["packages"][0]["sessions"] = 12
    doc3["business"]["name"] = "Changed"
    r = ctx.owner.put(path, body=doc3)
    assert r.status == 409 and "packages:" + pkg in {e["field"] for e in r.json["errors"]}, r
    assert ctx.owner.get(path).json["business"]["name"] == "Config Doc"

    # Bad entries are named by their path.
    for key, bad, field in (("packages", {"name": "X", "service": "nope", "sessions": 1}, "packages[0].service"),
                            ("packages", {"name": "X", "service": "cut", "sessions": 0}, "packages[0].sessions"),
                            ("packages", 7, "packages[0]"),
                            ("group_rules", {"service": "yoga", "group_min": 5, "group_max": 3}, "group_rules[0].group_min"),
                            ("group_rules", {"service": "yoga", "size": 3}, "group_rules[0].size"),
                            ("group_rules", {"service": "zed"}, "group_rules[0].service")):
        bad_doc = json.loads(json.dumps(doc2))
        bad_doc[key] = [bad]
        r = ctx.owner.put(path, body=bad_doc)
        assert r.status == 422 and field in {e["field"] for e in r.json["errors"]}, (bad, r)

    # A package left out of a given list is withdrawn, not deleted; left out entirely, kept.
    doc4 = json.loads(json.dumps(doc2))
    doc4["packages"] = [p for p in doc4["packages"] if p["id"] != pkg]
    assert ctx.owner.put(path, body=doc4).status == 200
    got = {p["id"]: p for p in ctx.owner.get(biz + "/packages").json["packages"]}
    assert got[pkg]["active"] is False and got["five-cuts"]["active"] is True, got
    del doc4["packages"]
    del doc4["group_rules"]
    assert ctx.owner.put(path, body=doc4).status == 200
    assert len(ctx.owner.get(biz + "/packages").json["packages"]) == 2
    assert ctx.owner.get(biz + "/services/yoga/group-rules").json["min_attendance"] == 3
