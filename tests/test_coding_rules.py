"""The deterministic rules: StudyFacts -> code sets and the rule ids that decided them.

One case (or more) per row of the policy's tables (coding-policy.md sections 1-8) and of
LABELING.md's code decisions; every case asserts the exact code set, alternatives, rule
ids in order and review reasons.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from nlp.coding.rules import REVIEW_RULES, RuleResult, apply_rules
from nlp.coding.table import load_table
from nlp.facts import STUDY_TYPES, Evidence, StudyFacts

D = dt.date
CUR = D(2023, 4, 2)
OLD = D(2019, 6, 30)
DELETED_2020 = {"78320", "78807", "78607", "78205", "78206", "78710", "78647"}

SPECT = ("DOS-FAMILY", "SPECT-CT", "SPECT-EXTENT")
ATTEN = ("DOS-FAMILY", "SPECT-CT", "CT-ATTENUATION-ONLY", "SPECT-EXTENT")
SFOV = ("DOS-FAMILY", "SPECT-CT", "SINGLE-FOV", "SPECT-EXTENT")
PLANAR = ("DOS-FAMILY", "PLANAR-ONLY")


def F(**kw: Any) -> StudyFacts:
    return StudyFacts(**kw)


@dataclass(frozen=True)
class Case:
    name: str
    facts: StudyFacts
    codes: tuple[str, ...]
    steps: tuple[str, ...]
    review: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()
    dos: dt.date | None = CUR
    equivalents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    out_of_scope: bool = False


# fmt: off
CASES = [
    # --- policy section 2: the four family SPECT codes (and LABELING rows 1-4) ---
    Case("spect-1-area", F(modality="spect", study_type="tumor", area_count=1, acquisitions=1, spect_days=1), ("78803",), SPECT),
    Case("spect-2-areas", F(modality="spect", study_type="tumor", areas=("chest", "abdomen"), area_count=2, spect_days=1), ("78831",), SPECT),
    Case("spect-2-acquisitions", F(modality="spect", study_type="tumor", area_count=1, acquisitions=2, spect_days=1), ("78831",), SPECT),
    Case("spect-2-days", F(modality="spect", study_type="tumor", area_count=1, acquisitions=1, spect_days=2), ("78831",), SPECT),
    Case("spect-ct-1-area", F(modality="spect_ct", ct_purpose="localization", study_type="tumor", area_count=1, spect_days=1), ("78830",), SPECT),
    Case("spect-ct-3-areas", F(modality="spect_ct", ct_purpose="localization", study_type="tumor", areas=("chest", "abdomen", "pelvis"), area_count=3), ("78832",), SPECT),
    Case("spect-ct-2-days", F(modality="spect_ct", study_type="tumor", area_count=1, spect_days=2), ("78832",), SPECT),
    Case("spect-ct-2-acquisitions", F(modality="spect_ct", study_type="other", area_count=1, acquisitions=2), ("78832",), SPECT),
    # --- policy section 3: modality facts ---
    Case("spect-ct-no-purpose-counts-as-ct", F(modality="spect_ct", ct_purpose="unknown", study_type="tumor", area_count=1), ("78830",), SPECT),
    Case("spect-ct-purpose-none", F(modality="spect_ct", study_type="infection", area_count=1), ("78830",), SPECT),
    Case("attenuation-ct-1-area", F(modality="spect_ct", ct_purpose="attenuation", study_type="tumor", area_count=1), ("78803",), ATTEN, review=("CT-ATTENUATION-ONLY",)),
    Case("attenuation-ct-as-spect-2-areas", F(modality="spect", ct_purpose="attenuation", study_type="tumor", area_count=2), ("78831",), ATTEN, review=("CT-ATTENUATION-ONLY",)),
    Case("outside-ct-registration-is-spect", F(modality="spect", ct_purpose="localization", study_type="tumor", area_count=1), ("78803",), SPECT),
    Case("areas-listed-without-count", F(modality="spect_ct", study_type="tumor", areas=("abdomen", "pelvis")), ("78832",), SPECT),
    Case("extent-not-stated-taken-as-single", F(modality="spect", study_type="tumor"), ("78803",), SPECT),
    # --- policy section 3: single field of view (grey zone 2) ---
    Case("single-fov-2-areas", F(modality="spect_ct", study_type="tumor", areas=("chest", "abdomen"), area_count=2, single_field_of_view=True), ("78830",), SFOV, review=("SINGLE-FOV",)),
    Case("single-fov-counted-as-1", F(modality="spect_ct", study_type="tumor", areas=("chest", "abdomen"), area_count=1, acquisitions=1, single_field_of_view=True), ("78830",), SFOV, review=("SINGLE-FOV",)),
    Case("single-fov-one-area-no-review", F(modality="spect_ct", study_type="tumor", areas=("pelvis",), area_count=1, single_field_of_view=True), ("78830",), SPECT),
    Case("single-fov-two-days", F(modality="spect", study_type="tumor", areas=("chest", "abdomen"), area_count=2, spect_days=2, single_field_of_view=True), ("78831",), SFOV, review=("SINGLE-FOV",)),
    # --- quantification 78835 (policy sections 2-3) ---
    Case("quant-with-spect-ct", F(modality="spect_ct", study_type="tumor", area_count=1, quantification=True), ("78830", "78835"), (*SPECT, "QUANT-ADDON")),
    Case("quant-multi-with-wb", F(modality="spect_ct", study_type="tumor", area_count=2, quantification=True, whole_body_planar=True, whole_body_days=1), ("78832", "78835", "78802"), (*SPECT, "QUANT-ADDON", "WB-PLANAR")),
    Case("quant-without-ct-warns", F(modality="spect", study_type="tumor", area_count=1, quantification=True), ("78803",), (*SPECT, "QUANT-NO-CT")),
    Case("quant-attenuation-ct-warns", F(modality="spect_ct", ct_purpose="attenuation", study_type="tumor", area_count=1, quantification=True), ("78803",), (*ATTEN, "QUANT-NO-CT"), review=("CT-ATTENUATION-ONLY",)),
    # --- policy section 4: planar in the same study ---
    Case("wb-planar-one-day", F(modality="spect_ct", study_type="tumor", area_count=1, whole_body_planar=True, whole_body_days=1), ("78830", "78802"), (*SPECT, "WB-PLANAR")),
    Case("wb-planar-two-days-spect-one-day", F(modality="spect_ct", study_type="infection", area_count=1, spect_days=1, whole_body_planar=True, whole_body_days=2), ("78830", "78804"), (*SPECT, "WB-PLANAR")),
    Case("limited-planar-not-coded", F(modality="spect", study_type="tumor", area_count=1, planar_areas=("chest",)), ("78803",), (*SPECT, "LIMITED-PLANAR")),
    Case("planar-only-1-area", F(modality="planar", study_type="tumor", planar_areas=("chest",), planar_days=1), ("78800",), (*PLANAR, "PLANAR-EXTENT")),
    Case("planar-only-area-not-stated", F(modality="planar", study_type="other"), ("78800",), (*PLANAR, "PLANAR-EXTENT")),
    Case("planar-only-2-areas", F(modality="planar", study_type="tumor", planar_areas=("chest", "abdomen")), ("78801",), (*PLANAR, "PLANAR-EXTENT")),
    Case("planar-only-1-area-2-days", F(modality="planar", study_type="infection", planar_areas=("abdomen",), planar_days=2), ("78801",), (*PLANAR, "PLANAR-EXTENT")),
    Case("planar-only-wb-1-day", F(modality="planar", study_type="tumor", whole_body_planar=True, whole_body_days=1), ("78802",), (*PLANAR, "WB-PLANAR")),
    Case("planar-only-wb-2-days", F(modality="planar", study_type="infection", whole_body_planar=True, whole_body_days=2, planar_areas=("pelvis",)), ("78804",), (*PLANAR, "WB-PLANAR")),
    # --- policy section 5: bone ---
    Case("bone-spect-ct-with-wb", F(modality="spect_ct", study_type="bone", areas=("abdomen",), area_count=1, whole_body_planar=True, whole_body_days=1), ("78830", "78306"), (*SPECT, "WB-PLANAR")),
    Case("bone-spect-ct-lumbar-and-pelvis-wb", F(modality="spect_ct", study_type="bone", areas=("abdomen", "pelvis"), area_count=2, whole_body_planar=True), ("78832", "78306"), (*SPECT, "WB-PLANAR")),
    Case("bone-spect-2-areas", F(modality="spect", study_type="bone", area_count=2), ("78831",), SPECT),
    Case("bone-spect-with-limited-planar", F(modality="spect_ct", study_type="bone", area_count=1, planar_areas=("lower_extremities",)), ("78830",), (*SPECT, "LIMITED-PLANAR")),
    Case("bone-three-phase-with-spect", F(modality="spect_ct", study_type="bone", area_count=1, three_phase=True, flow_imaging=True), ("78830",), (*SPECT, "BONE-3PHASE"), review=("BONE-3PHASE",), alternatives=(("78315",),)),
    Case("bone-three-phase-with-spect-and-wb", F(modality="spect", study_type="bone", area_count=1, three_phase=True, whole_body_planar=True), ("78803", "78306"), (*SPECT, "WB-PLANAR", "BONE-3PHASE"), review=("BONE-3PHASE",), alternatives=(("78315",),)),
    Case("bone-planar-limited", F(modality="planar", study_type="bone", planar_areas=("lower_extremities",)), ("78300",), (*PLANAR, "BONE-PLANAR")),
    Case("bone-planar-multiple", F(modality="planar", study_type="bone", planar_areas=("chest", "pelvis")), ("78305",), (*PLANAR, "BONE-PLANAR")),
    Case("bone-planar-whole-body", F(modality="planar", study_type="bone", whole_body_planar=True, whole_body_days=1), ("78306",), (*PLANAR, "WB-PLANAR")),
    Case("bone-three-phase-planar", F(modality="planar", study_type="bone", three_phase=True, planar_areas=("lower_extremities",)), ("78315",), (*PLANAR, "BONE-3PHASE")),
    Case("bone-three-phase-and-wb-planar", F(modality="planar", study_type="bone", three_phase=True, whole_body_planar=True), ("78315",), (*PLANAR, "BONE-3PHASE")),
    # --- other family studies (LABELING: lung V/Q with SPECT is family by facts) ---
    Case("lung-vq-spect-2-acquisitions", F(modality="spect", study_type="lung_vq", areas=("chest",), area_count=1, acquisitions=2), ("78831",), SPECT),
    Case("lung-vq-spect-ct", F(modality="spect_ct", study_type="lung_vq", area_count=1, acquisitions=2), ("78832",), SPECT),
    Case("brain-spect-current", F(modality="spect", study_type="brain", areas=("head",), area_count=1), ("78803",), SPECT),
    Case("liver-spect-with-flow-current", F(modality="spect", study_type="liver", area_count=1, flow_imaging=True), ("78803",), SPECT),
    Case("kidney-spect-ct-current", F(modality="spect_ct", study_type="kidney", area_count=1), ("78830",), SPECT),
    Case("csf-spect-ct-2-days-current", F(modality="spect_ct", study_type="csf", area_count=1, spect_days=2), ("78832",), SPECT),
    # --- policy section 6: own-code studies ---
    Case("mpi-single-study", F(modality="spect", study_type="myocardial_perfusion", cardiac_studies=1, area_count=1), ("78451",), ("DOS-FAMILY", "OWN-CODE-MPI")),
    Case("mpi-stress-rest", F(modality="spect", study_type="myocardial_perfusion", cardiac_studies=2, area_count=1), ("78452",), ("DOS-FAMILY", "OWN-CODE-MPI")),
    Case("mpi-two-day-protocol", F(modality="spect", study_type="myocardial_perfusion", cardiac_studies=2, spect_days=2), ("78452",), ("DOS-FAMILY", "OWN-CODE-MPI")),
    Case("mpi-attenuation-ct-not-grey", F(modality="spect_ct", ct_purpose="attenuation", study_type="myocardial_perfusion", cardiac_studies=2), ("78452",), ("DOS-FAMILY", "OWN-CODE-MPI")),
    Case("mpi-count-from-acquisitions", F(modality="spect", study_type="myocardial_perfusion", acquisitions=2), ("78452",), ("DOS-FAMILY", "OWN-CODE-MPI")),
    Case("mpi-planar-single", F(modality="planar", study_type="myocardial_perfusion", cardiac_studies=1), ("78453",), ("DOS-FAMILY", "OWN-CODE-MPI")),
    Case("mpi-planar-multiple", F(modality="planar", study_type="myocardial_perfusion", cardiac_studies=2), ("78454",), ("DOS-FAMILY", "OWN-CODE-MPI")),
    Case("mpi-no-addon-no-companion", F(modality="spect_ct", study_type="myocardial_perfusion", cardiac_studies=1, quantification=True, whole_body_planar=True), ("78451",), ("DOS-FAMILY", "OWN-CODE-MPI", "OWN-CODE-ONLY")),
    Case("parathyroid-planar", F(modality="planar", study_type="parathyroid", planar_areas=("neck",)), ("78070",), ("DOS-FAMILY", "OWN-CODE-PARATHYROID")),
    Case("parathyroid-spect", F(modality="spect", study_type="parathyroid", area_count=1), ("78071",), ("DOS-FAMILY", "OWN-CODE-PARATHYROID")),
    Case("parathyroid-spect-ct", F(modality="spect_ct", ct_purpose="localization", study_type="parathyroid", area_count=1), ("78072",), ("DOS-FAMILY", "OWN-CODE-PARATHYROID")),
    Case("parathyroid-neck-and-chest", F(modality="spect_ct", study_type="parathyroid", areas=("neck", "chest"), area_count=2), ("78072",), ("DOS-FAMILY", "OWN-CODE-PARATHYROID")),
    Case("parathyroid-attenuation-ct", F(modality="spect_ct", ct_purpose="attenuation", study_type="parathyroid", area_count=1), ("78071",), ("DOS-FAMILY", "OWN-CODE-PARATHYROID", "CT-ATTENUATION-ONLY"), review=("CT-ATTENUATION-ONLY",)),
    Case("parathyroid-single-fov", F(modality="spect_ct", study_type="parathyroid", areas=("neck", "chest"), area_count=1, single_field_of_view=True), ("78072",), ("DOS-FAMILY", "OWN-CODE-PARATHYROID", "SINGLE-FOV"), review=("SINGLE-FOV",)),
    Case("blood-pool-gated-spect", F(modality="spect", study_type="cardiac_blood_pool", area_count=1), ("78494",), ("DOS-FAMILY", "OWN-CODE-BLOOD-POOL")),
    Case("blood-pool-attenuation-ct-not-grey", F(modality="spect_ct", ct_purpose="attenuation", study_type="cardiac_blood_pool"), ("78494",), ("DOS-FAMILY", "OWN-CODE-BLOOD-POOL")),
    # --- policy section 8 and grey zones 4-5 ---
    Case("aborted-spect-coded-as-done", F(modality="spect_ct", study_type="tumor", area_count=1, spect_aborted=True), ("78830",), ("DOS-FAMILY", "ABORTED", "SPECT-CT", "SPECT-EXTENT"), review=("ABORTED",)),
    Case("aborted-nothing-else-performed", F(modality="none", study_type="tumor", spect_aborted=True), (), ("DOS-FAMILY", "ABORTED", "NOT-PERFORMED"), review=("ABORTED",)),
    Case("aborted-spect-planar-done", F(modality="planar", study_type="tumor", spect_aborted=True, whole_body_planar=True), ("78802",), ("DOS-FAMILY", "ABORTED", "PLANAR-ONLY", "WB-PLANAR"), review=("ABORTED",)),
    Case("aborted-mpi", F(modality="spect", study_type="myocardial_perfusion", cardiac_studies=1, spect_aborted=True), ("78451",), ("DOS-FAMILY", "ABORTED", "OWN-CODE-MPI"), review=("ABORTED",)),
    Case("contradiction", F(modality="spect_ct", study_type="tumor", area_count=1, contradictions=("technique says SPECT/CT; addendum says no CT",)), ("78830",), ("DOS-FAMILY", "CONTRADICTION", "SPECT-CT", "SPECT-EXTENT"), review=("CONTRADICTION",)),
    Case("contradiction-and-three-phase", F(modality="spect_ct", study_type="bone", area_count=1, three_phase=True, contradictions=("modality",)), ("78830",), ("DOS-FAMILY", "CONTRADICTION", "SPECT-CT", "SPECT-EXTENT", "BONE-3PHASE"), review=("CONTRADICTION", "BONE-3PHASE"), alternatives=(("78315",),)),
    # --- LABELING: out of scope and not performed ---
    Case("out-of-scope-gastric-emptying", F(modality="none", study_type="out_of_scope", planar_areas=("abdomen",)), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("out-of-scope-even-with-spect", F(modality="spect_ct", study_type="out_of_scope", area_count=1), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("lung-vq-planar", F(modality="planar", study_type="lung_vq", planar_areas=("chest",)), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("lung-vq-labelled-none-with-planar", F(modality="none", study_type="lung_vq", planar_areas=("chest",)), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("planar-cisternography", F(modality="planar", study_type="csf", planar_areas=("head",), planar_days=3), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("planar-dmsa", F(modality="planar", study_type="kidney", planar_areas=("abdomen",)), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("planar-muga", F(modality="planar", study_type="cardiac_blood_pool"), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("not-performed", F(modality="none", study_type="tumor"), (), ("DOS-FAMILY", "NOT-PERFORMED")),
    Case("lung-vq-without-any-imaging", F(modality="none", study_type="lung_vq"), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("dmsa-labelled-none", F(modality="none", study_type="kidney"), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), out_of_scope=True),
    Case("not-performed-mpi", F(modality="none", study_type="myocardial_perfusion"), (), ("DOS-FAMILY", "NOT-PERFORMED")),
    # --- policy section 7 / LABELING legacy ---
    Case("legacy-bone-spect-ct", F(modality="spect_ct", study_type="bone", area_count=1), ("78320",), (*SPECT, "LEGACY-BONE"), dos=OLD, equivalents={"78320": ("78830",)}),
    Case("legacy-bone-multi-with-wb", F(modality="spect", study_type="bone", area_count=2, whole_body_planar=True), ("78320", "78306"), (*SPECT, "LEGACY-BONE", "WB-PLANAR"), dos=OLD, equivalents={"78320": ("78831",)}),
    Case("legacy-bone-three-phase", F(modality="spect_ct", study_type="bone", area_count=1, three_phase=True), ("78320",), (*SPECT, "LEGACY-BONE", "BONE-3PHASE"), review=("BONE-3PHASE",), alternatives=(("78315",),), dos=OLD, equivalents={"78320": ("78830",)}),
    Case("legacy-brain", F(modality="spect", study_type="brain", area_count=1), ("78607",), (*SPECT, "LEGACY-BRAIN"), dos=OLD, equivalents={"78607": ("78803",)}),
    Case("legacy-liver", F(modality="spect", study_type="liver", area_count=1), ("78205",), (*SPECT, "LEGACY-LIVER"), dos=OLD, equivalents={"78205": ("78803",)}),
    Case("legacy-liver-with-flow", F(modality="spect_ct", study_type="liver", area_count=1, flow_imaging=True), ("78206",), (*SPECT, "LEGACY-LIVER"), dos=OLD, equivalents={"78206": ("78830",)}),
    Case("legacy-kidney", F(modality="spect_ct", study_type="kidney", area_count=1), ("78710",), (*SPECT, "LEGACY-KIDNEY"), dos=OLD, equivalents={"78710": ("78830",)}),
    Case("legacy-csf-two-days", F(modality="spect", study_type="csf", area_count=1, spect_days=2), ("78647",), (*SPECT, "LEGACY-CSF"), dos=OLD, equivalents={"78647": ("78831",)}),
    # before 2020 whole-body infection imaging had its own code, outside the policy's tables
    Case("legacy-infection-with-wb-two-days", F(modality="spect_ct", study_type="infection", area_count=1, whole_body_planar=True, whole_body_days=2), ("78807",), (*SPECT, "LEGACY-INFECTION", "WB-PLANAR-LEGACY-INFECTION"), dos=OLD, equivalents={"78807": ("78830",)}),
    Case("legacy-infection-with-wb-one-day", F(modality="spect", study_type="infection", area_count=2, whole_body_planar=True, whole_body_days=1), ("78807",), (*SPECT, "LEGACY-INFECTION", "WB-PLANAR-LEGACY-INFECTION"), dos=OLD, equivalents={"78807": ("78831",)}),
    Case("legacy-tumor-quant-no-addon", F(modality="spect_ct", study_type="tumor", area_count=1, quantification=True), ("78803",), (*SPECT, "LEGACY-LOCALIZATION", "QUANT-ADDON"), dos=OLD, equivalents={"78803": ("78830", "78835")}),
    Case("legacy-tumor-wb-one-day", F(modality="spect_ct", study_type="tumor", area_count=3, whole_body_planar=True), ("78803", "78802"), (*SPECT, "LEGACY-LOCALIZATION", "WB-PLANAR"), dos=OLD, equivalents={"78803": ("78832",)}),
    Case("legacy-lung-vq-spect", F(modality="spect", study_type="lung_vq", area_count=1, acquisitions=2), ("78803",), (*SPECT, "LEGACY-LOCALIZATION"), dos=OLD, equivalents={"78803": ("78831",)}),
    Case("legacy-attenuation-ct", F(modality="spect_ct", ct_purpose="attenuation", study_type="bone", area_count=1), ("78320",), (*ATTEN, "LEGACY-BONE"), review=("CT-ATTENUATION-ONLY",), dos=OLD, equivalents={"78320": ("78803",)}),
    Case("legacy-single-fov", F(modality="spect_ct", study_type="tumor", areas=("chest", "abdomen"), area_count=2, single_field_of_view=True), ("78803",), (*SFOV, "LEGACY-LOCALIZATION"), review=("SINGLE-FOV",), dos=OLD, equivalents={"78803": ("78830",)}),
    Case("legacy-planar-wb", F(modality="planar", study_type="tumor", whole_body_planar=True, whole_body_days=2), ("78804",), (*PLANAR, "WB-PLANAR"), dos=OLD),
    Case("legacy-bone-planar-three-phase", F(modality="planar", study_type="bone", three_phase=True), ("78315",), (*PLANAR, "BONE-3PHASE"), dos=OLD),
    Case("legacy-mpi-keeps-own-code", F(modality="spect", study_type="myocardial_perfusion", cardiac_studies=2), ("78452",), ("DOS-FAMILY", "OWN-CODE-MPI"), dos=OLD),
    Case("legacy-parathyroid-keeps-own-code", F(modality="spect_ct", study_type="parathyroid"), ("78072",), ("DOS-FAMILY", "OWN-CODE-PARATHYROID"), dos=OLD),
    Case("legacy-out-of-scope", F(modality="planar", study_type="lung_vq"), (), ("DOS-FAMILY", "OUT-OF-SCOPE"), dos=OLD, out_of_scope=True),
    # --- LABELING.md, two studies in one report: a bone scan's whole body beside another tracer's ---
    Case("wb-bone-beside-tumor-wb-two-days", F(modality="spect_ct", study_type="tumor", area_count=2, whole_body_planar=True, whole_body_days=2, whole_body_bone_beside=True), ("78832", "78804", "78306"), (*SPECT, "WB-PLANAR", "WB-PLANAR-BONE-BESIDE")),
    Case("legacy-wb-bone-beside-infection", F(modality="spect", study_type="infection", area_count=1, whole_body_planar=True, whole_body_days=1, whole_body_bone_beside=True), ("78807", "78306"), (*SPECT, "LEGACY-INFECTION", "WB-PLANAR-LEGACY-INFECTION", "WB-PLANAR-BONE-BESIDE"), dos=OLD, equivalents={"78807": ("78803",)}),
    Case("legacy-planar-wb-bone-beside-tumor", F(modality="planar", study_type="tumor", whole_body_planar=True, whole_body_days=2, whole_body_bone_beside=True), ("78804", "78306"), (*PLANAR, "WB-PLANAR", "WB-PLANAR-BONE-BESIDE"), dos=OLD),
    Case("mpi-ignores-wb-bone-beside", F(modality="spect", study_type="myocardial_perfusion", cardiac_studies=2, whole_body_planar=True, whole_body_bone_beside=True), ("78452",), ("DOS-FAMILY", "OWN-CODE-MPI", "OWN-CODE-ONLY")),
    # --- policy section 1: unknown date means the current family ---
    Case("unknown-dos-bone", F(modality="spect_ct", study_type="bone", area_count=1), ("78830",), SPECT, dos=None),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_coding_rules_case(case: Case) -> None:
    r = apply_rules(case.facts, case.dos)
    assert r.codes == case.codes
    assert r.primary == (case.codes[0] if case.codes else "NONE")
    assert r.alternatives == case.alternatives
    assert r.rule_ids == case.steps
    assert r.review_reasons == case.review
    assert r.review is bool(case.review)
    assert r.equivalents == case.equivalents
    assert r.out_of_scope is case.out_of_scope
    assert r.family == (
        "legacy" if case.dos is not None and case.dos < D(2020, 1, 1) else "current"
    )


def test_coding_rules_have_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("record_dos", "facts_dos", "facts_source", "dos", "source", "family"),
    [
        (D(2021, 1, 1), D(2019, 6, 1), "text", D(2021, 1, 1), "record", "current"),
        (D(2019, 12, 31), D(2020, 1, 1), "text", D(2019, 12, 31), "record", "legacy"),
        (None, D(2019, 12, 31), "text", D(2019, 12, 31), "text", "legacy"),
        (None, D(2020, 1, 1), "text", D(2020, 1, 1), "text", "current"),
        (None, D(2019, 5, 5), None, D(2019, 5, 5), "text", "legacy"),
        (None, D(2018, 5, 5), "record", D(2018, 5, 5), "record", "legacy"),
        (None, None, None, None, None, "current"),
    ],
)
def test_coding_rules_date_of_service_source_and_family(
    record_dos: dt.date | None,
    facts_dos: dt.date | None,
    facts_source: str | None,
    dos: dt.date | None,
    source: str | None,
    family: str,
) -> None:
    facts = F(
        modality="spect", study_type="bone", area_count=1, dos=facts_dos, dos_source=facts_source
    )
    r = apply_rules(facts, record_dos)
    assert (r.dos, r.dos_source, r.family) == (dos, source, family)
    step = r.steps[0]
    assert step.rule_id == "DOS-FAMILY"
    assert step.facts == {
        "dos": None if dos is None else dos.isoformat(),
        "dos_source": source,
        "family": family,
    }
    assert r.codes == (("78320",) if family == "legacy" else ("78803",))


def test_coding_rules_unknown_dos_is_said_in_a_step() -> None:
    r = apply_rules(F(modality="spect", study_type="tumor"))
    assert r.dos is None and r.dos_source is None
    assert r.steps[0].message.startswith("No date of service in the record or the report header")
    assert "current family" in r.steps[0].message


def _sweep() -> list[tuple[str, str, str | None, int, int, int, bool, dt.date | None]]:
    return list(
        itertools.product(
            STUDY_TYPES,
            ("spect_ct", "spect", "planar", "none"),
            (None, "localization", "attenuation", "unknown"),
            (1, 2),  # areas
            (1, 2),  # acquisitions
            (1, 2),  # days
            (False, True),  # whole-body planar
            (D(2019, 12, 31), D(2020, 1, 1), D(2024, 6, 1), None),
        )
    )


def test_coding_rules_sweep_never_suggests_a_code_invalid_on_the_dos() -> None:
    """No deleted code for DOS >= 2020-01-01 (or unknown); legacy codes before, equivalents named."""
    table = load_table()
    seen_legacy: set[str] = set()
    for study, modality, purpose, areas, acq, days, wb, dos in _sweep():
        facts = F(
            study_type=study,
            modality=modality,
            ct_purpose=purpose,
            area_count=areas,
            acquisitions=acq,
            spect_days=days,
            whole_body_planar=wb,
            whole_body_days=days,
            three_phase=study == "bone" and acq == 2,
            quantification=days == 2,
            planar_areas=("chest",) * (areas == 1) + ("pelvis",) * (areas == 2),
        )
        r = apply_rules(facts, dos)
        suggested = {c for cand in r.candidates for c in cand.codes}
        where = (study, modality, purpose, areas, acq, days, wb, dos)
        for code in suggested:
            assert table.valid_on(code, dos), where
        if dos is None or dos >= D(2020, 1, 1):
            assert not suggested & DELETED_2020, where
            assert r.equivalents == {}, where
            assert r.family == "current", where
        else:
            assert r.family == "legacy", where
            assert "78835" not in suggested, where
            if modality in ("spect", "spect_ct") and study not in (
                "out_of_scope",
                "myocardial_perfusion",
                "parathyroid",
                "cardiac_blood_pool",
            ):
                legacy = r.codes[0]
                seen_legacy.add(legacy)
                equivalent = r.equivalents[legacy]
                assert equivalent[0] in {"78803", "78830", "78831", "78832"}, where
                # the equivalent is exactly what the same facts get on the first current day
                assert equivalent == apply_rules(facts, D(2020, 1, 1)).codes[: len(equivalent)], (
                    where
                )
        assert set(r.review_reasons) <= set(REVIEW_RULES), where
    assert seen_legacy == {"78320", "78607", "78205", "78710", "78647", "78807", "78803"}


@pytest.mark.parametrize(
    ("study", "legacy_code"),
    [
        ("bone", "78320"),
        ("brain", "78607"),
        ("liver", "78205"),
        ("kidney", "78710"),
        ("csf", "78647"),
        ("infection", "78807"),
        ("tumor", "78803"),
        ("lung_vq", "78803"),
        ("other", "78803"),
    ],
)
@pytest.mark.parametrize(
    ("modality", "areas", "current"),
    [
        ("spect", 1, "78803"),
        ("spect", 2, "78831"),
        ("spect_ct", 1, "78830"),
        ("spect_ct", 2, "78832"),
    ],
)
def test_coding_rules_boundary_2019_12_31_vs_2020_01_01(
    study: str, legacy_code: str, modality: str, areas: int, current: str
) -> None:
    facts = F(study_type=study, modality=modality, area_count=areas)
    before = apply_rules(facts, D(2019, 12, 31))
    after = apply_rules(facts, D(2020, 1, 1))
    assert before.codes == (legacy_code,)
    assert before.equivalents == {legacy_code: (current,)}
    assert after.codes == (current,)
    assert after.equivalents == {}
    legacy_step = before.steps[-1]
    assert legacy_step.rule_id.startswith("LEGACY-")
    assert f": {legacy_code}." in legacy_step.message
    assert f"equivalent for these facts is {current}" in legacy_step.message


def test_coding_rules_legacy_code_not_valid_in_table_falls_back_to_78803(tmp_path: Any) -> None:
    """End dates are data: if 78607 were found to end earlier, the rules follow the table."""
    from pathlib import Path

    from nlp.coding.table import load_table as load

    doc = json.loads((Path(__file__).resolve().parents[1] / "nlp/coding/codes.json").read_text())
    for row in doc["codes"]:
        if row["code"] == "78607":
            row["effective_to"] = "2018-12-31"
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(doc))
    r = apply_rules(
        F(modality="spect", study_type="brain", area_count=1), D(2019, 6, 1), table=load(path)
    )
    assert r.codes == ("78803",)
    assert r.equivalents == {"78803": ("78803",)}
    assert "does not list 78607 as valid on 2019-06-01" in r.steps[-1].message


EVIDENCE = (
    Evidence("modality", "SPECT/CT", 10, 18, "technique", value="spect_ct"),
    Evidence(
        "modality",
        "SPECT/CT",
        40,
        48,
        "history",
        value="spect_ct",
        context="historical",
        cue="prior",
    ),
    Evidence("areas", "pelvis", 60, 66, "technique", value="pelvis"),
    Evidence("quantification", "SUVmax 12", 80, 89, "findings", value="true"),
    Evidence(
        "spect_aborted", "SPECT aborted", 100, 113, "technique", context="aborted", cue="aborted"
    ),
    Evidence("dos", "DATE OF SERVICE: 2023-04-02", 0, 27, "header", value="2023-04-02"),
)


def test_coding_rules_steps_carry_the_evidence_of_their_facts() -> None:
    facts = F(
        modality="spect_ct",
        study_type="tumor",
        areas=("pelvis",),
        area_count=1,
        quantification=True,
        spect_aborted=True,
        dos=D(2023, 4, 2),
        dos_source="text",
        evidence=EVIDENCE,
    )
    r = apply_rules(facts)
    by_id = {s.rule_id: s for s in r.steps}
    assert [e.start for e in by_id["DOS-FAMILY"].evidence] == [0]
    assert [e.start for e in by_id["SPECT-CT"].evidence] == [
        10
    ]  # the historical mention is not used
    assert [e.start for e in by_id["SPECT-EXTENT"].evidence] == [60]
    assert [e.start for e in by_id["QUANT-ADDON"].evidence] == [80]
    assert [e.start for e in by_id["ABORTED"].evidence] == [10, 100]
    assert r.codes == ("78830", "78835")


def test_coding_rules_steps_cite_the_policy_or_the_labeling_guide() -> None:
    for case in CASES:
        for step in apply_rules(case.facts, case.dos).steps:
            assert "policy" in step.message or "LABELING.md" in step.message, (case.name, step)


def test_coding_rules_result_round_trips_through_json() -> None:
    facts = F(
        modality="spect_ct",
        study_type="bone",
        areas=("abdomen", "pelvis"),
        area_count=2,
        three_phase=True,
        whole_body_planar=True,
        quantification=True,
        evidence=EVIDENCE,
    )
    r = apply_rules(facts, D(2019, 3, 1))
    d = r.to_dict()
    text = json.dumps(d, sort_keys=True)
    again = RuleResult.from_dict(json.loads(text))
    assert again == r
    assert json.dumps(again.to_dict(), sort_keys=True) == text
    assert d["codes"] == ["78320", "78306"]
    assert d["primary"] == "78320"
    assert d["alternatives"] == [["78315"]]
    assert d["equivalents"] == {"78320": ["78832", "78835"]}
    assert d["family"] == "legacy" and d["dos"] == "2019-03-01" and d["dos_source"] == "record"
    assert d["review"] is True and d["review_reasons"] == ["BONE-3PHASE"]
    assert d["candidates"][1] == {
        "codes": ["78315"],
        "rationale": "Three-phase bone imaging 78315 reported instead of the SPECT (policy section 5).",
        "step_ids": ["BONE-3PHASE"],
    }
    assert [s["rule_id"] for s in d["steps"]] == [
        "DOS-FAMILY",
        "SPECT-CT",
        "SPECT-EXTENT",
        "LEGACY-BONE",
        "QUANT-ADDON",
        "WB-PLANAR",
        "BONE-3PHASE",
    ]


def test_coding_rules_none_result_to_dict() -> None:
    d = apply_rules(F(modality="none", study_type="out_of_scope")).to_dict()
    assert (d["codes"], d["primary"], d["out_of_scope"], d["review"]) == ([], "NONE", True, False)
    assert (
        d["candidates"][0]["rationale"] == "Out of scope: no code from the policy's tables applies."
    )


def test_coding_rules_rationale_names_each_code() -> None:
    r = apply_rules(
        F(
            modality="spect_ct",
            study_type="bone",
            area_count=2,
            quantification=True,
            whole_body_planar=True,
        )
    )
    assert r.candidates[0].rationale == (
        "SPECT/CT, 2+ areas/acquisitions/days: 78832; quantification add-on 78835; "
        "whole-body planar bone 78306."
    )


# Session 11 (infareas helper): a combined three-phase bone + leukocyte document with a
# SPECT is grey zone 1 as worded (decisions for gold AX, GAX-007); an infection SPECT with
# no three-phase part is not.
@pytest.mark.parametrize(
    ("three_phase", "review", "alternatives"),
    [(True, ("BONE-3PHASE",), (("78315",),)), (False, (), ())],
)
def test_coding_rules_infection_spect_with_three_phase_bone_part(
    three_phase: bool, review: tuple[str, ...], alternatives: tuple[tuple[str, ...], ...]
) -> None:
    r = apply_rules(
        F(modality="spect_ct", study_type="infection", area_count=1, three_phase=three_phase)
    )
    assert r.codes == ("78830",)
    assert r.review_reasons == review
    assert r.alternatives == alternatives
