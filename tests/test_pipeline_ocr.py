"""OCR'd reports: digits read for letters are put back, nothing else moves."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.pipeline import get_pipeline
from nlp.pipeline.ocr import fix_ocr_digits
from tests.pipeline_support import assert_facts, facts_of

P = pytest.param


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_pipeline()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("NM B0NE SCAN WH0LE B0DY", "NM BONE SCAN WHOLE BODY", id="zero-in-capitals"),
        P("who1e body, pe1vis", "whole body, pelvis", id="one-in-lower-case"),
        P("C0MPARIS0N: N0ne.", "COMPARISON: None.", id="zero-at-word-end-and-inside"),
        P("1umbar spine, 1eft knee", "lumbar spine, left knee", id="one-starting-a-word"),
        P("(0ctreoScan)", "(octreoScan)", id="zero-starting-a-word"),
        P("NUCLEAR MEDICINE HOSPITA1", "NUCLEAR MEDICINE HOSPITAI", id="one-ending-a-capital-word"),
    ],
)
def test_pipeline_ocr_digits_become_letters(text, expected):
    assert fix_ocr_digits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        P("pT2 pN1 cN0 M0", id="tnm-stage"),
        P("L1-S1, T10, T11, C1", id="spine-levels"),
        P("G1 NET, In111, Tc-99m, I-131, Tl-201, Lu177", id="grades-and-isotopes"),
        P(
            "1mCi, 1GBq, 1min, 1mmol, 1kgs, 1st, 10 min, 0930, 03/09/2021",
            id="units-ordinals-times-dates",
        ),
        P("SPECT/CT of the pelvis at 3 hours.", id="no-digit-in-a-word"),
    ],
)
def test_pipeline_ocr_leaves_real_numbers(text):
    assert fix_ocr_digits(text) == text


def test_pipeline_ocr_keeps_length_and_returns_the_same_object_when_clean():
    clean = "Whole body images at 3 h."
    assert fix_ocr_digits(clean) is clean
    noisy = "Who1e body irnages at 3 h; SPECT/CT of the 1umbar spine."
    assert len(fix_ocr_digits(noisy)) == len(noisy)


def test_pipeline_ocr_report_facts_and_evidence_quote_the_scan(nlp):
    text = (
        "EXAM: NM B0NE SCAN WH0LE B0DY W/ SPECT/CT\n"
        "TECHNlQUE: Anterior and posterior who1e body images at 3 hours. SPECT/CT of the\n"
        "1umbar spine and of the pe1vis followed; low-dose CT fused for localization.\n"
        "C0MPARIS0N: N0ne."
    )
    doc = nlp(text)
    assert_facts(
        doc._.facts,
        {
            "modality": "spect_ct",
            "study_type": "bone",
            "areas": ("abdomen", "pelvis"),
            "whole_body_planar": True,
        },
    )
    quoted = {e.text for e in doc._.facts.evidence}
    assert "pe1vis" in quoted  # the report as scanned, not the corrected word
    for e in doc._.facts.evidence:
        assert text[e.start : e.end] == e.text


def test_pipeline_ocr_clean_report_unchanged(nlp):
    assert_facts(
        facts_of(nlp, "Whole body images at 3 h. SPECT/CT of the lumbar spine."),
        {"modality": "spect_ct", "areas": ("abdomen",), "whole_body_planar": True},
    )
