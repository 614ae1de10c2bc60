"""SPECT days and whole-body planar days (coding-policy.md section 3 "Days", LABELING.md).

Distinct days on which SPECT was acquired: 4 h + 24 h = 2, 24 h + 48 h = 2,
4 h + 24 h + 96 h = 3, 20 min + 2 h = 1; "next day", "day 2", "the following morning"
start a new day; the injection day is not an imaging day; planar images on another day
do not make the SPECT multi-day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.pipeline.timing import find_times
from tests.pipeline_support import assert_facts, facts_of

P = pytest.param


SPECT_DAYS = [
    P(
        "SPECT/CT of the abdomen at 4 h and 24 h after injection of In-111 pentetreotide.",
        2,
        id="4h-and-24h",
    ),
    P("SPECT/CT of the chest was obtained at 24 and 48 hours.", 2, id="24-and-48-hours"),
    P(
        "SPECT of the pelvis at 3 h; delayed SPECT of the pelvis the next evening.",
        2,
        id="3-h-then-next-evening",
    ),
    P(
        "Brain SPECT at 40 min; second brain SPECT the following evening after reinjection.",
        2,
        id="40-min-then-following-evening",
    ),
    P(
        "SPECT of the pelvis at 4 hrs; repeat SPECT of the pelvis the next morning.",
        2,
        id="4-hrs-then-next-morning",
    ),
    P(
        "Initial SPECT/CT was performed at 4 hrs and delayed SPECT/CT the next morning.",
        2,
        id="initial-and-delayed-next-morning",
    ),
    P(
        "Day 1: whole body planar images and SPECT/CT of the abdomen.\nDay 2: SPECT/CT of the "
        "abdomen.",
        2,
        id="day-1-day-2-labels",
    ),
    P(
        "Day 1: SPECT/CT of the abdomen.\nDay 2: SPECT/CT of the abdomen.\nDay 3: SPECT/CT of "
        "the abdomen.",
        3,
        id="day-1-2-3-labels",
    ),
    P("SPECT/CT of the pelvis was acquired on day 2.", 1, id="day-2-only"),
    P(
        "Early SPECT at 4 hours; delayed SPECT/CT images the following morning.",
        2,
        id="following-morning",
    ),
    P(
        "SPECT/CT images were obtained on 05/10/2023 and 05/11/2023.",
        2,
        id="explicit-dates-two-days",
    ),
    P(
        "SPECT of the abdomen on 1/9/2022 (4 hours) and on 1/10/2022 (24 hours).",
        2,
        id="explicit-dates-with-hours",
    ),
    P(
        "Both SPECT/CT acquisitions of the neck were on 06/01/2021, at 2 and 5 hours.",
        1,
        id="same-date-twice",
    ),
    P(
        "SPECT of the chest at 20 minutes and 2 hours after injection.",
        1,
        id="20-minutes-and-2-hours",
    ),
    P(
        "Planar images at 15 minutes; SPECT/CT of the neck 45 minutes later.",
        1,
        id="45-minutes-later",
    ),
    P("Lu-177 DOTATATE: SPECT/CT of the abdomen at 4, 24 and 96 hours.", 3, id="4-24-96-hours"),
    P("SPECT/CT of the abdomen at 4 h, 24 h and 96 h post administration.", 3, id="4h-24h-96h"),
    # a day heading, then minutes after that day's injection
    P(
        "DAY 1 03/02/2021: BASELINE, 25 MCI TC-99M HMPAO, BRAIN SPECT AT 45 MIN.\n"
        "DAY 2 03/03/2021: ACETAZOLAMIDE IV, 25 MCI TC-99M HMPAO, BRAIN SPECT AT 45 MIN.",
        2,
        id="day-headings-minutes-after-each-injection",
    ),
    P("Day 1: SPECT/CT of the abdomen at 4 h and 24 h.", 2, id="day-1-heading-4h-24h"),
    P("Day 2: SPECT/CT of the abdomen at 30 min and 2 h.", 1, id="day-2-heading-same-day"),
    P("SPECT of the skull at 6 hours.", 1, id="6-hours"),
    P("SPECT/CT was performed 48 hours after injection.", 1, id="48-hours-only"),
    P("SPECT/CT of the chest at 1 hour, 4 hours and 24 hours.", 2, id="1-4-24-hours"),
    P("Ga-67 SPECT/CT of the chest at 24 and 72 hours.", 2, id="24-and-72-hours"),
    P(
        "The tracer was injected on 3/1/2023. SPECT/CT of the pelvis was performed on 3/2/2023.",
        1,
        id="injection-day-not-imaging-day",
    ),
    P(
        "SPECT/CT of the abdomen was performed on day 1 and day 3 after therapy.",
        2,
        id="day-1-and-day-3",
    ),
    P("SPECT/CT of the pelvis 3 hours post injection.", 1, id="same-day-3-hours"),
    P(
        "SPECT/CT of the chest at 4 hours. SPECT/CT of the chest repeated at 24 hours.",
        2,
        id="repeated-at-24-hours",
    ),
    P("Delayed SPECT/CT images of the abdomen at 24 hours.", 1, id="24-hours-only"),
    P("SPECT of the abdomen 2 hrs and 6 hrs after injection.", 1, id="2-and-6-hrs"),
    P("SPECT/CT of the neck at 30 min and 3 hr.", 1, id="30-min-and-3-hr"),
    P(
        "Images of the abdomen were obtained at 4 and 24 hours, with SPECT/CT at both time points.",
        2,
        id="spect-at-both-time-points",
    ),
    P("SPECT/CT of the pelvis at 4 hours and the following day.", 2, id="following-day"),
    # a second injection's date names its activity in words: its hours count from that day
    P(
        "Ictal: Tc-99m ECD 25 millicuries injected 3/15 at 14:02. SPECT of the head at 1 hr.\n"
        "Interictal: Tc-99m ECD 25 millicuries 3/17. SPECT of the head at 1 hr.\nNo CT.",
        2,
        id="second-injection-activity-in-words",
    ),
]

SPECT_DAYS += [
    # one time point stated once for both injections, given on two dates
    P(
        "Tracer: first dose 20 mCi Tc-99m HMPAO injected 5/10 during a seizure; second dose "
        "20 mCi Tc-99m HMPAO on 5/12 at rest.\nTechnique: SPECT of the head 90 minutes "
        "after each injection. No CT.",
        2,
        id="spect-after-each-injection-on-two-dates",
    ),
    # contrast: two injections on one date stay one day
    P(
        "Tracer: 20 mCi Tc-99m HMPAO injected 5/10 at 08:00 and a second 20 mCi dose on 5/10 "
        "at 13:00.\nTechnique: SPECT of the head 45 minutes after each injection.",
        1,
        id="spect-after-each-injection-same-date",
    ),
]

PLANAR_AND_SPECT_DAYS = [
    # a time point that never happened sets no running day for the findings after it
    P(
        "TECHNIQUE: Whole-body planar images at 24 hours, then SPECT/CT of the pelvis. "
        "No 72-hour images were required.\nFINDINGS:\nPelvis (SPECT/CT): no focal uptake.",
        {"spect_days": 1, "whole_body_planar": True, "whole_body_days": 1},
        id="denied-later-time-point-no-running-day",
    ),
    P(
        "Planar whole body images at 4 and 24 hours; SPECT/CT of the abdomen at 24 hours only.",
        {"spect_days": 1, "whole_body_planar": True, "whole_body_days": 2},
        id="wb-two-days-spect-one",
    ),
    P(
        "Whole body planar images were obtained at 4 hours and the next day; SPECT/CT of "
        "the chest was acquired on the second day.",
        {"spect_days": 1, "whole_body_planar": True, "whole_body_days": 2},
        id="wb-next-day-spect-second-day",
    ),
    P(
        "Whole body planar imaging on day 1. On day 2, SPECT/CT of the chest was performed.",
        {"spect_days": 1, "whole_body_planar": True, "whole_body_days": 1},
        id="wb-day-1-spect-day-2",
    ),
    P(
        "Whole body scan at 4 h, 24 h and 48 h; SPECT/CT of the chest at 24 hours.",
        {"spect_days": 1, "whole_body_planar": True, "whole_body_days": 3},
        id="wb-three-days-spect-one",
    ),
    P(
        "Whole body images at 24, 48 and 72 hours. No SPECT was performed.",
        {
            "modality": "planar",
            "spect_days": None,
            "whole_body_planar": True,
            "whole_body_days": 3,
        },
        id="wb-three-days-no-spect",
    ),
    P(
        "Planar images of the abdomen at 4 and 24 hours only; no tomographic imaging.",
        {"modality": "planar", "spect_days": None, "planar_days": 2},
        id="limited-planar-two-days",
    ),
    # planar and SPECT joined by "and" / "+" share the times that follow them
    P(
        "Whole-body planar and SPECT/CT of the pelvis on 05/12/2022 (48 h) and again on "
        "05/13/2022 (72 h).",
        {"spect_days": 2, "whole_body_planar": True, "whole_body_days": 2},
        id="wb-and-spect-both-dates",
    ),
    P(
        "WB + SPECT/CT of the abdomen at 24 h. WB alone at 4 h.",
        {"spect_days": 1, "whole_body_planar": True, "whole_body_days": 2},
        id="wb-plus-spect-shared-time",
    ),
    P(
        "Whole body images at 4 hours and SPECT/CT of the abdomen at 24 hours.",
        {"spect_days": 1, "whole_body_planar": True, "whole_body_days": 1},
        id="wb-and-spect-own-times",
    ),
]

CARDIAC_DAYS = [
    P(
        "Two-day protocol: stress SPECT on day 1 and rest SPECT on day 2 with Tc-99m sestamibi.",
        {"study_type": "myocardial_perfusion", "spect_days": 2, "cardiac_studies": 2},
        id="mpi-two-day-protocol",
    ),
    P(
        "Same-day rest/stress Tc-99m tetrofosmin myocardial perfusion SPECT.",
        {"study_type": "myocardial_perfusion", "spect_days": 1, "cardiac_studies": 2},
        id="mpi-same-day-rest-stress",
    ),
    # the plan is not the study: only the rest half was done
    P(
        "NUCLEAR CARDIOLOGY\nScheduled: one-day rest / regadenoson stress, Tc-99m "
        "tetrofosmin.\nRest: 10 mCi tetrofosmin, gated SPECT completed.\nStress: not "
        "performed; the patient went to the ED.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="mpi-scheduled-rest-stress-rest-only",
    ),
    # an unticked stress-only option is not the protocol that was followed
    P(
        "MPI\n[x] Stress: dipyridamole, Tc-99m tetrofosmin, gated SPECT on day 1\n[x] Rest: "
        "Tc-99m tetrofosmin, gated SPECT on day 2\n[ ] Stress-only protocol",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2, "spect_days": 2},
        id="mpi-unticked-stress-only-option",
    ),
    P(
        "MPI\n[x] Stress-only protocol: regadenoson, Tc-99m tetrofosmin, gated SPECT; rest "
        "images not needed",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="mpi-ticked-stress-only-option",
    ),
    # a ticked protocol is the plan; the stress line says it was not done
    P(
        "MPI SPECT\nProtocol: [x] one-day rest/stress  [ ] two-day\nRest: Tc-99m tetrofosmin "
        "9 mCi, gated SPECT acquired.\nStress: [ ] exercise  [ ] dipyridamole -- NOT DONE, "
        "patient had wheezing.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="mpi-protocol-line-stress-not-done",
    ),
    # contrast: the same protocol with both halves done
    P(
        "MPI SPECT\nProtocol: [x] one-day rest/stress  [ ] two-day\nRest: Tc-99m tetrofosmin "
        "9 mCi, gated SPECT acquired.\nStress: [ ] exercise  [x] dipyridamole, gated SPECT.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2},
        id="mpi-protocol-line-both-done",
    ),
    P(
        "Myocardial perfusion SPECT, Tc-99m sestamibi.\nRest:\n10 mCi, SPECT at 45 min.\n"
        "Stress:\nRegadenoson, 30 mCi, SPECT at 60 min.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2},
        id="mpi-labels-on-their-own-lines",
    ),
    # "stress only" as the value of a gating or prone field says which images were gated,
    # not that the rest study was skipped (LABELING.md, gold Q)
    P(
        "Perfusion SPECT, Tc-99m tetrofosmin: rest 9 mCi, then regadenoson stress 28 mCi.\n"
        "ECG gating: stress only\nLVEF 55%.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2},
        id="mpi-gating-field-stress-only",
    ),
    P(
        "Perfusion SPECT, Tc-99m tetrofosmin: rest 9 mCi, then regadenoson stress 28 mCi.\n"
        "Prone images: stress only.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2},
        id="mpi-prone-field-stress-only",
    ),
    # contrast: a stress-only protocol field is still one study
    P(
        "Perfusion SPECT, Tc-99m tetrofosmin, regadenoson stress 28 mCi.\n"
        "Protocol: stress only; rest imaging not required.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="mpi-protocol-field-stress-only",
    ),
    # the exercise began, but the stress tracer was never given: one study (rest)
    P(
        "Myocardial perfusion SPECT.\nRest: 10 mCi Tc-99m sestamibi, gated SPECT at 45 min.\n"
        "Stress: treadmill started; stopped at 2 minutes for angina and ST elevation. The "
        "stress tracer was not injected and no stress images were acquired.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="mpi-stress-tracer-never-injected",
    ),
    P(
        "Rest Tc-99m tetrofosmin gated SPECT in the ED; normal perfusion. A stress test is "
        "recommended as an outpatient.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="mpi-stress-recommended",
    ),
    P(
        "Rest Tc-99m tetrofosmin gated SPECT in the ED; normal perfusion. We recommend "
        "pharmacologic stress imaging next week.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 1},
        id="mpi-recommend-stress",
    ),
    # contrast: a stress SPECT started and stopped is still the second study
    P(
        "Rest: 10 mCi Tc-99m sestamibi, gated SPECT.\nStress: regadenoson, 30 mCi sestamibi; "
        "stress SPECT started but stopped after 6 minutes; stress images were not completed.",
        {"study_type": "myocardial_perfusion", "cardiac_studies": 2},
        id="mpi-stress-spect-stopped-is-counted",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPECT_DAYS)
def test_pipeline_days_spect_days_from_time_phrases(nlp, text, expected):
    facts = facts_of(nlp, text)
    assert (facts.modality in ("spect", "spect_ct"), facts.spect_days) == (True, expected)


@pytest.mark.parametrize(("text", "expected"), PLANAR_AND_SPECT_DAYS)
def test_pipeline_days_planar_days_kept_apart_from_spect_days(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), CARDIAC_DAYS)
def test_pipeline_days_myocardial_perfusion_protocol_days(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A SPECT repeated on a later day was also acquired on an earlier one (LABELING.md, gold I:
# the motion re-acquisition rule applies within one session only).
REPEATED_LATER_DAY = [
    P(
        "Technique: SPECT/CT of the lumbar spine after the whole-body images; bowel activity "
        "overlay, so the lumbar SPECT/CT was repeated the following morning.",
        {"modality": "spect_ct", "spect_days": 2, "area_count": 1},
        id="repeated-the-following-morning",
    ),
    P(
        "Technique: Planar whole-body images and SPECT of the pelvis at 3 pm. The pelvic SPECT "
        "was acquired again on day 2 after the patient voided.",
        {"modality": "spect", "spect_days": 2},
        id="acquired-again-on-day-2",
    ),
    # contrast: a repeat for motion in the same session adds no day
    P(
        "Technique: SPECT/CT of the chest at 4 hours. Because of patient motion the SPECT/CT "
        "was repeated at 5 hours.",
        {"modality": "spect_ct", "spect_days": 1},
        id="repeated-same-day-for-motion",
    ),
    # contrast: the repeat is of the planar views, not of the SPECT
    P(
        "Technique: In-111 WBC. Spot views of the knees at 4 h. At 24 h repeat spot views of "
        "the knees, then SPECT/CT of both knees.",
        {"modality": "spect_ct", "spect_days": 1},
        id="repeat-of-planar-views-then-spect",
    ),
    # contrast: the repeated SPECT follows a timed one; the title's SPECT adds no day
    P(
        "Exam: bone scan with SPECT/CT\nTechnique: whole-body images at 3 h. SPECT/CT of the "
        "pelvis at 24 h; the pelvic SPECT/CT was repeated at 48 h because of bladder activity.",
        {"modality": "spect_ct", "spect_days": 2},
        id="repeat-after-a-timed-spect",
    ),
    # contrast: a delayed SPECT that is no repeat keeps the days it states
    P(
        "Technique: Whole-body images and SPECT/CT of the abdomen were acquired the next day.",
        {"modality": "spect_ct", "spect_days": 1},
        id="next-day-no-repeat",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REPEATED_LATER_DAY)
def test_pipeline_days_spect_repeated_on_a_later_day(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A pipe table whose column header names the imaging: the times in that column are its.
TABLE_COLUMNS = [
    P(
        "Brain SPECT, Tc-99m ECD\n| Phase | Tracer given | SPECT acquired |\n|---|---|---|\n"
        "| Seizure | 05/03 14:02 | 05/03 14:40 |\n| Baseline | 05/05 09:15 | 05/05 09:55 |\n",
        {"modality": "spect", "spect_days": 2, "area_count": 1},
        id="spect-column-two-dates",
    ),
    P(
        "Bone scan\n| Image | Time |\n|---|---|\n| Whole-body planar | 10/02 |\n"
        "| SPECT/CT pelvis | 10/02 |\n",
        {"modality": "spect_ct", "spect_days": 1},
        id="imaging-in-rows-one-date",
    ),
    # contrast: the dates sit in a column the header gives to the injection
    P(
        "Brain SPECT, Tc-99m ECD\n| Phase | Tracer given | SPECT acquired |\n|---|---|---|\n"
        "| Seizure | 05/02 23:50 | yes |\n| Baseline | 05/02 09:15 | yes |\n",
        {"modality": "spect", "spect_days": 1},
        id="dates-in-the-injection-column",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TABLE_COLUMNS)
def test_pipeline_days_table_column_times(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A protocol table (LABELING.md, gold Q): the time point labelling a row belongs to the
# imaging whose cell in that row is marked done; "No", "--", "not required" add nothing; a
# column left "No" in every row was not done.
PROTOCOL_TABLES = [
    P(
        "In-111 oxine leukocytes, hip prosthesis\nTime | Planar hips | SPECT/CT hips | CT\n"
        "1 h | Yes | No | --\n5 h | Yes | Yes | Low dose\n24 h | Yes | Yes | Low dose\n",
        {"modality": "spect_ct", "spect_days": 2, "area_count": 1},
        id="spect-ct-column-two-days",
    ),
    # contrast: the next-day row leaves the SPECT/CT undone
    P(
        "In-111 oxine leukocytes, hip prosthesis\nTime | Planar hips | SPECT/CT hips | CT\n"
        "1 h | Yes | No | --\n5 h | Yes | Yes | Low dose\n24 h | Yes | not required | --\n",
        {"modality": "spect_ct", "spect_days": 1, "area_count": 1},
        id="next-day-row-not-required",
    ),
    P(
        "Brain perfusion, Tc-99m ECD, two-day protocol\nDay | Task | SPECT | CT\n"
        "1 (03/02/2023) | Diamox 1 g IV | Yes | No\n2 (03/03/2023) | Rest | Yes | No\n",
        {"modality": "spect", "spect_days": 2, "area_count": 1},
        id="ct-column-no-in-every-row",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PROTOCOL_TABLES)
def test_pipeline_days_protocol_table_rows(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A time inside a bracket about a finding says when the finding was seen, not when the
# imaging before it was acquired.
FINDING_BRACKETS = [
    P(
        "I-123 MIBG\nImaging:\n  24 h whole-body ant/post: [x]\n"
        "  48 h whole-body ant/post: [x] (colonic activity at 24 h)\n",
        {"modality": "planar", "whole_body_days": 2},
        id="finding-bracket-time",
    ),
    # contrast: a bracketed time point with no finding is the image's own
    P(
        "I-123 MIBG\nImaging: whole-body ant/post (24 h), whole-body ant/post (48 h)\n",
        {"modality": "planar", "whole_body_days": 2},
        id="bracketed-time-point",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FINDING_BRACKETS)
def test_pipeline_days_finding_bracket_time(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A clock time right after an imaging mention is that image's time point on the day stated
# before it: a SPECT at a clock time, then another on a later day, spans two days.
CLOCK_TIMES = [
    P(
        "Baseline brain SPECT at 09:40 after Tc-99m ECD. Seizure injection at 22:15 the next "
        "evening; brain SPECT at 23:05.",
        {"modality": "spect", "spect_days": 2, "area_count": 1},
        id="clock-then-next-evening",
    ),
    P(
        "In-111 WBC SPECT/CT of the abdomen at 2:30 pm. Delayed SPECT/CT of the abdomen on day 2.",
        {"modality": "spect_ct", "spect_days": 2},
        id="pm-clock-then-day-2",
    ),
    P(
        "Gallium SPECT of the chest (10h30). A second SPECT of the chest was acquired the "
        "following morning.",
        {"modality": "spect", "spect_days": 2},
        id="bracketed-french-clock-then-following-morning",
    ),
    # contrast: clock times on one day are one day
    P(
        "SPECT/CT of the pelvis at 10:15 and SPECT/CT of the chest at 11:40.",
        {"modality": "spect_ct", "spect_days": 1, "area_count": 2},
        id="two-clock-times-same-day",
    ),
    # contrast: the clock time follows the day phrase of its own SPECT
    P(
        "Whole-body planar at 4 h. SPECT/CT of the abdomen the next day at 10:30.",
        {"modality": "spect_ct", "spect_days": 1},
        id="next-day-at-clock-time",
    ),
    # contrast: a clock time after hours is the clock of that time point
    P(
        "SPECT/CT of the chest at 24 h (11:00); SPECT/CT of the chest at 48 h (10:45).",
        {"modality": "spect_ct", "spect_days": 2},
        id="hours-with-clock-times",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CLOCK_TIMES)
def test_pipeline_days_clock_times(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Approximate times ("ca. 24 h": "ca." before a number is "about", not a sentence end) and
# "overnight" images (the delayed images of the next day).
APPROXIMATE_AND_OVERNIGHT = [
    P(
        "WBC scan. SPECT/CT of the pelvis at ca. 4 h and at ca. 24 h.",
        {"modality": "spect_ct", "spect_days": 2},
        id="ca-hours",
    ),
    P(
        "Gallium. SPECT of the chest at abt. 48 h and abt. 72 h.",
        {"modality": "spect", "spect_days": 2},
        id="abt-hours",
    ),
    P(
        "In-111 WBC. SPECT/CT of the abdomen at 4 h; overnight delayed SPECT/CT of the abdomen.",
        {"modality": "spect_ct", "spect_days": 2},
        id="overnight-delayed-spect",
    ),
    P(
        "In-111 WBC. SPECT of the knees at 3 h.\nOvernight images: SPECT of the knees.",
        {"modality": "spect", "spect_days": 2},
        id="overnight-images-label",
    ),
    # contrast: the overnight images are planar; the SPECT stays on its one day
    P(
        "In-111 WBC. SPECT/CT of the pelvis at 4 h; overnight delayed planar views of the pelvis.",
        {"modality": "spect_ct", "spect_days": 1},
        id="overnight-planar-only",
    ),
    # contrast: a fast overnight is no imaging day
    P(
        "After an overnight fast, SPECT of the abdomen was acquired.",
        {"modality": "spect", "spect_days": 1},
        id="overnight-fast",
    ),
]


@pytest.mark.parametrize(("text", "expected"), APPROXIMATE_AND_OVERNIGHT)
def test_pipeline_days_approximate_and_overnight(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Time points said twice or hedged: "2 days later" (a day phrase and a time point at once)
# counts once, a tolerance ("24 h +/- 2 h") is no time point, and an injection date keeps
# its clock ("injection at 10:00 on 5/1") without becoming an imaging date.
TIME_POINT_WORDING = [
    P(
        "Brain SPECT at 4 h. Second brain SPECT 2 days later.",
        {"modality": "spect", "spect_days": 2},
        id="two-days-later-once",
    ),
    P(
        "Octreotide. SPECT/CT of the abdomen at 24 h +/- 2 h and at 48 h.",
        {"modality": "spect_ct", "spect_days": 2},
        id="tolerance-plus-minus-hours",
    ),
    P(
        "Octreotide. SPECT/CT of the abdomen at 24 h (± 4 h) only.",
        {"modality": "spect_ct", "spect_days": 1},
        id="tolerance-plus-minus-sign",
    ),
    P(
        "Gallium. SPECT of the chest on 5/3 after injection at 10:00 on 5/1.",
        {"modality": "spect", "spect_days": 1},
        id="injection-date-after-clock",
    ),
    # a time point offered on a pick list and left unticked was not imaged
    P(
        "Bone scan\nImages:  [x] Dynamic   [x] Pool   [x] 3 h   [ ] 24 h delays\n"
        "Hybrid:  [x] SPECT/CT   [ ] none\nTechnique: Pool images of the wrists, delayed "
        "views at 3 h and SPECT/CT of the left wrist.",
        {"modality": "spect_ct", "spect_days": 1, "planar_days": 1},
        id="unticked-next-day-option",
    ),
    P(
        "Three-phase bone\nPhases: [x] flow  [x] blood pool  [x] delayed  [ ] 24 hr\n"
        "Tomography: [x] SPECT  [ ] SPECT/CT\nTechnique: Flow and pool of the ankles, "
        "3-hour planar views, then SPECT of the right ankle.",
        {"modality": "spect", "spect_days": 1},
        id="unticked-24-hr-phase",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TIME_POINT_WORDING)
def test_pipeline_days_time_point_wording(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# "At the same time" ties two events of its own sentence together; it does not carry that
# sentence's time to the SPECT before it (no second SPECT time point, no second acquisition).
SAME_TIME = [
    P(
        "SPECT/CT of the head at 6 hours. A blood sample was drawn at 6 h 30 min and the "
        "nasal swabs were taken at the same time.",
        {"modality": "spect_ct", "spect_days": 1, "acquisitions": 1},
        id="sample-at-the-same-time",
    ),
    # contrast: "same" that repeats the imaging still takes the sentence's time
    P(
        "SPECT/CT of the pelvis at 4 hours. Same at 24 hours.",
        {"modality": "spect_ct", "spect_days": 2},
        id="same-again-next-day",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SAME_TIME)
def test_pipeline_days_same_time_is_not_a_repeat(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A line stating two dates ("Ictal 3/2, interictal 3/5") ties the first of them to the
# injection day of a SPECT timed only in hours, so a later SPECT given only its date is a
# second day. A single date elsewhere (the exam date, an addendum's date) ties nothing.
DATE_LINE_ANCHOR = [
    P(
        "BRAIN PERFUSION SPECT\nIctal 3/2/23, interictal 3/5/23\n"
        "Ictal: Tc99m HMPAO given during seizure, SPECT brain 90 min. "
        "Interictal (3/5): SPECT brain.",
        {"modality": "spect", "spect_days": 2},
        id="ictal-interictal-date-line",
    ),
    # contrast: an addendum's own date is not a second SPECT day
    P(
        "Bone scan + SPECT/CT\nExam date: 4/11/2022\nTechnique: Tc99m MDP given IV. "
        "SPECT/CT of the knees at 3 hrs.\n"
        "Addendum: 4/13/2022 The CT of the SPECT/CT was reviewed for localization.",
        {"modality": "spect_ct", "spect_days": 1},
        id="addendum-date-not-a-day",
    ),
]


@pytest.mark.parametrize(
    "banner",
    [
        "name: doe, jo   dob: 02/11/1966   exam date: 05/20/2024",
        "NAME: DOE, JO   D.O.B. 02/11/1966   EXAM DATE: 05/20/2024",
        "Patient Jo Doe, date of birth 02/11/1966, exam date 05/20/2024",
        "Jo Doe (born 02/11/1966), exam date 05/20/2024",
    ],
)
def test_pipeline_days_date_of_birth_is_no_time_point(banner: str) -> None:
    """A banner's date of birth is no day of the study (a lower-case banner once gave a
    title's SPECT/CT the birth date as a second SPECT day)."""
    assert [t.value for t in find_times(banner) if t.kind == "date"] == ["2024-05-20"]


