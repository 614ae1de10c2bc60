"""SPECT areas: the policy's canonical areas (coding-policy.md section 3).

Spine by level, organs to areas, both knees one area, counted only over what the SPECT
acquisitions covered (not planar images, not findings); contiguous areas explicitly in
one field of view / bed position count once and set `single_field_of_view`.
"""

from __future__ import annotations

import pytest

from tests.pipeline_support import assert_facts, facts_of

P = pytest.param


def one(area: str) -> dict[str, object]:
    return {"areas": (area,), "area_count": 1}


SPINE = [
    P(
        "SPECT of the cervical spine was acquired 3 hours after Tc-99m MDP.",
        one("neck"),
        id="cervical-neck",
    ),
    P("SPECT/CT of the thoracic spine was obtained.", one("chest"), id="thoracic-chest"),
    P("SPECT/CT of the lumbar spine was obtained.", one("abdomen"), id="lumbar-abdomen"),
    P(
        "SPECT/CT of the sacrum for suspected insufficiency fracture.",
        one("pelvis"),
        id="sacrum-pelvis",
    ),
    P("SPECT of the sacroiliac joints was performed.", one("pelvis"), id="si-joints-pelvis"),
    P("SPECT/CT of the coccyx after a fall.", one("pelvis"), id="coccyx-pelvis"),
    P("SPECT/CT centered on C5-C6 was acquired.", one("neck"), id="c5-c6-neck"),
    P("SPECT/CT centered at L4-L5 for facet evaluation.", one("abdomen"), id="l4-l5-abdomen"),
    P("SPECT/CT centered at S1 was acquired.", one("pelvis"), id="s1-pelvis"),
    P("SPECT of the C-spine was acquired.", one("neck"), id="c-spine"),
    # a report typed all in lower case names its levels in lower case
    P(
        "spect from the c-spine down to t11, two bed positions.",
        {"areas": ("neck", "chest"), "area_count": 2},
        id="lower-case-levels",
    ),
    P(
        "spect/ct of the t-spine; c5 degenerative change on planar.",
        one("chest"),
        id="lower-t-spine",
    ),
    P("SPECT/CT of the T-spine was acquired.", one("chest"), id="t-spine"),
    P("SPECT/CT of the L-spine was acquired.", one("abdomen"), id="l-spine"),
    P(
        "SPECT/CT of the lumbar spine and pelvis was performed.",
        {"areas": ("abdomen", "pelvis"), "area_count": 2},
        id="lumbar-spine-and-pelvis",
    ),
    P(
        "SPECT of the cervical and thoracic spine.",
        {"areas": ("neck", "chest"), "area_count": 2},
        id="cervical-and-thoracic",
    ),
    P(
        "SPECT/CT of the thoracic and lumbar spine.",
        {"areas": ("chest", "abdomen"), "area_count": 2},
        id="thoracic-and-lumbar",
    ),
    P("SPECT/CT of the upper thoracic spine (T2-T4).", one("chest"), id="t2-t4-range"),
    P("SPECT of the lower lumbar spine, L3 through L5.", one("abdomen"), id="l3-through-l5"),
]

REGIONS = [
    P("SPECT/CT of both knees was obtained.", one("lower_extremities"), id="both-knees"),
    P("SPECT of the bilateral knees.", one("lower_extremities"), id="bilateral-knees"),
    P(
        "SPECT/CT of the knees and ankles was acquired.",
        one("lower_extremities"),
        id="knees-and-ankles-one-area",
    ),
    P("SPECT/CT of the left foot.", one("lower_extremities"), id="foot"),
    P("SPECT/CT of the right shoulder.", one("upper_extremities"), id="shoulder"),
    P("SPECT of both hands and wrists.", one("upper_extremities"), id="hands"),
    P(
        "SPECT/CT of the chest, abdomen and pelvis.",
        {"areas": ("chest", "abdomen", "pelvis"), "area_count": 3},
        id="chest-abdomen-and-pelvis",
    ),
    P(
        "SPECT/CT of the abdomen and pelvis at 24 hours.",
        {"areas": ("abdomen", "pelvis"), "area_count": 2},
        id="abdomen-and-pelvis",
    ),
    P(
        "SPECT/CT of the chest and abdomen.",
        {"areas": ("chest", "abdomen"), "area_count": 2},
        id="chest-and-abdomen",
    ),
    P(
        "SPECT/CT of the head and neck.",
        {"areas": ("head", "neck"), "area_count": 2},
        id="head-and-neck",
    ),
    P(
        "SPECT/CT of the neck and upper chest.",
        {"areas": ("neck", "chest"), "area_count": 2},
        id="neck-and-upper-chest",
    ),
    P("Torso SPECT/CT was acquired at 24 hours.", {"min_area_count": 2}, id="torso"),
]

