"""Helpers for the web app tests: a seeded SQLite store, signed-in TestClients, a live
`spectcoder serve` process for the browser tests.

Users (password `PASSWORD`): coders alice and bob, lead lee, admin ada (from
tests.review_support). Items: three hand-made review records, R-1..R-3, the first with
evidence spans over its text.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nlp.review import ReviewStore
from nlp.review.web import create_app
from tests.review_support import PASSWORD, Clock, add_team, open_store, scoring_record

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
SECRET = "test-secret-key"
# A path with no model in it: `nlp.suggest` then ranks with the rules alone.
NO_MODEL = ROOT / "tests" / "no-model"

# The report of the brief: one-area bone SPECT/CT with a localization CT.
BONE_SPECT_CT = (
    "TECHNIQUE: Tc-99m MDP. SPECT/CT of the lumbar spine; "
    "the CT was fused for anatomic localization."
)
# A report with mentions the pipeline excludes (historical, recommended).
WITH_EXCLUDED = (ROOT / "nlp" / "samples" / "bone-spect-ct.txt").read_text(encoding="utf-8")

R1_TEXT = "SPECT/CT of the chest for localization. No prior SPECT."
R1_EVIDENCE = [
    {
        "fact": "modality",
        "text": "SPECT/CT",
        "start": 0,
        "end": 8,
        "section": "technique",
        "value": "spect_ct",
    },
    {
        "fact": "area",
        "text": "chest",
        "start": 16,
        "end": 21,
        "section": "technique",
        "value": "chest",
    },
    {
        "fact": "ct_purpose",
        "text": "localization",
        "start": 26,
        "end": 38,
        "section": "technique",
        "value": "localization",
    },
    {
        "fact": "spect_excluded",
        "text": "SPECT",
        "start": 49,
        "end": 54,
        "section": "other",
        "context": "historical",
        "cue": "prior",
    },
]


def seed_records() -> list[dict[str, Any]]:
    r1 = scoring_record("R-1", confidence=0.42, codes=("78830",), dos="2024-05-01", text=R1_TEXT)
    r1["evidence"] = R1_EVIDENCE
    r1["steps"] = [{"rule_id": "SPECT-CT", "message": "SPECT with a localization CT."}]
    r1["edits"] = [
        {"id": "E-1", "severity": "warning", "message": "Check the CT purpose.", "codes": ["78830"]}
    ]
    r1["candidates"] = [
        {"codes": ["78830"], "score": 0.42, "rationale": "SPECT/CT: 78830."},
        {"codes": ["78803"], "score": 0.31, "rationale": "SPECT without CT: 78803."},
    ]
    return [
        r1,
        scoring_record(
            "R-2", confidence=0.61, codes=("78803",), dos="2024-05-10", text="SPECT of the pelvis."
        ),
        scoring_record(
            "R-3",
            confidence=0.88,
            codes=("78831",),
            dos="2024-06-01",
            text="SPECT of the chest and pelvis.",
        ),
    ]


def seeded_store(url: str, clock: Clock | None = None) -> ReviewStore:
    store = open_store(url, clock)
    add_team(store)
    store.load(seed_records(), batch="b1")
    return store


@pytest.fixture
def web_store(tmp_path: Path) -> Iterator[ReviewStore]:
    """A SQLite store with the team and items R-1..R-3 (the real clock: leases are live)."""
    store = seeded_store(f"sqlite:///{quote(str(tmp_path / 'web.db'))}")
    try:
        yield store
    finally:
        store.close()


@lru_cache(maxsize=1)
def _rules_only() -> Any:
    from nlp.suggest import Suggester

    return Suggester(ranker=None)


def rules_only_suggester(text: str, dos: dt.date | None, report_id: str) -> dict[str, Any]:
    """The real `nlp.suggest` path without a ranker: the web tests check the web app, so
    they must not change when the model is retrained (codes and evidence come from the
    rules either way; routes are all "review")."""
    record: dict[str, Any] = _rules_only().suggest(text, dos).to_record(id=report_id)
    return record


@pytest.fixture
def web_app(web_store: ReviewStore) -> FastAPI:
    return create_app(web_store, secret_key=SECRET, suggester=rules_only_suggester)


_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    found = _CSRF_RE.search(html)
    assert found is not None, "no CSRF token in the page"
    return found.group(1)


@dataclass
class Session:
    """A TestClient signed in through the login form, with its CSRF token."""

    client: TestClient
    token: str
    username: str

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        """A form POST with the CSRF token (no redirects followed)."""
        return self.client.post(
            url, data={"csrf_token": self.token, **(data or {})}, follow_redirects=False, **kw
        )

    def api(self, method: str, url: str, json: Any = None) -> httpx.Response:
        headers = {"X-CSRF-Token": self.token} if method.upper() != "GET" else {}
        return self.client.request(method, url, json=json, headers=headers)


def sign_in(app: FastAPI, username: str, password: str = PASSWORD) -> Session:
    client = TestClient(app)
    token = form_token(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    token = client.get("/api/session").json()["csrf_token"]
    return Session(client=client, token=token, username=username)


# -- a live server for the browser tests ------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_server(db: Path, log_path: Path, timeout: float = 90.0) -> LiveServer:
    """`spectcoder serve` on a free loopback port, its stdout and stderr in `log_path`."""
    port = free_port()
    # No model for the server either (see `rules_only_suggester`).
    env = {
        **os.environ,
        "SPECTCODER_SECRET_KEY": SECRET,
        "SPECTCODER_MODEL": str(NO_MODEL),
        "PYTHONUNBUFFERED": "1",
    }
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from nlp.cli import main; main()",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    log_file.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return LiveServer(url=url, log_path=log_path, process=process)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the server did not answer within {timeout:.0f}s:\n{log_path.read_text()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)
