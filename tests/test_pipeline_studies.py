"""Study-level facts: separate acquisitions, whole-body planar, three-phase bone, study
types (own-code studies, out-of-scope studies) and myocardial perfusion study counts.

Expected values from coding-policy.md sections 3-6 and LABELING.md (facts, code decisions,
out of scope).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.pipeline_support import assert_facts, facts_of

P = pytest.param


OUT: dict[str, Any] = {
    "modality": "none",
    "study_type": "out_of_scope",
    "area_count": None,
    "spect_days": None,
}

ACQUISITIONS = [
    # numbered acquisitions of one session after two injections
    P(
        "Baseline: Tc-99m HMPAO, brain SPECT #1 at 20 min.\nAfter acetazolamide, second dose "
        "of Tc-99m HMPAO; brain SPECT #2 at 14:20.",
        {"modality": "spect", "acquisitions": 2, "areas": ("head",), "area_count": 1},
        id="numbered-spect-acquisitions",
    ),
    # a findings sentence's rounded time refers back to the technique's acquisition
    P(
        "TECHNIQUE: In-111 DTPA intrathecal. Planar head images at 2 h; SPECT/CT of the head "
        "at 4 h 20 min.\nFINDINGS: The SPECT/CT at 4 h shows tracer in the left nasal cavity.",
        {"modality": "spect_ct", "acquisitions": 1, "spect_days": 1},
        id="findings-time-refers-to-technique-spect",
    ),
    P(
        "Ventilation SPECT after Tc-99m DTPA aerosol, followed by perfusion SPECT after "
        "Tc-99m MAA.",
        {
            "modality": "spect",
            "acquisitions": 2,
            "areas": ("chest",),
            "area_count": 1,
            "study_type": "lung_vq",
        },
        id="ventilation-and-perfusion-spect",
    ),
    P(
        "V/Q SPECT/CT: ventilation SPECT/CT with Technegas and perfusion SPECT/CT with 99mTc-MAA.",
        {"modality": "spect_ct", "acquisitions": 2, "area_count": 1, "study_type": "lung_vq"},
        id="vq-spect-ct",
    ),
    P(
        "Tc-99m sulfur colloid marrow SPECT/CT of the pelvis and In-111 labeled leukocyte "
        "SPECT/CT of the pelvis were both acquired.",
        {"acquisitions": 2, "areas": ("pelvis",), "area_count": 1},
        id="two-tracers-two-acquisitions",
    ),
    P(
        "SPECT of the lumbar spine was repeated because of patient motion.",
        {"acquisitions": 1, "area_count": 1},
        id="motion-repeat-is-one",
    ),
    P(
        "The initial SPECT/CT of the chest was degraded by motion and was re-acquired.",
        {"acquisitions": 1, "area_count": 1},
        id="motion-reacquired-is-one",
    ),
    P(
        "Perfusion SPECT of the lungs with Tc-99m MAA; ventilation imaging was not performed.",
        {"modality": "spect", "acquisitions": 1, "area_count": 1},
        id="perfusion-only-one",
    ),
    P(
        "SPECT/CT of the pelvis at 3 hours.",
        {"acquisitions": 1, "area_count": 1},
        id="single-acquisition",
    ),
]

WHOLE_BODY = [
    P(
        "Anterior and posterior whole body images 3 hours after Tc-99m MDP.",
        {"modality": "planar", "whole_body_planar": True, "whole_body_days": 1},
        id="whole-body-one-day",
    ),
    P(
        "Whole-body sweeps at 4 and 24 hours after In-111 pentetreotide.",
        {"modality": "planar", "whole_body_planar": True, "whole_body_days": 2},
        id="whole-body-sweeps-two-days",
    ),
    P(
        "Total body images at 24 and 48 hours after Ga-67 citrate.",
        {"modality": "planar", "whole_body_planar": True, "whole_body_days": 2},
        id="total-body-two-days",
    ),
    P(
        "Limited planar images of the chest 3 hours after Tc-99m MDP.",
        {"modality": "planar", "whole_body_planar": False},
        id="limited-planar-not-whole-body",
    ),
    P(
        "Spot views of the pelvis and SPECT of the pelvis.",
        {"modality": "spect", "whole_body_planar": False},
        id="spot-views-not-whole-body",
    ),
    P(
        "Whole body imaging was not performed; SPECT/CT of the chest only.",
        {"modality": "spect_ct", "whole_body_planar": False},
        id="negated-whole-body",
    ),
    P(
        "Whole body planar images and SPECT/CT of the thoracic spine 3 hours after Tc-99m MDP.",
        {
            "modality": "spect_ct",
            "whole_body_planar": True,
            "whole_body_days": 1,
            "areas": ("chest",),
            "area_count": 1,
        },
        id="whole-body-with-spect-ct",
    ),
]

THREE_PHASE = [
    P(
        "Three-phase bone scan of the right foot: flow, blood pool and 3-hour delayed images, "
        "with SPECT/CT of both feet.",
        {
            "three_phase": True,
            "modality": "spect_ct",
            "areas": ("lower_extremities",),
            "area_count": 1,
            "study_type": "bone",
        },
        id="three-phase-with-spect-ct",
    ),
    P(
        "Dynamic flow images, blood pool images and delayed images of the left knee were "
        "obtained after Tc-99m MDP.",
        {"three_phase": True, "modality": "planar", "area_count": None},
        id="flow-pool-delayed-planar",
    ),
    P(
        "3-phase bone scan of both wrists.",
        {"three_phase": True, "modality": "planar"},
        id="3-phase-digit",
    ),
    P(
        "Triple phase bone scintigraphy of the left hip.",
        {"three_phase": True, "modality": "planar"},
        id="triple-phase",
    ),
    P(
        "Delayed whole body images only, 3 hours after Tc-99m MDP.",
        {"three_phase": False, "modality": "planar"},
        id="delayed-only-not-three-phase",
    ),
    P(
        "Blood pool and delayed images of the right ankle after Tc-99m MDP.",
        {"three_phase": False, "modality": "planar"},
        id="two-phase-not-three-phase",
    ),
]

STUDY_TYPES = [
    # the scan after a radioiodine treatment images the tumor (LABELING.md gold G); the
    # treatment alone stays out of scope
    P(
        "Post I-131 therapy scan, day 6: whole-body planar images and SPECT/CT of the neck.",
        {"study_type": "tumor", "modality": "spect_ct"},
        id="post-i131-therapy-scan",
    ),
    P(
        "Whole body bone scan with SPECT of the pelvis after Tc-99m MDP.",
        {"study_type": "bone", "modality": "spect"},
        id="bone",
    ),
    P(
        "DaTscan SPECT of the brain 4 hours after I-123 ioflupane.",
        {"study_type": "brain", "modality": "spect", "areas": ("head",)},
        id="brain-datscan",
    ),
    P(
        "Ictal brain SPECT after Tc-99m ECD injection during a seizure.",
        {"study_type": "brain", "modality": "spect", "areas": ("head",)},
        id="brain-ecd",
    ),
    P(
        "Regadenoson stress and rest Tc-99m tetrofosmin gated myocardial perfusion SPECT.",
        {
            "study_type": "myocardial_perfusion",
            "modality": "spect",
            "cardiac_studies": 2,
            "area_count": 1,
        },
        id="mpi-stress-rest",
    ),
    P(
        "Stress-only Tc-99m sestamibi myocardial perfusion SPECT; rest imaging was not needed.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1, "area_count": 1},
        id="mpi-stress-only",
    ),
    P(
        "Exercise treadmill stress and rest Tc-99m sestamibi myocardial perfusion SPECT with "
        "CT attenuation correction.",
        {"study_type": "myocardial_perfusion", "modality": "spect", "cardiac_studies": 2},
        id="mpi-with-attenuation-ct",
    ),
    P(
        "Tc-99m sestamibi parathyroid imaging: planar images at 15 minutes and 2 hours; "
        "SPECT/CT of the neck and chest at 2 hours.",
        {
            "study_type": "parathyroid",
            "modality": "spect_ct",
            "areas": ("neck", "chest"),
            "area_count": 2,
            "spect_days": 1,
        },
        id="parathyroid-spect-ct",
    ),
    P(
        "Gated cardiac blood pool SPECT with in vitro labeled Tc-99m red blood cells.",
        {
            "study_type": "cardiac_blood_pool",
            "modality": "spect",
            "areas": ("chest",),
            "area_count": 1,
        },
        id="cardiac-blood-pool-explicit",
    ),
    P(
        "Perfusion SPECT/CT of the lungs after Tc-99m MAA for pulmonary embolism.",
        {"study_type": "lung_vq", "modality": "spect_ct", "areas": ("chest",)},
        id="lung-perfusion-spect",
    ),
    P(
        "In-111 pentetreotide SPECT/CT of the abdomen for a neuroendocrine tumor.",
        {"study_type": "tumor", "modality": "spect_ct"},
        id="tumor-octreotide",
    ),
    P(
        "In-111 labeled leukocyte SPECT/CT of the left foot for osteomyelitis.",
        {"study_type": "infection", "modality": "spect_ct", "areas": ("lower_extremities",)},
        id="infection-wbc",
    ),
    P(
        "Tc-99m sulfur colloid liver SPECT for focal nodular hyperplasia.",
        {"study_type": "liver", "modality": "spect", "areas": ("abdomen",)},
        id="liver-sulfur-colloid",
    ),
    P(
        "Tc-99m DMSA renal cortical SPECT for scarring.",
        {"study_type": "kidney", "modality": "spect", "areas": ("abdomen",)},
        id="kidney-dmsa-spect",
    ),
]

OUT_OF_SCOPE = [
    # "dynamic" describes how the PET was acquired, not gamma-camera flow images
    P(
        "CARDIAC PET/CT, REST AND DIPYRIDAMOLE STRESS\nTECHNIQUE: CT for attenuation "
        "correction. Rest N-13 ammonia dynamic/gated PET; dipyridamole stress, N-13 ammonia "
        "dynamic PET.\nIMPRESSION: Normal perfusion.",
        OUT,
        id="cardiac-pet-dynamic-acquisition",
    ),
    P(
        "Gastric emptying study: Tc-99m sulfur colloid labeled egg meal; anterior and posterior "
        "images of the abdomen at 0, 1, 2 and 4 hours. Retention at 4 hours is 8%.",
        OUT,
        id="gastric-emptying",
    ),
    P(
        "Tc-99m mebrofenin hepatobiliary scan: dynamic images for 60 minutes; the gallbladder "
        "fills at 25 minutes.",
        OUT,
        id="hida",
    ),
    P(
        "HIDA scan with SPECT/CT of the abdomen to evaluate for a bile leak.",
        OUT,
        id="hida-with-spect-ct",
    ),
    P(
        "I-123 thyroid uptake at 6 and 24 hours (18% and 32%) with anterior pinhole images of "
        "the thyroid.",
        {**OUT, "quantification": False},
        id="thyroid-uptake",
    ),
    P(
        "F-18 FDG PET/CT from the skull base to the mid-thigh. SUVmax of the right lung mass "
        "is 11.",
        OUT,
        id="fdg-pet-ct",
    ),
    P(
        "Ga-68 DOTATATE PET/CT of the neck, chest, abdomen and pelvis.",
        OUT,
        id="ga-68-dotatate-pet",
    ),
    P(
        "Tc-99m MAG3 renogram with furosemide; dynamic images of the kidneys for 30 minutes.",
        OUT,
        id="mag3-renogram",
    ),
    P(
        "Tc-99m pertechnetate Meckel scan: dynamic images of the abdomen for 60 minutes.",
        OUT,
        id="meckel",
    ),
    P(
        "Tc-99m labeled RBC GI bleeding study: dynamic images of the abdomen for 90 minutes.",
        OUT,
        id="gi-bleed-rbc",
    ),
    P(
        "Sentinel node lymphoscintigraphy of the left breast after Tc-99m sulfur colloid.",
        OUT,
        id="lymphoscintigraphy",
    ),
    P(
        "Planar ventilation with Tc-99m DTPA aerosol and perfusion with Tc-99m MAA in eight "
        "projections. No SPECT.",
        {"modality": "none", "area_count": None, "spect_days": None},
        id="planar-vq",
    ),
    P(
        "Planar gated blood pool imaging (MUGA) with Tc-99m RBCs: LVEF 55%.",
        {"modality": "none", "area_count": None, "quantification": False},
        id="planar-muga",
    ),
    # a past in-scope study named in the history or comparison is no second study here
    P(
        "F-18 FDG PET/CT, vertex to toes.\nHistory: Melanoma; an In-111 octreotide scan with "
        "SPECT/CT of the abdomen in 2019 was negative.\nTechnique: PET with CT for attenuation "
        "correction. No SPECT.\nComparison: The 2019 octreotide SPECT/CT.\nFindings:\n"
        "Liver: uptake at the level of the mediastinal blood pool.",
        OUT,
        id="pet-with-past-octreotide-spect-in-history",
    ),
    P(
        "Lymphoscintigraphy for sentinel node mapping of the right calf melanoma.\nHistory: "
        "Tc-99m HDP bone scan of the spine (2021), unremarkable.\nTechnique: Tc-99m "
        "tilmanocept intradermally; dynamic and static planar images of the legs and groins.",
        OUT,
        id="sentinel-node-with-past-bone-scan-in-history",
    ),
    # contrast: a PET/CT and a bone SPECT reported together keep the in-scope study
    P(
        "Study 1: F-18 FDG PET/CT of the chest.\nStudy 2: Tc-99m MDP bone scan with SPECT/CT "
        "of the lumbar spine 3 hours after injection.",
        {"study_type": "bone", "modality": "spect_ct", "areas": ("abdomen",)},
        id="pet-and-bone-spect-in-one-document",
    ),
    P(
        "The patient did not arrive for the examination. No imaging was performed.",
        {"modality": "none", "area_count": None, "spect_days": None},
        id="no-imaging",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ACQUISITIONS)
def test_pipeline_studies_separate_acquisitions(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), WHOLE_BODY)
def test_pipeline_studies_whole_body_planar(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), THREE_PHASE)
def test_pipeline_studies_three_phase_bone(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), STUDY_TYPES)
def test_pipeline_studies_study_type(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), OUT_OF_SCOPE)
def test_pipeline_studies_out_of_scope_has_no_modality(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Radioiodine whole-body surveys are family tumor studies; planar liver-spleen colloid
# imaging is out of scope, its SPECT is a family study (LABELING.md, gold M).
SURVEYS_AND_COLLOID = [
    P(
        "I-123 THYROID CANCER SURVEY\nImaging at 24 hours: anterior and posterior whole-body "
        "views; SPECT/CT of the neck.",
        {"study_type": "tumor", "modality": "spect_ct", "whole_body_planar": True},
        id="i123-thyroid-cancer-survey",
    ),
    P(
        "Radioiodine whole-body scan after I-131 therapy: whole-body planar images at 7 days "
        "and SPECT/CT of the chest.",
        {"study_type": "tumor", "modality": "spect_ct"},
        id="radioiodine-whole-body",
    ),
    P(
        "Tc-99m sulfur colloid liver-spleen scan: planar anterior and posterior views of the "
        "abdomen. No SPECT.",
        {"study_type": "out_of_scope", "modality": "none"},
        id="planar-colloid-liver-spleen",
    ),
    P(
        "Tc-99m sulfur colloid liver-spleen scan: planar views and SPECT of the abdomen.",
        {"study_type": "liver", "modality": "spect"},
        id="contrast-colloid-liver-spect",
    ),
    P(
        "Tc-99m RBC liver study for hemangioma: planar views of the abdomen only.",
        {"study_type": "liver", "modality": "planar"},
        id="contrast-planar-rbc-liver",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SURVEYS_AND_COLLOID)
def test_pipeline_studies_surveys_and_colloid(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A rest-only sestamibi gated SPECT reported with a PET/CT (viability): the gated SPECT
# names the perfusion study, the PET is out of scope, and a stress study only suggested
# for later is no second study.
REST_ONLY_WITH_PET = [
    P(
        "FDG PET/CT AND REST SESTAMIBI GATED SPECT\nTechnique: sestamibi at rest, gated "
        "SPECT at 45 min. FDG PET/CT after glucose loading.\nImpression: viable anterior "
        "wall. A stress study may be considered later.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="rest-sestamibi-gated-spect-with-pet",
    ),
    # contrast: a stress study that was done counts
    P(
        "Technique: sestamibi at rest, gated SPECT; regadenoson stress, gated SPECT.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2},
        id="rest-and-stress-done",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REST_ONLY_WITH_PET)
def test_pipeline_studies_rest_only_gated_spect_with_pet(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# LABELING.md gold P: ictal and interictal brain SPECT after two injections on one day are
# two acquisitions of one area; overlapping static views from vertex to feet are
# whole-body planar, but "vertex to toes" as the range of a PET/CT is not.
PEDIATRIC_PROTOCOLS = [
    P(
        "Tc-99m HMPAO. 09:10 inter-ictal SPECT of the brain. 15:40 ictal SPECT of the brain "
        "after a second injection during a seizure.",
        {"acquisitions": 2, "spect_days": 1, "area_count": 1},
        id="ictal-and-interictal-same-day",
    ),
    # contrast: an ictal SPECT alone is one acquisition
    P(
        "Tc-99m HMPAO injected during a seizure; ictal SPECT of the brain at 60 minutes.",
        {"acquisitions": 1},
        id="ictal-only",
    ),
    P(
        "I-123 MIBG at 24 h: static anterior and posterior views from vertex to feet; "
        "SPECT/CT of the abdomen.",
        {"whole_body_planar": True, "whole_body_days": 1},
        id="static-views-vertex-to-feet",
    ),
    # contrast: the range of a PET/CT
    P(
        "Technique: F-18 FDG PET/CT, vertex to toes, 60 minutes after injection.",
        {"whole_body_planar": False, "planar_days": None},
        id="pet-range-vertex-to-toes",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PEDIATRIC_PROTOCOLS)
def test_pipeline_studies_pediatric_protocols(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Words that look like a study cue but are not: "G-CSF" is a drug (a colony-stimulating
# factor), not the cerebrospinal-fluid study; a PET's "mediastinal blood pool" is the
# reference its uptake is graded against, not blood-pool imaging. The real studies still
# read (cisternography, CSF leak study, flow and blood-pool phases, MUGA, RBC liver).
LOOKALIKE_CUES = [
    P(
        "SPECT/CT of the chest and abdomen. The patient is currently receiving G-CSF. "
        "Diffuse marrow uptake.",
        {"study_type": "other", "modality": "spect_ct"},
        id="g-csf-is-a-drug",
    ),
    P(
        "Reason for exam: fever with neutropenia, on GM-CSF.\nTechnique: SPECT of the chest "
        "and abdomen.",
        {"study_type": "other", "modality": "spect"},
        id="gm-csf-is-a-drug",
    ),
    # contrast: the CSF studies
    P(
        "In-111 DTPA cisternography: planar views of the head at 6 and 24 hours; SPECT/CT of "
        "the skull base at 24 hours.",
        {"study_type": "csf", "modality": "spect_ct"},
        id="cisternography-is-csf",
    ),
    P(
        "SPECT/CT of the head for suspected CSF leak after intrathecal In-111 DTPA.",
        {"study_type": "csf"},
        id="csf-leak-study",
    ),
    P(
        "Tc-99m MDP: dynamic flow images of the pelvis, then delayed SPECT/CT of the pelvis. "
        "On the prior FDG PET the sacral focus was less than mediastinal blood pool.",
        {"three_phase": False, "modality": "spect_ct"},
        id="mediastinal-blood-pool-is-a-reference",
    ),
    P(
        "Tc-99m MDP: dynamic flow images of the left knee and SPECT/CT of the knees. A PSMA "
        "PET last month showed a node with uptake greater than the blood pool.",
        {"three_phase": False},
        id="greater-than-blood-pool-is-a-reference",
    ),
    # contrast: blood-pool imaging
    P(
        "Tc-99m MDP: dynamic flow images of the left knee, blood pool images and delayed "
        "SPECT/CT of the knees. Increased blood pool activity in the medial compartment.",
        {"three_phase": True, "modality": "spect_ct"},
        id="blood-pool-phase-still-read",
    ),
    P(
        "Flow and blood-pool phases of the right foot, then SPECT/CT at 3 hours after Tc-99m "
        "MDP; delayed uptake more intense than blood pool images suggested.",
        {"three_phase": True},
        id="than-blood-pool-images-still-read",
    ),
    P(
        "Gated blood pool SPECT after in vivo Tc-99m RBC labeling.",
        {"study_type": "cardiac_blood_pool"},
        id="gated-blood-pool-still-read",
    ),
    P(
        "Tc-99m RBC liver blood pool SPECT of the abdomen for a hemangioma.",
        {"study_type": "liver", "modality": "spect"},
        id="rbc-liver-blood-pool-still-read",
    ),
]


@pytest.mark.parametrize(("text", "expected"), LOOKALIKE_CUES)
def test_pipeline_studies_lookalike_cues(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Only one half of a rest/stress study done, said in free text: one study; a pick list's
# ticked box for the other half disagrees and is reviewed (grey zone 5, gold Y decisions).
ONE_HALF_ONLY = [
    P(
        "MYOCARDIAL PERFUSION\nAcquired:  Rest [X]   Stress [X]\nTc-99m tetrofosmin. Only "
        "rest images were taken (gated SPECT); the stress part was postponed.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1, "has_contradiction": True},
        id="rest-only-beside-ticked-stress",
    ),
    P(
        "MYOCARDIAL PERFUSION\nA rest-only study: Tc-99m sestamibi gated SPECT; the "
        "regadenoson stress will be rebooked.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1, "has_contradiction": False},
        id="rest-only-no-pick-list",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ONE_HALF_ONLY)
def test_pipeline_studies_one_half_only(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# MAA given into the hepatic arteries (at angiography, before radioembolization) maps
# tumor perfusion and the lung shunt: a family study coded by its extent, not a planar
# lung perfusion study (out of scope) - LABELING.md gold H and W. An MAA lung perfusion
# study that only mentions a disease of the hepatic artery stays lung perfusion.
HEPATIC_ARTERIAL_MAA = [
    P(
        "MAA MAPPING\n3.8 mCi Tc-99m MAA given through the catheter in the left hepatic "
        "artery. Anterior and posterior planar views of thorax and abdomen.",
        {"study_type": "tumor", "modality": "planar", "planar_areas": ("chest", "abdomen")},
        id="through-hepatic-artery-catheter",
    ),
    P(
        "Tc-99m MAA 4 mCi, proper hepatic artery. Static planar images, chest and abdomen.",
        {"study_type": "tumor", "modality": "planar"},
        id="tracer-named-with-the-artery",
    ),
    P(
        "At hepatic angiography 4 mCi Tc-99m MAA was administered. SPECT/CT of the upper "
        "abdomen, fused for localization.",
        {"study_type": "tumor", "modality": "spect_ct", "area_count": 1},
        id="at-hepatic-angiography-spect-ct",
    ),
    # contrasts: an IV MAA lung study naming the hepatic artery only as a disease
    P(
        "LUNG PERFUSION\n4 mCi Tc-99m MAA IV. Planar 6 views of the lungs. Known hepatic "
        "artery aneurysm.",
        {"modality": "none"},
        id="hepatic-artery-aneurysm-is-no-route",
    ),
    P(
        "Lung perfusion: 4 mCi Tc-99m MAA IV, planar views. Incidental hepatic arterial "
        "calcification on the prior CT.",
        {"modality": "none"},
        id="hepatic-arterial-calcification-is-no-route",
    ),
    P(
        "V/Q: Technegas ventilation, then 4 mCi Tc-99m MAA via a hepatic artery port; "
        "planar views.",
        {"modality": "none"},
        id="ventilation-agent-keeps-the-lung-study",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEPATIC_ARTERIAL_MAA)
def test_pipeline_studies_hepatic_arterial_maa(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)
