"""Evidence spans: offsets into the report as given, and the right words for each fact.

`report[e.start:e.end] == e.text` must hold for every evidence item whatever the text's
format (CRLF, tabs, bullets, non-ASCII characters, glued headers); the evidence for a fact
covers the words that prove it and not words elsewhere in the report; excluded mentions
keep their context and cue.
"""

from __future__ import annotations

import pytest

from tests.pipeline_support import assert_offsets, facts_of

P = pytest.param


OFFSET_REPORTS = [
    P(
        "DATE OF SERVICE: 03/04/2022\nEXAM: NM bone SPECT/CT\nTECHNIQUE: 4 h and 24 h SPECT/CT "
        "of the lumbar spine and pelvis after 25 mCi Tc-99m MDP.\nIMPRESSION: Negative.",
        id="plain",
    ),
    P(
        "EXAM: NM bone scan\r\nTECHNIQUE: SPECT of the sacrum at 3 hours.\r\nCOMPARISON: "
        "SPECT/CT of 2021.\r\n",
        id="crlf",
    ),
    P(
        "INDICATION:,  Prostate cancer.,TECHNIQUE:,  Whole body planar images and SPECT/CT of "
        "the pelvis 3 hours after Tc-99m MDP.,IMPRESSION:,  Negative.",
        id="comma-glued",
    ),
    P(
        "TECHNIQUE:\n\u2022 Flow and blood pool images of the left foot\n\u2022 SPECT/CT of "
        "both feet\n\u2022 Dose 740\u00a0MBq Tc\u201199m MDP",
        id="bullets-nbsp-nb-hyphen",
    ),
    P(
        "\u00c9xam: SPECT/CT of the thoracic spine \u2013 T6\u2013T8 \u2014 after 20 "
        "mCi; 10 \u00b5Sv.",
        id="accents-dashes-micro",
    ),
    P(
        "TECHNIQUE:\tSPECT/CT   of the    right knee\twas acquired at 4\u00a0h and 24\u00a0h.",
        id="tabs-and-nbsp",
    ),
    P("   \n\nTECHNIQUE: SPECT of the skull.\n\n\n", id="leading-blank-lines"),
    P(
        "Planar images of the pelvis. SPECT was not performed. Recommend SPECT/CT. Compared "
        "with SPECT/CT of 3/2021.",
        id="excluded-mentions",
    ),
    P(
        "Single bed position SPECT/CT of the lower chest and upper abdomen; SUVmax 8.1 on the "
        "quantitative reconstruction.",
        id="single-fov-and-quant",
    ),
    P(
        "Three-phase bone scan of the right foot with SPECT/CT of both feet.\nADDENDUM: The "
        "CT portion was not acquired.",
        id="three-phase-addendum",
    ),
    P(
        "Regadenoson stress and rest Tc-99m tetrofosmin gated myocardial perfusion SPECT; "
        "LVEF 61%.",
        id="mpi",
    ),
    P(
        "Day 1: whole body planar and SPECT/CT of the abdomen. Day 2: SPECT/CT of the abdomen. "
        "Injected on 05/09/2023; exam date 05/10/2023.",
        id="day-labels-dates",
    ),
    P("SPECT/CT OF THE CHEST, ABDOMEN AND PELVIS AT 24 HRS.", id="all-caps"),
    P(
        "EXAM: NM bone SPECT TECHNIQUE: SPECT of the cervical spine FINDINGS: C5-C6 uptake",
        id="missing-newlines",
    ),
    P("Ventilation SPECT (Tc-99m DTPA) and perfusion SPECT (99mTc-MAA) of the lungs.", id="vq"),
    P(
        "SPECT of the pelvis was started but aborted because of pain \U0001f915.",
        id="emoji-astral-plane",
    ),
]


@pytest.mark.parametrize("text", OFFSET_REPORTS)
def test_pipeline_evidence_offsets_match_report_text(nlp, text):
    facts = facts_of(nlp, text)
    assert facts.evidence, "every report here has something to prove"
    assert_offsets(text, facts)


