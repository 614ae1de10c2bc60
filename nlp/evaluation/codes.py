"""Evaluation of suggestions against labeled reports (policy section 11 format).

Figures: primary accuracy, exact code-set match, fact accuracies, auto-rate, precision
among auto-routed, share of review-labeled cases routed to review, expected calibration
error, confusion by primary code, and the same code-set accuracy for the rules alone and
the classifier alone (so the combination can be compared with each part).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nlp.evaluation.facts import FACTS
from nlp.model.labels import to_label


@dataclass
class CaseResult:
    id: str
    expected_codes: tuple[str, ...]
    expected_primary: str
    codes: tuple[str, ...]
    primary: str
    route: str
    confidence: float | None
    review_label: bool
    rules_codes: tuple[str, ...]
    model_codes: tuple[str, ...] | None
    facts_ok: dict[str, bool]

    @property
    def codes_ok(self) -> bool:
        return to_label(self.codes) == to_label(self.expected_codes)


@dataclass
class Evaluation:
    cases: list[CaseResult] = field(default_factory=list)

    def _share(self, flags: Iterable[bool]) -> float | None:
        values = list(flags)
        return sum(values) / len(values) if values else None

    def figures(self) -> dict[str, Any]:
        cs = self.cases
        auto = [c for c in cs if c.route == "auto"]
        reviews = [c for c in cs if c.review_label]
        confident = [c for c in cs if c.confidence is not None]
        from nlp.model.train import expected_calibration_error

        return {
            "n": len(cs),
            "primary_accuracy": self._share(c.primary == c.expected_primary for c in cs),
            "codes_exact": self._share(c.codes_ok for c in cs),
            "codes_rules_alone": self._share(
                to_label(c.rules_codes) == to_label(c.expected_codes) for c in cs
            ),
            "codes_model_alone": self._share(
                c.model_codes is not None and to_label(c.model_codes) == to_label(c.expected_codes)
                for c in cs
            ),
            "facts": {f: self._share(c.facts_ok[f] for c in cs) for f in FACTS},
            "auto_rate": self._share(c.route == "auto" for c in cs),
            "auto_precision": self._share(c.codes_ok for c in auto),
            "review_recall": self._share(c.route == "review" for c in reviews),
            "routes": dict(Counter(c.route for c in cs)),
            "ece": expected_calibration_error(
                [float(c.confidence or 0.0) for c in confident], [c.codes_ok for c in confident]
            )
            if confident
            else None,
            "confusion": self.confusion(),
            "paired": self.paired(),
        }

    def paired(self) -> dict[str, dict[str, Any]]:
        """The combination against each part on the same reports: how many only the
        combination gets right, how many only the part gets right, and the exact two-sided
        McNemar p-value of that split (on a small set a one-report lead is noise)."""
        out: dict[str, dict[str, Any]] = {}
        for part in ("rules", "model"):
            only_combined = only_part = 0
            for c in self.cases:
                other = c.rules_codes if part == "rules" else c.model_codes
                part_ok = other is not None and to_label(other) == to_label(c.expected_codes)
                only_combined += c.codes_ok and not part_ok
                only_part += part_ok and not c.codes_ok
            out[f"combined_vs_{part}"] = {
                "only_combined": only_combined,
                f"only_{part}": only_part,
                "p_value": mcnemar_exact(only_combined, only_part),
            }
        return out

    def confusion(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for c in self.cases:
            table[c.expected_primary][c.primary] += 1
        return {k: dict(v) for k, v in sorted(table.items())}

    def misses(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.codes_ok]


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar test: P(a split at least as uneven as b : c) when each
    discordant report is equally likely to favour either side."""
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def evaluate_suggester(cases: Iterable[dict[str, Any]], suggester: Any) -> Evaluation:
    """Run `suggester` over labeled cases and collect every figure."""
    cases = list(cases)
    result = Evaluation()
    items = ((c["text"], c.get("dos")) for c in cases)
    for case, s in zip(cases, suggester.suggest_many(items), strict=True):
        exp = case["expected"]
        facts = s.facts.to_dict()
        facts_ok = {}
        for f in FACTS:
            got, want = facts.get(f), exp.get(f)
            if f == "quantification":
                got, want = bool(got), bool(want)
            facts_ok[f] = got == want
        result.cases.append(
            CaseResult(
                id=str(case.get("id")),
                expected_codes=tuple(exp.get("codes") or ()),
                expected_primary=exp.get("primary") or "NONE",
                codes=s.codes,
                primary=s.primary,
                route=s.route,
                confidence=s.confidence,
                review_label=bool(exp.get("review")),
                rules_codes=s.rules.codes,
                model_codes=s.model_top,
                facts_ok=facts_ok,
            )
        )
    return result
