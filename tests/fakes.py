"""A small deterministic scorer for testing the batch code before the real one lands.

It codes by keyword, with fixed confidences, and returns records of the shape the real
scorer (`nlp.suggest`) returns. `FAKE_SCORER_FACTORY` is its import path for worker
processes; tests get the factory from the `scorer_factory` fixture, so moving them to
the real scorer is one fixture change.

Keywords (first match wins, case-insensitive):

    "raise"                 the scorer raises ValueError (a scorer bug on one record)
    "gastric emptying"      out of scope, no codes
    "myocardial perfusion"  78452, confidence 0.95, auto
    "spect/ct"              78830, confidence 0.9, auto
    "whole body"            78306 (+ 78803 with "spect" too), confidence 0.85, auto
    "spect"                 78803, confidence 0.8, auto
    "equivocal"             78803, confidence 0.4, review
    anything else           no code, confidence 0.1, review

`SPECTCODER_FAKE_DELAY` (seconds per report) slows it down, for interrupt tests.
"""

from __future__ import annotations

import os
import time
from typing import Any

FAKE_SCORER_FACTORY = "tests.fakes:load_fake_scorer"
FAKE_MODEL_VERSION = "fake-1"

RULES: tuple[tuple[str, list[str], float, str], ...] = (
    ("gastric emptying", [], 0.99, "out_of_scope"),
    ("myocardial perfusion", ["78452"], 0.95, "auto"),
    ("spect/ct", ["78830"], 0.9, "auto"),
    ("whole body", ["78306"], 0.85, "auto"),
    ("spect", ["78803"], 0.8, "auto"),
    ("equivocal", ["78803"], 0.4, "review"),
)


class FakeScorer:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def score(self, id: str, text: str, dos: str | None = None) -> dict[str, Any]:
        if self.delay:
            time.sleep(self.delay)
        lower = text.lower()
        if "raise" in lower:
            raise ValueError(f"fake scorer cannot read report {id}")
        codes: list[str] = []
        confidence, route, keyword = 0.1, "review", None
        for kw, kw_codes, kw_confidence, kw_route in RULES:
            if kw in lower:
                codes, confidence, route, keyword = list(kw_codes), kw_confidence, kw_route, kw
                break
        if keyword == "whole body" and "spect" in lower:
            codes.append("78803")
        evidence = []
        if keyword is not None:
            start = lower.index(keyword)
            evidence.append(
                {
                    "fact": "keyword",
                    "text": text[start : start + len(keyword)],
                    "start": start,
                    "end": start + len(keyword),
                    "section": "other",
                }
            )
        return {
            "id": id,
            "codes": codes,
            "primary": codes[0] if codes else None,
            "confidence": confidence,
            "route": route,
            "candidates": [
                {"codes": codes, "score": confidence, "rationale": f"keyword {keyword!r}"}
            ]
            if codes
            else [],
            "facts": {"dos": dos, "keyword": keyword},
            "evidence": evidence,
            "edits": [],
            "model_version": FAKE_MODEL_VERSION,
        }


def load_fake_scorer() -> FakeScorer:
    return FakeScorer(delay=float(os.environ.get("SPECTCODER_FAKE_DELAY", "0") or 0))


def broken_factory() -> FakeScorer:
    raise RuntimeError("model file is missing")