def _covers(text: str, facts, fact: str, needle: str) -> bool:
    i = text.index(needle)
    return any(e.start <= i and i + len(needle) <= e.end for e in facts.evidence_for(fact))


def _touches(text: str, facts, fact: str, needle: str) -> bool:
    i = text.index(needle)
    return any(e.start < i + len(needle) and i < e.end for e in facts.evidence_for(fact))


@pytest.mark.parametrize(
    ("text", "fact", "must", "never"),
    [
        P(
            "Whole body planar images. SPECT/CT of the lumbar spine and pelvis.\nFINDINGS: "
            "Uptake in the right shoulder.",
            "area",
            ["lumbar spine", "pelvis"],
            ["shoulder"],
            id="area-spect-scope-only",
        ),
        P(
            "EXAM: NM bone scan\nTECHNIQUE: SPECT/CT of the knees.\nCOMPARISON: SPECT of 2020.",
            "modality",
            ["SPECT/CT"],
            ["SPECT of 2020"],
            id="modality-technique-not-comparison",
        ),
        P(
            "COMPARISON: Bone scan 01/02/2021.\nDATE OF SERVICE: 03/04/2022\nTECHNIQUE: SPECT.",
            "dos",
            ["03/04/2022"],
            ["01/02/2021"],
            id="dos-label-not-comparison",
        ),
        P(
            "SPECT/CT of the pelvis; SUVmax 12.4 on the quantitative reconstruction.",
            "quantification",
            ["SUV"],
            ["pelvis"],
            id="quantification-suv",
        ),
        P(
            "Planar at 1 hour. SPECT/CT of the abdomen at 4 h and 24 h.",
            "spect_day",
            ["4 h", "24 h"],
            ["1 hour"],
            id="spect-day-times",
        ),
        P(
            "SPECT/CT of the abdomen 24 hours after 6 mCi In-111 pentetreotide.",
            "radiopharmaceutical",
            ["In-111 pentetreotide"],
            ["abdomen"],
            id="radiopharmaceutical-name",
        ),
        P(
            "Three-phase bone scan of the left foot with SPECT/CT of both feet.",
            "three_phase",
            ["Three-phase"],
            ["SPECT/CT"],
            id="three-phase-words",
        ),
        P(
            "Single bed position SPECT/CT of the lower chest and upper abdomen.",
            "single_field_of_view",
            ["Single bed position"],
            [],
            id="single-fov-words",
        ),
        P(
            "Anterior and posterior whole body images 3 hours after Tc-99m MDP.",
            "whole_body_planar",
            ["whole body"],
            ["Tc-99m MDP"],
            id="whole-body-words",
        ),
    ],
)
def test_pipeline_evidence_points_at_the_right_words(nlp, text, fact, must, never):
    facts = facts_of(nlp, text)
    assert [n for n in must if not _covers(text, facts, fact, n)] == []
    assert [n for n in never if _touches(text, facts, fact, n)] == []


@pytest.mark.parametrize(
    ("text", "fact", "texts"),
    [
        P(
            "SPECT/CT of the pelvis.\nDATE OF SERVICE: 03/04/2022.",
            "dos",
            ["03/04/2022"],
            id="dos-without-period",
        ),
        P(
            "SPECT/CT of the abdomen 24 hours after 6 mCi In-111 pentetreotide.",
            "radiopharmaceutical",
            ["In-111 pentetreotide"],
            id="radiopharmaceutical-without-period",
        ),
    ],
)
def test_pipeline_evidence_span_is_exactly_the_words(nlp, text, fact, texts):
    facts = facts_of(nlp, text)
    assert sorted(e.text for e in facts.evidence_for(fact)) == sorted(texts)
    assert_offsets(text, facts)


