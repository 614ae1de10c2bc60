"""Items, the append-only decisions audit trail, and users.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)

APPEND_ONLY_MESSAGE = "decisions is an append-only audit table"


def upgrade() -> None:
    op.create_table(
        "items",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("report_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("dos", sa.Date, nullable=True),
        sa.Column("suggested_codes", Json, nullable=False),
        sa.Column("model_version", sa.String(100), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("record", Json, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("lease_expires_at", Timestamp, nullable=True),
        sa.Column("batch", sa.String(100), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.UniqueConstraint("report_id", name="uq_items_report_id"),
        sa.CheckConstraint(
            "status IN ('pending', 'claimed', 'done', 'held')", name="ck_items_status"
        ),
        sa.CheckConstraint("kind IN ('review', 'audit', 'error')", name="ck_items_kind"),
    )
    op.create_index("ix_items_queue", "items", ["status", "confidence", "dos"])
    op.create_index("ix_items_claimed_by", "items", ["claimed_by"])
    op.create_index("ix_items_batch", "items", ["batch"])

    op.create_table(
        "decisions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "item_id",
            BigId,
            sa.ForeignKey("items.id", name="fk_decisions_item_id"),
            nullable=True,
        ),
        sa.Column("report_id", sa.String(200), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("before_codes", Json, nullable=True),
        sa.Column("after_codes", Json, nullable=True),
        sa.Column("expected", Json, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("model_version", sa.String(100), nullable=True),
        sa.Column("edits", Json, nullable=True),
        sa.Column("client", Json, nullable=True),
    )
    op.create_index("ix_decisions_item_id", "decisions", ["item_id"])
    op.create_index("ix_decisions_report_id", "decisions", ["report_id"])
    op.create_index("ix_decisions_actor", "decisions", ["actor"])
    op.create_index("ix_decisions_at", "decisions", ["at"])

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.CheckConstraint("role IN ('coder', 'lead', 'admin')", name="ck_users_role"),
    )

    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER decisions_no_{event.lower()} BEFORE {event} ON decisions "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'raise_exception'; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER decisions_no_update_delete BEFORE UPDATE OR DELETE ON decisions "
            "FOR EACH ROW EXECUTE FUNCTION decisions_append_only()"
        )
        # TRUNCATE skips row triggers; it needs its own statement-level trigger.
        op.execute(
            "CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions "
            "FOR EACH STATEMENT EXECUTE FUNCTION decisions_append_only()"
        )
    else:
        raise NotImplementedError(f"no append-only triggers for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER decisions_no_truncate ON decisions")
        op.execute("DROP TRIGGER decisions_no_update_delete ON decisions")
        op.execute("DROP FUNCTION decisions_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER decisions_no_delete")
        op.execute("DROP TRIGGER decisions_no_update")
    op.drop_table("users")
    op.drop_table("decisions")
    op.drop_table("items")
