"""Quantification (the 78835 fact) and the CT's purpose.

Quantification (coding-policy.md section 3, LABELING.md): true only for an explicit
quantitative measurement of uptake from the SPECT(/CT) data -- SUV or kBq/mL from a
quantitative reconstruction, absolute quantification, voxel / lesion dosimetry. False for
visual scores, ratios on planar images, lung perfusion percentages, LVEF, uptake
percentages, recommendations and measurements from other studies.

CT purpose (section 3 "Modality"): fused / localization -> spect_ct; attenuation
correction only -> spect; SPECT/CT with no purpose -> spect_ct; outside CT registered by
software -> spect; SPECT-only camera -> spect.
"""

from __future__ import annotations

import pytest

from tests.pipeline_support import assert_facts, facts_of

P = pytest.param


QUANT_TRUE = [
    # contrast: a table column of this study's own SPECT/CT values
    P(
        "TECHNIQUE: Lu-177 DOTATATE quantitative SPECT/CT of the abdomen at 24 hours.\nTable\n"
        "  Site          Size (mm)   SUVmax   Prior PET 02/2023\n"
        "  Liver dome    22          14.2     avid\n",
        id="table-column-of-this-spect",
    ),
    P(
        "SPECT/CT of the pelvis with quantitative reconstruction; SUVmax of the right iliac "
        "lesion 23.5.",
        id="suvmax-quantitative-reconstruction",
    ),
    P(
        "xSPECT Quant of the lumbar spine: the L2 lesion has an SUVmax of 14.2.",
        id="xspect-quant-suvmax",
    ),
    P(
        "Activity concentration in the dominant liver lesion was 42 kBq/mL on the "
        "quantitative SPECT/CT.",
        id="kbq-per-ml",
    ),
    P(
        "Lu-177 DOTATATE SPECT/CT at 4, 24 and 96 hours with voxel-based dosimetry; kidney "
        "absorbed dose 3.1 Gy.",
        id="voxel-dosimetry",
    ),
    P(
        "Absolute quantification of the I-131 SPECT/CT data: the thyroid remnant contains "
        "5.2 MBq at 24 hours.",
        id="absolute-quantification",
    ),
    P(
        "Lesion dosimetry from the SPECT/CT gave an absorbed dose of 85 Gy to the dominant tumor.",
        id="lesion-dosimetry",
    ),
    P("Quantitative SPECT/CT of the chest: SUVpeak of the right rib lesion 7.9.", id="suvpeak"),
    P(
        "SPECT/CT of the lumbar spine reconstructed quantitatively; SUVmean at L4 is 3.2.",
        id="suvmean",
    ),
    P(
        "SPECT/CT of the pelvis. Maximum standardized uptake value (SUV) of the sacral focus "
        "is 9.6.",
        id="suv-spelled-out",
    ),
]

QUANT_FALSE = [
    # a quantitative reconstruction with no measurement made: the cycle number in the title
    # is no measured value
    P(
        "Lu-177 PSMA cycle 2 dosimetry imaging\nSPECT/CT of the abdomen at 24 h, quantitative "
        "reconstruction. No dosimetry was calculated (only one time point).",
        id="cycle-number-is-no-value",
    ),
    # a section of advice names what could be done later, cue words or not
    P(
        "TECHNIQUE: SPECT/CT of the liver at 24 h.\nIMPRESSION: Two avid liver lesions.\n"
        "RECOMMENDATIONS: Quantitative SPECT/CT with SUV values at the next visit if possible.",
        id="recommendations-section-quantitative-spect",
    ),
    # a lesion table whose value column is a past PET's
    P(
        "TECHNIQUE: In-111 pentetreotide SPECT/CT of the abdomen at 4 hours.\nTable\n"
        "  Site          Size (mm)   PET 02/2023\n"
        "  Liver dome    22          SUVmax 11\n"
        "  Porta node    9           SUVmax 6\n",
        id="table-column-of-prior-pet",
    ),
    P(
        "In-111 pentetreotide SPECT/CT of the abdomen: Krenning score 3 uptake in the "
        "pancreatic head lesion.",
        id="krenning-score",
    ),
    P("I-123 MIBG SPECT/CT of the chest, abdomen and pelvis; Curie score 5.", id="curie-score"),
    P("Ga-67 SPECT/CT of the chest: residual mediastinal uptake, Deauville 4.", id="deauville"),
    P(
        "Tc-99m PYP: planar H/CL ratio 1.7 at 1 hour. SPECT of the chest confirms myocardial "
        "uptake.",
        id="h-cl-ratio-planar",
    ),
    P(
        "Tc-99m pyrophosphate planar heart-to-contralateral lung ratio of 1.62; SPECT/CT of "
        "the chest was also acquired.",
        id="heart-to-contralateral-lung",
    ),
    P(
        "I-123 MIBG planar heart-to-mediastinum ratio 1.3. SPECT of the chest shows reduced "
        "inferior uptake.",
        id="heart-to-mediastinum",
    ),
    P(
        "Ventilation and perfusion SPECT of the lungs. Lobar perfusion: right upper 16%, "
        "right middle 10%, right lower 27%, left upper 22%, left lower 25%.",
        id="lobar-perfusion-percent",
    ),
    P(
        "Perfusion SPECT/CT of the lungs. Differential perfusion: right lung 58%, left lung 42%.",
        id="differential-lung-perfusion",
    ),
    P("Gated stress and rest myocardial perfusion SPECT: LVEF 58%, TID ratio 1.02.", id="lvef-tid"),
    P(
        "SPECT/CT of the abdomen. Recommend quantitative SPECT/CT with SUV measurement at "
        "the next treatment cycle.",
        id="recommend-quantitative-spect",
    ),
    P(
        "SPECT/CT of the knees. Lesion-to-background uptake is visually increased on the right.",
        id="lesion-to-background-visual",
    ),
    P("Tc-99m HDP SPECT of the chest: Perugini grade 2 cardiac uptake.", id="perugini"),
    P(
        "COMPARISON: FDG PET/CT 2/2022 with SUVmax 9.2.\nTECHNIQUE: SPECT/CT of the chest at "
        "4 hours.",
        id="suv-from-comparison-pet",
    ),
    P(
        "SPECT/CT of the pelvis. No quantitative analysis was performed.",
        id="no-quantitative-analysis",
    ),
    P(
        "SPECT/CT of the lumbar spine: the L3 focus is graded moderate (grade 2 of 3).",
        id="visual-grade",
    ),
    P(
        "Prior SPECT/CT (2021) showed SUVmax 12.1.\nTECHNIQUE: Planar whole body images only.",
        id="historical-suv-planar-study",
    ),
    P(
        "I-123 thyroid uptake 24% at 24 hours with anterior pinhole images.",
        id="thyroid-uptake-percent",
    ),
    P("Gastric emptying: 62% retention at 2 hours.", id="gastric-retention"),
]