def test_pipeline_evidence_area_values_match_areas(nlp):
    text = "SPECT/CT of the cervical spine, the ribs and both hips."
    facts = facts_of(nlp, text)
    assert facts.areas == ("neck", "chest", "pelvis")
    assert {e.value for e in facts.evidence_for("area")} == set(facts.areas)
    assert_offsets(text, facts)


@pytest.mark.parametrize(
    ("text", "needle", "context"),
    [
        P(
            "Planar images of the pelvis. SPECT was not performed.",
            "SPECT",
            "negated",
            id="not-performed",
        ),
        P(
            "Planar images of the abdomen. SPECT/CT was deferred.",
            "SPECT/CT",
            "negated",
            id="deferred",
        ),
        P("No CT was acquired. SPECT of the chest.", "CT", "negated", id="no-ct"),
        P(
            "Planar whole body images. Recommend SPECT/CT of the spine.",
            "SPECT/CT",
            "recommended",
            id="recommend",
        ),
        P(
            "Planar images of the hips. SPECT could be considered.",
            "SPECT",
            "recommended",
            id="could-be-considered",
        ),
        P(
            "Planar whole body images. Compared with SPECT/CT of 3/2021, stable.",
            "SPECT/CT",
            "historical",
            id="compared-with",
        ),
        P(
            "Prior SPECT showed hip uptake. Planar images of the pelvis today.",
            "SPECT",
            "historical",
            id="prior-spect-showed",
        ),
    ],
)
def test_pipeline_evidence_excluded_mention_keeps_context_and_cue(nlp, text, needle, context):
    facts = facts_of(nlp, text)
    i = text.index(needle)
    hits = [
        e
        for e in facts.evidence
        if e.start == i and e.end == i + len(needle) and e.context == context
    ]
    assert hits, [e.to_dict() for e in facts.evidence]
    assert all(e.cue and e.cue.lower() in text.lower() for e in hits)
    assert_offsets(text, facts)


# A study type the tracer decides (a thallium brain SPECT is a tumor study, an MAA liver
# SPECT a family one) quotes that tracer as the evidence of its final value; a brain
# perfusion tracer beside it keeps the brain study and quotes no override.
@pytest.mark.parametrize(
    ("text", "study_type", "tracer"),
    [
        P(
            "BRAIN SPECT\nTechnique: 4 mCi Tl-201 IV; SPECT of the head at 20 minutes.",
            "tumor",
            "Tl-201",
            id="thallium-brain-is-tumor",
        ),
        P(
            "NM LIVER SPECT-CT\nRadiopharmaceutical: Tc-99m MAA.\nLiver SPECT/CT was performed.",
            "tumor",
            "Tc-99m MAA",
            id="maa-liver-is-family",
        ),
        P(
            "BRAIN SPECT\n20 mCi Tc-99m ECD and 3 mCi Tl-201; SPECT of the head.",
            "brain",
            None,
            id="brain-tracer-keeps-brain",
        ),
    ],
)
def test_pipeline_evidence_tracer_led_study_type(nlp, text, study_type, tracer):
    facts = facts_of(nlp, text)
    assert facts.study_type == study_type
    led = [
        e for e in facts.evidence_for("study_type") if e.value and "imaging with this" in e.value
    ]
    if tracer is None:
        assert led == []
    else:
        assert [e.value for e in led] == [
            f"{study_type} ({'brain' if 'Tl' in tracer else 'liver'} imaging with this tracer)"
        ]
        assert text[led[0].start : led[0].end] == tracer
        assert led[0].text == tracer
    assert_offsets(text, facts)


def test_pipeline_evidence_hepatic_arterial_maa_quotes_the_tracer(nlp):
    """An MAA study read as tumor perfusion by the tracer's route quotes the tracer."""
    text = "4 mCi Tc-99m MAA injected into the right hepatic artery. Planar chest and abdomen."
    facts = facts_of(nlp, text)
    assert facts.study_type == "tumor"
    assert [(e.text, e.value) for e in facts.evidence_for("study_type")] == [
        ("Tc-99m MAA", "tumor")
    ]
    assert_offsets(text, facts)
