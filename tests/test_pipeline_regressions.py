"""Pipeline cases that failed when first written (pipeline bugs, since fixed), kept as
regression tests. Every expectation was checked against coding-policy.md and LABELING.md.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from nlp.pipeline import get_pipeline
from tests.pipeline_support import assert_facts, assert_offsets, facts_of

P = pytest.param


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The process-wide pipeline, shared by every case of this module."""
    return get_pipeline()


PLANAR_ONLY: dict[str, Any] = {"modality": "planar", "area_count": None, "spect_days": None}


def one(area: str) -> dict[str, object]:
    return {"areas": (area,), "area_count": 1}


# test_pipeline_areas.py
SPINE = [
    P("SPECT/CT targeted to the T8 vertebral body.", one("chest"), id="t8-chest"),
]
REGIONS = [
    P(
        "SPECT/CT from the skull base to the mid-thigh.",
        {"min_area_count": 2},
        id="skull-base-to-mid-thigh",
    ),
]

# test_pipeline_context.py
HISTORICAL = [
    P(
        "On the last SPECT/CT (2021) the lesion was larger. Whole body planar imaging was "
        "performed today.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="on-the-last-spect-ct",
    ),
    # an outside study reviewed beside ours is a comparison, whatever it covered
    P(
        "OUTSIDE STUDY: Bone scan with SPECT/CT of the lumbar spine and pelvis, reviewed.\n"
        "TECHNIQUE: Whole-body planar at 3 h, then SPECT of the thoracic spine; no CT.",
        {"modality": "spect", "areas": ("chest",), "area_count": 1, "whole_body_planar": True},
        id="outside-study-header",
    ),
    P(
        "Outside images: SPECT/CT of the pelvis from March.\n"
        "Study today: Whole-body planar images at 3 h only.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="outside-images-and-study-today",
    ),
]

# test_pipeline_days.py
SPECT_DAYS = [
    P(
        "4- and 24-hour SPECT/CT images of the abdomen were obtained.",
        2,
        id="4-and-24-hour-compound",
    ),
    P(
        "Planar images at 4 hours and SPECT/CT of the abdomen at 24 hours.",
        1,
        id="planar-4h-spect-24h",
    ),
    P("SPECT/CT of the chest was acquired on Monday and again on Tuesday.", 2, id="weekday-names"),
]
PLANAR_AND_SPECT_DAYS = [
    P(
        "Anterior and posterior whole body images at 4 h and 24 h. SPECT was not performed.",
        {"modality": "planar", "spect_days": None, "whole_body_days": 2},
        id="wb-4h-24h-no-spect",
    ),
    P(
        "Whole body images and SPECT/CT of the pelvis, both at 4 hours and again at 24 hours.",
        {"spect_days": 2, "whole_body_days": 2},
        id="wb-and-spect-both-days",
    ),
]

# test_pipeline_evidence.py
EXACT_SPANS = [
    P(
        "SPECT/CT of the abdomen at 4 h and 24 h.",
        "spect_day",
        ["4 h", "24 h"],
        id="spect-days-without-sentence-period",
    ),
    P(
        "SPECT/CT of the abdomen at 4 hours and 24 hours.",
        "spect_day",
        ["4 hours", "24 hours"],
        id="spect-days-hours-without-period",
    ),
]

# test_pipeline_quant.py
QUANT_FALSE = [
    P(
        "SPECT/CT of the pelvis. Quantitative SPECT/CT could be considered on follow-up to "
        "measure SUV.",
        id="quantitative-spect-could-be-considered",
    ),
    P(
        "SPECT/CT of the pelvis. SUV could not be calculated because the quantitative "
        "reconstruction failed.",
        id="suv-not-calculated",
    ),
    P(
        "1) FDG PET/CT, read separately: avid right lung mass, SUVmax 9.1.\n"
        "2) Bone SPECT/CT of the pelvis with Tc-99m MDP: sacral metastasis.",
        id="suv-of-a-separate-pet",
    ),
]
CT_PURPOSE = [
    P(
        "SPECT of the skull. CT images were used solely for attenuation correction.",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="solely-attenuation",
    ),
    P(
        "SPECT of the chest. A contrast-enhanced diagnostic CT performed in radiology "
        "earlier the same day is reported separately.",
        {"modality": "spect"},
        id="separate-diagnostic-ct",
    ),
]

