"""The review queue: `ReviewStore` loads scoring records, leases items to coders, records
every action in the append-only audit trail, and answers questions about all of it.

Leases: a claim holds an item for `lease_seconds`; only the holder can accept, correct,
hold or release it, and an expired lease is taken over by the next claim (audited as
"expire"). Two coders never hold the same item: PostgreSQL picks the next item with
`SELECT ... FOR UPDATE SKIP LOCKED`, SQLite takes the write lock first (`BEGIN IMMEDIATE`).

Report text never reaches the log: log lines name items, report ids and text hashes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, Self, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.orm import Session

from nlp.review import checks, intake, passwords
from nlp.review.database import (
    SQLITE_IMMEDIATE,
    current_revision,
    ensure_schema,
    make_engine,
    resolve_url,
)
from nlp.review.errors import (
    LeaseError,
    NotFoundError,
    PermissionDeniedError,
    StateError,
    ValidationError,
)
from nlp.review.export import expected_label, label_record, write_jsonl
from nlp.review.metrics import compute_metrics
from nlp.review.tables import ROLES, DecisionRow, ItemRow, UserRow
from nlp.review.types import (
    DECISION_ACTIONS,
    SYSTEM_ACTOR,
    AuditEntry,
    AuditFilter,
    Item,
    ItemFilter,
    ItemKind,
    ItemPage,
    ItemStatus,
    LoadSummary,
    Metrics,
    Page,
    Role,
    User,
)

log = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 900
MAX_LEASE_SECONDS = 24 * 3600
DEFAULT_AUDIT_SAMPLE = 0.05
# Lowest confidence first (a missing confidence, from a failed scoring, counts as
# lowest), then the oldest date of service (unknown dates last); ties by queue order.
DEFAULT_PRIORITY: tuple[str, ...] = ("confidence", "dos")
PRIORITY_KEYS = ("confidence", "dos", "created")
LOAD_CHUNK = 500

T = TypeVar("T")
ItemRef = Item | int


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _batched(values: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk


def priority_order(keys: Sequence[str]) -> list[ColumnElement[Any]]:
    """ORDER BY terms for priority `keys` ("confidence", "dos", "created"; a leading "-"
    reverses one), always ending with the item id so the order is total."""
    order: list[ColumnElement[Any]] = []
    for key in keys:
        name, descending = key.removeprefix("-"), key.startswith("-")
        if name == "confidence":
            col = ItemRow.confidence
            order.append(col.desc().nulls_last() if descending else col.asc().nulls_first())
        elif name == "dos":
            order.append((ItemRow.dos.desc() if descending else ItemRow.dos.asc()).nulls_last())
        elif name == "created":
            order.append(ItemRow.created_at.desc() if descending else ItemRow.created_at.asc())
        else:
            raise ValidationError(
                f"unknown priority key {key!r}: use {', '.join(PRIORITY_KEYS)}, "
                "each optionally prefixed with '-'"
            )
    order.append(ItemRow.id.asc())
    return order


def _item_conditions(f: ItemFilter | None) -> list[ColumnElement[bool]]:
    if f is None:
        return []
    conds: list[ColumnElement[bool]] = []
    for value, column in (
        (f.status, ItemRow.status),
        (f.kind, ItemRow.kind),
        (f.route, ItemRow.route),
        (f.batch, ItemRow.batch),
        (f.claimed_by, ItemRow.claimed_by),
        (f.report_id, ItemRow.report_id),
    ):
        if value is not None:
            conds.append(column == value)
    if f.min_confidence is not None:
        conds.append(ItemRow.confidence >= f.min_confidence)
    if f.max_confidence is not None:
        conds.append(ItemRow.confidence <= f.max_confidence)
    if f.dos_from is not None:
        conds.append(ItemRow.dos >= f.dos_from)
    if f.dos_to is not None:
        conds.append(ItemRow.dos <= f.dos_to)
    return conds


def _audit_conditions(f: AuditFilter | None) -> list[ColumnElement[bool]]:
    if f is None:
        return []
    conds: list[ColumnElement[bool]] = []
    if f.item_id is not None:
        conds.append(DecisionRow.item_id == f.item_id)
    if f.report_id is not None:
        conds.append(DecisionRow.report_id == f.report_id)
    if f.actor is not None:
        conds.append(DecisionRow.actor == f.actor)
    if f.actions is not None:
        conds.append(DecisionRow.action.in_(f.actions))
    if f.since is not None:
        conds.append(DecisionRow.at >= f.since)
    if f.until is not None:
        conds.append(DecisionRow.at < f.until)
    return conds


def _item(row: ItemRow) -> Item:
    return Item(
        id=row.id,
        report_id=row.report_id,
        kind=cast(ItemKind, row.kind),
        route=row.route,
        status=cast(ItemStatus, row.status),
        confidence=row.confidence,
        dos=row.dos,
        suggested_codes=tuple(row.suggested_codes),
        model_version=row.model_version,
        text=row.text,
        text_sha256=row.text_sha256,
        record=row.record,
        claimed_by=row.claimed_by,
        lease_expires_at=row.lease_expires_at,
        batch=row.batch,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _entry(row: DecisionRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        item_id=row.item_id,
        report_id=row.report_id,
        actor=row.actor,
        action=row.action,
        at=row.at,
        before_codes=None if row.before_codes is None else tuple(row.before_codes),
        after_codes=None if row.after_codes is None else tuple(row.after_codes),
        expected=row.expected,
        reason=row.reason,
        model_version=row.model_version,
        edits=None if row.edits is None else tuple(row.edits),
        client=row.client,
    )


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        role=cast(Role, row.role),
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _item_id(item: ItemRef) -> int:
    return item.id if isinstance(item, Item) else int(item)


def _name(username: str) -> str:
    """Usernames are stored lower-case (see `passwords.check_username`)."""
    return username.strip().lower()


def _reason(reason: str | None, what: str) -> str:
    if reason is None or not reason.strip():
        raise ValidationError(f"{what} needs a reason: say why in a sentence")
    return reason.strip()


class ReviewStore:
    """The review queue, its audit trail and its users, in one SQL database.

    `ReviewStore.open(db)` takes a URL or SQLite path (default: $SPECTCODER_DB, else
    `var/spectcoder.db`) and migrates an empty or older schema. Every method runs in its
    own transaction and returns plain values (`Item`, `AuditEntry`, `User`, ...).

    `priority` orders the queue (see `priority_order`); `clock` returns the aware UTC
    time (tests move it); `client` is recorded on every audit row (a web app adds the
    request's address per call); `password_rounds` is bcrypt's cost.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        priority: Sequence[str] = DEFAULT_PRIORITY,
        clock: Callable[[], dt.datetime] = utcnow,
        client: Mapping[str, Any] | None = None,
        password_rounds: int = passwords.DEFAULT_ROUNDS,
        migrate: bool = True,
    ) -> None:
        self.engine = engine
        self.priority = tuple(priority)
        self._order = priority_order(self.priority)
        self._clock = clock
        self._client = dict(client) if client is not None else {"app": "spectcoder"}
        self._rounds = password_rounds
        # Writes on SQLite take the database's write lock up front: two claimers must not
        # both read the same "next" item before either writes.
        self._write_bind = (
            engine.execution_options(**{SQLITE_IMMEDIATE: True})
            if engine.dialect.name == "sqlite"
            else engine
        )
        if migrate:
            ensure_schema(engine)

    @classmethod
    def open(cls, db: str | None = None, **kwargs: Any) -> ReviewStore:
        """A store on `db` (URL or SQLite path; None: $SPECTCODER_DB or the default file)."""
        return cls(make_engine(resolve_url(db)), **kwargs)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_revision(self) -> str | None:
        return current_revision(self.engine)

    # -- sessions and shared steps ------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self._write_bind, expire_on_commit=False) as s, s.begin():
            yield s

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    def _now(self) -> dt.datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the store's clock must return an aware datetime")
        return now.astimezone(dt.UTC)

    def _audit(
        self,
        s: Session,
        *,
        actor: str,
        action: str,
        at: dt.datetime,
        row: ItemRow | None = None,
        before: Sequence[str] | None = None,
        after: Sequence[str] | None = None,
        expected: Mapping[str, Any] | None = None,
        reason: str | None = None,
        edits: list[dict[str, Any]] | None = None,
        client: Mapping[str, Any] | None = None,
    ) -> DecisionRow:
        entry = DecisionRow(
            item_id=row.id if row is not None else None,
            report_id=row.report_id if row is not None else None,
            actor=actor,
            action=action,
            at=at,
            before_codes=None if before is None else list(before),
            after_codes=None if after is None else list(after),
            expected=None if expected is None else dict(expected),
            reason=reason,
            model_version=row.model_version if row is not None else None,
            edits=edits,
            client={**self._client, **(client or {})},
        )
        s.add(entry)
        return entry

    def _active_user(self, s: Session, username: str, roles: Sequence[str] = ROLES) -> UserRow:
        row = s.scalars(select(UserRow).where(UserRow.username == _name(username))).first()
        if row is None or not row.active:
            raise PermissionDeniedError(f"{username!r} is not an active user: add them first")
        if row.role not in roles:
            raise PermissionDeniedError(
                f"{username} is a {row.role}; this needs the role {' or '.join(roles)}"
            )
        return row

    def _locked_item(self, s: Session, item: ItemRef) -> ItemRow:
        item_id = _item_id(item)
        row = s.scalars(select(ItemRow).where(ItemRow.id == item_id).with_for_update()).first()
        if row is None:
            raise NotFoundError(f"there is no item {item_id}")
        return row

    def _leased(self, s: Session, item: ItemRef, coder: str, now: dt.datetime) -> ItemRow:
        """The item, locked, after checking that `coder` holds a live lease on it."""
        self._active_user(s, coder)
        row = self._locked_item(s, item)
        if row.status != "claimed" or row.claimed_by != coder:
            raise LeaseError(f"item {row.id} is not claimed by {coder}: claim it first")
        assert row.lease_expires_at is not None
        if row.lease_expires_at <= now:
            raise LeaseError(
                f"the lease of {coder} on item {row.id} expired at "
                f"{row.lease_expires_at.isoformat()}: claim it again"
            )
        return row

    @staticmethod
    def _set_status(row: ItemRow, status: ItemStatus, now: dt.datetime) -> None:
        row.status = status
        row.claimed_by = None
        row.lease_expires_at = None
        row.updated_at = now

    def _expire(self, s: Session, row: ItemRow, now: dt.datetime) -> None:
        assert row.lease_expires_at is not None
        holder, expired_at = row.claimed_by, row.lease_expires_at
        self._set_status(row, "pending", now)
        self._audit(
            s,
            actor=SYSTEM_ACTOR,
            action="expire",
            at=now,
            row=row,
            reason=f"lease of {holder} expired at {expired_at.isoformat()}",
        )
        log.info("item %d: lease of %s expired", row.id, holder)

    # -- loading ------------------------------------------------------------------------

    def load(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        texts: Mapping[str, intake.ReportText] | None = None,
        audit_sample: float = DEFAULT_AUDIT_SAMPLE,
        seed: int = 0,
        batch: str | None = None,
        actor: str = SYSTEM_ACTOR,
        client: Mapping[str, Any] | None = None,
    ) -> LoadSummary:
        """Queue the scoring `records` a coder should see; see `LoadSummary` for the counts.

        Review-routed records are queued; auto-routed ones when their id falls in the
        `audit_sample` (a rate from 0 to 1, picked by a hash of id and `seed`); error-routed
        ones as kind "error". A report already in the queue is never queued twice, so
        loading the same file again changes nothing. A record's text comes from its "text"
        field, else from `texts` (by id); a record to queue without either is skipped and
        listed in `missing_text`.
        """
        if not 0 <= audit_sample <= 1:
            raise ValidationError(f"the audit sample is a rate from 0 to 1, not {audit_sample}")
        summary = LoadSummary(batch=batch)
        seen: set[str] = set()
        for chunk in _batched(records, LOAD_CHUNK):
            wanted: list[intake.Candidate] = []
            for record in chunk:
                summary.read += 1
                try:
                    found = intake.candidate(record, texts, audit_sample=audit_sample, seed=seed)
                except intake.RecordError as exc:
                    rid = record.get("id")
                    which = f" ({rid})" if isinstance(rid, str) and rid.strip() else ""
                    summary.invalid.append(f"record {summary.read}{which}: {exc}")
                    continue
                if isinstance(found, str):
                    if found == "out_of_scope":
                        summary.out_of_scope += 1
                    else:
                        summary.not_sampled += 1
                    continue
                if found.report_id in seen:
                    summary.duplicates += 1
                    continue
                seen.add(found.report_id)
                if found.kind == "error":
                    summary.error_ids.append(found.report_id)
                wanted.append(found)
            if wanted:
                self._enqueue(wanted, summary, batch=batch, actor=actor, client=client)
        log.info(
            "loaded %d record(s): %d queued, %d already queued, %d without text, %d invalid",
            summary.read,
            summary.total_enqueued,
            summary.already_queued,
            len(summary.missing_text),
            len(summary.invalid),
        )
        return summary

    def _enqueue(
        self,
        wanted: list[intake.Candidate],
        summary: LoadSummary,
        *,
        batch: str | None,
        actor: str,
        client: Mapping[str, Any] | None,
    ) -> None:
        now = self._now()
        with self._write() as s:
            ids = [c.report_id for c in wanted]
            existing = set(s.scalars(select(ItemRow.report_id).where(ItemRow.report_id.in_(ids))))
            rows: list[ItemRow] = []
            for c in wanted:
                if c.report_id in existing:
                    summary.already_queued += 1
                    continue
                if c.text is None:
                    summary.missing_text.append(c.report_id)
                    continue
                rows.append(
                    ItemRow(
                        report_id=c.report_id,
                        kind=c.kind,
                        route=c.route,
                        confidence=c.confidence,
                        dos=c.dos,
                        suggested_codes=list(c.codes),
                        model_version=c.model_version,
                        text=c.text,
                        text_sha256=intake.text_sha256(c.text),
                        record=c.record,
                        status="pending",
                        batch=batch,
                        created_at=now,
                        updated_at=now,
                    )
                )
                summary.enqueued[c.kind] += 1
            s.add_all(rows)
            s.flush()
            for row in rows:
                self._audit(
                    s,
                    actor=actor,
                    action="load",
                    at=now,
                    row=row,
                    after=row.suggested_codes,
                    reason=f"queued as {row.kind}" + (f" in batch {batch}" if batch else ""),
                    client=client,
                )

    # -- leases -------------------------------------------------------------------------

    def claim(
        self,
        coder: str,
        *,
        lease_seconds: int = DEFAULT_LEASE_SECONDS,
        filters: ItemFilter | None = None,
        client: Mapping[str, Any] | None = None,
    ) -> Item | None:
        """The next item for `coder` by priority, leased for `lease_seconds`; None when no
        item is free. A coder who already holds a live lease (matching `filters`) gets that
        item back unchanged, so asking again never piles up claims."""
        if not 0 < lease_seconds <= MAX_LEASE_SECONDS:
            raise ValidationError(f"a lease lasts 1 to {MAX_LEASE_SECONDS} seconds")
        if filters is not None and (filters.status is not None or filters.claimed_by is not None):
            raise ValidationError("claim filters cannot name a status or a holder")
        conds = _item_conditions(filters)
        coder = _name(coder)
        now = self._now()
        with self._write() as s:
            self._active_user(s, coder)
            own = s.scalars(
                select(ItemRow)
                .where(
                    ItemRow.status == "claimed",
                    ItemRow.claimed_by == coder,
                    ItemRow.lease_expires_at > now,
                    *conds,
                )
                .order_by(*self._order)
                .limit(1)
            ).first()
            if own is not None:
                return _item(own)
            claimable = sa.or_(
                ItemRow.status == "pending",
                sa.and_(ItemRow.status == "claimed", ItemRow.lease_expires_at <= now),
            )
            row = s.scalars(
                select(ItemRow)
                .where(claimable, *conds)
                .order_by(*self._order)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            if row.status == "claimed":
                self._expire(s, row, now)
            row.status = "claimed"
            row.claimed_by = coder
            row.lease_expires_at = now + dt.timedelta(seconds=lease_seconds)
            row.updated_at = now
            self._audit(s, actor=coder, action="claim", at=now, row=row, client=client)
            log.info("item %d (report %s) claimed by %s", row.id, row.report_id, coder)
            return _item(row)

    def release(
        self, item: ItemRef, coder: str, *, client: Mapping[str, Any] | None = None
    ) -> Item:
        """Give a claimed item back to the queue undecided."""
        coder = _name(coder)
        now = self._now()
        with self._write() as s:
            row = self._leased(s, item, coder, now)
            self._set_status(row, "pending", now)
            self._audit(s, actor=coder, action="release", at=now, row=row, client=client)
            return _item(row)

    def renew(
        self,
        item: ItemRef,
        coder: str,
        *,
        lease_seconds: int = DEFAULT_LEASE_SECONDS,
        client: Mapping[str, Any] | None = None,
    ) -> Item:
        """Extend a live lease to `lease_seconds` from now (a coder still reading a long
        report); an expired lease cannot be renewed, only claimed again."""
        if not 0 < lease_seconds <= MAX_LEASE_SECONDS:
            raise ValidationError(f"a lease lasts 1 to {MAX_LEASE_SECONDS} seconds")
        coder = _name(coder)
        now = self._now()
        with self._write() as s:
            row = self._leased(s, item, coder, now)
            row.lease_expires_at = now + dt.timedelta(seconds=lease_seconds)
            row.updated_at = now
            self._audit(
                s,
                actor=coder,
                action="renew",
                at=now,
                row=row,
                reason=f"lease until {row.lease_expires_at.isoformat()}",
                client=client,
            )
            return _item(row)

    def expire_leases(self) -> int:
        """Return every item whose lease has run out to the queue (audited); the count.
        Claiming does this for the item it takes; this sweeps the rest, e.g. for stats."""
        now = self._now()
        with self._write() as s:
            rows = s.scalars(
                select(ItemRow)
                .where(ItemRow.status == "claimed", ItemRow.lease_expires_at <= now)
                .order_by(ItemRow.id)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                self._expire(s, row, now)
            return len(rows)

    # -- decisions ----------------------------------------------------------------------

    def accept(
        self,
        item: ItemRef,
        coder: str,
        *,
        review: bool | None = None,
        client: Mapping[str, Any] | None = None,
    ) -> Item:
        """Accept the suggested codes. `review` marks the report as a grey zone in the label
        (default: whatever the coding rules say about the record's facts)."""
        coder = _name(coder)
        now = self._now()
        with self._write() as s:
            row = self._leased(s, item, coder, now)
            if row.kind == "error":
                raise StateError(
                    f"item {row.id} has no suggestion to accept (its scoring failed): "
                    "correct it with the right codes"
                )
            self._decide(
                s, row, coder, "accept", row.suggested_codes, review=review, now=now, client=client
            )
            return _item(row)

    def correct(
        self,
        item: ItemRef,
        coder: str,
        codes: Sequence[str],
        reason: str,
        *,
        facts: Mapping[str, Any] | None = None,
        review: bool | None = None,
        client: Mapping[str, Any] | None = None,
    ) -> Item:
        """Replace the suggestion with `codes` (primary first; [] means no code applies),
        saying why. `facts` may correct the label's modality, area_count, spect_days or
        quantification; the codes must be in the code table, and the edits' findings on
        them are kept with the decision."""
        checked = checks.validate_codes(codes)
        why = _reason(reason, "a correction")
        coder = _name(coder)
        now = self._now()
        with self._write() as s:
            row = self._leased(s, item, coder, now)
            self._decide(
                s,
                row,
                coder,
                "correct",
                checked,
                reason=why,
                overrides=facts,
                review=review,
                now=now,
                client=client,
            )
            return _item(row)

    def _decide(
        self,
        s: Session,
        row: ItemRow,
        coder: str,
        action: str,
        codes: Sequence[str],
        *,
        reason: str | None = None,
        overrides: Mapping[str, Any] | None = None,
        review: bool | None,
        now: dt.datetime,
        client: Mapping[str, Any] | None,
    ) -> None:
        facts = _item(row).facts
        if review is None:
            review = checks.is_grey_zone(facts, row.dos)
        label = expected_label(codes, facts, review=review, overrides=overrides)
        edits = checks.run_edits(codes, facts, row.dos)
        self._set_status(row, "done", now)
        self._audit(
            s,
            actor=coder,
            action=action,
            at=now,
            row=row,
            before=row.suggested_codes,
            after=codes,
            expected=label,
            reason=reason,
            edits=edits,
            client=client,
        )
        log.info("item %d (report %s): %s by %s", row.id, row.report_id, action, coder)

    def hold(
        self,
        item: ItemRef,
        coder: str,
        reason: str,
        *,
        client: Mapping[str, Any] | None = None,
    ) -> Item:
        """Set a claimed item aside for a lead, saying why; it leaves the queue until
        `unhold`."""
        why = _reason(reason, "a hold")
        coder = _name(coder)
        now = self._now()
        with self._write() as s:
            row = self._leased(s, item, coder, now)
            self._set_status(row, "held", now)
            self._audit(
                s,
                actor=coder,
                action="hold",
                at=now,
                row=row,
                before=row.suggested_codes,
                reason=why,
                client=client,
            )
            return _item(row)

    def unhold(
        self,
        item: ItemRef,
        lead: str,
        *,
        reason: str | None = None,
        client: Mapping[str, Any] | None = None,
    ) -> Item:
        """Put a held item back in the queue (leads and admins only)."""
        lead = _name(lead)
        now = self._now()
        with self._write() as s:
            self._active_user(s, lead, roles=("lead", "admin"))
            row = self._locked_item(s, item)
            if row.status != "held":
                raise StateError(f"item {row.id} is {row.status}, not held")
            self._set_status(row, "pending", now)
            self._audit(
                s, actor=lead, action="unhold", at=now, row=row, reason=reason, client=client
            )
            return _item(row)

    # -- reading ------------------------------------------------------------------------

    def get_item(self, item_id: int) -> Item:
        with self._read() as s:
            row = s.get(ItemRow, item_id)
            if row is None:
                raise NotFoundError(f"there is no item {item_id}")
            return _item(row)

    def find_item(self, report_id: str) -> Item | None:
        """The item of a report, by the report's id."""
        with self._read() as s:
            row = s.scalars(select(ItemRow).where(ItemRow.report_id == report_id)).first()
            return None if row is None else _item(row)

    def list_items(self, filters: ItemFilter | None = None, page: Page = Page()) -> ItemPage:
        """Items matching `filters`, in priority order, one page at a time."""
        if page.limit < 1 or page.offset < 0:
            raise ValidationError("a page needs a limit of at least 1 and an offset of 0 or more")
        conds = _item_conditions(filters)
        with self._read() as s:
            total = s.scalar(select(sa.func.count()).select_from(ItemRow).where(*conds)) or 0
            rows = s.scalars(
                select(ItemRow)
                .where(*conds)
                .order_by(*self._order)
                .limit(page.limit)
                .offset(page.offset)
            ).all()
            return ItemPage(items=tuple(_item(r) for r in rows), total=total, page=page)

    def audit(
        self, filters: AuditFilter | None = None, page: Page | None = None
    ) -> list[AuditEntry]:
        """Audit rows matching `filters`, oldest first (all of them when `page` is None)."""
        query = select(DecisionRow).where(*_audit_conditions(filters)).order_by(DecisionRow.id)
        if page is not None:
            query = query.limit(page.limit).offset(page.offset)
        with self._read() as s:
            return [_entry(r) for r in s.scalars(query)]

    def final_decision(self, item: ItemRef) -> AuditEntry | None:
        """The latest accept or correct of an item (None while it is undecided)."""
        entries = self.audit(AuditFilter(item_id=_item_id(item), actions=DECISION_ACTIONS))
        return entries[-1] if entries else None

    def metrics(
        self, since: dt.datetime | None = None, until: dt.datetime | None = None
    ) -> Metrics:
        """Throughput per coder, agreement with the suggestions (overall and by route),
        override reasons, and the current backlog by status, for audit rows at or after
        `since` and before `until` (default: no end; reported as now)."""
        entries = self.audit(
            AuditFilter(
                since=since,
                until=until,
                actions=("claim", "expire", "release", "accept", "correct", "hold"),
            )
        )
        item_ids = {e.item_id for e in entries if e.item_id is not None}
        with self._read() as s:
            routes: dict[int, str] = {}
            for chunk in _batched(sorted(item_ids), 1000):
                found = s.execute(select(ItemRow.id, ItemRow.route).where(ItemRow.id.in_(chunk)))
                routes.update({item_id: route for item_id, route in found})
            counts = s.execute(select(ItemRow.status, sa.func.count()).group_by(ItemRow.status))
            backlog = {status: n for status, n in counts}
        end = until or self._now()
        return compute_metrics(entries, routes, since=since, until=end, backlog=backlog)

    # -- export -------------------------------------------------------------------------

    def export_records(self, since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every accept and correct (made at or after `since`) as a labeled JSONL object,
        in the order they were made."""
        query = (
            select(DecisionRow, ItemRow)
            .join(ItemRow, DecisionRow.item_id == ItemRow.id)
            .where(DecisionRow.action.in_(DECISION_ACTIONS))
            .order_by(DecisionRow.id)
        )
        if since is not None:
            query = query.where(DecisionRow.at >= since)
        with self._read() as s:
            for decision, item in s.execute(query.execution_options(yield_per=500)):
                yield label_record(_entry(decision), _item(item))

    def export(self, path: str | Path, since: dt.datetime | None = None) -> int:
        """Write `export_records(since)` to `path` as JSONL; the number of lines written."""
        return write_jsonl(self.export_records(since), Path(path))

    # -- users --------------------------------------------------------------------------

    def _authorize_admin(self, s: Session, actor: str) -> None:
        if actor != SYSTEM_ACTOR:
            self._active_user(s, actor, roles=("admin",))

    def _user_row(self, s: Session, username: str) -> UserRow:
        row = s.scalars(select(UserRow).where(UserRow.username == _name(username))).first()
        if row is None:
            raise NotFoundError(f"there is no user {username!r}")
        return row

    @staticmethod
    def _check_role(role: str) -> str:
        if role not in ROLES:
            raise ValidationError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
        return role

    def add_user(
        self,
        username: str,
        password: str,
        role: Role = "coder",
        *,
        actor: str = SYSTEM_ACTOR,
        client: Mapping[str, Any] | None = None,
    ) -> User:
        """Add a user (`actor` must be an admin, or the system for the command line)."""
        name = passwords.check_username(username)
        self._check_role(role)
        hashed = passwords.hash_password(password, self._rounds)
        now = self._now()
        with self._write() as s:
            self._authorize_admin(s, actor)
            if s.scalars(select(UserRow.id).where(UserRow.username == name)).first() is not None:
                raise ValidationError(f"user {name} already exists")
            row = UserRow(
                username=name,
                password_hash=hashed,
                role=role,
                active=True,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            self._audit(
                s, actor=actor, action="user_add", at=now, reason=f"{name} as {role}", client=client
            )
            return _user(row)

    def get_user(self, username: str) -> User:
        with self._read() as s:
            return _user(self._user_row(s, username))

    def list_users(self) -> list[User]:
        with self._read() as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def verify_password(self, username: str, password: str) -> User | None:
        """The user when `password` is theirs and they are active; None otherwise."""
        with self._read() as s:
            row = s.scalars(select(UserRow).where(UserRow.username == _name(username))).first()
        usable = row is not None and row.active
        hashed = row.password_hash if row is not None and usable else None
        if passwords.password_matches(password, hashed, self._rounds) and row is not None:
            return _user(row)
        return None

    def set_password(
        self,
        username: str,
        password: str,
        *,
        actor: str = SYSTEM_ACTOR,
        client: Mapping[str, Any] | None = None,
    ) -> None:
        """Change a password (`actor`: the user themself, an admin, or the system)."""
        hashed = passwords.hash_password(password, self._rounds)
        now = self._now()
        with self._write() as s:
            row = self._user_row(s, username)
            if _name(actor) != row.username:
                self._authorize_admin(s, actor)
            row.password_hash = hashed
            row.updated_at = now
            self._audit(
                s, actor=actor, action="user_password", at=now, reason=row.username, client=client
            )

    def set_role(
        self,
        username: str,
        role: Role,
        *,
        actor: str = SYSTEM_ACTOR,
        client: Mapping[str, Any] | None = None,
    ) -> User:
        self._check_role(role)
        now = self._now()
        with self._write() as s:
            self._authorize_admin(s, actor)
            row = self._user_row(s, username)
            row.role = role
            row.updated_at = now
            self._audit(
                s,
                actor=actor,
                action="user_role",
                at=now,
                reason=f"{row.username} is now {role}",
                client=client,
            )
            return _user(row)

    def set_active(
        self,
        username: str,
        active: bool,
        *,
        actor: str = SYSTEM_ACTOR,
        client: Mapping[str, Any] | None = None,
    ) -> User:
        """Enable or disable a user; a disabled user cannot sign in, claim or decide."""
        now = self._now()
        with self._write() as s:
            self._authorize_admin(s, actor)
            row = self._user_row(s, username)
            row.active = active
            row.updated_at = now
            state = "enabled" if active else "disabled"
            self._audit(
                s,
                actor=actor,
                action="user_active",
                at=now,
                reason=f"{row.username} {state}",
                client=client,
            )
            return _user(row)
