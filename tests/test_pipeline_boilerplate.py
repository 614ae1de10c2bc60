"""Boilerplate around a report changes nothing: a patient banner, an order line or a print
header above it, a history line naming a prior study under its first line, and a dictation
disclaimer, a signature, a cc list, a critical-results line, a no-change addendum, a
recommendation or a line naming earlier studies reviewed below it leave the codes and the
review flag as they were; so does writing its dates or "SPECT/CT" another way. A
metamorphic check over the gold tuning split (the texts the rules were mended on; the
held-out split is never read here)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from spacy.language import Language

from corpus.timewords import MONTHS
from nlp.coding.rules import apply_rules
from nlp.model.labels import to_label
from tests.pipeline_support import assert_offsets, facts_of, gold_tuning_records

BOILERPLATE: dict[str, Callable[[str], str]] = {
    "banner": lambda t: "Patient: DOE, JANE A   DOB: 04/05/1950   MRN: 00412399   Sex: F\n" + t,
    "accession": lambda t: "Accession: NM-88213   Ordering physician: Patel, Anil MD\n" + t,
    "printed": lambda t: "Printed: 03/14/2025 09:15   Page 1 of 1\n" + t,
    "signed": lambda t: (
        t + "\n\nElectronically signed by: Dana Whitfield, MD on 03/14/2025 at 16:42"
    ),
    "disclaimer": lambda t: (
        t + "\n\nThis report was dictated using voice recognition software. Unintentional "
        "transcription errors may occur."
    ),
    "critical": lambda t: t + "\nCritical result: none.",
    "priors": lambda t: t + "\n\nPrior studies reviewed: whole-body bone scan from 2016.",
    "addendum": lambda t: t + "\n\nADDENDUM: No change to the impression above.",
    "cc": lambda t: t + "\ncc: Referring provider; primary care physician",
    "recommendation": lambda t: (
        t + "\n\nRecommendation: SPECT/CT of the pelvis could be considered if symptoms persist."
    ),
    "history": lambda t: _after_first_line(
        t, "Clinical history: a prior bone SPECT/CT in 2018 was negative."
    ),
}

# The same report in other spellings: its dates written out or in ISO form, "SPECT/CT" as
# "SPECT CT" or "SPECT-CT", "Tc-99m" as "Tc99m".
_US_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _redate(text: str, form: Callable[[int, int, str], str]) -> str:
    def one(m: re.Match[str]) -> str:
        month, day = int(m.group(1)), int(m.group(2))
        return form(month, day, m.group(3)) if 1 <= month <= 12 and 1 <= day <= 31 else m[0]

    return _US_DATE.sub(one, text)


SPELLINGS: dict[str, Callable[[str], str]] = {
    "date-long": lambda t: _redate(t, lambda mo, d, y: f"{MONTHS[mo - 1]} {d}, {y}"),
    "date-iso": lambda t: _redate(t, lambda mo, d, y: f"{y}-{mo:02d}-{d:02d}"),
    "spect-ct-space": lambda t: t.replace("SPECT/CT", "SPECT CT"),
    "spect-ct-dash": lambda t: t.replace("SPECT/CT", "SPECT-CT"),
    "tc99m": lambda t: t.replace("Tc-99m", "Tc99m"),
}

# (report id, variant) pairs known to move, each with the reason
KNOWN_TO_MOVE: dict[tuple[str, str], str] = {
    ("GCL-014", "date-long"): (
        "the date spelled out lengthens one line of a ~78-column VistA body past the wrap, so"
        " that line sets the column and 'SPECT/CT OF THE' / 'CHEST, ...' no longer reads as"
        " a wrap the next word forced"
    ),
}


def _after_first_line(text: str, line: str) -> str:
    first, _, rest = text.partition("\n")
    return f"{first}\n{line}\n{rest}"


def _reading(nlp: Language, text: str, dos: str | None) -> tuple[str, bool]:
    facts = facts_of(nlp, text, dos)
    assert_offsets(text, facts)
    result = apply_rules(facts)
    return to_label(result.codes), bool(result.review_reasons)


@pytest.mark.parametrize("name", ["signed", "printed", "banner", "accession"])
def test_boilerplate_variant_keeps_a_snippet(nlp: Language, name: str) -> None:
    text = (
        "EXAM: NM bone SPECT/CT\nExam date: 05/02/2023\nTECHNIQUE: Whole-body planar images "
        "3 h after Tc-99m MDP, then SPECT/CT of the lumbar spine.\nIMPRESSION: Degenerative."
    )
    assert _reading(nlp, BOILERPLATE[name](text), None) == _reading(nlp, text, None)
    assert _reading(nlp, text, None) == ("78830+78306", False)


@pytest.mark.slow
def test_boilerplate_does_not_move_gold_codes(nlp: Language) -> None:
    records = gold_tuning_records()
    assert len(records) > 3000
    moved = []
    for r in records:
        base = _reading(nlp, r["text"], r.get("dos"))
        for name, add in (BOILERPLATE | SPELLINGS).items():
            if (r["id"], name) in KNOWN_TO_MOVE:
                continue
            if _reading(nlp, add(r["text"]), r.get("dos")) != base:
                moved.append((r["id"], name))
    assert moved == []