# test_pipeline_sections.py
FORMATS = [
    P(
        "INDICATION:,  Prostate cancer.,TECHNIQUE:,  Whole body planar images and SPECT/CT "
        "of the pelvis were obtained 3 hours after injection of Tc-99m MDP.,FINDINGS:,  No "
        "suspicious uptake.,IMPRESSION:,  Negative.",
        {
            "modality": "spect_ct",
            "areas": ("pelvis",),
            "area_count": 1,
            "whole_body_planar": True,
            "study_type": "bone",
        },
        id="comma-glued-headers",
    ),
    P(
        "COMPARISON: SPECT/CT 2020 TECHNIQUE: Planar images of the pelvis only FINDINGS: "
        "Stable sacral uptake IMPRESSION: Stable",
        {"modality": "planar", "area_count": None},
        id="missing-newlines-comparison",
    ),
    P(
        "COMPARISON: None TECHNIQUE: Planar images of the pelvis only FINDINGS: Stable",
        {"modality": "planar", "area_count": None},
        id="missing-newlines-comparison-none",
    ),
    # structured forms: an unticked box is an option not taken
    P(
        "Acquisition:\n  [x] Whole-body planar   [ ] Limited planar   [ ] Three-phase\n"
        "  [ ] SPECT   [x] SPECT/CT   [ ] planar only\n"
        "SPECT field(s): [x] cervical  [x] thoracic  [ ] lumbar\nAgent: Tc-99m HDP",
        {
            "modality": "spect_ct",
            "areas": ("neck", "chest"),
            "area_count": 2,
            "three_phase": False,
            "whole_body_planar": True,
        },
        id="checkbox-form-spect-ct",
    ),
    P(
        "Bone scan, Tc-99m MDP, whole body. [x] planar only  [ ] SPECT  [ ] SPECT/CT",
        {"modality": "planar", "area_count": None, "whole_body_planar": True},
        id="checkbox-form-planar-only",
    ),
    P(
        "SPECT/CT performed: ☐ head ☒ chest ☐ abdomen",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1},
        id="ballot-box-areas",
    ),
    # voice recognition: spoken punctuation and sound-alike words
    P(
        "Technique: Speck slash CT of the abdomen was acquired at 4 hours and repeated at 24 "
        "hours comma the second to separate bowel activity.",
        {"modality": "spect_ct", "spect_days": 2, "areas": ("abdomen",)},
        id="dictated-speck-slash-ct",
    ),
    P(
        "Impression: No graft infection period If concern persists comma speck CT of the "
        "abdomen and pelvis could be added at a repeat examination.",
        {"modality": "none", "area_count": None},
        id="dictated-spect-could-be-added",
    ),
    P(
        "Whole body images at 24 hours. If the question remains, SPECT/CT of the chest can be "
        "acquired tomorrow.",
        {"modality": "planar", "whole_body_planar": True, "area_count": None},
        id="spect-can-be-acquired-later",
    ),
    # key=value exports: a header line can say what was not done
    P(
        "ORDER=NM LUNG VENT/PERF W SPECT; PERFORMED=ventilation and perfusion, 6 planar views "
        "each; SPECT=not performed (patient could not lie flat >5 min)",
        {"modality": "none", "area_count": None},
        id="kv-spect-not-performed",
    ),
    P(
        "V/Q SPECT worksheet. Perfusion: Tc-99m MAA, SPECT of the chest. Planar-like "
        "reprojections generated from the SPECT data (not acquired separately).",
        {"modality": "spect", "study_type": "lung_vq", "area_count": 1},
        id="reprojections-not-acquired-separately",
    ),
    # British spelling of the bleeding study, which has its own codes
    P(
        "Labelled red cell scintigraphy for gastrointestinal haemorrhage. Dynamic abdominal "
        "images for 60 minutes, static views at 3 hours.",
        {"study_type": "out_of_scope", "modality": "none"},
        id="red-cell-scan-for-haemorrhage",
    ),
    P(
        "Labelled red cell SPECT/CT of the liver for a 2 cm hepatic haemangioma.",
        {"study_type": "liver", "modality": "spect_ct"},
        id="red-cell-spect-ct-liver",
    ),
]

