"""Fact accuracy of the extractor against labeled reports.

Compares `modality`, `area_count`, `spect_days` and `quantification` with each case's
`expected` (a null expected value is compared too: no SPECT means no count).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FACTS = ("modality", "area_count", "spect_days", "quantification")


@dataclass
class FactReport:
    n: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FACTS, 0))
    misses: list[dict[str, Any]] = field(default_factory=list)

    def accuracy(self, fact: str) -> float:
        return self.correct[fact] / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": {f: round(self.accuracy(f), 4) for f in FACTS},
            "misses": self.misses,
        }


def read_labeled(path: str | Path) -> Iterator[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc


def evaluate_facts(cases: Iterable[dict[str, Any]]) -> FactReport:
    from nlp.pipeline import extract

    report = FactReport()
    for case in cases:
        facts = extract(case["text"], case.get("dos")).to_dict()
        expected = case["expected"]
        report.n += 1
        wrong = {}
        for f in FACTS:
            got = facts.get(f)
            want = expected.get(f)
            if f == "quantification":
                got, want = bool(got), bool(want)
            if got == want:
                report.correct[f] += 1
            else:
                wrong[f] = {"expected": want, "got": got}
        if wrong:
            report.misses.append({"id": case.get("id"), **wrong})
    return report