ORGANS = [
    P("SPECT of the brain.", one("head"), id="brain-head"),
    P("SPECT/CT of the skull.", one("head"), id="skull-head"),
    P("SPECT/CT of the paranasal sinuses.", one("head"), id="sinuses-head"),
    P("SPECT/CT of the salivary glands.", one("neck"), id="salivary-neck"),
    P("SPECT/CT of the thyroid bed.", one("neck"), id="thyroid-bed-neck"),
    P("SPECT of the lungs.", one("chest"), id="lungs-chest"),
    P("SPECT/CT of the mediastinum.", one("chest"), id="mediastinum-chest"),
    P("SPECT/CT of the ribs.", one("chest"), id="ribs-chest"),
    P("SPECT/CT of the sternum.", one("chest"), id="sternum-chest"),
    P("SPECT/CT of the left breast and axilla.", one("chest"), id="breast-axilla-chest"),
    P("SPECT of the liver.", one("abdomen"), id="liver-abdomen"),
    P("SPECT/CT of the liver and spleen.", one("abdomen"), id="liver-spleen-one-area"),
    P("SPECT of the kidneys.", one("abdomen"), id="kidneys-abdomen"),
    P("SPECT/CT of the adrenal glands.", one("abdomen"), id="adrenals-abdomen"),
    P("SPECT/CT of the pancreas.", one("abdomen"), id="pancreas-abdomen"),
    P("SPECT/CT of the bowel.", one("abdomen"), id="bowel-abdomen"),
    P("SPECT/CT of the bladder.", one("pelvis"), id="bladder-pelvis"),
    P("SPECT of both hips.", one("pelvis"), id="hips-pelvis"),
    P("SPECT/CT of the prostate bed.", one("pelvis"), id="prostate-pelvis"),
    P(
        "SPECT/CT of the mediastinum and liver.",
        {"areas": ("chest", "abdomen"), "area_count": 2},
        id="mediastinum-and-liver",
    ),
    P(
        "SPECT/CT of the ribs and hips.",
        {"areas": ("chest", "pelvis"), "area_count": 2},
        id="ribs-and-hips",
    ),
]

ONLY_SPECT_AREAS = [
    P(
        "Whole body planar images were obtained. SPECT/CT of the pelvis was performed.\n"
        "FINDINGS: Degenerative uptake in the shoulders, knees and cervical spine.",
        one("pelvis"),
        id="findings-areas-not-counted",
    ),
    P(
        "Planar spot views of the chest, abdomen and pelvis. SPECT of the abdomen.",
        one("abdomen"),
        id="planar-areas-not-counted",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the lumbar spine.\nFINDINGS: Planar images show uptake in "
        "both feet and the skull. The SPECT localizes the L4 focus to the right facet.",
        one("abdomen"),
        id="planar-findings-areas-not-counted",
    ),
    P(
        "INDICATION: Lung cancer with liver lesions.\nTECHNIQUE: SPECT/CT of the pelvis.",
        one("pelvis"),
        id="indication-areas-not-counted",
    ),
    P(
        "TECHNIQUE: SPECT of the lumbar spine 3 h after Tc-99m MDP.\nFINDINGS:\nSPECT: L3 "
        "lesion.\nWhole body (outside the SPECT field): foci in the skull and the left femur.",
        one("abdomen"),
        id="areas-outside-the-spect-field-not-counted",
    ),
    P(
        "TECHNIQUE: Whole-body planar images and SPECT/CT of the pelvis.\nFINDINGS: Sacral "
        "fracture.\nOutside the SPECT field (planar only): degenerative uptake in both knees.",
        {**one("pelvis"), "modality": "spect_ct", "contradictions": ()},
        id="outside-the-field-planar-only-is-no-denial",
    ),
]

