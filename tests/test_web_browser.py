"""A coder's and a lead's day in Debian's chromium, against a real `spectcoder serve`.

The server runs in a subprocess on a free loopback port over a seeded SQLite queue; its
whole log is kept and checked for report text at the end. Screenshots of each step go
to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from nlp.review import AuditFilter
from nlp.review.web.demo import score_reports
from tests.review_support import PASSWORD, add_team, open_store
from tests.web_support import (
    ARTIFACTS,
    BONE_SPECT_CT,
    NO_MODEL,
    WITH_EXCLUDED,
    LiveServer,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Queued reports: scored by the real suggester (rules only), so their evidence is real too.
QUEUED = [
    {
        "id": "Q-two-areas",
        "dos": "2024-04-02",
        "text": (
            "EXAM: NM BONE SPECT\nTECHNIQUE: Tc-99m MDP. SPECT of the thoracic spine and of "
            "the pelvis was acquired.\nIMPRESSION: Degenerative change only."
        ),
    },
    {
        "id": "Q-parathyroid",
        "dos": "2024-05-20",
        "text": (
            "EXAM: NM PARATHYROID\nTECHNIQUE: Tc-99m sestamibi. SPECT/CT of the neck; the "
            "CT was used for attenuation correction only.\nIMPRESSION: Right inferior adenoma."
        ),
    },
]
# Phrases of every report the run handles: none may reach the server's log.
SECRET_PHRASES = [
    "lumbar spine",
    "anatomic localization",
    "thoracic spine",
    "Degenerative change",
    "sestamibi",
    "inferior adenoma",
    "prostate cancer",
    "Solitary L3",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)",
            pytrace=False,
        )
    root = tmp_path_factory.mktemp("browser")
    db = root / "web.db"
    store = open_store(f"sqlite:///{quote(str(db))}")
    add_team(store)
    store.load(score_reports(QUEUED, NO_MODEL), batch="browser", audit_sample=1.0)
    store.close()
    live = start_server(db, root / "server.log")
    try:
        yield live
    finally:
        stop_server(live)
        log = live.log()
        (ARTIFACTS / "server.log").write_text(log, encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def shot(page: Any, name: str) -> Path:
    path = ARTIFACTS / f"web-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, base: str, username: str, *, start: str = "/queue") -> None:
    page.goto(base + start)
    assert page.url == f"{base}/login?next={quote(start, safe='')}"
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + start)


def test_web_browser_coder_and_lead_flow(server: LiveServer, browser: Any) -> None:
    base = server.url
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # 1. Signed out: the login page.
    page.goto(base + "/queue")
    page.wait_for_url(re.compile(r".*/login\?next=.*"))
    shot(page, "01-login")

    # 2. A coder signs in and sees the queue.
    sign_in(page, base, "alice")
    rows = page.locator('[data-testid="queue-table"] tbody tr')
    assert rows.count() == 2
    shot(page, "02-queue")

    # 3. Paste a report: 78830, with its evidence highlighted.
    page.get_by_role("link", name="Paste a report").click()
    page.get_by_label("Report text").fill(BONE_SPECT_CT)
    page.get_by_role("button", name="Suggest codes").click()
    page.wait_for_selector('[data-testid="result"]')
    assert page.locator('[data-testid="suggested-codes"]').inner_text() == "78830"
    modality = page.locator('mark.ev[data-fact~="modality"]')
    assert modality.count() == 1
    assert modality.inner_text() == "SPECT/CT"
    assert page.locator('mark.ev[data-fact~="area"]').inner_text() == "lumbar spine"
    assert page.locator('mark.ev[data-fact~="ct_purpose"]').inner_text() == "fused"
    assert page.locator('[data-testid="report"]').inner_text() == BONE_SPECT_CT
    colour = modality.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(207, 226, 255)"  # --g-modality
    shot(page, "03-paste-78830")

    # 3b. Excluded mentions are struck through.
    page.get_by_label("Report text").fill(WITH_EXCLUDED)
    page.get_by_role("button", name="Suggest codes").click()
    page.wait_for_selector('mark.ev-excluded[data-fact~="spect_excluded"] s')
    struck = page.locator('mark.ev-excluded[data-fact~="spect_excluded"] s').first
    assert struck.inner_text() == "SPECT/CT"
    decoration = struck.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert decoration == "line-through"
    shot(page, "04-paste-excluded")

    # 4. Claim the next item with the "n" key from the queue page.
    page.get_by_role("link", name="Queue").click()
    page.wait_for_url(base + "/queue")
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r".*/items/\d+$"))
    item_id = int(page.url.rsplit("/", 1)[1])
    assert page.locator('[data-testid="item-status"]').inner_text() == "claimed"
    assert page.locator("mark.ev").count() > 0
    shot(page, "05-item-claimed")

    # 5. "c" opens the correction with the codes box focused; correct with a reason.
    page.keyboard.press("c")
    codes = page.get_by_label("Codes, primary first")
    assert codes.evaluate("el => el === document.activeElement") is True
    codes.fill("78832")
    page.get_by_label("Reason for the correction").fill("SPECT was acquired on two days")
    shot(page, "06-item-correcting")
    page.get_by_role("button", name="Save correction").click()
    page.wait_for_selector('[data-testid="decision"]')
    assert page.locator('[data-testid="item-status"]').inner_text() == "done"
    decision = page.locator('[data-testid="decision"]').inner_text()
    assert "correct by alice" in decision and "78832" in decision
    shot(page, "07-item-corrected")

    # 6. "n" claims the next item from the item page, "a" accepts it.
    page.keyboard.press("n")
    page.wait_for_url(re.compile(rf".*/items/(?!{item_id}$)\d+$"))
    accepted_id = int(page.url.rsplit("/", 1)[1])
    assert page.locator('[data-testid="item-status"]').inner_text() == "claimed"
    page.keyboard.press("a")
    page.wait_for_selector('[data-testid="decision"]')
    assert page.locator('[data-testid="item-status"]').inner_text() == "done"
    assert "accept by alice" in page.locator('[data-testid="decision"]').inner_text()
    shot(page, "08-item-accepted-by-key")

    # 7. A coder cannot open the audit page.
    response = page.goto(base + "/audit")
    assert response is not None and response.status == 403
    shot(page, "09-coder-forbidden")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/login")

    # 8. A lead sees the correction in the audit trail.
    sign_in(page, base, "lee", start=f"/audit?item={item_id}")
    rows = page.locator('[data-testid="audit-table"] tbody tr')
    assert [r.get_attribute("data-action") for r in rows.all()] == ["load", "claim", "correct"]
    last = rows.nth(2).inner_text()
    assert "alice" in last and "78832" in last and "SPECT was acquired on two days" in last
    shot(page, "10-audit-lead")

    page.get_by_role("link", name="Metrics").click()
    assert page.locator('[data-testid="decided"]').inner_text() == "2"
    assert page.locator('[data-testid="agreement"]').inner_text() == "50%"
    shot(page, "11-metrics")
    context.close()
    # The one failed load is the coder's deliberate visit to the audit page.
    assert errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]

    # The database agrees with what the pages showed.
    store = open_store(f"sqlite:///{quote(str(server.log_path.parent / 'web.db'))}")
    try:
        decisions = store.audit(AuditFilter(actions=("accept", "correct")))
        assert [(e.item_id, e.actor, e.action, e.after_codes, e.reason) for e in decisions] == [
            (item_id, "alice", "correct", ("78832",), "SPECT was acquired on two days"),
            (accepted_id, "alice", "accept", decisions[1].before_codes, None),
        ]
        assert all(e.client is not None and e.client["app"] == "spectcoder-web" for e in decisions)
    finally:
        store.close()


def test_web_browser_server_log_has_no_report_text(server: LiveServer) -> None:
    """Runs after the flow (same module server): the log names requests, never reports."""
    log = server.log()
    assert "POST /paste 200" in log
    assert "POST /items/" in log and "/correct 303" in log
    assert re.search(r"suggested 78830 for paste-\d+ \(sha256 [0-9a-f]{12}, 96 chars\)", log)
    for phrase in SECRET_PHRASES:
        assert phrase not in log, phrase
    assert "?item=" not in log  # no query strings either