@pytest.mark.parametrize(("text", "expected"), DATE_LINE_ANCHOR)
def test_pipeline_days_date_line_anchors_hours(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Time points in list form, day numbers, weekdays and stopped acquisitions (gold M).
TIME_LISTS_AND_DAY_NUMBERS = [
    # a SPECT line ending in a colon, then one line per time point
    P(
        "Lu-177 PSMA therapy imaging\nTechnique: calibrated SPECT/CT of the kidneys was "
        "acquired at:\n  6 h -- 03/02 15:00\n"
        "  48 h -- 03/04 09:00\n  120 h -- 03/07 10:30\nCT at every session.",
        {"spect_days": 3, "acquisitions": 1},
        id="time-points-listed-under-the-spect-line",
    ),
    # the same list when the SPECT line is the report's first line: a line whose colon
    # opens a list is no title
    P(
        "Tc-99m SPECT/CT of the chest and liver at:\n- 3 hours\n- 20 hours\n"
        "FINDINGS: no focal uptake.",
        {"spect_days": 2, "acquisitions": 1},
        id="time-points-listed-under-the-first-line",
    ),
    P(
        "SPECT of the pelvis was obtained at:\n1) 2 h\n2) 26 h",
        {"spect_days": 2},
        id="numbered-time-points-under-the-first-line",
    ),
    P(
        "Calibrated SPECT/CT of the kidneys at 48 h.\n  Note: 6 h -- the patient ate lunch.",
        {"spect_days": 1},
        id="contrast-no-colon-no-list",
    ),
    # whole-body images said to go with the SPECT at each listed time point share its days
    P(
        "Lu-177 PSMA therapy, cycle 3\nImaging (SPECT/CT of the kidneys, plus whole-body "
        "planar images at each time point):\n  - 6 h (05/02)\n  - 48 h (05/04)\n"
        "  - 144 h (05/08)",
        {"spect_days": 3, "whole_body_planar": True, "whole_body_days": 3},
        id="whole-body-at-each-listed-time-point",
    ),
    # "Day 0" numbers the therapy day; the number after "Day" is no time point of its own
    P(
        "Lu-177 given 06/03.\n- Day 0, 5 h: SPECT/CT of the abdomen.\n- Day 2, 48 h: SPECT of "
        "the abdomen.\n- Day 6: SPECT of the abdomen.",
        {"spect_days": 3, "acquisitions": 1},
        id="day-0-numbering-with-hours",
    ),
    P(
        "Day 1, 4 h: SPECT/CT of the pelvis. Day 2, 24 h: SPECT/CT of the pelvis.",
        {"spect_days": 2, "acquisitions": 1},
        id="day-1-numbering-with-hours",
    ),
    # "Day 1 (24 h)": the report numbers days from the therapy day, so its day number and
    # its hours are one time point, and "Day 5" alone is 120 h, not the fifth imaging day
    P(
        "Lu-177 PSMA, cycle 2.\nDay 1 (24 h): SPECT/CT of the abdomen and whole-body sweep.\n"
        "Day 2 (48 h): SPECT/CT of the abdomen.\nDay 5: SPECT/CT of the abdomen.",
        {"spect_days": 3, "whole_body_days": 1},
        id="day-numbered-from-therapy-by-hours",
    ),
    P(
        "Single time point renal dosimetry, DAY 3\nTechnique: calibrated SPECT/CT of the "
        "kidneys at 72 h (day 3) after the Lu-177 infusion.",
        {"spect_days": 1},
        id="hours-then-day-number-one-time-point",
    ),
    # a day heading its own section is the time of the imaging under it, even when a later
    # line states its day in the imaging's own sentence
    P(
        "I-131 post-therapy imaging.\nDay 1: SPECT/CT of the neck.\nDay 2: SPECT/CT of the "
        "neck.\nDay 6: SPECT/CT of the neck.",
        {"spect_days": 3},
        id="section-day-headings-with-a-day-in-line",
    ),
    # a weekday beside its date is one day
    P(
        "Tc-99m tracer given Tuesday 08/12. Imaging Wednesday 08/13 (24 h): whole-body planar "
        "images and SPECT/CT of the chest.",
        {"spect_days": 1, "whole_body_days": 1},
        id="weekday-beside-date",
    ),
    # one clause's times are its own: the first clause has only planar images
    P(
        "Ga-67 citrate\nExam dates: 02/10 (3-hour images); 02/11 (24-hour images and "
        "SPECT/CT)\nTechnique: SPECT/CT of the chest at 24 hours only.",
        {"spect_days": 1},
        id="times-of-another-clause",
    ),
    # minutes a stopped SPECT ran, and its planned length, are no time points
    P(
        "SPECT/CT of the pelvis at 4 h; SPECT halted after about 6 minutes of a planned 25 "
        "minutes (patient moving); the CT was done.",
        {"acquisitions": 1, "spect_days": 1, "spect_aborted": True},
        id="stopped-after-minutes",
    ),
    P(
        "SPECT/CT of the chest at 1 hour and repeated 30 minutes later.",
        {"spect_days": 1, "acquisitions": 2},
        id="contrast-minutes-later-is-a-time-point",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TIME_LISTS_AND_DAY_NUMBERS)
def test_pipeline_days_time_lists_and_day_numbers(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# LABELING.md gold G and R: an erratum that restates the date of service replaces the
# header's date (no review); an over-read with no labelled date takes the date the outside
# study was acquired, never the reading date.
CORRECTED_DOS = [
    P(
        "NM SPECT/CT of the knees\nExam date: 11/28/2019\nTechnique: Tc-99m MDP, SPECT/CT of "
        "both knees at 3 h.\n\nCORRECTED REPORT (01/15/2020): the exam date above was the "
        "scheduling date; the study was actually performed on 01/06/2020.",
        {"dos": dt.date(2020, 1, 6)},
        id="erratum-restates-performed-date",
    ),
    P(
        "SPECT of the lumbar spine\nDate of service: 02/02/2021\nTechnique: HDP, SPECT at 3 h."
        "\n\nErratum: the date of service should read 02/09/2021.",
        {"dos": dt.date(2021, 2, 9)},
        id="erratum-dos-should-read",
    ),
    # contrast: an addendum that dates a comparison study leaves the date of service alone
    P(
        "SPECT of the lumbar spine\nDate of service: 02/02/2021\nTechnique: HDP, SPECT at 3 h."
        "\n\nAddendum: the exam date of the comparison study was confirmed; the prior study "
        "was performed on 05/05/2019.",
        {"dos": dt.date(2021, 2, 2)},
        id="addendum-prior-study-date-not-dos",
    ),
    P(
        "OUTSIDE FILM OVER-READ\nRead on: 03/10/2020\nExam: Tc-99m MDP whole-body scan and "
        "SPECT/CT of the pelvis, acquired at a community hospital on 12/02/2019. Images "
        "reviewed.\nFindings: sacral insufficiency fracture.",
        {"dos": dt.date(2019, 12, 2)},
        id="over-read-takes-outside-acquisition-date",
    ),
    # contrast: only the reading date known: unknown date of service
    P(
        "SECOND OPINION READ, 03/10/2020\nExam: outside Tc-99m MDP SPECT/CT of the pelvis. "
        "Images reviewed.\nFindings: sacral insufficiency fracture.",
        {"dos": None},
        id="over-read-without-acquisition-date",
    ),
]


# LABELING.md "Date of service" and gold F: short header labels of system exports ("EXAM
# DT", "STUDY DT") are labelled dates, and a header naming the dates of a study on several
# days ("Exam dates: A - B", "Study date(s)") gives the first one.
HEADER_DOS_VARIANTS = [
    P(
        "NM BONE SPECT\nSTUDY DT: 14-NOV-2019 | ACC 77\nTC-99M MDP, SPECT OF THE KNEES AT 3 H.",
        {"dos": dt.date(2019, 11, 14)},
        id="study-dt-short-label",
    ),
    P(
        "Gallium scan\nExam dates: 12/29/2019 - 01/03/2020\nGa-67 SPECT of the chest at "
        "48 h and 72 h.",
        {"dos": dt.date(2019, 12, 29)},
        id="exam-dates-range-takes-first",
    ),
    P(
        "Octreotide scan\nStudy date(s): 10/07/2019, 10/08/2019\nIn-111 pentetreotide, "
        "SPECT/CT of the abdomen at 4 h and 24 h.",
        {"dos": dt.date(2019, 10, 7)},
        id="study-dates-plural-parenthesis",
    ),
    # contrast: "dt" in another word is no label
    P(
        "Bone SPECT\nWidth 12 cm, midpoint DT 01/02/2019 not a label.\nMDP SPECT of the spine.",
        {"dos": None},
        id="bare-dt-is-no-label",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEADER_DOS_VARIANTS)
def test_pipeline_days_header_dos_variants(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# The date on an addendum's own label ("Addendum 06/01/2021:") is the day it was written,
# never an imaging day (decisions for gold X: a later addendum moves nothing).
ADDENDUM_LABEL_DATES = [
    P(
        "In-111 pentetreotide SPECT/CT of the abdomen on 05/04/2021 at 24 h.\n"
        "Impression: no avid lesion.\n\nAddendum 06/01/2021: the SPECT/CT covered the "
        "abdomen only; the impression stands.",
        {"spect_days": 1, "area_count": 1},
        id="addendum-label-date-is-no-day",
    ),
    # contrast: a day the addendum names in its text is still a day of the study
    P(
        "Ga-67 SPECT of the chest on 03/02/2021 at 48 h.\n\nAddendum 03/09/2021: a second "
        "SPECT of the chest was also acquired on 03/03/2021 at 72 h.",
        {"spect_days": 2},
        id="addendum-text-date-still-a-day",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ADDENDUM_LABEL_DATES)
def test_pipeline_days_addendum_label_date(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), CORRECTED_DOS)
def test_pipeline_days_corrected_and_over_read_dos(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A denial limited to "that day" takes away that day only; a time inside the reason for a
# repeat ("because of bowel activity at 24 h") is the finding's, not the repeat's.
DAY_LIMITED_STATEMENTS = [
    P(
        "Tc-99m MDP bone scan. Whole-body images at 3 h, then SPECT/CT of the lumbar spine. "
        "Bladder activity obscured the pelvis, so whole-body images were taken again the "
        "following morning (no tomography that day).",
        {"modality": "spect_ct", "areas": ("abdomen",), "spect_days": 1, "contradictions": ()},
        id="no-spect-that-day-leaves-first-day",
    ),
    P(
        "Ga-67 citrate 6 mCi on 05/01.\n48 h (05/03): whole-body images and SPECT/CT of the "
        "chest.\n72 h (05/04): SPECT/CT of the chest was begun but halted after a few minutes "
        "(dyspnea); no CT was obtained that day and it was not repeated.",
        {"modality": "spect_ct", "spect_days": 2, "spect_aborted": True},
        id="ct-not-obtained-that-day-keeps-spect-ct",
    ),
    P(
        "In-111 pentetreotide.\nDay 2 (24 h): SPECT/CT of the abdomen.\nDay 3 (48 h): "
        "SPECT/CT of the abdomen repeated because of bowel activity at 24 h.",
        {"spect_days": 2},
        id="reason-time-is-the-findings",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DAY_LIMITED_STATEMENTS)
def test_pipeline_days_day_limited_statements(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# "(no CT)" between a SPECT and its time points: a denied CT has no time of its own, so
# the times stay the SPECT's.
DENIED_CT_BEFORE_TIMES = [
    P(
        "Technique: In-111 WBC. SPECT of the feet (no CT) at 4 h (06/03) and 24 h (06/04).",
        {"modality": "spect", "spect_days": 2},
        id="no-ct-bracket-then-two-days",
    ),
    P(
        "Technique: Tl-201. Brain SPECT (no CT) at 15 minutes and again at 3 hours, one injection.",
        {"modality": "spect", "spect_days": 1, "acquisitions": 2},
        id="no-ct-bracket-early-and-delayed-same-day",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DENIED_CT_BEFORE_TIMES)
def test_pipeline_days_denied_ct_before_times(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Whole-body days are calendar dates: after an evening injection the 4 h and 24 h images
# that both carry the next date are one day.
CALENDAR_DATES = [
    P(
        "Ga-67 citrate reinjected at 21:30 on 04/10/2022.\n"
        "4 h whole-body images: 01:40 on 04/11/2022.\n"
        "24 h whole-body images: 21:45 on 04/11/2022, then SPECT/CT of the pelvis.",
        {"whole_body_days": 1, "spect_days": 1},
        id="late-injection-4h-and-24h-one-date",
    ),
    # contrast: the two time points on two dates are two days
    P(
        "Ga-67 citrate injected at 09:00 on 04/10/2022.\n"
        "4 h whole-body images: 13:05 on 04/10/2022.\n"
        "24 h whole-body images: 09:10 on 04/11/2022, then SPECT/CT of the pelvis.",
        {"whole_body_days": 2, "spect_days": 1},
        id="morning-injection-4h-and-24h-two-dates",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CALENDAR_DATES)
def test_pipeline_days_calendar_dates(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)