# The skull base opening a range is its edge, not the head (LABELING.md, gold H); the
# proximal femora are the hips, in the pelvis.
RANGE_EDGES = [
    P(
        "SPECT/CT from the skull base to the pelvis in three bed positions.",
        {"areas": ("neck", "chest", "abdomen", "pelvis"), "area_count": 4},
        id="skull-base-to-pelvis",
    ),
    P(
        "SPECT of the pelvis and both proximal femora for hip pain.",
        one("pelvis"),
        id="proximal-femora-are-pelvis",
    ),
    # the iliac crests closing a range from above are the pelvis's upper edge
    P(
        "Lu-177 DOTATATE: SPECT/CT of the upper abdomen (kidneys down to the iliac crests) "
        "at 24 hours.",
        one("abdomen"),
        id="range-down-to-iliac-crests",
    ),
    P(
        "Tc-99m MDP: SPECT/CT from the liver dome to the iliac crests at 3 hours.",
        one("abdomen"),
        id="liver-dome-to-iliac-crests",
    ),
    # contrast: from the crests downwards is the pelvis
    P(
        "Tc-99m MDP: SPECT of the pelvis, iliac crests to lesser trochanters.",
        one("pelvis"),
        id="iliac-crests-to-trochanters",
    ),
    # a "SPECT/CT sweep" is the tomographic scan's own sweep: its range is the SPECT's
    # areas, and it is no whole-body planar image
    P(
        "Ga-67 citrate: a single SPECT/CT sweep from the skull base to the pelvis in three "
        "bed positions.",
        {"area_count": 4, "whole_body_planar": False},
        id="spect-ct-sweep-range",
    ),
    # contrast: a bare sweep beside the SPECT is the whole-body planar image
    P(
        "Ga-67 citrate: anterior and posterior sweep at 48 h, then SPECT/CT of the chest.",
        {"area_count": 1, "whole_body_planar": True},
        id="planar-sweep-beside-spect",
    ),
]

SINGLE_FIELD = [
    P(
        "Single bed position SPECT/CT of the lower chest and upper abdomen was acquired.",
        {"area_count": 1, "single_field_of_view": True},
        id="single-bed-position",
    ),
    P(
        "SPECT/CT covering the lower thorax and upper abdomen was acquired in one field of view.",
        {"area_count": 1, "single_field_of_view": True},
        id="one-field-of-view",
    ),
    P(
        "One bed position SPECT/CT of the pelvis and proximal thighs.",
        {"area_count": 1, "single_field_of_view": True},
        id="one-bed-position-pelvis-thighs",
    ),
    P(
        "SPECT/CT of the lumbar spine and pelvis in a single field of view.",
        {"area_count": 1, "single_field_of_view": True},
        id="single-fov-lumbar-pelvis",
    ),
    P(
        "Two bed positions: SPECT/CT of the chest and of the abdomen.",
        {"area_count": 2, "single_field_of_view": False},
        id="two-bed-positions",
    ),
    P(
        "SPECT/CT of the chest and abdomen was obtained.",
        {"area_count": 2, "single_field_of_view": False},
        id="no-fov-statement",
    ),
]

