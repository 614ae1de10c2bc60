"""Fixtures and helpers for the review queue tests (re-exported by tests/conftest.py).

Every store test runs on SQLite and on PostgreSQL. PostgreSQL is the server at
$SPECTCODER_TEST_PG (default: postgres@127.0.0.1:5432/test, trust auth): one database
named spectcoder_test_<random> is created for the test session and dropped at its end,
and each test gets a fresh schema inside it. When the server cannot be reached the
PostgreSQL tests fail (CI requires them); they are never skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from nlp.review import ReviewStore
from nlp.review.database import make_engine, resolve_url

PG_ENV = "SPECTCODER_TEST_PG"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse"
CODERS = ("alice", "bob")
LEAD = "lee"
ADMIN = "ada"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


class Clock:
    """A settable clock for the store: tests move time instead of sleeping."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> dt.datetime:
        self.now += dt.timedelta(seconds=seconds)
        return self.now


def _admin_url() -> URL:
    return make_url(resolve_url(os.environ.get(PG_ENV, PG_DEFAULT)))


def with_search_path(url: str | URL, schema: str) -> str:
    """`url` with every connection's search_path set to `schema` (psycopg `options`)."""
    u = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return u.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of its own for this test session, dropped at the end."""
    admin_url = _admin_url()
    name = f"spectcoder_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    problem = None
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        problem = str(exc.orig).strip()
    if problem is not None:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is unreachable at {admin_url.render_as_string(hide_password=True)} "
            f"({problem}). The review store tests need it and never skip: start the server "
            f"or point {PG_ENV} at one (postgresql://user@host:port/db).",
            pytrace=False,
        )
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{quote(str(tmp_path / 'queue.db'))}"
        return
    base: str = request.getfixturevalue("pg_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(base, schema)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def open_store(url: str, clock: Clock | None = None, **kwargs: Any) -> ReviewStore:
    kwargs.setdefault("password_rounds", 4)
    kwargs.setdefault("client", {"app": "tests"})
    if clock is not None:
        kwargs["clock"] = clock
    return ReviewStore(make_engine(url), **kwargs)


def add_team(store: ReviewStore) -> None:
    for name in CODERS:
        store.add_user(name, PASSWORD)
    store.add_user(LEAD, PASSWORD, "lead")
    store.add_user(ADMIN, PASSWORD, "admin")


@pytest.fixture
def store(db_url: str, clock: Clock) -> Iterator[ReviewStore]:
    """A migrated store on each backend, with coders alice and bob, lead lee, admin ada."""
    s = open_store(db_url, clock)
    add_team(s)
    try:
        yield s
    finally:
        s.close()


FACTS = {
    "modality": "spect_ct",
    "area_count": 1,
    "spect_days": 1,
    "quantification": False,
    "study_type": "bone",
    "ct_purpose": "localization",
    "areas": ["chest"],
}


def scoring_record(
    report_id: str,
    *,
    route: str = "review",
    confidence: float | None = 0.5,
    codes: tuple[str, ...] = ("78830",),
    dos: str | None = "2024-05-01",
    text: str | None = "default",
    facts: dict[str, Any] | None = None,
    model_version: str = "m-2024.06",
) -> dict[str, Any]:
    """A record shaped like `spectcoder score` output."""
    record: dict[str, Any] = {
        "id": report_id,
        "codes": list(codes),
        "primary": codes[0] if codes else "NONE",
        "confidence": confidence,
        "route": route,
        "candidates": [{"codes": list(codes), "score": confidence, "rationale": "rules"}],
        "facts": dict(FACTS if facts is None else facts),
        "evidence": [],
        "edits": [],
        "model_version": model_version,
    }
    if dos is not None:
        record["dos"] = dos
    if text is not None:
        record["text"] = f"SPECT/CT report {report_id}." if text == "default" else text
    return record


def claim_until_empty(url: str, coder: str, ready: Any, go: Any, results: Any) -> None:
    """A coder in a process of its own (own engine): claim and decide until nothing is left,
    then report the item ids decided. Every third item is corrected, the rest accepted."""
    store = open_store(url)
    decided: list[int] = []
    ready.put(coder)
    go.wait()
    try:
        while (item := store.claim(coder)) is not None:
            if item.id % 3 == 0:
                store.correct(item, coder, ["78832"], "two areas were acquired")
            else:
                store.accept(item, coder)
            decided.append(item.id)
    finally:
        store.close()
        results.put((coder, decided))
