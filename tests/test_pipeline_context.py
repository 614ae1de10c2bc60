"""Context of procedure mentions: what was really performed (policy section 9).

Negated / not performed, recommended / hypothetical, historical / comparison mentions must
not count as performed; the technique section beats an order or exam title; a SPECT that
was started but stopped is performed and aborted; a report that contradicts itself is
flagged. Expected values come from coding-policy.md sections 3, 8, 9, 10 and LABELING.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.pipeline_support import assert_facts, facts_of

P = pytest.param


PLANAR_ONLY: dict[str, Any] = {"modality": "planar", "area_count": None, "spect_days": None}

NEGATED = [
    P(
        "EXAM: NM whole body bone scan\n"
        "TECHNIQUE: Anterior and posterior whole body images were acquired 3 hours after IV "
        "injection of 23.4 mCi Tc-99m MDP. SPECT was not performed.\n"
        "FINDINGS: Degenerative uptake at both knees.",
        {**PLANAR_ONLY, "whole_body_planar": True, "study_type": "bone"},
        id="spect-was-not-performed",
    ),
    P(
        "Planar views of the thoracic spine were obtained. The patient could not tolerate "
        "SPECT because of severe back pain.\nIMPRESSION: No fracture on the planar views.",
        PLANAR_ONLY,
        id="could-not-tolerate-spect",
    ),
    P(
        "TECHNIQUE: SPECT of the pelvis was acquired 4 hours after injection. No CT was "
        "acquired.\nFINDINGS: Focal uptake in the right acetabulum.",
        {"modality": "spect", "areas": ("pelvis",), "area_count": 1, "spect_days": 1},
        id="no-ct-was-acquired",
    ),
    P(
        "Planar imaging of the abdomen at 4 and 24 hours after In-111 pentetreotide. "
        "SPECT/CT was deferred as the patient was claustrophobic.",
        {**PLANAR_ONLY, "study_type": "tumor"},
        id="spect-ct-was-deferred",
    ),
    P(
        "Whole body images only. SPECT/CT imaging was not obtained due to a camera fault.",
        PLANAR_ONLY,
        id="spect-ct-not-obtained",
    ),
    P(
        "SPECT of the chest was performed; the CT portion was not performed because of a "
        "scanner fault.",
        {"modality": "spect", "areas": ("chest",), "area_count": 1},
        id="ct-portion-not-performed",
    ),
    P(
        "CT was not obtained. SPECT images of the lumbar spine were reconstructed in three planes.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="ct-not-obtained-before-spect",
    ),
    P(
        "No SPECT imaging was performed today. Static planar images of both feet were taken.",
        PLANAR_ONLY,
        id="no-spect-imaging",
    ),
    P(
        "Tomographic images were not acquired at the patient's request; anterior and "
        "posterior planar views of the skull were obtained.",
        PLANAR_ONLY,
        id="tomographic-not-acquired",
    ),
    P(
        "The patient declined SPECT/CT. Whole-body planar imaging was completed.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="declined-spect-ct",
    ),
    P(
        "TECHNIQUE: Blood pool and delayed planar images of the left ankle.\n"
        "SPECT/CT: not performed.",
        PLANAR_ONLY,
        id="spect-ct-colon-not-performed",
    ),
    P(
        "SPECT-CT was cancelled because the patient was unable to lie supine. Planar spot "
        "images of the pelvis were obtained instead.",
        PLANAR_ONLY,
        id="spect-ct-cancelled",
    ),
    P(
        "Neither SPECT nor CT was performed; planar images of the chest only.",
        PLANAR_ONLY,
        id="neither-spect-nor-ct",
    ),
    P(
        "Low dose CT was not performed. SPECT of the skull was acquired at 3 hours.",
        {"modality": "spect", "areas": ("head",), "area_count": 1, "spect_days": 1},
        id="low-dose-ct-not-performed",
    ),
    P(
        "Delayed planar whole body images at 3 hours. The planned SPECT/CT was not done "
        "because the patient left the department.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="planned-spect-ct-not-done",
    ),
    P(
        "Planar images of the knees. SPECT was deferred to a later appointment.",
        PLANAR_ONLY,
        id="spect-deferred-to-later",
    ),
    P(
        "FINDINGS: Planar images of the lumbar spine show mild facet uptake. SPECT/CT deferred.",
        PLANAR_ONLY,
        id="terse-spect-ct-deferred",
    ),
    P(
        "Whole body planar images were obtained. Unable to perform SPECT because of "
        "patient discomfort.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="unable-to-perform-spect",
    ),
    P(
        "Planar images of the lumbar spine. The patient refused tomographic imaging.",
        PLANAR_ONLY,
        id="refused-tomographic-imaging",
    ),
    P(
        "Planar views of both knees; no SPECT/CT was obtained.",
        PLANAR_ONLY,
        id="no-spect-ct-was-obtained",
    ),
    P(
        "SPECT/CT imaging was omitted per the referring physician. Whole body planar only.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="spect-ct-omitted",
    ),
    # left out of the first dictation is no denial: the acquisition was done
    P(
        "Technique: SPECT/CT of the chest at 24 h.\nAddendum: SPECT/CT of the knees was also "
        "acquired at 24 h and was omitted from the original report.",
        {
            "modality": "spect_ct",
            "areas": ("chest", "lower_extremities"),
            "area_count": 2,
            "contradictions": (),
        },
        id="omitted-from-the-original-report",
    ),
]

RECOMMENDED = [
    P(
        "TECHNIQUE: Whole body planar images 3 hours after 24 mCi Tc-99m HDP.\n"
        "IMPRESSION: Indeterminate focus in L3. Recommend SPECT/CT for further "
        "characterization.",
        {**PLANAR_ONLY, "whole_body_planar": True, "study_type": "bone"},
        id="recommend-spect-ct",
    ),
    P(
        "Planar images of both hips were acquired. SPECT could be considered if the pain persists.",
        PLANAR_ONLY,
        id="spect-could-be-considered",
    ),
    P(
        "TECHNIQUE: Planar images of the pelvis.\nIMPRESSION:\n1. Increased uptake in the "
        "right sacroiliac joint.\n2. Consider SPECT/CT of the pelvis for localization.",
        PLANAR_ONLY,
        id="consider-spect-ct-numbered",
    ),
    P(
        "Whole body planar imaging was performed. A follow-up SPECT/CT may be helpful in "
        "three months.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="spect-ct-may-be-helpful",
    ),
    P(
        "Anterior and posterior views of both knees. If clinically warranted, SPECT of the "
        "knees can be performed at a later visit.",
        PLANAR_ONLY,
        id="spect-can-be-performed-later",
    ),
    P(
        "Planar whole body images demonstrate a single rib focus. SPECT/CT would help to "
        "further evaluate this.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="spect-ct-would-help",
    ),
    P(
        "Spot planar views of the chest. Suggest SPECT/CT at the time of the next scan.",
        PLANAR_ONLY,
        id="suggest-spect-ct",
    ),
    P(
        "SPECT of the chest was performed. A dedicated diagnostic CT of the chest is recommended.",
        {"modality": "spect", "areas": ("chest",), "area_count": 1},
        id="recommended-ct-not-concurrent",
    ),
    P(
        "Planar images of the abdomen at 24 hours. Further evaluation with SPECT-CT is advised.",
        PLANAR_ONLY,
        id="spect-ct-advised",
    ),
    P(
        "Planar views of the cervical spine. SPECT/CT could be obtained if needed.",
        PLANAR_ONLY,
        id="spect-ct-could-be-obtained",
    ),
    P(
        "Limited planar images of the right foot. Would recommend tomographic imaging if "
        "symptoms persist.",
        PLANAR_ONLY,
        id="recommend-tomographic-imaging",
    ),
    P(
        "Planar images of the skull. If further evaluation is desired, SPECT/CT of the skull "
        "could be performed.",
        PLANAR_ONLY,
        id="if-desired-could-be-performed",
    ),
    P(
        "Whole body planar images only. SPECT/CT of the pelvis is suggested at follow-up.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="spect-ct-is-suggested",
    ),
    # a "Planned:" line is the plan, the "Performed:" line what was done
    P(
        "Lung scan\nPlanned: ventilation and perfusion SPECT/CT.\nPerformed: Tc-99m MAA "
        "perfusion SPECT of the chest only; the aerosol could not be inhaled and no CT was "
        "acquired.",
        {"modality": "spect", "acquisitions": 1, "area_count": 1, "contradictions": ()},
        id="planned-label-then-performed",
    ),
    # "was planned, but ...": the plan gave way to something else (LABELING.md: a part
    # that never started is simply not performed)
    P(
        "Gallium scan. SPECT of the chest was planned, but the patient was too short of "
        "breath to lie still, so anterior and posterior chest views were taken instead.",
        PLANAR_ONLY,
        id="spect-was-planned-but",
    ),
    P(
        "Bone scan. A SPECT/CT of the lumbar spine had been scheduled but the camera was down; "
        "whole-body planar images were acquired.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="spect-ct-had-been-scheduled-but",
    ),
    P(
        "Lung scan. Tomographic V/Q imaging was intended, but the patient could not lie flat: "
        "six planar views of each phase were obtained.",
        {"modality": "none", "study_type": "out_of_scope", "area_count": None},
        id="tomographic-vq-intended-but-planar",
    ),
    # the plan changed, and the SPECT that was done instead is still this study's
    P(
        "In-111 WBC scan. SPECT/CT of the abdomen was planned, but the patient could not "
        "tolerate the CT, so SPECT of the abdomen alone was acquired at 24 h.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1, "contradictions": ()},
        id="spect-ct-planned-but-spect-instead",
    ),
    # the plan changed only in part: the CT was not acquired, the SPECT itself was
    P(
        "Bone scan. Whole-body planar at 3 h. SPECT/CT of the lumbar spine was planned, but "
        "the CT was not acquired because of a tube fault.",
        {"modality": "spect", "areas": ("abdomen",), "whole_body_planar": True},
        id="spect-ct-planned-but-ct-not-acquired",
    ),
    # a stock macro offer of more imaging is no acquisition (decisions for gold Y)
    P(
        "TECHNIQUE: Gallium-67 citrate. Planar views of the chest at 48 h, then SPECT/CT of "
        "the chest the same day. Additional SPECT imaging is available upon request.",
        {"modality": "spect_ct", "areas": ("chest",), "acquisitions": 1, "spect_days": 1},
        id="additional-spect-available-upon-request",
    ),
    P(
        "TECHNIQUE: Anterior and posterior whole-body views 3 h after Tc-99m MDP; further "
        "SPECT images available on request.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="spect-available-on-request-planar-study",
    ),
    P(
        "Technique: SPECT of the lumbar spine at 3 h. A second SPECT of the pelvis, if "
        "requested by the referring clinician.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1, "acquisitions": 1},
        id="second-spect-if-requested",
    ),
]

HISTORICAL = [
    P(
        "COMPARISON: SPECT/CT of 3/2021.\nTECHNIQUE: Whole body planar images were "
        "obtained 3 hours after Tc-99m MDP.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="comparison-section-spect-ct",
    ),
    P(
        "TECHNIQUE: Planar anterior and posterior whole body images.\nFINDINGS: Compared "
        "with SPECT/CT of 3/2021, the sternal lesion is stable.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="compared-with-spect-ct-in-findings",
    ),
    P(
        "HISTORY: Prior SPECT showed uptake in the right hip.\nTECHNIQUE: Planar images of "
        "the pelvis only.",
        PLANAR_ONLY,
        id="prior-spect-showed",
    ),
    P(
        "CLINICAL HISTORY: Breast cancer, status post SPECT/CT in 2019 with a sclerotic T9 "
        "lesion.\nTECHNIQUE: Planar whole body imaging.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="history-status-post-spect-ct",
    ),
    P(
        "The previous SPECT/CT from June 2022 demonstrated a left adrenal lesion. Current "
        "study: planar images of the abdomen at 4 and 24 hours.",
        PLANAR_ONLY,
        id="previous-spect-ct-demonstrated",
    ),
    P(
        "SPECT/CT of the pelvis was performed today. Comparison is made with an outside CT "
        "of the abdomen and pelvis dated 2/14/2023.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="outside-ct-comparison-does-not-add-area",
    ),
    P(
        "TECHNIQUE: SPECT of the abdomen was obtained at 24 hours.\nCOMPARISON: Contrast CT "
        "of the abdomen 1/2/2023.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="comparison-ct-is-not-concurrent",
    ),
    P(
        "Prior SPECT/CT of the chest and abdomen (2020) is available for comparison. Today "
        "SPECT/CT of the pelvis was performed.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="historical-areas-not-counted",
    ),
    P(
        "Comparison: bone SPECT 11/2020.\nPlanar spot views of the lumbar spine were obtained.",
        PLANAR_ONLY,
        id="comparison-bone-spect",
    ),
    P(
        "SPECT/CT performed on 3/1/2022 showed a sacral fracture. Today planar images of the "
        "pelvis were obtained.",
        PLANAR_ONLY,
        id="dated-spect-ct-showed",
    ),
]

ORDER_VS_TECHNIQUE = [
    P(
        "EXAM: NM BONE SCAN WHOLE BODY WITH SPECT/CT\nTECHNIQUE: Whole body planar images "
        "only.\nFINDINGS: Normal distribution of tracer.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="exam-title-spect-ct-technique-planar-only",
    ),
    P(
        "ORDER: SPECT/CT ABDOMEN\nPROCEDURE: Anterior and posterior planar images of the "
        "abdomen were acquired at 4 and 24 hours. Planar imaging only.",
        PLANAR_ONLY,
        id="order-spect-ct-procedure-planar-only",
    ),
    P(
        "EXAM TITLE: Octreotide scan with SPECT/CT\nTECHNIQUE: Planar whole body images only "
        "were obtained at 4 and 24 hours after 6 mCi In-111 pentetreotide.",
        {**PLANAR_ONLY, "whole_body_planar": True, "whole_body_days": 2, "study_type": "tumor"},
        id="octreotide-title-spect-ct-planar-only",
    ),
    P(
        "PROCEDURE: NM PARATHYROID SPECT/CT\nTECHNIQUE: Early and delayed planar images of "
        "the neck and chest only. No tomographic imaging.",
        {**PLANAR_ONLY, "study_type": "parathyroid"},
        id="parathyroid-title-spect-ct-planar-only",
    ),
    P(
        "EXAM: NM BONE SCAN LIMITED\nTECHNIQUE: SPECT/CT of the lumbar spine was performed 3 "
        "hours after injection.",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1, "spect_days": 1},
        id="planar-title-technique-spect-ct",
    ),
    P(
        "EXAM: NM WBC SCAN WITH SPECT\nTECHNIQUE: Whole body planar images only, acquired 24 "
        "hours after reinjection of In-111 labeled leukocytes.",
        {**PLANAR_ONLY, "whole_body_planar": True, "study_type": "infection"},
        id="wbc-title-spect-technique-planar",
    ),
    # a planar-only protocol line is the plan; a SPECT stated as added after the planar
    # images is what was done (the sequence settles it: no contradiction)
    P(
        "Planned protocol: planar imaging only.\nTECHNIQUE: Whole-body views at 3 h after "
        "Tc-99m MDP. A SPECT/CT of the thoracic spine was then added for a T9 focus.",
        {
            "modality": "spect_ct",
            "areas": ("chest",),
            "area_count": 1,
            "whole_body_planar": True,
            "contradictions": (),
        },
        id="planar-only-protocol-then-spect-ct-added",
    ),
    P(
        "TECHNIQUE: Anterior and posterior whole-body images only. Following review of the "
        "whole-body images, SPECT of the left knee was acquired.",
        {"modality": "spect", "area_count": 1, "contradictions": ()},
        id="planar-only-then-spect-after-review",
    ),
]

ABORTED = [
    P(
        "TECHNIQUE: Whole body planar images were obtained. SPECT of the thoracic spine was "
        "started but aborted after 8 minutes because of patient motion.",
        {"modality": "spect", "spect_aborted": True, "areas": ("chest",), "area_count": 1},
        id="spect-started-but-aborted",
    ),
    P(
        "SPECT/CT of the pelvis was terminated early at the patient's request.",
        {"modality": "spect_ct", "spect_aborted": True, "areas": ("pelvis",), "area_count": 1},
        id="spect-ct-terminated-early",
    ),
    P(
        "The SPECT acquisition of the skull was incomplete because the patient got off the table.",
        {"modality": "spect", "spect_aborted": True, "areas": ("head",), "area_count": 1},
        id="spect-incomplete",
    ),
    P(
        "SPECT-CT of the chest was begun but discontinued after 10 of 32 projections due to pain.",
        {"modality": "spect_ct", "spect_aborted": True, "area_count": 1},
        id="spect-ct-begun-but-discontinued",
    ),
    P(
        "SPECT of the pelvis was completed without difficulty.",
        {"modality": "spect", "spect_aborted": False, "area_count": 1},
        id="completed-spect-not-aborted",
    ),
]

CONTRADICTIONS = [
    P(
        "TECHNIQUE: SPECT/CT of the pelvis 3 hours after Tc-99m MDP.\n"
        "ADDENDUM: The CT portion of this examination was not acquired.",
        {"modality": "spect", "has_contradiction": True},
        id="technique-spect-ct-addendum-no-ct",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the lumbar spine 3 hours after Tc-99m MDP.",
        {"modality": "spect_ct", "has_contradiction": False},
        id="consistent-report-no-contradiction",
    ),
    # the negation is about the part named before "of the SPECT/CT", not the SPECT
    P(
        "TECHNIQUE: SPECT/CT of the knees 3 hours after Tc-99m HDP.\n"
        "ADDENDUM: The CT component of the SPECT/CT was not obtained (scanner fault).",
        {"modality": "spect", "areas": ("lower_extremities",), "has_contradiction": True},
        id="ct-component-of-the-spect-ct-not-obtained",
    ),
    # a flat stock denial left in the technique beside a dictated SPECT of a named area:
    # grey zone 5, coded by the dictated sentence (decisions for gold Y)
    P(
        "TECHNIQUE: Whole-body views 3 h after Tc-99m MDP. SPECT was not performed. "
        "Tomographic SPECT/CT of the sacrum obtained for a focus seen on the planar images.",
        {
            "modality": "spect_ct",
            "areas": ("pelvis",),
            "whole_body_planar": True,
            "has_contradiction": True,
        },
        id="stock-denial-beside-dictated-spect-ct",
    ),
    P(
        "TECHNIQUE: SPECT of the right shoulder acquired at 3 h. No SPECT imaging was performed.",
        {"modality": "spect", "area_count": 1, "has_contradiction": True},
        id="dictated-spect-then-stock-denial",
    ),
    # the denial still wins when the SPECT sentence names no area, or only plans one
    P(
        "TECHNIQUE: Whole-body views at 3 h. No SPECT imaging was performed. SPECT/CT performed.",
        {**PLANAR_ONLY, "has_contradiction": True},
        id="stock-denial-beside-arealess-spect",
    ),
    P(
        "TECHNIQUE: Whole-body views at 3 h. No SPECT imaging was performed. SPECT/CT of the "
        "pelvis will be performed tomorrow.",
        {**PLANAR_ONLY, "has_contradiction": False},
        id="stock-denial-beside-planned-spect",
    ),
]


# A "Recommendation(s):" section after the impression proposes imaging; the procedures it
# names are advice, whatever verbs carry them ("a separate SPECT/CT", "the CT offers too
# little detail").
RECOMMENDATION_SECTION = [
    P(
        "TECHNIQUE: Anterior and posterior planar views of the lumbar spine after Tc-99m "
        "MDP. SPECT was not done because the patient could not lie still.\n"
        "IMPRESSION: Focal uptake at L3.\n"
        "RECOMMENDATION: If pain persists, SPECT of the lumbar spine at a later visit.",
        {**PLANAR_ONLY, "study_type": "bone", "contradictions": ()},
        id="recommendation-section-spect-vs-denied-spect",
    ),
    P(
        "TECHNIQUE: SPECT of the pelvis 3 h after Tc-99m HDP. The hybrid camera's CT served "
        "for attenuation correction only and was not used for anatomic review.\n"
        "IMPRESSION: Uptake in the left sacral ala.\n"
        "Recommendations: Anatomic correlation by MRI; the low-dose CT offers too little "
        "detail for localization.",
        {"modality": "spect", "ct_purpose": "attenuation", "area_count": 1},
        id="recommendation-section-ct-not-a-review",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the liver 2 hours after In-111 pentetreotide.\n"
        "IMPRESSION: No avid lesion.\n"
        "Recommendation: A separate SPECT/CT of the pelvis after the next dose is of help.",
        {"modality": "spect_ct", "area_count": 1, "acquisitions": 1, "spect_days": 1},
        id="recommendation-section-separate-spect-is-no-second-acquisition",
    ),
    # contrast: the technique's SPECT/CT is untouched by a later advice section
    P(
        "TECHNIQUE: SPECT/CT of the chest 4 h after Tc-99m sestamibi, fused for anatomic "
        "localization.\nIMPRESSION: Right paratracheal focus.\n"
        "RECOMMENDATION: Surgical consultation.",
        {"modality": "spect_ct", "ct_purpose": "localization", "area_count": 1},
        id="recommendation-section-without-procedures",
    ),
]


# Negations and "planar only" statements about one part of the study, not the SPECT done.
PARTIAL_NEGATIONS = [
    P(
        "TECHNIQUE: Whole-body planar images, then SPECT/CT of the cervical spine; no SPECT "
        "of the pelvis was acquired.",
        {
            "modality": "spect_ct",
            "areas": ("neck",),
            "area_count": 1,
            "whole_body_planar": True,
            "contradictions": (),
        },
        id="spect-denied-for-other-area",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the chest after Tc-99m MDP.\nFINDINGS: Healing rib fracture. "
        "Knees (planar only): degenerative uptake.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1, "contradictions": ()},
        id="region-seen-on-planar-only",
    ),
    P(
        "COMPARISON: Bone scan 2021, planar only.\nTECHNIQUE: SPECT of the lumbar spine 3 h "
        "after Tc-99m MDP.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1, "contradictions": ()},
        id="prior-study-planar-only",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the pelvis and groins for nodal localization.\nFINDINGS: "
        "One left inguinal node. No lymphatic channels toward the popliteal fossa (planar "
        "only).",
        {"modality": "spect_ct", "contradictions": ()},
        id="negative-nodal-finding-planar-only",
    ),
    # with a SPECT described as done, denied hybrid imaging is the CT that was not done
    P(
        "TECHNIQUE: Tc-99m MDP. SPECT of the lumbar spine at 3 h. Hybrid imaging was not "
        "done (scanner fault).",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1, "contradictions": ()},
        id="hybrid-imaging-not-done",
    ),
    P(
        "Procedure: SPECT of both knees; hybrid SPECT was not available on this camera.",
        {
            "modality": "spect",
            "areas": ("lower_extremities",),
            "area_count": 1,
            "contradictions": (),
        },
        id="hybrid-spect-not-available",
    ),
    # findings subheaders for the regions outside the SPECT, with region words that are no
    # canonical area ("extremities", "remainder", "spine")
    P(
        "TECHNIQUE: Whole-body planar images, then SPECT/CT of the abdomen.\nFINDINGS:\n"
        "Abdomen (SPECT/CT): avid liver lesion.\nHead, neck and extremities (planar only): "
        "unremarkable.",
        {"modality": "spect_ct", "areas": ("abdomen",), "contradictions": ()},
        id="region-list-with-extremities-planar-only",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the pelvis after Tc-99m MDP.\nFINDINGS: Sacral fracture.\n"
        "Rest of the skeleton (planar only): degenerative changes.",
        {"modality": "spect_ct", "areas": ("pelvis",), "contradictions": ()},
        id="rest-of-skeleton-planar-only",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the pelvis after Tc-99m MDP.\nFINDINGS: Sacral fracture. "
        "Planar-only chest images show old rib fractures.",
        {"modality": "spect_ct", "areas": ("pelvis",), "contradictions": ()},
        id="planar-only-names-its-region",
    ),
    # a denial of the CT half of a hybrid study leaves its SPECT
    P(
        "TECHNIQUE: Tc-99m MDP, SPECT of the thoracic spine at 3 h. The CT portion of the "
        "intended SPECT/CT was not obtained because of a scanner error.",
        {"modality": "spect", "areas": ("chest",), "contradictions": ()},
        id="ct-portion-of-spect-ct-not-obtained",
    ),
    P(
        "TECHNIQUE: Whole-body planar and SPECT/CT of the knees after Tc-99m MDP.\n"
        "ADDENDUM: The CT component of the knee SPECT/CT was not acquired (gantry fault).",
        {
            "modality": "spect",
            "areas": ("lower_extremities",),
            "contradictions": ("the CT is described as acquired and as not acquired",),
        },
        id="ct-component-denied-in-addendum",
    ),
    # one half of a paired brain study not done, the other done
    P(
        "Tc-99m ECD given at rest; brain SPECT at 45 min without CT. No seizure occurred "
        "during monitoring and the ictal SPECT was therefore not performed.",
        {"modality": "spect", "areas": ("head",), "contradictions": ()},
        id="ictal-half-not-performed",
    ),
    # one area of a planned two-area SPECT not done
    P(
        "TECHNIQUE: SPECT/CT of the chest and abdomen was scheduled at 4 h; only the chest "
        "could be imaged before the patient asked to stop. The abdominal SPECT was not "
        "performed.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1, "contradictions": ()},
        id="planned-area-not-performed",
    ),
    # "(planar only)" after a diagnosis says where it was seen, like one after a finding
    P(
        "TECHNIQUE: SPECT of the wrists after Tc-99m MDP; the elbows on spot views.\n"
        "IMPRESSION: Scaphoid fracture. Elbow enthesopathy (planar only).",
        {"modality": "spect", "areas": ("upper_extremities",), "contradictions": ()},
        id="diagnosis-glossed-planar-only",
    ),
    P(
        "TECHNIQUE: SPECT/CT of the pelvis at 3 h.\nIMPRESSION: Right hip arthritis "
        "(planar only). Sacral insufficiency fracture.",
        {"modality": "spect_ct", "areas": ("pelvis",), "contradictions": ()},
        id="arthritis-glossed-planar-only",
    ),
    # "seen on the planar spot views only": where a finding was seen, not what was done
    P(
        "TECHNIQUE: SPECT/CT of the thoracic spine after Tc-99m MDP.\nFINDINGS: T9 "
        "compression fracture. A left humeral focus is visible on the planar spot images "
        "only.",
        {"modality": "spect_ct", "areas": ("chest",), "contradictions": ()},
        id="seen-on-planar-spot-images-only",
    ),
    # a stock macro denial naming its object after the verb denies that part only
    P(
        "TECHNIQUE: Tc-99m MDP. Planar views of the hands at 3 h. SPECT/CT of the left wrist "
        "with low-dose CT for localization. SPECT/CT was not performed of the opposite side.",
        {"modality": "spect_ct", "area_count": 1, "contradictions": ()},
        id="spect-ct-not-performed-of-opposite-side",
    ),
    P(
        "TECHNIQUE: Whole-body planar images, then SPECT/CT of the thoracic spine. SPECT was "
        "not acquired of the limbs.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1, "contradictions": ()},
        id="spect-not-acquired-of-the-limbs",
    ),
    P(
        "TECHNIQUE: Planar images of both knees, then SPECT of the right knee. SPECT was not "
        "done on the contralateral side.",
        {"modality": "spect", "area_count": 1, "contradictions": ()},
        id="spect-not-done-on-contralateral-side",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PARTIAL_NEGATIONS)
def test_pipeline_context_partial_negation_keeps_spect(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), NEGATED)
def test_pipeline_context_negated_procedure_not_counted(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), RECOMMENDED)
def test_pipeline_context_recommended_procedure_not_counted(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), RECOMMENDATION_SECTION)
def test_pipeline_context_recommendation_section_is_advice(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), HISTORICAL)
def test_pipeline_context_historical_procedure_not_counted(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), ORDER_VS_TECHNIQUE)
def test_pipeline_context_technique_beats_order(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), ABORTED)
def test_pipeline_context_aborted_spect_is_performed_and_flagged(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), CONTRADICTIONS)
def test_pipeline_context_contradicting_statements_flagged(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# "SPECT +/- CT", "SPECT ± low-dose CT", "SPECT(/CT)": the CT is optional in the notation,
# so only a statement that it was (or was not) acquired decides (LABELING.md, gold K).
OPTIONAL_CT_NOTATION = [
    P(
        "BONE SCAN, SPECT +/- CT\nTechnique: whole-body planar at 3 h; SPECT of the pelvis.",
        {"modality": "spect", "areas": ("pelvis",), "whole_body_planar": True},
        id="plus-minus-ct-title-spect-technique",
    ),
    P(
        "Gallium. SPECT ± low-dose CT of the chest at 48 h.",
        {"modality": "spect", "areas": ("chest",), "ct_purpose": None},
        id="plus-minus-sign-ct-body-only",
    ),
    P(
        "Bone scan. SPECT(/CT) of the lumbar spine at 3 h.",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="bracketed-optional-ct-is-spect",
    ),
    P(
        "BONE SCAN WITH SPECT(/CT)\nFindings: focal uptake in L3.",
        {"modality": "spect", "study_type": "bone"},
        id="bracketed-optional-ct-title-only",
    ),
    # contrast: the CT is stated as done
    P(
        "Gallium. SPECT ± low-dose CT of the chest at 48 h; the low-dose CT was acquired and "
        "fused.",
        {"modality": "spect_ct", "areas": ("chest",), "ct_purpose": "localization"},
        id="plus-minus-ct-then-acquired",
    ),
    P(
        "OCTREOTIDE SPECT +/- CT\nTechnique: SPECT/CT of the abdomen at 24 h.",
        {"modality": "spect_ct", "areas": ("abdomen",)},
        id="plus-minus-ct-title-spect-ct-technique",
    ),
]


@pytest.mark.parametrize(("text", "expected"), OPTIONAL_CT_NOTATION)
def test_pipeline_context_optional_ct_notation(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Follow-ups that list several priors: a "planar only" said of a prior study, or a bracket
# describing a compared study, is not this study's technique.
PRIOR_STUDY_DETAILS = [
    P(
        "Gallium scan\nTechnique: SPECT/CT of the chest at 48 h.\nThe two earlier gallium scans "
        "(planar only) were reviewed.",
        {"modality": "spect_ct", "areas": ("chest",), "contradictions": ()},
        id="prior-scans-planar-only-bracket",
    ),
    P(
        "Octreotide\nTechnique: whole-body planar and SPECT/CT of the abdomen at 24 h.\nCompared "
        "with octreotide scans of 03/2020 (planar and SPECT of the chest) and of 09/2021 "
        "(planar only).",
        {
            "modality": "spect_ct",
            "areas": ("abdomen",),
            "area_count": 1,
            "whole_body_planar": True,
            "contradictions": (),
        },
        id="compared-with-two-dated-priors-in-brackets",
    ),
    P(
        "Bone scan\nPrevious: 2020 planar only; 2022 SPECT of the knees.\nTechnique: SPECT/CT "
        "of the lumbar spine at 3 h.",
        {"modality": "spect_ct", "areas": ("abdomen",), "contradictions": ()},
        id="previous-label",
    ),
    # contrast: a bracket after this study's own imaging is still this study's
    P(
        "Bone scan\nTechnique: whole-body planar at 3 h (SPECT of the pelvis added).",
        {"modality": "spect", "areas": ("pelvis",), "whole_body_planar": True},
        id="bracket-after-current-imaging",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PRIOR_STUDY_DETAILS)
def test_pipeline_context_prior_study_details(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Template fields (LABELING.md, gold J): an unfilled field or an empty box states nothing
# done; a ticked "no" denies; an unticked "not performed" option states nothing.
FORM_FIELDS = [
    P(
        "Tc-99m HDP bone scan\nAnterior and posterior whole-body views at 3 hours.\n"
        "Tomography: [ ]\nFindings: Arthritic uptake at both shoulders.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="empty-box-value",
    ),
    P(
        "Tc-99m HDP bone scan\nAnterior and posterior whole-body views at 3 hours.\n"
        "SPECT/CT: ***\nFindings: Arthritic uptake at both shoulders.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="asterisk-placeholder-value",
    ),
    P(
        "Tc-99m HDP bone scan\nAnterior and posterior whole-body views at 3 hours.\n"
        "SPECT = ____\nFindings: Arthritic uptake at both shoulders.",
        {**PLANAR_ONLY, "whole_body_planar": True},
        id="underscore-placeholder-value",
    ),
    P(
        "Tc-99m MDP\nWhole-body sweep: [ ] yes  [x] no\nSPECT/CT of the left ankle at 3 h, "
        "fused for localization.",
        {"modality": "spect_ct", "whole_body_planar": False, "areas": ("lower_extremities",)},
        id="ticked-no-option",
    ),
    P(
        "Tc-99m MDP\nWhole-body sweep: [x] yes  [ ] no\nSPECT/CT of the left ankle at 3 h, "
        "fused for localization.",
        {"modality": "spect_ct", "whole_body_planar": True, "areas": ("lower_extremities",)},
        id="ticked-yes-option",
    ),
    P(
        "Tc-99m MDP 3 h whole-body images.\nSPECT:  [x] performed  [ ] not performed   "
        "Area: lumbar spine",
        {"modality": "spect", "areas": ("abdomen",), "has_contradiction": False},
        id="unticked-not-performed-option",
    ),
    # an empty box beside a narrative of the SPECT says nothing against it
    P(
        "Bone scan\nTechnique: Tc-99m MDP whole-body images at 3 h. SPECT of the pelvis was "
        "acquired.\nSPECT: ***\nCT: [ ]",
        {"modality": "spect", "areas": ("pelvis",), "has_contradiction": False},
        id="empty-box-beside-narrative",
    ),
]

# Structured templates (LABELING.md, gold Q): several fields on one line, defaults left in
# ("N/A", "--") that say nothing, radio options "( )" / "(x)", ticked "no" options with their
# reason, the label of an unticked option, and "Yes | No" columns.
TEMPLATE_FIELDS = [
    P(
        "Tc-99m HMPAO brain perfusion\nSPECT: Yes   CT: No   Reconstruction: OSEM 8 subsets\n"
        "Findings: reduced left temporal perfusion.",
        {"modality": "spect", "areas": ("head",), "ct_purpose": None},
        id="ct-no-before-next-field",
    ),
    P(
        "Tc-99m HMPAO brain perfusion, dose 20 mCi given at rest in a dim room today.\n"
        "SPECT of the brain at 60 min after injection.   SPECT/CT: N/A   CT: --\n"
        "Mildly reduced perfusion of the left temporal lobe, otherwise normal pattern.",
        {"modality": "spect", "areas": ("head",), "has_contradiction": False},
        id="defaults-na-and-dashes-beside-spect",
    ),
    P(
        "In-111 pentetreotide\nCT: N/A\nTechnique: SPECT/CT of the abdomen at 24 h, the "
        "low-dose CT fused for localization.",
        {"modality": "spect_ct", "areas": ("abdomen",), "has_contradiction": False},
        id="ct-na-default-beside-free-text-ct",
    ),
    P(
        "NM OCTREOTIDE SCAN - CANCELLED\nDose: --\nSPECT/CT: --\nNo imaging was done.",
        {"modality": "none", "area_count": None},
        id="dashes-only-fields",
    ),
    P(
        "Tc-99m MAA perfusion SPECT of the chest\nCT: [ ] low dose for localization   "
        "[ ] attenuation only   [X] Not acquired (claustrophobia)",
        {"modality": "spect", "ct_purpose": None, "areas": ("chest",)},
        id="ticked-not-acquired-with-reason",
    ),
    P(
        "Tc-99m HDP bone scan\nStudy: ( ) Spot views   (x) Whole body   ( ) Three-phase\n"
        "SPECT: ( ) Yes   (x) No\nFindings: arthritic uptake in both knees.",
        {**PLANAR_ONLY, "whole_body_planar": True, "three_phase": False},
        id="radio-options",
    ),
    P(
        "Tc-99m HDP\nWhole body: (x) Done   ( ) Incomplete\nSPECT of the pelvis: (x) Done\n"
        "CT: ( ) Acquired   (x) Not started - scanner fault",
        {"modality": "spect", "areas": ("pelvis",), "spect_aborted": False},
        id="radio-not-started-and-unticked-incomplete",
    ),
    P(
        "Tc-99m MIBG\nSPECT of the abdomen at 24 h: [X]\n"
        "CT: [X] Attenuation correction only   [ ] Anatomic localization and fusion",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="unticked-localization-option-label",
    ),
    P(
        "Tc-99m MIBG\nSPECT of the abdomen at 24 h: [X]\n"
        "CT: [ ] Low-dose CT for attenuation correction only   [X] Fused for localization",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="unticked-attenuation-only-option-label",
    ),
    P(
        "Ga-67 citrate\nImages | Yes | No\n48 h ant/post chest | X |\nWhole body |  | X\n"
        "SPECT/CT |  | X\nFindings: no abnormal uptake.",
        {**PLANAR_ONLY, "whole_body_planar": False},
        id="yes-no-table-no-column",
    ),
    # contrast: the mark in the "Yes" column
    P(
        "Ga-67 citrate\nImages | Yes | No\nWhole body | X |\nSPECT/CT of the chest | X |\n"
        "Findings: no abnormal uptake.",
        {"modality": "spect_ct", "whole_body_planar": True, "areas": ("chest",)},
        id="yes-no-table-yes-column",
    ),
    # a date between an article and the CT names a past CT, not this study's
    P(
        "Tc-99m MIBG\nTechnique: SPECT of the abdomen at 24 h; CT for attenuation correction "
        "only.\nFindings: avid left adrenal lesion matching the mass on the 03/2022 CT.",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="dated-ct-in-findings-is-past",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TEMPLATE_FIELDS)
def test_pipeline_context_structured_template_fields(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Structured templates (LABELING.md, gold Q): round radio boxes are boxes too; a field's key
# may name the area; a ticked "No" may give its reason; "N/A" and "--" are defaults that
# deny nothing the report says was done; a pipe-separated form line ends its field at "|".
TEMPLATE_FIELD_KEYS = [
    P(
        "In-111 WBC\nAcquisition at 24 h:\n  Whole-body sweep: ( ) Yes  (x) No\n"
        "  Tomographic mode: (x) SPECT  ( ) SPECT/CT\n  SPECT field: T10 - L3",
        {"modality": "spect", "whole_body_planar": False, "area_count": 2},
        id="radio-options-unticked",
    ),
    # contrast: the same form with the other options ticked
    P(
        "In-111 WBC\nAcquisition at 24 h:\n  Whole-body sweep: (x) Yes  ( ) No\n"
        "  Tomographic mode: ( ) SPECT  (x) SPECT/CT\n  SPECT field: T10 - L3",
        {"modality": "spect_ct", "whole_body_planar": True, "area_count": 2},
        id="radio-options-ticked",
    ),
    # a round box after its label belongs to that label, not to the next option
    P(
        "Tc-99m HMPAO brain perfusion\nFirst SPECT ( )   Second SPECT (x)\n"
        "SPECT of the brain at 30 min.",
        {"modality": "spect", "areas": ("head",)},
        id="radio-box-after-its-label",
    ),
    P(
        "Ga-67 citrate, imaging at 72 h\nWhole-body sweep: [x]\n"
        "SPECT/CT chest: [ ] Yes  [X] No (scanner booked for emergencies)",
        {"modality": "planar", "whole_body_planar": True, "area_count": None},
        id="area-key-ticked-no-with-reason",
    ),
    P(
        "Sestamibi dual phase\nPlanar neck at 10 min: yes\nPlanar neck at 2 h: yes\n"
        "SPECT/CT: [ ] Yes  [X] No - hybrid gantry under repair",
        {"modality": "planar", "area_count": None},
        id="ticked-no-dash-reason",
    ),
    P(
        "Tc-99m labeled RBC\nPlanar abdomen: [X]\nSPECT/CT abdomen: [X]\nSPECT/CT chest: [ ]",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1},
        id="area-key-left-empty",
    ),
    P(
        "Tc-99m MAA hepatic arterial injection\n"
        "Acquired: Planar chest ant/post: Yes | SPECT/CT liver: Yes | SPECT/CT lungs: No",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1},
        id="pipe-separated-fields",
    ),
    P(
        "Tc-99m PYP cardiac\nPlanar chest: yes\nSPECT chest: yes\nSPECT/CT: n/a",
        {"modality": "spect", "areas": ("chest",), "has_contradiction": False},
        id="na-default-beside-done-spect",
    ),
    # contrast: "N/A" with nothing else stated still reports no SPECT/CT
    P(
        "Tc-99m PYP\nPlanar chest 1 h: done\nSPECT/CT: N/A",
        {"modality": "planar", "area_count": None},
        id="na-default-alone",
    ),
    P(
        "Tc-99m MDP, SPECT/CT of the pelvis in one bed at 3 h.\nWhole-body sweep: --",
        {"modality": "spect_ct", "whole_body_planar": False},
        id="double-dash-default",
    ),
    # a worksheet's dot leader separates key and value; a value that marks the row as not
    # done ("optional", "not scheduled", "--") takes the imaging out, as in a protocol table
    P(
        "Lu-177 DOTATATE dosimetry sheet\nScan schedule:\n"
        "  Day 1 (24 h)  SPECT/CT liver ........ done\n"
        "  Day 4 (96 h)  SPECT/CT liver ........ done\n"
        "  Day 6 (144 h) SPECT/CT liver ........ optional, not booked\n"
        "  Whole-body planar ........ --",
        {"spect_days": 2, "whole_body_planar": False, "areas": ("abdomen",)},
        id="dot-leader-worksheet-rows",
    ),
    P(
        "In-111 pentetreotide\n4 h SPECT/CT abdomen: done\n24 h SPECT/CT abdomen: not "
        "scheduled\nWhole body planar: --",
        {"spect_days": 1, "whole_body_planar": False},
        id="not-scheduled-value-and-whole-body-planar-key",
    ),
]

# A dictated self-correction replaces the words it follows, without review (LABELING.md).
SELF_CORRECTIONS = [
    P(
        "Technique: planar images of the neck at 15 min and 2 h, then SPECT/CT - strike "
        "that - SPECT of the neck at 2 h with no CT.",
        {"modality": "spect", "ct_purpose": None, "areas": ("neck",), "has_contradiction": False},
        id="strike-that-procedure",
    ),
    P(
        "Technique: In-111 pentetreotide. SPECT/CT of the chest (correction: abdomen) at 24 h.",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1},
        id="bracketed-correction-area",
    ),
    P(
        "Technique: In-111 pentetreotide. SPECT/CT of the pelvis, scratch that, of the "
        "abdomen at 24 h.",
        {"modality": "spect_ct", "areas": ("abdomen",), "area_count": 1},
        id="scratch-that-area",
    ),
    # a double hyphen before the correction, as typed for a dash
    P(
        "tech: Tc-99m MDP, SPECT/CT of the pelvis -- correction: SPECT/CT of the knees -- at 3 h",
        {"modality": "spect_ct", "areas": ("lower_extremities",), "area_count": 1},
        id="double-hyphen-correction",
    ),
    # contrast: a hyphenated "attenuation-correction" is no self-correction
    P(
        "Technique: SPECT/CT of the pelvis with attenuation-correction CT, fused for localization.",
        {"modality": "spect_ct", "areas": ("pelvis",), "ct_purpose": "localization"},
        id="attenuation-correction-is-not-one",
    ),
]


# A form row's boxes belong to the labels on their own side: "SPECT/CT [x]   Planar [ ]"
# puts each box after its label, "[x] SPECT/CT   [ ] Planar" before it. The row's layout
# says which: one that opens with a label and ends with a box is label-then-box.
BOX_AFTER_LABEL = [
    P(
        "Tc-99m MDP bone imaging of the pelvis\nAcquired: SPECT/CT [x]   Planar spot views [ ]"
        "\nFindings: degenerative uptake.",
        {"modality": "spect_ct", "planar_days": None},
        id="ticked-box-after-spect-ct",
    ),
    P(
        "Tc-99m MDP bone imaging of the pelvis\nAcquired: SPECT/CT [ ]   Planar spot views [x]"
        "\nFindings: degenerative uptake.",
        {"modality": "planar", "planar_days": 1},
        id="ticked-box-after-planar",
    ),
    P(
        "Tc-99m MDP bone SPECT/CT of the lumbar spine.\nCT for localization: [X]   "
        "Attenuation only: [ ]\nFindings: facet arthropathy.",
        {"modality": "spect_ct", "ct_purpose": "localization"},
        id="ticked-localization-box-after-its-label",
    ),
    P(
        "Tc-99m MDP bone SPECT/CT of the lumbar spine.\nCT for localization: [ ]   "
        "Attenuation only: [X]\nFindings: facet arthropathy.",
        {"ct_purpose": "attenuation"},
        id="ticked-attenuation-box-after-its-label",
    ),
    P(
        "Tc-99m MDP bone imaging.\nSUV quantification ( )   SPECT/CT (x)   Whole body ( )\n"
        "Findings: no metastases.",
        {"modality": "spect_ct", "quantification": False, "whole_body_planar": False},
        id="radio-boxes-after-their-labels",
    ),
    P(
        "Tc-99m MDP bone SPECT/CT of the pelvis.\nWhole-body sweep: yes [ ]   no [X]\n"
        "Findings: no metastases.",
        {"modality": "spect_ct", "whole_body_planar": False},
        id="ticked-no-box-after-its-label",
    ),
    P(
        "Tc-99m MDP bone scan.\nSPECT/CT: lumbar spine [ ]   thoracic spine [x]\n"
        "Findings: no metastases.",
        {"areas": ("chest",)},
        id="area-box-after-its-label",
    ),
    # contrast: boxes before their labels, as before
    P(
        "Tc-99m MDP bone imaging of the pelvis\nAcquired: [x] SPECT/CT   [ ] Planar spot views"
        "\nFindings: degenerative uptake.",
        {"modality": "spect_ct", "planar_days": None},
        id="contrast-ticked-box-before-spect-ct",
    ),
    P(
        "Tc-99m MDP bone imaging of the pelvis\nAcquired: [ ] SPECT/CT   [x] Planar spot views"
        "\nFindings: degenerative uptake.",
        {"modality": "planar", "planar_days": 1},
        id="contrast-ticked-box-before-planar",
    ),
    P(
        "Tc-99m MDP bone scan.\nSPECT/CT: [ ] lumbar spine   [x] thoracic spine\n"
        "Findings: no metastases.",
        {"areas": ("chest",)},
        id="contrast-area-box-before-its-label",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BOX_AFTER_LABEL)
def test_pipeline_context_box_after_its_label(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), FORM_FIELDS)
def test_pipeline_context_form_field_values(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), TEMPLATE_FIELD_KEYS)
def test_pipeline_context_template_field_values(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), SELF_CORRECTIONS)
def test_pipeline_context_self_correction_replaces_struck_words(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A bracket holding "only" or "alone" after a negated procedure says what was done instead;
# it is not a gloss of the negated procedure ("No CT (SPECT only unit)"); a short gloss
# without it still is ("no dynamic (flow) images").
ONLY_BRACKETS = [
    P(
        "Gallium\nTechnique: SPECT of the chest at 48 hours. No CT (SPECT only unit).\n"
        "Findings: normal.",
        {"modality": "spect", "area_count": 1, "contradictions": ()},
        id="no-ct-bracket-spect-only",
    ),
    P(
        "Gallium\nTechnique: SPECT of the chest at 48 hours. No CT (SPECT alone).",
        {"modality": "spect", "area_count": 1, "contradictions": ()},
        id="no-ct-bracket-spect-alone",
    ),
    P(
        "Bone scan. No SPECT (planar alone) because of claustrophobia. Spot views of the feet.",
        {"modality": "planar", "area_count": None},
        id="no-spect-bracket-planar-alone",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ONLY_BRACKETS)
def test_pipeline_context_only_bracket_is_not_a_gloss(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# "Marrow scan not done" in a leukocyte report names a companion study: the report's own
# imaging was still performed. The report's own study cancelled is still nothing done.
COMPANION_NOT_DONE = [
    P(
        "In-111 WBC\nSPECT/CT of the ankles at 24 hrs.\nIMP: No osteomyelitis. Sulfur colloid "
        "marrow scan not done.",
        {"modality": "spect_ct", "area_count": 1},
        id="marrow-scan-not-done",
    ),
    P(
        "In-111 WBC\nScan not done: patient did not return for imaging.",
        {"modality": "none"},
        id="own-scan-not-done",
    ),
]


# A title that opens by saying the exam was not done is the note of a cancelled exam.
COMPANION_NOT_DONE += [
    P(
        "EXAMINATION NOT DONE - Tc-99m sestamibi parathyroid SPECT/CT, booked for 11/09/2023.\n"
        "Calcium was normal on the morning labs; the surgeon withdrew the request.",
        {"modality": "none"},
        id="a-title-opening-with-the-cancellation",
    ),
]


@pytest.mark.parametrize(("text", "expected"), COMPANION_NOT_DONE)
def test_pipeline_context_companion_study_not_done(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A denial limited to the day of injection or therapy is about that day only (gold M).
INJECTION_DAY_DENIALS = [
    P(
        "Technique: planar whole-body images at 4 and 24 hours; SPECT/CT of the pelvis at 24 "
        "hours. No SPECT was done on the injection day.",
        {"modality": "spect_ct", "spect_days": 1, "contradictions": ()},
        id="no-spect-on-injection-day",
    ),
    P(
        "LU-177 DOTATATE POST-THERAPY IMAGING\nNo images were obtained on the day of therapy."
        " Technique: at 72 h, SPECT/CT of the abdomen with low-dose CT for localization.",
        {"modality": "spect_ct", "spect_days": 1, "study_type": "tumor"},
        id="no-images-on-day-of-therapy",
    ),
    P(
        "Technique: No SPECT was done. Planar images of the pelvis on the injection day.",
        {"modality": "planar"},
        id="contrast-plain-denial",
    ),
    P(
        "Tc-99m MDP injected. The patient did not return. No imaging was performed.",
        {"modality": "none"},
        id="contrast-nothing-performed",
    ),
]

# A not-performed statement that names one time point is about that session only, when
# imaging at another time point is reported as done; a therapy note written in the present
# tense ("no imaging is performed") still reports nothing done.
SESSION_NOT_PERFORMED = [
    P(
        "In-111 pentetreotide\nTechnique: SPECT/CT of the abdomen at 4 h. The 24 h imaging "
        "on 05/06 was missed: the patient did not return.",
        {"modality": "spect_ct", "spect_days": 1, "area_count": 1},
        id="later-session-missed",
    ),
    # contrast: no imaging anywhere, the missed time point is the whole study
    P(
        "In-111 pentetreotide injected 05/05. The patient did not return for the 24 h imaging.",
        {"modality": "none"},
        id="only-session-missed",
    ),
    P(
        "Lu-177 PSMA, cycle 4: administration note\n7.4 GBq given IV over 30 min. No imaging "
        "is performed with this cycle.",
        {"modality": "none"},
        id="present-tense-no-imaging",
    ),
    # contrast: a "Scheduled exam:" line is the plan, no imaging reported done, so a visit
    # on a dated day with nothing given or imaged is the whole study
    P(
        "Scheduled exam: Ga-67 citrate SPECT/CT of the chest, imaging 03/04/2021 at 48 h.\n"
        "The dose was not delivered in time; the patient came on 03/02/2021 and nothing was "
        "injected and no images were obtained. Rebooked.",
        {"modality": "none"},
        id="scheduled-exam-line-is-the-plan",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SESSION_NOT_PERFORMED)
def test_pipeline_context_one_session_not_performed(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), INJECTION_DAY_DENIALS)
def test_pipeline_context_injection_day_denial_is_partial(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# One document, two studies written one per line: a denial that names an area or a study
# on the line of one tracer does not deny the SPECT stated on the line of another tracer;
# a bare "SPECT was not performed" still denies the study.
OTHER_STUDY_DENIAL = [
    P(
        "COMBINED REPORT\nLung scan: Tc-99m MAA, 6 planar views; no SPECT of the chest.\n"
        "Perfusion MPI: Tc-99m tetrofosmin at rest, gated SPECT; regadenoson stress the next "
        "day, gated SPECT.",
        {"modality": "spect", "study_type": "myocardial_perfusion", "has_contradiction": False},
        id="lung-scan-denial-leaves-mpi-spect",
    ),
    P(
        "Part 1: Tc-99m HDP whole-body images at 3 h; SPECT was not done for the bone scan.\n"
        "Part 2: In-111 leukocytes, SPECT/CT of the pelvis at 24 h.",
        {"modality": "spect_ct", "areas": ("pelvis",), "has_contradiction": False},
        id="bone-part-denial-leaves-leukocyte-spect",
    ),
    # contrast: a bare denial on the tracer line denies the SPECT the title names
    P(
        "Procedure: Tc-99m PYP cardiac imaging SPECT/CT\n"
        "Technique: Tc99m pyrophosphate IV, planar chest views at 1 h. SPECT was not performed.",
        {"modality": "planar"},
        id="bare-denial-still-denies",
    ),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_STUDY_DENIAL)
def test_pipeline_context_denial_of_another_tracers_spect(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# LABELING.md gold R: a preliminary read written before the SPECT ("planar only; SPECT
# pending") completed by the final read is no contradiction; a "planar only" that the
# order named, with a SPECT done per protocol, is a plan, not what was done.
PLANAR_ONLY_NOT_THE_STUDY = [
    P(
        "WB BONE SCAN, SPECT/CT PELVIS\nPRELIM (planar images only, SPECT/CT of the pelvis "
        "still to be acquired): left sacral focus.\nFINAL: Technique: MDP whole-body images, "
        "then SPECT/CT of the pelvis with fused CT. Findings: sacral fracture.",
        {"modality": "spect_ct", "whole_body_planar": True, "has_contradiction": False},
        id="prelim-planar-only-spect-pending",
    ),
    P(
        "Technique: Tc-99m MAA into the right hepatic artery; SPECT/CT of the abdomen "
        "(requested as planar only; the SPECT/CT was added per department routine).",
        {"modality": "spect_ct", "areas": ("abdomen",), "has_contradiction": False},
        id="order-said-planar-only",
    ),
    # contrast: a planar-only technique with no SPECT reported is planar
    P(
        "Technique: Tc-99m MDP, planar images only; SPECT/CT was not performed.",
        {"modality": "planar"},
        id="planar-only-technique",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PLANAR_ONLY_NOT_THE_STUDY)
def test_pipeline_context_planar_only_of_a_prelim_or_order(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A procedure dated, in its own clause, weeks before the date of service is a past study
# ("SPECT/CT of the left knee on 03/02/2021" in a report of 05/20/2021); a later day of a
# multi-day study is not.
DATED_PAST_STUDY = [
    P(
        "Exam date: 05/20/2021\nFollow-up of septic arthritis (bone scan with SPECT/CT of the "
        "left knee on 03/02/2021). Tc-99m MDP flow, blood-pool and delayed planar images of "
        "both knees. SPECT/CT was not repeated.",
        {"modality": "planar", "three_phase": True},
        id="bracketed-prior-spect-dated-weeks-before",
    ),
    # contrast: the second day of this study's SPECT/CT is this study's
    P(
        "Exam date: 05/20/2021\nIn-111 leukocytes. SPECT/CT of the pelvis on 05/21/2021 at "
        "24 h, CT for localization.",
        {"modality": "spect_ct", "areas": ("pelvis",)},
        id="next-day-spect-is-this-study",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DATED_PAST_STUDY)
def test_pipeline_context_procedure_dated_before_service(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# "No CT acquired that day" after a SPECT/CT stopped on day 1, with a SPECT/CT completed
# on day 2: the CT was acquired on the other day (SPECT/CT, no CT contradiction).
CT_DENIED_THAT_DAY = [
    P(
        "I-123 MIBG 4 mCi.\nDay 1 (24 h): planar images. SPECT/CT of the chest begun, halted "
        "after 5 minutes for crying. No CT acquired that day.\nDay 2 (48 h): SPECT/CT of the "
        "chest performed under sedation.",
        {"modality": "spect_ct", "spect_days": 2, "has_contradiction": False},
        id="ct-denied-that-day-done-next-day",
    ),
    # contrast: a CT denied without a day still contradicts the SPECT/CT wording
    P(
        "Technique: SPECT/CT of the chest at 24 h. No CT was acquired.",
        {"modality": "spect", "has_contradiction": True},
        id="ct-denied-outright",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CT_DENIED_THAT_DAY)
def test_pipeline_context_ct_denied_that_day(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# What a Recommendation section names is advice, even with a negator in its words: it says
# nothing about this study's CT or SPECT.
ADVICE_WITH_NEGATORS = [
    P(
        "Parathyroid SPECT\nTechnique: dual-phase Tc-99m sestamibi SPECT of the neck and "
        "mediastinum; low-dose CT for attenuation correction only.\nImpression: right "
        "inferior adenoma.\nRecommendation: non-contrast 4D-CT if the surgeon needs precise "
        "localization.",
        {"modality": "spect", "ct_purpose": "attenuation"},
        id="advice-non-contrast-ct",
    ),
    P(
        "Bone scan\nTechnique: SPECT/CT of the lumbar spine, CT for localization.\n"
        "Recommendation: no further SPECT imaging needed.",
        {"modality": "spect_ct", "area_count": 1},
        id="advice-no-further-spect",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ADVICE_WITH_NEGATORS)
def test_pipeline_context_advice_section_overrides_negators(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A backward denial belongs to its own clause: a procedure that an earlier clause says was
# done ("the chest SPECT/CT was acquired,") is not what "the pelvic bed was not done" denies.
OWN_DONE_CLAUSE = [
    P(
        "Technique: Tc-99m MDP; only the chest SPECT/CT was acquired, the pelvic bed was not "
        "done because the patient could not stay still.",
        {"modality": "spect_ct", "areas": ("chest",), "has_contradiction": False},
        id="done-clause-then-denied-bed",
    ),
    # contrast: with no verb of its own, the SPECT/CT is what the denial is about
    P(
        "Technique: Tc-99m MDP whole-body planar images; SPECT/CT of the chest, as requested, "
        "was not done.",
        {"modality": "planar"},
        id="denial-of-the-named-spect-ct",
    ),
]


@pytest.mark.parametrize(("text", "expected"), OWN_DONE_CLAUSE)
def test_pipeline_context_denial_of_another_clause(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# "Not repeated" after a SPECT that was stopped part-way: the one SPECT stands, aborted
# (grey zone 4), and nothing contradicts it.
NOT_REPEATED_AFTER_ABORT = [
    P(
        "Technique: Tc-99m MDP. Tomography of the lumbar spine was started but had to be "
        "stopped after six minutes for pain. The SPECT was not repeated.",
        {"modality": "spect", "spect_aborted": True, "has_contradiction": False},
        id="stopped-spect-not-repeated",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NOT_REPEATED_AFTER_ABORT)
def test_pipeline_context_not_repeated_after_abort(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A SPECT/CT denied on the very line that states a plain SPECT as done denies the CT half;
# the SPECT stands, without CT and without contradiction.
SPECT_CT_DENIED_BESIDE_SPECT = [
    P(
        "Tc-99m sestamibi, planar neck and chest at 15 min and 2 h, SPECT of the neck at "
        "2 h. SPECT/CT not done (CT tube fault), SPECT alone.",
        {"modality": "spect", "ct_purpose": None, "has_contradiction": False},
        id="spect-ct-denied-on-the-spect-line",
    ),
    # contrast: an order title with SPECT on its own line does not save the SPECT
    P(
        "Procedure: bone scan with SPECT\nTechnique: Tc-99m MDP whole-body planar images at "
        "3 h. SPECT/CT was not obtained, the planar images sufficed.",
        {"modality": "planar"},
        id="title-spect-and-denied-spect-ct",
    ),
    # contrast: the SPECT named in the denial's own sentence is what was not done
    P(
        "Technique: Lu-177 DOTATATE, anterior and posterior whole-body images at 24 h. Back "
        "pain kept him from the tomographic acquisition despite medication; SPECT/CT was "
        "not attempted.",
        {"modality": "planar", "has_contradiction": False},
        id="spect-in-the-denials-own-sentence",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPECT_CT_DENIED_BESIDE_SPECT)
def test_pipeline_context_spect_ct_denied_beside_spect(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Dictation macros (gold Y decisions): stock text that offers a SPECT, or leaves a field at
# its default, says nothing was done; a stock denial naming a part denies only that part.
MACRO_STOCK_TEXT = [
    P(
        "TECHNIQUE: Static anterior and lateral planar views of the right ankle at 3 h.\n"
        "Further SPECT images are available on request.\nFINDINGS: Talar dome uptake.",
        PLANAR_ONLY,
        id="spect-offered-on-request",
    ),
    P(
        "Technique: Tc-99m MDP, planar images of the pelvis and both hips.\n"
        "SPECT/CT: available upon request\nFindings: Degenerative change only.",
        PLANAR_ONLY,
        id="spect-ct-field-offers-on-request",
    ),
    P(
        "Technique: In-111 WBC planar images of the abdomen at 24 h. SPECT/CT: to be "
        "performed if the planar study is indeterminate; it was not needed.",
        PLANAR_ONLY,
        id="spect-ct-field-conditional-on-planar",
    ),
    P(
        "TECHNIQUE: Delayed planar views of both knees at 3 hours. SPECT: N/A. No further "
        "imaging.\nFINDINGS: Mild medial compartment uptake.",
        PLANAR_ONLY,
        id="inline-spect-field-left-at-na",
    ),
    P(
        "TECHNIQUE: Planar images of the thoracic spine. SPECT/CT of the thoracic spine was "
        "acquired with a low-dose CT for localization. SPECT/CT was not performed of the "
        "extremities.\nFINDINGS: T9 compression fracture.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1, "has_contradiction": False},
        id="stock-denial-names-the-extremities",
    ),
    P(
        "Technique: SPECT of the left knee at 3 hours. SPECT was not acquired of the "
        "contralateral side.\nFindings: Patellar uptake.",
        {"modality": "spect", "area_count": 1, "has_contradiction": False},
        id="stock-denial-names-the-other-side",
    ),
    # contrast: a denial naming no part, beside the planar imaging only, still denies
    P(
        "Technique: Planar images of both wrists. SPECT/CT was not performed.\nFindings: Normal.",
        PLANAR_ONLY,
        id="plain-denial-still-planar",
    ),
]


# A technologist's worksheet attached to the report that denies a SPECT the physician's
# technique describes: a contradiction, the technique wins (review).
WORKSHEET_DENIALS = [
    P(
        "In-111 WBC SCAN\nTechnique: Whole-body images and SPECT/CT of the pelvis at 4 h "
        "(03/02) and 24 h (03/03).\nImpression: Left hip prosthesis infection.\n\n"
        "Tech worksheet\n03/02 4h: WB + SPECT/CT pelvis done.\n03/03 24h: WB done. "
        "SPECT/CT not performed - scanner down.",
        {"modality": "spect_ct", "spect_days": 2, "has_contradiction": True},
        id="worksheet-denies-later-spect",
    ),
    # contrast: a worksheet that records no SPECT done and denies it outright (no row of
    # one time point) is the later, more specific statement, as before
    P(
        "In-111 WBC SCAN\nTechnique: Whole-body images and SPECT/CT of the pelvis at 24 h.\n"
        "Impression: No infection.\n\nTech worksheet\nWB ant/post done. SPECT/CT not "
        "performed - scanner down.",
        {"modality": "planar", "has_contradiction": True},
        id="worksheet-denies-the-only-spect",
    ),
    # contrast: the physician's own denial still wins
    P(
        "In-111 WBC SCAN\nTechnique: Whole-body images and SPECT/CT of the pelvis at 24 h.\n"
        "Comment: SPECT/CT was not performed, the scanner was down.",
        {"modality": "planar", "has_contradiction": True},
        id="physician-denial-still-wins",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MACRO_STOCK_TEXT)
def test_pipeline_context_macro_stock_text(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), WORKSHEET_DENIALS)
def test_pipeline_context_worksheet_denial(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)