# test_pipeline_snippets.py
TRACERS = [
    P(
        "Tc-99m sulfur colloid SPECT of the liver and spleen.",
        {"study_type": "liver", "modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="sulfur-colloid-liver-spleen",
    ),
]

# test_pipeline_studies.py
STUDY_TYPES = [
    P(
        "Gated SPECT blood pool imaging with Tc-99m labeled red blood cells; LVEF 48%, RVEF 41%.",
        {
            "study_type": "cardiac_blood_pool",
            "modality": "spect",
            "area_count": 1,
            "quantification": False,
        },
        id="cardiac-blood-pool",
    ),
    # a thallium viability study is a perfusion study: rest and redistribution are two
    P(
        "MYOCARDIAL VIABILITY\nPROTOCOL  Thallium-201 rest / 4-hour redistribution\n"
        "REST  3.4 mCi Tl-201 IV; SPECT 08:20\nREDISTRIBUTION  SPECT 12:10 (4 h)",
        {"study_type": "myocardial_perfusion", "modality": "spect", "cardiac_studies": 2},
        id="thallium-rest-redistribution-viability",
    ),
    P(
        "Thallium tumor imaging of the thigh mass, SPECT at 20 min.",
        {"study_type": "tumor", "modality": "spect"},
        id="thallium-tumor-imaging",
    ),
    # DPD is a bone agent first: a cardiac amyloid study says so in words
    P(
        "Whole-body bone scan 3 h after 600 MBq 99mTc-DPD; SPECT/CT of the lumbar spine.",
        {"study_type": "bone", "modality": "spect_ct"},
        id="dpd-bone-scan",
    ),
    P(
        "Tc-99m DPD scintigraphy for suspected ATTR cardiac amyloidosis: SPECT/CT of the "
        "chest, Perugini grade 2.",
        {"study_type": "other", "modality": "spect_ct"},
        id="dpd-cardiac-amyloid",
    ),
    # "on SPECT/CT" refers to images that exist
    P(
        "Tc-99m PYP: planar chest at 1 h; SPECT/CT chest at 3 h. The uptake is myocardial "
        "rather than blood pool on SPECT/CT.",
        {"modality": "spect_ct", "area_count": 1},
        id="rather-than-blood-pool-on-spect-ct",
    ),
    P(
        "Tc-99m PYP: planar chest images at 1 hour rather than SPECT/CT, which the patient "
        "could not tolerate.",
        {"modality": "planar", "area_count": None},
        id="planar-rather-than-spect-ct",
    ),
    # two studies in one document: the out-of-scope PET does not swallow the SPECT
    P(
        "Exam A - stress myocardial perfusion SPECT with Tc-99m sestamibi, gated, one day.\n"
        "Exam B - F-18 FDG PET/CT for viability, performed after lunch on the PET scanner.\n"
        "Summary: reversible inferior defect; viable anterior wall on FDG.",
        {"study_type": "myocardial_perfusion", "modality": "spect"},
        id="perfusion-spect-beside-fdg-pet",
    ),
    P(
        "F-18 FDG PET/CT for lymphoma staging. Tc-99m sestamibi given the next day.",
        {"study_type": "out_of_scope", "modality": "none"},
        id="fdg-pet-and-a-tracer-only",
    ),
    # one half of a V/Q study not done: the other half's SPECT was
    P(
        "Lung scan: ventilation with Technegas failed, so no ventilation SPECT was obtained. "
        "Perfusion SPECT/CT after 4 mCi Tc-99m MAA, CT for anatomic localization.",
        {"study_type": "lung_vq", "modality": "spect_ct", "area_count": 1},
        id="no-ventilation-spect-perfusion-done",
    ),
    P(
        "V/Q scan: planar ventilation and perfusion images. No SPECT was performed.",
        {"modality": "none", "area_count": None},
        id="vq-no-spect-planar-is-out-of-scope",
    ),
    # a study booked for another day is not performed in this report
    P(
        "Whole-body bone scan today, anterior and posterior images at 3 h. In-111 "
        "pentetreotide injection tomorrow with SPECT/CT of the abdomen on 04/02/2023.",
        {"modality": "planar", "spect_days": None, "whole_body_planar": True},
        id="spect-ct-tomorrow-is-not-done",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPINE)
def test_pipeline_areas_spine_maps_by_level(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), REGIONS)
def test_pipeline_areas_regions_counted(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), HISTORICAL)
def test_pipeline_context_historical_procedure_not_counted(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), SPECT_DAYS)
def test_pipeline_days_spect_days_from_time_phrases(nlp, text, expected):
    facts = facts_of(nlp, text)
    assert (facts.modality in ("spect", "spect_ct"), facts.spect_days) == (True, expected)


