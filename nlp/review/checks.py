"""What a coder's decision is checked against: the code table, the edits, the grey zones
(all three from `nlp.coding`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nlp.coding import edits, rules
from nlp.coding.table import load_table
from nlp.facts import StudyFacts
from nlp.review.errors import ValidationError

_CODE_RE = re.compile(r"^\d{5}$")


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
) -> list[dict[str, Any]]:
    """The edits' findings on a code set, JSON-ready."""
    found = edits.run_edits(tuple(codes), dos=dos, facts=_facts(facts) if facts else None)
    return [e.to_dict() for e in found]


def is_grey_zone(facts: Mapping[str, Any], dos: dt.date | None) -> bool:
    """True when the rules route these facts to review (policy section 10); False when
    the facts cannot be read."""
    study = _facts(facts)
    return study is not None and rules.apply_rules(study, dos).review
