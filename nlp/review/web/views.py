"""Scoring records and store values turned into what the pages draw and the API returns.

A record is whatever `nlp.suggest` wrote (see `Suggestion.to_record`); records in the
queue may be older or partial, so every field is read defensively.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nlp.review import AuditEntry, Item, Metrics, User
from nlp.review.web.highlight import Highlighted, highlight

# Facts shown in the summary table, in this order, when the record has them.
KEY_FACTS: tuple[tuple[str, str], ...] = (
    ("study_type", "Study type"),
    ("modality", "Modality"),
    ("ct_purpose", "CT purpose"),
    ("areas", "Areas"),
    ("area_count", "Area count"),
    ("acquisitions", "Acquisitions"),
    ("spect_days", "SPECT days"),
    ("quantification", "Quantification"),
    ("whole_body_planar", "Whole-body planar"),
    ("whole_body_bone", "Whole-body bone imaging"),
    ("whole_body_bone_beside", "Bone whole body beside another tracer's"),
    ("radiopharmaceuticals", "Radiopharmaceuticals"),
    ("dos", "Date of service (text)"),
)
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists, all the way down."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(str(c) for c in _list(value))


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class CandidateView:
    rank: int
    codes: tuple[str, ...]
    score: float | None
    rationale: str
    chosen: bool
    source: str | None = None


@dataclass(frozen=True)
class EditView:
    id: str
    severity: str
    message: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class StepView:
    rule_id: str
    message: str


@dataclass(frozen=True)
class SuggestionView:
    """One scored report, ready for the templates."""

    codes: tuple[str, ...]
    confidence: float | None
    route: str | None
    family: str | None
    dos: str | None
    dos_source: str | None
    model_version: str | None
    candidates: tuple[CandidateView, ...]
    steps: tuple[StepView, ...]
    edits: tuple[EditView, ...]
    review_reasons: tuple[str, ...]
    route_reasons: tuple[str, ...]
    equivalents: tuple[tuple[str, tuple[str, ...]], ...]
    facts: tuple[tuple[str, str], ...]
    report: Highlighted

    @property
    def primary(self) -> str:
        return self.codes[0] if self.codes else "NONE"


def _fact_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return "unknown" if value is None else str(value).replace("_", " ")


def suggestion_view(record: Mapping[str, Any], text: str) -> SuggestionView:
    codes = _codes(record.get("codes"))
    candidates = []
    for i, c in enumerate(x for x in _list(record.get("candidates")) if isinstance(x, Mapping)):
        cand_codes = _codes(c.get("codes"))
        candidates.append(
            CandidateView(
                rank=i + 1,
                codes=cand_codes,
                score=_float(c.get("score")),
                rationale=str(c.get("rationale") or ""),
                chosen=cand_codes == codes,
                source=_opt_str(c.get("source")),
            )
        )
    edits = [
        EditView(
            id=str(e.get("id") or ""),
            severity=str(e.get("severity") or "info"),
            message=str(e.get("message") or ""),
            codes=_codes(e.get("codes")),
        )
        for e in _list(record.get("edits"))
        if isinstance(e, Mapping)
    ]
    edits.sort(key=lambda e: _SEVERITY_ORDER.get(e.severity, 3))
    steps = tuple(
        StepView(rule_id=str(s.get("rule_id") or ""), message=str(s.get("message") or ""))
        for s in _list(record.get("steps"))
        if isinstance(s, Mapping)
    )
    facts = record.get("facts")
    facts = facts if isinstance(facts, Mapping) else {}
    equivalents = record.get("equivalents")
    equivalents = equivalents if isinstance(equivalents, Mapping) else {}
    return SuggestionView(
        codes=codes,
        confidence=_float(record.get("confidence")),
        route=_opt_str(record.get("route")),
        family=_opt_str(record.get("family")),
        dos=_opt_str(record.get("dos")),
        dos_source=_opt_str(record.get("dos_source")),
        model_version=_opt_str(record.get("model_version")),
        candidates=tuple(candidates),
        steps=steps,
        edits=tuple(edits),
        review_reasons=tuple(str(r) for r in _list(record.get("review_reasons"))),
        route_reasons=tuple(str(r) for r in _list(record.get("route_reasons"))),
        equivalents=tuple((str(k), _codes(v)) for k, v in equivalents.items()),
        facts=tuple((label, _fact_text(facts[key])) for key, label in KEY_FACTS if key in facts),
        report=highlight(text, _list(record.get("evidence"))),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


# -- JSON for the API ---------------------------------------------------------------------


def item_json(item: Item, *, detail: bool = False) -> dict[str, Any]:
    """An item for the API; `detail` adds the report text and the scoring record."""
    d = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    if not detail:
        d.pop("text")
        d.pop("record")
    else:
        d["record"] = dict(item.record)
    out: dict[str, Any] = jsonable(d)
    return out


def audit_json(entry: AuditEntry) -> dict[str, Any]:
    out: dict[str, Any] = jsonable(dataclasses.asdict(entry))
    return out


def user_json(user: User) -> dict[str, Any]:
    out: dict[str, Any] = jsonable(dataclasses.asdict(user))
    return out


def metrics_json(m: Metrics) -> dict[str, Any]:
    d = dataclasses.asdict(m)
    d["decided"] = m.decided
    d["override_reasons"] = [{"reason": r, "count": n} for r, n in m.override_reasons]
    for coder, row in zip(m.coders, d["coders"], strict=True):
        row["decided"] = coder.decided
    out: dict[str, Any] = jsonable(d)
    return out


def parse_codes(value: str | Sequence[str]) -> list[str]:
    """Codes typed by a coder: separated by spaces, commas or semicolons, primary first."""
    if isinstance(value, str):
        value = value.replace(",", " ").replace(";", " ").split()
    return [c.strip() for c in value if c.strip()]