@pytest.mark.parametrize(("text", "expected"), PLANAR_AND_SPECT_DAYS)
def test_pipeline_days_planar_days_kept_apart_from_spect_days(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "fact", "texts"), EXACT_SPANS)
def test_pipeline_evidence_span_is_exactly_the_words(nlp, text, fact, texts):
    facts = facts_of(nlp, text)
    assert sorted(e.text for e in facts.evidence_for(fact)) == sorted(texts)
    assert_offsets(text, facts)


@pytest.mark.parametrize("text", QUANT_FALSE)
def test_pipeline_quant_scores_ratios_and_recommendations_are_not(nlp, text):
    assert facts_of(nlp, text).quantification is False


@pytest.mark.parametrize(("text", "expected"), CT_PURPOSE)
def test_pipeline_quant_ct_purpose_decides_modality(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), FORMATS)
def test_pipeline_sections_transcription_formats(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), TRACERS)
def test_pipeline_spellings_radiopharmaceutical_sets_study_type(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), STUDY_TYPES)
def test_pipeline_studies_study_type(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Reports translated from French keep its terms: "tomoscintigraphy" is SPECT and "TDM"
# (tomodensitométrie) is CT.
TRANSLATED = [
    P(
        "Protocol: Injection of 185 MBq of 123I-ioflupane. Tomoscintigraphic acquisition "
        "centred on the brain at 4 hours.",
        {"modality": "spect", "areas": ("head",), "area_count": 1, "spect_days": 1},
        id="tomoscintigraphic-acquisition",
    ),
    P(
        "Tomoscintigraphy coupled to TDM of the abdomen and pelvis realised at 24 hours, TDM "
        "for anatomical localisation.",
        {"modality": "spect_ct", "ct_purpose": "localization", "area_count": 2},
        id="tomoscintigraphy-coupled-to-tdm",
    ),
    P(
        "SPECT-TDM of the thorax at 3 hours after injection of 700 MBq of 99mTc-HMDP.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1},
        id="spect-tdm",
    ),
    # French time notation: H<n> hours after injection, J0 the injection day, J1 the next
    P(
        "Whole-body scans at H4 (J0) and at H24 (J1) after 150 MBq of 111In-pentetreotide; "
        "SPECT/CT of the abdomen at H24 only.",
        {"whole_body_planar": True, "whole_body_days": 2, "spect_days": 1},
        id="french-hours-and-days",
    ),
    P(
        "Tomoscintigraphy of the pelvis at H+4, repeated at J+1.",
        {"modality": "spect", "spect_days": 2},
        id="french-plus-notation",
    ),
    P(
        "Planar images of the abdomen at 1 hour and at 4 hours, and the next day at 24 hours. "
        "Tomographic study was not realised.",
        {"modality": "planar", "spect_days": None, "planar_days": 2},
        id="tomographic-study-not-realised",
    ),
    P(
        "Tomoscintigraphy of the chest at H4 and H6.",
        {"modality": "spect", "spect_days": 1},
        id="french-same-day-hours",
    ),
    P(
        "SPECT of the abdomen at 24 hours; the patient takes an H2 blocker and vitamin B12.",
        {"modality": "spect", "spect_days": 1},
        id="h2-blocker-is-not-a-time",
    ),
    # "phases" written out, as translated bone reports do
    P(
        "Bone scintigraphy in three phases with 99mTc-HMDP, centred on the ankles.",
        {"three_phase": True, "modality": "planar"},
        id="bone-in-three-phases",
    ),
    P(
        "99mTc-MDP: vascular and tissular phases over the right knee, then late whole-body "
        "images at 3 hours.",
        {"three_phase": True, "whole_body_planar": True},
        id="vascular-and-tissular-phases",
    ),
    P(
        "Bone scan: vascular phase and early tissue phase of both feet, delayed images of the "
        "feet at 3 hours.",
        {"three_phase": True, "modality": "planar"},
        id="vascular-phase-and-tissue-phase",
    ),
    P(
        "99mTc-MDP: vascular and tissular phases were not acquired; late whole-body images only.",
        {"three_phase": False, "whole_body_planar": True},
        id="phases-not-acquired",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TRANSLATED)
def test_pipeline_terms_translated_from_french(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Copy-forward reports: an earlier report pasted under a banner keeps its own "Technique:"
# and "Impression:" headers, but nothing in it was performed today (policy section 9).
COPIED_PRIOR = [
    P(
        "TECHNIQUE: Tc-99m MDP; SPECT of the lumbar spine at 3 hours. No CT.\n"
        "IMPRESSION: L3 compression fracture.\n\n"
        "====== PREVIOUS REPORT (copied forward) ======\n"
        "Technique: SPECT/CT of the chest and pelvis with SUV quantitation.\n"
        "Impression: no metastasis.\n"
        "====== END OF PREVIOUS REPORT ======",
        {"modality": "spect", "areas": ("abdomen",), "quantification": False},
        id="decorated-banner-with-end-marker",
    ),
    P(
        "EXAM: Ga-68 DOTATATE PET/CT.\nTECHNIQUE: PET/CT from vertex to thighs.\n\n"
        "Prior report (copied for reference):\n"
        '"Octreotide scan with SPECT/CT of the abdomen at 24 hours. Impression: negative."\n'
        "END OF COPIED TEXT",
        {"modality": "none", "study_type": "out_of_scope", "area_count": None},
        id="colon-banner-pet-today",
    ),
    P(
        "TECHNIQUE: SPECT of the pelvis at 4 hours.\n\n"
        "Copied from the prior report of 2019:\n"
        "Technique: SPECT/CT of the chest.",
        {"modality": "spect", "areas": ("pelvis",), "area_count": 1},
        id="copied-from-line-runs-to-the-end",
    ),
    # contrast: a "prior report" line that carries its own content is no banner
    P(
        "Prior report: none available.\nTECHNIQUE: SPECT/CT of the chest at 4 hours.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1},
        id="prior-report-none-is-no-banner",
    ),
    P(
        "PRIOR REPORT (copied):\nTechnique: SPECT of the chest.\n"
        "---- CURRENT REPORT ----\nTechnique: SPECT/CT of the pelvis.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="prior-block-ends-at-current-report",
    ),
]


@pytest.mark.parametrize(("text", "expected"), COPIED_PRIOR)
def test_pipeline_sections_copied_prior_report_is_history(nlp, text, expected):
    facts = facts_of(nlp, text)
    assert_facts(facts, expected)
    assert_offsets(text, facts)


# Structured templates: one field per line, boxed answers, and the imaging days on a line
# of their own below the acquisition type.
TEMPLATES = [
    P(
        "Whole-body planar: [No]\nAcquisition type: SPECT/CT of the pelvis\nCT: [Yes]",
        {"modality": "spect_ct", "whole_body_planar": False, "areas": ("pelvis",)},
        id="boxed-no-negates-whole-body",
    ),
    P(
        "Whole body planar: No\nAcquisition type: SPECT of the chest",
        {"modality": "spect", "whole_body_planar": False},
        id="bare-no-negates-whole-body",
    ),
    P(
        "Whole-body planar: [Yes]\nAcquisition type: SPECT/CT of the pelvis",
        {"whole_body_planar": True, "whole_body_days": 1},
        id="boxed-yes-keeps-whole-body",
    ),
    # contrast: "no" that starts a finding is not the field's value
    P(
        "Technique: SPECT/CT of the pelvis at 4 h.\nSPECT/CT: no focal uptake in the pelvis.",
        {"modality": "spect_ct", "areas": ("pelvis",)},
        id="kv-no-finding-keeps-spect",
    ),
    P(
        "Acquisition type: SPECT\nCT: [No]\nImaging days: Day 1 (24 h), Day 2 (48 h)",
        {"modality": "spect", "spect_days": 2},
        id="template-imaging-days-hours-win",
    ),
    P(
        "Acquisition type: SPECT/CT of the abdomen\nImaging days: Day 1 (4 h post-injection)",
        {"modality": "spect_ct", "spect_days": 1},
        id="template-imaging-days-one-day",
    ),
    P(
        "Acquisition type: SPECT of the pelvis\nScan times: 4 h and 24 h",
        {"modality": "spect", "spect_days": 2},
        id="template-scan-times",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TEMPLATES)
def test_pipeline_context_structured_template_fields(nlp, text, expected):
    facts = facts_of(nlp, text)
    assert_facts(facts, expected)
    assert_offsets(text, facts)


# A negated CT that names an earlier study says nothing about this study's CT.
EARLIER_CT_NEGATED = [
    P(
        "OTHER IMAGING: Neck ultrasound last month. No prior 4D-CT.\n\n"
        "TECHNIQUE: Tc-99m sestamibi planar images of the neck; SPECT/CT of the neck with "
        "the CT fused for localization.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="no-prior-4dct",
    ),
    P(
        "Imaging history: no previous CT of the chest.\n"
        "Technique: SPECT/CT of the chest at 4 hours.",
        {"modality": "spect_ct", "areas": ("chest",)},
        id="no-previous-ct",
    ),
    # contrast: a plain "no CT" in the technique still means SPECT only
    P(
        "TECHNIQUE: planar images of the neck and SPECT of the neck; no CT was acquired.",
        {"modality": "spect"},
        id="plain-no-ct-is-spect",
    ),
]


@pytest.mark.parametrize(("text", "expected"), EARLIER_CT_NEGATED)
def test_pipeline_quant_earlier_ct_negation_keeps_spect_ct(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# What the CT of a hybrid camera was (not) used for.
CT_NOT_USED = [
    P(
        "Technique: sestamibi planar images of the neck; SPECT of the neck at 20 min "
        "(tomography only, the hybrid CT was not used).",
        {"modality": "spect", "has_contradiction": False},
        id="hybrid-ct-was-not-used",
    ),
    P(
        "Technique: SPECT of the chest with a low-dose CT for attenuation correction only; the "
        "CT was not used for anatomic correlation.\nImpression: nodule; a contrast CT is "
        "advised before surgery.",
        {"modality": "spect", "ct_purpose": "attenuation", "has_contradiction": False},
        id="ac-only-ct-and-advised-contrast-ct",
    ),
    # contrast: CT findings of this study in the impression are an anatomic review
    P(
        "Technique: SPECT/CT of the chest.\nImpression: the focus matches a 9 mm node on CT.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="ct-finding-in-impression-is-review",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CT_NOT_USED)
def test_pipeline_quant_ct_not_used(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Dictated reports write the time points in words.
WORD_TIMES = [
    P(
        "Technique: at three hours whole-body images and SPECT/CT of the abdomen; the patient "
        "came back the next day and at twenty-four hours SPECT/CT of the abdomen was repeated.",
        {"modality": "spect_ct", "spect_days": 2, "whole_body_days": 1},
        id="three-and-twenty-four-hours",
    ),
    P(
        "Technique: whole-body images at six and forty-eight hours; SPECT of the pelvis at "
        "forty-eight hours only.",
        {"modality": "spect", "spect_days": 1, "whole_body_days": 2},
        id="wb-two-days-spect-one",
    ),
    P(
        "Technique: SPECT of the chest at two hours and again at seventy-two hours.",
        {"modality": "spect", "spect_days": 2},
        id="two-and-seventy-two-hours",
    ),
    # contrast: a duration in words is no time point
    P(
        "Technique: the patient fasted for six hours; SPECT of the abdomen at twenty minutes.",
        {"modality": "spect", "spect_days": 1},
        id="duration-in-words",
    ),
]


@pytest.mark.parametrize(("text", "expected"), WORD_TIMES)
def test_pipeline_days_time_points_in_words(nlp, text, expected):
    facts = facts_of(nlp, text)
    assert_facts(facts, expected)
    assert_offsets(text, facts)


# A SPECT "deferred" and then reported as done later in the report was done.
DEFERRED_THEN_DONE = [
    P(
        "Technique: whole-body bone images at 3 hours. SPECT was deferred because of a camera "
        "fault; SPECT of the lumbar spine was acquired the next morning. No CT.",
        {"modality": "spect", "areas": ("abdomen",), "spect_days": 1, "has_contradiction": False},
        id="deferred-then-acquired",
    ),
    # contrast: a deferral with nothing done afterwards is a denial
    P(
        "Technique: whole-body bone images at 3 hours. SPECT was deferred because of a camera "
        "fault.",
        {"modality": "planar", "spect_days": None},
        id="deferred-only",
    ),
    P(
        "Technique: whole-body images at 4 h and 24 h. SPECT/CT was deferred - the patient "
        "left early; she will return for SPECT/CT if the oncologist asks.",
        {"modality": "planar", "spect_days": None},
        id="deferred-with-planned-return",
    ),
    P(
        "Technique: whole-body images at 3 hours. SPECT/CT of the pelvis was deferred to next "
        "week; it will be reported separately.\nImpression: see the forthcoming SPECT/CT.",
        {"modality": "planar", "spect_days": None},
        id="deferred-to-a-forthcoming-study",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DEFERRED_THEN_DONE)
def test_pipeline_context_deferred_then_done(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# One document, two studies: the SPECT belongs to the study named beside it, even when the
# title names the other (planar-only, own-coded) study first.
SPECT_STUDY_OVER_PLANAR = [
    P(
        "CARDIAC AND LUNG PERFUSION SCANS - ONE REPORT\n"
        "Part A: rest gated SPECT with sestamibi; stress gated SPECT after regadenoson.\n"
        "Part B - lung perfusion: Tc-99m MAA, planar images in six views.\n"
        "Results: no lung perfusion defect.\n"
        "Impression: normal myocardial perfusion; normal lung perfusion, embolism unlikely.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2},
        id="mpi-spect-beside-planar-lung-perfusion",
    ),
    # contrast: a V/Q study with its own SPECT stays a lung study
    P(
        "LUNG VENTILATION AND PERFUSION\nTechnique: Tc-99m MAA perfusion SPECT/CT of the "
        "chest after Technegas ventilation SPECT.",
        {"study_type": "lung_vq"},
        id="vq-spect-stays-lung",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPECT_STUDY_OVER_PLANAR)
def test_pipeline_studies_spect_study_over_planar_study(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)
