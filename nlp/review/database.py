"""Where the review queue lives: resolving a database URL, making an engine, migrating.

SQLite (a file, `var/spectcoder.db` by default) and PostgreSQL (psycopg 3) are supported.
The schema is versioned with Alembic; its scripts live in `nlp/review/migrations/` and
are run from here, never from an `alembic.ini`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from nlp.review.errors import SchemaError

DEFAULT_DB_PATH = Path("var") / "spectcoder.db"
DB_ENV = "SPECTCODER_DB"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The execution option that makes a SQLite transaction start with BEGIN IMMEDIATE.
SQLITE_IMMEDIATE = "spectcoder_sqlite_immediate"
# How long a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_S = 30.0
# Key of the PostgreSQL advisory lock that serialises concurrent migrations.
_MIGRATION_LOCK_KEY = 7_310_042_001


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for `db`, else $SPECTCODER_DB, else `var/spectcoder.db` here.

    A value without `://` is a SQLite file path. `postgresql://` and `postgres://` are
    mapped to the psycopg 3 driver.
    """
    value = db or os.environ.get(DB_ENV) or str(DEFAULT_DB_PATH)
    if "://" not in value:
        return f"sqlite:///{value}"
    scheme, rest = value.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return value


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases or in-memory)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and explicit BEGINs."""
    url = resolve_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up
    # front; we turn it off and emit BEGIN ourselves (SQLAlchemy's documented recipe), so a
    # write transaction can be BEGIN IMMEDIATE and two claimers never race.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None: no schema yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> str | None:
    """Upgrade the database to `revision` (default: the newest); a no-op when already there.

    Safe to call from several processes at once: PostgreSQL takes an advisory lock and
    SQLite a write lock before Alembic reads the current revision.
    """
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    found = current_revision(engine)
    if found is not None and found not in known:
        raise SchemaError(
            f"the database schema is at revision {found}, which this spectcoder does not "
            "know: upgrade spectcoder"
        )
    with _migration_connection(engine) as conn:
        command.upgrade(alembic_config(conn), revision)
    return current_revision(engine)


def downgrade(engine: Engine, revision: str) -> str | None:
    """Take the schema back to `revision` ("base": nothing). The audit trail goes with it."""
    with _migration_connection(engine) as conn:
        command.downgrade(alembic_config(conn), revision)
    return current_revision(engine)


def ensure_schema(engine: Engine) -> None:
    """Migrate when the database is empty or older than this code (opening runs this)."""
    if current_revision(engine) != head_revision():
        migrate(engine)


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK_KEY})")
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK_KEY})")
                conn.commit()
    elif engine.dialect.name == "sqlite":
        with engine.connect().execution_options(**{SQLITE_IMMEDIATE: True}) as conn:
            yield conn
    else:
        with engine.connect() as conn:
            yield conn
