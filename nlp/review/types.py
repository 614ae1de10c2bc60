"""The plain values the review store takes and returns (no ORM objects leave the store)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ItemStatus = Literal["pending", "claimed", "done", "held"]
# Why an item is in the queue: routed to review, sampled from auto for audit, or a
# scoring error to be coded by hand.
ItemKind = Literal["review", "audit", "error"]
Role = Literal["coder", "lead", "admin"]
Action = Literal[
    "load",
    "claim",
    "renew",
    "release",
    "expire",
    "accept",
    "correct",
    "hold",
    "unhold",
    "user_add",
    "user_password",
    "user_role",
    "user_active",
]
DECISION_ACTIONS: tuple[Action, ...] = ("accept", "correct")

SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class Item:
    """One report in the queue, with the scoring record it came from."""

    id: int
    report_id: str
    kind: ItemKind
    route: str
    status: ItemStatus
    confidence: float | None
    dos: dt.date | None
    suggested_codes: tuple[str, ...]
    model_version: str | None
    text: str = field(repr=False)
    text_sha256: str
    record: Mapping[str, Any] = field(repr=False)
    claimed_by: str | None
    lease_expires_at: dt.datetime | None
    batch: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def primary(self) -> str:
        return self.suggested_codes[0] if self.suggested_codes else "NONE"

    @property
    def facts(self) -> Mapping[str, Any]:
        facts = self.record.get("facts")
        return facts if isinstance(facts, Mapping) else {}


@dataclass(frozen=True)
class AuditEntry:
    """One row of the append-only audit trail."""

    id: int
    item_id: int | None
    report_id: str | None
    actor: str
    action: str
    at: dt.datetime
    before_codes: tuple[str, ...] | None
    after_codes: tuple[str, ...] | None
    expected: Mapping[str, Any] | None
    reason: str | None
    model_version: str | None
    edits: tuple[Mapping[str, Any], ...] | None
    client: Mapping[str, Any] | None


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass
class LoadSummary:
    """What `ReviewStore.load` did with each record it read.

    `missing_text` lists records that would have been queued but had no text (skipped);
    `error_ids` lists every error-route record (queued as kind "error" when it had text);
    `invalid` holds one sentence per record that could not be read.
    """

    batch: str | None = None
    read: int = 0
    enqueued: dict[str, int] = field(default_factory=lambda: {"review": 0, "audit": 0, "error": 0})
    already_queued: int = 0
    not_sampled: int = 0
    out_of_scope: int = 0
    duplicates: int = 0
    missing_text: list[str] = field(default_factory=list)
    error_ids: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    @property
    def total_enqueued(self) -> int:
        return sum(self.enqueued.values())

    @property
    def ok(self) -> bool:
        """True when every record was read and none had to be skipped for a missing text."""
        return not self.missing_text and not self.invalid


@dataclass(frozen=True)
class ItemFilter:
    """Which items to list or claim; None means any field. `claim` refuses `status` and
    `claimed_by`, since it only ever takes pending items or expired leases."""

    status: ItemStatus | None = None
    kind: ItemKind | None = None
    route: str | None = None
    batch: str | None = None
    claimed_by: str | None = None
    report_id: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    dos_from: dt.date | None = None
    dos_to: dt.date | None = None


@dataclass(frozen=True)
class Page:
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class ItemPage:
    items: tuple[Item, ...]
    total: int
    page: Page


@dataclass(frozen=True)
class AuditFilter:
    item_id: int | None = None
    report_id: str | None = None
    actor: str | None = None
    actions: tuple[str, ...] | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True)
class CoderMetrics:
    """One coder's work in the window. `items_per_hour` is decisions (accept + correct) per
    hour of time holding leases: each claim to the accept, correct, hold or release
    that ended it."""

    coder: str
    accepted: int
    corrected: int
    held: int
    active_seconds: float
    items_per_hour: float | None

    @property
    def decided(self) -> int:
        return self.accepted + self.corrected


@dataclass(frozen=True)
class RouteMetrics:
    route: str
    accepted: int
    corrected: int
    held: int
    agreement: float | None


@dataclass(frozen=True)
class Metrics:
    """Queue work between `since` and `until`. Agreement with the suggestions is
    accepts / (accepts + corrections); holds are not decisions."""

    since: dt.datetime | None
    until: dt.datetime
    accepted: int
    corrected: int
    held: int
    agreement: float | None
    coders: tuple[CoderMetrics, ...]
    routes: tuple[RouteMetrics, ...]
    override_reasons: tuple[tuple[str, int], ...]
    backlog: Mapping[str, int]

    @property
    def decided(self) -> int:
        return self.accepted + self.corrected
