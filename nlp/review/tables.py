"""The review store's tables as SQLAlchemy ORM classes (the migrations create them).

`decisions` is the append-only audit trail: the database rejects UPDATE and DELETE on it
with triggers (see the migrations), and the mapper refuses to flush either.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

ITEM_STATUSES = ("pending", "claimed", "done", "held")
ITEM_KINDS = ("review", "audit", "error")
ROLES = ("coder", "lead", "admin")

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """An aware UTC datetime everywhere: timestamptz on PostgreSQL, naive UTC on SQLite."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    pass


class ItemRow(Base):
    __tablename__ = "items"
    __table_args__ = (
        sa.UniqueConstraint("report_id", name="uq_items_report_id"),
        sa.CheckConstraint(_in("status", ITEM_STATUSES), name="ck_items_status"),
        sa.CheckConstraint(_in("kind", ITEM_KINDS), name="ck_items_kind"),
        sa.Index("ix_items_queue", "status", "confidence", "dos"),
        sa.Index("ix_items_claimed_by", "claimed_by"),
        sa.Index("ix_items_batch", "batch"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    report_id: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16))
    route: Mapped[str] = mapped_column(sa.String(32))
    confidence: Mapped[float | None] = mapped_column(sa.Float)
    dos: Mapped[dt.date | None] = mapped_column(sa.Date)
    suggested_codes: Mapped[list[str]] = mapped_column(Json)
    model_version: Mapped[str | None] = mapped_column(sa.String(100))
    text: Mapped[str] = mapped_column(sa.Text)
    text_sha256: Mapped[str] = mapped_column(sa.String(64))
    record: Mapped[dict[str, Any]] = mapped_column(Json)
    status: Mapped[str] = mapped_column(sa.String(16), server_default="pending")
    claimed_by: Mapped[str | None] = mapped_column(sa.String(64))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    batch: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DecisionRow(Base):
    """One audit row: who did what to which item, when, and the codes before and after."""

    __tablename__ = "decisions"
    __table_args__ = (
        sa.Index("ix_decisions_item_id", "item_id"),
        sa.Index("ix_decisions_report_id", "report_id"),
        sa.Index("ix_decisions_actor", "actor"),
        sa.Index("ix_decisions_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    item_id: Mapped[int | None] = mapped_column(
        BigId, sa.ForeignKey("items.id", name="fk_decisions_item_id")
    )
    report_id: Mapped[str | None] = mapped_column(sa.String(200))
    actor: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(32))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    before_codes: Mapped[list[str] | None] = mapped_column(Json)
    after_codes: Mapped[list[str] | None] = mapped_column(Json)
    # The label a decision sets (modality, area_count, spect_days, quantification, review).
    expected: Mapped[dict[str, Any] | None] = mapped_column(Json)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    model_version: Mapped[str | None] = mapped_column(sa.String(100))
    edits: Mapped[list[dict[str, Any]] | None] = mapped_column(Json)
    client: Mapped[dict[str, Any] | None] = mapped_column(Json)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.CheckConstraint(_in("role", ROLES), name="ck_users_role"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    password_hash: Mapped[str] = mapped_column(sa.String(100))
    role: Mapped[str] = mapped_column(sa.String(16))
    active: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.true())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


def _refuse_change(mapper: Mapper[Any], connection: sa.Connection, target: DecisionRow) -> None:
    raise RuntimeError(f"decisions are append-only: audit row {target.id} cannot be changed")


sa.event.listen(DecisionRow, "before_update", _refuse_change)
sa.event.listen(DecisionRow, "before_delete", _refuse_change)