CT_PURPOSE = [
    P(
        "SPECT/CT of the pelvis. The CT was used for anatomic localization.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="ct-for-localization",
    ),
    P(
        "SPECT images of the abdomen were fused with the low-dose CT.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="fused-with-low-dose-ct",
    ),
    P(
        "SPECT of the lumbar spine with a low-dose CT acquired for attenuation correction "
        "only; the CT was not fused or reviewed.",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="ct-attenuation-only-not-fused",
    ),
    # the negation reaches every item of an "or" list: "no CT fusion or anatomic review"
    P(
        "SPECT of the liver with a low-dose CT for attenuation correction. No CT fusion or "
        "anatomic review was done; the images were compared with last week's MRI.",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="no-fusion-or-review-list",
    ),
    # contrast: a localization stated after the negated item is the CT's use
    P(
        "SPECT of the liver with a low-dose CT: no contrast given, and the CT was fused for "
        "localization.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="negation-ends-before-localization",
    ),
    P(
        "SPECT of the chest. CT for attenuation correction only, not fused.",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="terse-attenuation-only",
    ),
    P(
        "SPECT/CT of the chest was performed.",
        {"modality": "spect_ct", "ct_purpose": "unknown"},
        id="spect-ct-no-purpose",
    ),
    P(
        "SPECT of the abdomen was registered by software to an outside CT from 1/3/2023.",
        {"modality": "spect"},
        id="outside-ct-software-registered",
    ),
    P(
        "Imaging was performed on a SPECT-only camera: SPECT of the lumbar spine.",
        {"modality": "spect"},
        id="spect-only-camera",
    ),
    P(
        "SPECT of the pelvis; low-dose CT was acquired for attenuation correction and "
        "anatomic localization.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="attenuation-and-localization",
    ),
    P(
        "SPECT/CT of the neck. The attenuation correction CT was also reviewed for anatomic "
        "correlation.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="attenuation-ct-also-reviewed",
    ),
    P(
        "SPECT-CT of the knees; CT for AC only, no anatomic review.",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="ac-only-abbreviation",
    ),
    P(
        "SPECT/CT of the abdomen: the CT provides anatomic correlation for the tracer uptake.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="ct-anatomic-correlation",
    ),
    P(
        "Non-contrast CT was obtained for localization and fused SPECT/CT images of the "
        "pelvis were reviewed.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="ct-for-localization-fused",
    ),
    P(
        "SPECT of the pelvis on a dual-head camera without CT capability.",
        {"modality": "spect"},
        id="camera-without-ct",
    ),
    P(
        "SPECT images of the chest were compared side by side with the CT of 2/1/2023 from "
        "an outside facility.",
        {"modality": "spect"},
        id="outside-ct-side-by-side",
    ),
]


@pytest.mark.parametrize("text", QUANT_TRUE)
def test_pipeline_quant_explicit_measurement_is_quantification(nlp, text):
    assert facts_of(nlp, text).quantification is True


@pytest.mark.parametrize("text", QUANT_FALSE)
def test_pipeline_quant_scores_ratios_and_recommendations_are_not(nlp, text):
    assert facts_of(nlp, text).quantification is False


