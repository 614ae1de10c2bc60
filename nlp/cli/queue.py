"""`spectcoder queue ...` and `spectcoder users ...`: the review queue from the shell.

Thin wrappers over `nlp.review.ReviewStore`. Every command takes `--db URL` (a
PostgreSQL URL or a SQLite path; default $SPECTCODER_DB, else var/spectcoder.db).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from nlp.cli._common import fail
from nlp.review import (
    AuditEntry,
    AuditFilter,
    Item,
    ItemFilter,
    LoadSummary,
    Metrics,
    Page,
    ReviewError,
    ReviewStore,
    ValidationError,
)
from nlp.review.database import resolve_url, sqlite_path
from nlp.review.intake import read_jsonl, read_texts
from nlp.review.tables import ITEM_KINDS, ITEM_STATUSES, ROLES
from nlp.review.types import ItemKind, ItemStatus, Role

queue_app = typer.Typer(
    help="The coder review queue: load scored reports, claim, accept or correct, export.",
    no_args_is_help=True,
)
users_app = typer.Typer(help="The people who work the review queue.", no_args_is_help=True)

Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (postgresql://...) or SQLite file; default $SPECTCODER_DB, "
        "else var/spectcoder.db.",
        show_default=False,
    ),
]
Coder = Annotated[str, typer.Option("--coder", help="Your username.")]
ItemId = Annotated[int, typer.Argument(help="The item id that `queue claim` printed.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
Since = Annotated[
    str | None,
    typer.Option(help="Only from this date or time on (YYYY-MM-DD or ISO time, UTC)."),
]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]

CLIENT = {"app": "spectcoder-cli", "host": socket.gethostname()}


def register(app: typer.Typer) -> None:
    app.add_typer(queue_app, name="queue")
    app.add_typer(users_app, name="users")


# -- helpers ------------------------------------------------------------------------------


def shown_url(url: str) -> str:
    """The database URL as it may be printed: without its password."""
    return make_url(url).render_as_string(hide_password=True)


def open_store(url: str, *, client: dict[str, str], create: bool = False) -> ReviewStore:
    """The store at the resolved database `url`, or a plain error and exit. Unless
    `create` (queue init), a SQLite file that does not exist is an error: a mistyped path
    must not silently start an empty queue."""
    path = sqlite_path(url)
    if not create and path is not None and not path.exists():
        fail(f"there is no queue database at {path}: run 'spectcoder queue init' first")
    try:
        return ReviewStore.open(url, client=client)
    except OperationalError as exc:
        fail(f"cannot open the queue database at {shown_url(url)} ({exc.orig}): check --db", 1)
    except ReviewError as exc:
        fail(str(exc), 1)


@contextmanager
def _store(db: str | None, *, create: bool = False) -> Iterator[ReviewStore]:
    """The store at `db` (see `open_store`), closed after the command; a rejected input
    exits 2, any other review error 1."""
    store = open_store(resolve_url(db), client=CLIENT, create=create)
    try:
        yield store
    except ValidationError as exc:
        fail(str(exc), 2)
    except ReviewError as exc:
        fail(str(exc), 1)
    finally:
        store.close()


def _since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since takes a date (YYYY-MM-DD) or an ISO time, not {value!r}")
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _item_json(item: Item, *, text: bool) -> dict[str, Any]:
    d = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    if not text:
        del d["text"]
    return cast(dict[str, Any], _jsonable(d))


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(_jsonable(value), ensure_ascii=False, indent=2))


def _conf(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _item_line(item: Item) -> str:
    return (
        f"{item.id:>6}  {item.report_id:<20} {item.kind:<6} {item.status:<7} "
        f"conf {_conf(item.confidence):>4}  dos {item.dos or '-'!s:<10}  "
        f"{' '.join(item.suggested_codes) or 'NONE'}"
        + (f"  [{item.claimed_by}]" if item.claimed_by else "")
    )


def _show_item(item: Item, *, text: bool) -> None:
    lease = item.lease_expires_at.isoformat(timespec="seconds") if item.lease_expires_at else "-"
    typer.echo(f"item {item.id}  report {item.report_id}  ({item.kind}, route {item.route})")
    typer.echo(f"  confidence {_conf(item.confidence)}  dos {item.dos or 'unknown'}")
    typer.echo(f"  suggested: {' '.join(item.suggested_codes) or 'NONE'}")
    typer.echo(f"  status {item.status}  held by {item.claimed_by or '-'}  lease until {lease}")
    if text:
        typer.echo("")
        typer.echo(item.text)


def _summary_lines(s: LoadSummary) -> list[str]:
    lines = [
        f"read {s.read} record(s); queued {s.total_enqueued} "
        f"(review {s.enqueued['review']}, audit sample {s.enqueued['audit']}, "
        f"error {s.enqueued['error']})",
        f"already queued {s.already_queued}, auto not sampled {s.not_sampled}, "
        f"out of scope {s.out_of_scope}, repeated in the input {s.duplicates}",
    ]
    if s.error_ids:
        lines.append(
            f"scoring errors: {len(s.error_ids)} ({', '.join(s.error_ids)}): "
            "queued for manual coding when their text was there"
        )
    if s.missing_text:
        lines.append(
            f"skipped, no text: {len(s.missing_text)} ({', '.join(s.missing_text)}): "
            "score with --include-text or pass --texts FILE.jsonl"
        )
    return lines


def _password(stdin: bool) -> str:
    if stdin:
        line = sys.stdin.readline()
        if not line:
            fail("--password-stdin read nothing: pipe the password in")
        return line.rstrip("\r\n")
    return cast(str, typer.prompt("Password", hide_input=True, confirmation_prompt=True))


# -- queue --------------------------------------------------------------------------------


@queue_app.command("init")
def init_cmd(db: Db = None) -> None:
    """Create the queue database, or migrate it to this version's schema.

    Example: spectcoder queue init --db postgresql://coder@db/spectcoder
    """
    with _store(db, create=True) as store:
        typer.echo(
            f"queue database {shown_url(resolve_url(db))} is at schema {store.schema_revision}"
        )


@queue_app.command("load")
def load_cmd(
    scored: Annotated[Path, typer.Argument(help="Scoring records (JSONL), one per report.")],
    texts: Annotated[
        Path | None,
        typer.Option(help='Report texts (JSONL lines {"id", "text", "dos"?}) joined by id.'),
    ] = None,
    audit_sample: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Share of auto-routed reports sampled for audit."),
    ] = 0.05,
    seed: Annotated[int, typer.Option(help="Seed of the audit sample.")] = 0,
    batch: Annotated[str | None, typer.Option(help="A name for this load.")] = None,
    db: Db = None,
) -> None:
    """Queue the reports a coder should see from a scoring output file.

    Review-routed and error-routed reports are queued, plus a sample of auto-routed ones.
    Loading the same file twice queues nothing new. Exits 1 when a record had no text or
    could not be read.

    Example: spectcoder queue load scored.jsonl --texts reports.jsonl --batch 2024-06
    """
    for path in (scored, texts):
        if path is not None and not path.is_file():
            fail(f"cannot read {path}: give an existing JSONL file")
    joined, problems = read_texts(texts) if texts is not None else (None, [])
    bad_lines: list[str] = []

    def records() -> Iterator[dict[str, Any]]:
        for _, obj in read_jsonl(scored):
            if isinstance(obj, str):
                bad_lines.append(f"{scored.name} {obj}")
            else:
                yield obj

    with _store(db) as store:
        summary = store.load(
            records(), texts=joined, audit_sample=audit_sample, seed=seed, batch=batch
        )
    for line in _summary_lines(summary):
        typer.echo(line)
    for problem in problems + bad_lines + summary.invalid:
        typer.echo(f"invalid: {problem}", err=True)
    if not summary.ok or problems or bad_lines:
        raise typer.Exit(1)


@queue_app.command("list")
def list_cmd(
    status: Annotated[str | None, typer.Option(help="pending, claimed, done or held.")] = None,
    kind: Annotated[str | None, typer.Option(help="review, audit or error.")] = None,
    route: Annotated[str | None, typer.Option(help="The scoring route.")] = None,
    batch: Annotated[str | None, typer.Option(help="The load's batch name.")] = None,
    coder: Annotated[str | None, typer.Option(help="Items this user holds.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Rows to skip.")] = 0,
    as_json: AsJson = False,
    db: Db = None,
) -> None:
    """List queue items in priority order.

    Example: spectcoder queue list --status pending --limit 20
    """
    if status is not None and status not in ITEM_STATUSES:
        fail(f"--status is one of {', '.join(ITEM_STATUSES)}")
    if kind is not None and kind not in ITEM_KINDS:
        fail(f"--kind is one of {', '.join(ITEM_KINDS)}")
    filters = ItemFilter(
        status=cast(ItemStatus | None, status),
        kind=cast(ItemKind | None, kind),
        route=route,
        batch=batch,
        claimed_by=coder,
    )
    with _store(db) as store:
        page = store.list_items(filters, Page(limit=limit, offset=offset))
    if as_json:
        _echo_json({"total": page.total, "items": [_item_json(i, text=False) for i in page.items]})
        return
    for item in page.items:
        typer.echo(_item_line(item))
    typer.echo(f"{len(page.items)} of {page.total} item(s) from {offset}")


@queue_app.command("claim")
def claim_cmd(
    coder: Coder,
    lease: Annotated[int, typer.Option(min=1, help="Seconds you hold the item.")] = 900,
    kind: Annotated[str | None, typer.Option(help="Only review, audit or error items.")] = None,
    batch: Annotated[str | None, typer.Option(help="Only items of this batch.")] = None,
    text: Annotated[bool, typer.Option("--text", help="Print the report text too.")] = False,
    as_json: AsJson = False,
    db: Db = None,
) -> None:
    """Take the next item (lowest confidence first) for a while; exits 1 when none is free.

    Example: spectcoder queue claim --coder alice --text
    """
    if kind is not None and kind not in ITEM_KINDS:
        fail(f"--kind is one of {', '.join(ITEM_KINDS)}")
    with _store(db) as store:
        item = store.claim(
            coder,
            lease_seconds=lease,
            filters=ItemFilter(kind=cast(ItemKind | None, kind), batch=batch),
        )
    if item is None:
        typer.echo("no item is waiting", err=True)
        raise typer.Exit(1)
    if as_json:
        _echo_json(_item_json(item, text=text))
    else:
        _show_item(item, text=text)


@queue_app.command("show")
def show_cmd(
    item_id: ItemId,
    text: Annotated[bool, typer.Option("--text", help="Print the report text too.")] = False,
    as_json: AsJson = False,
    db: Db = None,
) -> None:
    """Show one item and its history.

    Example: spectcoder queue show 12 --text
    """
    with _store(db) as store:
        item = store.get_item(item_id)
        history = store.audit(AuditFilter(item_id=item_id))
    if as_json:
        d = _item_json(item, text=text)
        d["history"] = [_jsonable(dataclasses.asdict(e)) for e in history]
        _echo_json(d)
        return
    _show_item(item, text=text)
    for e in history:
        typer.echo(
            f"  {e.at.isoformat(timespec='seconds')}  {e.actor:<12} {e.action:<8} " + _change(e)
        )


def _change(e: AuditEntry) -> str:
    parts = []
    if e.after_codes is not None and e.action in ("accept", "correct", "load"):
        parts.append(" ".join(e.after_codes) or "NONE")
    if e.reason:
        parts.append(f"({e.reason})")
    return " ".join(parts)


@queue_app.command("accept")
def accept_cmd(
    item_id: ItemId,
    coder: Coder,
    review: Annotated[
        bool | None,
        typer.Option(
            "--grey-zone/--no-grey-zone",
            help="Mark the report as a grey zone in the label (default: as the rules say).",
            show_default=False,
        ),
    ] = None,
    db: Db = None,
) -> None:
    """Accept the suggested codes of an item you claimed.

    Example: spectcoder queue accept 12 --coder alice
    """
    with _store(db) as store:
        item = store.accept(item_id, coder, review=review)
    typer.echo(f"item {item.id} accepted: {' '.join(item.suggested_codes) or 'NONE'}")


@queue_app.command("correct")
def correct_cmd(
    item_id: ItemId,
    coder: Coder,
    codes: Annotated[
        str, typer.Option(help="The right codes, primary first, comma-separated; NONE for none.")
    ],
    reason: Annotated[str, typer.Option(help="Why the suggestion was wrong.")],
    modality: Annotated[
        str | None, typer.Option(help="Correct the modality (spect_ct, spect, planar, none).")
    ] = None,
    area_count: Annotated[int | None, typer.Option(min=1, help="Correct the area count.")] = None,
    spect_days: Annotated[int | None, typer.Option(min=1, help="Correct the SPECT days.")] = None,
    quantification: Annotated[
        bool | None,
        typer.Option(
            "--quantification/--no-quantification",
            help="Correct the quantification fact.",
            show_default=False,
        ),
    ] = None,
    review: Annotated[
        bool | None,
        typer.Option(
            "--grey-zone/--no-grey-zone",
            help="Mark the report as a grey zone in the label (default: as the rules say).",
            show_default=False,
        ),
    ] = None,
    db: Db = None,
) -> None:
    """Replace the suggestion of an item you claimed, saying why.

    Example: spectcoder queue correct 12 --coder alice --codes 78832,78835 --reason "two areas"
    """
    code_list = [c.strip() for c in codes.split(",") if c.strip()]
    if code_list == ["NONE"]:
        code_list = []
    given = {
        "modality": modality,
        "area_count": area_count,
        "spect_days": spect_days,
        "quantification": quantification,
    }
    facts = {k: v for k, v in given.items() if v is not None}
    with _store(db) as store:
        item = store.correct(item_id, coder, code_list, reason, facts=facts or None, review=review)
        decision = store.final_decision(item)
    typer.echo(f"item {item.id} corrected: {' '.join(code_list) or 'NONE'}")
    for edit in (decision.edits if decision else None) or ():
        typer.echo(f"  edit {edit.get('severity', '')} {edit.get('id', '')}: {edit.get('message')}")


@queue_app.command("hold")
def hold_cmd(
    item_id: ItemId,
    coder: Coder,
    reason: Annotated[str, typer.Option(help="What a lead should look at.")],
    db: Db = None,
) -> None:
    """Set an item you claimed aside for a lead.

    Example: spectcoder queue hold 12 --coder alice --reason "addendum contradicts technique"
    """
    with _store(db) as store:
        item = store.hold(item_id, coder, reason)
    typer.echo(f"item {item.id} held")


@queue_app.command("release")
def release_cmd(item_id: ItemId, coder: Coder, db: Db = None) -> None:
    """Give an item you claimed back to the queue undecided.

    Example: spectcoder queue release 12 --coder alice
    """
    with _store(db) as store:
        item = store.release(item_id, coder)
    typer.echo(f"item {item.id} released")


@queue_app.command("unhold")
def unhold_cmd(
    item_id: ItemId,
    coder: Annotated[str, typer.Option("--coder", help="Your username (a lead or admin).")],
    reason: Annotated[str | None, typer.Option(help="What was resolved.")] = None,
    db: Db = None,
) -> None:
    """Put a held item back in the queue (leads and admins).

    Example: spectcoder queue unhold 12 --coder lee --reason "policy clarified"
    """
    with _store(db) as store:
        item = store.unhold(item_id, coder, reason=reason)
    typer.echo(f"item {item.id} is pending again")


@queue_app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Argument(help="Where to write the labeled JSONL.")],
    since: Since = None,
    db: Db = None,
) -> None:
    """Write coder decisions as labeled JSONL (corpus/LABELING.md format) for training.

    Example: spectcoder queue export feedback.jsonl --since 2024-06-01
    """
    when = _since(since)
    with _store(db) as store:
        n = store.export(out, since=when)
    typer.echo(f"wrote {n} decision(s) to {out}")


@queue_app.command("audit")
def audit_cmd(
    item: Annotated[int | None, typer.Option(help="Only this item.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only this user (or 'system').")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action (claim, accept...).")] = None,
    since: Since = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows to print.")] = 100,
    as_json: AsJson = False,
    db: Db = None,
) -> None:
    """Print the audit trail, oldest first.

    Example: spectcoder queue audit --actor alice --since 2024-06-01
    """
    filters = AuditFilter(
        item_id=item,
        actor=actor,
        actions=(action,) if action else None,
        since=_since(since),
    )
    with _store(db) as store:
        entries = store.audit(filters, Page(limit=limit))
    if as_json:
        _echo_json([dataclasses.asdict(e) for e in entries])
        return
    for e in entries:
        typer.echo(
            f"{e.id:>7}  {e.at.isoformat(timespec='seconds')}  item {e.item_id or '-':>6}  "
            f"{e.actor:<12} {e.action:<13} " + _change(e)
        )


def _stats_lines(m: Metrics) -> list[str]:
    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.1%}"

    backlog = ", ".join(f"{k} {v}" for k, v in sorted(m.backlog.items())) or "empty"
    lines = [
        f"queue: {backlog}",
        f"decisions: {m.decided} (accepted {m.accepted}, corrected {m.corrected}), "
        f"held {m.held}; agreement {pct(m.agreement)}",
    ]
    for r in m.routes:
        lines.append(
            f"  route {r.route:<12} accepted {r.accepted:>5}  corrected {r.corrected:>5}  "
            f"held {r.held:>4}  agreement {pct(r.agreement)}"
        )
    for c in m.coders:
        rate = "-" if c.items_per_hour is None else f"{c.items_per_hour:.1f}"
        lines.append(
            f"  coder {c.coder:<12} decided {c.decided:>5}  held {c.held:>4}  items/hour {rate}"
        )
    if m.override_reasons:
        lines.append("override reasons:")
        lines.extend(f"  {n:>5}  {reason}" for reason, n in m.override_reasons)
    return lines


@queue_app.command("stats")
def stats_cmd(since: Since = None, as_json: AsJson = False, db: Db = None) -> None:
    """Throughput per coder, agreement with the suggestions, override reasons, backlog.

    Example: spectcoder queue stats --since 2024-06-01
    """
    when = _since(since)
    with _store(db) as store:
        m = store.metrics(since=when)
    if as_json:
        d = dataclasses.asdict(m)
        d["decided"] = m.decided
        _echo_json(d)
        return
    for line in _stats_lines(m):
        typer.echo(line)


# -- users --------------------------------------------------------------------------------


@users_app.command("add")
def users_add_cmd(
    name: Annotated[
        str, typer.Argument(help="The username (lower-case letters, digits, . _ @ -).")
    ],
    role: Annotated[str, typer.Option(help="coder, lead or admin.")] = "coder",
    password_stdin: PasswordStdin = False,
    db: Db = None,
) -> None:
    """Add a user; prompts for the password unless --password-stdin.

    Example: printf '%s\\n' "$PW" | spectcoder users add alice --role coder --password-stdin
    """
    if role not in ROLES:
        fail(f"--role is one of {', '.join(ROLES)}")
    password = _password(password_stdin)
    with _store(db) as store:
        user = store.add_user(name, password, cast(Role, role))
    typer.echo(f"added {user.username} as {user.role}")


@users_app.command("list")
def users_list_cmd(as_json: AsJson = False, db: Db = None) -> None:
    """List the users.

    Example: spectcoder users list
    """
    with _store(db) as store:
        users = store.list_users()
    if as_json:
        _echo_json([dataclasses.asdict(u) for u in users])
        return
    for u in users:
        typer.echo(f"{u.username:<20} {u.role:<6} {'active' if u.active else 'disabled'}")


@users_app.command("passwd")
def users_passwd_cmd(
    name: Annotated[str, typer.Argument(help="The username.")],
    password_stdin: PasswordStdin = False,
    db: Db = None,
) -> None:
    """Set a user's password; prompts for it unless --password-stdin.

    Example: spectcoder users passwd alice
    """
    password = _password(password_stdin)
    with _store(db) as store:
        store.set_password(name, password)
    typer.echo(f"password of {name} changed")


@users_app.command("role")
def users_role_cmd(
    name: Annotated[str, typer.Argument(help="The username.")],
    role: Annotated[str, typer.Argument(help="coder, lead or admin.")],
    db: Db = None,
) -> None:
    """Change a user's role.

    Example: spectcoder users role alice lead
    """
    if role not in ROLES:
        fail(f"ROLE is one of {', '.join(ROLES)}")
    with _store(db) as store:
        user = store.set_role(name, cast(Role, role))
    typer.echo(f"{user.username} is now {user.role}")


def _set_active(name: str, active: bool, db: str | None) -> None:
    with _store(db) as store:
        user = store.set_active(name, active)
    typer.echo(f"{user.username} is {'enabled' if user.active else 'disabled'}")


@users_app.command("disable")
def users_disable_cmd(
    name: Annotated[str, typer.Argument(help="The username.")], db: Db = None
) -> None:
    """Stop a user from signing in, claiming or deciding (their history stays).

    Example: spectcoder users disable alice
    """
    _set_active(name, False, db)


@users_app.command("enable")
def users_enable_cmd(
    name: Annotated[str, typer.Argument(help="The username.")], db: Db = None
) -> None:
    """Let a disabled user work again.

    Example: spectcoder users enable alice
    """
    _set_active(name, True, db)
