"""What a coder's decision is checked against: the code table, the edits, the grey zones.

All three live in `nlp.coding`, which is imported lazily: the queue must keep working
(with a plain format check and no edits) while that package is missing or broken.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from nlp.facts import StudyFacts
from nlp.review.errors import ValidationError

log = logging.getLogger(__name__)

_CODE_RE = re.compile(r"^\d{5}$")


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return found if callable(found) else None


def validate_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """The codes as given (primary first), each a five-digit code the code table knows.

    An empty list is valid: it means no code applies (primary "NONE").
    """
    out = tuple(str(c).strip() for c in codes)
    malformed = [c for c in out if not _CODE_RE.match(c)]
    if malformed:
        raise ValidationError(f"codes must be five digits; fix {', '.join(malformed)}")
    if len(set(out)) != len(out):
        raise ValidationError(f"a code is listed twice in {', '.join(out)}")
    load_table = _optional("nlp.coding.table", "load_table")
    if load_table is None:
        log.warning("nlp.coding.table is unavailable: codes are only checked for format")
        return out
    table = load_table()
    unknown = [c for c in out if c not in table]
    if unknown:
        raise ValidationError(f"unknown code(s) {', '.join(unknown)}: use codes from the table")
    return out


def _facts(facts: Mapping[str, Any]) -> StudyFacts | None:
    try:
        return StudyFacts.from_dict(dict(facts))
    except (TypeError, ValueError, KeyError):
        return None


def run_edits(
    codes: Sequence[str], facts: Mapping[str, Any], dos: dt.date | None
) -> list[dict[str, Any]] | None:
    """The edits' findings on a code set, JSON-ready; None when the edits are unavailable."""
    run = _optional("nlp.coding.edits", "run_edits")
    if run is None:
        return None
    try:
        found = run(tuple(codes), dos=dos, facts=_facts(facts) if facts else None)
    except Exception:  # the edits are being written: a bug there must not block a coder
        log.exception("run_edits failed on %d code(s); decision kept without edits", len(codes))
        return None
    return [_jsonable(e) for e in found]


def _jsonable(edit: Any) -> dict[str, Any]:
    if hasattr(edit, "to_dict"):
        return dict(edit.to_dict())
    if dataclasses.is_dataclass(edit) and not isinstance(edit, type):
        return dataclasses.asdict(edit)
    if isinstance(edit, Mapping):
        return dict(edit)
    return {"message": str(edit)}


def is_grey_zone(facts: Mapping[str, Any], dos: dt.date | None) -> bool:
    """True when the rules route these facts to review (policy section 10); False when
    the rules are unavailable or the facts cannot be read."""
    apply_rules = _optional("nlp.coding.rules", "apply_rules")
    study = _facts(facts)
    if apply_rules is None or study is None:
        return False
    try:
        return bool(apply_rules(study, dos).review)
    except Exception:
        log.exception("apply_rules failed; the decision's review flag defaults to false")
        return False