@pytest.mark.parametrize(("text", "expected"), CT_PURPOSE)
def test_pipeline_quant_ct_purpose_decides_modality(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A document with a bone SPECT/CT and a PET/CT: an SUV in the part of a line that a
# "PET/CT:" label opens is the PET's measurement, even when the SPECT is named later in
# that sentence; an SUV under a SPECT/CT label is this study's.
PET_LABELLED_SUV = [
    P(
        "Technique: Tc-99m MDP whole-body images and SPECT/CT of the pelvis.\n"
        "Results: Bone: sclerotic focus in the left ilium. PET/CT: avid right hilar node "
        "(SUVmax 9.1); the ilium focus is avid too (inside the SPECT field).",
        {"quantification": False, "modality": "spect_ct"},
        id="suv-under-pet-label",
    ),
    # contrast: the SPECT/CT label owns the SUV
    P(
        "Technique: Tc-99m MDP SPECT/CT of the pelvis with quantitative reconstruction.\n"
        "Results: PET/CT from last week not reviewed. SPECT/CT: ilium focus SUVmax 14.2.",
        {"quantification": True},
        id="suv-under-spect-label",
    ),
    # a part of a combined report, set off by a blank line and headed by a PET, owns the
    # SUVs in it; the SPECT part that follows measured nothing
    P(
        "Combined theranostics note\n\nA. F-18 PSMA PET/CT\nSUVmax of the right iliac node "
        "12.1 (prior 20.4).\n\nB. Lu-177 PSMA at 24 h: SPECT/CT of the pelvis; uptake "
        "matches the PET.",
        {"quantification": False, "modality": "spect_ct"},
        id="suv-in-a-part-headed-by-pet",
    ),
    # contrast: the part is headed by the SPECT/CT, whose own SUVs they are
    P(
        "Combined theranostics note\n\n1) F-18 PSMA PET/CT reviewed separately.\n\n"
        "2) Lu-177 PSMA quantitative SPECT/CT of the pelvis at 24 h\n"
        "Right iliac node SUVmax 12.1.",
        {"quantification": True},
        id="suv-in-a-part-headed-by-spect",
    ),
    # the impression restates the dose measured on the PET, not a SPECT measurement
    P(
        "Technique: Y-90 bremsstrahlung SPECT/CT of the liver, read visually; then Y-90 "
        "PET/CT of the liver.\nResults: absorbed doses were computed on the PET/CT: "
        "tumor 180 Gy, normal liver 31 Gy.\nImpression: tumor dose about 180 Gy, adequate.",
        {"quantification": False, "modality": "spect_ct"},
        id="impression-restates-pet-dose",
    ),
    # contrast: with no PET the impression's dose is the SPECT's
    P(
        "Technique: Lu-177 quantitative SPECT/CT of the abdomen at 24 h and 96 h.\n"
        "Impression: kidney dose about 3.1 Gy.",
        {"quantification": True},
        id="impression-dose-without-pet",
    ),
]

# A dose from a meter or from samples is no measurement from the SPECT data (LABELING.md,
# gold P).
NON_IMAGING_DOSE = [
    P(
        "I-131 post-therapy scan. Whole-body planar on day 3; SPECT/CT of the neck.\n"
        "Release criteria: dose rate at 1 m 18 microSv/h; estimated whole-body dose 0.9 Gy "
        "from the dose-rate readings.",
        {"quantification": False, "modality": "spect_ct"},
        id="dose-from-dose-rate-readings",
    ),
    P(
        "Lu-177 post-therapy SPECT/CT of the abdomen at 24 h.\nBone marrow dose from blood "
        "samples: 0.12 Gy.",
        {"quantification": False},
        id="marrow-dose-from-blood-samples",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NON_IMAGING_DOSE)
def test_pipeline_quant_dose_not_from_images(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), PET_LABELLED_SUV)
def test_pipeline_quant_suv_of_a_pet_part(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A macro's flat "Quantitative analysis: not performed" beside a dictated measurement: the
# measurement is coded and the disagreement reviewed (grey zone 5, gold Y decisions).
QUANT_FIELD_DENIAL = [
    P(
        "TECHNIQUE: SPECT/CT of the pelvis with quantitative reconstruction.\n"
        "Quantitative analysis: not performed\n"
        "FINDINGS: Right iliac lesion, SUVmax 18.2.",
        {"quantification": True, "has_contradiction": True},
        id="macro-denies-quant-beside-suv",
    ),
    # contrast: the same field with no measurement is no contradiction
    P(
        "TECHNIQUE: SPECT/CT of the pelvis.\nQuantitative analysis: not performed\n"
        "FINDINGS: Degenerative sacroiliac uptake.",
        {"quantification": False, "has_contradiction": False},
        id="macro-denies-quant-and-none-done",
    ),
]


@pytest.mark.parametrize(("text", "expected"), QUANT_FIELD_DENIAL)
def test_pipeline_quant_macro_field_denial(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)