# Fields listed after a colon and split by semicolons are all in the SPECT's scope.
FIELD_LISTS = [
    P(
        "SPECT/CT in three fields: cervical spine; both hips; the knees.",
        {"areas": ("neck", "pelvis", "lower_extremities"), "area_count": 3},
        id="semicolon-field-list",
    ),
    P(
        "SPECT/CT over two stations: skull and neck; liver.",
        {"areas": ("head", "neck", "abdomen"), "area_count": 3},
        id="semicolon-list-with-and",
    ),
    # contrast: without a list a semicolon still ends the SPECT's scope
    P(
        "SPECT/CT of the thoracic spine; pelvis uptake on the planar images is degenerative.",
        {"areas": ("chest",), "area_count": 1},
        id="semicolon-without-list",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPINE)
def test_pipeline_areas_spine_maps_by_level(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), REGIONS)
def test_pipeline_areas_regions_counted(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), ORGANS)
def test_pipeline_areas_organs_map_to_areas(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), ONLY_SPECT_AREAS)
def test_pipeline_areas_only_spect_coverage_counts(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), RANGE_EDGES)
def test_pipeline_areas_range_edges(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), SINGLE_FIELD)
def test_pipeline_areas_single_field_of_view_counts_once(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), FIELD_LISTS)
def test_pipeline_areas_semicolon_field_lists(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Compact notations for several areas ("C/T/L spine", "T-L-S spine", "chest/abd/pel") and a
# hybrid named as "emission tomography with transmission CT of <area>": the area after the
# CT is the SPECT's field too.
COMPACT_AREAS = [
    P(
        "Bone scan. SPECT/CT of the C/T/L spine at 3 h.",
        {"areas": ("neck", "chest", "abdomen"), "area_count": 3},
        id="c-slash-t-slash-l-spine",
    ),
    P(
        "Bone scan. SPECT of the C/T spine 3 hours after MDP.",
        {"areas": ("neck", "chest"), "area_count": 2},
        id="c-slash-t-spine",
    ),
    P(
        "Bone scan. SPECT/CT T-L-S spine.",
        {"areas": ("chest", "abdomen", "pelvis"), "area_count": 3},
        id="t-l-s-spine",
    ),
    P(
        "Bone scan. Tomographic imaging of the C-T-L-S spine.",
        {"areas": ("neck", "chest", "abdomen", "pelvis"), "area_count": 4},
        id="c-t-l-s-spine",
    ),
    P(
        "Octreotide SPECT/CT chest/abd/pel at 24 h.",
        {"areas": ("chest", "abdomen", "pelvis"), "area_count": 3},
        id="chest-abd-pel",
    ),
    P(
        "In-111 octreotide. Emission tomography with transmission CT of the abdomen at 24 h.",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1},
        id="emission-tomography-with-transmission-ct-of",
    ),
    P(
        "Ga-67. Tomoscintigraphy with low-dose CT of the chest and abdomen at 48 h.",
        {"modality": "spect_ct", "areas": ("chest", "abdomen"), "area_count": 2},
        id="tomoscintigraphy-with-ct-of-two-areas",
    ),
    # contrast: a CT that is only a comparison does not carry the SPECT's field
    P(
        "Ga-67. SPECT of the chest at 48 h, compared with the CT of the abdomen from 2021.",
        {"modality": "spect", "areas": ("chest",), "area_count": 1},
        id="comparison-ct-area-not-spect",
    ),
]


