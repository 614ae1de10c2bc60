"""From scoring records to queue candidates: which records a coder sees, and their text.

Review-routed records are queued, auto-routed ones are sampled for audit by a hash of
their id (so the same seed and rate always pick the same reports, and re-loading is
idempotent), error-routed ones are queued for manual coding, out-of-scope ones are not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.facts import parse_date
from nlp.review.types import ItemKind

ROUTES = ("auto", "review", "out_of_scope", "error")


@dataclass(frozen=True)
class ReportText:
    text: str
    dos: dt.date | None = None


@dataclass(frozen=True)
class Candidate:
    """A record the queue wants, before it is checked against the database."""

    report_id: str
    kind: ItemKind
    route: str
    confidence: float | None
    dos: dt.date | None
    codes: tuple[str, ...]
    model_version: str | None
    text: str | None
    record: dict[str, Any]


def audit_sampled(report_id: str, rate: float, seed: int) -> bool:
    """Whether an auto-routed report falls in the audit sample (deterministic in id and seed)."""
    if rate <= 0:
        return False
    digest = hashlib.sha256(f"{seed}\x00{report_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RecordError(ValueError):
    """A scoring record that cannot be queued; the message says which field is wrong."""


def _confidence(value: Any, route: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        if route == "error":  # a failed scoring may leave anything here
            return None
        raise RecordError(f"confidence must be a number from 0 to 1, got {value!r}")
    return float(value)


def _date(value: Any, what: str) -> dt.date | None:
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        raise RecordError(f"{what} must be a date as YYYY-MM-DD, got {value!r}") from None


def candidate(
    record: Mapping[str, Any],
    texts: Mapping[str, ReportText] | None,
    *,
    audit_sample: float,
    seed: int,
) -> Candidate | str:
    """The queue candidate for one record, or why it is not queued: "out_of_scope" or
    "not_sampled". Raises `RecordError` for a record that cannot be read."""
    report_id = record.get("id")
    if not isinstance(report_id, str) or not report_id.strip():
        raise RecordError(f"no string 'id' (got {report_id!r})")
    route = record.get("route")
    if route not in ROUTES:
        raise RecordError(f"route must be one of {', '.join(ROUTES)}, got {route!r}")
    kind: ItemKind
    if route == "review":
        kind = "review"
    elif route == "error":
        kind = "error"
    elif route == "auto":
        if not audit_sampled(report_id, audit_sample, seed):
            return "not_sampled"
        kind = "audit"
    else:
        return "out_of_scope"

    codes = record.get("codes") or []
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        if route != "error":
            raise RecordError("codes must be a list of strings")
        codes = []
    confidence = _confidence(record.get("confidence"), route)
    joined = texts.get(report_id) if texts is not None else None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        text = joined.text if joined is not None else None
    facts = record.get("facts")
    facts_dos = facts.get("dos") if isinstance(facts, Mapping) else None
    dos = (
        _date(record.get("dos"), "dos")
        or (joined.dos if joined is not None else None)
        or _date(facts_dos, "facts.dos")
    )
    model_version = record.get("model_version")
    stored = {k: v for k, v in record.items() if k != "text"}
    return Candidate(
        report_id=report_id,
        kind=kind,
        route=route,
        confidence=confidence,
        dos=dos,
        codes=tuple(codes),
        model_version=str(model_version) if model_version is not None else None,
        text=text,
        record=stored,
    )


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, object) per non-blank line; a line that is not a JSON object gives
    (line number, why) instead, so the caller can report it and go on."""
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, f"line {n}: not JSON ({exc.msg})"
                continue
            if not isinstance(obj, dict):
                yield n, f"line {n}: not a JSON object"
                continue
            yield n, obj


def read_texts(path: Path) -> tuple[dict[str, ReportText], list[str]]:
    """Report texts by id from lines `{"id", "text", "dos"?}`, and one sentence per bad line."""
    texts: dict[str, ReportText] = {}
    problems: list[str] = []
    for n, obj in read_jsonl(path):
        if isinstance(obj, str):
            problems.append(f"{path.name} {obj}")
            continue
        rid, text = obj.get("id"), obj.get("text")
        if not isinstance(rid, str) or not isinstance(text, str):
            problems.append(f"{path.name} line {n}: needs a string 'id' and 'text'")
            continue
        try:
            dos = _date(obj.get("dos"), "dos")
        except RecordError as exc:
            problems.append(f"{path.name} line {n}: {exc}")
            continue
        texts[rid] = ReportText(text=text, dos=dos)
    return texts, problems
