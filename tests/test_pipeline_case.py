"""Reports typed all in lower case or all in upper case.

Where capital letters tell a header or the start of a sentence, a report with no case
information must still be read: a lower-case "tech note:" opens a section, a period before
any word ends a sentence, "j1" / "h24" are time points, and an all-caps "DR. SMITH" or
speech dictation's "PERIOD" still split as their mixed-case forms do. Each snippet was
written for this file; every expectation follows coding-policy.md and LABELING.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from nlp.pipeline.unwrap import unwrap
from tests.pipeline_support import assert_facts, facts_of, summary

P = pytest.param


CASELESS: list[Any] = [
    # an unknown header in lower case opens a section: the technique is not the title line
    P(
        "tech note: in-111 pentetreotide 6 mci 3/1 0900. 4h wb 3/1. 24h wb + spect abd "
        "(no ct) 3/2.\n\nfindings: 4 and 24 h whole-body: physiologic only. spect of the "
        "abdomen at 24 h: negative.",
        {
            "modality": "spect",
            "areas": ("abdomen",),
            "spect_days": 1,
            "whole_body_planar": True,
            "whole_body_days": 2,
        },
        id="lower-unknown-header",
    ),
    # "reschedule stress" is its own sentence, so it reads as a plan
    P(
        "myocardial perfusion\nrest: 10 mci tetrofosmin at 07:30, gated spect completed.\n"
        "stress: not performed, new atrial fibrillation.\n"
        "impression: rest-only study with normal rest perfusion. reschedule stress when "
        "rate-controlled.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="lower-sentence-after-period",
    ),
    # French time points without capitals
    P(
        "protocol: injection at j0 of 185 mbq of 111in-pentetreotide. whole-body images at "
        "h4 (j0) and at h24 (j1). tomoscintigraphy of the abdomen coupled to ct at j1 only.",
        {"whole_body_planar": True, "whole_body_days": 2, "spect_days": 1},
        id="lower-french-time-points",
    ),
]

ALL_CAPS: list[Any] = [
    # dictated punctuation in capitals splits sentences like the lower-case word
    P(
        "GALLIUM SCAN\nTECHNIQUE 9 MILLICURIES OF GALLIUM 67 CITRATE WERE GIVEN PERIOD WHOLE BODY IMAGES "
        "WERE OBTAINED AT 48 HOURS AND AGAIN AT 72 HOURS PERIOD SPECT OF THE CHEST WAS "
        "PERFORMED AT 72 HOURS WITHOUT CT PERIOD\nFINDINGS NO ABNORMAL UPTAKE PERIOD NO NEW SITES PERIOD",
        {
            "modality": "spect",
            "areas": ("chest",),
            "spect_days": 1,
            "whole_body_planar": True,
            "whole_body_days": 2,
        },
        id="caps-spoken-period",
    ),
    # "DR." in capitals is the title, not the end of the PET part's sentence
    P(
        "A) FDG PET/CT (REPORTED SEPARATELY BY DR. SMITH): T6 LESION, SUVMAX 4.1.\n\n"
        "B) BONE SPECT/CT OF THE THORACIC SPINE (THIS REPORT). NO WHOLE-BODY IMAGES.",
        {"modality": "spect_ct", "areas": ("chest",), "quantification": False},
        id="caps-doctor-title",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASELESS + ALL_CAPS)
def test_pipeline_case_snippets(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


MIXED_CASE = [
    "Tech note: In-111 pentetreotide 6 mCi 3/1 0900. 4h WB 3/1. 24h WB + SPECT abd (no CT) "
    "3/2.\n\nFindings: 4 and 24 h whole-body: physiologic only. SPECT of the abdomen at 24 h: "
    "negative.",
    "Myocardial perfusion\nRest: 10 mCi tetrofosmin at 07:30, gated SPECT completed.\n"
    "Stress: not performed, new atrial fibrillation.\n"
    "Impression: Rest-only study with normal rest perfusion. Reschedule stress when "
    "rate-controlled.",
    "Gallium scan\nTechnique 9 millicuries of gallium 67 citrate were given period whole body images were "
    "obtained at 48 hours and again at 72 hours period SPECT of the chest was performed at 72 "
    "hours without CT period\nFindings no abnormal uptake period no new sites period",
    # a form row's second field, read as a section header in capitals, cut the ventilation
    # SPECT from its row's key
    "Lung scan worksheet\nVentilation agent: Tc-99m Technegas      Acquisition: [x] SPECT  "
    "[ ] planar\nPerfusion agent: Tc-99m MAA 4 mCi      Acquisition: [x] SPECT  [ ] planar\n"
    "Impression: low probability.",
    # OCR's "1" for "l" and "rn" for "m" in a scan typed in capitals
    "Octreotide scan\nTechnique: who1e body irnages at 4 h and 24 h. SPECT/CT of the abdornen "
    "at 24 h on1y, fused for 1ocalization.",
    # a label word after another word is no header in capitals ("SPOT IMAGES:")
    "Limited bone scan\nTc-99m MDP 20 mCi; at 3 h, anterior and posterior spot images: field 1 "
    "pelvis, field 2 both knees. No whole body. No SPECT.",
    # a prior study dated in its own clause ("... on 05/19/2020") in capitals
    "Bone scan follow-up\nDate of exam: 07/14/2020\nOsteomyelitis diagnosed 05/2020 (three-phase "
    "bone scan with SPECT/CT of the right shoulder on 05/19/2020).\n5 mCi Tc-99m MDP. Flow and "
    "blood-pool images of both shoulders, delayed whole-body images at 3 h.",
]


@pytest.mark.parametrize("text", MIXED_CASE)
@pytest.mark.parametrize("change", [str.lower, str.upper], ids=["lower", "upper"])
def test_pipeline_case_does_not_change_the_facts(nlp, text, change):
    """The same report in one case reads as it does in mixed case."""
    assert summary(facts_of(nlp, change(text))) == summary(facts_of(nlp, text))


# A hard-wrapped report in capitals: a wrapped line's next words ("PERFORMED: THE
# PATIENT ...") look like a field label as much as in lower case; the breaks it unwraps
# are those of the mixed-case report.
WRAPPED = [
    "Bone scan of the whole body and the dorsal spine with Tc-99m HDP 3 h after\n"
    "injection. Whole body planar images were acquired at 3 h. SPECT/CT not\n"
    "performed: the patient could not lie flat for the tomographic acquisition.\n"
    "Findings: no focal abnormality in the dorsal spine on the planar images.",
]


@pytest.mark.parametrize("text", WRAPPED)
@pytest.mark.parametrize("change", [str.lower, str.upper], ids=["lower", "upper"])
def test_pipeline_case_unwraps_the_same_breaks(text, change):
    assert unwrap(change(text)) == change(unwrap(text))
