"""The explained suggestion for one report, and its JSON record (the scoring record).

Record shape (one per input report; documented in the README, "Scoring record"):

    {"id", "codes": [primary first, then companions / add-ons], "primary",
     "confidence", "route": "auto" | "review" | "out_of_scope",
     "candidates": [{"codes", "score", "rationale", "source"}],
     "facts": {...StudyFacts without evidence...},
     "evidence": [{"fact", "text", "start", "end", "section", "value"?, "context"?, "cue"?}],
     "edits": [{"id", "severity", "message", "codes"}],
     "steps": [{"rule_id", "message"}], "review_reasons": [...],
     "family", "dos", "dos_source", "equivalents", "model_version"}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from nlp.coding.edits import EditResult
from nlp.coding.rules import RuleResult
from nlp.facts import StudyFacts

Route = Literal["auto", "review", "out_of_scope"]


@dataclass(frozen=True)
class RankedCandidate:
    """One code set with its calibrated probability of being the right one."""

    codes: tuple[str, ...]
    score: float | None
    rationale: str
    source: Literal["rules", "model", "rules+model"]

    @property
    def primary(self) -> str:
        return self.codes[0] if self.codes else "NONE"

    def to_dict(self) -> dict[str, Any]:
        return {
            "codes": list(self.codes),
            "score": None if self.score is None else round(self.score, 4),
            "rationale": self.rationale,
            "source": self.source,
        }


@dataclass(frozen=True)
class Suggestion:
    """What spectcoder suggests for one report, with every reason for it."""

    candidates: tuple[RankedCandidate, ...]
    route: Route
    confidence: float | None
    facts: StudyFacts
    rules: RuleResult
    edits: tuple[EditResult, ...]
    route_reasons: tuple[str, ...] = ()
    model_version: str | None = None
    model_top: tuple[str, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.candidates[0].codes if self.candidates else ()

    @property
    def primary(self) -> str:
        return self.codes[0] if self.codes else "NONE"

    def to_record(self, id: str | None = None) -> dict[str, Any]:
        facts = self.facts.to_dict()
        evidence = facts.pop("evidence")
        dos: dt.date | None = self.rules.dos
        return {
            "id": id,
            "codes": list(self.codes),
            "primary": self.primary,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "route": self.route,
            "route_reasons": list(self.route_reasons),
            "candidates": [c.to_dict() for c in self.candidates],
            "facts": facts,
            "evidence": evidence,
            "edits": [e.to_dict() for e in self.edits],
            "steps": [{"rule_id": s.rule_id, "message": s.message} for s in self.rules.steps],
            "review_reasons": list(self.rules.review_reasons),
            "family": self.rules.family,
            "dos": None if dos is None else dos.isoformat(),
            "dos_source": self.rules.dos_source,
            "equivalents": {k: list(v) for k, v in self.rules.equivalents.items()},
            "model_version": self.model_version,
            **self.extra,
        }
