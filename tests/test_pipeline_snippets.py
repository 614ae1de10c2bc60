"""Abbreviations and spellings (policy section 9): SPECT/CT variants, tomographic wording,
radiopharmaceutical spellings and the study type they imply, and time units.
"""

from __future__ import annotations

import pytest

from tests.pipeline_support import assert_facts, facts_of

P = pytest.param


SPECT_SPELLINGS = [
    P(
        "SPECT-CT of the pelvis was obtained 3 hours after injection.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="spect-hyphen-ct",
    ),
    P(
        "SPECT CT images of the chest were acquired.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1},
        id="spect-space-ct",
    ),
    P(
        "SPECTCT of the abdomen was performed at 4 hours.",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1},
        id="spectct-glued",
    ),
    P(
        "Spect/ct of both knees was acquired after the delayed views.",
        {"modality": "spect_ct", "areas": ("lower_extremities",), "area_count": 1},
        id="spect-ct-lowercase",
    ),
    P(
        "Hybrid imaging of the right foot was performed after the delayed planar views.",
        {"modality": "spect_ct", "areas": ("lower_extremities",), "area_count": 1},
        id="hybrid-imaging",
    ),
    P(
        "Tomographic images of the lumbar spine were acquired 3 hours after injection.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="tomographic-images",
    ),
    P(
        "3D imaging of the skull was performed after the planar views.",
        {"modality": "spect", "areas": ("head",), "area_count": 1},
        id="3d-imaging",
    ),
    P(
        "xSPECT/CT of the sacrum was acquired on the hybrid camera.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="xspect-ct",
    ),
    P(
        "xSPECT of the thoracic spine was acquired with a low dose CT for localization.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1},
        id="xspect-with-localization-ct",
    ),
    P(
        "Single photon emission computed tomography of the chest was performed.",
        {"modality": "spect", "areas": ("chest",), "area_count": 1},
        id="spect-spelled-out",
    ),
    P(
        "SPECT with low-dose CT of the neck was acquired at 2 hours.",
        {"modality": "spect_ct", "areas": ("neck",), "area_count": 1},
        id="spect-with-low-dose-ct",
    ),
    P(
        "SPECT and CT of the abdomen were acquired in the same session and fused.",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1},
        id="spect-and-ct-fused",
    ),
    P(
        "Fused SPECT/CT images of the pelvis were reviewed.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="fused-spect-ct-images",
    ),
    P(
        "SPECT/CT imaging of the cervical spine.",
        {"modality": "spect_ct", "areas": ("neck",), "area_count": 1},
        id="spect-ct-imaging-of",
    ),
    # the European spelling "SPET"
    P(
        "SPET of the lumbar spine was acquired 3 hours after Tc-99m HDP.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="spet",
    ),
    P(
        "Ventilation SPET with Technegas, then perfusion SPET/CT with Tc-99m MAA.",
        {"modality": "spect_ct", "areas": ("chest",), "acquisitions": 2},
        id="ventilation-and-perfusion-spet",
    ),
]

