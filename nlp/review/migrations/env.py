"""Alembic environment for the review queue: runs on the connection that `migrate` hands in."""

from __future__ import annotations

from alembic import context

from nlp.review.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run the review migrations through nlp.review.database.migrate "
        "(or `spectcoder queue init`), not the alembic command"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters tables by copying them; later revisions need batch mode there.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
