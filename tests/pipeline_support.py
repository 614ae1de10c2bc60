"""Shared helpers for the pipeline snippet tests (`tests/test_pipeline_*.py`).

Every snippet table row is `(report snippet, expected facts)`: a dict of `StudyFacts`
field names and the exact values the coding policy and LABELING.md say are true, plus two
helper keys for the policy's own open-ended statements:

- `min_area_count`: the policy says "2+" ("skull base to mid-thigh", "torso");
- `has_contradiction`: the report contradicts itself about what was performed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from nlp.evaluation.splits import gold_split
from nlp.facts import StudyFacts, parse_date
from nlp.pipeline import get_pipeline, make_doc
from nlp.pipeline.offsets import OffsetMap


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The process-wide pipeline, shared by every pipeline test."""
    return get_pipeline()


def facts_of(nlp: Language, text: str, dos: str | None = None) -> StudyFacts:
    """The facts of `text` read as the product reads an input record (`nlp.pipeline.extract`):
    the record's date of service `dos` is the day undated images count from, and it is the
    facts' date of service."""
    d = parse_date(dos)
    result: StudyFacts = nlp(make_doc(nlp, text, d))._.facts
    return result.with_dos(d, "record")


def summary(facts: StudyFacts) -> dict[str, Any]:
    """The facts without evidence, for readable failure messages."""
    d = facts.to_dict()
    d.pop("evidence")
    return {k: v for k, v in d.items() if v not in (None, False, [], ())}


def assert_facts(facts: StudyFacts, expected: dict[str, Any]) -> None:
    got: dict[str, Any] = {}
    want: dict[str, Any] = {}
    for key, value in expected.items():
        if key == "min_area_count":
            got[f"area_count >= {value}"] = (facts.area_count or 0) >= value
            want[f"area_count >= {value}"] = True
        elif key == "has_contradiction":
            got[key] = bool(facts.contradictions)
            want[key] = value
        else:
            got[key] = getattr(facts, key)
            want[key] = value
    assert got == want, f"all facts: {summary(facts)}"


def assert_offsets(text: str, facts: StudyFacts) -> None:
    """Every evidence item's text is exactly the report's characters at its offsets."""
    bad = [e for e in facts.evidence if text[e.start : e.end] != e.text]
    assert not bad, [(e.fact, e.text, text[e.start : e.end]) for e in bad]


def assert_maps_back(
    text: str,
    read: str,
    offsets: OffsetMap | None,
    same: Callable[[str, str], bool] = lambda src, ch: src == ch,
) -> None:
    """Every character of `read` (a rewriting of `text`) maps back onto the character of
    `text` it came from (`same(source, read)`), and the end of `read` onto the end of `text`.
    No map (`None`) means nothing was rewritten: `read` is `text`."""
    if offsets is None:
        assert read == text
        return
    for i, ch in enumerate(read):
        src = text[offsets.source(i)]
        assert same(src, ch), (i, ch, src)
    assert offsets.source(len(read)) == len(text)


GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold"


def gold_tuning_records() -> list[dict[str, Any]]:
    """Every gold report of the tuning split (never the held-out one)."""
    records = [
        json.loads(line)
        for path in sorted(GOLD.glob("gold-*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r for r in records if gold_split(str(r["id"])) == "tune"]
