"""The HTML pages: paste, queue, item actions, audit, metrics, users, docs, logging."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nlp.review import AuditFilter, ReviewStore
from nlp.review.web import create_app
from nlp.review.web.suggesting import SuggestUnavailable
from tests.web_support import BONE_SPECT_CT, R1_TEXT, SECRET, WITH_EXCLUDED, Session, sign_in

MARK_RE = re.compile(
    r'<mark id="s(\d+)" class="([^"]+)" data-fact="([^"]+)" title="[^"]*">(.*?)</mark>'
)


def marks(html: str) -> list[tuple[int, str, str, str]]:
    """(start, classes, facts, inner html) of every highlighted span."""
    return [(int(a), b, c, d) for a, b, c, d in MARK_RE.findall(html)]


def claim_page(s: Session) -> tuple[int, str]:
    r = s.post("/queue/claim")
    assert r.status_code == 303
    item_id = int(r.headers["location"].rsplit("/", 1)[1])
    return item_id, s.client.get(r.headers["location"]).text


# -- paste ---------------------------------------------------------------------------------


def test_web_paste_shows_candidates_and_highlighted_evidence(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    r = s.post("/paste", {"text": BONE_SPECT_CT, "dos": ""})
    assert r.status_code == 200
    html = r.text
    assert (
        '<span class="codes-big" data-testid="suggested-codes"><code class="cpt">78830</code>'
        in html
    )
    assert (23, "ev g-modality", "ct modality", "SPECT/CT") in marks(html)
    assert (39, "ev g-area", "area", "lumbar spine") in marks(html)
    assert (64, "ev g-ct", "ct_purpose", "fused") in marks(html)
    assert (11, "ev g-tracer", "radiopharmaceutical study_type", "Tc-99m MDP") in marks(html)
    # The report is shown whole, highlights and all.
    text = re.sub(r"<[^>]+>", "", re.search(r'data-testid="report">(.*?)</div>', html).group(1))  # type: ignore[union-attr]
    assert text == BONE_SPECT_CT
    assert "<code>SPECT-CT</code> SPECT with a CT acquired in the same session" in html
    assert '<span class="muted small source">from rules</span>' in html
    assert 'class="legend"' in html and "Modality / SPECT" in html
    # The textarea keeps the report for another try.
    assert f">{BONE_SPECT_CT}</textarea>" in html


def test_web_paste_strikes_through_excluded_mentions(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    html = s.post("/paste", {"text": WITH_EXCLUDED, "dos": "2024-03-14"}).text
    excluded = [m for m in marks(html) if "ev-excluded" in m[1]]
    prior = WITH_EXCLUDED.index("Prior SPECT/CT") + len("Prior ")
    assert (prior, "ev g-modality ev-excluded", "spect_excluded", "<s>SPECT/CT</s>") in excluded
    assert "mentioned but excluded" in html
    assert "Date of service: 2024-03-14 (from the record)" in html


@pytest.mark.parametrize(
    ("text", "dos", "message"),
    [
        ("   ", "", "Paste the text of a report first."),
        ("SPECT of the chest.", "14/03/2024", "The date of service must be a date (YYYY-MM-DD)."),
    ],
)
def test_web_paste_refuses_bad_input(web_app: FastAPI, text: str, dos: str, message: str) -> None:
    r = sign_in(web_app, "alice").post("/paste", {"text": text, "dos": dos})
    assert r.status_code == 422
    assert f'<p class="flash flash-error" role="alert">{message}</p>' in r.text


def test_web_paste_says_when_the_engine_is_unavailable(web_store: ReviewStore) -> None:
    def broken(text: str, dos: dt.date | None, report_id: str) -> dict[str, Any]:
        raise SuggestUnavailable("the suggestion engine (nlp.suggest) cannot be loaded")

    app = create_app(web_store, secret_key=SECRET, suggester=broken)
    s = sign_in(app, "alice")
    page = s.post("/paste", {"text": "SPECT of the chest."})
    assert page.status_code == 503
    assert "the suggestion engine (nlp.suggest) cannot be loaded" in page.text
    api = s.api("POST", "/api/suggest", {"text": "SPECT of the chest."})
    assert api.status_code == 503


# -- queue and items -----------------------------------------------------------------------


def _rows(html: str) -> list[str]:
    return re.findall(r'<td><a href="/items/\d+">#\d+</a></td>\s*<td>([^<]+)</td>', html)


def test_web_queue_lists_filters_and_pages(web_app: FastAPI) -> None:
    s = sign_in(web_app, "bob")
    assert _rows(s.client.get("/queue").text) == ["R-1", "R-2", "R-3"]
    assert _rows(s.client.get("/queue?min_confidence=0.5").text) == ["R-2", "R-3"]
    assert _rows(s.client.get("/queue?max_confidence=0.5&route=review").text) == ["R-1"]
    assert _rows(s.client.get("/queue?dos_from=2024-05-05&dos_to=2024-05-31").text) == ["R-2"]
    assert _rows(s.client.get("/queue?status=done").text) == []
    page2 = s.client.get("/queue?size=25&page=1&min_confidence=0.1").text
    assert "3 items, page 1 of 1" in page2
    claim_page(s)
    assert _rows(s.client.get("/queue?status=claimed&coder=BOB").text) == ["R-1"]


def test_web_queue_ignores_malformed_filters_and_says_so(web_app: FastAPI) -> None:
    s = sign_in(web_app, "bob")
    r = s.client.get("/queue?min_confidence=high&dos_from=yesterday&status=odd")
    assert r.status_code == 200
    assert _rows(r.text) == ["R-1", "R-2", "R-3"]
    assert (
        "Ignored: status must be one of pending, claimed, done, held; min confidence must be "
        "a number; dos from must be a date (YYYY-MM-DD)."
    ) in r.text


def test_web_queue_pages_with_size(web_app: FastAPI, web_store: ReviewStore) -> None:
    from tests.review_support import scoring_record

    web_store.load([scoring_record(f"P-{i:02d}", confidence=0.9) for i in range(30)])
    s = sign_in(web_app, "bob")
    first = s.client.get("/queue?size=25").text
    assert "33 items, page 1 of 2" in first
    assert len(_rows(first)) == 25
    assert 'href="/queue?page=2&amp;size=25" rel="next"' in first
    second = s.client.get("/queue?size=25&page=2").text
    assert len(_rows(second)) == 8
    assert 'href="/queue?page=1&amp;size=25" rel="prev"' in second


def test_web_item_page_shows_the_stored_record_and_actions_to_the_holder(
    web_app: FastAPI,
) -> None:
    alice = sign_in(web_app, "alice")
    item_id, html = claim_page(alice)
    assert item_id == 1
    assert 'data-testid="item-status">claimed<' in html
    assert 'id="accept-form"' in html and 'id="correct-form"' in html and 'id="hold-form"' in html
    assert [(m[0], m[2], m[3]) for m in marks(html)] == [
        (0, "modality", "SPECT/CT"),
        (16, "area", "chest"),
        (26, "ct_purpose", "localization"),
        (49, "spect_excluded", "<s>SPECT</s>"),
    ]
    assert "<code>E-1</code> Check the CT purpose." in html
    assert "SPECT without CT: 78803." in html
    # Someone else sees the item but no decision forms.
    other = sign_in(web_app, "bob").client.get(f"/items/{item_id}").text
    assert "</mark>. No prior <mark" in other
    assert 'id="accept-form"' not in other and "held by <strong>alice</strong>" in other


def test_web_item_accept_correct_and_hold_forms(web_app: FastAPI, web_store: ReviewStore) -> None:
    s = sign_in(web_app, "alice")
    first, _ = claim_page(s)
    r = s.post(f"/items/{first}/accept")
    assert (r.status_code, r.headers["location"]) == (303, f"/items/{first}")
    done = s.client.get(f"/items/{first}").text
    assert f"Item {first} accepted. Press n for the next one." in done
    assert 'data-testid="item-status">done<' in done

    second, _ = claim_page(s)
    r = s.post(f"/items/{second}/correct", {"codes": "78831 ", "reason": "Two areas"})
    assert r.status_code == 303
    page = s.client.get(f"/items/{second}").text
    assert f"Item {second} corrected to 78831." in page
    assert "<strong>correct</strong> by alice" in page

    third, _ = claim_page(s)
    assert s.post(f"/items/{third}/hold", {"reason": "Addendum pending"}).status_code == 303
    decided = [
        (e.item_id, e.action, e.after_codes, e.reason)
        for e in web_store.audit(AuditFilter(actions=("accept", "correct", "hold")))
    ]
    assert decided == [
        (first, "accept", ("78830",), None),
        (second, "correct", ("78831",), "Two areas"),
        (third, "hold", None, "Addendum pending"),
    ]
    empty = s.post("/queue/claim")
    assert empty.headers["location"] == "/queue"
    assert "Nothing left to claim: the queue is empty." in s.client.get("/queue").text


def test_web_item_correct_form_keeps_input_on_error(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    item_id, _ = claim_page(s)
    r = s.post(f"/items/{item_id}/correct", {"codes": "99999", "reason": "typo test"})
    assert r.status_code == 422
    assert "unknown code(s) 99999: use codes from the table" in r.text
    assert 'name="codes" value="99999"' in r.text and 'value="typo test"' in r.text
    assert '<details id="correct-details" open>' in r.text
    blank = s.post(f"/items/{item_id}/hold", {"reason": " "})
    assert blank.status_code == 422
    assert "a hold needs a reason: say why in a sentence" in blank.text


def test_web_item_actions_on_an_item_you_do_not_hold_are_flashed(web_app: FastAPI) -> None:
    alice = sign_in(web_app, "alice")
    item_id, _ = claim_page(alice)
    bob = sign_in(web_app, "bob")
    r = bob.post(f"/items/{item_id}/accept")
    assert r.status_code == 303
    assert (
        f"item {item_id} is not claimed by bob: claim it first"
        in bob.client.get(r.headers["location"]).text
    )
    assert bob.client.get("/items/999").status_code == 404


def test_web_lead_unholds_from_the_item_page(web_app: FastAPI, web_store: ReviewStore) -> None:
    alice = sign_in(web_app, "alice")
    item_id, _ = claim_page(alice)
    alice.post(f"/items/{item_id}/hold", {"reason": "Ask the radiologist"})
    lead = sign_in(web_app, "lee")
    page = lead.client.get(f"/items/{item_id}").text
    assert f'action="/items/{item_id}/unhold"' in page
    assert "Ask the radiologist" in page  # the lead sees the history
    assert lead.post(f"/items/{item_id}/unhold", {"reason": ""}).status_code == 303
    assert web_store.get_item(item_id).status == "pending"


# -- audit, metrics, users, docs -----------------------------------------------------------


def test_web_audit_page_filters_by_item_actor_action_and_date(web_app: FastAPI) -> None:
    alice = sign_in(web_app, "alice")
    item_id, _ = claim_page(alice)
    alice.post(f"/items/{item_id}/correct", {"codes": "78831", "reason": "Two areas"})
    lead = sign_in(web_app, "lee")
    html = lead.client.get(f"/audit?item={item_id}").text
    assert re.findall(r'<tr data-action="([a-z_]+)">', html) == ["load", "claim", "correct"]
    assert "<td>Two areas</td>" in html
    only = lead.client.get("/audit?actor=alice&action=correct").text
    assert re.findall(r'<tr data-action="([a-z_]+)">', only) == ["correct"]
    future = lead.client.get("/audit?date_from=2999-01-01").text
    assert "No audit rows match." in future
    today = dt.datetime.now(dt.UTC).date().isoformat()
    same_day = lead.client.get(f"/audit?action=correct&date_from={today}&date_to={today}").text
    assert re.findall(r'<tr data-action="([a-z_]+)">', same_day) == ["correct"]


def test_web_metrics_page(web_app: FastAPI) -> None:
    alice = sign_in(web_app, "alice")
    first, _ = claim_page(alice)
    alice.post(f"/items/{first}/accept")
    second, _ = claim_page(alice)
    alice.post(f"/items/{second}/correct", {"codes": "78831", "reason": "Two areas"})
    html = sign_in(web_app, "lee").client.get("/metrics?days=all").text
    assert 'data-testid="decided">2<' in html
    assert 'data-testid="agreement">50%<' in html
    assert '<tr><td>Two areas</td><td class="num">1</td></tr>' in html
    assert re.search(r"<tr><td>alice</td><td class=\"num\">1</td><td class=\"num\">1</td>", html)


def test_web_users_page_adds_sets_role_and_disables(
    web_app: FastAPI, web_store: ReviewStore
) -> None:
    admin = sign_in(web_app, "ada")
    r = admin.post("/users", {"username": "carol", "password": "long enough", "role": "lead"})
    assert r.status_code == 303
    assert "Added carol as lead." in admin.client.get("/users").text
    admin.post("/users/carol/role", {"role": "coder"})
    admin.post("/users/carol/active", {"active": "0"})
    carol = web_store.get_user("carol")
    assert (carol.role, carol.active) == ("coder", False)
    admin.post("/users/ada/active", {"active": "0"})
    assert (
        "you cannot disable or enable yourself: ask another admin"
        in admin.client.get("/users").text
    )
    assert web_store.get_user("ada").active is True


def test_web_docs_page_describes_the_api(web_app: FastAPI) -> None:
    html = sign_in(web_app, "alice").client.get("/docs").text
    assert "<code>/api/items/{item_id}/correct</code>" in html
    assert "the <code>X-CSRF-Token</code> header on" in html
    assert "<strong>Authentication.</strong>" in html
    assert "Body: <code>CorrectIn</code>" in html


def test_web_docs_markup_is_escaped_first() -> None:
    from nlp.review.web.context import make_templates

    render = make_templates().env.filters["inline_md"]
    assert (
        str(render("<b>`a<`</b> **x**"))
        == "&lt;b&gt;<code>a&lt;</code>&lt;/b&gt; <strong>x</strong>"
    )


# -- logging ---------------------------------------------------------------------------------


def test_web_logs_requests_without_report_text(
    web_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    s = sign_in(web_app, "alice")
    s.post("/paste", {"text": BONE_SPECT_CT})
    s.api("POST", "/api/suggest", {"text": BONE_SPECT_CT})
    item_id, _ = claim_page(s)
    s.client.get(f"/items/{item_id}")
    s.client.get("/queue?coder=alice")
    access = [r.getMessage() for r in caplog.records if r.name == "nlp.review.web.access"]
    assert [re.sub(r" \d+ms$", "", m) for m in access if "/paste" in m or "/suggest" in m] == [
        "POST /paste 200",
        "POST /api/suggest 200",
    ]
    assert any(m.startswith("GET /queue 200") for m in access)  # no query string
    # Everything the server side logged (httpx's lines are the test client's own).
    everything = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    for fragment in ("lumbar spine", "anatomic localization", "Tc-99m", R1_TEXT[:20]):
        assert fragment not in everything
    assert "coder=alice" not in everything


def test_web_unhandled_errors_are_logged_without_their_message(
    web_store: ReviewStore, caplog: pytest.LogCaptureFixture
) -> None:
    def leaky(text: str, dos: dt.date | None, report_id: str) -> dict[str, Any]:
        raise ValueError(f"cannot parse {text!r}")

    app = create_app(web_store, secret_key=SECRET, suggester=leaky)
    s = sign_in(app, "alice")
    client = TestClient(app, raise_server_exceptions=False)
    client.cookies = s.client.cookies
    caplog.set_level(logging.INFO)
    r = client.post(
        "/api/suggest", json={"text": "SECRET REPORT BODY"}, headers={"X-CSRF-Token": s.token}
    )
    assert r.status_code == 500
    assert "SECRET REPORT BODY" not in r.text
    messages = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    assert "unhandled ValueError in POST /api/suggest" in messages
    assert "SECRET REPORT BODY" not in messages


def test_web_engine_missing_a_module_is_unavailable_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from nlp.review.web.suggesting import engine_suggester

    monkeypatch.setitem(sys.modules, "nlp.suggest", None)  # import raises ImportError
    with pytest.raises(SuggestUnavailable) as found:
        engine_suggester("SPECT of the chest.", None, "x")
    assert str(found.value) == (
        "the suggestion engine cannot be loaded (missing module nlp.suggest): install "
        "spectcoder whole, then restart the server"
    )
