"""OCR'd reports: digits read for letters are put back, nothing else moves."""

from __future__ import annotations

import pytest

from nlp.pipeline.ocr import fix_ocr_digits, fix_ocr_rn
from tests.pipeline_support import assert_facts, assert_offsets, facts_of

P = pytest.param


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("NM B0NE SCAN WH0LE B0DY", "NM BONE SCAN WHOLE BODY", id="zero-in-capitals"),
        P("who1e body, pe1vis", "whole body, pelvis", id="one-in-lower-case"),
        P("C0MPARIS0N: N0ne.", "COMPARISON: None.", id="zero-at-word-end-and-inside"),
        P("1umbar spine, 1eft knee", "lumbar spine, left knee", id="one-starting-a-word"),
        P("(0ctreoScan)", "(octreoScan)", id="zero-starting-a-word"),
        P("NUCLEAR MEDICINE HOSPITA1", "NUCLEAR MEDICINE HOSPITAL", id="one-ending-a-capital-word"),
        P(
            "Bowel seen. N0 SPECT was done.",
            "Bowel seen. NO SPECT was done.",
            id="n0-opening-a-sentence",
        ),
        P("N0 CT on this camera", "NO CT on this camera", id="n0-opening-the-report"),
        P(
            "could not 1ie flat; 1eg pain",
            "could not lie flat; leg pain",
            id="one-before-two-letters",
        ),
        # in capitals a "1" is an "L" as often as an "I": the word it makes decides
        P(
            "WHO1E BODY VIEWS; SPECT/CT FOR 1OCALIZATION OF THE 1IVER",
            "WHOLE BODY VIEWS; SPECT/CT FOR LOCALIZATION OF THE LIVER",
            id="one-as-l-in-capitals",
        ),
        P("1NTERICTAL SPECT; C1INICAL", "INTERICTAL SPECT; CLINICAL", id="one-as-i-in-capitals"),
        P("1nterictal SPECT", "interictal SPECT", id="one-as-i-in-lower-case"),
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
        P("Staged pT1 N0 M0. N0 M1 on restaging.", id="n0-before-another-stage"),
        P("Nodal status: N0 by MRI; cN0 disease", id="n0-as-a-field-value-or-glued"),
        P("1st, 1cm, 1yo, 0xy", id="one-before-two-letters-not-a-known-word"),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("SPECT was not perforrned.", "SPECT was not performed.", id="performed"),
        P("Anterior irnages of the 1eft knee", "Anterior images of the 1eft knee", id="images"),
        P("Tornographic views", "Tomographic views", id="capitalised-word"),
        P("18 rnCi Tc-99rn MDP", "18 mCi Tc-99m MDP", id="unit-and-isotope"),
        P("the SPECT-only carnera", "the SPECT-only camera", id="camera"),
        P("frorn the rnid thigh", "from the mid thigh", id="two-words"),
        P("surnrned images", "summed images", id="two-pairs-in-one-word"),
        P("PLANAR IRNAGES OF THE ABDORNEN", "PLANAR IMAGES OF THE ABDOMEN", id="in-capitals"),
    ],
)
def test_pipeline_ocr_rn_read_back_as_m(text, expected):
    assert fix_ocr_rn(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        P("uptake in the sternum the next morning", id="known-words-with-rn"),
        P("pattern of internal return, modern hernia", id="english-words-with-rn"),
        P("RN at bedside; rn note", id="nurse"),
        P("Whole body images at 3 h.", id="no-rn"),
    ],
)
def test_pipeline_ocr_rn_leaves_real_words(text):
    assert fix_ocr_rn(text) == (text, None)


def test_pipeline_ocr_rn_offset_map_points_into_the_scan():
    scan = "Irnages frorn the rnid thigh"
    read, offsets = fix_ocr_rn(scan)
    assert read == "Images from the mid thigh"
    assert offsets is not None
    for word in ("Images", "from", "mid", "thigh"):
        start = read.index(word)
        s, e = offsets.source(start), offsets.source(start + len(word))
        assert scan[s:e] == {"Images": "Irnages", "from": "frorn", "mid": "rnid"}.get(word, word)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P(
            "EXAM: NM bone scan whole body with SPECT/CT\n"
            "TECHNIQUE: Who1e body irnages at 3 hours. SPECT/CT of the 1urnbar spine was not "
            "perforrned because the patient was in too much pain.",
            {"modality": "planar", "whole_body_planar": True, "area_count": None},
            id="rn-hides-not-performed",
        ),
        P(
            "TECHNIQUE: Whole body irnages at 48 h. SPECT of the 1urnbar spine at 48 h. "
            "N0 CT (SPECT-on1y carnera).",
            {
                "modality": "spect",
                "areas": ("abdomen",),
                "whole_body_planar": True,
                "has_contradiction": False,
            },
            id="no-ct-on-a-spect-only-camera",
        ),
    ],
)
def test_pipeline_ocr_rn_report_facts_and_evidence_quote_the_scan(nlp, text, expected):
    facts = facts_of(nlp, text)
    assert_facts(facts, expected)
    assert_offsets(text, facts)
