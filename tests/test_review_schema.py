"""The review store's schema: migrations, drift against the ORM, the append-only audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session

from nlp.review import AuditFilter, ReviewStore, SchemaError
from nlp.review.database import (
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    migrate,
)
from nlp.review.tables import Base, DecisionRow
from tests.review_support import open_store, scoring_record

TABLES = {"alembic_version", "items", "decisions", "users"}


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_review_migrations_empty_to_head_then_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    assert _tables(engine) == set()
    assert current_revision(engine) is None
    assert head_revision() == "0001"

    assert migrate(engine) == "0001"
    assert _tables(engine) == TABLES
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (username, password_hash, role, created_at, updated_at) "
                "VALUES ('zoe', 'x', 'coder', :t, :t)"
            ),
            {"t": "2024-06-03 09:00:00"},
        )

    # A second run changes nothing and keeps the data.
    assert migrate(engine) == "0001"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT username FROM users")).scalars().all() == ["zoe"]
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [
            "0001"
        ]
    engine.dispose()


def test_review_migrations_down_to_base_and_up_again(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    assert downgrade(engine, "base") is None
    assert _tables(engine) == {"alembic_version"}
    assert migrate(engine) == "0001"
    assert _tables(engine) == TABLES
    engine.dispose()


def test_review_models_match_migrations(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
    engine.dispose()


def test_review_store_open_migrates_an_empty_database(db_url: str) -> None:
    store = open_store(db_url)
    assert store.schema_revision == "0001"
    store.close()


def test_review_store_refuses_a_newer_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="revision 9999, which this spectcoder does not know"):
        ReviewStore(engine)
    engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE decisions SET actor = 'mallory'",
        "UPDATE decisions SET after_codes = NULL WHERE action = 'load'",
        "DELETE FROM decisions",
        "DELETE FROM decisions WHERE action = 'load'",
    ],
)
def test_review_audit_rejects_update_and_delete_in_the_database(
    store: ReviewStore, statement: str
) -> None:
    store.load([scoring_record("R-1")])
    before = store.audit()
    with store.engine.connect() as conn, pytest.raises(sa.exc.DatabaseError) as info:
        conn.execute(sa.text(statement))
    assert "decisions is an append-only audit table" in str(info.value)
    assert store.audit() == before


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_review_audit_rejects_truncate_on_postgresql(db_url: str) -> None:
    store = open_store(db_url)
    store.load([scoring_record("R-1")])
    with store.engine.connect() as conn, pytest.raises(sa.exc.DatabaseError) as info:
        conn.execute(sa.text("TRUNCATE decisions CASCADE"))
    assert "decisions is an append-only audit table" in str(info.value)
    assert len(store.audit()) == 1
    store.close()


def test_review_audit_rows_cannot_be_changed_through_the_orm(store: ReviewStore) -> None:
    store.load([scoring_record("R-1")])
    loaded = sa.select(DecisionRow).where(DecisionRow.action == "load")
    with Session(store.engine) as s:
        row = s.scalars(loaded).one()
        row.actor = "mallory"
        with pytest.raises(RuntimeError, match="decisions are append-only: audit row 5"):
            s.flush()
        s.rollback()
        s.delete(s.scalars(loaded).one())
        with pytest.raises(RuntimeError, match="decisions are append-only: audit row 5"):
            s.flush()
    assert [(e.id, e.actor) for e in store.audit(AuditFilter(actions=("load",)))] == [(5, "system")]
