"""Coder decisions as labeled JSONL (corpus/LABELING.md, policy section 11), for training.

A decision stores its label (`expected`) when it is made, so an export reads the audit
trail and never re-derives what the coder saw.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from nlp.facts import MODALITIES
from nlp.review.errors import ValidationError
from nlp.review.types import AuditEntry, Item

# The facts a label carries besides codes and review, as LABELING.md names them.
LABEL_FACTS = ("modality", "area_count", "spect_days", "quantification")
ACCEPTED_WHY = "accepted suggestion"
FEEDBACK_TAG = "feedback"


def _check_fact(name: str, value: Any) -> Any:
    if name == "modality":
        ok = value is None or value in MODALITIES
        want = f"one of {', '.join(MODALITIES)}"
    elif name == "quantification":
        ok = value is None or isinstance(value, bool)
        want = "true or false"
    else:
        ok = value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0)
        want = "a whole number of at least 1, or null"
    if not ok:
        raise ValidationError(f"{name} must be {want}, got {value!r}")
    return value


def expected_label(
    codes: Sequence[str],
    facts: Mapping[str, Any],
    *,
    review: bool,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The `expected` object of a label: the decided codes, the record's facts where it
    has them (None where not), with the coder's `overrides` on top."""
    unknown = sorted(set(overrides or {}) - set(LABEL_FACTS))
    if unknown:
        raise ValidationError(
            f"only {', '.join(LABEL_FACTS)} can be corrected; not {', '.join(unknown)}"
        )
    label: dict[str, Any] = {"codes": list(codes), "primary": codes[0] if codes else "NONE"}
    for name in LABEL_FACTS:
        if overrides and name in overrides:
            label[name] = _check_fact(name, overrides[name])
        else:
            label[name] = facts.get(name)
    label["review"] = review
    return label


def label_record(decision: AuditEntry, item: Item) -> dict[str, Any]:
    """One labeled JSONL object for an accept or correct decision on `item`."""
    tags = [FEEDBACK_TAG, "accepted" if decision.action == "accept" else "corrected"]
    tags.append(f"queue-{item.kind}")
    study_type = item.facts.get("study_type")
    if isinstance(study_type, str) and study_type not in ("other", ""):
        tags.append(study_type.replace("_", "-"))
    return {
        "id": item.report_id,
        "dos": item.dos.isoformat() if item.dos else None,
        "text": item.text,
        "expected": dict(decision.expected or {}),
        "why": decision.reason or ACCEPTED_WHY,
        "tags": tags,
        "coder": decision.actor,
        "decided_at": decision.at.isoformat(),
        "model_version": decision.model_version,
    }


def write_jsonl(records: Iterable[Mapping[str, Any]], path: Path) -> int:
    """Write one JSON object per line, atomically (a crash leaves the old file); the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
