"""The JSON API: every action works, answers with the item, and writes its audit row."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from nlp.review import AuditEntry, AuditFilter, ReviewStore
from nlp.review.web import create_app
from tests.review_support import PASSWORD, Clock, scoring_record
from tests.web_support import (
    BONE_SPECT_CT,
    SECRET,
    Session,
    rules_only_suggester,
    seeded_store,
    sign_in,
)

WEB = "spectcoder-web"


def _last(store: ReviewStore, item_id: int) -> AuditEntry:
    return store.audit(AuditFilter(item_id=item_id))[-1]


def _claim(s: Session) -> dict[str, Any]:
    r = s.api("POST", "/api/items/claim")
    assert r.status_code == 200, r.text
    item: dict[str, Any] = r.json()["item"]
    return item


def test_web_api_claim_returns_the_lowest_confidence_item_and_audits(
    web_app: FastAPI, web_store: ReviewStore
) -> None:
    s = sign_in(web_app, "alice")
    item = _claim(s)
    assert (item["id"], item["report_id"], item["status"], item["claimed_by"]) == (
        1,
        "R-1",
        "claimed",
        "alice",
    )
    assert item["text"] == "SPECT/CT of the chest for localization. No prior SPECT."
    assert item["record"]["codes"] == ["78830"]
    assert item["decision"] is None
    entry = _last(web_store, 1)
    assert (entry.actor, entry.action, entry.client) == (
        "alice",
        "claim",
        {"app": WEB, "ip": "testclient"},
    )
    # Asking again gives the same item, without a second claim row.
    assert _claim(s)["id"] == 1
    assert [e.action for e in web_store.audit(AuditFilter(item_id=1))] == ["load", "claim"]


def test_web_api_claim_filters_by_route_and_says_when_nothing_is_free(
    web_app: FastAPI, web_store: ReviewStore
) -> None:
    s = sign_in(web_app, "alice")
    r = s.api("POST", "/api/items/claim", {"route": "auto"})
    assert r.json() == {"item": None}
    for coder in ("alice", "bob", "lee"):
        sign_in(web_app, coder).api("POST", "/api/items/claim")
    assert sign_in(web_app, "ada").api("POST", "/api/items/claim").json() == {"item": None}


def test_web_api_accept(web_app: FastAPI, web_store: ReviewStore) -> None:
    s = sign_in(web_app, "alice")
    item_id = _claim(s)["id"]
    r = s.api("POST", f"/api/items/{item_id}/accept")
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["claimed_by"]) == ("done", None)
    assert (body["decision"]["action"], body["decision"]["after_codes"]) == ("accept", ["78830"])
    entry = _last(web_store, item_id)
    assert (entry.actor, entry.action, entry.before_codes, entry.after_codes) == (
        "alice",
        "accept",
        ("78830",),
        ("78830",),
    )
    assert entry.client == {"app": WEB, "ip": "testclient"}


def test_web_api_correct(web_app: FastAPI, web_store: ReviewStore) -> None:
    s = sign_in(web_app, "alice")
    item_id = _claim(s)["id"]
    r = s.api(
        "POST",
        f"/api/items/{item_id}/correct",
        {"codes": ["78831"], "reason": "Two areas were imaged"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["decision"]["after_codes"] == ["78831"]
    entry = _last(web_store, item_id)
    assert (entry.action, entry.before_codes, entry.after_codes, entry.reason) == (
        "correct",
        ("78830",),
        ("78831",),
        "Two areas were imaged",
    )


def test_web_api_correct_refuses_unknown_codes_and_a_blank_reason(
    web_app: FastAPI, web_store: ReviewStore
) -> None:
    s = sign_in(web_app, "alice")
    item_id = _claim(s)["id"]
    bad = s.api("POST", f"/api/items/{item_id}/correct", {"codes": ["99999"], "reason": "x"})
    assert (bad.status_code, bad.json()) == (
        422,
        {"detail": "unknown code(s) 99999: use codes from the table"},
    )
    blank = s.api("POST", f"/api/items/{item_id}/correct", {"codes": ["78831"], "reason": "  "})
    assert (blank.status_code, blank.json()) == (
        422,
        {"detail": "a correction needs a reason: say why in a sentence"},
    )
    assert _last(web_store, item_id).action == "claim"


def test_web_api_hold_and_unhold(web_app: FastAPI, web_store: ReviewStore) -> None:
    s = sign_in(web_app, "alice")
    item_id = _claim(s)["id"]
    r = s.api("POST", f"/api/items/{item_id}/hold", {"reason": "Addendum pending"})
    assert r.json()["status"] == "held"
    held = _last(web_store, item_id)
    assert (held.actor, held.action, held.reason) == ("alice", "hold", "Addendum pending")
    assert s.api("POST", f"/api/items/{item_id}/unhold").status_code == 403
    lead = sign_in(web_app, "lee")
    r = lead.api("POST", f"/api/items/{item_id}/unhold", {"reason": "Addendum is in"})
    assert r.json()["status"] == "pending"
    back = _last(web_store, item_id)
    assert (back.actor, back.action, back.reason) == ("lee", "unhold", "Addendum is in")


def test_web_api_release_and_renew(web_app: FastAPI, web_store: ReviewStore) -> None:
    s = sign_in(web_app, "alice")
    item = _claim(s)
    renewed = s.api("POST", f"/api/items/{item['id']}/renew")
    assert renewed.status_code == 200
    assert renewed.json()["lease_expires_at"] >= item["lease_expires_at"]
    assert _last(web_store, item["id"]).action == "renew"
    released = s.api("POST", f"/api/items/{item['id']}/release")
    assert (released.json()["status"], released.json()["claimed_by"]) == ("pending", None)
    entry = _last(web_store, item["id"])
    assert (entry.actor, entry.action) == ("alice", "release")


def test_web_api_refuses_decisions_without_a_lease(
    web_app: FastAPI, web_store: ReviewStore
) -> None:
    alice = sign_in(web_app, "alice")
    bob = sign_in(web_app, "bob")
    item_id = _claim(alice)["id"]
    r = bob.api("POST", f"/api/items/{item_id}/accept")
    assert (r.status_code, r.json()) == (
        409,
        {"detail": f"item {item_id} is not claimed by bob: claim it first"},
    )
    missing = bob.api("GET", "/api/items/999")
    assert (missing.status_code, missing.json()) == (404, {"detail": "there is no item 999"})


def test_web_api_queue_filters_and_pages(web_app: FastAPI) -> None:
    s = sign_in(web_app, "bob")
    everything = s.api("GET", "/api/queue").json()
    assert (everything["total"], [i["report_id"] for i in everything["items"]]) == (
        3,
        ["R-1", "R-2", "R-3"],
    )
    assert "text" not in everything["items"][0] and "record" not in everything["items"][0]
    page = s.api("GET", "/api/queue?limit=2&offset=2").json()
    assert ([i["report_id"] for i in page["items"]], page["total"]) == (["R-3"], 3)
    conf = s.api("GET", "/api/queue?min_confidence=0.5&max_confidence=0.7").json()
    assert [i["report_id"] for i in conf["items"]] == ["R-2"]
    dates = s.api("GET", "/api/queue?dos_from=2024-05-05&dos_to=2024-06-30").json()
    assert [i["report_id"] for i in dates["items"]] == ["R-2", "R-3"]
    _claim(s)
    mine = s.api("GET", "/api/queue?status=claimed&coder=bob").json()
    assert [i["report_id"] for i in mine["items"]] == ["R-1"]
    assert s.api("GET", "/api/queue?status=nonsense").status_code == 422


def test_web_api_suggest_returns_the_record_with_evidence_offsets(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    r = s.api("POST", "/api/suggest", {"text": BONE_SPECT_CT, "id": "case-7"})
    assert r.status_code == 200, r.text
    record = r.json()
    assert (record["id"], record["codes"], record["primary"]) == ("case-7", ["78830"], "78830")
    assert record["facts"]["modality"] == "spect_ct"
    assert record["facts"]["area_count"] == 1
    spans = {(e["fact"], e["start"], e["end"]) for e in record["evidence"]}
    assert ("modality", 23, 31) in spans
    assert ("area", 39, 51) in spans
    assert ("ct_purpose", 64, 69) in spans
    for e in record["evidence"]:
        assert BONE_SPECT_CT[e["start"] : e["end"]] == e["text"]
    assert record["candidates"][0]["codes"] == ["78830"]
    assert [step["rule_id"] for step in record["steps"]][:2] == ["DOS-FAMILY", "SPECT-CT"]


def test_web_api_suggest_takes_a_date_and_refuses_empty_text(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    r = s.api("POST", "/api/suggest", {"text": BONE_SPECT_CT, "dos": "2024-03-14"})
    assert (r.json()["dos"], r.json()["dos_source"], r.json()["id"]) == (
        "2024-03-14",
        "record",
        "paste-1",
    )
    assert s.api("POST", "/api/suggest", {"text": ""}).status_code == 422
    assert s.api("POST", "/api/suggest", {"text": "x", "dos": "14/03/2024"}).status_code == 422


def test_web_api_audit_filters(web_app: FastAPI, web_store: ReviewStore) -> None:
    alice = sign_in(web_app, "alice")
    item_id = _claim(alice)["id"]
    alice.api("POST", f"/api/items/{item_id}/correct", {"codes": ["78831"], "reason": "Two"})
    lead = sign_in(web_app, "lee")
    rows = lead.api("GET", f"/api/audit?item_id={item_id}").json()["entries"]
    assert [(e["actor"], e["action"]) for e in rows] == [
        ("system", "load"),
        ("alice", "claim"),
        ("alice", "correct"),
    ]
    by_action = lead.api("GET", "/api/audit?action=correct&actor=ALICE").json()["entries"]
    assert [(e["item_id"], e["after_codes"], e["reason"]) for e in by_action] == [
        (item_id, ["78831"], "Two")
    ]
    assert lead.api("GET", "/api/audit?since=2999-01-01").json()["entries"] == []
    paged = lead.api("GET", "/api/audit?limit=2&offset=1").json()
    assert [e["id"] for e in paged["entries"]] == [
        e.id for e in web_store.audit(AuditFilter())[1:3]
    ]


def test_web_api_metrics(web_app: FastAPI) -> None:
    alice = sign_in(web_app, "alice")
    first = _claim(alice)["id"]
    alice.api("POST", f"/api/items/{first}/accept")
    second = _claim(alice)["id"]
    alice.api("POST", f"/api/items/{second}/correct", {"codes": ["78831"], "reason": "Two"})
    m = sign_in(web_app, "lee").api("GET", "/api/metrics").json()
    assert (m["accepted"], m["corrected"], m["decided"], m["agreement"]) == (1, 1, 2, 0.5)
    assert [(c["coder"], c["accepted"], c["corrected"], c["decided"]) for c in m["coders"]] == [
        ("alice", 1, 1, 2)
    ]
    assert m["override_reasons"] == [{"reason": "Two", "count": 1}]
    assert m["backlog"] == {"done": 2, "pending": 1}
    assert [(r["route"], r["agreement"]) for r in m["routes"]] == [("review", 0.5)]


def test_web_api_users(web_app: FastAPI, web_store: ReviewStore) -> None:
    admin = sign_in(web_app, "ada")
    added = admin.api(
        "POST", "/api/users", {"username": "Carol", "password": "long enough", "role": "coder"}
    )
    assert added.status_code == 201
    assert (added.json()["username"], added.json()["role"]) == ("carol", "coder")
    role = admin.api("POST", "/api/users/carol/role", {"role": "lead"})
    assert role.json()["role"] == "lead"
    off = admin.api("POST", "/api/users/carol/active", {"active": False})
    assert off.json()["active"] is False
    names = [u["username"] for u in admin.api("GET", "/api/users").json()]
    assert names == ["ada", "alice", "bob", "carol", "lee"]
    actions = [
        (e.actor, e.action, e.reason)
        for e in web_store.audit(AuditFilter(actions=("user_add", "user_role", "user_active")))
    ][-3:]
    assert actions == [
        ("ada", "user_add", "carol as coder"),
        ("ada", "user_role", "carol is now lead"),
        ("ada", "user_active", "carol disabled"),
    ]
    self_lock = admin.api("POST", "/api/users/ada/active", {"active": False})
    assert (self_lock.status_code, self_lock.json()) == (
        422,
        {"detail": "you cannot disable or enable yourself: ask another admin"},
    )
    weak = admin.api("POST", "/api/users", {"username": "dan", "password": "short"})
    assert weak.json() == {"detail": "a password needs at least 8 characters"}


def test_web_api_logout(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    assert s.api("POST", "/api/logout").status_code == 204
    assert s.api("GET", "/api/session").status_code == 401


def test_web_api_openapi_lists_every_action(web_app: FastAPI) -> None:
    spec = sign_in(web_app, "alice").api("GET", "/api/openapi.json").json()
    assert sorted(spec["paths"]) == [
        "/api/audit",
        "/api/items/claim",
        "/api/items/{item_id}",
        "/api/items/{item_id}/accept",
        "/api/items/{item_id}/correct",
        "/api/items/{item_id}/hold",
        "/api/items/{item_id}/release",
        "/api/items/{item_id}/renew",
        "/api/items/{item_id}/unhold",
        "/api/login",
        "/api/logout",
        "/api/metrics",
        "/api/queue",
        "/api/session",
        "/api/suggest",
        "/api/users",
        "/api/users/{username}/active",
        "/api/users/{username}/role",
    ]


def test_web_api_works_on_any_store_url(db_url: str) -> None:
    """The same coder's round trip on SQLite and PostgreSQL (the app only sees a store)."""
    store = seeded_store(db_url, Clock())
    try:
        app = create_app(store, secret_key=SECRET, suggester=rules_only_suggester)
        s = sign_in(app, "alice", PASSWORD)
        item = _claim(s)
        done = s.api("POST", f"/api/items/{item['id']}/accept").json()
        assert (done["report_id"], done["status"], done["decision"]["actor"]) == (
            "R-1",
            "done",
            "alice",
        )
        store.load([scoring_record("R-9", confidence=0.1)])
        assert _claim(s)["report_id"] == "R-9"
    finally:
        store.close()