TRACERS = [
    P(
        "Tc-99m heat-damaged red blood cell imaging for splenosis. SPECT/CT of the upper "
        "abdomen. Comparison: FDG PET/CT 2022.",
        {"study_type": "other", "modality": "spect_ct"},
        id="heat-damaged-rbc-splenosis",
    ),
    P(
        "In-111 pentetreotide: SPECT/CT of the abdomen at 24 hours.",
        {"study_type": "tumor", "modality": "spect_ct", "spect_days": 1},
        id="in-111-pentetreotide",
    ),
    P(
        "111In-pentetreotide SPECT/CT of the abdomen at 24 h.",
        {"study_type": "tumor", "modality": "spect_ct", "spect_days": 1},
        id="111in-pentetreotide",
    ),
    P(
        "Indium-111 labeled white blood cells were reinjected; SPECT/CT of the pelvis at 24 hours.",
        {"study_type": "infection", "modality": "spect_ct", "areas": ("pelvis",)},
        id="indium-111-wbc",
    ),
    P(
        "111In-oxine labelled leukocytes. SPECT of the abdomen was acquired at 18 hours.",
        {"study_type": "infection", "modality": "spect", "areas": ("abdomen",)},
        id="111in-oxine-leukocytes",
    ),
    P(
        "Three hours after 25 mCi Tc99m MDP, SPECT/CT of the lumbar spine was acquired.",
        {"study_type": "bone", "modality": "spect_ct", "areas": ("abdomen",)},
        id="tc99m-mdp",
    ),
    P(
        "99mTc-HDP bone scintigraphy with SPECT of the thoracic spine.",
        {"study_type": "bone", "modality": "spect", "areas": ("chest",)},
        id="99mtc-hdp",
    ),
    P(
        "Tc-99m oxidronate was injected; SPECT/CT of the pelvis followed at 3 hours.",
        {"study_type": "bone", "modality": "spect_ct", "areas": ("pelvis",)},
        id="tc-99m-oxidronate",
    ),
    P(
        "Technetium-99m medronate, 22 mCi IV. SPECT of the right shoulder.",
        {"study_type": "bone", "modality": "spect", "areas": ("upper_extremities",)},
        id="technetium-medronate",
    ),
    P(
        "Ventilation with Tc-99m DTPA aerosol and perfusion with 99mTc-MAA, each followed "
        "by SPECT of the chest.",
        {"study_type": "lung_vq", "modality": "spect", "areas": ("chest",)},
        id="99mtc-maa-lung",
    ),
    P(
        "Tc99m sestamibi parathyroid scan: planar images at 15 minutes and 2 hours, SPECT/CT "
        "of the neck at 2 hours.",
        {"study_type": "parathyroid", "modality": "spect_ct", "areas": ("neck",)},
        id="tc99m-sestamibi-parathyroid",
    ),
    P(
        "DaTscan: SPECT of the brain 4 hours after 5 mCi I-123 ioflupane.",
        {"study_type": "brain", "modality": "spect", "areas": ("head",), "area_count": 1},
        id="i-123-ioflupane",
    ),
    P(
        "Brain perfusion SPECT after injection of 20 mCi Tc-99m HMPAO at rest.",
        {"study_type": "brain", "modality": "spect", "areas": ("head",)},
        id="tc-99m-hmpao-brain",
    ),
    P(
        "Tc-99m HMPAO-labeled leukocytes; SPECT/CT of the abdomen at 4 hours.",
        {"study_type": "infection", "modality": "spect_ct", "areas": ("abdomen",)},
        id="hmpao-labeled-leukocytes-not-brain",
    ),
    P(
        "Tc-99m labeled red blood cell SPECT of the liver to evaluate a suspected hemangioma.",
        {"study_type": "liver", "modality": "spect", "areas": ("abdomen",)},
        id="rbc-liver-hemangioma",
    ),
    P(
        "99mTc-DMSA SPECT of the kidneys was obtained 3 hours after injection.",
        {"study_type": "kidney", "modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="99mtc-dmsa-kidneys",
    ),
    P(
        "Ga-67 citrate SPECT/CT of the lumbar spine at 48 hours for suspected discitis.",
        {"study_type": "infection", "modality": "spect_ct", "areas": ("abdomen",)},
        id="ga-67-discitis",
    ),
    P(
        "Ga-67 citrate SPECT of the chest at 72 hours for Hodgkin lymphoma restaging.",
        {"study_type": "tumor", "modality": "spect", "areas": ("chest",)},
        id="ga-67-lymphoma",
    ),
    P(
        "Lu-177 DOTATATE post-treatment SPECT/CT of the abdomen at 24 hours.",
        {"study_type": "tumor", "modality": "spect_ct", "areas": ("abdomen",)},
        id="lu-177-dotatate",
    ),
    P(
        "I-123 MIBG SPECT/CT of the abdomen at 24 hours for neuroblastoma staging.",
        {"study_type": "tumor", "modality": "spect_ct", "areas": ("abdomen",)},
        id="i-123-mibg-neuroblastoma",
    ),
    P(
        "Indium-111 DTPA cisternography with SPECT of the head at 24 hours.",
        {"study_type": "csf", "modality": "spect", "areas": ("head",)},
        id="in-111-dtpa-cisternography",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPECT_SPELLINGS)
def test_pipeline_spellings_spect_and_spect_ct_variants(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), TRACERS)
def test_pipeline_spellings_radiopharmaceutical_sets_study_type(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("Lu-177 PSMA; SPECT/CT of the pelvis at 4 hrs and 24 hrs.", 2, id="hrs"),
        P("SPECT/CT of the pelvis at 4hr and 24hr after Lu-177 PSMA.", 2, id="hr-glued"),
        P("SPECT/CT of the pelvis at 4h and 24h.", 2, id="h-glued"),
        P("SPECT/CT of the pelvis at 4 h and at 24 h.", 2, id="h-spaced"),
        P("SPECT/CT of the pelvis at 4 hr and 24 hr post injection.", 2, id="hr-spaced"),
        P("SPECT/CT of the pelvis at 4 hours and 24 hours.", 2, id="hours"),
        P("SPECT/CT of the pelvis 4 and 24 h p.i.", 2, id="h-pi"),
    ],
)
def test_pipeline_spellings_hour_units(nlp, text, expected):
    assert facts_of(nlp, text).spect_days == expected
