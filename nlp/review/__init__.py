"""The coder review queue: a store of the suggestions the system is not sure of, leased to
coders who accept or correct them, with an append-only audit trail that doubles as
training data.

    from nlp.review import ReviewStore
    with ReviewStore.open("var/spectcoder.db") as store:
        store.load(records)
        item = store.claim("alice")
        store.correct(item, "alice", ["78830"], "CT was used for localization")
"""

from __future__ import annotations

from nlp.review.errors import (
    LeaseError,
    NotFoundError,
    PermissionDeniedError,
    ReviewError,
    SchemaError,
    StateError,
    ValidationError,
)
from nlp.review.intake import ReportText
from nlp.review.queue import DEFAULT_LEASE_SECONDS, DEFAULT_PRIORITY, ReviewStore
from nlp.review.types import (
    AuditEntry,
    AuditFilter,
    CoderMetrics,
    Item,
    ItemFilter,
    ItemPage,
    LoadSummary,
    Metrics,
    Page,
    RouteMetrics,
    User,
)

__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "DEFAULT_PRIORITY",
    "AuditEntry",
    "AuditFilter",
    "CoderMetrics",
    "Item",
    "ItemFilter",
    "ItemPage",
    "LeaseError",
    "LoadSummary",
    "Metrics",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "ReportText",
    "ReviewError",
    "ReviewStore",
    "RouteMetrics",
    "SchemaError",
    "StateError",
    "User",
    "ValidationError",
]