@pytest.mark.parametrize(("text", "expected"), COMPACT_AREAS)
def test_pipeline_areas_compact_notations(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Terse and dictated field statements: a bare "single bed" is one bed position; a "+" after
# a planar field joins two procedures, so that field is not the SPECT's; in speech-recognition
# text (punctuation spelled out) a dictated "colon" after a label is the punctuation mark,
# and a bed list written with it still lists the SPECT's fields, while the bowel named as
# such ("the descending colon") stays an abdominal area.
_DICTATED_BEDS = (
    "Bone scan\nTechnique colon MDP given IV period Whole body images at 3 hours period "
    "Tomographic images in two bed positions colon\n"
    "bed 1 colon cervical spine\nbed 2 colon pelvis\n"
    "Findings colon degenerative uptake period No metastases period"
)
TERSE_AND_DICTATED_FIELDS = [
    P(
        "Tc99m RBC. Single bed SPECT-CT lower chest / liver @ 1 hr.",
        {"area_count": 1, "single_field_of_view": True},
        id="single-bed-without-position",
    ),
    P(
        "Tc99m MAA. Planar ant/post thorax/abd + SPECT-CT abd at 1 hr.",
        one("abdomen"),
        id="plus-after-planar-field",
    ),
    # contrast: a "+" between two areas with no procedure before them joins the areas
    P(
        "Bone scan. Thorax + abdomen SPECT/CT at 3 hrs.",
        {"areas": ("chest", "abdomen"), "area_count": 2},
        id="plus-between-areas",
    ),
    P(
        _DICTATED_BEDS,
        {"modality": "spect", "areas": ("neck", "pelvis"), "area_count": 2},
        id="dictated-colon-bed-list",
    ),
    # contrast: the bowel named with its segment in dictated text is still the abdomen
    P(
        "Indium leukocytes\nTechnique colon cells given IV period SPECT of the descending "
        "colon at 24 hours period Findings colon no focal uptake period Bowel activity "
        "physiologic period",
        one("abdomen"),
        id="dictated-bowel-kept",
    ),
    # contrast: typed text with a colon bed list is read as before
    P(
        "TECHNIQUE: Tc99m MDP. SPECT/CT in two bed positions:\nBed 1: cervical spine\n"
        "Bed 2: pelvis",
        {"areas": ("neck", "pelvis"), "area_count": 2},
        id="typed-bed-list",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TERSE_AND_DICTATED_FIELDS)
def test_pipeline_areas_terse_and_dictated_fields(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A planar template key split from its value at the colon ("Views: knees, ankles"): the
# value names the planar areas (two areas: multiple-area planar bone imaging).
PLANAR_VIEW_KEYS = [
    P(
        "Bone scan, Tc-99m HDP, delayed images at 3 h\nViews: wrists (dorsal), ankles (lateral)\n"
        "No tomography.",
        {"modality": "planar", "planar_areas": ("upper_extremities", "lower_extremities")},
        id="views-key-two-areas",
    ),
    # contrast: one area stays one
    P(
        "Bone scan, Tc-99m HDP, delayed images at 3 h\nViews: ankles (lateral)\nNo tomography.",
        {"modality": "planar", "planar_areas": ("lower_extremities",)},
        id="views-key-one-area",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PLANAR_VIEW_KEYS)
def test_pipeline_areas_planar_view_key(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# An area the report says was covered by the planar images only is no SPECT area; said in an
# addendum against a technique that gave it SPECT, it is a contradiction about what was
# performed (policy section 10 item 5; LABELING.md gold R: corrected facts, review). A
# finding "seen on the whole-body planar images only" says where it shows, not that the
# study had no SPECT.
PLANAR_ONLY_AREAS = [
    P(
        "Technique: whole-body planar images and SPECT/CT of the pelvis and both knees at "
        "3 h.\nFindings: loosening of the right knee prosthesis.\n\nAddendum 2/2/2021: per "
        "the acquisition log, the knees were covered by the whole-body planar images only.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1, "whole_body_planar": True},
        id="addendum-area-planar-only",
    ),
    P(
        "Technique: Tc-99m MDP, SPECT/CT of the chest and abdomen at 3 h, whole-body "
        "planar images.\nFindings: a focus in the right sixth rib, seen on the delayed "
        "whole-body planar images only.",
        {"modality": "spect_ct", "areas": ("chest", "abdomen"), "contradictions": ()},
        id="finding-seen-on-whole-body-planar-only",
    ),
]


# An area named as not imaged is not one of the SPECT's areas: negated inside the SPECT's
# field ("of the chest, not the abdomen"), or said not done beside a SPECT that named it
# (the statements disagree: review, grey zone 5).
AREAS_NOT_IMAGED = [
    P(
        "Technique: Ga-67 citrate; SPECT/CT of the chest, not the abdomen, at 48 hours.",
        {"areas": ("chest",), "area_count": 1, "has_contradiction": False},
        id="negated-area-in-field",
    ),
    P(
        "Resident read: SPECT/CT of the thorax and pelvis shows a rib focus.\n"
        "Attending edit: only the thoracic SPECT/CT was acquired, the pelvis bed was not "
        "done; the sacrum was seen on the planar images only.",
        {"areas": ("chest",), "area_count": 1, "has_contradiction": True},
        id="area-said-not-done-after-prelim",
    ),
    # contrast: an area negated with a finding is still imaged
    P(
        "Technique: SPECT/CT of the chest and abdomen. Findings: no abnormal uptake in the "
        "abdomen.",
        {"areas": ("chest", "abdomen"), "area_count": 2, "has_contradiction": False},
        id="negated-finding-keeps-area",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PLANAR_ONLY_AREAS)
def test_pipeline_areas_planar_only_area(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


def test_pipeline_areas_addendum_planar_only_area_is_a_contradiction(nlp):
    facts = facts_of(nlp, PLANAR_ONLY_AREAS[0].values[0])
    assert facts.contradictions


@pytest.mark.parametrize(("text", "expected"), AREAS_NOT_IMAGED)
def test_pipeline_areas_not_imaged(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# a bracketed aside between the SPECT and its field (why no CT was taken, a camera note)
# does not end the field; a bracket that names areas still belongs to it
BRACKETED_ASIDES = [
    P(
        "Technique: In-111 leukocytes. SPECT (without CT; the hybrid scanner was in "
        "service) of the thorax through the pelvis at 24 hours.",
        {"areas": ("chest", "abdomen", "pelvis"), "area_count": 3},
        id="aside-with-semicolon-keeps-field",
    ),
    P(
        "Technique: Tc-99m MDP. SPECT (attenuation map skipped; patient moved) of the "
        "lumbar spine.",
        one("abdomen"),
        id="aside-before-single-area",
    ),
    P(
        "Technique: Tc-99m MDP. SPECT/CT (chest and abdomen) for staging.",
        {"areas": ("chest", "abdomen"), "area_count": 2},
        id="bracket-naming-areas-is-the-field",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BRACKETED_ASIDES)
def test_pipeline_areas_bracketed_aside(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)
