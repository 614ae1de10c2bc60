"""From mentions in context to the typed facts of a study (`doc._.facts`).

Each decision here follows the coding policy's definitions (`../shared/domain/
coding-policy.md` section 3) and keeps the spans it used as evidence:

- what was performed: asserted procedure mentions outside the history and comparison
  sections; the technique beats the exam title ("ORDER: ... WITH SPECT/CT" + "Planar
  imaging only" is planar only);
- the CT and its purpose (fused/localised/reviewed vs attenuation correction only);
- SPECT areas: area mentions in the scope of each SPECT mention, mapped to the policy's
  canonical areas; contiguous areas in one bed position count once;
- separate acquisitions, SPECT days (time points, day phrases and dates attached to each
  SPECT mention), whole-body and limited planar imaging and their days;
- three-phase bone imaging, quantification, myocardial perfusion studies, the study type,
  the date of service, aborted SPECT and contradicting statements.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from nlp.facts import CANONICAL_AREAS, Evidence, StudyFacts
from nlp.pipeline import extensions  # noqa: F401
from nlp.pipeline.arrays import LowerTokens, arrays_of, once, text_of
from nlp.pipeline.codelines import code_line_spans, in_spans
from nlp.pipeline.context import (
    DEFAULT_VALUE_CUES,
    EMPTY_BOX,
    SPACED_CELL,
    SUPERSEDED_CUE_ID,
    TABLE_NO_CELL,
    TICKED_BOX,
    after_empty_box,
    in_unticked_option,
    isotope_of,
    line_at,
    table_head,
)
from nlp.pipeline.idlines import own_start
from nlp.pipeline.mentions import Mention
from nlp.pipeline.metadata import in_metadata
from nlp.pipeline.offsets import OffsetMap
from nlp.pipeline.prescan import opening_finditer
from nlp.pipeline.sections import CORRECTION_HEADER, SectionIndex, SectionSpan, images_key
from nlp.pipeline.sentences import dictated
from nlp.pipeline.spacing import double_spaced
from nlp.pipeline.timing import (
    MONTH_RE,
    TimeExpr,
    day_first_dos,
    day_of_hours,
    days_between,
    find_dos,
    find_over_read_dos,
    find_times,
    same_day,
)

SPECT_LABELS = frozenset({"SPECT", "SPECT_CT"})
# an area that is the subject of a denial: "the abdomen bed was not done", "the pelvis
# was never imaged"
_AREA_NOT_DONE = re.compile(
    r"[ \t]+(?:(?:bed|field|station)(?:[ \t]+position)?s?[ \t]+"
    # "the C5-C6 level was not included", "the L3-L4 facet joints were not imaged"
    r"|(?:level|segment|region|area|facet|joints?)(?:[ \t]+joints?)?[ \t]+)?"
    r"(?:was|were)[ \t]+(?:not|never)"
    r"[ \t]+(?:done|performed|acquired|imaged|obtained|scanned|included)\b",
    re.IGNORECASE,
)
# a field said not to reach the area after it: "did not cover the", "failed to include"
_FIELD_MISSES = re.compile(
    r"\b(?:did|does|do)\s*(?:not|n't)\s+(?:cover|include|extend\s+(?:to|over|into)|reach)"
    r"(?:\s+(?:the|either|both))?"
    r"|\bfailed\s+to\s+(?:cover|include|reach)(?:\s+the)?",
    re.IGNORECASE,
)
# what may stand between such a statement and each area of its list (the other areas
# taken out): "did not cover the left hand and wrist", "the chest as well as the abdomen"
_FIELD_MISSES_LIST = re.compile(
    r"(?:\s|,|/|\band\b|\bas\s+well\s+as\b|\bthe\b|\bleft\b|\bright\b|\bboth\b"
    r"|\bbilateral(?:ly)?\b|\b(?:posterior|anterior|upper|lower|proximal|distal|mid)\b)*",
    re.IGNORECASE,
)
# the subject of such a statement: the SPECT field
_FIELD_SUBJECT = re.compile(
    r"\b(?:field(?:\s+of\s+view)?|fov|bed\s+positions?|tomographic|spect)\b", re.IGNORECASE
)
# where a report describes its acquisition
_ACQUISITION_SECTIONS = frozenset({"technique", "other", "addendum"})
# "hybrid imaging", "hybrid SPECT": the SPECT/CT terms that name the CT half
_HYBRID = "spect_ct:hybrid"
PLANAR_LABELS = frozenset({"PLANAR", "WHOLE_BODY", "FLOW", "BLOOD_POOL", "THREE_PHASE"})
IMAGING_LABELS = SPECT_LABELS | PLANAR_LABELS
AREA_LABELS = frozenset({"AREA", "LEVEL"})
BODY_SECTIONS = frozenset({"technique", "other", "addendum", "findings", "impression"})
# Where the acquisition is described, strongest first.
AREA_TIERS = (
    frozenset({"technique", "other", "addendum"}),
    frozenset({"header"}),
    frozenset({"findings", "impression"}),
)
SECTION_WEIGHT = {
    "header": 3.0,
    "technique": 2.0,
    "other": 1.5,
    "addendum": 1.0,
    "history": 1.0,
    "findings": 0.5,
    "impression": 0.5,
    "comparison": 0.0,
}
STUDY_PRIORITY = (
    "myocardial_perfusion",
    "parathyroid",
    "cardiac_blood_pool",
    "out_of_scope",
    "bone",
    "brain",
    "lung_vq",
    "kidney",
    "liver",
    "csf",
    "infection",
    "tumor",
    "other",
)
_COLLOID = "Tc-99m sulfur colloid"
# the scales a cardiac amyloid read grades the heart's uptake of a bone-seeking tracer on
_CARDIAC_AMYLOID_GRADES = frozenset(
    {
        "study:perugini",
        "quant_not:h-cl",
        "quant_not:h-cl-ratio",
        "quant_not:heart-to-contralateral-lung",
        "quant_not:heart-to-contralateral-lung-2",
        "quant_not:heart-to-contralateral-lung-3",
        "quant_not:heart-to-contralateral",
        "quant_not:heart-to-contralateral-2",
    }
)
# the adrenal cortical tracer: "I-131 NP-59", "iodomethylnorcholesterol"
_ADRENAL_CORTICAL = re.compile(r"\bNP[- ]?59\b|norcholesterol\b", re.IGNORECASE)
_HEPATOBILIARY = "Tc-99m mebrofenin"
_MAA = "Tc-99m MAA"
_SESTAMIBI = "Tc-99m sestamibi"
# the names of Y-90 radioembolization and of its imaging (`_y90_liver`)
_Y90_STUDY = frozenset(
    {
        "study:y-90",
        "study:y90",
        "study:yttrium-90",
        "study:yttrium-90-2",
        "study:bremsstrahlung",
        "study:sir-spheres",
        "study:therasphere",
        "study:theraspheres",
    }
)
# the study cues naming heat-damaged red cells (spleen imaging)
_DAMAGED_RBC_STUDIES = frozenset(
    {
        "study:heat-damaged",
        "study:heat-damaged-2",
        "study:heat-denatured",
        "study:heat-denatured-2",
        "study:damaged-red-cells",
        "study:damaged-red-blood-cells",
        "study:damaged-rbc",
        "study:damaged-rbcs",
        "study:denatured-red-cells",
        "study:denatured-red-blood-cells",
        "study:denatured-rbc",
    }
)
# planar brain imaging (a brain-death flow study) has its own codes too (LABELING.md, gold AV)
_OWN_PLANAR_CODES = frozenset({"kidney", "lung_vq", "csf", "cardiac_blood_pool", "brain"})
OWN_CODE_STUDIES = frozenset({"myocardial_perfusion", "parathyroid", "cardiac_blood_pool"})
# the studies whose SPECT is of the heart: the chest, whatever other field is named
_CARDIAC_STUDIES = frozenset({"myocardial_perfusion", "cardiac_blood_pool"})
DEFAULT_AREAS = {
    "brain": ("head",),
    "myocardial_perfusion": ("chest",),
    "cardiac_blood_pool": ("chest",),
    "parathyroid": ("neck",),
    "kidney": ("abdomen",),
    "liver": ("abdomen",),
    "lung_vq": ("chest",),
    "csf": ("head",),
}

# the preposition that opens the part a denial names after its verb: "was not performed
# of the extremities", "not acquired over the pelvis"
_AREA_DETERMINERS = r"(?:(?:the|both|either|bilateral|left|right)[ \t]+)*"
_AREA_AFTER_DENIAL = re.compile(
    r"[ \t]+(?:of|over|in|on|at)[ \t]+" + _AREA_DETERMINERS, re.IGNORECASE
)
# what may stand between two areas of one list: "pelvis and knees", "hips, knees or feet"
_AREA_JOIN = re.compile(r"[ \t]*(?:,|,?[ \t]+(?:and|or))?[ \t]+" + _AREA_DETERMINERS, re.IGNORECASE)
# a part named without an area term: "the extremities", "the contralateral side"
_GENERIC_PART = re.compile(
    r"(?:extremities|limbs|(?:contralateral|other|opposite)[ \t]+(?:side|limb|extremity))\b",
    re.IGNORECASE,
)
# Words that end the area scope of a SPECT mention ("SPECT of the chest to localize ...").
_SCOPE_STOP = frozenset(
    {
        ";",
        "to",
        "for",
        "because",
        "due",
        "which",
        "where",
        "whereas",
        "while",
        "but",
        "showing",
        "demonstrating",
        "revealing",
        "shows",
        "showed",
        "demonstrates",
        "demonstrated",
        "revealed",
        "reveals",
        "corresponding",
        "correlating",
        "localizing",
        "localising",
        "characterize",
        "characterise",
        "evaluate",
        "assess",
        "confirms",
        "confirmed",
        "there",
        "with",
        "who",
        "when",
        "if",
        "after",
        "before",
        "than",
        "compared",
        "following",
        "followed",
        "is",
        "are",
        "demonstrate",
        "show",
        # a reason clause of its own: "CT not acquired, patient could not raise arms"
        "could",
        "couldn't",
        "unable",
        "cannot",
        "can't",
    }
)
_RANGE_FILLERS = frozenset(
    {
        "the",
        "of",
        "level",
        "levels",
        "from",
        "mid",
        "upper",
        "lower",
        "proximal",
        "distal",
        "dome",  # "liver dome to iliac crests"
        "-",
    }
)
_AREA_FILLERS = frozenset({"the", "both", "left", "right", "bilateral"})
# what joins an area of a bracketed field list to the parts it takes in: "(lumbar spine;
# pelvis including the sacrum and SI joints)"
_AREA_INCLUDES = frozenset({"including", "incl", "incl.", "plus", "+", "/", "&"})
_THIGH_ENDS = frozenset(
    {
        "midthigh",
        "midthighs",
        "thigh",
        "thighs",
        "mid thigh",
        "mid thighs",
        "upper thighs",
        "proximal thighs",
    }
)
_FIELD_VERBS = frozenset(
    {
        "targeted",
        "directed",
        "limited",
        "confined",
        "restricted",
        "centred",
        "centered",
        "focused",
        "extending",
        "extended",
        "positioned",
        "tailored",
    }
)
_RANGE_WORDS = frozenset({"to", "through", "thru", "-", "–", "down"})
# "from T10 down to and including the sacrum": words that only say the far end is inside
_RANGE_INCLUSIVE = frozenset({"and", "including", "inclusive", "incl", "incl."})
_PRE_STOP = frozenset(
    {",", ";", ":", ".", "of", "at", "on", "in", "and", "with", "by", "then", "followed", "the"}
)
# "Planar ant/post chest/abd + SPECT-CT abd": a "+" after another procedure's field joins
# two procedures ("chest + abdomen SPECT" with no procedure before it joins two areas)
_PROCEDURE_JOINS = frozenset({"+", "&"})
# the name of a non-SPECT exam that a "+" joins to the SPECT in a combined title: "LUNG
# PERFUSION SPECT/CT + BILATERAL LOWER EXTREMITY VENOGRAM" (the legs are the venogram's)
_OTHER_EXAM_NOUNS = frozenset(
    {
        "venogram",
        "venograms",
        "venography",
        "angiogram",
        "angiography",
        "lymphoscintigraphy",
        "lymphoscintigram",
        "ultrasound",
        "doppler",
        "radiograph",
        "radiographs",
        "x-ray",
        "x-rays",
    }
)
# between two time points of one image listed as two: "at 4 h and again on 3/2"
# two time points of one image listed with a comma: "Whole body: 4 h, March 26, 2018"
_LIST_COMMA = re.compile(r"[ \t]*,[ \t]*")
# a finding's verb and preposition right before the time it was seen at: "seen on "
_SEEN_ON = re.compile(
    r"\b(?:seen|noted|shown|visuali[sz]ed|demonstrated|identified)[ \t]+(?:on|at)[ \t]+"
    r"(?:the[ \t]+)?$",
    re.IGNORECASE,
)
# the colon closing a key right after its image: "SPECT/CT: "
_KEY_COLON = re.compile(r"[ \t]*:[ \t]*")
# a structured record's field boundary: '","ServiceDate":"' between a value and the next
_FIELD_BETWEEN = re.compile(r'"[ \t]*,[ \t]*"[^"\n]{1,40}"[ \t]*:')
# the images a time point stands before: "24 h images", "48-hour views"
_OWN_IMAGES_AFTER = re.compile(r"[ \t-]*(?:images?|views?|imaging|scans?)\b", re.IGNORECASE)
# a clause of its own after an image, joined by "and": "SPECT/CT and increasing on "
_JOINED_CLAUSE = re.compile(r"[ \t]+and[ \t]+(?:\w+[ \t]+){1,3}", re.IGNORECASE)
_AND_AGAIN = re.compile(
    r"(?:\s*(?:after|post)[\s-]+(?:the\s+)?(?:tracer\s+|radiotracer\s+)?(?:injection|administration)"
    r"|\s*p\.?\s*i\.?)?\s*,?\s*(?:and|&|as\s+well\s+as)\s+(?:again\s+)?(?:on\s+)?",
    re.IGNORECASE,
)
# a day phrase listed before another time point, not restating it: "the next day and
# again 2 days after injection"
_LISTED_BEFORE_HOURS = re.compile(
    r"\s*,?\s*(?:and|&)\s+(?:again\s+)?(?:at\s+|on\s+)?(?:\d|one|two|three|four|five)\b"
    # or a comma list of day counts: "the next day, 4 days post injection and 7 days ..."
    r"|\s*,\s*(?:\d+|one|two|three|four|five|six|seven)[ \t-]*days?\b",
    re.IGNORECASE,
)
# how many days after the first date a report states its later imaging dates may lie
_FIRST_DATE_REACH = 14
_ACQ_COUNT = re.compile(
    r"\b(?P<n>two|2|three|3|four|4|dual|double)\s+(?:separate\s+|distinct\s+|sequential\s+|consecutive\s+)?"
    r"(?:spect(?:\s*[/-]\s*ct|\s+ct)?\s+|tomographic\s+|hybrid\s+)?(?:spect\s+)?"
    r"(?:acquisitions|data\s*sets|datasets|scans|studies)\b",
    re.IGNORECASE,
)
_N = {"two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4, "dual": 2, "double": 2}
_MOTION = re.compile(r"\bmotion|\bre-?acqui|\bmoved\b|\bmovement", re.IGNORECASE)
_SEPARATE = re.compile(
    r"\b(?:separate|second|another|additional|subsequent|sequential)\b", re.IGNORECASE
)
# "the second day", "a second morning": a word of `_SEPARATE` counting days, not SPECTs
_SEPARATE_DAY = re.compile(r"\s+(?:day|morning|afternoon|visit)\b", re.IGNORECASE)
# the words of `_SEPARATE` that may add a SPECT to planar imaging rather than to a SPECT
_IN_ADDITION = frozenset({"additional", "subsequent"})
# the same said after the SPECT's field: "SPECT/CT of the upper abdomen as a separate
# acquisition after the In-111 SPECT/CT"
_SEPARATE_AFTER = re.compile(
    r"[^.;]{0,40}?\bas\s+an?\s+(?:separate|second|additional|distinct)\s+acquisition\b",
    re.IGNORECASE,
)
# "brain SPECT #2 at 11:05", "SPECT no. 2": the numbered acquisitions of one session
_SPECT_NUMBER = re.compile(r"\s*(?:#|no\.\s*|number\s+)(?P<n>[2-4])\b", re.IGNORECASE)
# between a dynamic/planar word and the PET it describes: "dynamic/gated PET", "dynamic PET"
_PET_MODIFIER_GAP = re.compile(
    r"[\s/,-]*(?:(?:and|gated|list-mode|ECG-gated)[\s/,-]*)*", re.IGNORECASE
)
_DUAL_ISOTOPE = re.compile(
    r"\bdual[- ]isotope\b|\bdual[- ]tracer\b|\btwo\s+(?:radio)?tracers\b", re.IGNORECASE
)
# the planar imaging a SPECT was done instead of: "(replaces the planar whole-body sweep)"
_REPLACES_BEFORE = re.compile(
    r"\b(?:replaces|replacing|replaced|substitut\w+\s+for)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:usual\s+|standard\s+|conventional\s+|planar\s+)?$",
    re.IGNORECASE,
)
# two tracers imaged in one acquisition: "simultaneous dual-isotope SPECT", "energy windows
# acquired together"
_ONE_ACQUISITION = re.compile(
    r"\bsimultaneous(?:ly)?\b|\bacquired\s+(?:together|simultaneously|at\s+the\s+same\s+time)\b"
    r"|\bsingle\s+(?:combined\s+)?(?:dual[- ]isotope|acquisition)\b",
    re.IGNORECASE,
)
# a bed position added to the SPECT: "2nd bed pos added for pelvis", "an additional
# field of view over the knees"
_ADDED_FIELD = re.compile(
    r"\b(?:2nd|second|additional|another|extra|added)\s+(?:spect\s+)?(?:bed(?:\s+pos(?:ition)?s?\b|\b)"
    r"|field(?:\s+of\s+view)?\b|fov\b|station\b)",
    re.IGNORECASE,
)
# a measured value right after an organ: "normal liver 38 Gy", "lungs 9 Gy", "kidney
# 12%": the organ labels a result of the SPECT, it is not a field the SPECT covered
_MEASURED_VALUE = re.compile(
    r"[ \t]*[:=]?[ \t]*\d+(?:\.\d+)?[ \t]*(?:[cm]?Gy|[kMG]Bq(?:/m?l)?|%)(?![A-Za-z])",
    re.IGNORECASE,
)
# a body part the patient moved during the acquisition: "pt moved legs at 2/3", "moving
# her arms", "leg motion": the part that moved, not a field the SPECT covered
_MOVED_BEFORE = re.compile(
    r"\b(?:moved|moving|moves)[ \t]+(?:(?:his|her|their|the|both|one)[ \t]+)?$", re.IGNORECASE
)
_MOVED_AFTER = re.compile(
    r"[ \t]+(?:motion|movements?|moved|tremor)\b(?![- \t]*correct)", re.IGNORECASE
)
# the count of the list after a bed's number: "FOV 1 of 2: L1 through L5", "Bed 2/3 - pelvis"
_BED_OF_TOTAL = r"(?:[ \t]*(?:of|/)[ \t]*\d{1,2})?"
# a line of a bed list: "Bed 1 - skull", "Bed position 2: pelvis", "FOV 3 = knees"; or a
# form's sub-row that gives the field of the SPECT row above it ("range: chest / abdomen",
# "region: L spine", "coverage = skull base to thighs", "Bed positions: 2 (chest, abdomen)")
_BED_ITEM = re.compile(
    r"\s*(?:[-*\u2022]\s*)?"
    r"(?:(?:bed(?:[ \t]+pos(?:ition)?)?|field(?:[ \t]+of[ \t]+view)?|fov|station)"
    r"[ \t]*(?:#|no\.?)?[ \t]*(?:\d{1,2}|[ivx]{1,4})" + _BED_OF_TOTAL + r"[ \t]*[-\u2013:=).(]"
    r"|(?:range|regions?|coverage|extent|fields?|beds|bed[ \t]+pos(?:ition)?s)[ \t]*[:=]"
    # a synoptic template's keys, plural written "(s)": "Region(s): neck; chest", "Body
    # region: pelvis", "Fields of view: 1 (single bed position)", "Bed position(s): 2"
    r"|(?:(?:body|anatomic(?:al)?|imaged|scan(?:ned)?)[ \t]+)?"
    r"(?:region|area|bed[ \t]+pos(?:ition)?|fields?[ \t]+of[ \t]+view|fov)(?:\(s\)|s)?"
    r"(?:[ \t]+(?:imaged|covered|scanned))?[ \t]*[:=])",
    re.IGNORECASE,
)
# the header row of a table of the SPECT's beds: "Bed | Range | CT | Status"
_BED_TABLE_HEAD = re.compile(
    r"[ \t]*\|?[ \t]*(?:bed(?:[ \t]+pos(?:ition)?)?|fov|field(?:[ \t]+of[ \t]+view)?|station)"
    r"(?:[ \t]*(?:#|no\.?))?[ \t]*\|",
    re.IGNORECASE,
)
# a row of that table, opened by the bed's number: "2 | L1 - sacrum | Low dose | Acquired"
_BED_TABLE_ROW = re.compile(r"[ \t]*\|?[ \t]*(?:\d{1,2}|[ivx]{1,4})[ \t]*\|", re.IGNORECASE)
# a form's field line: "CT purpose: Localization", "Dual isotope: [ ] Yes [X] No",
# "Time point(s): 24 h" (the other fields of an acquisition block, between its SPECT rows
# and the field that names their region)
_FORM_FIELD_LINE = re.compile(
    r"[ \t]*(?:[-*\u2022][ \t]*)?[A-Za-z][A-Za-z0-9 /'&-]{0,30}?(?:\([A-Za-z0-9 /-]{1,12}\))?"
    r"[ \t]*[:=](?!\d)",
)
# how many such field lines may stand between a SPECT row and its region field
_FORM_FIELD_GAP = 6
# a bed-list line flagged as not acquired or left at its default: "Bed 3: pelvis  N/A",
# "Bed 2 - knees  N", "FOV 2: feet [No]", "Bed 2: thighs -- not done"
_BED_NOT_DONE = re.compile(
    r"[ \t](?:n|no|n/a|--|[\u2013\u2014\u2717\u2718]|\[[ \t]*(?:no?|n/a)[ \t]*\]"
    r"|not[ \t]+(?:done|acquired|performed|required|obtained))[\s.]*$",
    re.IGNORECASE,
)
# the same flag given first, its reason after it: "Bed 3 (pelvis) - not acquired, patient
# asked to stop"
_BED_NOT_DONE_LEAD = re.compile(
    r"[^\n,;]*?[ \t](?:-|\u2013|\u2014|:)[ \t]*not[ \t]+(?:done|acquired|performed|obtained)\b",
    re.IGNORECASE,
)
# the same line in speech-recognition text, its colon spoken: "bed 2 colon lumbar spine"
_BED_ITEM_SPOKEN = re.compile(
    r"\s*(?:[-*\u2022]\s*)?(?:bed(?:[ \t]+pos(?:ition)?)?|field(?:[ \t]+of[ \t]+view)?|fov|station)"
    r"[ \t]*(?:#|no\.?)?[ \t]*(?:\d{1,2}|[ivx]{1,4})"
    + _BED_OF_TOTAL
    + r"[ \t]*(?:[-\u2013:=).]|colon\b)",
    re.IGNORECASE,
)
# a bed's label inside a SPECT line that lists its fields: "SPECT 2 bed positions: FOV 1 of
# 2 L1-L5; FOV 2 of 2 sacrum and pelvis" (numbered "of N", or closed by a colon or dash)
_INLINE_BED_LABEL = re.compile(
    r"(?:bed(?:[ \t]+pos(?:ition)?)?|field[ \t]+of[ \t]+view|fov|station)[ \t]*(?:#|no\.?)?[ \t]*"
    r"\d{1,2}(?:[ \t]*(?:of|/)[ \t]*\d{1,2}[ \t]*[-\u2013:=]?|[ \t]*[-\u2013:=])",
    re.IGNORECASE,
)
# a bed label with no mark after its number ("Bed 1 skull base to T6; Bed 2 T6 to L5"):
# a bed label only when an area opens right after it
_INLINE_BED_LABEL_BARE = re.compile(
    r"(?:bed(?:[ \t]+pos(?:ition)?)?|field[ \t]+of[ \t]+view|fov|station)[ \t]*(?:#|no\.?)?[ \t]*"
    r"\d{1,2}[ \t]+",
    re.IGNORECASE,
)
_SINGLE_FOV = re.compile(
    # "single bed SPECT-CT", "one bed pos.": the bare "bed" of terse reports too
    r"\b(?:single|one|1)[\s-]+(?:bed(?:[\s-]+pos(?:ition)?)?\b|field[\s-]+of[\s-]+view|fov|acquisition[\s-]+field"
    r"|camera[\s-]+position|station)\b"
    r"|\bin\s+one\s+(?:field|view|bed)",
    re.IGNORECASE,
)
# "with the field of view covering ...": the field of the SPECT named before "with"
# "... extended with a second bed position over the chest": a bed added to the SPECT
# an area of a field's description said right after it to lie outside the field: "(C7
# excluded; T1 to T12)", "(foramen magnum to L5; sacrum not included)"
_LEFT_OUT_AFTER = re.compile(
    r"[ \t]*(?:(?:was|is|were|are)[ \t]+)?(?:excluded|not[ \t]+(?:included|imaged|covered))\b",
    re.IGNORECASE,
)
# an empty box, then the areas of its label joined by slashes: "( ) Head/neck"
_SLASHED_AFTER_EMPTY_BOX = re.compile(
    r"(?:\[[ \t]*\]|\([ \t]*\)|\u2610)[ \t]*(?:[A-Za-z-]+[ \t]*/[ \t]*)+\Z"
)
# what tracer activity in an area is called ("bowel activity", "bladder uptake")
_ACTIVITY_WORDS = frozenset(
    {"activity", "uptake", "artifact", "artefact", "artifacts", "artefacts", "excretion"}
)
# a line of its own heading an order block: "[ORDER]", "Order:", "Requested exam:"
_ORDER_HEADING = re.compile(
    r"[ \t]*\[?[ \t]*(?:order(?:ed)?|request(?:ed)?|requisition)"
    r"(?:[ \t]+(?:details|info(?:rmation)?|exam|study|procedure))?[ \t]*\]?[ \t]*:?[ \t]*",
    re.IGNORECASE,
)
# any other heading line of a block: "[PERFORMED]", "FINDINGS", "Technique:"
_BLOCK_HEADING = re.compile(r"[ \t]*(?:\[[^\]\n]{1,40}\]|[A-Z][A-Za-z /&]{2,40}:?)[ \t]*")
# a participle clause stating a SPECT's field after a comma: ", covering the neck"
_FIELD_CLAUSE = re.compile(r",[ \t]*(?:covering|encompassing|spanning)\b", re.IGNORECASE)
# a word timing an acquisition by another: "following the early planar images"
_TIMED_BY_BEFORE = re.compile(r"\b(?:after|following|before|post)\b[^,;:.]*$", re.IGNORECASE)
_WITH_FIELD = re.compile(
    r"\s+(?:(?:the|a|an|its|one|a\s+single)\s+)?(?:field[\s-]+of[\s-]+view|fov)\b"
    r"|\s+(?:a|an|one)?\s*(?:2nd|second|additional|another|extra|further)\s+(?:spect\s+)?"
    r"(?:bed(?:\s+pos(?:ition)?s?)?|field(?:\s+of\s+view)?|fov|station)\b"
    # "with the arms at the sides within the field of view": the arms stated in the field
    # (LABELING.md, gold Z)
    r"|\s+(?:the\s+|both\s+)?(?:arms|upper\s+(?:extremities|limbs))\b[^.;:\n]{0,30}?"
    r"\b(?:within|in|inside|included\s+in)\s+(?:the\s+)?(?:field|fov)\b",
    re.IGNORECASE,
)
# "attn corr", "atten. correction": the short forms of terse reports
_ATT_WORD = r"(?:attenuation|att(?:e?n)\.?(?=[- ]corr))"
_ATTENUATION = re.compile(
    r"\b" + _ATT_WORD + r"(?:[- ]corr\w*\.?|\s+map\w*|\s+purposes?)?|\bAC\b|\bmu[- ]map",
    re.IGNORECASE,
)
_ATT_ONLY = re.compile(
    r"\b(?:only|solely|purely|exclusively|just|strictly)\b|\bnot\s+(?:been\s+)?(?:fused|reviewed|interpreted|used\s+for\s+"
    r"(?:anatomic|localization|localisation|diagnos))|\bno\s+(?:anatomic|fusion|fused|diagnostic)"
    r"|\bwithout\s+(?:fusion|anatomic)",
    re.IGNORECASE,
)
# the words of `_ATT_ONLY` that limit whatever they stand by, not the CT itself
_BARE_ONLY_WORDS = frozenset({"only", "solely", "purely", "exclusively", "just", "strictly"})
# "only" said of the attenuation correction itself ("CT for attenuation correction only",
# "solely for attenuation"), not of another part of the sentence ("no diagnostic CT")
_ATT_ONLY_STATED = re.compile(
    r"\b" + _ATT_WORD + r"(?:[- ]corr\w*\.?|\s+map\w*|\s+purposes?)?(?:\s+\w+){0,2}?\s+"
    r"(?:only|solely|exclusively|purely)\b"
    r"|\b(?:only|solely|exclusively|purely|just|strictly)\s+(?:\w+\s+){0,2}?(?:attenuation|attn|AC\b)",
    re.IGNORECASE,
)
# the CT named as the means of attenuation correction: "CT-based attenuation and scatter
# correction", "CT attenuation correction", "CT for AC"
_CT_FOR_ATTENUATION_AFTER = re.compile(
    r"(?:[ \t]*-?[ \t]*(?:based|derived)|[ \t]+(?:used[ \t]+)?for)?[ \t]+"
    r"(?:" + _ATT_WORD + r"|AC\b|mu[- ]?maps?\b)",
    re.IGNORECASE,
)
# the rest of a CT's sentence stating what the CT was acquired for: attenuation
# correction ("CT was obtained on the SPECT/CT camera for attenuation correction")
_CT_USE_FOR_ATTENUATION = re.compile(
    r"[^.;:\n]{0,80}?\b(?:was|were)\s+(?:\w+\s+){0,1}?(?:obtained|acquired|performed|done|used)"
    r"\b[^.;:\n]{0,60}?\bfor\s+(?:the\s+)?(?:" + _ATT_WORD + r"|AC\b)",
    re.IGNORECASE,
)
# the patient described with a finding seen on a CT, right before the CT: "a 45 year old
# man with suspected sarcoidosis, hilar adenopathy on CT" (an earlier examination)
_PATIENT_WITH_FINDING_ON = re.compile(
    r"\b(?:year[- ]old|y/?o|man|woman|patient|boy|girl|child|male|female)\s+with\b"
    r"[^;:.]{0,160}?\b(?:on|by)\s+(?:an?\s+|the\s+)?(?:(?:recent|prior|previous|outside"
    r"|staging|chest|diagnostic)\s+)?$",
    re.IGNORECASE,
)
_LOCALISATION = re.compile(
    r"(?<!not )(?<!no )\b(?:fus(?:ed|ion|ing)|locali[sz]\w*|anatomic\w*|correlat\w*|co-?regist\w*"
    r"|overlay\w*|contour\w*|characteri[sz]\w*|interpret\w*|review\w*)\b",
    re.IGNORECASE,
)
# a coronary calcium-score CT acquired in the study: scoring the calcium is reading the CT
# for anatomy, so the CT is no longer attenuation-only ("a gated calcium-scoring CT was
# acquired on the hybrid camera", "CT for coronary artery calcium scoring"; LABELING.md
# GAE-006, gold S)
_CALCIUM_SCORE_CT = re.compile(
    r"\bcalcium[- ]scor(?:e|ing)\s+CT\b"
    r"|\bCT\s+(?:\w+\s+){0,2}?for\s+(?:the\s+)?(?:coronary\s+)?(?:artery\s+)?calcium\b",
    re.IGNORECASE,
)
# "no CT fusion or anatomic correlation": the negation reaches across an "or" / "nor" list
_NEG_BEFORE = re.compile(
    r"\b(?:not|no|without|never)\s+(?:\w+(?:\s+|\s*/\s*)){0,3}(?:,?\s*(?:or|nor)\s+(?:\w+\s+){0,2})?$",
    re.IGNORECASE,
)
_PLANAR_ONLY_AFTER = re.compile(
    r"\s*(?:imaging|images|views|scintigraphy|study|acquisitions?|technique)?\s*"
    r"(?:only\b|alone\b(?=\s+(?:was|were)\s+(?:performed|obtained|acquired|done)))",
    re.IGNORECASE,
)
# after a statement's imaging verb ("the chest was evaluated on the planar images alone"),
# "alone" says "only" as well
_PLANAR_ALONE_AFTER = re.compile(
    r"\s*(?:imaging|images|views|scintigraphy|study|acquisitions?)?\s*(?:only|alone)\b",
    re.IGNORECASE,
)
_ONLY_BEFORE = re.compile(r"\bonly\s+$", re.IGNORECASE)
# an erratum's SPECT field said to be the only one: "the SPECT-CT was acquired only of the
# lumbar spine", "SPECT/CT limited to the pelvis", "SPECT of the abdomen only"
# ("not only the abdomen" widens the field instead)
_FIELD_ONLY_BETWEEN = re.compile(
    r"(?<!\bnot )\b(?:only|solely|exclusively|(?:limited|restricted|confined)[ \t]+to)\b",
    re.IGNORECASE,
)
_FIELD_ONLY_AFTER = re.compile(r"[ \t]*(?:only|alone)\b", re.IGNORECASE)
# a time point joined to a SPECT: "4-hour tomograms", "24 h SPECT/CT", "SPECT/CT at 4 hours"
_TIME_JOINS_SPECT = re.compile(r"[ \t-]{0,2}")
_SPECT_JOINS_TIME = re.compile(r"[ \t]+(?:at[ \t]+)?", re.IGNORECASE)
# "planar images only available (to this read)", "... only on PACS": the images a read had
_AVAILABLE_AFTER = re.compile(
    r"[ \t]+(?:(?:were|was)[ \t]+)?(?:available|at[ \t]+hand|on[ \t]+pacs|(?:sent|transferred)"
    r"[ \t]+to[ \t]+pacs)\b",
    re.IGNORECASE,
)
# "the chest was imaged on the whole-body planar images only": the area named before it
# was covered by planar imaging alone, so it is no SPECT area
_IMAGED_ON = re.compile(
    r"\b(?:was|were)\s+(?:only\s+)?(?:imaged|covered|included|acquired|evaluated)\s+"
    r"(?:only\s+)?(?:on|by|with)\b",
    re.IGNORECASE,
)
_SEEN_ON = re.compile(
    r"\b(?:on|by)\s+(?:the\s+)?"
    r"(?:(?:whole[- ]body|wb|delayed|early|anterior|posterior|planar|spot|static|and)\s+)*$",
    re.IGNORECASE,
)
_STRESS = re.compile(
    r"\b(?:stress|exercise|treadmill|regadenoson|adenosine|dipyridamole|dobutamine|lexiscan|pharmacologic)\b",
    re.IGNORECASE,
)
_REST = re.compile(r"\brest(?:ing)?\b(?!\s+of\b)(?!\s+(?:is|are|was|were)\b)", re.IGNORECASE)
_REDIST = re.compile(r"\bredistribution\b|\breinjection\b", re.IGNORECASE)
_STRESS_ONLY = re.compile(
    r"\bstress[- ]only\b|\bstress\s+images?\s+only\b|\bonly\s+stress\b"
    # "Only the stress portion was acquired": the half done, said of the acquisition
    r"|\bonly\s+the\s+stress\s+(?:portion|part|half|study|images?|imaging|acquisition)\s+"
    r"(?:was|were)\s+(?:acquired|performed|obtained|done|completed)\b",
    re.IGNORECASE,
)
# a flat statement that no quantification was done: a macro's "Quantitative analysis: not
# performed", "No quantitative analysis was performed"
_QUANT_DENIED = re.compile(
    r"\b(?:quantitative[ \t]+(?:analysis|assessment|measurements?)|quantification)[ \t]*"
    r"(?::-|[:=])[ \t]*(?:not[ \t]+(?:performed|done|obtained|acquired)|none|no)\b"
    r"|\bno[ \t]+quantitative[ \t]+(?:analysis|assessment|measurements?)[ \t]+(?:was|were)[ \t]+"
    r"(?:performed|done|obtained)\b",
    re.IGNORECASE,
)
# a half of the study reported done: "Rest images were acquired today"
_PART_DONE = re.compile(
    r"\b(?:was|were|has[ \t]+been|have[ \t]+been)[ \t]+(?:\w+[ \t]+)?"
    r"(?:acquired|obtained|performed|done|completed)\b",
    re.IGNORECASE,
)
_REST_ONLY = re.compile(
    r"\brest[- ]only\b|\brest\s+(?:images?|imaging|study|portion)\s+only\b"
    r"|\bonly\s+(?:the\s+)?rest\b(?!\s+of\b)",
    re.IGNORECASE,
)
# a pick-list option ticked: "Stress [X]", "Rest (x)", "[X] Stress", "☒ Stress"
_TICKED_AFTER = re.compile(r"[ \t]*" + TICKED_BOX)
_TICKED_BEFORE = re.compile(TICKED_BOX + r"[ \t]*$")
# "Gated: stress only", "ECG gating on the stress images only", "CT AC [X] rest only": which
# acquisition was gated (or attenuation-corrected, or imaged prone), not a one-half study
_ASPECT_OF_ACQUISITION = re.compile(
    r"\b(?:gat(?:ed|ing)|prone|upright|attenuation|ct[ \t-]*ac|(?-i:AC))\b[^.;:\n]{0,30}[:=]?[ \t]*"
    r"(?:on[ \t]+)?(?:the[ \t]+)?$",
    re.IGNORECASE,
)
# "hypokinesis post-stress only", "defect seen on stress only", "present at rest only": when
# a finding was seen, which says both halves were imaged, not a one-half study
_FINDING_TIMING_BEFORE = re.compile(
    r"(?:\bpost(?:-|\s+)?|\b(?:seen|present|visible|evident|noted|apparent|identified|shown)"
    r"\s+(?:on|at|with|during|in|after)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_TWO_DAY = re.compile(
    r"\b(?:two|2)[- ]day\s+(?:\w+\s+){0,2}(?:protocol|study|imaging)", re.IGNORECASE
)
# a perfusion study's title or protocol naming its days: "TWO-DAY MYOCARDIAL PERFUSION
# SPECT", "MPI 2-DAY", "Protocol: Two-day stress/rest"; and a protocol of one day
_TWO_DAY_NAME = re.compile(r"\b(?:two|2)[- ]day\b", re.IGNORECASE)
_ONE_DAY_NAME = re.compile(r"\b(?:one|1|same|single)[- ]day\b", re.IGNORECASE)
# "Scheduled: one-day rest / regadenoson stress", "Reschedule stress when rate-controlled":
# the plan, not what was done
_PLAN_CLAUSE = re.compile(r"\s*(?:(?:re-?)?schedul\w*|planned|ordered|requested)\b", re.IGNORECASE)
# "Stress portion rescheduled for Friday", "stress imaging pending": that half is still to
# come
_PLAN_AFTER = re.compile(
    r"[ \t]+(?:(?:portion|part|half|study|imaging|images|test(?:ing)?)[ \t]+)?"
    r"(?:(?:is|was|has[ \t]+been|will[ \t]+be)[ \t]+)?(?:re-?schedul\w*|pending|postponed)\b",
    re.IGNORECASE,
)
# "Outpatient stress study recommended if symptoms recur", "recommend stress testing": advice
_ADVICE_AFTER = re.compile(
    r"[^.;:\n]{0,40}?\b(?:recommended|suggested|advised|(?:may|could|should|to)\s+be\s+considered)\b",
    re.IGNORECASE,
)
_ADVICE_BEFORE = re.compile(
    r"\b(?:recommend|suggest|advise|consider)(?:s|ed|ing)?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# "patient unable to exercise", "could not walk on the treadmill": a way of stressing the
# patient that was not open to them, which says nothing of whether a stress study was done
_UNABLE_BEFORE = re.compile(
    r"\b(?:unable|not\s+able|inability|could\s*n[o']t|cannot|can't)\s+(?:to\s+)?(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
# "the stress dose was not injected", "no stress imaging was obtained": that half of the
# study never happened, whatever else is said about its exercise or drug
_HALF_DENIED = re.compile(
    r"\b(?:dose|injection|tracer|radiotracer|imaging|images|SPECT|acquisition)\s+(?:was\s+|were\s+)?"
    r"(?:not|never)\s+(?:\w+\s+)?(?:injected|given|administered|obtained|performed|acquired|done)\b"
    r"|\bno\s+(?:[\w-]+\s+){0,2}(?:imaging|images|SPECT|injection|dose)\s+(?:was|were)\s+"
    r"(?:obtained|performed|acquired|done|given|injected|administered)\b",
    re.IGNORECASE,
)
# what makes a clause about a half of the study a statement that it was imaged
_HALF_IMAGED = re.compile(
    r"\b(?:SPECT|imag\w*|images?|mCi|MBq|GBq|injected|acquired|acquisition|gated)\b", re.IGNORECASE
)
# a line keyed as a plan: "Planned time points:", "- Scheduled acquisitions:"
_PLAN_LINE_KEY = re.compile(
    r"[ \t]*(?:[-*\u2022][ \t]*)?(?:planned|scheduled|intended|proposed)\b[^:\n]{0,30}:",
    re.IGNORECASE,
)
_PROTOCOL_KEY = re.compile(r"[ \t]*(?:imaging[ \t]+)?protocol\b[^:\n]{0,20}:", re.IGNORECASE)
# "his previous perfusion study at St Luke's in 2018 (rest and stress)": the parts of a past
# study, named after it in the same clause
_PRIOR_STUDY_BEFORE = re.compile(
    r"\b(?:previous|prior|earlier|last|old)\s+(?:[\w-]+\s+){0,2}(?:study|scan|test|spect|mpi)\b"
    r"[^,;:.\n]{0,60}$",
    re.IGNORECASE,
)
_NEGATED_CLAUSE = re.compile(
    r"\bnot\s+(?:performed|obtained|acquired|done|needed|required|necessary)\b|\bomitted\b|\bcancel+ed\b|\bdeferred\b"
    r"|\bno\s+rest\b|\bwithout\s+rest\b|\bno\s+stress\b|\bwas\s+not\b"
    # "the patient did not return for the rest images"
    r"|\bdid\s+not\s+(?:return|show|attend|arrive)\b",
    re.IGNORECASE,
)
_QUALIFIERS = re.compile(
    r"\b(?:additional|further|other|separate|second|repeat|repeated|more|extra|delayed|early|dedicated|another"
    r"|diagnostic|contrast|contrast-enhanced|full-dose|full|subsequent"
    # a later session reusing the study's earlier CT: "(no new CT; fused to day 1's CT)"
    r"|new"
    # an earlier study: "no prior 4D-CT" in the history says nothing about today's CT
    r"|prior|previous|earlier|outside"
    # one half of a V/Q study: "no ventilation SPECT (Technegas failed)", the perfusion was done
    r"|ventilation|vent"
    # one half of a paired study: "the ictal SPECT was not obtained" beside an interictal one,
    # "no stress SPECT" beside a rest one
    r"|ictal|interictal|stress|rest)\b"
)
# "the CT part of the SPECT/CT was not acquired": the hybrid study's CT is denied, not its
# SPECT
_CT_PART_BEFORE = re.compile(
    r"\bCT\s+(?:part|portion|component|half)\s+of\s+(?:the\s+|this\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# what is done with a CT once acquired: "no CT review", "without CT fusion"
_CT_USE_NOUNS = frozenset(
    {
        "review",
        "fusion",
        "correlation",
        "correlate",
        "interpretation",
        "reconstruction",
        "reading",
        "localization",
        "localisation",
    }
)
# what may join the time points of one imaging phrase: "48h/72h", "4 h + 24 h", "24 & 48 h"
_TIME_JOINS = re.compile(r"(?:[\s/+&]|\band\b)*", re.IGNORECASE)
_CT_NOT_USED = re.compile(
    r"\b(?:no|without|nor)\s+(?:\w+(?:\s+|\s*/\s*)){0,2}?CT\s+(?:review|fusion|correlation|interpretation"
    r"|reading|locali[sz]ation)\b",
    re.IGNORECASE,
)
_EVERY_TIME_POINT = re.compile(
    r"\b(?:each|every|both|all|the\s+two|all\s+three|the\s+three)\s+(?:imaging\s+)?"
    r"(?:time[- ]?points?|timepoints?|days|sessions|visits"
    r"|imaging\s+times?|acquisition\s+times?)\b|\bon\s+both\s+days\b|\bat\s+each\s+(?:visit|session)\b"
    # "SPECT/CT at the same 3 time points" (as the whole-body images before it)
    r"|\bthe\s+same\s+(?:\d|two|three|four|five)?\s*(?:time[- ]?points|timepoints|sessions)\b",
    re.IGNORECASE,
)
# "SPECT/CT at 24 h, 96 h and 168 h, each preceded by a whole-body sweep": the imaging
# after it comes at every time point listed before it
_EACH_PAIRED = re.compile(
    r"\beach\s+(?:one\s+)?(?:preceded|followed|accompanied|combined|paired)\s+(?:by|with)\b",
    re.IGNORECASE,
)
_INJECTION = re.compile(
    r"\b(?:inject\w*|inj|administ\w*|receiv\w*|given|infus\w*|re-?inject\w*|dosed|treated|therapy\s+on)\b",
    re.IGNORECASE,
)
# an activity written before a date: "Tc99m ECD 25 mCi 3/17" is the day of that dose
_ACTIVITY = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:[mµu]ci|mbq|gbq|(?:milli|micro|mega|giga)(?:curie|becquerel)s?)\b",
    re.IGNORECASE,
)
# a date's gloss, then the activity given that day: "04/06/2022 (the next day), 10 mCi"
_ACTIVITY_AFTER_DATE = re.compile(
    r"[ \t]*(?:\([^()\n]{0,80}\))?[ \t]*[,:;-]?[ \t]*" + _ACTIVITY.pattern, re.IGNORECASE
)
# a dose given into a vein, with no injection verb: "10 mCi Tc-99m sulfur colloid IV; at
# 30 min a second SPECT/CT" (a marrow study after the leukocyte SPECT/CT) is an injection
# its minutes count from
_DOSE_IV = re.compile(
    rf"(?:{_ACTIVITY.pattern})[^.;:\n]{{0,40}}?(?:\bIV\b|\bi\.v\.|\bintravenous(?:ly)?\b)",
    re.IGNORECASE,
)
# what a date right after it belongs to, when not this study's imaging: a camera
# calibration ("camera cal 01/30/2024", "calibrated on 01/30") or an earlier study named
# with "prior" ("prior bone scan 1/18")
_OTHER_EVENT_DATE_BEFORE = re.compile(
    r"(?:\b(?:cal|calibrat\w*)\b[ \t:]*(?:date[ \t:]*)?(?:on[ \t]+)?"
    r"|\b(?:prior|previous|earlier|outside)[ \t]+(?!to\b)(?:[\w-]+[ \t]+){0,2}"
    r"(?:scan|study|imaging|exam|ct|mri|spect(?:/ct)?)[ \t:]*(?:of|from|on|dated)?[ \t]*)$",
    re.IGNORECASE,
)
# a time point introduced as an acquisition's: "at 48 h", "on 03/02/2021", "at ~24 h"
_AT_ON_BEFORE = re.compile(
    r"\b(?:at|on)[ \t]+(?:~|approx(?:imately|\.)?[ \t]+|about[ \t]+)?$", re.IGNORECASE
)
# a dose denied, right before the injection word: "(no reinjection)", "without re-dosing"
_NO_DOSE_BEFORE = re.compile(r"\b(?:no|without|not)[ \t]+(?:re-?)?$", re.IGNORECASE)
# what a time point counts from, right before the injection word: "48 h post injection"
_COUNTED_FROM = re.compile(
    r"\b(?:post|after|following|from|since)[ \t-]*(?:the[ \t]+)?(?:(?:radio)?tracer[ \t]+)?$",
    re.IGNORECASE,
)
# a weekday written before a date with its comma: "on Monday, February 14, 2022"
_WEEKDAY_BEFORE_DATE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day[ \t]*,[ \t]*$", re.IGNORECASE
)
# the day of injection or therapy named as a day: "on the injection day", "on the day of
# infusion". A statement limited to it ("no imaging was performed on the day of infusion")
# is about that day only, not the study.
_DOSING = r"(?:injection|infusion|administration|dosing|therapy|treatment)"
_DOSING_DAY = rf"(?:{_DOSING}\s+day|day\s+of\s+(?:the\s+)?{_DOSING})\b"
_INJECTION_DAY = re.compile(rf"\b{_DOSING_DAY}", re.IGNORECASE)
_ON_INJECTION_DAY = re.compile(rf"\s*(?:on|during)\s+(?:the\s+)?{_DOSING_DAY}", re.IGNORECASE)
# a list row labelled as the injection day: "* Injection day: leukocytes reinjected at 15:00,
# no imaging." The row's "no imaging" is about that day only
_INJECTION_DAY_ROW = re.compile(
    rf"[ \t]*(?:[-*\u2022\u00b7]\s*|\d{{1,2}}[.)]\s+)?(?:{_DOSING_DAY}|day\s*0\b)[ \t]*[:\u2013-]",
    re.IGNORECASE,
)
# a line of a list that opens with its time point: "4 h -- 11/14 13:15", "- 24 h (11/15)",
# "11/18: 96 h"
_LIST_ITEM = re.compile(
    r"\s*(?:[-*•·]\s*|\d{1,2}[.)]\s+)?"
    # a dosimetry list labels its time points: "TP1  4 h  03/06", "Time point 2: 24 h",
    # "Scan 3 - 96 h"
    r"(?:(?:tp|t|time[ -]?points?|scan|acq(?:uisition)?|session|point)[ \t]*-?[ \t]*\d{1,2}"
    r"[ \t]*[.:)-]?[ \t]+)?"
    r"(?=\d|day\b|d\d)",
    re.IGNORECASE,
)
_NOT_PERFORMED = re.compile(
    r"\b(?:exam(?:ination)?|study|procedure|scan|test)\s+(?:was\s+)?(?:cancel+ed|not\s+performed|aborted\s+before"
    r"|not\s+done|rescheduled|postponed|discontinued\s+before)"
    # "no diagnostic imaging was performed" (after a check view of an infiltrated dose)
    r"|\bno\s+(?:diagnostic\s+)?(?:images|imaging|study|scan)\s+"
    r"(?:was|were|is|are|(?:has|have)\s+been)\s+"
    r"(?:obtained|performed|acquired)"
    # "no imaging was done." said flat, not "... was done on day 1" / "... of the legs"
    r"|\bno\s+(?:images|imaging|study|scan)\s+(?:was|were|(?:has|have)\s+been)\s+"
    r"(?:done|taken|carried\s+out)(?=\s*(?:[.;,)\n]|$|and\b|because\b|as\b|since\b|due\b))"
    r"|\bno\s+study\s+(?:was\s+)?performed"
    # a therapy note: "no imaging today" (and "Imaging: none today", `_NO_IMAGING_LINE`)
    r"|\bno\s+(?:imaging|images|scans?)\s+(?:today|this\s+(?:visit|encounter))"
    # a terse note's flat fragment: "Pt not injected. No imaging." / "..., no imaging." (a
    # fragment of its own, opening a line or following a stop or comma; a labelled row
    # "Day 2: no imaging" names a part, and _later_session_only weighs a timed sentence;
    # a note's "No imaging performed." drops the verb's "was")
    r"|(?:^|(?<=[.,;\n])[ \t]*)no\s+(?:imaging|images)"
    r"(?:\s+(?:(?:was|were)\s+)?(?:done|obtained|performed|acquired)"
    # a therapy record's "No imaging performed or required."
    r"(?:\s+or\s+(?:required|needed|indicated|planned))?)?"
    r"(?=[ \t]*(?:[.;]|\r?\n|$))"
    r"|\b(?:patient|pt)\s+(?:did\s+not\s+(?:arrive|show|return)|no[- ]show)"
    r"|\bdeclined\s+(?:the\s+)?(?:injection|study|examination|exam|procedure)\b",
    re.IGNORECASE,
)
# the words before "scan not done" that make it another study than the report's own: a
# companion marrow scan, a ventilation half, a repeat or delayed acquisition
_OTHER_STUDY_BEFORE = re.compile(
    r"\b(?:marrow|colloid|ventilation|vent|additional|further|repeat|second|delayed|follow-?up"
    r"|confirmatory|companion"
    # one half of a perfusion (or brain) study: "a rest study was not performed"
    r"|rest|resting|stress|redistribution|reinjection|ictal|interictal)\s+$",
    re.IGNORECASE,
)
# "the rest portion of the exam was not performed": a part of the study, not the study
_PART_OF_BEFORE = re.compile(
    r"\b(?:portion|part|phase|half|component|segment|remainder|rest)\s+of\s+(?:the\s+|this\s+)?$",
    re.IGNORECASE,
)
# the part a no-show missed, after the statement: "the patient did not return for rest
# imaging", "did not show for the delayed images": that part only, not the study
_PART_MISSED_AFTER = re.compile(
    r"\s+for\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:rest|resting|stress|redistribution"
    r"|reinjection|delayed|late|second|day[- ]?(?:2|two)|follow-?up|repeat)\b",
    re.IGNORECASE,
)
# a stress-lab report of a nuclear study's exercise part: "Perfusion images are interpreted
# and reported separately by Nuclear Medicine". Its imaging is another document's
# a document titled as a radionuclide therapy, its administration or the radiation-safety
# release after it ("RA-223 TREATMENT NOTE", "RADIOIODINE THERAPY - HYPERTHYROIDISM",
# "RADIATION SAFETY - PATIENT RELEASE"): a tracer named there is the dose given, no imaging
_THERAPY_TITLE = re.compile(
    r"(?<![-\w])(?<!post-)(?<!pre-)(?<!post )(?<!pre )"
    r"(?:therapy|treatment|administration|radiation\s+safety|release)\b",
    re.IGNORECASE,
)
# the header of a paragraph of advice ("Recommendation:", "Recommendations:"), filed
# under the impression but reading nothing from images
_ADVICE_HEADER = re.compile(r"\brecommend(?:ation|ations|ed)?\b", re.IGNORECASE)
# ... unless the title names imaging too ("I-131 THERAPY AND WHOLE-BODY SCAN"); a release
# or contamination "survey" is a meter reading, not a radioiodine survey scan
_IMAGING_TITLE = re.compile(
    r"\b(?:scans?|imaging|images|scintigra\w*|spect\w*|planar|whole[- ]?body|wbs|dosimetry"
    r"|uptake|localization|study|(?<!release\s)(?<!contamination\s)(?<!exposure\s)survey)\b"
    r"|\bpost[- ]?(?:therapy|treatment)\b",
    re.IGNORECASE,
)
# The words that name only the stress part of a cardiac study (the treadmill, the drug, the
# protocol): an ECG stress test reads no images, so they are no evidence of imaging alone
_STRESS_LAB_STUDIES = frozenset(
    {
        "study:treadmill",
        "study:bruce-protocol",
        "study:stress-test",
        "study:exercise-stress",
        "study:cardiac-stress",
        "study:pharmacologic-stress",
        "study:regadenoson",
        "study:adenosine",
        "study:dipyridamole",
        "study:dobutamine",
        "study:lexiscan",
        "study:ischemia",
    }
)
_IMAGES_REPORTED_ELSEWHERE = re.compile(
    r"\b(?:images|imaging|scans?)\s+(?:(?:are|is|were|was|will\s+be)\s+)?"
    r"(?:(?:interpreted|read)\s+and\s+)?(?:reported|interpreted|read|dictated)\s+"
    r"(?:separately|elsewhere|in\s+a\s+separate\s+report)\b",
    re.IGNORECASE,
)
# a sentence sending a scan it names to another document: "the whole-body bone scan of
# the same week is reported separately": those images are not this report's
# a numbered part of a combined report: "(1) Lymphoscintigraphy ... (2) Bone scan ..."
_PART_MARK = re.compile(r"\(([1-9]|[A-Da-d])\)")
_SCAN_REPORTED_APART = re.compile(
    r"\b(?:reported|interpreted|dictated)\s+(?:separately|elsewhere|in\s+a\s+separate\s+report)\b",
    re.IGNORECASE,
)
# a therapy note's line "Imaging: none (today)": looked for only where "none" is written,
# apart from `_NOT_PERFORMED`, whose scan costs more than its cheap key test saves
_NO_IMAGING_LINE = re.compile(r"^[ \t]*imaging\s*:\s*none\b", re.IGNORECASE | re.MULTILINE)
# a sentence opening with the stop of the acquisition before it, and when or why
_STOPPED_OPENING = re.compile(
    r"\s*(?:it\s+was\s+|was\s+|(?:(?:the|this)\s+)?(?:acquisition|scan)\s+(?:was\s+)?)?"
    r"(?:stopped|terminated|discontinued"
    r"|aborted|interrupted|halted)\s+(?:at|after|early|prematurely|midway|part-?way|because|due"
    r"|owing|when)\b"
    # with the acquisition named as its subject the stop needs no when or why: "The
    # acquisition was stopped, patient taken off the table"
    r"|\s*(?:the|this)\s+(?:acquisition|scan)\s+was\s+(?:stopped|terminated|discontinued"
    r"|aborted|interrupted|halted)\b",
    re.IGNORECASE,
)
# a SPECT's own sentence saying it stopped part-way without naming the stop: "started ...,
# but the patient asked to be taken off the camera after 6 of the planned 14 minutes"
_PART_WAY = re.compile(
    r"\b(?:after|at|for)\s+(?:about\s+|approximately\s+|only\s+|~\s*)?"
    # the step named before its number: "stopped at stop 22 of 60", "at projection 40 of 64"
    r"(?:(?:stop|view|projection|frame|angle|step)\s+(?:no\.?\s*|#\s*)?)?"
    r"\d+\s+(?:of|out\s+of)\s+"
    r"(?:the\s+|a\s+)?(?:planned|scheduled|intended|prescribed|expected|full|\d+)\b"
    # "stopped after approximately half of the projections", "at two-thirds of the views"
    r"|\b(?:after|at)\s+(?:about\s+|approximately\s+|roughly\s+|only\s+|~\s*)?"
    r"(?:(?:one[- ])?half|(?:a|one|two)[- ]thirds?|(?:a|one|three)[- ]quarters?|\d+\s*%)\s+of\s+"
    r"(?:the\s+)?(?:planned\s+|intended\s+|scheduled\s+)?"
    r"(?:projections|views|frames|stops|angles|steps|rotation|arc|acquisition)\b"
    r"|\b(?:taken|got|get|came|come|climbed|removed)\s+(?:off|from)\s+the\s+"
    r"(?:camera|table|scanner|couch|gantry)\b(?!\s+before)"
    # "about 9 minutes into the planned 16 minute acquisition the patient developed pain",
    # "some eight minutes into the stress acquisition he sat up"
    r"|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty)\s*(?:minutes?|mins?|projections|views|frames|stops|steps)\s+into\s+"
    r"(?:the\s+|a\s+)?(?:planned|scheduled|intended|prescribed|expected|full|\d+"
    r"|(?:(?:stress|rest|tomographic|SPECT)\s+)?(?:acquisition|scan)\b)\b",
    re.IGNORECASE,
)
# the flow phase said to be lost: "the flow phase was not captured", "flow images were
# missed (injection given before the acquisition started)"
_FLOW_MISSED = re.compile(
    r"[ \t]*(?:images?|study|imaging|acquisition|portion)?[ \t]*(?:was|were)[ \t]+"
    r"(?:not[ \t]+(?:captured|recorded|acquired|obtained|performed)|missed|lost)\b",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:will|would|to\s+be|return\s+for|forthcoming|planned|scheduled|next\s+week)\b",
    re.IGNORECASE,
)
# a row of a plan's time points reporting it done: "- Day 1 (01/14, 24 h): completed.",
# "  48 h: low-dose CT acquired; ..." (the row's key, then what became of it)
_TIME_ROW_DONE = re.compile(
    r"[ \t]*(?:[-*\u2022][ \t]*)?(?:day[ \t]*\d{1,2}|\d{1,3}[ \t]*(?:h|hrs?|hours?))\b"
    r"[^\n:]{0,40}:[ \t]*(?:\S+[ \t]+){0,3}?"
    r"(?:completed|complete|acquired|done|performed|obtained)\b",
    re.IGNORECASE,
)
_ACQUIRED = re.compile(
    r"\b(?:acquired|obtained|performed|low[- ]dose|fused|fusion|co-?registered"
    r"|localization|localisation|attenuation)\b",
    re.IGNORECASE,
)
# the words between a CT and its date: "the CT of April 3", "CT (03/04/2023)", "CT dated 3/4"
_DATED_AFTER = re.compile(
    r"\s*(?:,|\(|of|from|dated|on|performed\s+on|done\s+on)?\s*", re.IGNORECASE
)
# what may stand between a date and the study it dates: "the 04/09 CT", "the 4/9's CT"
_DATED_BEFORE = re.compile(r"(?:'s)?[ \t]+")
# a procedure word used as the attribute of a result: "not a SPECT measurement", "no SPECT
# correlate", "without a SPECT-derived value" (the result is denied, not the acquisition)
_RESULT_NOUN_AFTER = re.compile(
    r"[ \t]*(?:-?[ \t]*(?:derived|based)[ \t]+)?(?:measurements?|measures?|values?|estimates?"
    r"|correlates?|correlation|findings?|abnormalit(?:y|ies)|evidence"
    # "SPECT myocardial blood flow was not measured": a quantity the SPECT could give
    r"|(?:myocardial[ \t]+)?blood[ \t]+flow|flow[ \t]+reserve|MBF|MFR)\b",
    re.IGNORECASE,
)
# a CT word used as the attribute of a finding: "without CT mass", "no CT-evident lesion",
# "no CT abnormality" (the finding is denied; the CT that would show it was read)
_CT_FINDING_AFTER = re.compile(
    r"[ \t]*(?:-?[ \t]*(?:evident|visible|apparent|detectable|defined|derived|based)[ \t]+)?"
    r"(?:mass(?:es)?|lesions?|nodules?|nodes?|lymphadenopathy|abnormalit(?:y|ies)|anomal(?:y|ies)"
    r"|correlates?|findings?|evidence|changes?|fractures?|densit(?:y|ies)|sclerosis|lucenc(?:y|ies)"
    r"|erosions?|destruction|collections?|consolidation|thickening|signs?)\b",
    re.IGNORECASE,
)
_NEGATION_WORD = re.compile(r"\b(?:not|never|no)\b|n't\b", re.IGNORECASE)
_DIAGNOSTIC_CT = re.compile(
    r"\b(?<!non-)(?<!non )(?:diagnostic|contrast|contrast-enhanced|enhanced|full-dose|dedicated)\b"
    # a multiphase parathyroid "4D-CT" is a contrast study of the CT department, never the
    # hybrid camera's CT
    r"|\b4d[- ]?ct\b"
)
_REPORTED_SEPARATELY = re.compile(
    r"\b(?:reported|reviewed|read|interpreted) separately\b|\bseparate report\b|\bin radiology\b"
    r"|\b(?:in|at|by)\s+(?:the\s+)?(?:main\s+)?(?:ct|radiology|imaging)\s+(?:department|suite|scanner)\b"
    r"|\bon\s+(?:a|the)\s+(?:separate|different|stand-?alone|diagnostic)\s+(?:ct\s+)?scanner\b"
    # "on the radiology CT scanner", "on the 256-slice scanner": a CT department's scanner
    r"|\bon\s+(?:a|the)\s+(?:radiology\s+(?:ct|scanner)|\d+[- ]slice\s+(?:ct\s+)?scanner)\b"
)
# the CT of the radiology department, named by the word right before it: "performed on the
# radiology CT at 13:00"
_RADIOLOGY_BEFORE = re.compile(r"\bradiology[ \t]+$")
# an empty template field: "Quantification: N/A", "Dosimetry: --"
_BLANK_MARK = r"n/?a|none|nil|not applicable|-+|\u2014|\u2013"
_BLANK_VALUE = re.compile(_BLANK_MARK)
_BLANK_FIELD = re.compile(
    r"[ \t]*:[ \t]*(?:" + _BLANK_MARK + r")[ \t]*(?:[.;]|\r?\n|$)", re.IGNORECASE
)
_CT_PLACE = re.compile(r"\s*(?:department|dept\b|suite)")
# the words between a CT and the PET it was taken from: "the low-dose CT from the FDG PET/CT
# of 02/10/2021", "the CT portion of the prior PET-CT", "CT images of her PSMA PET"
_CT_OF_PET = re.compile(
    r"[ \t]+(?:(?:images?|data(?:[ \t]?set)?|portion|component|part|series)[ \t]+)?"
    r"(?:from|of)[ \t]+(?:(?:the|a|an|his|her|their|this|that|patient(?:'s|\u2019s))[ \t]+)?"
    r"(?:[\w-]+[ \t]+){0,3}",
    re.IGNORECASE,
)
# "a diagnostic CT on the SPECT/CT camera": diagnostic quality, but this study's hybrid CT
_HYBRID_CT = re.compile(
    r"\bhybrid\b|\b(?:spect/ct|spect-ct|spect ct|spectct)\s+(?:camera|scanner|system|unit|gantry)\b"
    r"|\bsame\s+(?:camera|scanner|gantry|session|table\s+position)\b"
)
# a CT at an appointment of its own: "(separate appointment, patient repositioned)",
# "scanned on the radiology list"
_SEPARATE_VISIT = re.compile(
    r"\bseparate\s+(?:appointment|visit|booking|encounter)\b"
    r"|\b(?:different|another)\s+(?:appointment|visit)\b"
    r"|\bradiology\s+(?:list|schedule|slot|appointment)\b"
)
# the CT term itself naming the SPECT's own CT: "low-dose CT", "localization CT"
_OWN_CT_WORD = re.compile(r"low[- ]dose|locali[sz]|attenuation|\bac\b|hybrid")
# what a time row's label holds besides its times: "- 4 h (08/16/2021):", "Day 2 images:"
_ROW_LABEL_REST = re.compile(
    r"[\s\-*\u2022().,/#]*(?:(?:day|at|post|p\.?i\.?|pi|injection|images?|imaging|session"
    r"|time|point|scan|views?)\b[\s\-*\u2022().,/#]*)*",
    re.IGNORECASE,
)
_CORRECTION_WORD = re.compile(r"\bcorrect|\bamend|\berrat|\brevis")
_ORDER_CUE = re.compile(
    r"referr|request|order|schedul|booked|sent-for|referral"
    # the study a patient arrived or presented for is the study booked
    r"|arrived-for|presented-for"
)
# MAA given into the liver's arteries (at angiography, before radioembolization) maps
# tumor perfusion and the lung shunt: it is no lung perfusion study
_HEPATIC_ARTERIAL = re.compile(
    r"\bhepatic[- ]arter(?:y|ies|ial)|\bhepatic angiogra|\bgastroduodenal arter", re.I
)
# ... and the sentence says the tracer went that way, or names the tracer with the artery
# ("MAA 4 mCi, right hepatic artery"), and not a disease of the artery
_ROUTE = re.compile(r"\b(?:via|into|through)\b|inject|infus|administ|catheter|angiogra", re.I)
_ARTERY_DISEASE = re.compile(
    r"\W{1,3}(?:\w+\W{1,3})?(?:aneurysm|calcif|stenos|thromb|occlu|dissect)", re.I
)
# a dictated punctuation word is the mark it names: "planar views at one hour comma SPECT"
# between two copies of a report's technique: a word saying one copy replaced the other
# a form field on a line of its own: "  SPECT/CT pelvis: Yes"
_FIELD_LINE = re.compile(r"[ \t]*(?P<key>[^\n:]{2,60}?)[ \t]*:[ \t]*(?P<value>[^\n]*?)[ \t.]*$")
# the values of such a field saying the part was or was not done
_FIELD_YES_VALUE = re.compile(
    r"yes|y|done|performed|completed|acquired|obtained|\[x\]", re.IGNORECASE
)
_FIELD_NO_VALUE = re.compile(
    r"no|n|not\s+(?:performed|done|acquired|obtained)|\[\s?\]", re.IGNORECASE
)
_ANY_FIELD_VALUE = re.compile(r".+")
_LATER_COPY = re.compile(
    r"\b(?:amend\w*|correct(?:ed|ion)|revis\w*|addend\w*|errat\w*|prelim\w*|version|updated?)\b",
    re.IGNORECASE,
)
# a denial saying the hybrid camera (its CT) was not to be had, not that a SPECT was skipped
_UNAVAILABLE_CUES = frozenset(
    {
        "negated-backward:not-available",
        "negated-backward:unavailable",
        "negated-backward:out-of-service",
        "negated-backward:out-of-order",
    }
)
# a statement withdrawing what was reported: "the SUV values above are retracted"
_RETRACTED = re.compile(r"\b(?:retract(?:ed|s)?|withdrawn|rescinded)\b", re.IGNORECASE)
# a finding read on this study's fused images
_FUSED_READ = re.compile(r"\bfus(?:ed|ion)\b", re.IGNORECASE)
# a surgical fusion of bones, not the fused images: "the L4-5 fusion", "spinal fusion",
# "s/p posterior fusion", "fusion hardware", "fused at C5-6", "ankle fusion"
_SURGICAL_FUSION_BEFORE = re.compile(
    r"(?:\b(?:spin(?:al|e)|lumbar|cervical|thoracic|lumbosacral|sacroiliac|si|interbody"
    r"|posterior|posterolateral|anterior|lateral|vertebral|facet|joint|ankle|subtalar|wrist"
    r"|triple|solid|surgical|segmental|prior|previous|old|s/p|post|status\s+post|alif|tlif|plif"
    r"|xlif|acdf|instrumented|bony|osseous|[ctls]\d{1,2}(?:\s*[-/]\s*[ctls]?\d{1,2})?)"
    r"|-level)[ \t-]+$",
    re.IGNORECASE,
)
_SURGICAL_FUSION_AFTER = re.compile(
    r"[ \t]+(?:hardware|mass|construct|cage|rods?|screws?|plates?|levels?|surgery|site|bed"
    r"|(?:of|at|from|across)[ \t]+(?:the[ \t]+)?(?:[ctls]\d|spine|lumbar|cervical|thoracic"
    r"|sacroiliac|vertebra|facet|ankle|subtalar))",
    re.IGNORECASE,
)


def _fused_read(text: str, start: int, end: int) -> bool:
    """Does text[start:end] read this study's fused images ("on the fused images",
    "localizes on fusion"), not a bone fusion surgery ("uptake at the L4-5 fusion")?"""
    for hit in _FUSED_READ.finditer(text, start, end):
        if _SURGICAL_FUSION_BEFORE.search(text, max(start, hit.start() - 30), hit.start()):
            continue
        if _SURGICAL_FUSION_AFTER.match(text, hit.end()):
            continue
        return True
    return False


_CLAUSE_PUNCT = re.compile(r"[;,.(]|\b(?:comma|period|semicolon)\b", re.IGNORECASE)
_CONJUNCTION = re.compile(r"\b(?:and|or|then|with|followed|plus)\b|&", re.IGNORECASE)
# a time point qualifying the other half of a paired study named right after it, no image
# mention of its own: "perfusion SPECT with next-day ventilation", "... and 2-day rest"
_OTHER_HALF_AFTER = re.compile(
    r"[ \t-]*(?:ventilation|vent|perfusion|rest|stress|ictal|interictal)\b", re.IGNORECASE
)
# "whole-body images and the SPECT/CT of the chest were repeated at 72 h": an article or
# "also" after the coordinator still joins the two
_COORDINATOR = re.compile(
    r"\s*(?:and|plus|as\s+well\s+as|\+|&)\s*(?:also\s+)?(?:(?:the|a|an)\s+)?",
    re.IGNORECASE,
)
# between a planar mention and the SPECT coordinated with it when a time follows the SPECT:
# "whole body anterior/posterior and quantitative SPECT/CT of the chest at 24 h and 48 h"
# (the projections, the view word, and the SPECT's own adjective stand in between)
_PLANAR_SPECT_GAP = re.compile(
    r"[ \t]*(?:(?:(?:anterior|posterior|ant|post)(?:[ \t]*/[ \t]*(?:anterior|posterior|ant|post))?"
    r"|planar|views?|images?|imaging|scans?)\b\.?[ \t]*)*"
    + _COORDINATOR.pattern
    + r"(?:(?:quantitative|calibrated|hybrid|low-dose)[ \t]+)?",
    re.IGNORECASE,
)
# between planar images and the SPECT coordinated with them: "planar views and SPECT/CT"
_COORDINATED_VIEWS = re.compile(
    r"[ \t]*(?:(?:views?|images?|imaging|scans?)\b)?" + _COORDINATOR.pattern, re.IGNORECASE
)
# between an adjectival time and the images it qualifies: "3-hour delayed planar views"
_ADJECTIVE_GAP = re.compile(r"[ \t]*(?:[A-Za-z-]+[ \t]+){0,2}")
_BOTH = re.compile(r"\bboth\s+(?:at|on)\b", re.IGNORECASE)
_MISSED_TIME = re.compile(
    r"[ \t]*(?:time[ \t]*points?|tp|points?|imaging|images|scan)?[ \t]*"
    r"(?:(?:was|were)[ \t]+)?(?:missed|skipped)\b",
    re.IGNORECASE,
)
# a word of a table cell's remark, besides its time ("1 h study diagnostic")
_REMARK_WORD = re.compile(r"[A-Za-z]{3,}")
# the same said before the time: "a fit ... for the missing 72 h point", "the missed 48 h
# time point"
_MISSED_BEFORE = re.compile(r"\b(?:missing|missed|skipped)[ \t]+\Z", re.IGNORECASE)
# what may join the times that key a time-point row: "168 h - 05/21/2024", "48 h (05/03)"
_ROW_KEY_JOIN = re.compile(r"[ \t]*(?:[-\u2013\u2014,/(][ \t]*)?")
# a time-point row's status cell saying the time point was never imaged, after its key:
# "168 h - 21-MAY-2024: missed (protocol deviation)", "72 h | not acquired", "Day 5 -- not
# done"
_ROW_NOT_IMAGED = re.compile(
    r"[ \t)]*(?::|\||[ \t](?:-{1,2}|\u2013|\u2014))[ \t]*"
    r"(?:missed|skipped|omitted|cancell?ed|no[ \t-]show"
    r"|not[ \t]+(?:done|acquired|performed|obtained|imaged|attended))\b",
    re.IGNORECASE,
)
# one time point repeated for every dose: "SPECT 60 min after each injection" (ictal, then
# interictal two days later)
_EACH_INJECTION = re.compile(
    r"\s*(?:p\.?i\.?\s*)?(?:after|following|post)\s+(?:each|every|both|either)\s+"
    r"(?:\w+\s+)?(?:injections?|doses?|administrations?)\b",
    re.IGNORECASE,
)
_VENT = re.compile(r"\bvent(?:ilation)?\b|\bv\b")
_VENT_WORD = re.compile(r"\bvent(?:ilation)?\b")
# a labelled field at a line start, whose text may go on over a few sentences and lines
_FIELD_KEY = re.compile(r"[ \t]*(?P<k>[A-Za-z][A-Za-z /-]{0,30}?)[ \t]*:(?!\d)")
_FIELD_LINES = 4
_PERF_WORD = re.compile(r"\bperf(?:usion)?\b")
# a perfusion study said to have had no ventilation half ("perfusion-only", "no
# ventilation study", "ventilation images were not obtained", "ventilation not performed",
# "ventilation omitted")
_NO_VENTILATION = re.compile(
    r"\bperfusion[- ]only\b|\bonly\s+perfusion\b"
    r"|\b(?:no|without(?:\s+an?)?)\s+(?:accompanying\s+|concurrent\s+)?ventilation\b"
    r"|\bventilation\s+(?:imaging|images|study|scan|scintigraphy|phase|portion)?\s*"
    r"(?:(?:was|were)\s+)?(?:not|never)\s+(?:performed|done|obtained|acquired)"
    r"|\bventilation\s+(?:imaging|images|study|scan|scintigraphy|phase|portion)?\s*"
    r"(?:(?:was|were)\s+)?omitted\b",
    re.IGNORECASE,
)
_PERF = re.compile(r"\bperf(?:usion)?\b|\bq\b")
# every _NOT_PERFORMED match contains one of these (a cheap test that skips the regex)
_NOT_PERFORMED_KEYS = (
    "cancel",
    "not performed",
    "not done",
    "aborted",
    "reschedul",
    "postpon",
    "discontinued",
    "no images",
    "no imaging",
    "no diagnostic",
    "no study",
    "no scan",
    "did not",
    "no-show",
    "no show",
    "declined",
)
# hours after injection that a day phrase can restate as the next day (an afternoon or
# evening injection, images the next morning)
_OVERNIGHT_HOURS = 12.0
# between a day phrase and the time point after injection that restates it: "the next
# morning (approximately 18 hours)", "at ~18 h, the following morning"
_RESTATED_GAP = re.compile(
    r"[ \t]*[,(\[]?[ \t]*(?:at[ \t]+)?(?:(?:approx(?:imately|\.)?|about|around|roughly|some"
    r"|ca\.?|~|≈)[ \t]*)?(?:at[ \t]+)?(?:the[ \t]+)?",
    re.IGNORECASE,
)
# a CT kept for a later session of the study: "CT reserved for the 24 h session", "CT
# saved for day 2", "CT held until the delayed images"
# "CT attenuation correction was planned but ...", "SPECT/CT had been scheduled, but ...": the
# procedure named before it is what was planned, and the "but" leads to what became of it
_PLANNED_BUT = re.compile(
    r"^[^.;\n]{0,60}?\b(?:was|were|been|is)[ \t]+(?:(?:originally|initially|also)[ \t]+)?"
    r"(?:planned|scheduled|intended|booked|requested|ordered)\b[^.;\n]*?\bbut\b",
    re.IGNORECASE,
)
# how many days before the date of service a dated CT is another study's, not a day of this one
_EARLIER_CT_DAYS = 7
_CT_FOR_LATER = re.compile(
    r"[ \t]*(?:(?:was|is|being)[ \t]+)?(?:reserved|saved|kept|held|left|planned|scheduled"
    r"|deferred|postponed|delayed)[ \t]+(?:for|to|until|till|at)\b",
    re.IGNORECASE,
)
# an image's acquisition told with its time points: "were obtained at 4 hours and again at"
# an addendum whose first words say it corrects the report
_CORRECTION_OPENING = re.compile(
    r"[\s:.-]*(?:correction\b|corrected\b|erratum\b|this\s+addendum\s+corrects\b)",
    re.IGNORECASE,
)
# images of this report said to come from an earlier study: "were imported from the
# patient's rest study of 05/11/2021" (or "of May 11, 2021"), "are from the patient's prior
# study of 08/2021"
_FROM_PRIOR_STUDY = re.compile(
    r"\b(?:imported|taken|pulled|retrieved|came|come|were|are)[ \t]+from[ \t]+(?:the[ \t]+)?"
    r"(?:patient(?:'s|\u2019s)[ \t]+|his[ \t]+|her[ \t]+|their[ \t]+)?"
    r"(?:(?:prior|previous|earlier|old)\b"
    r"|[a-z-]+[ \t]+(?:study|scan|exam|images)[ \t]+(?:of|dated|from)[ \t]+"
    rf"(?:{MONTH_RE}[ \t]+)?\d)",
    re.IGNORECASE,
)
# an addendum adding an acquisition the first read did not report: "the second SPECT/CT
# bed position", "an additional field of view" (not an area only: "the SPECT also included
# the knees, omitted from the technique" fills an omission, LABELING.md AQ)
# ... that the first read missed (not one acquired after it, which supplements it)
_FIRST_READ_MISSED = re.compile(
    r"\b(?:amended[ \t]+to[ \t]+read|leaves?[ \t]+out|left[ \t]+out|omit(?:s|ted)"
    r"|(?:was|were)[ \t]+not[ \t]+(?:sent|included|listed|reported)[ \t]+(?:with|in)\b)",
    re.IGNORECASE,
)
_ADDS_ACQUISITION = re.compile(
    r"\b(?:second|additional|another|extra|further)[ \t]+"
    r"(?:(?:SPECT(?:[ \t]*[/-][ \t]*CT|[ \t]+CT)?|tomographic)[ \t]+)?"
    r"(?:bed[ \t]+positions?|acquisitions?|fields?[ \t]+of[ \t]+view)\b",
    re.IGNORECASE,
)
_ACQUIRED_AT = re.compile(
    r"\b(?:were|was)[ \t]+(?:acquired|obtained|performed|taken|done|recorded)[ \t]+"
    r"(?:at|on)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[;,)\n]|\.(?:\s|$)")
# where one clause of a sentence ends and the next begins: "; ", ", and ", ", but "
_CLAUSE_BREAK = re.compile(r";|,\s*(?:and|but|then|while|whereas)\b|\.(?:\s|$)", re.IGNORECASE)
_SAME_AGAIN = re.compile(
    # "(drawn) at the same time" says two things in its own sentence were simultaneous
    r"\b(?:same(?!\s+time\b(?![- ]?points?))"
    # a finding compared between time points is no imaging repeated: "persists at the same
    # site at 24 h", "is again seen at 48 h" (the times date the finding, not a new image)
    r"(?!\s+(?:site|location|position|place|spot|level|area|region|distribution|pattern"
    r"|appearance|intensity|degree|size|configuration|extent|focus|foci|lesions?)\b)"
    r"|repeat(?:ed)?|again(?!\s+(?:seen|noted|demonstrated|identified|visuali[sz]ed|shown"
    r"|present|evident|visible|apparent)\b)|ditto|as\s+above|likewise|idem)\b",
    re.IGNORECASE,
)
# what a findings sentence is about: "an additional focus in the iliac wing (planar only)"
_FINDING = re.compile(
    r"\b(?:focus|foci|focal|uptake|activity|lesions?|abnormalit\w*|metasta\w*|hot\s+spots?"
    r"|defects?|finding|drainage|(?:lymph\w*\s+)?(?:nodes?|channels?))\b",
    re.IGNORECASE,
)
# a verb of acquisition right after a denied procedure: "No CT acquired", "no SPECT done"
# a measurement's own verb right after it: "no SUV was measured", "no values were recorded"
_MEASURED_VERB_AFTER = re.compile(
    r"[ \t]+(?:values?[ \t]+|measurements?[ \t]+)?(?:was|were|has[ \t]+been|have[ \t]+been)"
    r"[ \t]+(?:measured|made|calculated|computed|derived|recorded|obtained|performed|done)\b",
    re.IGNORECASE,
)
_DONE_VERB_AFTER = re.compile(
    r"[ \t]+(?:was[ \t]+|were[ \t]+)?(?:acquired|obtained|performed|done|taken)\b", re.IGNORECASE
)
# the blood pool abbreviated right after the flow phase: "Flow + BP", "flow/BP", "flow and BP"
# (alone, "BP" is a blood pressure)
_BP_AFTER_FLOW = re.compile(r"[ \t]*(?:\+|&|/|,|and)[ \t]*BP\b")
# the heading of a technologist's worksheet attached to the physician's report
_WORKSHEET_HEAD = re.compile(
    # a banner may rule it off: "---- Technologist note (appended ...) ----"
    r"^[ \t]*(?:[-=*_#~]{2,}[ \t]*)?"
    r"(?:nuclear[ \t]+medicine[ \t]+)?(?:technologist|tech)(?:'s)?[ \t]+"
    r"(?:worksheet|work[ \t]+sheet|notes?|log)\b",
    re.IGNORECASE | re.MULTILINE,
)
# the cue of an imaging session only booked: "is scheduled for", "will be performed", "planned"
# (not a past plan that gave way: "was planned, but ... views were taken instead")
_BOOKED_CUE = re.compile(
    r"(?:is|are|to-be)-scheduled|scheduled-\w+-label|(?:is|are)-planned|forward:planned$|plan-label"
    r"|will-be|will-have|will-undergo|to-undergo|to-follow"
    # "SPECT/CT ... is booked for 01/12 (24 h)": an appointment, not imaging done
    r"|(?:is|are|to-be)-booked|booked-for"
)
# a denial limited to one named part of a combined document: "No SPECT for the bone
# portion", "SPECT was not performed with the gallium part"
_PART_SCOPE_AFTER = re.compile(
    r"[ \t]*(?:(?:was|were)\s+)?(?:(?:not|never)\s+(?:\w+\s+)?)?(?:for|of|with|in|during)\s+"
    r"(?:the|this)\s+([a-z][\w-]*)(?:\s+scan|\s+study|\s+imaging)?\s+"
    r"(?:portion|part|component|half|phase)\b",
    re.IGNORECASE,
)
# a trial's case report form opening a line: "eCRF page 6 (completed by the study
# coordinator): ...", "CRF imaging page:", "Case report form -"
_CRF_HEAD = re.compile(
    r"^[ \t]*(?:e-?CRF|CRF|case[ \t]+report[ \t]+form)\b", re.IGNORECASE | re.MULTILINE
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# a protocol or order key earlier on the line of a SPECT, its value running up to the
# mention: "PROTOCOL (department routine): planar plus SPECT/CT", "Ordered as: ... SPECT"
# the CT's positioning view named after the CT: "CT Topogram 0.6 T20f", "CT scout",
# "CT localizer (1 image)"
_TOPOGRAM_AFTER = re.compile(
    r"[ \t:-]*(?:topogram|scout(?:[ \t]+views?)?|scanogram|surview|locali[sz]er)\b",
    re.IGNORECASE,
)
_PLAN_KEY_BEFORE = re.compile(
    r"\b(?:protocol|order(?:ed)?(?:[ \t]+as)?|requested(?:[ \t]+as)?)\b[ \t]*"
    r"(?:\([^()\n]{0,80}\)[ \t]*)?:[^\n.;]*\Z",
    re.IGNORECASE,
)
# an order named as it stands, in running text: "order left as", "was ordered as", "order
# still reads"
_ORDER_AS_BEFORE = re.compile(
    r"\b(?:order|requisition)(?:ed)?\b[ \t]+(?:(?:was|is|still|remains?|stays?|left|kept)"
    r"[ \t]+){0,3}(?:as|reads)[ \t]+(?:an?[ \t]+)?\Z",
    re.IGNORECASE,
)
# a field whose value points to another part of the report: "SPECT/CT: see below"
_SEE_ELSEWHERE = re.compile(
    r"[ \t]*(?:\([^()\n]{0,40}\)[ \t]*)?[:=-][ \t]*(?:see|refer[ \t]+to)\b", re.IGNORECASE
)
# the heading of a block listing a protocol not (yet) carried out: "Planned protocol at
# rescheduling:", "Standard protocol (for reference):"
_PLAN_HEADING = re.compile(
    r"[^\n]{0,40}\b(?:planned|intended|proposed|scheduled|standard|usual|routine)\b"
    r"[^\n]{0,40}\bprotocol\b[^\n]{0,60}:[ \t]*\Z",
    re.IGNORECASE,
)
# "post-therapy SPECT/CT", "post-treatment imaging"
_POST_TREATMENT_BEFORE = re.compile(
    r"\bpost[- ]?(?:therapy|treatment)\b[^.;\n]{0,15}\Z", re.IGNORECASE
)
# a title naming a pre-treatment study ("PRE-THERAPY I-131 DOSIMETRY")
_PRE_TREATMENT_TITLE = re.compile(r"\bpre[- ]?(?:therapy|treatment)\b", re.IGNORECASE)
# the line opening a preliminary or final read: "PRELIMINARY REPORT (resident):",
# "Final read:"
_READ_HEAD = re.compile(
    r"^[ \t]*(?:[A-Za-z']+[ \t]+)?(?:prelim(?:inary)?|final)[ \t]+"
    r"(?:report|read|reading|interpretation)\b[^\n]{0,60}:",
    re.IGNORECASE | re.MULTILINE,
)
# a line opened by a bracketed note label: '[handwritten in margin, transcribed:] "..."'
_ANNOTATION_LEAD = re.compile(
    r"[ \t]*\[[^\]\n]{0,60}\b(?:handwritten|hand-written|margin|annotation|note|sticky)"
    r"[^\]\n]{0,40}\]",
    re.IGNORECASE,
)
# a SPECT registered in software to a CT: "registered to the CT chest on the workstation",
# "co-registered on the workstation to the CT of the PET/CT", "software fusion with the CT"
_SOFTWARE_FUSION = re.compile(
    r"\b(?:co-?registered|registered|fused)\b[^.\n]{0,80}\b(?:workstation|software)\b"
    r"|\b(?:software|workstation)[ \t]+(?:fusion|registration|co-?registration)\b",
    re.IGNORECASE,
)
# a CT named with the use it was put to: "LDCT for AC only", "CT for localization"
_CT_FOR_USE = re.compile(
    r"[ \t]*(?:(?:was|is)[ \t]+)?(?:(?:used|acquired|obtained)[ \t]+)?for[ \t]+"
    r"(?:AC\b|attenuation|localization|localisation|anatomic)",
    re.IGNORECASE,
)
# a reason given for an acquisition: "because of", "due to"
_REASON = re.compile(r"\b(?:because|due\s+to|owing\s+to)\b", re.IGNORECASE)
# a diagnosis named in a finding or an impression line: "talonavicular arthropathy",
# "rib fracture", "degenerative change"
_DIAGNOSIS = re.compile(
    r"\b(?:\w+(?:pathy|itis|osis|oma|omas)|fractures?|degenerat\w*|changes?|reaction"
    r"|mass(?:es)?|nodules?|cysts?|abscess(?:es)?|infection|tumou?rs?|enthesopathy)\b",
    re.IGNORECASE,
)
# a dataset set aside: "SPECT #1 discarded (motion)", "first acquisition unusable"
_DISCARDED = re.compile(
    r"\b(?:discard(?:ed)?|reject(?:ed)?|unusable|not\s+usable|repeat(?:ed)?)\b", re.IGNORECASE
)
# right after a denied acquisition, the words that make the denial a repeat's: "no CT
# repeated", "no SPECT re-acquired"
_REPEATED_AFTER = re.compile(
    r"[ \t]+(?:(?:was|were)[ \t]+)?(?:repeated|re-?acquired|re-?done|re-?performed)\b",
    re.IGNORECASE,
)
# right after a numbered SPECT, the words that make it a repeat: "SPECT #2 (repeat, ...)"
_REPEAT_GLOSS = re.compile(r"[\s(:,-]*(?:repeat|re-?acqui)", re.IGNORECASE)
# a SPECT acquired once more: "the SPECT/CT was repeated the next morning", "imaged again"
_REPEATED = re.compile(
    r"\brepeat(?:ed|ing)?\b|\bagain\b|\bre-?(?:acquired|imaged|scanned)\b", re.IGNORECASE
)
# a stopped SPECT started again and run to its end: "restarted and completed in full",
# "repeated to completion"
# the rest of a SPECT's clause saying it was done in full: "ventilation SPECT of the chest
# completed", "SPECT was complete"
_COMPLETED_AFTER = re.compile(
    r"(?:(?!\b(?:not|never)\b)[^.;\n]){0,40}?\b(?:completed|complete)\b",
    re.IGNORECASE,
)
_RESTARTED_COMPLETE = re.compile(
    r"\b(?:re-?start|repeat|re-?acquir|re-?run)\w*\b[^.\n]{0,60}?"
    r"\b(?:complet\w*|in\s+full|successfully|without\s+(?:further\s+)?(?:motion|incident))",
    re.IGNORECASE,
)
# A clock time right after an imaging mention ("brain SPECT at 15:05", "SPECT/CT (2:30 pm)")
# says when that image was taken: a time point on the running day, not hours after injection.
_CLOCK = (
    r"(?:[01]?\d|2[0-3])(?:(?::|h)[0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\b\.?)?|\s*[ap]\.?m\b\.?)"
    r"(?![\d/]|\s*(?:hours?|hrs?|h|min\w*)\b)"
)
# a day phrase, the clock time of that day, then the hours after injection restating the
# same time point: "the following morning starting at 09:15 (approx. 10 h post injection)"
# (an evening injection): the clock places the images on the phrase's calendar day
_CLOCKED_RESTATED_GAP = re.compile(
    rf"[ \t]*,?[ \t]*(?:(?:starting|beginning|commencing|from)[ \t]+)?(?:at|@)[ \t]*{_CLOCK}"
    + _RESTATED_GAP.pattern,
    re.IGNORECASE,
)
# a heading that names one study of a paired protocol and gives its date: "ICTAL STUDY
# (03/14/2024):", "Interictal scan - 03/16/2024:" (the words before the date)
_STUDY_DATE_HEADING = re.compile(
    r"[ \t]*(?:[A-Za-z-]+[ \t]+){0,3}(?:study|scan|imaging|acquisition|session)"
    r"[ \t]*[(,\-\u2013]?[ \t]*",
    re.IGNORECASE,
)
# a line opened by the name of one study of a paired protocol and its date, the line going
# on in sentences of its own: "Ictal - 03/17/2023 in the EMU, 24.7 mCi given. ... SPECT
# started 11:35." (the words before the date)
_PART_DATE_LINE = re.compile(
    r"[ \t]*(?:[-\u2022*][ \t]*)?(?:[A-Za-z-]+[ \t]+){0,2}"
    r"(?:ictal|interictal|rest|stress|baseline|study|scan|imaging|acquisition|session)"
    r"[ \t]*[-\u2013\u2014:(][ \t]*"
    # the event that opened the part, timed on that date: "Ictal: seizure onset 02:14 on
    # 08/30", "Interictal: injected 09:00 on" (not a compared study's date: "prior ... on")
    r"(?:(?!(?:prior|previous|compar\w*|last|since|before|after|follow\w*)\b)"
    r"(?:[A-Za-z-]+|(?:[01]?\d|2[0-3]):[0-5]\d)[ \t]+){0,4}?(?:on|dated)?[ \t]*",
    re.IGNORECASE,
)
# a table column of imaging days and a row's bare day number under it
_DAY_COLUMN = re.compile(
    r"[ \t]*(?:imaging[ \t]+|study[ \t]+)?day[ \t]*(?:#|no\.?)?[ \t]*", re.IGNORECASE
)
_DATE_COLUMN = re.compile(
    r"[ \t]*(?:(?:imaging|study|scan|injection|session)[ \t]+)?date(?:[ \t]*/[ \t]*time)?[ \t]*",
    re.IGNORECASE,
)
_DAY_NUMBER_CELL = re.compile(r"[ \t]*([1-9])[ \t]*")
# a line that only tells a time point and ends in a colon, heading the bullet lines of the
# images taken then: "24 h - 11/08 09:05:" over "* whole-body ..." and "* SPECT/CT ..."
_TIME_HEADING_REST = re.compile(
    r"[\s\W\d]*(?:(?:at|on|p\.?\s?i\.?|post[- ]?injection|images?|imaging|session"
    r"|a\.?m\.?|p\.?m\.?)\b[\s\W\d]*)*:[ \t]*\n?[ \t]*",
    re.IGNORECASE,
)
# a bullet opening a line: "* SPECT/CT", "- whole body", "2) SPECT"
_BULLET_LINE = re.compile(r"[ \t]*(?:[-*\u2022\u00b7]|\d{1,2}[.)])[ \t]+")
_CLOCK_AFTER = re.compile(
    rf"[^.;:\n]{{0,30}}?(?:\bat|@)\s*(?:about\s+|approximately\s+|~\s*)?(?P<at>{_CLOCK})"
    rf"|[^.;:\n()]{{0,30}}?\(\s*(?P<bracket>{_CLOCK})\s*\)",
    re.IGNORECASE,
)
# what may stand beside the region names of a findings subheader: a bullet, "and", a side
_REGION_FILLER = re.compile(
    r"[\s\-•*·‣◦–—,/&]*(?:(?:and|both|the|left|right|bilateral|[lr])\b[\s,/&]*)*", re.IGNORECASE
)
# A row of a table laid out with spaces (plain or no-break): two cells apart by two
# spaces or more (or a tab).
_TABLE_ROW = re.compile(r"\S(?:[ \u00a0]{2,}|\t+)\S")
# Region words of a findings subheader that are no canonical area of their own:
# "Head and extremities (planar only):", "Remainder (planar only):", "Spine and thorax ..."
_REGION_WORDS = re.compile(
    r"\b(?:extremit(?:y|ies)|limbs?|skeleton|spine|remainder|elsewhere|torso|trunk"
    r"|rest[ \t]+of[ \t]+(?:the[ \t]+)?(?:body|skeleton|study)"
    r"|(?:axial|appendicular)(?:[ \t]+skeleton)?|other[ \t]+(?:regions|areas|sites))\b",
    re.IGNORECASE,
)
# "planar-only thoracic images", "only planar chest views": a planar-only phrase that
# names the region it is about (the words before an area mention right after it)
_PLANAR_ONLY_LEAD = re.compile(r"(?:only[ \t]+)?planar(?:[- ]only\b)?[ \t]+", re.IGNORECASE)
# "Outside the SPECT range (planar only):": the regions beyond the tomographic field
_OUTSIDE_FIELD = re.compile(
    r"\b(?:outside|beyond)\s+(?:of\s+)?the\s+(?:spect|tomographic|field|fov|imaged|scanned)",
    re.IGNORECASE,
)
# a site the SPECT field left out: "on SPECT/CT not included", "not covered by the field"
_NOT_IN_FIELD = re.compile(
    r"\b(?:on|in|by)\s+(?:the\s+)?(?:spect(?:[/-]?ct)?|tomographic|field|fov)\b[^.;,]{0,20}?"
    r"\bnot\s+(?:included|covered)\b"
    r"|\bnot\s+(?:included|covered)\s+(?:on|in|by)\s+(?:the\s+)?(?:spect|tomographic|field|fov)",
    re.IGNORECASE,
)
# Before a "planar only" that glosses a site, read backwards: a word that spreads it over
# the sites before ("both planar only") and the mark that sets it off from the site ("-",
# ",", ";", "(").
_GLOSS_LEAD_BACK = re.compile(r"(?:\b(?:both|all|each)[ \t]+)?$", re.IGNORECASE)
_GLOSS_MARK_BACK = re.compile(r"(?:[ \t]+[-\u2013\u2014][ \t]*|[ \t]*[,;(][ \t]*)$")
# the end of a list number or an earlier sentence in the text before a glossed site: "10. "
_LIST_STOP_BACK = re.compile(r".*(?:\.|\d[)\]])[ \t]+", re.DOTALL)
# words that make the text before a "planar only" a statement of imaging, not a site
_IMAGED_WORDS = re.compile(
    r"\b(?:images?|imaging|imaged|views?|scans?|scanned|scintigra\w*|acqui\w*|obtained"
    r"|performed|done|study|studies|protocol|exam\w*|procedure)\b",
    re.IGNORECASE,
)
# anatomic sites that are no area term of their own: "left femoral diaphysis", "right
# parietal", "distal femoral metaphyses"
_SITE_WORDS = re.compile(
    r"\b(?:femoral|femora|tibial|fibular|radial|ulnar|diaphys[ei]s|metaphys[ei]s|epiphys[ei]s"
    r"|parietal|frontal|occipital|temporal|calvari(?:um|al)|cortex|cortical|marrow|bones?"
    r"|joints?|vertebra[el]?|soft[ \t]+tissues?)\b",
    re.IGNORECASE,
)
_NOT_A_SITE_LABELS = IMAGING_LABELS | {"STUDY", "RADIOPHARM", "PET", "CT", "OTHER_IMAGING"}
_BEYOND_FIELD = re.compile(r"\b(?:outside|beyond)\s+(?:of\s+)?the\s+$", re.IGNORECASE)
# a sentence reading images: "SPECT/CT images show", "localizes the focus to the facet"
_IMAGES_READ = re.compile(
    r"\b(?:images?|shows?|showed|demonstrat\w*|locali[sz]\w*|confirm\w*|reveal\w*"
    r"|correspond\w*)\b",
    re.IGNORECASE,
)
# a list item's number: "(2)", "2)", "b)"
_ITEM_NUMBER = re.compile(r"\d{1,2}|[a-h]|i{1,3}|iv")
# a word between "with" and the CT it names: "with low-dose pediatric CT"
_CT_MODIFIER = re.compile(r"[a-z]+|-")
# words that join another scan or an earlier one instead: "with arms up and CT", "with the
# prior CT"
_NOT_CT_MODIFIERS = _SCOPE_STOP | {"and", "or", "then", "no", "not", "prior", "previous", "outside"}
# a SPECT named as a field that a site was not in: "T4, T9 (SPECT/CT field: no; planar)",
# "rib lesion (SPECT field - not included)"
_FIELD_NO_AFTER = re.compile(
    r"\s*(?:field(?:\s+of\s+view)?|fov|range|coverage)\s*[:=-]?\s*"
    r"(?:no|none|not\s+(?:included|covered|imaged)|excluded|outside)\b",
    re.IGNORECASE,
)
# the bracket a site's gloss opens with, right after the site: "T6 (", "left 7th rib ("
_GLOSS_OPEN = re.compile(r"\w[ \t]*\([ \t]*$")
# the colon after a label: "PET/CT: ..."
_LABEL_COLON = re.compile(r"[ \t]*:")
# what may open a line before its key: a bullet, a dash, a list number
_LINE_LEAD = re.compile(r"[ \t]*(?:[-*\u2022]|\d{1,2}[.)])?[ \t]*")
# the rest of a key that names images, up to its colon: "whole body images:", "planar views:"
_IMAGES_KEY_END = re.compile(
    r"(?:[ \t]+(?:planar|images?|views?|scans?|imaging|anterior|posterior|and|/))*[ \t]*:",
    re.IGNORECASE,
)
# a blank line, searched for in the reversed text before a mention
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# a dose measured without the images: with a meter at a distance, or from samples
# a paragraph's opening sentence that is a comparison heading run into the text, with no
# verb of its own: "Comparison with the post-therapy imaging of cycles 1 to 3." (not
# "Comparison with the prior study shows ...", which may tell today's values)
_COMPARISON_OPENING = re.compile(
    r"[ \t]*comparison[ \t]+(?:is[ \t]+made[ \t]+)?(?:with|to)\b"
    r"(?:(?!\b(?:shows?|showed|demonstrates?|reveals?|is|are|was|were|has|have)\b)[^.:;\n])"
    r"{1,120}\.(?=\s)",
    re.IGNORECASE,
)
_NON_IMAGING_DOSE = re.compile(
    r"\b(?:exposure|dose)[- ]rates?\b|\bsurvey[- ]meter|\bion(?:ization)?[- ]chamber"
    r"|\b(?:blood|urine)[- ]samples?\b|\bblood[- ]sampling"
    # "lung dose estimated on planar": from the planar images, not from the SPECT data
    r"|\b(?:estimated|calculated|computed|derived|measured)\s+(?:on|from)\s+(?:the\s+)?"
    r"(?:(?:anterior/posterior|ant/post|conjugate[- ]view|geometric[- ]mean)\s+)?planar\b"
    # the conjugate-view method is planar dosimetry by definition (anterior and posterior
    # planar counts): "planar conjugate-view estimates", "conjugate-view kidney dose"
    r"|\bconjugate[- ]views?\b",
    re.IGNORECASE,
)
# a measure of the whole body named right after "whole-body" (up to two words between)
_WB_MEASURE_AFTER = re.compile(
    r"[ \t]+(?:(?!(?:images?|imaging|planar|scans?|sweeps?|views?|survey|and|with|for|at|on"
    r"|to|of|the)\b)[A-Za-z0-9-]+[ \t]+){0,2}?"
    r"(?:tumou?r[ \t]+(?:volumes?|burden|load)|TTV|MTV|TLG|retention|(?:absorbed[ \t]+)?dose)\b",
    re.IGNORECASE,
)
# the first header cell of a table of time points
_TIME_POINT_CELL = re.compile(
    r"(?:imaging\s+|scan\s+)?(?:time[- ]?points?|timepoints?|TPs?|days?|sessions?|scans?)",
    re.IGNORECASE,
)
# a list's heading line: "Planar conjugate-view estimates:" over its "Kidneys: 4.3 Gy" rows
_LIST_HEADING = re.compile(r"[^\n:]{3,80}:[ \t]*$")
# a statement limited to the day just described: "no CT acquired that day"
_THAT_DAY = re.compile(r"\b(?:that|this)\s+(?:day|session|visit)\b", re.IGNORECASE)
# a day of a multi-day study named by its order: "no SPECT was done on the first day", "no
# tomographic imaging at the second visit" (as "on day 1" is)
_ORDINAL_DAY = re.compile(
    r"\b(?:on|at|during)\s+(?:the\s+)?(?:first|second|third|initial|1st|2nd|3rd)\s+"
    r"(?:(?:imaging\s+)?day|visit|session)\b",
    re.IGNORECASE,
)
# whole-body words that name a range ("vertex to feet"): a tomographic scan's range when
# a SPECT or PET is named in the same sentence
_RANGE_WB_IDS = frozenset(
    f"whole_body:{a}-{mid}-{b}"
    for a in ("vertex", "head", "skull")
    for mid in ("to", "through")
    for b in ("feet", "toes", "toe")
) | {"whole_body:head-to-toe-2"}
# a bare "sweep": whole-body planar, unless it is a tomographic scan's ("SPECT/CT sweep")
_SWEEP_IDS = frozenset({"whole_body:sweep", "whole_body:sweeps"})
# the end of a line key's bracketed time: "Planar (48 h):"
_KEY_TIME_CLOSE = re.compile(r"[ \t]*\)[ \t]*")
# a line key's separator: "Planar (48 h): ...", "SPECT (24 h)= ...", "SPECT (4 h) - ..."
_KEY_SEPARATOR = re.compile(r"[:=]|[ \t]-[ \t]")
# a short key opening a header's line ("Findings: Whole body: ...": "Whole body")
_OPENING_KEY = re.compile(r"[ \t]*(?P<key>[^\n:]{1,40}):")
# the seizure phase a brain SPECT is named by: "ictal SPECT", "interictal SPECT"
# the part a SPECT of a two-injection pair is named by, in the words right before it
# ("marrow" names the part only as its study's name: "marrow imaging", "marrow SPECT/CT",
# a "Marrow:" key; a leukocyte finding "similar to marrow", "physiologic marrow uptake"
# compares uptake with the marrow and names no second study)
_COMPANION_PART = re.compile(
    r"\b(?P<baseline>baseline|resting|rest)\b|\b(?P<challenge>acetazolamide|diamox)\b"
    r"|\b(?P<marrow>colloid\b|marrow(?=[\s-]*(?:imaging|images?|scan|scintigra\w*|stud(?:y|ies)"
    r"|spect|tomograph\w*|injection|agent|phase|portion|part|half|acquisition)\b"
    r"|[ \t]*(?::|$)))"
)
_SEIZURE_PHASE = re.compile(r"\b(?:inter-?)?ictal\b")
# the date of one seizure phase, right after its name on the line: "Ictal: 05/09/2022",
# "INTERICTAL STUDY DATE: 01/03/2020", "interictal 23.4 mCi on 5/22" (the words between)
_PHASE_DATE_GAP = re.compile(
    r"(?:(?!\b(?:inter-?)?ictal\b|\b(?:prior|previous|compar\w*|since|last)\b)[^\n.;])*",
    re.IGNORECASE,
)
_PHASE_DATE_REACH = 45
# a dose given: "22 mCi Tc-99m ECD", "925 MBq", "injected"
_INJECTION_DOSE = re.compile(rf"{_ACTIVITY.pattern}|\binject\w*", re.IGNORECASE)
# a date named by the phase in brackets after it: "03/07/2017 (ICTAL), 03/10/2017 (INTERICTAL)"
_PHASE_AFTER_DATE = re.compile(r"[ \t]*\([ \t]*((?:inter-?)?ictal)\b", re.IGNORECASE)
# a line key in front of a date that opens the line: "Bone, 10/02/2023:", "(1) 04/22/2025:",
# "Marrow: 04/06/2022 (the next day)", "Monday:" (the words before the date)
_KEY_BEFORE_DATE = re.compile(
    r"[ \t]*(?:\(?\d{1,2}[.)]|[-*\u2022])?[ \t]*(?:[A-Za-z][A-Za-z-]*[ \t]*){0,3}"
    r"[,:(\-\u2013]?[ \t]*"
)
# keys whose date is when the text was written, no imaging day
_WRITTEN_KEY = re.compile(
    r"\b(?:addend\w*|amend\w*|correct\w*|errat\w*|revis\w*|updat\w*|sign\w*|dictat\w*|report\w*|read|typed|verif\w*"
    r"|prior|previous|comparison|dob|birth)\b",
    re.IGNORECASE,
)
# a sentence that processes SPECT data already acquired (SISCOM): "the ictal and interictal
# SPECT data were coregistered, subtracted, and overlaid on the MRI"
_SPECT_PROCESSING = re.compile(
    r"\b(?:co-?registered|registered|subtracted|subtraction|overlaid|siscom)\b", re.IGNORECASE
)
# the phase word right before a SPECT of one injection: "early SPECT", "blood-pool phase
# SPECT", "early and delayed SPECT/CT" (LABELING.md gold AA: early and delayed SPECT of one
# area on one day are two acquisitions, with or without their times); a bare "blood pool
# SPECT" names a red-cell study, not a phase
_EARLY_SPECT = re.compile(
    r"\b(?:early|immediate|blood[- ]?pool phase)(?P<late> and (?:delayed|late))?\s*$"
)
_LATE_SPECT = re.compile(r"\b(?:delayed|late)\s*$")
# an order or request the "planar only" describes
_ORDER_WORDS = re.compile(r"\b(?:order(?:ed|s)?|request(?:ed|s)?|requisition|referral)\b", re.I)
# a SPECT still to come when a preliminary read was written
_SPECT_PENDING = re.compile(
    r"\b(?:spect|tomograph\w*)\b[^.;)]{0,120}?\b(?:pending|to\s+follow|awaited|not\s+yet\s+"
    r"(?:been\s+)?(?:acquired|performed|done|available|transferred|sent|received|processed)"
    r"|still\s+to\s+(?:come|be\s+acquired))\b",
    re.IGNORECASE,
)
# (and "the study was performed as planar V/Q imaging": done as a planar study instead, with
# no other imaging joined to it)
_PLANAR_ONLY = re.compile(
    r"\bplanar[- ]only\b|\bonly planar\b"
    r"|\b(?:performed|done|acquired|obtained|completed)[ \t]+as[ \t]+(?:an?[ \t]+)?planar\b"
    r"(?![^.;\n]*\b(?:and|plus|with|followed|then)\b[^.;\n]*\b(?:spect|tomograph))",
    re.IGNORECASE,
)
# a sentence closing a technique's list of what was acquired: "No additional imaging.",
# "No further views were obtained." (not advice: "No additional imaging is needed")
_NOTHING_MORE = re.compile(
    r"[ \t]*no[ \t]+(?:additional|further|other|extra|more)[ \t]+"
    r"(?:imaging|images|views|acquisitions?|projections)"
    r"(?:[ \t]+(?:was|were)[ \t]+(?:performed|obtained|acquired|done|taken))?[ \t]*[.;]?[ \t]*",
    re.IGNORECASE,
)
# a SPECT stated as added to the planar study after it: "SPECT/CT of the pelvis was added
# after review of the planar images", "SPECT was subsequently acquired"
_ADDED_LATER = re.compile(
    r"\b(?:was|were)\s+(?:then\s+|subsequently\s+|later\s+|also\s+)?added\b"
    r"|\b(?:subsequently|then|thereafter|afterwards|later)\s+(?:acquired|obtained|performed)\b"
    r"|\b(?:after|following)\s+(?:the\s+)?(?:review|reviewing|inspection)\s+of\s+the\s+"
    r"(?:planar|whole[- ]body|initial)\b",
    re.IGNORECASE,
)
# a number standing on its own: "12.4", "38", not the digits of "L4" or "Lu-177"
_VALUE = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)?(?![\w-])")
# a number that counts a therapy's cycles or a series' steps, no measured value: "cycle 1",
# "cycle 2 of 4", "fraction #3"
_COUNTED = re.compile(
    r"\b(?:cycle|course|fraction|session|treatment|dose|visit)\s*(?:no\.?|#)?\s*\d+"
    r"(?:\s*(?:of|/)\s*\d+)?\b",
    re.IGNORECASE,
)
# how far after a SPECT mention its own tracer is named ("SPECT/CT both knees (In-111
# windows)"), within its clause
_OWN_TRACER_CHARS = 40
_CLAUSE_BREAK = re.compile(r"[;.]\s")
# a number that counts the acquisition's parts, no measured value: "1 bed", "2 bed
# positions", "bed 2", "128 projections"
_PARTS_COUNTED = re.compile(
    r"\b\d+\s*(?:beds?|bed\s+positions?|fields?\s+of\s+view|fovs?|projections|views|stops)\b"
    r"|\b(?:bed|fov)\s*(?:position\s*)?#?\s*\d+\b",
    re.IGNORECASE,
)
# A structured template states the imaging days of its acquisition on a line of their own,
# away from the "Acquisition type: SPECT" line: "Imaging days: Day 1 (48 h), Day 2 (72 h)".
_TEMPLATE_DAYS = re.compile(
    r"^[ \t]*(?:imaging|acquisition|scan(?:ning)?)[ \t]+"
    r"(?:days?|dates?|time[ -]?points?|times?)[ \t]*[:=]",
    re.IGNORECASE | re.MULTILINE,
)
# Lower-case strings of which every match of the pattern contains at least one. A report
# with none of them cannot match, so `_Builder.first` skips the scan of its text (most
# reports: these words are rare). Only used on ASCII text, where `str.lower` and the
# patterns' IGNORECASE agree on every letter.
_SCAN_KEYS: dict[re.Pattern[str], tuple[str, ...]] = {
    _EVERY_TIME_POINT: ("time", "days", "session", "visit"),
    _SAME_AGAIN: ("same", "repeat", "again", "ditto", "above", "likewise", "idem"),
    _BOTH: ("both",),
    _MOTION: ("motion", "reacqui", "re-acqui", "moved", "movement"),
    _ACQ_COUNT: ("acquisitions", "data", "scans", "studies"),
    _DUAL_ISOTOPE: ("dual", "two"),
    _PLANAR_ONLY: ("planar",),
    _ADDED_FIELD: ("2nd", "second", "additional", "another", "extra", "added"),
    _TEMPLATE_DAYS: ("day", "date", "time"),
    _REPEATED: ("repeat", "again", "acquired", "imaged", "scanned"),
}
# by the patterns' ids: a compiled pattern hashes its whole program on every lookup
_SCAN_KEYS_BY_ID = {id(p): keys for p, keys in _SCAN_KEYS.items()}
_AREA_ORDER = {a: i for i, a in enumerate(CANONICAL_AREAS)}
_AXIAL = CANONICAL_AREAS[:5]


@dataclass
class _Sentence:
    start: int  # char offsets
    end: int
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)


# an article right before a date: "the 1/22/19 SPECT"
_ARTICLE_BEFORE = re.compile(r"\bthe[ \t]+$", re.IGNORECASE)
# what joins a SPECT to its own CT: "SPECT of the pelvis with low-dose CT", "SPECT and CT"
_OWN_CT_JOIN = re.compile(
    r"(?:[ \t]+(?:of|the|left|right|bilateral|[a-z]+(?:al|ic|ar)|spine|chest|abdomen|pelvis|"
    r"neck|head|skull|thorax|liver|knees?|feet|foot|hips?|shoulders?|and)\b)*"
    r"[ \t,]*(?:with|plus|\+|&|and)[ \t]+(?:an?[ \t]+|the[ \t]+)?"
    r"(?:(?:low[- ]dose|non-?contrast|localization|localizing|hybrid)[ \t]+)?",
    re.IGNORECASE,
)


@dataclass
class _Timed:
    """The time points attached to one imaging mention."""

    days: set[int] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    hours: set[float] = field(default_factory=set)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    inherited: bool = False  # only the running context, no time of its own
    # the times came from a template's "Imaging days:" line, not the SPECT's own words
    templated: bool = False
    # the date came from a line opened by the study part's name ("Ictal - 03/17/2023 ...")
    line_dated: bool = False


def _distinct_days(dates: Iterable[str]) -> list[str]:
    """`dates` with each calendar day once (`same_day`), in the order first given."""
    out: list[str] = []
    for d in dates:
        if not any(same_day(d, x) for x in out):
            out.append(d)
    return out


@dataclass
class _Scan:
    """The matches of one pattern over the report, with their offsets for bisection.

    `finditer` matches do not overlap, so both offset lists are sorted."""

    starts: list[int]
    ends: list[int]
    hits: list[re.Match[str]]


class FactBuilder:
    """The `spect_facts` component: sets `doc._.facts` (a `StudyFacts`)."""

    def __init__(self, nlp: Language, name: str = "spect_facts") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.facts = build_facts(doc)
        return doc


@Language.factory("spect_facts", requires=["doc._.mentions", "doc._.cues"], assigns=["doc._.facts"])
def make_fact_builder(nlp: Language, name: str) -> FactBuilder:
    return FactBuilder(nlp, name)


# ======================================================================================
def build_facts(doc: Doc) -> StudyFacts:
    b = _Builder(doc)
    return b.build()


class _Builder:
    def __init__(self, doc: Doc, without: tuple[tuple[int, int], ...] = ()) -> None:
        self.doc = doc
        self.text = text_of(doc)
        # evidence quotes the report as given (hard-wrap breaks included: same offsets;
        # where markup, runs of spaces or OCR's "rn" shortened the text, `offsets` maps back)
        self.quoted: str = doc._.source_text or self.text
        self.offsets: OffsetMap | None = doc._.source_offsets
        self.lower_text = self.text.lower()
        self._ascii = self.text.isascii()
        # by the pattern's id (a compiled pattern hashes its whole program on every lookup)
        self._scans: dict[int, tuple[re.Pattern[str], _Scan]] = {}
        # code, charge and billing lines are never evidence of what was done (LABELING.md
        # gold J, AW): their procedure names are no mentions
        coded = code_line_spans(self.text)
        self.mentions: list[Mention] = [
            m
            for m in doc._.mentions or []
            if not any(s <= m.start_char < e for s, e in without)
            and not in_spans(m.start_char, coded)
        ]
        # the report as first written, without its errata (see `_corrected_facts`)
        self.without = without
        # the acquisition sentences that state two dates or more ("Ictal 10/15, interictal
        # 10/17"), set by `attach_times`
        self.date_lines: list[set[str]] = []
        # the dates of lines opened by a study part's name ("Interictal acquisition:
        # 03/14/2023", "Ictal - 03/17/2023 ..."), set by `attach_times`
        self.part_dates: list[str] = []
        # the date of the first injection ("In-111 pentetreotide injected 03/04/2021"), the
        # day 0 that hours count from, set by `attach_times`
        self.injection_date: str | None = None
        self.arrays = arrays_of(doc)
        self.tok_idx: list[int] = self.arrays.idx.tolist()
        self.tok_end: list[int] = self.arrays.end.tolist()
        self.lower = LowerTokens(self.text, self.arrays)
        self.evidence: list[Evidence] = []
        self.sentences = self._sentences()
        self.area_mentions = [m for m in self.mentions if m.label in AREA_LABELS]
        self.sections = SectionIndex(doc._.sections or [])
        self.acquisition_contradiction = False
        self.area_contradiction = False
        # a findings key names a SPECT field the technique does not ("SPECT/CT abdomen:"
        # under the findings of a technique that acquired the chest)
        self.key_area_contradiction = False
        self.ct_purpose_corrected = False
        self.ct_purpose_disputed = False
        self._dos_read: tuple[tuple[dt.date, int, int] | None] | None = None
        self.cardiac_contradiction = False
        # a stress, rest or redistribution part said not done or only planned
        self.cardiac_part_denied = False
        self.quant_retracted = False

    # -- structure ---------------------------------------------------------------------
    def _sentences(self) -> list[_Sentence]:
        starts = self.arrays.sent_starts
        out: list[_Sentence] = []
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else len(self.doc)
            if s >= e:
                continue
            out.append(_Sentence(self.tok_idx[s], self.tok_end[e - 1]))
        for m in self.mentions:
            if 0 <= m.sent < len(out):
                out[m.sent].mentions.append(m)
        times = find_times(self.text)
        si = 0
        for t in times:
            while si < len(out) and out[si].end <= t.start:
                si += 1
            if si < len(out) and out[si].start <= t.start:
                out[si].times.append(t)
        return out

    def _sentence_of(self, m: Mention) -> _Sentence | None:
        return self.sentences[m.sent] if 0 <= m.sent < len(self.sentences) else None

    def _sentence_at(self, offset: int) -> _Sentence | None:
        return next((x for x in self.sentences if x.start <= offset < x.end), None)

    def _ev(
        self,
        fact: str,
        start: int,
        end: int,
        section: str,
        value: str | None = None,
        context: str | None = None,
        cue: str | None = None,
    ) -> None:
        start, end = self._source(start), self._source(end)
        self.evidence.append(
            Evidence(fact, self.quoted[start:end], start, end, section, value, context, cue)  # type: ignore[arg-type]
        )

    def _ev_m(self, fact: str, m: Mention, value: str | None = None) -> None:
        self._ev(fact, m.start_char, m.end_char, m.section, value, m.context, m.cue)

    def _section_at(self, offset: int) -> str:
        return self.sections.label_at(offset)

    # -- the facts ---------------------------------------------------------------------
    def build(self) -> StudyFacts:
        study_type = self.study_type()
        spect_asserted, spect_aborted, spect_contradiction = self.spect_status()
        has_spect = bool(spect_asserted)
        timed = self.attach_times()
        for m in spect_asserted:
            if m.context == "recommended":
                # a plan its rows report carried out: acquired on the rows' days
                timed[id(m)] = self._plan_row_times(m)
        if study_type in _OWN_PLANAR_CODES and has_spect:
            study_type = self._spect_study_over_planar(study_type)
        ct_acquired, ct_contradiction = (
            self.ct_status(spect_asserted, timed) if has_spect else (False, False)
        )

        planar_mentions = [
            m
            for m in self.mentions
            if m.label in PLANAR_LABELS
            and m.asserted
            and m.section in BODY_SECTIONS | {"header"}
            # "PET/CT, vertex to toes": the range of a tomographic scan, no planar imaging
            and (m.pattern_id not in _RANGE_WB_IDS | _SWEEP_IDS or self._is_planar_wb(m))
            # "SPECT/CT from the skull base to mid-thigh (replaces the planar whole-body
            # sweep)": the planar imaging the tomographic scan was done instead of
            and not _REPLACES_BEFORE.search(self.text, max(0, m.start_char - 40), m.start_char)
            and not self._reported_apart(m)
        ]
        planar_only = self._planar_only_statement()
        wb = [m for m in planar_mentions if m.label == "WHOLE_BODY" and self._is_planar_wb(m)]
        body_wb = [m for m in wb if m.section != "header"]
        if (
            any(m.label == "WHOLE_BODY" and m.context == "negated" for m in self.mentions)
            and not body_wb
        ):
            wb = []
        elif body_wb:
            wb = body_wb

        self._nothing_done = self._study_not_performed()
        if self._nothing_done:
            study_type = "out_of_scope"
            spect_asserted, has_spect = [], False
        if not has_spect and self._pet_study():
            study_type = "out_of_scope"
        if (
            study_type in _OWN_PLANAR_CODES
            and not has_spect
            and not (
                study_type == "brain"
                and (self._thallium_brain_tumor() or not (planar_mentions or planar_only))
            )
        ):
            # planar DMSA, V/Q, cisternography, MUGA, brain flow: own codes outside the
            # policy's tables (a planar thallium brain-tumor study is a tumor study; a
            # brain study naming no planar views is not read as planar only here)
            study_type = "out_of_scope"
        if study_type == "liver" and not has_spect and self._colloid_liver():
            # planar liver-spleen colloid imaging has its own codes too (LABELING.md);
            # its SPECT is a family study
            study_type = "out_of_scope"
        if not has_spect and self._adrenal_cortical():
            # planar adrenal cortical imaging (NP-59) has its own adrenal code outside the
            # policy's tables, like planar DMSA; with SPECT it is a family study (LABELING.md)
            study_type = "out_of_scope"
        if study_type in ("liver", "other") and self._damaged_rbc() and not self._colloid_liver():
            # heat-damaged red cells image the spleen, not the liver: its SPECT is a family
            # study (the legacy 78803 before 2020, not the liver code), and planar-only
            # spleen imaging has its own code, like planar liver-spleen colloid imaging
            study_type = "other" if has_spect else "out_of_scope"
        if study_type == "out_of_scope" and not self._nothing_done:
            # one document, two studies (a renogram and a DMSA SPECT, a PET/CT and a
            # perfusion SPECT): the in-scope study is the one to code
            study_type = self._in_scope_study(has_spect) or study_type
        study_type = self._tracer_led(study_type, has_spect)
        # the CT's purpose is read against the study type as settled: a perfusion SPECT
        # reported beside a PET/CT viability study is the perfusion study, whose
        # attenuation CT is routine (LABELING.md), not the "out of scope" of the PET
        ct_purpose = self.ct_purpose(study_type) if ct_acquired else None

        contradictions: list[str] = []
        if spect_contradiction:
            contradictions.append("SPECT is described as performed and as not performed")
        if ct_contradiction:
            contradictions.append("the CT is described as acquired and as not acquired")
        if self.ct_purpose_corrected:
            contradictions.append(
                "the CT is described as reviewed and as for attenuation correction only"
            )
        if self.ct_purpose_disputed:
            contradictions.append(
                "the CT is described as for attenuation correction only and as reviewed"
            )
        modality: str
        implied_spect = False
        if study_type == "out_of_scope":
            modality = "none"
            has_spect = False  # the SPECT fields describe in-scope SPECT only
            ct_purpose = None
        elif has_spect:
            modality = "spect_ct" if ct_acquired and ct_purpose != "attenuation" else "spect"
        elif self._implied_perfusion_spect(study_type, bool(planar_mentions or planar_only)):
            # "Stress-only MPI (Lexiscan/tetrofosmin): normal": a perfusion study that names
            # no acquisition at all is the tomographic one; planar perfusion imaging is the
            # exception and is said
            modality = "spect"
            implied_spect = True
            named = next(
                m for m in self.mentions if m.label in ("RADIOPHARM", "STUDY") and m.asserted
            )
            # "MPI (stress only). SPECT/CT camera: ... a calcium-score CT of the heart, read
            # by cardiology": the implied perfusion SPECT's own CT, acquired and read for
            # anatomy, makes it SPECT/CT as a named SPECT's would (LABELING.md GAE-006)
            # (a CT for attenuation only leaves it a SPECT, as before: its evidence is dropped)
            evidence_mark = len(self.evidence)
            implied_ct, implied_ct_disputed = self.ct_status([], timed)
            if implied_ct and not implied_ct_disputed:
                ct_purpose = self.ct_purpose(study_type)
                if ct_purpose != "attenuation":
                    modality = "spect_ct"
            if modality != "spect_ct":
                ct_purpose = None
                del self.evidence[evidence_mark:]
            self._ev_m("modality", named, modality)
        elif planar_mentions or planar_only or self._implicit_planar(study_type):
            modality = "planar"
        else:
            modality = "none"
        for m in spect_asserted:
            self._ev_m("modality", m, modality)

        areas: tuple[str, ...] = ()
        denied_day = False
        single_fov = False
        acquisitions = spect_days = area_count = None
        if has_spect:
            areas = self.spect_areas(spect_asserted, study_type)
            if len(areas) >= 2 and self._single_fov(spect_asserted, areas, timed):
                single_fov = True
            area_count = 1 if single_fov else max(1, len(areas))
            spect_timed = [timed[id(m)] for m in spect_asserted if id(m) in timed]
            if any(m.section != "header" and id(m) in timed for m in spect_asserted):
                # "Protocol: SPECT/CT at 4 h and 24 h" over a technique whose SPECT/CT is
                # timed at 24 h only: the protocol's time points are the plan, the body's
                # what was acquired
                spect_timed = [
                    timed[id(m)]
                    for m in spect_asserted
                    if id(m) in timed and not self._on_protocol_line(m)
                ]
            own_times = {
                id(timed[id(m)])
                for m in spect_asserted
                if id(m) in timed
                and self._title_section(m) != "header"
                and not timed[id(m)].inherited
                and (timed[id(m)].days or timed[id(m)].dates)
            }
            if own_times:
                # "I-123 MIBG SCAN, 24 AND 48 HOUR, WITH SPECT" over "24 hr whole body
                # images, followed by SPECT of the abdomen": the title's time points are the
                # study's (its planar images' too); the SPECT the body times says which of
                # them had SPECT. A title naming its days ("SPECT/CT (two-day)") says the
                # SPECT's own, as a worksheet's ticked "[X] SPECT" on a dated row records it
                # A headerless report's first sentence ("Ga-67 SPECT of the chest on
                # 03/02/2021 at 48 h.") is read as a header too: times it ties to the SPECT
                # with "at" / "on" are acquisitions, not a title's list
                kept = own_times | {
                    id(timed[id(m)])
                    for m in spect_asserted
                    if id(m) in timed
                    and (self._ticked_option(m) or self._times_stated_at(timed[id(m)]))
                }
                spect_timed = [t for t in spect_timed if id(t) in kept or not (t.hours or t.dates)]
            planned = {
                id(timed[id(m)])
                for m in spect_asserted
                if id(m) in timed and self._on_plan_key_line(m)
            }
            if planned and any(id(t) not in planned for t in spect_timed):
                # "Planned time points: 4 h, 24 h, day 5 (SPECT/CT)" then a line for each
                # time point acquired: the plan's times are not acquisitions, so a planned
                # one stated as not acquired contradicts nothing (LABELING.md gold T)
                spect_timed = [t for t in spect_timed if id(t) not in planned]
            # "Day 1: ... Lumbar SPECT was begun but stopped. Day 2: SPECT/CT completed": a
            # try stopped part-way on a day before every SPECT stating its day is imaging of
            # its own day, the day it runs under (LABELING.md gold P: completed on a later
            # day, multi-day with review); a stopped SPECT told after a later time point is
            # the earlier SPECT told again
            tried = {
                id(timed[id(m)])
                for m in spect_asserted
                if m.context == "aborted" and id(m) in timed
            }
            stated = {
                d for t in spect_timed if not t.inherited and id(t) not in tried for d in t.days
            }
            spect_timed = [
                dataclasses.replace(t, inherited=False)
                if id(t) in tried
                and t.inherited
                and t.days
                and stated
                and max(t.days) < min(stated)
                else t
                for t in spect_timed
            ]
            spect_timed = self._with_first_read_day(spect_asserted, spect_timed, timed)
            spect_timed, denied_day = self._without_denied_times(spect_timed, timed)
            spect_days = self._count_days(spect_timed, "spect_day")
            acquisitions = self.acquisitions(spect_asserted, timed)
            kept = {id(t) for t in spect_timed}
            parted = self.part_days(
                [m for m in spect_asserted if id(m) not in timed or id(timed[id(m)]) in kept],
                timed,
            )
            if parted is not None and parted > spect_days:
                spect_days = parted
            if self._addendum_removes_area(areas):
                contradictions.append(
                    "an addendum says an area of the SPECT was imaged on planar images only"
                )
            if self.acquisition_contradiction:
                contradictions.append(
                    "a ventilation SPECT is described as performed and as not performed"
                )
            if self.area_contradiction:
                contradictions.append("a SPECT area is described as imaged and as not imaged")
            if self.key_area_contradiction:
                contradictions.append(
                    "a findings subheader names a SPECT field the technique does not"
                )
        elif implied_spect:
            areas = DEFAULT_AREAS[study_type]
            area_count = acquisitions = spect_days = 1

        # a bone scan's whole-body images beside the study's own whole body of another
        # tracer (octreotide at 4 and 24 h, then MDP at 3 h): each is coded (policy sections
        # 4 and 5; LABELING.md, two studies in one report), and the family's whole-body days
        # are the other tracer's only
        bone_beside = self.whole_body_bone_beside(wb, study_type)
        own_wb = [m for m in wb if not any(m is b for b in bone_beside)]
        wb_days = (
            self._count_days([timed[id(m)] for m in own_wb if id(m) in timed], "whole_body_day")
            if wb
            else None
        )
        for m in wb:
            self._ev_m("whole_body_planar", m)
        wb_bone = self.whole_body_bone(wb, study_type)
        limited = [m for m in planar_mentions if m.label != "WHOLE_BODY"]
        planar_areas = self.planar_areas(limited) if modality == "planar" and not wb else ()
        planar_days = (
            self._count_days(
                [timed[id(m)] for m in planar_mentions if id(m) in timed], "planar_day"
            )
            if planar_mentions
            else None
        )
        flow = any(
            m.label == "FLOW" and m.asserted and m.section in BODY_SECTIONS | {"header"}
            for m in self.mentions
        )
        if flow and self._flow_denied():
            flow = False  # "the flow phase was not captured": named, never acquired
        flow_withdrawn = self._correction_denies_flow()
        if flow_withdrawn:
            # "CORRECTED REPORT: dynamic flow images were NOT acquired; the original's
            # 'arterial phase flow images' was template text": the correction's word on the
            # flow study is final, and it changed what the first issue said was performed
            flow = False
        three_phase = self.three_phase(study_type) and not flow_withdrawn
        quant = self.quantification() if has_spect else False
        cardiac = self.cardiac_studies() if study_type == "myocardial_perfusion" else None
        if (
            cardiac is not None
            and has_spect
            and (spect_days or 0) >= 2
            and not self.cardiac_part_denied
        ):
            # perfusion imaged on two days (dated or timed acquisitions, not a protocol's
            # name) is two injections and two studies, whatever each is called ("baseline
            # rest" and "nitrate-enhanced rest"; LABELING.md); a day whose part was
            # cancelled is no study
            cardiac = max(cardiac, 2)
        if (
            study_type == "myocardial_perfusion"
            and (has_spect or implied_spect)
            and (cardiac or 0) >= 2
            and not self.cardiac_part_denied
            and self._two_day_perfusion()
        ):
            # a two-day perfusion study with both its studies done imaged on both days
            # (LABELING.md: a 2-day protocol with SPECT both days is 2); one whose other
            # day was cancelled had SPECT on one day
            spect_days = max(spect_days or 1, 2)
        # the date the report's own convention reads ("DATE: 03/04/2021" under British
        # day-first dates elsewhere); comparisons with time points keep `_stated_dos`,
        # read month first like them
        dos = day_first_dos(self.text, self._stated_dos()) or find_over_read_dos(self.text)
        if dos is not None:
            self._ev("dos", dos[1], dos[2], self._section_at(dos[1]), dos[0].isoformat())
        tracers = self.tracers()
        if denied_day:
            contradictions.append("a SPECT time point is described as performed and as cancelled")
        if self.quant_retracted and not quant:
            # an addendum withdrawing the reported SUVs corrects a service the report said was
            # performed (decisions for gold AQ, like gold G)
            contradictions.append("an addendum withdraws the reported quantification")
        if quant and _QUANT_DENIED.search(self.text):
            # the dictated measurement is coded, the macro's flat denial reviewed (grey zone 5)
            contradictions.append("quantification is described as performed and as not performed")
        if self.cardiac_contradiction:
            contradictions.append("a ticked stress or rest field disagrees with the study done")
        performed = (modality, area_count, spect_days, wb_days, cardiac)
        if not self.without and (
            flow_withdrawn
            or self._corrected_facts(performed)
            or self._superseded_differs(modality, areas)
            or self._addendum_adds_acquisition(performed)
        ):
            contradictions.append("an erratum or corrected report changes what was performed")
        for c in contradictions:
            self.evidence.append(Evidence("contradiction", "", 0, 0, "other", c))
        evidence = tuple(sorted(self.evidence, key=lambda e: (e.start, e.fact)))
        return StudyFacts(
            modality=modality,  # type: ignore[arg-type]
            ct_purpose=ct_purpose,  # type: ignore[arg-type]
            areas=areas,
            area_count=area_count,
            single_field_of_view=single_fov,
            acquisitions=acquisitions,
            spect_days=spect_days,
            spect_aborted=has_spect and spect_aborted,
            whole_body_planar=bool(wb),
            whole_body_days=wb_days,
            whole_body_bone=wb_bone,
            whole_body_bone_beside=bool(bone_beside),
            planar_areas=planar_areas,
            planar_days=planar_days,
            flow_imaging=flow,
            three_phase=three_phase,
            quantification=quant,
            cardiac_studies=cardiac,
            radiopharmaceuticals=tracers,
            study_type=study_type,  # type: ignore[arg-type]
            dos=dos[0] if dos else None,
            dos_source="text" if dos else None,
            contradictions=tuple(contradictions),
            evidence=evidence,
        )

    def _reported_apart(self, m: Mention) -> bool:
        """Does the rest of the sentence of `m` send its images to another report ("the
        Tc-99m MDP whole-body scan of Monday is reported separately")?"""
        s = self._sentence_of(m)
        return (
            s is not None and _SCAN_REPORTED_APART.search(self.text, m.end_char, s.end) is not None
        )

    # -- whole-body planar ------------------------------------------------------------
    def whole_body_bone(self, wb: list[Mention], study_type: str) -> bool:
        """Are the whole-body planar images bone imaging? A bone study's are. Beside a
        study of another family (a gallium or leukocyte SPECT, a tumor tracer) they are
        when each was made with the bone tracer ("Bone: Tc-99m MDP, whole-body images at
        3 h"; "Part 1: Tc-99m MDP IV. Whole-body images at 3 h") and the document names
        the other study's tracer too: a DPD or HMDP amyloid study's sweep, with no other
        tracer, is that study's own (LABELING.md, gold H)."""
        if not wb or study_type == "out_of_scope":
            return False
        made_with = [self._whole_body_tracer(m) for m in wb]
        bone = [x for x in made_with if x is not None and x[1] == "bone"]
        if study_type != "bone" and (
            len(bone) < len(wb)
            or not any(
                x.label == "RADIOPHARM"
                and x.asserted
                and x.hint not in (None, "bone")
                and x.section not in ("history", "comparison")
                for x in self.mentions
            )
        ):
            return False
        for x, family in bone:
            self._ev_m("whole_body_bone", x, family)
        return True

    def whole_body_bone_beside(self, wb: list[Mention], study_type: str) -> list[Mention]:
        """The whole-body images of a bone scan reported beside a study of another family
        whose own whole-body images were made with its own tracer ("Octreotide: whole-body
        planar at 4 h and 24 h ... Bone scan: MDP, whole-body at 3 h"): two whole-body
        blocks, each coded (LABELING.md, two studies in one report). Only when some of the
        whole-body images were made with the bone tracer and some with the other study's
        tracer; all of them bone-made is `whole_body_bone`. Own-code studies get no
        whole-body companion, so none is looked for beside them."""
        if not wb or study_type in ("bone", "out_of_scope", *OWN_CODE_STUDIES):
            return []
        made_with = [(m, self._whole_body_tracer(m)) for m in wb]
        bone = [m for m, x in made_with if x is not None and x[1] == "bone"]
        other = [m for m, x in made_with if x is not None and x[1] not in ("bone", "out_of_scope")]
        if not bone or not other:
            return []
        for _, x in made_with:
            if x is not None and x[1] == "bone":
                self._ev_m("whole_body_bone_beside", x[0], "bone")
        return bone

    def _whole_body_tracer(self, m: Mention) -> tuple[Mention, str] | None:
        """What the whole-body images of `m` were made with, and its study family: the
        study named with them ("whole-body bone scan"), else the tracer before
        them in their sentence, else the first after them there ("whole-body images 3 h
        after Tc-99m MDP"), else the last one earlier on their line (a part's injection
        sentence before them)."""
        for x in self.mentions:
            if (
                x.label == "STUDY"
                and x.asserted
                and x.value == "bone"
                and m.start_char <= x.start_char <= m.end_char + 1
                and x.end_char > m.end_char
            ):
                return x, "bone"
        tracers = [x for x in self.mentions if x.label == "RADIOPHARM" and x.hint and x.asserted]
        in_sentence = [x for x in tracers if x.sent == m.sent]
        before = [x for x in in_sentence if x.end_char <= m.start_char]
        # "(1) bone SPECT/CT, lumbar spine, with whole-body planar; (2) Ga-67 SPECT/CT": the
        # bone study named earlier in the same list item, past no tracer of another
        named = [
            x
            for x in self.mentions
            if x.label == "STUDY"
            and x.asserted
            and x.value == "bone"
            and x.sent == m.sent
            and x.end_char <= m.start_char
            and ";" not in self.text[x.end_char : m.start_char]
            and not any(x.end_char <= t.start_char for t in before)
        ]
        if named:
            return named[-1], "bone"
        line_start = self.text.rfind("\n", 0, m.start_char) + 1
        on_line = [x for x in tracers if line_start <= x.start_char < m.start_char]
        found = before[-1:] or in_sentence[:1] or on_line[-1:]
        return (found[0], str(found[0].hint)) if found else None

    # -- study type --------------------------------------------------------------------
    def study_type(self) -> str:
        scores: dict[str, float] = defaultdict(float)
        # the study's own names and tracers outside the history and comparison: "a bone
        # scan with SPECT/CT in 2022" there names a past study, and a clinical question
        # ("lymphoma restaging") names no study, so neither makes a second study here
        current: dict[str, float] = defaultdict(float)
        best_ev: dict[str, Mention] = {}
        for m in self.mentions:
            if m.label == "STUDY":
                # clinical questions ("osteomyelitis?", "lymphoma") weigh less than the study's name
                st, weight = m.value, float(m.weight or 1.0)
            elif m.label == "RADIOPHARM" and m.hint:
                st, weight = m.hint, 2.0
            elif m.label == "THREE_PHASE" and m.asserted:
                st, weight = "bone", 1.0
            else:
                continue
            # the study ordered is the study done; past, refused and suggested ones are not
            if m.context in ("historical", "negated") or st is None:
                continue
            if m.context == "recommended" and not _ORDER_CUE.search(str(m.cue_id)):
                continue
            if st != "out_of_scope" and self._names_pet(m):
                # "reviewed alongside the PSMA PET/CT": the tracer of another study, a PET
                continue
            section_weight = SECTION_WEIGHT.get(m.section, 1.0)
            if m.label == "RADIOPHARM":
                section_weight = max(section_weight, 1.0)  # the tracer names the study anywhere
            w = weight * section_weight
            if w <= 0:
                continue
            scores[st] += w
            if m.section not in ("history", "comparison") and weight >= 1.0:
                current[st] += w
            if st not in best_ev or SECTION_WEIGHT.get(m.section, 0) > SECTION_WEIGHT.get(
                best_ev[st].section, 0
            ):
                best_ev[st] = m
        self.study_scores = dict(scores)
        self.current_scores = dict(current)
        if not scores:
            neck = self._sestamibi_neck_imaging()
            if neck is None:
                return "other"
            self._ev_m("study_type", neck, "parathyroid (sestamibi images of the neck)")
            return "parathyroid"
        top = max(scores.values())
        chosen = next(st for st in STUDY_PRIORITY if scores.get(st, 0) == top)
        tracers = self._tracers
        # gallium images infection and lymphoma alike: the clinical question decides
        if chosen == "infection" and "Ga-67 citrate" in tracers and scores.get("tumor", 0) > 0:
            indication = any(
                m.label == "STUDY"
                and m.value == "infection"
                and m.asserted
                and not re.search(r"gallium|ga-67|67ga|67-ga", m.pattern_id)
                for m in self.mentions
            )
            if not indication:
                chosen = "tumor"
        if chosen == "lung_vq" and _MAA in tracers and self._maa_hepatic_arterial():
            # the tracer's route decides: its mention is the evidence
            chosen = "tumor"
            best_ev[chosen] = self._tracer_mention(_MAA)
        # A cardiac amyloid study with a bone-seeking tracer is not a bone study.
        if chosen == "bone" and (
            scores.get("other", 0) >= 2.0
            or self._cardiac_titled_bone()
            or self._graded_cardiac_uptake()
        ):
            chosen = "other"
        if chosen in best_ev:
            self._ev_m("study_type", best_ev[chosen], chosen)
        return chosen

    def _tracer_led(self, study_type: str, has_spect: bool) -> str:
        """The final study type once the tracer has its say, applied once to the study
        chosen (by name or beside an out-of-scope study such as a PET in an MDT summary):

        - thallium images no cerebral perfusion or dopamine transporter: a thallium brain
          SPECT is a tumor study of the head (LABELING.md, gold T to X), unless a brain
          tracer of its own is named beside it;
        - "MAA ... SPECT/CT of the liver" before Y-90 maps tumor perfusion: a family
          study (before 2020 the legacy 78803), not the liver code;
        - sestamibi images no renal cortex: a sestamibi kidney SPECT characterizes a renal
          mass, a tumor study (before 2020 the legacy 78803, not the kidney code).
        """
        if study_type == "brain" and self._thallium_brain_tumor():
            led, tracer = "tumor", "Tl-201"
        elif study_type == "liver" and has_spect and self._maa_liver_perfusion():
            led, tracer = "tumor", _MAA
        elif study_type == "kidney" and self._sestamibi_kidney():
            led, tracer = "tumor", _SESTAMIBI
        elif study_type == "liver" and has_spect and (y90 := self._y90_liver()) is not None:
            self._ev_m("study_type", y90, f"tumor ({study_type} imaging of Y-90)")
            return "tumor"
        else:
            return study_type
        self._ev_m(
            "study_type",
            self._tracer_mention(tracer),
            f"{led} ({study_type} imaging with this tracer)",
        )
        return led

    def _y90_liver(self) -> Mention | None:
        """The name of Y-90 radioembolization given in this study ("Y-90 SIR-SPHERES
        BREMSSTRAHLUNG SPECT/CT"), in a liver SPECT with no liver tracer (colloid, red
        cells) of its own: the SPECT images the microspheres' distribution, a family study
        (before 2020 the legacy 78803), not liver imaging (LABELING.md, GAS-005). A Y-90
        treatment named only in the history of a colloid or red-cell study changes
        nothing."""
        if self._tracers & {_COLLOID, "Tc-99m RBC"}:
            return None
        return next(
            (
                m
                for m in self.mentions
                if m.label == "STUDY"
                and m.pattern_id in _Y90_STUDY
                and m.asserted
                and m.section not in ("history", "comparison")
            ),
            None,
        )

    def _tracer_mention(self, value: str) -> Mention:
        """The first mention of a radiopharmaceutical named as given in this study (called
        only once `_tracers` holds it)."""
        return next(
            m for m in self.mentions if m.label == "RADIOPHARM" and m.value == value and m.asserted
        )

    @functools.cached_property
    def _tracers(self) -> frozenset[str]:
        """The radiopharmaceuticals named as given in this study (the mentions are fixed
        once the builder is made)."""
        return frozenset(
            str(m.value) for m in self.mentions if m.label == "RADIOPHARM" and m.asserted
        )

    def _thallium_brain_tumor(self) -> bool:
        """Is a brain study a thallium one with no brain tracer of its own named beside
        it? Thallium images no cerebral perfusion or dopamine transporter: it is a tumor
        study of the head."""
        return "Tl-201" in self._tracers and not any(
            m.label == "RADIOPHARM" and m.hint == "brain" and m.asserted for m in self.mentions
        )

    def _sestamibi_kidney(self) -> bool:
        """Is a kidney study a sestamibi one with no renal tracer of its own named beside
        it?"""
        return _SESTAMIBI in self._tracers and not any(
            m.label == "RADIOPHARM" and m.hint == "kidney" and m.asserted for m in self.mentions
        )

    def _maa_hepatic_arterial(self) -> bool:
        """Was the MAA given into the hepatic arteries ("via the right hepatic artery",
        "at hepatic angiography"), with no ventilation agent beside it? That is a liver
        perfusion / lung shunt study before radioembolization, a family study
        (LABELING.md gold H, W), not lung perfusion imaging."""
        if any(
            m.label == "RADIOPHARM" and m.hint == "lung_vq" and m.value != _MAA and m.asserted
            for m in self.mentions
        ):
            return False
        for hit in _HEPATIC_ARTERIAL.finditer(self.text):
            sent = self._sentence_at(hit.start())
            if sent is None or self._section_at(hit.start()) in ("history", "comparison"):
                continue
            if _ARTERY_DISEASE.match(self.text, hit.end()):
                continue
            if _ROUTE.search(self.text, sent.start, sent.end) or any(
                m.label == "RADIOPHARM"
                and m.value == _MAA
                and sent.start <= m.start_char < sent.end
                for m in self.mentions
            ):
                return True
        return False

    def _maa_liver_perfusion(self) -> bool:
        """Is a liver SPECT one of hepatic arterial MAA, with no liver tracer (colloid, red
        cells) of its own? MAA maps the arterial perfusion of liver tumors before
        radioembolization: a family study, not liver imaging (LABELING.md gold H, BC)."""
        tracers = self._tracers
        return _MAA in tracers and not tracers & {_COLLOID, "Tc-99m RBC"}

    def _cardiac_titled_bone(self) -> bool:
        """A bone-seeking tracer in a title that names the heart ("DPD CARDIAC
        SCINTIGRAPHY", "HMDP heart scan"): the protocol is a cardiac amyloid study, even
        when the report finds no cardiac uptake and so never says "amyloid" with weight.
        A bone scan's title names the skeleton, not the heart, so incidental myocardial
        uptake in its findings does not move it."""
        header = [m for m in self.mentions if m.section == "header" and m.asserted]
        return any(m.label == "RADIOPHARM" and m.hint == "bone" for m in header) and any(
            m.label == "AREA" and m.pattern_id in ("area:cardiac", "area:heart", "area:myocardium")
            for m in header
        )

    def _sestamibi_neck_imaging(self) -> Mention | None:
        """The neck named in a sentence of this study's images ("Planar neck and chest at
        15 min and 2.5 h, with pinhole views of the neck"), in a sestamibi study that names
        no study at all: sestamibi images of the neck are a parathyroid study (policy 6),
        though a trial's report may never write "parathyroid" (its protocol name says
        "PTH"). Called only when nothing names a study, so a stress test, a breast or a
        kidney study, which name themselves, never comes here."""
        if _SESTAMIBI not in self._tracers:
            return None
        kept = [
            m for m in self.mentions if m.asserted and m.section not in ("history", "comparison")
        ]
        imaged = {m.sent for m in kept if m.label in IMAGING_LABELS}
        return next(
            (m for m in kept if m.label == "AREA" and "neck" in m.areas and m.sent in imaged),
            None,
        )

    def _graded_cardiac_uptake(self) -> bool:
        """A bone-seeking tracer study whose read grades the heart's uptake on a cardiac
        amyloid scale (a Perugini grade, a heart-to-contralateral ratio) and that names no
        bone scan as itself: the grade is what the study was done for, a cardiac amyloid
        study (LABELING.md gold H), even when the read says "amyloid" once or not at all
        (a core-lab "Perugini grade 2, unchanged"). A bone scan that notes incidental
        myocardial uptake names itself a bone scan, so a grade in its findings does not
        move it; grades of a past study or a recommended one do not count."""
        kept = [
            m for m in self.mentions if m.asserted and m.section not in ("history", "comparison")
        ]
        if any(m.label == "STUDY" and m.value == "bone" for m in kept):
            return False
        return any(m.label == "RADIOPHARM" and m.hint == "bone" for m in kept) and any(
            m.pattern_id in _CARDIAC_AMYLOID_GRADES for m in kept
        )

    def _names_pet(self, m: Mention) -> bool:
        """Is `m` the tracer word of a PET named right after it ("PSMA PET/CT", "DOTATATE
        PET")?"""
        return any(
            p.label == "PET"
            and p.sent == m.sent
            and m.end_char <= p.start_char <= m.end_char + 2
            and not self.text[m.end_char : p.start_char].strip(" -")
            for p in self.mentions
        )

    def _pet_3d(self, m: Mention) -> bool:
        """A bare "3D" on a PET's line ("PET: 6 bed positions, 3D TOF") says how the PET
        was acquired, not that a SPECT was: the line names a PET before it and no SPECT."""
        if m.pattern_id != "spect:3d":
            return False
        line_start, line_end = line_at(self.text, m.start_char)
        return any(
            p.label == "PET" and line_start <= p.start_char < m.start_char for p in self.mentions
        ) and not any(
            o.label in SPECT_LABELS
            and o.pattern_id != "spect:3d"
            and line_start <= o.start_char < line_end
            for o in self.mentions
        )

    # -- SPECT performed? --------------------------------------------------------------
    def spect_status(self) -> tuple[list[Mention], bool, bool]:
        """The SPECT mentions that show SPECT was performed, whether it was aborted, and
        whether the report contradicts itself about it.

        The exam title counts only when nothing in the body says otherwise ("ORDER: ...
        WITH SPECT/CT" + "Planar imaging only" is planar only, and not a contradiction).
        When the body both asserts and denies SPECT, the statement that it was not done
        wins (it is the more specific one: an addendum's correction, the technique's "no
        SPECT was performed") and the report is flagged for review. The exception is a flat
        stock denial beside a dictated sentence of the same technique naming the area of a
        SPECT performed (`_stock_denial_outweighed`): flagged, coded by the dictated text.
        """
        spect = [m for m in self.mentions if m.label in SPECT_LABELS and not self._pet_3d(m)]
        # "(1) Lymphoscintigraphy with SPECT/CT ... (2) Bone scan with SPECT/CT": the SPECT of
        # an out-of-scope part is that study's, not the in-scope study's (LABELING.md gold BG)
        spect = [m for m in spect if not self._in_out_of_scope_part(m)] or spect
        # the fields of a PACS metadata block above the dictation ("Protocol Name: 3PHASE +
        # SPECT HIP", a series list) name what was scheduled and how the archive labels it:
        # read as the title, never a second statement against the dictation (gold CZ)
        body = [
            m
            for m in spect
            if m.section in BODY_SECTIONS
            and (m.context in (None, "aborted") or self._plan_carried_out(m))
            and not self._in_metadata(m)
        ]
        title = [
            m
            for m in spect
            if self._title_section(m) == "header" and m.context in (None, "aborted")
        ]
        negated = [m for m in spect if m.context == "negated" and self._status_negation(m)]
        global_neg = [m for m in negated if not self._qualified(m)]
        if body and not title and self._compared_spect_read(body, spect):
            body = []
        if body:
            # an unticked form option ("[ ] SPECT   [x] SPECT/CT") is not a denial
            # (nor is an unfilled field: "SPECT: ***")
            # (nor is a field left at its default: "SPECT/CT: N/A", LABELING.md gold Q)
            global_neg = [
                m
                for m in global_neg
                if not EMPTY_BOX.match(str(m.cue)) and m.cue_id not in DEFAULT_VALUE_CUES
            ]
            # "SPECT was deferred: ... SPECT acquired the following morning": postponed, then
            # done (a deferral that nothing later reports as done stays a denial); so is a
            # SPECT not acquired (the scanner down) that an addendum reports acquired later
            global_neg = [
                m
                for m in global_neg
                if not any(
                    self._done_later(m, b)
                    and ("deferred" in str(m.cue_id) or b.section == "addendum")
                    for b in body
                )
            ]
            # "Bone: ... MDP ... No SPECT with the bone scan. Gallium: ... Ga-67 ... SPECT/CT":
            # a denial in the line of one tracer leaves the SPECT of another tracer standing
            global_neg = [m for m in global_neg if not self._other_tracer_denial(m, body)]
            # "PART 1 - THREE-PHASE BONE ... No SPECT for the bone portion." then "PART 2 -
            # In-111 LEUKOCYTES ... SPECT/CT of both feet": the denial names its part
            global_neg = [m for m in global_neg if not self._other_part_denial(m, body)]
            # "Day 1: ... no SPECT projections were acquired." then "Day 2: SPECT/CT pelvis":
            # a denial on a line its day labels leaves the SPECT of another day standing
            global_neg = [m for m in global_neg if not self._other_day_denial(m, body)]
            if any(b.label == "SPECT" and b.section in _ACQUISITION_SECTIONS for b in body):
                # "SPECT of the pelvis. Hybrid imaging not performed": with a SPECT described
                # as done, denied hybrid imaging denies its CT (`ct_status`), not the SPECT
                global_neg = [m for m in global_neg if not m.pattern_id.startswith(_HYBRID)]
            # so does a SPECT/CT denied on the line that says the SPECT was done ("SPECT of
            # the neck at 2 h. SPECT/CT not done (CT down)")
            global_neg = [m for m in global_neg if not self._spect_on_line(m, body)]
            # a flat stock denial ("No SPECT imaging was performed.") beside a dictated
            # sentence stating the SPECT of a named area as performed, in the same technique,
            # with nothing to tell which came later: grey zone 5, coded by the dictated text
            # (decisions for gold Y; as a ticked field against free text, LABELING.md gold Q)
            # so is a form field that a block expanded twice answers both ways ("SPECT/CT
            # pelvis: Yes" and, in the second copy, "SPECT/CT pelvis: No") when the findings
            # read the SPECT's images (LABELING.md GAQ-007, decisions for gold DM)
            stock = [
                m
                for m in global_neg
                if self._stock_denial_outweighed(m, body) or self._rival_field_copy(m, body)
            ]
            if stock and len(stock) == len(global_neg):
                for m in spect:
                    if m.context is not None and (m.context == "aborted" or m not in body):
                        self._ev_m("spect_excluded", m)
                aborted = (
                    any(m.context == "aborted" for m in body)
                    or self._stopped_next_sentence(body)
                    or self._stopped_part_way(body)
                )
                return body + title, aborted, True
        # a technologist worksheet denying a SPECT the physician's technique describes: a
        # contradiction, and the technique wins (LABELING.md gold R, its mirror image)
        overruled = [m for m in global_neg if self._worksheet_denial(m, body)]
        if overruled:
            global_neg = [m for m in global_neg if m not in overruled]
        for m in spect:
            if m.context is not None and (m.context == "aborted" or m not in body):
                self._ev_m("spect_excluded", m)
        planar_only = self._planar_only_statement()
        if global_neg or planar_only:
            # a SPECT named in the denial's own sentence is the thing denied, no second
            # statement ("too much pain for the tomographic acquisition; SPECT/CT was not
            # attempted")
            denied_in = {n.sent for n in global_neg}
            return (
                [],
                False,
                any(b.sent not in denied_in and not self._plan_only(b) for b in body),
            )
        if body and self._impression_against_planar_technique(body, spect):
            # "TECHNIQUE: whole-body images at 3 h, with spot views" and only the impression
            # reading "the fused SPECT/CT images": the technique wins, with review (LABELING.md
            # gold G; a findings section describing the fused images is an omission instead)
            for m in body:
                self._ev_m("spect_excluded", m, "contradicted")
            return [], False, True
        if body:
            # "1st SPECT aborted at 8 min for motion; SPECT restarted and completed in full":
            # the stopped try and its restart are one complete acquisition (LABELING.md gold
            # P): the stopped one adds no time point, no acquisition and no review
            restarted = [m for m in body if m.context == "aborted" and self._restarted(m)]
            if restarted and len(restarted) < len(body):
                body = [m for m in body if m not in restarted]
            asserted = body + title
        elif title and not self._title_denied_at_its_time(negated):
            asserted = title
        else:
            return [], False, False
        aborted = (
            any(m.context == "aborted" and not self._incomplete_study(m, body) for m in asserted)
            or self._stopped_next_sentence(body)
            or self._stopped_part_way(body)
        )
        return asserted, aborted, bool(overruled)

    def _impression_against_planar_technique(
        self, body: list[Mention], spect: list[Mention]
    ) -> bool:
        """Does only the impression describe a SPECT of this study while a technique section
        lists the imaging acquired, planar views and no SPECT ("Whole body images at 3 h,
        with spot views of the pelvis" under "the fused SPECT/CT images localize ...")?"""
        if any(m.section != "impression" for m in body):
            return False
        if any(m.section in ("technique", "addendum") for m in spect):
            return False
        # the impression reads the images ("the fused SPECT/CT images localize the focus"),
        # not a remark on the protocol ("SPECT imaging not required")
        if not any(
            (sent := self._sentence_of(m)) is not None
            and (
                _fused_read(self.text, sent.start, sent.end)
                or _IMAGES_READ.search(self.text, sent.start, sent.end)
            )
            for m in body
        ):
            return False
        return any(
            p.label in ("PLANAR", "WHOLE_BODY") and p.context is None and p.section == "technique"
            for p in self.mentions
        )

    def _in_metadata(self, m: Mention) -> bool:
        """Is `m` a field of the metadata block pasted above the dictation (a DICOM tag, a
        study or series description, a protocol name, the series list)?"""
        return in_metadata(self.text, m.start_char)

    def _title_section(self, m: Mention) -> str:
        """The section `m` is read in for what was performed: a metadata field in the body
        of the report is read as the title's ("header"), as `nlp.pipeline.metadata` says."""
        if m.section in BODY_SECTIONS and self._in_metadata(m):
            return "header"
        return m.section

    def _plan_carried_out(self, m: Mention) -> bool:
        """Is `m` a planned SPECT whose time points the next lines report, one row each,
        as done ("Planned SPECT/CT of the abdomen at day 1, day 3 and day 7." then "- Day 1
        (01/14, 24 h): completed.")? The plan was carried out: its SPECT, with the plan's
        field, is what was acquired, on the days of those rows (`_plan_row_times`)."""
        return bool(self._plan_rows(m))

    def _plan_rows(self, m: Mention) -> list[tuple[int, int]]:
        """The lines right after the planned SPECT `m`'s line that each key a time point
        and report it done, up to the first line that does not."""
        if (
            m.context != "recommended"
            or m.cue_id != "recommended-forward:planned"
            or m.section not in _ACQUISITION_SECTIONS
        ):
            return []
        rows: list[tuple[int, int]] = []
        pos = self._line_end(m.start_char) + 1
        while pos < len(self.text):
            end = self._line_end(pos)
            if _TIME_ROW_DONE.match(self.text, pos, end) is None:
                break
            rows.append((pos, end))
            pos = end + 1
        return rows

    def _plan_row_times(self, m: Mention) -> _Timed:
        """The days of the rows reporting the planned SPECT `m`'s time points done (a row's
        date only when it states no day or hours)."""
        tm = _Timed()
        for start, end in self._plan_rows(m):
            row = [
                t
                for s in self.sentences
                if start <= s.start < end
                for t in s.times
                if s.start <= t.start < end
            ]
            days = {day_of_hours(float(t.value)) for t in row if t.kind == "hours"}
            days |= {int(float(t.value)) for t in row if t.kind == "day"}
            tm.days |= days
            if not days:
                tm.dates |= {str(t.value) for t in row if t.kind == "date"}
            tm.evidence += [(t.start, t.end) for t in row]
        return tm

    def _compared_spect_read(self, body: list[Mention], spect: list[Mention]) -> bool:
        """A PET report whose comparison lists a SPECT, and whose findings alone name a SPECT
        of that kind ("the T6 lesion seen on the bone SPECT/CT is FDG-avid"): the findings
        read the compared study, and no SPECT was acquired here."""
        if any(m.section not in ("findings", "impression") for m in body):
            return False
        compared = {m.label for m in spect if m.section == "comparison"}
        return all(m.label in compared for m in body) and self._pet_study()

    def _incomplete_study(self, m: Mention, body: list[Mention]) -> bool:
        """Is `m` a title's or a reading's "incomplete" ("V/Q SPECT - INCOMPLETE",
        "Incomplete study - ventilation SPECT only") over a technique that says the SPECT
        was completed? The study lacks another part; the SPECT done is whole."""
        if m.section in _ACQUISITION_SECTIONS or not str(m.cue_id).endswith("incomplete"):
            return False
        for b in body:
            s = self._sentence_of(b)
            if (
                b.context is None
                and b.section in _ACQUISITION_SECTIONS
                and s is not None
                and _COMPLETED_AFTER.match(self.text, b.end_char, s.end)
            ):
                return True
        return False

    def _plan_only(self, m: Mention) -> bool:
        """Does the SPECT mention `m` only name what was ordered or planned, so that a
        denial of the SPECT elsewhere does not contradict it (LABELING.md gold R: an order or
        protocol differing from what was done is a plan)? It is the value of a protocol or
        order key on its line ("PROTOCOL (routine): planar plus SPECT/CT"), a row of a table
        under a planned-protocol heading, a field pointing elsewhere ("SPECT/CT: see
        below"), or a post-treatment study named in a pre-treatment report."""
        line_start = self.text.rfind("\n", 0, m.start_char) + 1
        line_end = self._line_end(m.start_char)
        if _PLAN_KEY_BEFORE.search(self.text, line_start, m.start_char) and not _ACQUIRED.search(
            self.text, m.end_char, line_end
        ):
            return True
        if _SEE_ELSEWHERE.match(self.text, m.end_char):
            return True
        if _ORDER_AS_BEFORE.search(self.text, max(line_start, m.start_char - 40), m.start_char):
            return True  # "Order left as SPECT/CT per front desk": what the order says
        if self._under_plan_heading(line_start):
            return True
        # the title is the first line with text (a blanked print stamp or the
        # identification lines may stand above it)
        first = own_start(self.text)
        return bool(
            _POST_TREATMENT_BEFORE.search(self.text, max(0, m.start_char - 30), m.start_char)
            and _PRE_TREATMENT_TITLE.search(self.text, first, self._line_end(first))
        )

    def _under_plan_heading(self, line_start: int) -> bool:
        """Is the line at `line_start` an indented row of a block whose heading (a line of
        its own ending with a colon) names a planned or standard protocol ("Planned protocol
        (for reference):" then its steps)?"""
        if not self.text[line_start : line_start + 1].isspace():
            return False
        pos = line_start
        while pos > 0:
            prev = self.text.rfind("\n", 0, pos - 1) + 1
            line = self.text[prev : pos - 1]
            if not line.strip():
                return False
            if not line[:1].isspace():
                return _PLAN_HEADING.match(line) is not None
            pos = prev
        return False

    def _restarted(self, m: Mention) -> bool:
        """Does the stopped SPECT's sentence, or the next, say it was restarted or repeated
        and then completed?"""
        last = min(m.sent + 1, len(self.sentences) - 1)
        return bool(_RESTARTED_COMPLETE.search(self.text, m.end_char, self.sentences[last].end))

    def _title_denied_at_its_time(self, negated: list[Mention]) -> bool:
        """ "Ordered as: ... with SPECT/CT" then "The planned SPECT/CT at 24 hours was not
        performed (gantry fault)": with no SPECT described as done, a denial limited to a
        time point denies the only SPECT there was, and the title yields to it."""
        return any(
            m.section in _ACQUISITION_SECTIONS
            and self._time_qualified(m)
            and not self._part_qualified(m)
            and not self._ct_part(m)
            and not EMPTY_BOX.match(str(m.cue))
            for m in negated
        )

    @functools.cached_property
    def _worksheet_at(self) -> int | None:
        """Where an attached technologist worksheet begins ("TECHNOLOGIST WORKSHEET",
        "Tech notes:" on a line of their own), if the report has one after its start (read
        once: every findings mention of a CT or SPECT may ask)."""
        hit = _WORKSHEET_HEAD.search(self.text)
        return hit.start() if hit is not None and hit.start() > 0 else None

    @functools.cached_property
    def _worksheet_end(self) -> int | None:
        """Where a technologist worksheet put before the physician's report ends: at its
        first blank line, with the report's own text after it."""
        head = _WORKSHEET_HEAD.search(self.text)
        if head is None:
            return None
        gap = _BLANK_LINE.search(self.text, head.end())
        if gap is None or not any(
            m.start_char >= gap.end() and m.section in _ACQUISITION_SECTIONS
            for m in self.mentions
            if m.label in IMAGING_LABELS
        ):
            return None
        return gap.end()

    def _worksheet_denial(self, m: Mention, body: list[Mention]) -> bool:
        """Is `m` a denial, on a worksheet row of one time point, of the SPECT of that time
        point, in a technologist's worksheet that records the SPECT of another as done, while
        the physician's technique before it describes the SPECT as done ("10/26 72h: WB
        done. SPECT/CT not acquired")? Or a worksheet's yes/no field denying it ("SPECT: N")
        while the physician's technique, outside the worksheet, describes it as done?"""
        head = _WORKSHEET_HEAD.search(self.text)
        if head is None or m.start_char < head.start():
            return False
        start = head.start()
        # a worksheet put before the physician's report ends at its blank line
        gap = _BLANK_LINE.search(self.text, m.start_char)
        end = gap.start() if gap is not None else len(self.text)
        line_start = self.text.rfind("\n", 0, m.start_char) + 1
        line_end = self.text.find("\n", m.start_char)
        line_end = len(self.text) if line_end < 0 else line_end
        technique = any(
            not start <= b.start_char < end and b.section in _ACQUISITION_SECTIONS for b in body
        )
        if technique and str(m.cue_id).startswith("negated-backward-kv"):
            # a worksheet's yes/no field ("SPECT: N   CT: Y") against the physician's
            # technique describing the SPECT: the technique wins, with review (decisions for
            # gold AX, GAX-037; LABELING.md gold R)
            return True
        if start == 0:
            return False  # a time row's denial needs the physician's technique before it
        if not find_times(self.text[line_start:line_end]):
            return False
        row_done = any(
            start <= b.start_char < end and not line_start <= b.start_char < line_end for b in body
        )
        technique = any(
            not start <= b.start_char < end and b.section in _ACQUISITION_SECTIONS for b in body
        )
        return row_done and technique

    def _own_title(self, m: Mention) -> bool:
        """Is `m` in the report's own title line, not the value of a labelled key?"""
        sec = self.sections.section_at(m.start_char)
        return sec is not None and sec.label == "header" and sec.header_start is None

    def _on_plan_key_line(self, m: Mention) -> bool:
        """Is `m` in the value of a line keyed as a plan ("Planned time points: 4 h, 24 h,
        day 5 (SPECT/CT)", "Scheduled imaging: ..."), a value that says nothing was
        acquired?"""
        line_start = self.text.rfind("\n", 0, m.start_char) + 1
        key = _PLAN_LINE_KEY.match(self.text, line_start, m.start_char)
        return key is not None and not _ACQUIRED.search(
            self.text, key.end(), self._line_end(m.start_char)
        )

    def _on_protocol_line(self, m: Mention) -> bool:
        """Is `m` on a "Protocol:" line read as the plan (`sections._protocol_as_plan`)?"""
        sec = self.sections.section_at(m.start_char)
        if sec is None or sec.label != "header" or sec.header_start is None:
            return False
        label = self.lower_text[sec.header_start : sec.header_end or sec.header_start]
        return label.strip(" \t:-") == "protocol"

    def _in_worksheet(self, m: Mention) -> bool:
        """Is `m` in a technologist's note or worksheet that follows the physician's text?"""
        head = self._worksheet_at
        return head is not None and m.start_char > head

    def _worksheet_ct_denial(self, m: Mention, acquired: list[Mention]) -> bool:
        """Is `m` a denial of the CT in a technologist's note that follows the physician's
        report, or in a worksheet put before it, while that report's technique, outside the
        note, describes the CT?"""
        head = _WORKSHEET_HEAD.search(self.text)
        if head is None or m.start_char < head.start():
            return False
        # a worksheet before the report ends where the report begins
        end = self._worksheet_end
        if end is None:
            if head.start() == 0:
                return False
            end = len(self.text)
        elif m.start_char >= end:
            return False
        line_end = self.text.find("\n", m.start_char)
        note = self.lower_text[head.start() : len(self.text) if line_end < 0 else line_end]
        if _CORRECTION_WORD.search(note):
            return False  # "Technologist note: Correction: no CT was obtained": it corrects

        def outside(x: Mention) -> bool:
            return not head.start() <= x.start_char < end

        technique = any(outside(b) and b.section == "technique" for b in acquired)
        # and the physician read this study's fused images ("on the fused SPECT/CT images",
        # or the technique's "Fused SPECT/CT images reviewed")
        fused_read = any(
            x.label in ("SPECT_CT", "CT")
            and x.asserted
            and x.section in ("technique", "findings", "impression")
            and outside(x)
            and (s := self._sentence_of(x)) is not None
            and _fused_read(self.text, s.start, s.end)
            for x in self.mentions
        )
        return technique and fused_read

    def _crf_field_ct_denial(self, m: Mention, acquired: list[Mention]) -> bool:
        """Is `m` a yes/no field of a trial's case report form ("eCRF page 6 (completed by
        the study coordinator): ... Low-dose CT acquired: No") denying the CT that the
        physician's technique, above the form, describes and reads fused? A coordinator's
        data-entry page is a worksheet, not a correction: the technique wins, with review
        (LABELING.md gold DJ, as a technologist's worksheet field, gold R). A site's answer
        to a data query, or a form that says it corrects, is a correction instead."""
        if not str(m.cue_id).startswith("negated-backward-kv"):
            return False
        block = self.text.rfind("\n\n", 0, m.start_char) + 1
        # the form's head nearest above the field, in the field's paragraph
        head = max(
            _CRF_HEAD.finditer(self.text, block, m.start_char),
            key=lambda h: h.start(),
            default=None,
        )
        if head is None:
            return False
        line_end = self._line_end(m.start_char)
        if _CORRECTION_WORD.search(self.lower_text, head.start(), line_end):
            return False
        above = head.start()
        technique = any(b.section == "technique" and b.start_char < above for b in acquired)
        fused_read = any(
            x.label in ("SPECT_CT", "CT")
            and x.asserted
            and x.section in ("technique", "findings", "impression")
            and x.start_char < above
            and (sent := self._sentence_of(x)) is not None
            and _fused_read(self.text, sent.start, sent.end)
            for x in self.mentions
        )
        return technique and fused_read

    def _stock_denial_outweighed(self, m: Mention, done: list[Mention]) -> bool:
        """Is the denial `m` a flat, unscoped statement of the technique ("No SPECT imaging
        was performed.", naming no area, time or part) while another sentence of the same
        section states a SPECT of a named area as performed ("SPECT/CT of the thoracic spine
        performed")? The one naming what was done is the dictated text."""
        if m.section != "technique" or self._scope_areas(m):
            return False
        section = self.sections.section_at(m.start_char)
        if section is None:
            return False
        s = self._sentence_of(m)
        if s is None or self.first(_PLANNED, s.start, s.end):
            return False
        for b in done:
            if b.context is not None or b.sent == m.sent or b.section != "technique":
                continue
            if self.sections.section_at(b.start_char) is not section:
                continue
            bs = self._sentence_of(b)
            if bs is None or not self._scope_areas(b):
                continue
            if _ACQUIRED.search(self.text, bs.start, bs.end) and not _PLANNED.search(
                self.text, bs.start, bs.end
            ):
                return True
        return False

    def _rival_field_copy(self, m: Mention, done: list[Mention]) -> bool:
        """Is the denial `m` the "No" of a form field ("SPECT/CT pelvis: No") whose same
        field, on another line of a copy of the block, says "Yes", with nothing between the
        two copies saying which came later (an amendment, a correction), and the findings
        reading this study's SPECT images ("on the fused SPECT/CT images")? A macro expanded
        twice with opposite values contradicts itself; the copy the findings support is the
        one that stands (LABELING.md GAQ-007, decisions for gold DM)."""
        key = self._answered_field(m, _FIELD_NO_VALUE)
        if key is None:
            return False
        rivals = [
            b
            for b in done
            if b.context is None
            and b.section not in ("findings", "impression")
            and self._answered_field(b, _FIELD_YES_VALUE) == key
        ]
        if not any(
            not _LATER_COPY.search(self.text, *sorted((b.start_char, m.start_char))) for b in rivals
        ):
            return False
        return any(
            b.section in ("findings", "impression")
            and b.context is None
            and (s := self._sentence_of(b)) is not None
            and (
                _fused_read(self.text, s.start, s.end)
                if b.label == "SPECT_CT"
                else _IMAGES_READ.search(self.text, s.start, s.end) is not None
            )
            for b in done
        )

    def _answered_field(self, m: Mention, value: re.Pattern[str]) -> str | None:
        """The key of the "key: value" line `m` is named in, lower-cased with its spaces
        collapsed ("spect/ct pelvis"), when the line's value matches `value`."""
        start, end = line_at(self.text, m.start_char)
        hit = _FIELD_LINE.match(self.text, start, end)
        if hit is None or not hit.start("key") <= m.start_char < hit.end("key"):
            return None
        if value.fullmatch(hit.group("value")) is None:
            return None
        return " ".join(hit.group("key").lower().split())

    def _spect_on_line(self, m: Mention, done: list[Mention]) -> bool:
        """Is `m` a denied SPECT/CT on a line of the acquisition that states a plain SPECT
        as done, in a sentence of its own? Then the denial is of the hybrid's CT half. (In
        one sentence, "too much pain to lie still for the tomographic acquisition; SPECT/CT
        was not attempted", the plain SPECT is what the denial is about.)"""
        if m.label != "SPECT_CT":
            return False
        line = self.text.rfind("\n", 0, m.start_char)
        return any(
            b.label == "SPECT"
            and b.context in (None, "aborted")
            and b.section in _ACQUISITION_SECTIONS
            and (b.sent != m.sent or self._hybrid_aside(b, m))
            and self.text.rfind("\n", 0, b.start_char) == line
            for b in done
        )

    def _hybrid_aside(self, spect: Mention, denied: Mention) -> bool:
        """In the sentence of a SPECT stated as done, is the denied SPECT/CT an aside about
        the hybrid camera: in a bracket opened after the SPECT ("SPECT of the spine on a
        dual-head camera (SPECT/CT not available here)"), or said to be unavailable? It
        denies the CT half, not the SPECT."""
        if denied.start_char < spect.end_char:
            return False
        if denied.cue_id in _UNAVAILABLE_CUES:
            return True
        opened = self.text.rfind("(", spect.end_char, denied.start_char)
        return opened >= 0 and ")" not in self.text[opened : denied.start_char]

    def _line_tracers(self, pos: int) -> set[str]:
        """The tracers named on the line holding offset `pos`."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        end = len(self.text) if end < 0 else end
        return {
            x.value
            for x in self.mentions
            if x.label == "RADIOPHARM"
            and x.value
            and start <= x.start_char < end
            and x.context != "historical"
        }

    @functools.cached_property
    def _part_studies(self) -> dict[str, set[str]]:
        """The studies each numbered part of a combined report names ("(1) Lymphoscintigraphy
        ... (2) Staging bone scan ..."), over all its items (the title's and the body's);
        clinical questions ("staging") name none."""
        studies: dict[str, set[str]] = defaultdict(set)
        marks = list(_PART_MARK.finditer(self.text))
        for i, hit in enumerate(marks):
            end = self.text.find("\n", hit.end())
            end = len(self.text) if end < 0 else end
            if i + 1 < len(marks):
                end = min(end, marks[i + 1].start())
            key = hit.group(1).lower()
            studies[key] |= {
                str(x.hint if x.label == "RADIOPHARM" else x.value)
                for x in self.mentions
                if hit.end() <= x.start_char < end
                and x.asserted
                and (
                    (x.label == "STUDY" and x.value and (x.weight is None or x.weight >= 1.0))
                    or (x.label == "RADIOPHARM" and x.hint)
                )
            }
        return dict(studies)

    def _in_out_of_scope_part(self, m: Mention) -> bool:
        """Is `m` in a numbered part ("(1) ...", the last part mark before it on its line)
        whose items name only out-of-scope studies, while another part names an in-scope
        one?"""
        line_start = self.text.rfind("\n", 0, m.start_char) + 1
        marks = list(_PART_MARK.finditer(self.text, line_start, m.start_char))
        if not marks:
            return False
        parts = self._part_studies
        own = parts.get(marks[-1].group(1).lower(), set())
        return own == {"out_of_scope"} and any(
            v - {"out_of_scope", "other"} for k, v in parts.items() if v is not own
        )

    def _other_tracer_denial(self, m: Mention, body: list[Mention]) -> bool:
        """In a document of two studies written one per line ("V/Q: Xe-133 ... MAA ... No
        SPECT of the lungs." then "MPI: sestamibi ... gated SPECT"), is the denial, which
        names an area or a study, on the line of one study while a SPECT is stated on the
        line of other tracers only? Then it denies that study's SPECT, not the other's."""
        denied = self._line_tracers(m.start_char)
        if not denied or not any(
            x.sent == m.sent and x is not m and (x.label in AREA_LABELS or x.label == "STUDY")
            for x in self.mentions
        ):
            # a bare "SPECT was not performed" denies the whole study
            return False
        line = self.text.rfind("\n", 0, m.start_char)
        for b in body:
            if self.text.rfind("\n", 0, b.start_char) == line:
                continue
            done = self._line_tracers(b.start_char)
            if done and not done & denied:
                return True
        return False

    def _other_part_denial(self, m: Mention, body: list[Mention]) -> bool:
        """Is the denial limited to a named part of the document ("No SPECT for the bone
        portion"), while a SPECT is stated in a sentence whose paragraph, up to that
        sentence, never names that part? Then it denies that part's SPECT, not the other's."""
        s = self._sentence_of(m)
        if s is None:
            return False
        hit = _PART_SCOPE_AFTER.match(self.text, m.end_char, s.end)
        if hit is None:
            return False
        part = hit.group(1).lower()
        for b in body:
            if b.sent == m.sent or b.section not in _ACQUISITION_SECTIONS:
                continue
            bs = self._sentence_of(b)
            if bs is None:
                continue
            gaps = [g.end() for g in _BLANK_LINE.finditer(self.text, 0, b.start_char)]
            block_start = gaps[-1] if gaps else 0
            if block_start <= m.start_char:
                continue  # the denial's own paragraph
            if part not in self.lower_text[block_start : bs.end]:
                return True
        return False

    def _other_day_denial(self, m: Mention, body: list[Mention]) -> bool:
        """Is the denial on a line labelled with its day or time point ("Day 1, 07/19: WB
        planar ... no SPECT projections were acquired"), while a SPECT is stated on a line
        of the technique labelled, or timed in its own clause, with other time points only
        ("Day 2, 07/20 (24 h): SPECT/CT pelvis")? Then it denies that day's SPECT, not the
        other day's (a denial of no stated day still denies the study)."""
        if m.section not in ("technique", "other"):
            return False  # an addendum's "01/22/2023 Correction: no SPECT" corrects it all
        line = self._sentence_line_start(m.start_char)
        denied = self._leading_times(m.start_char, line)
        if not any(t.kind in ("day", "hours") for t in denied):
            return False  # a day or time point labels the line, not a date alone
        other_day = False
        for b in body:
            if b.section not in _ACQUISITION_SECTIONS:
                continue
            b_line = self._sentence_line_start(b.start_char)
            if b_line == line:
                return False  # the labelled line itself states a SPECT it denies
            done = self._leading_times(b.start_char, b_line) or self._clause_times(b.start_char)
            if any(_same_time(t, d) for t in done for d in denied):
                return False  # a SPECT stated for the denied day: the report disagrees
            other_day = other_day or bool(done)
        return other_day

    def _stopped_next_sentence(self, body: list[Mention]) -> bool:
        """ "Brain SPECT started at 12:05. Stopped at 14 minutes of the planned 30 ...": a
        sentence that opens with the stop, and says when or why, is about the SPECT of the
        sentence before it ("Stopped warfarin" says neither, and is not)."""
        for si in sorted({m.sent + 1 for m in body}):
            # the next sentence may be on the next line, after a line break of its own
            while (
                0 <= si < len(self.sentences)
                and not self.text[self.sentences[si].start : self.sentences[si].end].strip()
            ):
                si += 1
            if not 0 <= si < len(self.sentences):
                continue
            s = self.sentences[si]
            m = _STOPPED_OPENING.match(self.text, s.start, s.end)
            if m is not None:
                self._ev("spect_aborted", m.start(), m.end(), self._section_at(s.start))
                return True
        return False

    def _stopped_part_way(self, body: list[Mention]) -> bool:
        """ "The stress SPECT was started ..., but the patient asked to be taken off the
        camera after 6 of the planned 14 minutes": the SPECT's own sentence, after it, says
        the acquisition ended part-way (grey zone 4) without a word like "stopped"."""
        for m in body:
            s = self._sentence_of(m)
            if s is None or m.section not in _ACQUISITION_SECTIONS:
                continue
            hit = _PART_WAY.search(self.text, m.end_char, s.end)
            if hit is not None:
                self._ev("spect_aborted", hit.start(), hit.end(), self._section_at(hit.start()))
                return True
        return False

    def _without_denied_times(
        self, spect_timed: list[_Timed], timed: dict[int, _Timed]
    ) -> tuple[list[_Timed], bool]:
        """The SPECT time points less those a statement says were not acquired ("the 48 h
        SPECT/CT was cancelled"): that statement is the later, more specific one. Returns
        the time points and whether a stated one was taken away (a contradiction)."""
        denied = [
            timed[id(m)]
            for m in self.mentions
            if m.label in SPECT_LABELS
            and m.context == "negated"
            and m.section in BODY_SECTIONS
            and id(m) in timed
            and self._status_negation(m)
            and self._time_qualified(m)
            and not self._acquired_after_denial(m, timed)
        ]
        denied += self._session_planar_only_times(timed)
        denied = [tm for tm in denied if not tm.inherited]
        if not any(tm.days or tm.dates for tm in denied):
            return spect_timed, False
        out: list[_Timed] = []
        gone: list[_Timed] = []
        changed = False
        for tm in spect_timed:
            if tm.inherited:
                out.append(tm)
                continue
            # "| 1 h | SPECT/CT | done |" and "| 3 h | SPECT | not acquired |": a denied time
            # point of other hours on the same day leaves the SPECT done that day
            against = [
                d for d in denied if not (tm.hours and d.hours and tm.hours.isdisjoint(d.hours))
            ]
            days = {d for x in against for d in x.days}
            dates = [d for x in against for d in x.dates]
            kept_dates = {d for d in tm.dates if not any(same_day(d, x) for x in dates)}
            if days and kept_dates:
                # "at 24 h (03/19) and 96 h (03/22)", then "the 96 h SPECT/CT was not
                # acquired": the date the report ties to the denied hours goes with them
                paired = _paired_dates(tm)
                kept_dates = {
                    d
                    for d in kept_dates
                    if paired.get(d, -1) not in days
                    and not (self._days_of_dates([d], timed) or set()) & days
                }
            kept_days = tm.days - days
            if (kept_days or kept_dates) and (kept_days != tm.days or kept_dates != tm.dates):
                changed = True
                tm = _Timed(kept_days, kept_dates, set(tm.hours), list(tm.evidence))
            elif not kept_days and not kept_dates and (tm.days or tm.dates):
                # every time point of this mention was denied: it counts only if nothing
                # else is left ("SPECT/CT on 02/15" then "the 02/15 session was planar only;
                # SPECT/CT at 72 h on 02/16")
                gone.append(tm)
                continue
            out.append(tm)
        if gone and any(tm.days or tm.dates for tm in out):
            return out, True
        return out + gone, changed

    def _acquired_after_denial(self, m: Mention, timed: dict[int, _Timed]) -> bool:
        """Does a later addendum report the denied time point as acquired after all ("24 h
        SPECT/CT not performed, patient left", then "the patient returned and the delayed
        SPECT/CT was acquired")? Events in order, not a contradiction (decisions for gold
        AQ): the time point counts."""
        own = timed[id(m)]
        section = self.sections.section_at(m.start_char)
        for b in self.mentions:
            if (
                b.label not in SPECT_LABELS
                or b.context is not None
                or b.section != "addendum"
                or b.start_char <= m.end_char
                or self.sections.section_at(b.start_char) is section
            ):
                continue
            later = timed.get(id(b))
            if later is None or later.inherited or not later.days & own.days:
                continue
            if self._done_later(m, b):
                return True
        return False

    @functools.cached_property
    def _correction_spans(self) -> tuple[tuple[int, int], ...]:
        """The spans of the erratum, corrected or revised report sections (an addendum under
        a correction header, or opening with a correction)."""
        return tuple(
            (s.start, s.end)
            for s in self.sections.sections
            if s.label == "addendum"
            and s.header_start is not None
            and not self._inline_self_correction(s.header_start)
            and (
                CORRECTION_HEADER.match(self.text, s.header_start)
                # "ADDENDUM #1: Correction to the technique. The SPECT/CT covered ..."
                or (
                    s.header_end is not None
                    and _CORRECTION_OPENING.match(self.text, s.header_end) is not None
                )
                # "ADDENDUM: the rest images shown above were imported from the patient's
                # rest study of 05/11/2021": the first read took a prior study's images for
                # today's, a correction whatever the header says (LABELING.md gold BH)
                or _FROM_PRIOR_STUDY.search(self.text, s.header_end or s.start, s.end) is not None
            )
        )

    def _corrected_facts(self, performed: tuple[object, ...]) -> bool:
        """Does an erratum, corrected or revised report change what was performed (the
        modality, the areas, the SPECT or whole-body days, the perfusion studies)? The
        corrected facts are coded; the disagreement goes to review, like a conflicting
        addendum (LABELING.md)."""
        spans = self._correction_spans
        if not spans or not (
            any(
                (
                    m.label in IMAGING_LABELS | AREA_LABELS
                    # "Correction ... Today's study is stress-only": the perfusion studies done
                    or (m.label == "STUDY" and m.value == "myocardial_perfusion")
                )
                and any(a <= m.start_char < b for a, b in spans)
                for m in self.mentions
            )
            # "Correction. Only the stress portion was acquired": the half done, unnamed
            or any(
                rx.search(self.text, a, b) for rx in (_STRESS_ONLY, _REST_ONLY) for a, b in spans
            )
        ):
            return False
        first = _Builder(self.doc, spans).build()
        before = (
            first.modality,
            first.area_count,
            first.spect_days,
            first.whole_body_days,
            # "Correction. No rest imaging was performed today": a perfusion study's count
            first.cardiac_studies,
        )
        return before != performed

    def _addendum_adds_acquisition(self, performed: tuple[object, ...]) -> bool:
        """Does a plain addendum report a further acquisition the first read left out ("the
        report leaves out the second SPECT/CT bed position") and so change the SPECT areas
        or days? A final read that adds or removes a SPECT acquisition goes to review
        (LABELING.md gold H, L). One acquired after the first read supplements it, and one
        that only adds the CT's use or an area the same field covered fills an omission
        (GAJ-033, AQ): no review, so the modality is left out of the comparison."""
        spans = tuple(
            (s.start, s.end)
            for s in self.sections.sections
            if s.label == "addendum"
            and s.header_start is not None
            and _ADDS_ACQUISITION.search(self.text, s.start, s.end)
            and _FIRST_READ_MISSED.search(self.text, s.start, s.end)
        )
        if not spans or not any(
            m.label in SPECT_LABELS | AREA_LABELS and any(a <= m.start_char < b for a, b in spans)
            for m in self.mentions
        ):
            return False
        first = _Builder(self.doc, spans).build()
        if first.modality not in ("spect", "spect_ct"):
            return False
        return (first.area_count, first.spect_days) != performed[1:3]

    def _inline_self_correction(self, header_start: int) -> bool:
        """Is a correction label one written in the middle of a dictated line, lower case
        ("SPECT of the abdomen and pelvis... correction: SPECT of the abdomen only")? That
        is the dictator's in-line self-correction, final and no review (LABELING.md gold
        J), not an erratum or corrected report issued later."""
        line_start = self.text.rfind("\n", 0, header_start) + 1
        word = self.text[header_start : header_start + 1]
        return bool(self.text[line_start:header_start].strip()) and word.islower()

    def _correction_denies_flow(self) -> bool:
        """Does an erratum or corrected report (a section under a correction header) state
        that the flow images were not acquired? It withdraws the flow study the first issue
        described, whatever flow words it quotes from that issue."""
        return any(
            m.label == "FLOW"
            and m.context == "negated"
            and m.section == "addendum"
            and self._status_negation(m)
            and (sec := self.sections.section_at(m.start_char)) is not None
            and sec.header_start is not None
            and CORRECTION_HEADER.match(self.text, sec.header_start) is not None
            for m in self.mentions
        )

    def _superseded_differs(self, modality: str, areas: tuple[str, ...]) -> bool:
        """Does the first-version statement an amendment quotes ("the original report listed
        SPECT/CT of the chest, abdomen and pelvis") name other SPECT areas, or another
        modality, than the corrected report codes? A quoted time point that leaves the
        coded facts as they were changes nothing (LABELING.md gold G)."""
        quoted = [m for m in self.mentions if m.cue_id == SUPERSEDED_CUE_ID]
        if not quoted:
            return False
        quoted_areas = {a for m in quoted if m.label in AREA_LABELS for a in m.areas}
        # (a SPECT whose areas the corrected text leaves unnamed contradicts no quoted area)
        if (
            quoted_areas
            and areas
            and modality in ("spect", "spect_ct")
            and quoted_areas != set(areas)
        ):
            return True
        labels = {m.label for m in quoted}
        if labels & SPECT_LABELS and modality not in ("spect", "spect_ct"):
            return True
        return "SPECT_CT" in labels and modality == "spect"

    def _done_later(self, deferred: Mention, m: Mention) -> bool:
        """Is `m` a later statement that the deferred SPECT was acquired ("second-day SPECT
        ... was acquired the following morning"), not a plan ("she will return for SPECT")?"""
        if m.start <= deferred.end or m.section not in _ACQUISITION_SECTIONS:
            return False
        clause_start = max(self.text.rfind(c, 0, m.start_char) for c in ".;:-")
        ends = [e for e in (self.text.find(c, m.end_char) for c in ".;") if e >= 0]
        clause = self.text[clause_start + 1 : min(ends, default=len(self.text))]
        return bool(_ACQUIRED.search(clause)) and not _PLANNED.search(clause)

    def _qualified(self, m: Mention, *, by_time: bool = True) -> bool:
        """A negation about part of the study only: one time point ("no tomographic imaging
        at 4 hrs"), an extra acquisition ("no additional SPECT", "no diagnostic CT"), a
        repeat of an acquisition this report describes ("SPECT was not repeated").
        `by_time=False` leaves the time point out (the caller weighs it)."""
        if self._part_qualified(m) or self._explains_partial_negation(m):
            return True
        if self._ct_part(m):
            return True
        if self._field_gloss(m):
            # "T6 (SPECT field - not included), L2 ...": a site said to be outside the
            # field of a SPECT, which was done
            return True
        if m.end < len(self.doc) and self.lower[m.end] in _CT_USE_NOUNS:
            # "no CT review or fusion was performed": the CT's use, not its acquisition
            return True
        if (
            str(m.cue_id).endswith("not-repeated")
            # "(no CT repeated)": the denial is of a second acquisition, as "not repeated"
            or _REPEATED_AFTER.match(self.text, m.end_char) is not None
        ) and any(
            # "SPECT was stopped after 8 minutes and was not repeated": the one SPECT stands
            x.label == m.label and x.context in (None, "aborted") and x.section in BODY_SECTIONS
            for x in self.mentions
        ):
            return True
        if "separately" in self.lower_text[m.end_char : m.end_char + 40]:
            # "reprojections generated from the SPECT data (not acquired separately)"
            return True
        return (by_time and self._time_qualified(m)) or self._area_qualified(m)

    def _field_gloss(self, m: Mention) -> bool:
        """Is `m` a SPECT field named in a bracket after a site to say the site was not in
        it ("T6 (SPECT field - not included)", "rib (SPECT/CT field: no)")? The bracket tells
        where one site lies, not whether the SPECT was done."""
        if m.label not in SPECT_LABELS or _FIELD_NO_AFTER.match(self.text, m.end_char) is None:
            return False
        return _GLOSS_OPEN.search(self.text, max(0, m.start_char - 40), m.start_char) is not None

    def _area_qualified(self, m: Mention) -> bool:
        """A negation limited to areas the performed SPECT does not cover: "SPECT/CT of the
        chest; no SPECT of the pelvis" denies the pelvis, not the chest acquisition."""
        denied = self._denial_areas(m)
        if not denied:
            return False
        done = {
            a
            for x in self.mentions
            if x.label in SPECT_LABELS and x.context is None and x.section in BODY_SECTIONS
            for _, areas in self._scope_areas(x)
            for a in areas
        }
        # "SPECT/CT of the abdomen and pelvis was planned but only the abdomen was imaged.
        # The pelvic SPECT was not performed": one planned area denied, another done
        return bool(done - denied)

    def _denied_areas(self) -> set[str]:
        """The areas a negation limited to them takes out of the SPECT ("the pelvic SPECT
        was not performed" beside an abdominal one)."""
        return set(self._denied_areas_at())

    def _sentence_section(self, sent: int) -> str:
        """The section label of sentence number `sent`."""
        if 0 <= sent < len(self.sentences):
            return self._section_at(self.sentences[sent].start)
        return "other"

    def _denied_areas_at(self) -> dict[str, set[int]]:
        """The areas of `_denied_areas`, each with the sentences that deny it."""
        out: dict[str, set[int]] = {}
        for m in self.mentions:
            if (
                m.label in SPECT_LABELS
                and m.context == "negated"
                and m.section in BODY_SECTIONS
                and self._status_negation(m)
                and not self._part_qualified(m)
                and not self._time_qualified(m)
                # a site outside the field is no area taken out of it: "SPECT/CT of T10-L1;
                # T6 (SPECT field - not included)" keeps the chest of T10-T12
                and not self._field_gloss(m)
                and self._area_qualified(m)
            ):
                for a in self._denial_areas(m):
                    out.setdefault(a, set()).add(m.sent)
        return out

    def _denial_areas(self, m: Mention) -> set[str]:
        """The areas a negation of `m` names: in its field ("no SPECT of the pelvis") or
        right after the denial ("SPECT/CT was not performed of the extremities", a stock
        macro sentence that negates only the part it names)."""
        named = {a for _, areas in self._scope_areas(m) for a in areas}
        if named or m.context != "negated" or not m.cue or "backward" not in str(m.cue_id):
            return named
        s = self._sentence_of(m)
        if s is None:
            return named
        at = self.lower_text.find(m.cue.lower(), m.end_char, s.end)
        if at < 0:
            return named
        lead = _AREA_AFTER_DENIAL.match(self.text, at + len(m.cue), s.end)
        if lead is None:
            return named
        pos = lead.end()
        generic = _GENERIC_PART.match(self.text, pos, s.end)
        if generic is not None:
            # "of the extremities", "of the contralateral side": a part the area terms
            # leave unnamed (a side is no area of its own, so it denies none done)
            limbs = generic.group(0).lower().startswith(("extremit", "limb"))
            named.update(("upper_extremities", "lower_extremities") if limbs else ("other side",))
            return named
        for a in sorted(self.area_mentions, key=lambda x: x.start_char):
            if a.sent != m.sent or a.start_char < pos:
                continue
            if a.start_char != pos and not _AREA_JOIN.fullmatch(self.text, pos, a.start_char):
                break
            named.update(a.areas)
            pos = a.end_char
        return named

    def _planar_only_areas(self) -> dict[str, Mention]:
        """The areas a statement says were imaged on planar images only ("the chest was
        imaged on the whole-body planar images only"), with the planar mention saying so."""
        out: dict[str, Mention] = {}
        if "only" not in self.lower_text and "alone" not in self.lower_text:
            return out
        for m in self.mentions:
            if m.label not in PLANAR_LABELS or not m.asserted:
                continue
            if m.section not in _ACQUISITION_SECTIONS:
                continue
            after = self.text[m.end_char : m.end_char + 25]
            if not _PLANAR_ALONE_AFTER.match(after) or not self._seen_on(m.start_char):
                continue
            s = self._sentence_of(m)
            if s is None:
                continue
            start = max(s.start, *(self.text.rfind(c, 0, m.start_char) + 1 for c in ";:"))
            verbs = list(_IMAGED_ON.finditer(self.text, start, m.start_char))
            if not verbs:
                continue
            verb = verbs[-1]
            for a in self.area_mentions:
                if start <= a.start_char < verb.start() and a.context is None:
                    for area in a.areas:
                        out.setdefault(area, m)
        return out

    def _correction_field_only(self) -> set[str]:
        """The areas an erratum or corrected report says were the SPECT's only field ("the
        SPECT-CT was acquired only of the lumbar spine"): the corrected field replaces the
        one the technique first gave (LABELING.md gold G; the change goes to review)."""
        spans = self._correction_spans
        out: set[str] = set()
        if not spans:
            return out
        for m in self.mentions:
            if m.label not in SPECT_LABELS or m.context is not None:
                continue
            if not any(a <= m.start_char < b for a, b in spans):
                continue
            out |= self._only_field_areas(m)
        return out

    def _only_field_areas(self, m: Mention) -> set[str]:
        """The areas the SPECT mention `m` says were its only field ("SPECT/CT was acquired
        of the pelvis only", "SPECT limited to the abdomen"); empty when it says none."""
        out: set[str] = set()
        for am, areas in self._scope_areas(m):
            between = self.text[m.end_char : max(m.end_char, am.start_char)]
            if _FIELD_ONLY_BETWEEN.search(between) or _FIELD_ONLY_AFTER.match(
                self.text, am.end_char
            ):
                out.update(areas)
        return out

    def _field_beyond_technique_only(self, tier: list[Mention]) -> set[str]:
        """The technique's own field when it says the SPECT covered only it ("SPECT/CT was
        acquired of the pelvis only") while a template field of the same tier ("SPECT/CT
        areas: Chest, abdomen, pelvis") names areas outside it. The two cannot both hold:
        the technique's field is coded, the disagreement reviewed (grey zone 5; LABELING.md
        gold Y, decisions for gold DM). A field naming fewer areas than the technique is
        only incomplete and is not read here; nor is a dictated sentence naming more areas
        (it may be another time point's: "24 h: SPECT/CT of the chest and abdomen. 48 h:
        SPECT/CT of the abdomen only")."""
        only: set[str] = set()
        for m in tier:
            if m.section == "technique" and m.context is None:
                only |= self._only_field_areas(m)
        if not only:
            return set()
        beyond = {
            a
            for m in tier
            if m.context is None and self._answered_field(m, _ANY_FIELD_VALUE) is not None
            for _, areas in self._scope_areas(m)
            for a in areas
            if a not in only
        }
        return only if beyond else set()

    def _addendum_removes_area(self, areas: tuple[str, ...]) -> bool:
        """An addendum saying an area the technique gave SPECT was imaged on planar images
        only contradicts the technique (policy section 10 item 5; LABELING.md gold R)."""
        removed = {a for a, m in self._planar_only_areas().items() if m.section == "addendum"}
        if not removed or not areas:
            return False
        named = {
            a
            for x in self.mentions
            if x.label in SPECT_LABELS and x.context is None and x.section in ("technique", "other")
            for _, found in self._scope_areas(x)
            for a in found
        }
        return bool(removed & named)

    def _areas_not_done_at(self) -> dict[str, set[int]]:
        """The areas said themselves not to have been imaged ("the pelvis bed was not
        done"), each with the sentences that say it: taken out of a SPECT that named them,
        the statements disagree."""
        out: dict[str, set[int]] = {}
        for m in self.area_mentions:
            if m.section not in _ACQUISITION_SECTIONS:
                continue
            if (m.context == "negated" and _AREA_NOT_DONE.match(self.text, m.end_char)) or (
                self._field_misses(m)
            ):
                for a in m.areas:
                    out.setdefault(a, set()).add(m.sent)
        return out

    def _field_misses(self, m: Mention) -> bool:
        """Is the area the object of a statement that the SPECT field did not reach it
        ("the tomographic field did not cover the pelvis", "the SPECT did not extend to the
        knees")? The subject must be the SPECT or its field, earlier in the sentence."""
        s = self._sentence_of(m)
        if s is None:
            return False
        hits = list(
            _FIELD_MISSES.finditer(self.text, max(s.start, m.start_char - 120), m.start_char)
        )
        if not hits:
            return False
        before = hits[-1]
        # the area is the statement's object, or one of a list of areas there
        gap = list(self.text[before.end() : m.start_char])
        for x in s.mentions:
            if (
                x.label in AREA_LABELS
                and before.end() <= x.start_char
                and x.end_char <= m.start_char
            ):
                gap[x.start_char - before.end() : x.end_char - before.end()] = " " * (
                    x.end_char - x.start_char
                )
        if not _FIELD_MISSES_LIST.fullmatch("".join(gap)):
            return False
        subject = self.text[s.start : before.start()]
        return bool(_FIELD_SUBJECT.search(subject)) or any(
            x.label in SPECT_LABELS and s.start <= x.start_char < before.start() for x in s.mentions
        )

    def _ct_part(self, m: Mention) -> bool:
        """ "The CT portion of the pelvic SPECT/CT was not acquired": a denial of the CT
        alone (the SPECT was done)."""
        return m.label == "SPECT_CT" and bool(
            _CT_PART_BEFORE.search(self.text, max(0, m.start_char - 60), m.start_char)
        )

    def _part_qualified(self, m: Mention) -> bool:
        """The words right before the mention, or its own first words, name one part of the
        study: "no additional SPECT", "no ventilation SPECT", "no diagnostic CT". The words
        before it are read in its own sentence only: in "No new lesion. SPECT was not
        performed today" the "new" qualifies the lesion, and the SPECT is denied whole."""
        s = self._sentence_of(m)
        words = self.lower.span_from(
            m.start - 3, max(m.start, m.end - 1), s.start if s is not None else 0
        )
        return bool(_QUALIFIERS.search(" ".join(words)))

    def _explains_partial_negation(self, m: Mention) -> bool:
        """A later negation in the sentence of a partial one explains it: in "No vent SPECT
        (Xe cannot do SPECT here)" the bracket is still about the ventilation."""
        s = self._sentence_of(m)
        if s is None:
            return False
        same_kind = SPECT_LABELS if m.label in SPECT_LABELS else frozenset({m.label})
        return any(
            p.label in same_kind
            and p.start < m.start
            and p.context == "negated"
            and self._part_qualified(p)
            for p in s.mentions
        )

    def _status_negation(self, m: Mention) -> bool:
        """Does this negation say the procedure was not done?

        In the technique (or a report without sections) any negation does. In the findings
        and impression a bare "no"/"without" usually qualifies a finding ("no CT evidence
        of ...", "without SPECT correlate"), so only explicit statements count there
        ("the CT was not acquired").
        """
        if m.label in SPECT_LABELS and _RESULT_NOUN_AFTER.match(self.text, m.end_char):
            # "an estimate from the planar images, which is not a SPECT measurement": the
            # negation is of the measurement the procedure names, not of the procedure
            # (a measurement word's own denial, "no SUV measurements", still counts)
            return False
        if m.label == "CT" and _CT_FINDING_AFTER.match(self.text, m.end_char):
            # "remnant foci without CT mass": the mass is denied, not the CT (in a findings
            # subheader's section as in the findings themselves)
            return False
        if (
            m.label == "QUANT"
            and m.section in ("findings", "impression")
            and _MEASURED_VERB_AFTER.match(self.text, m.end_char)
        ):
            # "no SUV was measured on this study": a statement that nothing was measured,
            # not a finding qualified by "no"
            return True
        if m.section in _ACQUISITION_SECTIONS:
            # "uptake in the myocardium rather than the blood pool on SPECT/CT": the images
            # are referred to, so they exist
            return m.start < 1 or self.lower[m.start - 1] not in ("on", "by")
        if (
            m.label in SPECT_LABELS | {"CT"}
            and m.section in ("findings", "impression")
            and _DONE_VERB_AFTER.match(self.text, m.end_char)
            and self._in_worksheet(m)
        ):
            # "---- Technologist note ---- / No CT acquired, SPECT only" after the report's
            # impression: the technologist's record of what was acquired, not a finding
            # ("no fused series sent to PACS" says nothing of the acquisition)
            return True
        if m.label == "CT" and m.section in ("findings", "impression") and self._annotation(m):
            # '[handwritten in margin:] "no CT - scanner down"': a note added on the report,
            # not a finding
            return True
        if (
            m.section in ("findings", "impression")
            and m.start > 0
            and self.lower[m.start - 1] in ("on", "by")
        ):
            # "scapular focus -- on SPECT/CT not included, planar only": what the images
            # left out is the finding's site; images referred to exist
            return False
        if m.section in ("findings", "impression", "header"):
            # a title or key=value header line counts only as an explicit statement too:
            # "ORDER=... W SPECT; ... SPECT=not performed"
            return bool(m.cue_id) and "backward" in str(m.cue_id)
        return False

    def _time_qualified(self, m: Mention) -> bool:
        """A negation limited to one time point ("no tomographic imaging at 4 hrs")."""
        s = self._sentence_of(m)
        if s is None:
            return False
        clause_start, clause_end = self._clause_bounds(s, m.start_char, m.end_char)
        colon = self.text.find(":", m.end_char, clause_end)
        if colon >= 0 and _NEGATION_WORD.search(self.text, clause_start, colon):
            # "the CT portion was not acquired: the CT was out of service on 06/20": after
            # the denial's colon comes its reason, and a date there limits nothing
            clause_end = colon
        if _INJECTION_DAY.search(self.text, m.end_char, clause_end):
            # "no tomographic imaging on the injection day": that day only
            return True
        if _ORDINAL_DAY.search(self.text, m.end_char, clause_end):
            # "no SPECT was done on the first day": that day only
            return True
        if _THAT_DAY.search(self.text, m.end_char, clause_end):
            # "whole-body images repeated the next morning - no SPECT that day": the day
            # just named only
            return True
        if self._row_of_another_time(m):
            # "- 4 h: whole-body images. SPECT/CT was deferred (camera busy)." then "- 24 h:
            # whole-body images and SPECT/CT of the abdomen": the denial's row is one time
            # point, and a SPECT stands on a row of another time
            return True
        # "the 48 h SPECT/CT was cancelled": the time names the acquisition (but not the
        # date of another study named after the denial: "no CT acquired (the clinical CT
        # from 01/29 used for orientation)")
        # (nor, for a denied CT, the dates of a camera's aside: "CT not performed (CT tube
        # under repair 03/01-03/03)" is the tube's downtime)
        return any(
            m.end_char <= t.start < clause_end
            and not self._dates_other_imaging(m, s, t)
            and not (m.label == "CT" and self._camera_aside(t.start, m.end_char))
            for t in s.times
        ) or any(
            # "the 4 h SPECT", "the 1/22/19 SPECT was not obtained": the time, or the date
            # an article makes an adjective, names the acquisition
            (t.kind != "date" or _ARTICLE_BEFORE.search(self.text, max(0, t.start - 6), t.start))
            and t.end <= m.start_char
            and self._right_before(t.end, m)
            for t in s.times
        )

    def _row_of_another_time(self, m: Mention) -> bool:
        """Is the denial `m`, in the technique, on a row labelled with its time point ("- 4 h
        (08/16/2021): ..."), while the technique states a SPECT done on a row labelled with
        another time point? Or on a row of an acquisition table whose cells before it time
        it, while another row of that table states a SPECT done at another time point?"""
        if str(m.cue_id).startswith("negated-backward-kv"):
            return False  # a form's yes/no flag ("SPECT-CT chest N") is weighed as a field
        row_times = self._table_row_lead_times(m.start_char)
        if row_times and m.section in _ACQUISITION_SECTIONS:
            # "| 3 | 72 h | Abdomen | SPECT/CT | cancelled |" under "| 1 | 4 h | Abdomen |
            # SPECT/CT | done |": a table of acquisitions, one row each, whose row marked
            # cancelled denies its own time point, not the SPECT of another row
            head = table_head(self.text, self.text.rfind("\n", 0, m.start_char) + 1)
            return any(
                x.label in SPECT_LABELS
                and x.asserted
                and x.section in _ACQUISITION_SECTIONS
                and table_head(self.text, self.text.rfind("\n", 0, x.start_char) + 1) == head
                and (times := self._table_row_lead_times(x.start_char))
                and _other_time_point(times, row_times)
                for x in self.mentions
            )
        if m.section != "technique":
            return False
        denied_times = self._row_label_times(m.start_char)
        if not denied_times:
            return False
        return any(
            x.label in SPECT_LABELS
            and x.asserted
            and x.section == "technique"
            and (times := self._row_label_times(x.start_char))
            and not any(_same_time(t, d) for t in times for d in denied_times)
            for x in self.mentions
        )

    def _remark_cell_time(self, offset: int, imaging: list[Mention]) -> bool:
        """Is the time at `offset` in a remark cell of a pipe-table row, after the cell of the
        row's first imaging, while a cell before that imaging times the row? A remark cell
        holds words besides its time ("not acquired - 1 h study diagnostic"); a cell of a
        time alone ("| 02/14 |") is a column's value."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        line_end = self._line_end(offset)
        first = min(
            (m.start_char for m in imaging if line_start <= m.start_char < line_end), default=-1
        )
        if first < 0 or self.text.find("|", first, offset) < 0:
            return False
        if not self._table_row_lead_times(first):
            return False
        cell_start = self.text.rfind("|", line_start, offset) + 1
        cell_end = self.text.find("|", offset, line_end)
        cell_end = line_end if cell_end < 0 else cell_end
        times = [
            (t.start, t.end)
            for s in self.sentences
            if s.start < cell_end and s.end > cell_start
            for t in s.times
            if cell_start <= t.start and t.end <= cell_end
        ]
        words = "".join(
            c if not any(a <= i < b for a, b in times) else " "
            for i, c in enumerate(self.text[cell_start:cell_end], cell_start)
        )
        return _REMARK_WORD.search(words) is not None

    def _table_row_lead_times(self, offset: int) -> list[TimeExpr]:
        """The time points in the cells of the pipe-table row at `offset` before the cell
        holding it: in "| 3 | 02/16 | 72 h | Abdomen | SPECT/CT | cancelled |" the SPECT/CT's
        row is the 72 h one of 02/16. None when `offset` is on no table row."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        line_end = self._line_end(offset)
        if self.text.count("|", line_start, line_end) < 2:
            return []
        cell = self.text.rfind("|", line_start, offset)
        if cell < 0:
            return []
        return self._line_times_before(line_start, cell)

    def _row_label_times(self, offset: int) -> list[TimeExpr]:
        """The time points of a row label made of nothing else ("- 24 h (08/17/2021):",
        "Day 2:"), opening the line of `offset` (a line a wrapped export broke at a sentence
        end goes on from the line before)."""
        soft = set(self.doc._.soft_breaks or ())
        line_start = self.text.rfind("\n", 0, offset) + 1
        while line_start > 0 and line_start - 1 in soft:
            line_start = self.text.rfind("\n", 0, line_start - 1) + 1
        colon = self.text.find(":", line_start, offset)
        if colon < 0 or colon - line_start > 48:
            return []
        times = [
            t
            for s in self.sentences
            if s.start < colon and s.end > line_start
            for t in s.times
            if line_start <= t.start and t.end <= colon and t.kind in ("hours", "day", "date")
        ]
        rest = self.text[line_start:colon]
        for t in sorted(times, key=lambda t: t.start, reverse=True):
            rest = rest[: t.start - line_start] + " " + rest[t.end - line_start :]
        return times if times and _ROW_LABEL_REST.fullmatch(rest) else []

    def _dates_other_imaging(self, m: Mention, s: _Sentence, t: TimeExpr) -> bool:
        """Is the date `t`, after `m`, the date of another imaging mention right before it
        ("the CT from 01/29", "MRI of 03/02")?"""
        return t.kind == "date" and any(
            x is not m
            and x.label in IMAGING_LABELS | {"CT", "OTHER_IMAGING", "PET"}
            and m.end_char <= x.start_char
            and self._dated_by(x, t)
            for x in s.mentions
        )

    def _dates_another_study(self, t: TimeExpr, s: _Sentence) -> bool:
        """Is `t` a date written right after or before another kind of imaging ("MRI of
        02/09/2024", "MRI brain (2024-02-09)", "the 02/09/2024 MRI")?"""
        return t.kind == "date" and any(
            x.label == "OTHER_IMAGING" and self._dated_by(x, t, before=True) for x in s.mentions
        )

    def _dated_by(self, x: Mention, t: TimeExpr, before: bool = False) -> bool:
        """Is the date `t` written right after the mention `x` ("MRI of 03/02"), or, with
        `before`, right before it too ("the 03/02 MRI")?"""
        if x.end_char <= t.start:
            return _DATED_AFTER.fullmatch(self.text, x.end_char, t.start) is not None
        return (
            before
            and t.end <= x.start_char
            and _DATED_BEFORE.fullmatch(self.text, t.end, x.start_char) is not None
        )

    def _study_not_performed(self) -> bool:
        """ "Examination cancelled", "No images were obtained": nothing to code."""
        low = self.lower_text
        hits: list[re.Match[str]] = []
        if any(k in low for k in _NOT_PERFORMED_KEYS):
            hits += opening_finditer(_NOT_PERFORMED, self.text, self.lower_text)
        if "none" in low:
            hits += _NO_IMAGING_LINE.finditer(self.text)
        for m in sorted(hits, key=lambda h: h.start()):
            if _OTHER_STUDY_BEFORE.search(self.text, max(0, m.start() - 24), m.start()):
                continue  # "SC marrow scan not done": a companion study, not this one
            if _PART_OF_BEFORE.search(self.text, max(0, m.start() - 32), m.start()):
                continue  # "the rest portion of the exam was not performed": one part of it
            if _ON_INJECTION_DAY.match(self.text, m.end()):
                continue  # "no imaging was performed on the day of infusion": that day only
            if self._injection_day_row(m):
                continue  # "* Injection day: WBC reinjected, no imaging.": that row's day only
            if self._later_session_only(m):
                continue  # "the 96 h session did not take place: the patient did not return"
            if _PART_MISSED_AFTER.match(self.text, m.end()) and self._imaged_outside(m):
                continue  # "the patient did not return for rest imaging": that part only
            label = self.sections.label_at(m.start())
            if label not in ("history", "comparison", "header") or self._opens_title(m):
                self._ev("not_performed", m.start(), m.end(), label)
                return True
        return False

    def _injection_day_row(self, hit: re.Match[str]) -> bool:
        """Is the not-performed statement on a row labelled as the injection day ("*
        Injection day: In-111 leukocytes reinjected at 15:00, no imaging."), while imaging
        on another line is reported as acquired? Then only that day had no imaging."""
        line_start = self.text.rfind("\n", 0, hit.start()) + 1
        if not _INJECTION_DAY_ROW.match(self.text, line_start):
            return False
        line_end = self.text.find("\n", hit.end())
        line_end = len(self.text) if line_end < 0 else line_end
        return any(
            m.label in IMAGING_LABELS
            and m.asserted
            and m.section in _ACQUISITION_SECTIONS
            and not line_start <= m.start_char < line_end
            for m in self.mentions
        )

    def _opens_title(self, hit: re.Match[str]) -> bool:
        """Does the statement open the exam title: "EXAM NOT PERFORMED - I-123 ioflupane
        brain SPECT, scheduled ..." (the title of a cancelled exam), not a title that only
        names a study it was about?"""
        section = self.sections.section_at(hit.start())
        return (
            section is not None
            and section.label == "header"
            and not self.text[section.start : hit.start()].strip(" \t\n*#=-")
        )

    def _later_session_only(self, hit: re.Match[str]) -> bool:
        """Is a not-performed statement about one time point of the study, while imaging at
        another was done? Its sentence names the time point ("the 96 h session did not take
        place: the patient did not return"), and imaging outside that sentence is reported
        as acquired."""
        s = self._sentence_at(hit.start())
        return s is not None and bool(s.times) and self._imaged_outside(hit)

    def _imaged_outside(self, hit: re.Match[str]) -> bool:
        """Is imaging outside the statement's sentence reported as acquired?"""
        s = self._sentence_at(hit.start())
        if s is None:
            return False
        return any(
            m.label in IMAGING_LABELS
            and m.asserted
            and m.section in _ACQUISITION_SECTIONS
            and not s.start <= m.start_char < s.end
            for m in self.mentions
        )

    def _in_scope_study(self, has_spect: bool) -> str | None:
        """The best in-scope study type when it has evidence of its own: its tracer or its
        name in the title or technique (a score of 2 or more outside the history and the
        comparison, which name past studies), and, for study types whose planar form is out
        of scope, a SPECT."""
        named_with_spect = self._studies_named_with_spect() if has_spect else set()
        candidates = [
            (score, st)
            for st, score in self.current_scores.items()
            if st != "out_of_scope"
            and (score >= 2.0 or st in named_with_spect)
            and (has_spect or st not in _OWN_PLANAR_CODES)
            and (has_spect or st != "liver" or not self._colloid_liver())
            # a hepatobiliary study's SPECT/CT "of the liver" is that study's own, not a
            # second (liver) study, unless a liver tracer of its own is named
            and (st != "liver" or not self._hepatobiliary_only())
            and st != "other"
        ]
        if not candidates or not (has_spect or self._gamma_imaging()):
            return None
        best = max(candidates)[1]
        self._ev(
            "study_type", 0, 0, "other", f"{best} (another study in the report is out of scope)"
        )
        return best

    def _hepatobiliary_only(self) -> bool:
        """Is the only liver tracer named a hepatobiliary agent (mebrofenin, HIDA)?"""
        tracers = self._tracers
        return _HEPATOBILIARY in tracers and not tracers & {_COLLOID, "Tc-99m RBC"}

    def _damaged_rbc(self) -> bool:
        """Is the tracer heat-damaged (denatured) red cells, a spleen study?"""
        return any(
            m.label == "STUDY" and m.pattern_id in _DAMAGED_RBC_STUDIES and m.asserted
            for m in self.mentions
        )

    def _adrenal_cortical(self) -> bool:
        """Is the study adrenal cortical imaging with NP-59 (iodomethylnorcholesterol), named
        outside the history and the comparison?"""
        return any(
            self._section_at(h.start()) not in ("history", "comparison")
            for h in _ADRENAL_CORTICAL.finditer(self.text)
        )

    def _colloid_liver(self) -> bool:
        """Is the liver study a colloid (liver-spleen) study?"""
        return any(
            m.label == "RADIOPHARM" and m.value == _COLLOID and m.asserted for m in self.mentions
        )

    def _spect_study_over_planar(self, study_type: str) -> str:
        """One document, two studies: a SPECT study (myocardial perfusion) and a planar
        one whose planar form has its own code (a lung perfusion scan). The SPECT belongs
        to the study named beside it, so that one is coded, whatever the title says."""
        named = self._studies_named_with_spect()
        if study_type in named:
            # "STRESS/REST SESTAMIBI SPECT + REST MUGA" over "Day 1: adenosine stress, gated
            # SPECT" and "planar gated blood pool (MUGA) images": a study named with a SPECT
            # only beside another study, which is named with one on its own, is the other
            # study's companion; the SPECT is that study's
            alone = self._studies_named_alone_with_spect() - {"out_of_scope", "other"}
            if study_type in alone or len(alone) != 1:
                return study_type
            best = next(iter(alone))
            self._ev("study_type", 0, 0, "other", f"{best} (the SPECT is this study's)")
            return best
        others = [
            (self.study_scores.get(st, 0.0), st)
            for st in named
            if st not in ("out_of_scope", "other") and st in self.study_scores
        ]
        if not others:
            return study_type
        best = max(others)[1]
        self._ev("study_type", 0, 0, "other", f"{best} (the SPECT is this study's)")
        return best

    def _studies_named_alone_with_spect(self) -> set[str]:
        """In-scope studies named as the only study in a sentence stating a SPECT
        performed."""
        spect_sents = {
            m.sent for m in self.mentions if m.label in SPECT_LABELS and m.context is None
        }
        by_sent: dict[int, set[str]] = defaultdict(set)
        for m in self.mentions:
            if m.label == "STUDY" and m.asserted and m.sent in spect_sents and m.value:
                by_sent[m.sent].add(str(m.value))
        return {next(iter(v)) for v in by_sent.values() if len(v) == 1}

    def _studies_named_with_spect(self) -> set[str]:
        """In-scope studies named in the same sentence as a SPECT that was performed
        ("Study 1 - rest myocardial perfusion SPECT"): evidence of their own, whatever
        their score beside a second, out-of-scope study."""
        spect_sents = {
            m.sent for m in self.mentions if m.label in SPECT_LABELS and m.context is None
        }
        return {
            str(m.value)
            for m in self.mentions
            if m.label == "STUDY" and m.asserted and m.sent in spect_sents and m.value
        }

    def _pet_acquisition(self, m: Mention) -> bool:
        """ "Rb-82 dynamic/gated PET": a dynamic (flow) or planar word that names how a PET
        was acquired, not a gamma-camera image."""
        if m.label not in PLANAR_LABELS:
            return False
        return any(
            p.label == "PET"
            and p.sent == m.sent
            and 0 <= p.start_char - m.end_char <= 12
            and _PET_MODIFIER_GAP.fullmatch(self.text, m.end_char, p.start_char) is not None
            for p in self.mentions
        )

    def _pet_study(self) -> bool:
        """A PET or PET/CT performed here, with no gamma-camera imaging: its own codes."""
        pet = any(
            m.label == "PET" and m.asserted and m.section in BODY_SECTIONS | {"header"}
            for m in self.mentions
        )
        return pet and not self._gamma_imaging()

    def _gamma_imaging(self) -> bool:
        """Does the acquisition describe gamma-camera imaging of this study (not a PET's
        dynamic frames, nor the range of a tomographic scan: "PET/CT from vertex to toes")?"""
        return any(
            m.label in IMAGING_LABELS
            and m.asserted
            and m.section in _ACQUISITION_SECTIONS
            and not self._pet_acquisition(m)
            and not self._pet_3d(m)
            and not (m.label == "WHOLE_BODY" and not self._is_planar_wb(m))
            for m in self.mentions
        )

    def _planar_only_statement(self) -> bool:
        if any(not self._partial_planar_only(m.start_char) for m in self._planar_only_mentions()):
            return True
        if self._planar_list_closed():
            return True
        # "[ ] planar only" is a form option not taken; a prior study's "planar only" (in
        # the history or comparison, or "the two prior scans (planar only)") is not this study's
        return any(
            not self._after_empty_box(h.start())
            and not self._partial_planar_only(h.start())
            and self._section_at(h.start()) not in ("history", "comparison")
            and not self._past_planar(h.start(), h.end())
            for h in self.all_in(_PLANAR_ONLY, 0, len(self.text))
        )

    def _planar_list_closed(self) -> bool:
        """Does a technique that names planar imaging and no SPECT close its list with a
        sentence saying nothing more was acquired ("Anterior and posterior whole body planar
        images at 3 hours. No additional imaging.")? The planar images were all that was
        done: a SPECT/CT described elsewhere (fused images in the impression) is a second
        statement against it (policy section 10 item 5)."""
        if "no " not in self.lower_text:
            return False
        for s in self.sentences:
            if not _NOTHING_MORE.fullmatch(self.text, s.start, s.end):
                continue
            section = self.sections.section_at(s.start)
            if section is None or section.label != "technique":
                continue
            inside = [
                m
                for m in self.mentions
                if section.start <= m.start_char < section.end and m.section == "technique"
            ]
            planar = any(
                m.label in PLANAR_LABELS and m.asserted and m.start_char < s.start for m in inside
            )
            if planar and not any(m.label in SPECT_LABELS for m in inside):
                return True
        return False

    def _planar_only_mentions(self) -> Iterable[Mention]:
        """The asserted planar mentions of the report's body that say they alone were
        acquired ("planar images only")."""
        return (
            m
            for m in self.mentions
            if m.label in ("PLANAR", "WHOLE_BODY")
            and m.asserted
            and m.section in BODY_SECTIONS
            and self._says_planar_only(m)
        )

    def _says_planar_only(self, m: Mention) -> bool:
        """ "Planar images only", "only planar images": the planar mention says that it
        alone was acquired."""
        after = self.text[m.end_char : m.end_char + 25]
        before = self.text[max(0, m.start_char - 6) : m.start_char]
        said = _PLANAR_ONLY_AFTER.match(after)
        if said is not None and _AVAILABLE_AFTER.match(self.text, m.end_char + said.end()):
            # "planar images only available at the time of this read": what a read had
            # before it, not what was acquired
            return False
        return bool(said or _ONLY_BEFORE.search(before))

    def _past_planar(self, start: int, end: int) -> bool:
        """The planar mention of a "planar only" at start:end is a past study's."""
        return any(
            m.context == "historical" and start <= m.start_char < end
            for m in self.mentions
            if m.label in ("PLANAR", "WHOLE_BODY")
        )

    def _partial_planar_only(self, offset: int) -> bool:
        """A "planar only" at `offset` that is about one part of the report, not the study."""
        return (
            self._ventilation_only(offset)
            or self._finding_gloss(offset)
            or self._outside_field_gloss(offset)
            or self._seen_on(offset)
            or self._with_spect_only(offset)
            or self._region_planar_only(offset)
            or self._spect_pending(offset)
            or self._ordered_planar_only(offset)
            or self._spect_added_later(offset)
            or self._session_planar_only(offset)
            or self._site_planar_only(offset)
        )

    def _clause_times(self, offset: int) -> list[TimeExpr]:
        """The time points named in the clause (sentence, cut at ";") around `offset`."""
        s = self._sentence_at(offset)
        if s is None:
            return []
        start, end = self._clause_bounds(s, offset, offset)
        return [t for t in s.times if start <= t.start < end and t.kind in ("hours", "day", "date")]

    def _clause_bounds(self, s: _Sentence, start: int, end: int) -> tuple[int, int]:
        """The clause of sentence `s` (cut at ";") that holds `start`:`end`."""
        cut = self.text.rfind(";", s.start, start)
        stop = self.text.find(";", end, s.end)
        return (s.start if cut < 0 else cut), (s.end if stop < 0 else stop)

    def _session_planar_only(self, offset: int) -> bool:
        """ "The 48-hour session consisted of planar images only; SPECT/CT was acquired at
        72 hours": the planar-only clause names a time point, and a SPECT is stated with
        another time point of its own. That one session had no SPECT; the study did. The
        time point may label the planar line before a colon ("Day 2: ventilation, planar
        views only" after "Day 1: perfusion SPECT")."""
        planar_times = self._clause_times(offset) or self._leading_times(offset)
        # "because the 4-hour tomograms were unequivocal ..., only planar views were taken":
        # a time joined to a SPECT said done is that SPECT's, not the planar session's
        planar_times = [t for t in planar_times if not self._time_of_asserted_spect(t)]
        if not planar_times:
            return False
        for m in self.mentions:
            if (
                m.label not in SPECT_LABELS
                or not m.asserted
                or m.section not in _ACQUISITION_SECTIONS
            ):
                continue
            spect_times = self._clause_times(m.start_char) or self._leading_times(m.start_char)
            if spect_times and not any(_same_time(t, p) for t in spect_times for p in planar_times):
                return True
            if self._time_led_after(m, offset):
                return True
        return False

    def _time_of_asserted_spect(self, t: TimeExpr) -> bool:
        """Is the time point `t` joined to an asserted SPECT mention, as its modifier ("the
        4-hour tomograms") or right after it ("SPECT/CT at 4 hours")?"""
        for m in self.mentions:
            if m.label not in SPECT_LABELS or not m.asserted:
                continue
            if _TIME_JOINS_SPECT.fullmatch(self.text, t.end, m.start_char) or (
                _SPECT_JOINS_TIME.fullmatch(self.text, m.end_char, t.start)
            ):
                return True
        return False

    def _sentence_line_start(self, offset: int) -> int:
        """Where the line of `offset` starts, going back over line breaks that fall inside
        a sentence (a line ending "... 14 cm/min). The" goes on in the next one): an export
        wrapped where nothing told it from the writer's own line ends."""
        start = self.text.rfind("\n", 0, offset) + 1
        while start > 0:
            prev = self.text.rfind("\n", 0, start - 1) + 1
            last = self.text[prev : start - 1].rstrip()
            if not last or last[-1] in ".:;!?":
                break
            start = prev
        return start

    def _leading_times(self, offset: int, line_start: int | None = None) -> list[TimeExpr]:
        """The time points that label the line of `offset` before a colon ("Day 3 post
        therapy (07/18): whole-body planar; SPECT/CT x 3 bed positions"): a clause of that
        line naming no time of its own was acquired at them."""
        if line_start is None:
            line_start = self.text.rfind("\n", 0, offset) + 1
        colon = self.text.find(":", line_start, offset)
        if colon < 0:
            return []
        return self._line_times_before(line_start, colon)

    def _line_times_before(self, line_start: int, edge: int) -> list[TimeExpr]:
        """The time points (hours, days, dates) starting between `line_start` and `edge` (a
        row's cell delimiter or a label's colon), in whichever sentences they fell (the
        label may be split off as a sentence of its own)."""
        return [
            t
            for s in self.sentences
            if s.start < edge and s.end > line_start
            for t in s.times
            if line_start <= t.start < edge and t.kind in ("hours", "day", "date")
        ]

    def _time_led_after(self, spect: Mention, offset: int) -> bool:
        """ "24H PI WB ANT POST + SPECT-CT CHEST/ABD  48H PI WB ONLY": a terse line running
        its sessions together, each opened by its time point. The SPECT, led by a time of
        its own, comes first in the clause, and another time point between the SPECT and
        the planar-only words opens their session."""
        s = self._sentence_at(offset)
        if s is None or not spect.end_char <= offset:
            return False
        start, _ = self._clause_bounds(s, offset, offset)
        if spect.start_char < start:
            return False
        kinds = ("hours", "day", "date")
        led = [t for t in s.times if start <= t.start < spect.start_char and t.kind in kinds]
        between = [t for t in s.times if spect.end_char <= t.start < offset and t.kind in kinds]
        return (
            bool(led) and bool(between) and not any(_same_time(a, b) for a in led for b in between)
        )

    def _session_planar_only_times(self, timed: dict[int, _Timed]) -> list[_Timed]:
        """The time points of the planar-only sessions (`_session_planar_only`): no SPECT
        was acquired at them, whatever an earlier technique said."""
        return [
            timed[id(m)]
            for m in self._planar_only_mentions()
            if id(m) in timed
            and not timed[id(m)].inherited
            and self._session_planar_only(m.start_char)
        ]

    def _spect_added_later(self, offset: int) -> bool:
        """ "Protocol: whole-body planar images only." then "SPECT/CT of the pelvis was added
        after review of the planar images": the planar-only line is the plan, and the SPECT
        stated as added after it is what was done. The sequence settles it: no contradiction
        (decisions for gold Y; LABELING.md plan vs performed)."""
        for m in self.mentions:
            if (
                m.label not in SPECT_LABELS
                or not m.asserted
                or m.start_char <= offset
                or m.section not in _ACQUISITION_SECTIONS
            ):
                continue
            s = self._sentence_of(m)
            if s is not None and _ADDED_LATER.search(self.text, s.start, s.end):
                return True
        return False

    def _ordered_planar_only(self, offset: int) -> bool:
        """ "(the order named planar only; SPECT/CT was performed per protocol)": what was
        ordered, not what was done; an order differing from the study is a plan
        (LABELING.md gold R)."""
        start = max(self.text.rfind(c, 0, offset) for c in "(;.\n") + 1
        return _ORDER_WORDS.search(self.text, start, offset) is not None

    def _spect_pending(self, offset: int) -> bool:
        """ "PRELIMINARY READ (planar images only; SPECT/CT pending at the time of this
        read)" followed by a read of the SPECT: the planar-only read came before the SPECT
        was acquired, so it is no contradiction (LABELING.md gold R)."""
        end = len(self.text)
        for stop in (".\n", ". ", ")", "\n\n"):
            i = self.text.find(stop, offset)
            if i >= 0:
                end = min(end, i)
        if not _SPECT_PENDING.search(self.text, offset, min(end, offset + 300)):
            return False
        return any(
            m.label in SPECT_LABELS
            and m.asserted
            and m.start_char > end
            and m.section in _ACQUISITION_SECTIONS
            for m in self.mentions
        )

    def _region_planar_only(self, offset: int) -> bool:
        """ "Planar-only thoracic images show no lesion": the planar-only phrase names a
        region right after it, so it says how that region was seen, not that the study
        had no SPECT."""
        lead = _PLANAR_ONLY_LEAD.match(self.text, offset)
        if lead is None or "only" not in lead.group(0).lower():
            return False
        return any(m.start_char == lead.end() for m in self.area_mentions)

    def _finding_gloss(self, offset: int) -> bool:
        """ "a focus in the right iliac wing (planar only; outside the SPECT field)": a
        bracket after a finding, after a region named on its own or after "outside the SPECT
        field" says where the finding was seen. A bracket after the procedure or the study
        ("Bone scan (planar only)", "SPECT - none (planar only)") still says what was done."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        opened = self.text.rfind("(", line_start, offset)
        if opened < 0 or ")" in self.text[opened:offset]:
            return False
        clause_start = max(line_start, *(self.text.rfind(c, 0, opened) + 1 for c in ".;"))
        before = self.text[clause_start:opened].rstrip()
        glossed = len(before) + clause_start
        if any(
            m.end_char == glossed and m.label in IMAGING_LABELS | {"STUDY", "RADIOPHARM", "PET"}
            for m in self.mentions
        ):
            return False
        return (
            _FINDING.search(before) is not None
            or _DIAGNOSIS.search(before) is not None
            or _OUTSIDE_FIELD.search(before) is not None
            or self._region_label(clause_start, glossed)
        )

    def _site_planar_only(self, offset: int) -> bool:
        """ "10. Right proximal humerus - planar only - moderate", "| Left femoral diaphysis
        (planar only) | 16.0 |", "(left proximal tibia; planar only)", "the right knee
        (bursitis) - both planar only": set off from a site or a finding of a lesion list,
        a table row or a findings line, the "planar only" says how that site was seen, not
        that the study had no SPECT. A site named with the imaging ("images of the pelvis,
        planar only", "Bone scan (planar only)") still says what was done."""
        lead = _GLOSS_LEAD_BACK.search(self.text, max(0, offset - 12), offset)
        i = offset if lead is None else lead.start()
        mark = _GLOSS_MARK_BACK.search(self.text, max(0, i - 4), i)
        if mark is None:
            return False
        end = mark.start()
        # "the right knee (prepatellar bursa) - both planar only": past the site's own bracket
        if self.text[end - 1 : end] == ")":
            opened = self.text.rfind("(", max(0, end - 80), end)
            if opened < 0 or "\n" in self.text[opened:end]:
                return False
            end = len(self.text[:opened].rstrip())
        start = max(self.text.rfind(c, 0, end) for c in "();|:\n") + 1
        stop = _LIST_STOP_BACK.search(self.text, start, end)
        if stop is not None:
            start = stop.end()
        site = self.text[start:end]
        if not site.strip() or _IMAGED_WORDS.search(site):
            return False
        within = [m for m in self.mentions if start <= m.start_char and m.end_char <= end]
        if any(m.label in _NOT_A_SITE_LABELS for m in within):
            return False
        return (
            any(m.label in AREA_LABELS | {"SPINE"} for m in within)
            or _FINDING.search(site) is not None
            or _DIAGNOSIS.search(site) is not None
            or _SITE_WORDS.search(site) is not None
        )

    def _outside_field_gloss(self, offset: int) -> bool:
        """ "a scapular focus -- on SPECT/CT not included, planar only": a "planar only"
        after a clause saying the SPECT field left a site out says how that site was seen
        (the bracketed form is `_finding_gloss`)."""
        s = self._sentence_at(offset)
        if s is None:
            return False
        before = self.text[s.start : offset].rstrip()
        if not before.endswith((",", "-", ";")):
            return False
        return bool(_NOT_IN_FIELD.search(before) or _OUTSIDE_FIELD.search(before))

    def _region_label(self, start: int, end: int) -> bool:
        """Is the text from `start` to `end` a region named on its own, a subheader of the
        findings ("Shoulders (planar only):", "- Lumbar spine and pelvis (planar only):")?
        Then the bracket says how that region was seen; "images of both feet (planar only)"
        still says what was done."""
        areas = [
            m
            for m in self.mentions
            if m.label in AREA_LABELS | {"SPINE"} and start <= m.start_char and m.end_char <= end
        ]
        rest = self.text[start:end]
        for m in reversed(areas):
            rest = rest[: m.start_char - start] + " " + rest[m.end_char - start :]
        # "Neck, chest and extremities", "Remainder": region words that are no area term
        rest, words = _REGION_WORDS.subn(" ", rest)
        if not areas and not words:
            return False
        return _REGION_FILLER.fullmatch(rest) is not None

    def _ventilation_only(self, offset: int) -> bool:
        """ "Xe-133 ventilation: planar only": the ventilation half of a V/Q study was planar,
        which says nothing about the perfusion half ("ventilation and perfusion planar only"
        does)."""
        si = bisect.bisect_right([s.start for s in self.sentences], offset) - 1
        start = self.sentences[si].start if si >= 0 else 0
        words = self.lower_text[max(start, offset - 30) : offset]
        return bool(_VENT_WORD.search(words)) and not _PERF.search(words)

    def _seen_on(self, offset: int) -> bool:
        """The images at `offset` are where a finding is seen, not what was acquired: "a
        rib lesion seen on planar only", "visible on the planar images only"."""
        return _SEEN_ON.search(self.text, max(0, offset - 40), offset) is not None

    def _with_spect_only(self, offset: int) -> bool:
        """ "Localized from the SPECT and planar images only": the "only" closes a pair of
        image sets that holds the SPECT, so it says nothing against the SPECT."""
        return any(
            m.label in SPECT_LABELS
            and m.end_char <= offset
            and _COORDINATOR.fullmatch(self.text, m.end_char, offset) is not None
            for m in self.mentions
        )

    # -- CT ------------------------------------------------------------------------------
    def ct_status(self, spect: list[Mention], timed: dict[int, _Timed]) -> tuple[bool, bool]:
        sections_ok = {"technique", "other", "addendum", "header"}
        # (a planned SPECT/CT here is one its rows report carried out, `_plan_carried_out`)
        asserted = [
            m
            for m in spect
            if m.label == "SPECT_CT" and m.context in (None, "aborted", "recommended")
        ]
        asserted += [
            m
            for m in self.mentions
            if m.label == "CT"
            and m.asserted
            and m.section in sections_ok
            and not self._listed_with_other_imaging(m)
            and (m.section in ("technique", "addendum") or self._acquisition_sentence(m))
            and not self._separate_ct(m)
            # "2  CT  Topogram 0.6 T20f (1 image)": a topogram or scout alone is the CT's
            # positioning view, no localizing CT (LABELING.md gold CZ)
            and not _TOPOGRAM_AFTER.match(self.text, m.end_char)
            # "(no CT; CT reserved for the 24 h session)": that session's CT, stated there
            and not _CT_FOR_LATER.match(self.text, m.end_char)
            # "attenuation map from the cycle 1 low-dose CT (05/14/2024)": dated weeks before
            # this study, an earlier study's CT (a few days' gap may be this study's own
            # first day)
            and not self._earlier_ct(m, min_days=_EARLIER_CT_DAYS)
            # "uptake at the port ... on the 04/09 CT" with "COMPARISON: CT chest
            # 04/09/2021": the compared study, named by its date
            and not self._compared_ct_by_date(m)
            # "the patient returned on 02/09/2022 for a low-dose CT (CT only)"
            and not self._ct_alone_other_day(m, spect, timed)
        ]
        negated = [
            m
            for m in self.mentions
            if m.label in ("CT", "SPECT_CT")
            and m.context == "negated"
            and self._status_negation(m)
            and not self._qualified(m, by_time=False)
            and (not self._time_qualified(m) or self._denies_every_time(m, spect, timed))
            # "[ ] low-dose CT for attenuation only": an option not taken denies nothing
            and not EMPTY_BOX.match(str(m.cue))
            # "coronary CT angiography is not indicated": another examination's denial
            and not self._other_ct_exam(m)
        ]
        ct_part = [
            m
            for m in self.mentions
            if m.context == "negated" and self._ct_part(m) and self._status_negation(m)
        ]
        # "SPECT of the neck at 2 h. SPECT/CT not done (CT down)": with the SPECT done,
        # the denied hybrid is its CT half (`spect_status`)
        ct_part += [m for m in negated if self._spect_on_line(m, spect)]
        if ct_part:
            # the CT named in the sentence that denies it ("the CT part ... was not
            # performed (CT tube fault)") is not an acquired one
            denial_sents = {m.sent for m in ct_part}
            asserted = [m for m in asserted if m.label != "CT" or m.sent not in denial_sents]
        negated_ct_only = [
            m
            for m in negated
            if m.label == "CT"
            and not self._other_day(m, asserted, timed)
            and not self._other_acquisition(m, asserted)
        ] + ct_part
        # "ADDENDUM: the CT portion of the interictal study (10/05) was not acquired" over a
        # technique giving that day a SPECT/CT: the other day's CT keeps the study SPECT/CT,
        # and the addendum corrects what the technique said was performed (grey zone 5)
        day_corrected = any(
            m.label == "CT"
            and m.context == "negated"
            and m.section == "addendum"
            and m not in negated_ct_only
            and self._status_negation(m)
            and self._takes_ct_of_one_day(m, spect, timed)
            for m in self.mentions
        )
        if negated_ct_only:
            # "the CT was planned but the CT component was out of service; no CT": the CT
            # (or SPECT/CT) named as the plan that the denial then takes away is no CT
            # acquired (a SPECT/CT so planned still stands for its SPECT, `spect_status`)
            asserted = [m for m in asserted if not self._planned_then_denied(m, negated_ct_only)]
            # a CT named after the denial in its sentence is not this study's ("no CT
            # acquired (the clinical CT from 01/29 used for orientation)")
            first_denial: dict[int, int] = {}
            for m in negated_ct_only:
                first_denial[m.sent] = min(first_denial.get(m.sent, m.start_char), m.start_char)
            asserted = [
                m
                for m in asserted
                if m.label != "CT" or not m.start_char > first_denial.get(m.sent, len(self.text))
            ]
        no_ct_camera = [
            m
            for m in self.mentions
            if m.label == "NO_CT_CAMERA" and m.context is None and m.section in BODY_SECTIONS
        ]
        for m in negated + no_ct_camera:
            self._ev_m("ct_excluded", m, "no_ct")
        if not asserted:
            return False, False
        # a metadata block's study or series description naming SPECT/CT is the title's
        # word; a CT series in its list is a record of a CT volume acquired (gold CZ)
        body_asserted = [
            m
            for m in asserted
            if m.section != "header" and not (m.label == "SPECT_CT" and self._in_metadata(m))
        ]
        if body_asserted:
            # "CT: N/A" left at the template's default beside a technique that describes the
            # CT says nothing against it (LABELING.md, gold Q)
            negated_ct_only = [
                m for m in negated_ct_only if m.cue_id != "negated-backward-kv:unfilled"
            ]
        if negated_ct_only or no_ct_camera:
            if _SOFTWARE_FUSION.search(self.text):
                # "no CT component ... the SPECT registered to the CT chest on the
                # workstation": the CT named is the one fused in software, another scanner's
                # (LABELING.md: SPECT without CT, no grey zone), however the findings name it;
                # an addendum taking the CT back from the technique's "SPECT/CT" still
                # corrects it: the disagreement is reviewed (LABELING.md gold G), whether the
                # technique has a heading or is the report's unheaded acquisition line; so
                # does a ticked "[X] SPECT/CT" form box the free-text note denies the CT of
                # (LABELING.md gold Q: a ticked field the free text contradicts)
                body_asserted = [
                    m
                    for m in body_asserted
                    if m.label == "SPECT_CT"
                    and negated_ct_only
                    and (
                        (
                            m.section in ("technique", "other")
                            and all(n.section == "addendum" for n in negated_ct_only)
                        )
                        or self._ticked_option(m)
                    )
                ]
            elif self._compared_ct_named(negated_ct_only):
                # "SPECT ... without CT; compared with the diagnostic CT", then "uptake
                # corresponding to the CT lesion": the findings' CT is the compared one
                body_asserted = [m for m in body_asserted if not self._finding_ct(m)]
            if not body_asserted:
                return False, False  # the title names SPECT/CT; the technique says no CT
            if not no_ct_camera and all(
                self._worksheet_ct_denial(m, body_asserted)
                or self._crf_field_ct_denial(m, body_asserted)
                for m in negated_ct_only
            ):
                # a technologist's note after the physician's report denying the CT the
                # physician's technique describes: the technique wins, with review (LABELING.md
                # gold R, as for a worksheet denying the SPECT)
                for m in asserted:
                    self._ev_m("ct", m)
                return True, True
            if not no_ct_camera and self._rival_copies_fused(body_asserted, negated_ct_only):
                # two copies of the report disagree on the CT and both read fused images:
                # the CT stands, and the disagreement goes to review (LABELING.md GAQ-007)
                for m in asserted:
                    self._ev_m("ct", m)
                return True, True
            if (
                not no_ct_camera
                and all(self._annotation(m) for m in negated_ct_only)
                and any(
                    m.section == "technique"
                    and (s := self._sentence_of(m)) is not None
                    and _fused_read(self.text, s.start, s.end)
                    for m in body_asserted
                )
            ):
                # a note written on the report denying the CT the physician's technique read
                # fused images of: the technique wins, with review (LABELING.md GAQ, gold R)
                for m in asserted:
                    self._ev_m("ct", m)
                return True, True
            # the addendum or a plain "no CT was acquired" corrects the SPECT/CT wording
            for m in asserted:
                self._ev_m("ct_excluded", m, "contradicted")
            return False, True
        for m in asserted:
            self._ev_m("ct", m)
        # "[x] SPECT   [ ] SPECT/CT" over a dictated SPECT/CT: the form box says no CT,
        # the dictated text describes it (grey zone 5, coded by the dictated text)
        return True, day_corrected or self._ticked_spect_without_ct(asserted)

    def _ticked_spect_without_ct(self, acquired: list[Mention]) -> bool:
        """Does a form row tick a plain SPECT box and leave the SPECT/CT option beside it
        unticked ("[x] SPECT   [ ] SPECT/CT"), with no CT ticked on that row, while a
        statement off that row (the dictated technique, the fused findings) describes the
        CT as acquired? The ticked field says SPECT without CT and the free text says
        SPECT/CT: a contradiction, coded by the free text (LABELING.md gold Q, decisions
        for gold DM)."""
        for m in self.mentions:
            if m.label != "SPECT" or m.context is not None or m.section not in BODY_SECTIONS:
                continue
            if not self._ticked_option(m):
                continue
            line = line_at(self.text, m.start_char)
            on_line = [x for x in self.mentions if line[0] <= x.start_char < line[1]]
            if not any(
                x.label == "SPECT_CT" and x.context == "negated" and EMPTY_BOX.match(str(x.cue))
                for x in on_line
            ):
                continue
            if any(x.label in ("CT", "SPECT_CT") and x.context is None for x in on_line):
                continue
            if any(
                a.section != "header" and not line[0] <= a.start_char < line[1] for a in acquired
            ):
                return True
        return False

    def _takes_ct_of_one_day(
        self, denied: Mention, spect: list[Mention], timed: dict[int, _Timed]
    ) -> bool:
        """Does the CT denial `denied`, dated in its sentence, fall on a day the technique
        (not the note denying it) gives a SPECT/CT, while another SPECT/CT day of the
        technique stands apart from it? "Interictal: ... on 10/05/2023, SPECT/CT of the
        head" under "the CT portion of the interictal study (10/05/2023) was not acquired",
        with the ictal SPECT/CT on 10/02."""
        s = self._sentence_of(denied)
        if s is None:
            return False
        no_days = {day_of_hours(float(t.value)) for t in s.times if t.kind == "hours"}
        no_days |= {int(float(t.value)) for t in s.times if t.kind == "day"}
        no_dates = {str(t.value) for t in s.times if t.kind == "date"}
        if not no_days and not no_dates:
            return False
        meet = apart = False
        for m in spect:
            tm = timed.get(id(m))
            if m.label != "SPECT_CT" or m.section not in ("technique", "other") or tm is None:
                continue
            if not (tm.days or tm.dates):
                continue
            comparable, overlap = self._compare_times(
                no_days, no_dates, set(tm.days), set(tm.dates), timed
            )
            if comparable:
                meet, apart = meet or overlap, apart or not overlap
        return meet and apart

    def _ticked_option(self, m: Mention) -> bool:
        """Is `m` the label of a ticked form box ("[X] SPECT/CT liver", "SPECT/CT (x)")?"""
        return bool(
            _TICKED_AFTER.match(self.text, m.end_char)
            or _TICKED_BEFORE.search(self.text, max(0, m.start_char - 8), m.start_char)
        )

    def _annotation(self, m: Mention) -> bool:
        """Is `m` on a line opened by a bracketed note label ("[handwritten in margin:]",
        "[sticky note]")? Such a line is written on the report, not dictated in it."""
        line = self.text.rfind("\n", 0, m.start_char) + 1
        return _ANNOTATION_LEAD.match(self.text, line, m.start_char) is not None

    def _compared_ct_named(self, denied: list[Mention]) -> bool:
        """Does the technique that denies the CT name another CT the SPECT was compared
        with ("visually compared with the diagnostic CT of last month")?"""
        sents = {m.sent for m in denied if m.section == "technique"}
        return any(
            m.label == "CT"
            and m.context == "historical"
            and m.section == "technique"
            and (m.sent in sents or m.sent - 1 in sents)
            for m in self.mentions
        )

    def _finding_ct(self, m: Mention) -> bool:
        """Is `m` a bare CT named in a finding, outside the technique, with no word of an
        acquisition or a fusion in its sentence ("uptake matching the CT lesion")?"""
        if m.label != "CT" or m.section in ("technique", "addendum", "header"):
            return False
        s = self._sentence_of(m)
        return s is not None and self.first(_ACQUIRED, s.start, s.end) is None

    def _planned_then_denied(self, m: Mention, denied: list[Mention]) -> bool:
        """Is `m` the subject of "was planned/scheduled ..., but" whose "but" clause, in the
        same sentence, denies the CT?"""
        if m.section == "header":
            return False
        for n in denied:
            if n.sent != m.sent or n.start_char <= m.end_char:
                continue
            hit = _PLANNED_BUT.match(self.text[m.end_char : n.start_char])
            if hit is not None:
                return True
        return False

    def _rival_copies_fused(self, acquired: list[Mention], denied: list[Mention]) -> bool:
        """Two technique sections of one export, one acquiring the CT and the other denying
        it, with nothing saying which copy came later (no amendment, correction or version
        between them), and the findings after each technique reading this study's fused
        SPECT/CT images: the findings of both copies decide for the CT (LABELING.md
        GAQ-007). One technique with a denial, or an addendum, keeps the denial."""
        techniques = [s for s in self.sections.sections if s.label == "technique"]
        if len(techniques) < 2:
            return False
        # the findings' own fused SPECT/CT mentions are what is weighed below
        acquired = [m for m in acquired if m.section not in ("findings", "impression")]
        if not acquired:
            return False
        own: dict[int, SectionSpan] = {}
        for m in (*acquired, *denied):
            sec = self.sections.section_at(m.start_char)
            if sec is None or sec.label != "technique":
                return False
            own[id(m)] = sec
        acq = {id(own[id(m)]) for m in acquired}
        den = {id(own[id(m)]) for m in denied}
        if acq & den:
            return False
        involved = [t for t in techniques if id(t) in acq | den]
        first, last = involved[0].start, involved[-1].start
        if _LATER_COPY.search(self.text, first, last):
            return False
        for t in involved:
            after = [x.start for x in techniques if x.start > t.start]
            end = after[0] if after else len(self.text)
            if not any(
                m.label in ("SPECT_CT", "CT")
                and m.asserted
                and m.section in ("findings", "impression")
                and t.end <= m.start_char < end
                and (s := self._sentence_of(m)) is not None
                and _fused_read(self.text, s.start, s.end)
                for m in self.mentions
            ):
                return False
        return True

    def _other_acquisition(self, denied: Mention, acquired: list[Mention]) -> bool:
        """A CT denied for one acquisition of a two-acquisition day, while another
        acquisition's CT was acquired: "ventilation SPECT (Technegas), no CT" then
        "perfusion SPECT/CT with MAA, low-dose CT for localization". The study is SPECT/CT
        (LABELING.md GAC-019), not a contradiction. Each side names its own SPECT in its
        own sentence, and what they name (the V/Q half, the isotope) differs."""
        own = self._acquisition_keys(denied.sent, before=denied.start)
        if not own:
            return False
        # the title ("V/Q SPECT/CT") names the study, not one acquisition
        body = [m for m in acquired if m.section != "header"]
        others = [self._acquisition_keys(m.sent) for m in body if m.sent != denied.sent]
        if not others or len(others) < len(body):
            return False  # a CT stated in the denial's own sentence
        # a later sentence naming the CT with no SPECT ("lobar contributions by segmentation
        # on the CT") says nothing of which acquisition it was: the keyed ones decide
        keyed = [k for k in others if k]
        return bool(keyed) and all(_keys_differ(own, k) for k in keyed)

    def _acquisition_keys(self, si: int, before: int | None = None) -> dict[str, set[str]]:
        """What tells one SPECT acquisition of a sentence from another: the half of a V/Q
        study named right before it, and the isotopes of the sentence's tracers."""
        if si >= len(self.sentences):
            return {}
        s = self.sentences[si]
        spect = [
            m
            for m in s.mentions
            if m.label in SPECT_LABELS
            and m.context is None
            and m.section in BODY_SECTIONS
            and (before is None or m.end <= before)
        ]
        if not spect:
            return {}
        half: set[str] = set()
        for m in spect:
            words = " ".join(self.lower.span(m.start - 3, m.start))
            if _VENT_WORD.search(words):
                half.add("ventilation")
            if _PERF_WORD.search(words):
                half.add("perfusion")
        if not half:
            # "Ventilation: Technegas ..., SPECT of the chest, no CT": the sentence's label
            # names its half
            key = _FIELD_KEY.match(self.text, s.start, s.end)
            if key is not None and key.end() <= min(m.start_char for m in spect):
                label = key.group("k").lower()
                if _VENT_WORD.search(label):
                    half.add("ventilation")
                if _PERF_WORD.search(label):
                    half.add("perfusion")
        isotopes = {
            _isotope(str(t.value)) for t in s.mentions if t.label == "RADIOPHARM" and t.asserted
        }
        return {"half": half, "isotope": isotopes}

    def _denies_every_time(
        self, m: Mention, spect: list[Mention], timed: dict[int, _Timed]
    ) -> bool:
        """Does a CT denial limited to a time point ("the CT portion of the 3-hour
        acquisition was not obtained") name the only time the SPECT was acquired at? Then
        it takes the study's CT away, not one session's (LABELING.md: an addendum saying
        the CT was not acquired)."""
        if m.label != "CT":
            return False
        s = self._sentence_of(m)
        if s is None:
            return False
        _, clause_end = self._clause_bounds(s, m.start_char, m.end_char)
        named = [t for t in s.times if m.end_char <= t.start < clause_end]
        if named and all(t.kind == "date" for t in named):
            # "the CT portion of the 20 December 2019 study was not acquired": the date of
            # service names the study, not one of its days, when the SPECT had one day only
            return self._names_only_spect_day(named, spect, timed)
        if not named or any(t.kind != "hours" for t in named):
            return False
        denied = {float(t.value) for t in named}
        stated = [
            tm
            for x in spect
            if x.section in BODY_SECTIONS
            and (tm := timed.get(id(x))) is not None
            and not tm.inherited
            and (tm.hours or tm.days or tm.dates)
        ]
        return bool(stated) and all(
            tm.hours and all(any(abs(h - d) <= 0.5 for d in denied) for h in tm.hours)
            for tm in stated
        )

    def _names_only_spect_day(
        self, named: list[TimeExpr], spect: list[Mention], timed: dict[int, _Timed]
    ) -> bool:
        """Are the dates a CT denial names all the date of service, with no SPECT stated on
        another day or date? Then the denial is of the study's CT, not one day's."""
        service = self._service_date()
        if service is None or not all(same_day(str(t.value), service.isoformat()) for t in named):
            return False
        days: set[int] = set()
        for x in spect:
            tm = timed.get(id(x))
            if tm is None or x.section not in BODY_SECTIONS:
                continue
            if any(not same_day(d, service.isoformat()) for d in tm.dates):
                return False
            days |= tm.days | {int(h // 24) for h in tm.hours}
        return len(days) <= 1

    def _other_day(
        self, denied: Mention, acquired: list[Mention], timed: dict[int, _Timed]
    ) -> bool:
        """A CT denied for the SPECT of one time point, in a study whose CT was acquired with
        the SPECT of another day: "4 h  SPECT (no CT)" then "24 h  SPECT/CT, CT fused". The
        study is SPECT/CT on two days (LABELING.md), not a contradiction."""
        no_days, no_dates = self._spect_times(denied, timed)
        if not no_days and not no_dates:
            no_days, no_dates = self._that_day_times(denied, timed)
            if no_days or no_dates:
                # "SPECT/CT started ... stopped. No CT acquired that day." then "48 h:
                # SPECT/CT completed": the denial takes that day's CT away; a CT stated on
                # another day stands (an aborted SPECT whose CT never started)
                return any(
                    self._times_apart(
                        no_days, no_dates, set(timed[id(m)].days), timed[id(m)].dates, timed
                    )
                    for m in acquired
                    if id(m) in timed
                )
        ct_days: set[int] = set()
        ct_dates: set[str] = set()
        # the title ("WITH SPECT/CT AND 24-HOUR SPECT") names every part of the study at
        # once: the technique's SPECT/CT says when the CT was acquired
        # a CT named after the denial in its sentence is not this study's ("no CT;
        # registered to the 12/07 CT"), as `ct_status` reads it
        acquired = [
            m for m in acquired if m.sent != denied.sent or m.start_char < denied.start_char
        ]
        for m in [m for m in acquired if m.section != "header"] or acquired:
            days, dates = self._spect_times(m, timed)
            ct_days |= days
            ct_dates |= dates
        return self._times_apart(no_days, no_dates, ct_days, ct_dates, timed)

    def _times_apart(
        self,
        days: set[int],
        dates: set[str],
        other_days: set[int],
        other_dates: Iterable[str],
        timed: dict[int, _Timed],
    ) -> bool:
        """Do two sets of SPECT times name comparable, different days? A date on one side
        and hours on the other ("CT not done on 03/05/2021" beside "SPECT/CT at 4 h") are
        compared only through a day the report ties to a date (the injection date, or an
        image giving both); with none, they are not known to be apart."""
        comparable, overlap = self._compare_times(days, dates, other_days, other_dates, timed)
        return comparable and not overlap

    def _compare_times(
        self,
        days: set[int],
        dates: set[str],
        other_days: set[int],
        other_dates: Iterable[str],
        timed: dict[int, _Timed],
    ) -> tuple[bool, bool]:
        """Whether two sets of SPECT times can be compared, and whether they share a day."""
        other_dates = set(other_dates)
        comparable = bool(days and other_days) or bool(dates and other_dates)
        if not comparable and (days or dates) and (other_days or other_dates):
            as_days = self._days_of_dates(dates, timed)
            other_as_days = self._days_of_dates(other_dates, timed)
            if as_days is not None and other_as_days is not None:
                days, other_days = days | as_days, other_days | other_as_days
                comparable = bool(days and other_days)
        overlap = bool(days & other_days) or any(same_day(a, b) for a in dates for b in other_dates)
        return comparable, overlap

    def _days_of_dates(self, dates: Iterable[str], timed: dict[int, _Timed]) -> set[int] | None:
        """The imaging days (0 the injection day) of date keys: counted from the injection
        date, else from an image that gives both its date and its time point; None when the
        report ties no date to a day, or a date lies before it or over two weeks after."""
        dates = list(dates)
        if not dates:
            return set()
        if self.injection_date is not None:
            out: set[int] = set()
            for d in dates:
                offset = days_between(self.injection_date, d)
                if offset is None or not 0 <= offset <= _FIRST_DATE_REACH:
                    return None
                out.add(offset)
            return out
        return _dates_as_days(list(timed.values()), dates)

    def _that_day_times(self, m: Mention, timed: dict[int, _Timed]) -> tuple[set[int], set[str]]:
        """ "24 h (12/05): SPECT/CT started ... stopped. No CT acquired that day.": a denial
        limited to "that day", or added after a dash to the line of a SPECT ("SPECT abd 4 h
        - CT not acquired"), takes the times of the last SPECT before it on its line."""
        s = self._sentence_of(m)
        end = s.end if s is not None else m.end_char + 40
        line = self.text.rfind("\n", 0, m.start_char) + 1
        # "SPECT abd 4 hrs p.i. - CT not acquired, coach CT fault": a clause the line adds
        # after a dash is about the SPECT before it on that line, as "that day" is
        dash_clause = s is not None and s.start > line and self.text[s.start] in "-\u2013\u2014"
        # "Lumbar SPECT was begun but stopped; the CT was not obtained", "SPECT STOPPED at
        # 26/64 projections. CT not started.": a denial right after a SPECT stopped part-way,
        # on its line, is about that try's CT (the running day counts: it is the try's)
        lo = min(line, s.start) if s is not None else line
        tried = [
            x
            for x in self.mentions
            if x.label in SPECT_LABELS and lo <= x.start_char < m.start_char and id(x) in timed
        ]
        if tried and tried[-1].context == "aborted":
            tm = timed[id(tried[-1])]
            return set(tm.days), set(tm.dates)
        if not dash_clause and not _THAT_DAY.search(self.text, m.end_char, end):
            return set(), set()
        before = [
            x
            for x in self.mentions
            if x.label in SPECT_LABELS
            and line <= x.start_char < m.start_char
            and x.sent != m.sent
            and id(x) in timed
        ]
        if not before:
            return set(), set()
        # the running day counts here: "that day" is the day the line is about
        tm = timed[id(before[-1])]
        return set(tm.days), set(tm.dates)

    def _spect_times(self, m: Mention, timed: dict[int, _Timed]) -> tuple[set[int], set[str]]:
        """The days and dates stated for the SPECT of `m`'s sentence (not inherited ones)."""
        s = self._sentence_of(m)
        days: set[int] = set()
        dates: set[str] = set()
        for x in s.mentions if s is not None else ():
            tm = timed.get(id(x))
            if x.label in SPECT_LABELS and tm is not None and not tm.inherited:
                days |= tm.days
                dates |= tm.dates
        return days, dates

    def _separate_ct(self, m: Mention) -> bool:
        """ "A contrast-enhanced diagnostic CT performed in radiology": not this study's CT."""
        if self._separate_visit_ct(m) or self._ct_of_pet(m):
            return True
        s = self._sentence_of(m)
        if s is not None and any(
            not self._hybrid_of_denied_ct(h, m, s)
            for h in _HYBRID_CT.finditer(self.lower_text, s.start, s.end)
        ):
            return False
        # up to the end of the CT term, which may carry the word ("diagnostic CT" is one)
        lo = max(s.start if s is not None else 0, m.start_char - 30)
        before = self.lower_text[lo : m.end_char]
        after = self.lower_text[m.end_char : s.end] if s is not None else ""
        if _CT_PLACE.match(after):
            return True  # "in the CT department": a place, not a scan
        if self._other_ct_exam(m) or _RADIOLOGY_BEFORE.search(self.lower_text, lo, m.start_char):
            return True
        return bool(_DIAGNOSTIC_CT.search(before) or _REPORTED_SEPARATELY.search(after))

    def _ct_of_pet(self, m: Mention) -> bool:
        """ "The low-dose CT from the FDG PET/CT of 02/10/2021 was registered to the SPECT":
        the CT of a PET/CT, another study (LABELING.md: software registration to an outside
        CT is SPECT without CT), not a CT acquired with this SPECT."""
        return m.label == "CT" and any(
            p.label == "PET"
            and p.sent == m.sent
            and p.start_char > m.end_char
            and _CT_OF_PET.fullmatch(self.text, m.end_char, p.start_char) is not None
            for p in self.mentions
        )

    def _separate_visit_ct(self, m: Mention) -> bool:
        """ "The diagnostic CT was performed at 15:40 on the same hybrid system (separate
        appointment, radiology protocol)": a CT the report places at an appointment of its
        own is another study, whatever camera it was done on, and the document's plain "CT"
        is that one (a comparison, policy 3). A CT named as the SPECT's own (low-dose, for
        localization or attenuation) or a "SPECT/CT" stays the study's."""
        if m.label != "CT" or _OWN_CT_WORD.search(self.lower_text, m.start_char, m.end_char):
            return False
        if "separate" not in self.lower_text and "radiology" not in self.lower_text:
            return False
        return any(
            x.label == "CT"
            and (s := self._sentence_of(x)) is not None
            and _SEPARATE_VISIT.search(self.lower_text, s.start, s.end) is not None
            for x in self.mentions
        )

    def _other_ct_exam(self, m: Mention) -> bool:
        """Is `m` a CT examination of its own kind, by its name: "coronary CTA", "CT
        angiography" (the CT word with an angiography word right after it)? Neither its
        acquisition nor its denial ("CT angiography is not indicated") is the hybrid CT's."""
        if m.label != "CT":
            return False
        if m.pattern_id == "ct:cta":
            return True
        return any(
            o.label == "OTHER_IMAGING" and 0 <= o.start_char - m.end_char <= 1
            for o in self.mentions
            if o.sent == m.sent
        )

    def _hybrid_of_denied_ct(self, hit: re.Match[str], m: Mention, s: _Sentence) -> bool:
        """Does the hybrid-camera word `hit` say where a denied CT of the sentence was not
        acquired? It follows that CT, with no other CT between them, and `m` comes after it:
        in "CT was not obtained on the hybrid camera because a diagnostic CT had been done
        the day before", the camera is the denied CT's, and the diagnostic CT stays a
        separate study."""
        if m.start_char < hit.end():
            return False
        cts = [x for x in s.mentions if x.label in ("CT", "SPECT_CT") and x.end_char <= hit.start()]
        if not cts:
            return False
        last = max(cts, key=lambda x: x.end_char)
        return last is not m and last.context == "negated"

    def _stated_dos(self) -> tuple[dt.date, int, int] | None:
        """The date of service the report states (read once: every CT mention asks)."""
        if self._dos_read is None:
            # (the context matcher read it before: `once`)
            self._dos_read = (once(self.doc, "find_dos", lambda: find_dos(self.text)),)
        return self._dos_read[0]

    def _service_date(self) -> dt.date | None:
        """The date of service the report states, else the one its input record gives
        (`doc._.record_dos`): the injection day that the images' dates count from."""
        stated = self._stated_dos()
        if stated is not None:
            return stated[0]
        record: dt.date | None = self.doc._.record_dos
        return record

    def _dated_ct(self, m: Mention) -> tuple[_Sentence, tuple[dt.date, int, int]] | None:
        """The sentence of the CT mention `m` and the date of service the report states, when
        `m` is a CT and both are known: what the two date comparisons below need."""
        if m.label != "CT":
            return None
        s = self._sentence_of(m)
        dos = self._stated_dos()
        return None if s is None or dos is None else (s, dos)

    def _compared_ct_by_date(self, m: Mention) -> bool:
        """Is `m` a CT dated, right before or after it ("the 04/09 CT", "CT of 04/09"), with a
        date the comparison section gives, before this study's date of service?"""
        dated = self._dated_ct(m)
        if dated is None:
            return False
        s, dos = dated
        compared = {
            str(t.value)[-5:]
            for sec in self.doc._.sections or ()
            if sec.label == "comparison"
            for t in find_times(self.text, sec.start, sec.end)
            if t.kind == "date"
        }
        if not compared:
            return False
        for t in s.times:
            if t.kind != "date" or str(t.value)[-5:] not in compared:
                continue
            before = t.end <= m.start_char and _DATED_BEFORE.fullmatch(
                self.text, t.end, m.start_char
            )
            after = t.start >= m.end_char and _DATED_AFTER.fullmatch(self.text, m.end_char, t.start)
            gap = days_between(str(t.value), dos[0].isoformat())
            if (before or after) and gap is not None and gap >= 1:
                return True
        return False

    def _earlier_ct(self, m: Mention, min_days: int = 1) -> bool:
        """ "compared side by side with the diagnostic CT of April 3": a CT dated before this
        study's date of service is an earlier study, and what is localized on it says nothing
        about the CT of this study (LABELING.md: an outside CT from another date)."""
        dated = self._dated_ct(m)
        if dated is None:
            return False
        s, dos = dated
        for t in s.times:
            if t.kind != "date" or not _DATED_AFTER.fullmatch(self.text, m.end_char, t.start):
                continue
            gap = days_between(str(t.value), dos[0].isoformat())
            return gap is not None and gap >= min_days
        return False

    def _ct_alone_other_day(
        self, m: Mention, spect: list[Mention], timed: dict[int, _Timed]
    ) -> bool:
        """ "The CT component could not be acquired on 02/08/2022 (tube fault). The patient
        returned on 02/09/2022 for a low-dose CT of the lumbar spine (CT only)": a CT taken
        on its own, on another date than the date of service when every SPECT of the study
        was acquired that day, is not acquired with the SPECT (LABELING.md GDI-055:
        registered to it in software, SPECT without CT). A CT dated on a SPECT day stays
        the study's own."""
        dated = self._dated_ct(m)
        if dated is None:
            return False
        s, dos = dated
        if any(x.label in SPECT_LABELS for x in s.mentions):
            return False
        # the CT's own date: no other examination named between them ("a low-dose CT for
        # attenuation only; correlation was made with the MRI of 08/30/2021" dates the MRI)
        others = [
            x.start_char for x in s.mentions if x.label in IMAGING_LABELS | {"PET", "OTHER_IMAGING"}
        ]
        dates = [
            str(t.value)
            for t in s.times
            if t.kind == "date"
            and not any(min(t.end, m.start_char) <= o < max(t.start, m.end_char) for o in others)
        ]
        if not dates:
            return False
        if any((tm := timed.get(id(x))) is not None and tm.days - {0} for x in spect):
            return False  # a SPECT on another day: the CT may be that day's own
        # a later visit's CT (an earlier one is `_earlier_ct`'s, dated after its name)
        return all(
            (gap := days_between(dos[0].isoformat(), d)) is not None and gap >= 1 for d in dates
        )

    def _acquisition_sentence(self, m: Mention) -> bool:
        """Outside a technique section, "mass on CT" is usually an earlier study; a CT of this
        study shows up beside the SPECT or with an acquisition verb."""
        s = self._sentence_of(m)
        if s is None:
            return False
        if _PATIENT_WITH_FINDING_ON.search(self.text, s.start, m.start_char):
            # "This 45 year old man with hilar adenopathy on CT ... received Ga-67; SPECT
            # of the chest ...": the patient's history, however the sentence goes on
            return False
        if any(x.label in SPECT_LABELS and x.asserted for x in s.mentions):
            return True
        if _CT_FOR_USE.match(self.text, m.end_char):
            return True  # "LDCT for AC only": the use of this study's CT
        return self.first(_ACQUIRED, s.start, s.end) is not None

    def _listed_with_other_imaging(self, m: Mention) -> bool:
        """ "MRI or CT for characterization": a list of options, not this study's CT."""
        for o in self.mentions:
            if o.label == "OTHER_IMAGING" and o.sent == m.sent:
                gap = range(o.end, m.start) if o.end <= m.start else range(m.end, o.start)
                if len(gap) <= 2 and all(
                    self.lower[i] in ("or", "and", ",", "/", "and/or") for i in gap
                ):
                    return True
        return False

    def _localization_hit(self, chunk: str, start: int) -> re.Match[str] | None:
        """The words of `chunk` (the text at `start`) saying its CT was read for anatomy:
        a calcium-score CT on the hybrid camera, else the first localization phrase that is
        not denied, not the surgery "fusion" and not an unticked option."""
        cac = _CALCIUM_SCORE_CT.search(chunk)
        if (
            cac
            and not _NEG_BEFORE.search(chunk[: cac.start()][-50:])
            and not self._in_unticked_option(start + cac.start())
        ):
            return cac
        for lm in _LOCALISATION.finditer(chunk):
            if _NEG_BEFORE.search(chunk[: lm.start()][-50:]):
                continue
            if lm.group(0).lower().startswith("fus") and not _fused_read(
                self.text, start + lm.start(), start + lm.end()
            ):
                continue  # "uptake at the L4-5 fusion": the surgery, not fused images
            if self._in_unticked_option(start + lm.start()):
                continue
            return lm
        return None

    def ct_purpose(self, study_type: str) -> str:
        ct_sents = {
            m.sent
            for m in self.mentions
            if m.label in ("CT", "SPECT_CT", "CAMERA")
            and m.asserted
            and not self._earlier_ct(m)
            # "matches the lesion on the 4D-CT, which was reviewed separately": what is
            # read on another study's CT says nothing about the use of this study's CT
            and not (m.label == "CT" and self._separate_ct(m))
        }
        # "no CT review or fusion was performed": said of the CT's use, in its own sentence
        ct_sents |= {m.sent for m in self.mentions if m.label == "CT" and m.context == "negated"}
        att_only = att = loc = False
        att_sents: set[int] = set()  # the sentences saying the CT was attenuation-only
        loc_sents: set[int] = set()  # and those localizing on it
        last_loc = -1  # where the last localization statement is
        correction = -1  # where an addendum says the CT was for attenuation only
        spans = {
            si: (self.sentences[si].start, self.sentences[si].end)
            for si in ct_sents
            if si < len(self.sentences)
        }
        # "| 2 | 48 h | Chest | SPECT | AC only - not fused |" under "| # | Time | Region |
        # Type | CT |": the cell under the CT's column says what the row's CT was for
        for si, cell in self._ct_column_cells():
            spans.setdefault(si, cell)
        for si in sorted(spans):
            start, end = spans[si]
            chunk = self.text[start:end]
            unused = _CT_NOT_USED.search(chunk)
            if unused:
                # the CT was acquired but not reviewed: attenuation correction was its use
                att_only = True
                att_sents.add(si)
                self._ev(
                    "ct_purpose",
                    start + unused.start(),
                    start + unused.end(),
                    self._section_at(start),
                    "attenuation",
                )
                if self._section_at(start) == "addendum":
                    correction = start
            # "CT use: [x] localization/fusion  [ ] attenuation correction only": the
            # unticked option is not the CT's purpose
            a = next(
                (
                    h
                    for h in _ATTENUATION.finditer(chunk)
                    if not self._in_unticked_option(start + h.start())
                ),
                None,
            )
            if a:
                att = True
                self._ev(
                    "ct_purpose",
                    start + a.start(),
                    start + a.end(),
                    self._section_at(start + a.start()),
                    "attenuation",
                )
                if self._att_only_said(chunk):
                    # "for attenuation correction only; not used for anatomical correlation"
                    att_only = True
                    if _ATT_ONLY_STATED.search(chunk):
                        att_sents.add(si)
                    if self._section_at(start) == "addendum":
                        correction = start
                    continue
            hit = self._localization_hit(chunk, start)
            if hit is not None:
                loc = True
                loc_sents.add(si)
                last_loc = start + hit.start()
                self._ev(
                    "ct_purpose",
                    start + hit.start(),
                    start + hit.end(),
                    self._section_at(start + hit.start()),
                    "localization",
                )
        # CT findings described in the findings section are an anatomic review
        for m in self.mentions:
            if (
                m.label == "CT"
                and m.asserted
                and m.section in ("findings", "impression")
                and not self._separate_ct(m)  # "contrast CT advised for surgical planning"
                # "reconstructions (OSEM, CT-based attenuation correction)": the
                # reconstruction's correction named, not an anatomic review
                and not _CT_FOR_ATTENUATION_AFTER.match(self.text, m.end_char)
                # "A low dose CT was obtained on the SPECT/CT camera for attenuation
                # correction": the technique told in the findings, the CT's use stated
                and not _CT_USE_FOR_ATTENUATION.match(self.text, m.end_char)
            ):
                loc = True
                loc_sents.add(m.sent)
                last_loc = max(last_loc, m.start_char)
                self._ev_m("ct_purpose", m, "localization")
                break
        if att_only and not loc:
            return "attenuation"
        if loc and correction > last_loc:
            # the final read corrects the preliminary one: "the CT was run for attenuation
            # correction only; no fusion was performed" (the reports disagree: review)
            self.ct_purpose_corrected = True
            return "attenuation"
        if loc:
            if loc_sents - att_sents and att_sents and study_type != "myocardial_perfusion":
                # "CT for attenuation correction only" against fused images read in another
                # sentence (the findings, an attending's addendum): SPECT/CT, but the
                # statements disagree (LABELING.md: an attenuation-only CT later reviewed, gold AB)
                self.ct_purpose_disputed = True
            return "localization"
        # A stated attenuation correction is not "attenuation only" (policy section 3): most
        # SPECT/CT reconstructions name it. Perfusion studies are the exception: their CT
        # is there for attenuation correction, which their own codes include.
        if att and study_type == "myocardial_perfusion":
            return "attenuation"
        return "unknown"

    def _ct_column_cells(self) -> list[tuple[int, tuple[int, int]]]:
        """The cells under a pipe table's CT column ("| Type | CT |" then "| SPECT | AC only
        |"), with the sentence of each row, on the rows that name a SPECT performed; a
        cell left "--" or empty says nothing."""
        out: list[tuple[int, tuple[int, int]]] = []
        for m in self.mentions:
            if (
                m.label not in SPECT_LABELS
                or not m.asserted
                or m.section not in _ACQUISITION_SECTIONS
            ):
                continue
            line = self.text.rfind("\n", 0, m.start_char) + 1
            line_end = self._line_end(m.start_char)
            head = table_head(self.text, line)
            if head == line:
                continue
            head_end = self._line_end(head)
            column = next(
                (
                    self.text.count("|", head, x.start_char)
                    for x in self.mentions
                    if x.label == "CT" and x.asserted and head <= x.start_char < head_end
                ),
                None,
            )
            cells = self.text[line:line_end].split("|")
            if (
                column is None
                or column >= len(cells)
                or self.text.count("|", line, m.start_char) == column
            ):
                continue
            cell = cells[column]
            if not cell.strip() or TABLE_NO_CELL.fullmatch(cell):
                continue
            start = line + sum(len(c) + 1 for c in cells[:column])
            out.append((m.sent, (start, start + len(cell))))
        return out

    @staticmethod
    def _att_only_said(chunk: str) -> bool:
        """Does the CT's sentence limit the CT to attenuation correction? A bare "only" said
        of another part of it ("SPECT/CT at 24 hours only, with a CT for attenuation
        correction and localization") does not, when the sentence names the localization."""
        hits = list(_ATT_ONLY.finditer(chunk))
        if not hits:
            return False
        if _ATT_ONLY_STATED.search(chunk) or any(
            h.group().lower() not in _BARE_ONLY_WORDS for h in hits
        ):
            return True
        return not any(
            not _NEG_BEFORE.search(chunk[: lm.start()][-50:])
            for lm in _LOCALISATION.finditer(chunk)
        )

    # -- areas -------------------------------------------------------------------------
    def spect_areas(self, spect: list[Mention], study_type: str) -> tuple[str, ...]:
        for tier in AREA_TIERS:
            found: dict[str, Mention] = {}
            keyed: dict[str, Mention] = {}
            for m in spect:
                if self._title_section(m) not in tier:
                    continue
                if self._in_order_block(m.start_char):
                    continue  # "[ORDER]" then "SPECT/CT: whole spine and knees": what was asked
                if tier is AREA_TIERS[0] and self._findings_key(m):
                    _add_areas(keyed, self._scope_areas(m))
                    continue
                _add_areas(found, self._scope_areas(m))
            if tier is AREA_TIERS[0]:
                _add_areas(found, self._bed_list_areas(spect))
                if found and keyed and not set(keyed) & set(found):
                    # the findings' keys name only fields the technique did not acquire
                    # (a chest SPECT/CT, then "SPECT/CT abdomen: ..."): the two statements
                    # cannot both tell the field; the technique is coded, the disagreement
                    # reviewed (grey zone 5)
                    self.key_area_contradiction = True
                else:
                    # "Findings:" / "SPECT/CT neck: ...": with no field stated before, or
                    # beside the technique's own, the findings' keys tell the fields imaged
                    for a, am in keyed.items():
                        found.setdefault(a, am)
            if found:
                if tier is AREA_TIERS[0]:
                    _add_areas(found, self._added_field_areas(spect))
                denied = self._denied_areas() | set(self._planar_only_areas())
                field_only = self._correction_field_only()
                if field_only & set(found):
                    denied |= set(found) - field_only
                technique_only = (
                    self._field_beyond_technique_only(
                        [
                            m
                            for m in spect
                            if self._title_section(m) in tier
                            and not self._in_order_block(m.start_char)
                        ]
                    )
                    if tier is AREA_TIERS[0]
                    else set()
                )
                if technique_only & set(found):
                    denied |= set(found) - technique_only
                    self.area_contradiction = True
                not_done_at = self._areas_not_done_at()
                not_done = set(not_done_at)
                if (denied | not_done) and set(found) - denied - not_done:
                    # a SPECT described over an area, and the area said not to be done:
                    # the later word is coded, the disagreement reviewed (grey zone 5)
                    # (the denied words themselves, in the SPECT's own field, are no
                    # second statement: "the chest SPECT/CT was done, the pelvic bed not";
                    # nor is the area named again in the sentence that leaves it out: "the
                    # head was not in the SPECT field: the skull lesions are clear on planar")
                    self.area_contradiction |= any(
                        found[a].context is None and found[a].sent not in not_done_at[a]
                        for a in not_done
                        if a in found
                    )
                    # a SPECT the technique denies over one area (a table row "thoracic
                    # spine | SPECT/CT | not acquired") whose findings are then described
                    # ("SPECT/CT thoracic spine: the T8 focus ..."): the technique wins, the
                    # disagreement is reviewed (LABELING.md: printed and ordered codes)
                    self.area_contradiction |= self._findings_describe_denied_area(spect)
                    # a SPECT stated over an area, and the SPECT of that area denied by an
                    # addendum or final read ("SPECT-CT of the thoracic and lumbar spine",
                    # then an attending's "No tomographic imaging of the lumbar spine was
                    # performed"): the denial is coded, the disagreement reviewed (zone 5)
                    # (a denial in the report's own sections tells how the plan they state
                    # ended: "SPECT/CT of the abdomen and pelvis was planned ... only the
                    # abdomen was imaged. The pelvic SPECT was not performed")
                    denied_at = self._denied_areas_at()
                    self.area_contradiction |= any(
                        found[a].context is None
                        and found[a].section != "addendum"
                        and any(self._sentence_section(i) == "addendum" for i in sents)
                        for a, sents in denied_at.items()
                        if a in found
                    )
                    found = {a: am for a, am in found.items() if a not in denied | not_done}
                for a, am in found.items():
                    self._ev_m("area", am, a)
                areas = set(found)
                if study_type in _CARDIAC_STUDIES:
                    # the cardiac SPECT itself is of the chest (LABELING.md): a SPECT of
                    # another field in the same visit ("a separate SPECT of the neck for a
                    # focus seen on the raw images") adds its area to the chest
                    areas.add("chest")
                return tuple(sorted(areas, key=_AREA_ORDER.__getitem__))
        return DEFAULT_AREAS.get(study_type, ())

    def _in_order_block(self, offset: int) -> bool:
        """Is `offset` on a line of a block headed by a line of its own naming the order
        ("[ORDER]", "Order:", "Requested:"), before a blank line or the next heading? The
        order's fields are what was asked for, not what was acquired (LABELING.md: ordered
        procedures are never evidence of what was done)."""
        pos = self.text.rfind("\n", 0, offset) + 1
        while pos > 0:
            prev = self.text.rfind("\n", 0, pos - 1) + 1
            line = self.text[prev : pos - 1]
            if not line.strip():
                return False
            if _ORDER_HEADING.fullmatch(line):
                return True
            if _BLOCK_HEADING.fullmatch(line):
                return False
            pos = prev
        return False

    def _findings_describe_denied_area(self, spect: list[Mention]) -> bool:
        """Does a findings statement, after a technique's denial of the SPECT of one area
        (the SPECT of another done), describe the SPECT of that area?"""
        for m in self.mentions:
            if (
                m.label not in SPECT_LABELS
                or m.context != "negated"
                or m.section not in _ACQUISITION_SECTIONS - {"addendum"}
                or not self._status_negation(m)
                or self._part_qualified(m)
                or self._time_qualified(m)
                or not self._area_qualified(m)
            ):
                continue
            denied = self._denial_areas(m)
            if any(
                x.context is None
                and x.start_char > m.end_char
                and self._under_findings(x.start_char)
                and denied & {a for _, found in self._scope_areas(x) for a in found}
                for x in spect
            ):
                return True
        return False

    def _under_findings(self, offset: int) -> bool:
        """Is `offset` in the findings or impression, or under a subheader of the findings
        ("Findings:" then "SPECT/CT lumbar: ...", a section of no known label)?"""
        for section in reversed(self.sections.sections):
            if section.start > offset or section.label == "other":
                continue
            return section.label in ("findings", "impression")
        return False

    def _with_first_read_day(
        self, spect: list[Mention], spect_timed: list[_Timed], timed: dict[int, _Timed]
    ) -> list[_Timed]:
        """`spect_timed`, with the technique's SPECT on its running day counted as its own
        when every SPECT timed in its own words is one an addendum says was added or
        repeated later ("Whole body at 3 hours. SPECT/CT of the lumbar spine." then
        "Addendum: SPECT of the pelvis was added at 24 hours"): the addendum's time is the
        added SPECT's, and the first read's SPECT keeps the day it was told on."""
        own = [
            m for m in spect if id(m) in timed and not timed[id(m)].inherited and timed[id(m)].days
        ]
        if not own or any(m.section != "addendum" for m in own):
            return spect_timed
        for m in own:
            s = self._sentence_of(m)
            if s is None or not (
                self.first(_ADDED_LATER, s.start, s.end) or self.first(_REPEATED, s.start, s.end)
            ):
                return spect_timed
        first_read = {
            id(timed[id(m)])
            for m in spect
            if m.section == "technique"
            and id(m) in timed
            and timed[id(m)].inherited
            and timed[id(m)].days
        }
        return [
            dataclasses.replace(t, inherited=False) if id(t) in first_read else t
            for t in spect_timed
        ]

    def _finding_keyed_line(self, m: Mention) -> bool:
        """Does `m` alone key its line, and the key's value open with a finding ("SPECT/CT:
        mild uptake along the aortic wall ...")? The line reads the images, in whatever
        section the report put it, and tells no acquisition."""
        line_start = self.text.rfind("\n", 0, m.start_char) + 1
        if self.text[line_start : m.start_char].strip(" \t-*•"):
            return False
        key = _KEY_COLON.match(self.text, m.end_char)
        if key is None:
            return False
        value_end = min(self._line_end(m.start_char), key.end() + 60)
        return _FINDING.search(self.text, key.end(), value_end) is not None

    def _findings_key(self, m: Mention) -> bool:
        """Is `m` in the key of a section under a findings header that heads nothing of its
        own ("Findings:" / "WB planar: ..." / "SPECT/CT abdomen: ...")? Such a key divides
        the findings by the images read; the field it names is the findings' word on it."""
        sections = self.sections.sections
        i = bisect.bisect_right(self.sections.starts, m.start_char) - 1
        if i < 0:
            return False
        own = sections[i]
        if (
            own.label != "other"
            or own.header_start is None
            or own.header_end is None
            or not own.header_start <= m.start_char < own.header_end
        ):
            return False
        for prev in reversed(sections[:i]):
            if (
                prev.label == "findings"
                and prev.header_start is not None
                and prev.header_end is not None
            ):
                if not self.text[prev.header_end : prev.end].strip():
                    return True
                # "Findings: Whole body: ..." / "Feet SPECT/CT: ...": a key of the images
                # read opening the header's own line divides the findings as on a line of
                # its own
                opening = _OPENING_KEY.match(self.text, prev.header_end, prev.end)
                if opening is not None and images_key(
                    self.text, opening.start("key"), opening.end("key")
                ):
                    return True
                if images_key(self.text, prev.header_start, prev.header_end):
                    continue  # an earlier key of the same findings ("Whole body: ...")
                return False
            if prev.label != "other":
                return False
            if prev.header_start is None and self.text[prev.start : prev.end].strip():
                return False
        return False

    def _bed_list_areas(self, spect: list[Mention]) -> list[tuple[Mention, tuple[str, ...]]]:
        """ "SPECT/CT in four bed positions:" then "Bed 1 - skull and cervical spine", "Bed 2 -
        thorax", ...: the lines of a bed list right after a SPECT sentence are its fields."""
        out: list[tuple[Mention, tuple[str, ...]]] = []
        for sent in self._bed_rows(spect):
            if _BED_NOT_DONE.search(self.text, sent.start, sent.end) or _BED_NOT_DONE_LEAD.match(
                self.text, sent.start, sent.end
            ):
                continue  # "Bed 3: pelvis  N/A": a bed the template offered, not taken
            # "FOV 1 of 2: neck (skull base to thoracic inlet)": a range names its ends
            out += _expand_ranges(self._stated_areas(sent), self.lower)
        return out

    def _bed_rows(self, spect: list[Mention]) -> list[_Sentence]:
        """The lines of a bed list (or a form's field sub-rows) right after the sentences
        of asserted SPECT mentions."""
        heads = sorted(
            {
                m.sent
                for m in spect
                if m.asserted
                and m.section in AREA_TIERS[0]
                and not self._in_order_block(m.start_char)
            }
        )
        out: list[_Sentence] = []
        item = _BED_ITEM_SPOKEN if heads and dictated(self.text) else _BED_ITEM
        for si in heads:
            gap = 0
            table = False  # under a bed table's header row ("Bed | Range | CT | Status")
            for sent in self.sentences[si + 1 :]:
                if not self.text[sent.start : sent.end].strip():
                    continue
                if any(m.label in IMAGING_LABELS | {"PET"} for m in sent.mentions):
                    break
                if not table and not out and _BED_TABLE_HEAD.match(self.text, sent.start, sent.end):
                    table = True
                    continue
                if table and _BED_TABLE_ROW.match(self.text, sent.start, sent.end):
                    # "2 | L1 - sacrum | Low dose | Acquired": a numbered row of the table
                    if sent not in out:
                        out.append(sent)
                    continue
                if not item.match(self.text, sent.start, sent.end):
                    # a synoptic block's other fields ("CT purpose: Localization", "Fields
                    # of view: 2") may stand between the SPECT row and its region field
                    if (
                        gap < _FORM_FIELD_GAP
                        and self._section_at(sent.start) in AREA_TIERS[0]
                        and _FORM_FIELD_LINE.match(self.text, sent.start, sent.end)
                        and self._whole_line(sent)
                    ):
                        gap += 1
                        continue
                    break
                if sent not in out:
                    out.append(sent)
        return out

    def _whole_line(self, sent: _Sentence) -> bool:
        """Does `sent` open its own line (a form's row, not a sentence of prose)?"""
        return not self.text[self.text.rfind("\n", 0, sent.start) + 1 : sent.start].strip()

    def _added_field_areas(self, spect: list[Mention]) -> list[tuple[Mention, tuple[str, ...]]]:
        """ "2nd bed pos added for pelvis": a technique sentence without a SPECT mention of
        its own that adds a bed position to the SPECT (planar and PET beds aside) adds
        its areas. A repeat of the same field after motion adds nothing: it names no
        second bed."""
        spect_sents = {m.sent for m in spect}
        out: list[tuple[Mention, tuple[str, ...]]] = []
        for si, sent in enumerate(self.sentences):
            section = self._section_at(sent.start)
            if section in AREA_TIERS[2]:
                out += self._findings_added_field_areas(sent)
                continue
            if si in spect_sents or section not in AREA_TIERS[0]:
                continue
            if self.first(_ADDED_FIELD, sent.start, sent.end) is None:
                continue
            if any(m.label in PLANAR_LABELS | {"PET"} for m in sent.mentions):
                continue
            out += self._stated_areas(sent)
        return out

    def _findings_added_field_areas(self, sent: _Sentence) -> list[tuple[Mention, tuple[str, ...]]]:
        """ "Neck acquired first; the SPECT/CT was then extended with a second bed position
        over the chest": the findings telling of a bed added to the SPECT add the areas named
        after it in its clause (the imaging named last before it is a SPECT, or none; a
        planar or PET bed adds nothing)."""
        hit = self.first(_ADDED_FIELD, sent.start, sent.end)
        if hit is None:
            return []
        ends = [e for e in (self.text.find(c, hit.end(), sent.end) for c in ".;\n") if e >= 0]
        clause_end = min(ends, default=sent.end)
        before = [
            m
            for m in sent.mentions
            if m.label in IMAGING_LABELS | {"PET"} and m.end_char <= hit.start()
        ]
        if before and max(before, key=lambda m: m.start_char).label not in SPECT_LABELS:
            return []
        if any(
            m.label in PLANAR_LABELS | {"PET"} and hit.start() <= m.start_char < clause_end
            for m in sent.mentions
        ):
            return []
        return [
            (a, areas)
            for a, areas in self._stated_areas(sent)
            if hit.end() <= a.start_char < clause_end
        ]

    def _stated_areas(self, sent: _Sentence) -> list[tuple[Mention, tuple[str, ...]]]:
        """The areas a sentence states (not negated, not an unticked form option)."""
        return [
            (a, a.areas)
            for a in sent.mentions
            if a.label in AREA_LABELS
            and a.context is None
            and not self._after_empty_box(a.start_char)
        ]

    def _scope_areas(self, m: Mention) -> list[tuple[Mention, tuple[str, ...]]]:
        s = self._sentence_of(m)
        if s is None:
            return []
        if _BEYOND_FIELD.search(self.text, max(s.start, m.start_char - 16), m.start_char):
            # "outside the SPECT field: skull and femur foci": those areas are not in it
            return []
        if m.context is None and _FIELD_NO_AFTER.match(self.text, m.end_char):
            # "Spine: T4, T9 (SPECT/CT field: no; planar)": the sites named were not in it
            # (a denial's areas still say what it denies: "skull (SPECT field - not
            # included)")
            return []
        if self._field_gloss(m):
            # "T10, T12 and L1; T6 (SPECT field - not included), L2 on planar": the denial
            # is of the one site its bracket is attached to, not of the list after it
            before = [a for a in self.area_mentions if a.end == m.start - 1 and a.sent == m.sent]
            return _expand_ranges([(a, a.areas) for a in before], self.lower)
        s_end = s.end
        sents = {m.sent}
        value = self._key_value_sentence(m, s)
        if value is not None:
            # "Views: hands, feet": a planar key split from its value at the colon
            s_end = value.end
            sents.add(m.sent + 1)
        in_sent = [a for a in self.area_mentions if a.sent in sents]
        procs = [
            p
            for p in s.mentions + (value.mentions if value is not None else [])
            if p.label in PLANAR_LABELS | {"REPROJECTED", "PET"}
            # "SPECT/CT sweep from the skull base to mid-thigh": the SPECT's own sweep
            and not (p.label == "WHOLE_BODY" and not self._is_planar_wb(p))
        ]
        out: list[tuple[Mention, tuple[str, ...]]] = []
        # forward: up to a stop word, a planar mention or the end of the sentence
        i = m.end
        last_tok = len(self.doc)
        stop_at = last_tok
        listed = False  # past a colon: the areas may be a list of fields split by semicolons
        bracket_listed = False  # inside "(neck; chest)"
        for p in procs:
            if p.start >= m.end:
                stop_at = min(stop_at, p.start)
        for _pass in range(2):
            while i < last_tok and self.tok_idx[i] < s_end and i < stop_at:
                w = self.lower[i]
                area_here = next((a for a in in_sent if a.start == i), None)
                if area_here is not None:
                    if (
                        not self._after_empty_box(area_here.start_char)
                        # "( ) Head/neck": the second area of an unticked option's label
                        and not _SLASHED_AFTER_EMPTY_BOX.search(
                            self.text, max(0, area_here.start_char - 40), area_here.start_char
                        )
                        and not self._area_denied(area_here, m)
                        and not _MEASURED_VALUE.match(self.text, area_here.end_char)
                        and not self._moved_part(area_here)
                        and not _LEFT_OUT_AFTER.match(self.text, area_here.end_char)
                    ):
                        out.append((area_here, area_here.areas))
                    i = area_here.end
                    continue
                if w == ";" and listed and self._next_is_area(i, in_sent):
                    i += 1  # "in 2 bed positions: thoracic spine and ribs; lumbar spine and pelvis"
                    continue
                if w == "(":
                    close = self._aside_end(i, s_end, in_sent)
                    if close is not None:
                        # "SPECT (no CT; the hybrid camera was down) of the chest through the
                        # pelvis": a bracketed aside naming no area does not end the field
                        i = close + 1
                        continue
                    if not listed and self._area_list_bracket(i, s_end, in_sent):
                        # "in two bed positions (neck; chest)": a bracketed list of the fields,
                        # up to its closing bracket
                        listed = bracket_listed = True
                if w == ")" and bracket_listed:
                    listed = bracket_listed = False
                if w == ":":
                    listed = True
                if w in _PROCEDURE_JOINS and self._joins_other_exam(i, s_end, in_sent):
                    break
                if w == "|" and listed:
                    # a form line's next field: "SPECT/CT liver: yes | SPECT/CT lungs: no" (a
                    # table row's next cell, "SPECT/CT | chest", still names the field)
                    break
                if (
                    w in _SCOPE_STOP
                    and not self._scope_continues(w, i, in_sent)
                    and not (w == "with" and (self._with_ct(i, s) or self._with_field(i)))
                ):
                    nxt = self._next_listed_field(
                        m, i, s_end, stop_at, in_sent, numbered=listed and not bracket_listed
                    )
                    if nxt is None:
                        break
                    i = nxt
                    listed = True
                    continue
                i += 1
            if out or _pass:
                break
            # "SPECT/CT was performed following the early planar images, covering the neck
            # and upper mediastinum": a clause timing the SPECT by another acquisition, then
            # the SPECT's own field in a participle clause after the comma
            resumed = self._resumed_field(m, s_end, in_sent)
            if resumed is None:
                break
            i = resumed
            stop_at = min([p.start for p in procs if p.start >= i], default=last_tok)
            listed = bracket_listed = False
        # backward: modifiers right before the mention ("lumbar spine SPECT", "Chest SPECT:")
        j = m.start - 1
        steps = 0
        while j >= 0 and steps < 4 and self.tok_idx[j] >= s.start:
            w = self.lower[j]
            area_here = next((a for a in in_sent if a.end == j + 1), None)
            if area_here is not None:
                out.append((area_here, area_here.areas))
                j = area_here.start - 1
                steps += 1
                continue
            if w in _PRE_STOP or any(
                p.end == j + 1 for p in s.mentions if p.label not in AREA_LABELS
            ):
                break
            if w in _PROCEDURE_JOINS and any(p.end <= j for p in procs):
                break
            j -= 1
            steps += 1
        return _expand_ranges(out, self.lower)

    def _resumed_field(self, m: Mention, s_end: int, in_sent: list[Mention]) -> int | None:
        """The token opening a field clause (", covering ...") after the SPECT `m`, when
        what stands between them only times the SPECT by another acquisition ("SPECT/CT
        was performed following the early planar images, covering the neck"): no area and
        no other SPECT named between, and any other imaging named after "after" /
        "following" / "before"."""
        hit = _FIELD_CLAUSE.search(self.text, m.end_char, s_end)
        if hit is None:
            return None
        if any(m.end_char <= a.start_char < hit.start() for a in in_sent):
            return None
        between = [
            p
            for p in self.sentences[m.sent].mentions
            if m.end_char <= p.start_char < hit.start() and p.label in IMAGING_LABELS | {"PET"}
        ]
        for p in between:
            if p.label in SPECT_LABELS or not _TIMED_BY_BEFORE.search(
                self.text, m.end_char, p.start_char
            ):
                return None
        i = m.end
        while i < len(self.doc) and self.tok_idx[i] < hit.end():
            i += 1
        return i

    def _tok_char(self, i: int) -> int:
        """The character offset of token `i` (the text's end past the last token)."""
        return self.tok_idx[i] if i < len(self.doc) else len(self.text)

    def _next_listed_field(
        self, m: Mention, i: int, s_end: int, stop_at: int, in_sent: list[Mention], numbered: bool
    ) -> int | None:
        """Where the next field of the SPECT `m`'s own list opens after a scope stop at token
        `i` (the token after its number or label), or None when the list ends there: a
        numbered item after a semicolon, in a list a colon opened (`numbered`): "SPECT/CT of
        two regions: (1) the chest, to assess the nodules; (2) both knees for the primary",
        each numbered field with its own purpose; or the next bed label of the line: "FOV 1
        of 2: chest (inlet to diaphragm); FOV 2 of 2: abdomen"."""
        if numbered:
            nxt = self._next_numbered_field(i, s_end, stop_at, in_sent)
            if nxt is not None:
                return nxt
        return self._next_bed_label(m, i, min(s_end, self._tok_char(stop_at)))

    def _next_bed_label(self, m: Mention, i: int, limit: int) -> int | None:
        """The token after the next bed label ("FOV 2 of 2:", "bed 2 -") of the SPECT `m`'s
        line, after token `i` and before `limit`, when only a field's words stand between
        (no other imaging, no line break); else None."""
        if m.label not in SPECT_LABELS:
            return None
        start = self._tok_char(i)
        end = self.text.find("\n", start, limit)
        stop = limit if end < 0 else end
        hit = _INLINE_BED_LABEL.search(self.text, start, stop)
        if hit is None:
            hit = _INLINE_BED_LABEL_BARE.search(self.text, start, stop)
            if hit is not None and not any(a.start_char == hit.end() for a in self.area_mentions):
                return None
        if hit is None or not re.match(r"\W", self.text[hit.start() - 1 : hit.start()] or " "):
            return None
        j = i
        while j < len(self.doc) and self.tok_idx[j] < hit.end():
            j += 1
        return j

    def _moved_part(self, area: Mention) -> bool:
        """Is `area` a body part the patient moved ("pt moved legs", "arm motion")?"""
        line = self.text.rfind("\n", 0, area.start_char) + 1
        return bool(
            _MOVED_BEFORE.search(self.text, max(line, area.start_char - 24), area.start_char)
            or _MOVED_AFTER.match(self.text, area.end_char)
        )

    def _area_denied(self, area: Mention, m: Mention) -> bool:
        """ "SPECT/CT of the chest, not the abdomen": an area negated in the field of a
        SPECT that is not itself denied, by a denial written between the two, is left out
        of it (a denied SPECT keeps its areas, which say what the denial covers; a denial
        after the area is another clause's: "of the spine was planned, but the CT was not
        acquired")."""
        if area.context != "negated" or m.context == "negated" or area.start < m.end:
            return False
        if "forward" not in str(area.cue_id) or not area.cue:
            return False
        # the denial stands right before this area, not before an earlier one of the field
        start = max(
            [m.end_char]
            + [a.end_char for a in self.area_mentions if m.end <= a.start and a.end <= area.start]
        )
        return area.cue.lower() in self.text[start : area.start_char].lower()

    def _key_value_sentence(self, m: Mention, s: _Sentence) -> _Sentence | None:
        """The value of a planar form key ("Views: hands, feet") when the sentence split
        the line at the key's colon: the next sentence, on the same line."""
        if m.label not in PLANAR_LABELS or m.sent + 1 >= len(self.sentences):
            return None
        key_rest = self.text[m.end_char : s.end].strip()
        if key_rest not in (":", "") or not self.text[m.start_char : s.end].rstrip().endswith(":"):
            return None
        nxt = self.sentences[m.sent + 1]
        return nxt if "\n" not in self.text[s.end : nxt.start] else None

    def _after_empty_box(self, offset: int) -> bool:
        """The text at `offset` is the label of an empty form box: "[ ] lumbar", "☐ pelvis",
        "Lumbar [ ]   Thoracic [x]"."""
        return after_empty_box(self.text, offset, reach=8)

    def _in_unticked_option(self, offset: int) -> bool:
        """The text at `offset` is in the label of an option left unticked: "[ ] Anatomic
        localization / fused review" (the label runs from its box to the next box or the
        end of the line)."""
        return in_unticked_option(self.text, offset)

    def _next_numbered_field(
        self, i: int, s_end: int, stop_at: int, in_sent: list[Mention]
    ) -> int | None:
        """The token after the next semicolon of the sentence, from token `i`, when a
        numbered list item naming an area opens there ("...; (2) both knees"), else None."""
        j = i
        while j < stop_at and self.tok_idx[j] < s_end:
            if self.lower[j] == ";":
                k = self._enumerator_end(j + 1)
                if k is not None and self._next_is_area(k - 1, in_sent):
                    return k
                return None
            j += 1
        return None

    def _enumerator_end(self, j: int) -> int | None:
        """The token after a list item's number opening at token `j` ("(2)", "2)", "2.",
        "b)"), or None when no number opens there."""
        n = len(self.lower)
        k = j + 1 if j < n and self.lower[j] == "(" else j
        if k + 1 < n and _ITEM_NUMBER.fullmatch(self.lower[k]) and self.lower[k + 1] in (")", "."):
            return k + 2
        return None

    def _next_is_area(self, i: int, in_sent: list[Mention]) -> bool:
        """The word after token `i` (an article or side aside) opens an area mention."""
        j = i + 1
        while j < len(self.lower) and self.lower[j] in _AREA_FILLERS:
            j += 1
        return any(a.start == j for a in in_sent)

    def _area_list_bracket(self, i: int, s_end: int, in_sent: list[Mention]) -> bool:
        """Does the bracket opened at token `i` hold only a list of areas split by
        semicolons ("(neck; chest)", "(lumbar spine; pelvis including the sacrum)")?"""
        j = i + 1
        seen = False
        while j < len(self.lower) and self.tok_idx[j] < s_end:
            w = self.lower[j]
            if w == ")":
                return seen
            area = next((a for a in in_sent if a.start == j), None)
            if area is not None:
                seen = True
                j = area.end
                continue
            if w not in (";", ",", "and") and w not in _AREA_FILLERS | _AREA_INCLUDES:
                return False
            j += 1
        return False

    def _aside_end(self, i: int, s_end: int, in_sent: list[Mention]) -> int | None:
        """The token closing the bracket opened at token `i`, in the sentence, when the
        bracket names no area (an aside: "(no CT; camera down)"); else None."""
        j = i + 1
        while j < len(self.doc) and self.tok_idx[j] < s_end:
            w = self.lower[j]
            if w == "(":
                return None
            if w == ")":
                return j
            if any(a.start == j for a in in_sent):
                k = self._activity_after_areas(j, s_end, in_sent)
                if k is None:
                    return None
                j = k  # "(bowel/sternal activity)": the reason for a repeat, no field
            j += 1
        return None

    def _activity_after_areas(self, j: int, s_end: int, in_sent: list[Mention]) -> int | None:
        """The activity word after the areas listed from token `j` ("bowel/sternal
        activity", "bladder uptake"): the areas place tracer activity, naming no field."""
        ends = {a.start: a.end for a in in_sent}
        while j < len(self.doc) and self.tok_idx[j] < s_end:
            if j in ends:
                j = ends[j]
                continue
            w = self.lower[j]
            if w in _ACTIVITY_WORDS:
                return j
            if w not in ("/", "and", ",", "or"):
                return None
            j += 1
        return None

    def _joins_other_exam(self, i: int, s_end: int, in_sent: list[Mention]) -> bool:
        """Does the "+" at token `i` join another exam of its own area to the SPECT ("SPECT/CT
        + bilateral lower extremity venogram")? Its areas are that exam's, not the SPECT's
        ("SPECT/CT chest + abdomen" still lists two fields)."""
        ends = {a.start: a.end for a in in_sent}
        j = i + 1
        while j < len(self.lower) and self.tok_idx[j] < s_end:
            if j in ends:
                j = ends[j]
                continue
            w = self.lower[j]
            if w in _OTHER_EXAM_NOUNS:
                return True
            if w not in _AREA_FILLERS:
                return False
            j += 1
        return False

    def _scope_continues(self, w: str, i: int, in_sent: list[Mention]) -> bool:
        """ "SPECT/CT targeted to T8", "from the skull base to the mid-thigh": "to" (or
        "through") that leads to an area is part of the field, not the start of a purpose."""
        if w not in ("to", "through"):
            return False
        if i > 0 and self.lower[i - 1] in _FIELD_VERBS:
            return True
        starts = {a.start for a in in_sent}
        for j in range(i + 1, min(i + 5, len(self.lower))):
            if j in starts:
                return True
            if self.lower[j] not in _RANGE_FILLERS | _RANGE_INCLUSIVE:
                return False
        return False

    def _with_ct(self, i: int, s: _Sentence) -> bool:
        """ "emission tomography with transmission CT of the chest": the CT named right after
        "with" is the hybrid's own, so the field named after it is the SPECT's too."""
        # (its modifiers between: "with low-dose pediatric CT")
        return any(
            p.label == "CT"
            and p.context is None
            and i < p.start <= i + 6
            and all(
                _CT_MODIFIER.fullmatch(w) and w not in _NOT_CT_MODIFIERS
                for w in self.lower.span(i + 1, p.start)
            )
            for p in s.mentions
        )

    def _with_field(self, i: int) -> bool:
        """ "SPECT/CT acquired with the field of view covering the lower chest and upper
        abdomen": the field named after "with" is the SPECT's own."""
        return _WITH_FIELD.match(self.text, self.doc[i].idx + len(self.doc[i].text)) is not None

    def _single_fov(
        self, spect: list[Mention], areas: tuple[str, ...], timed: dict[int, _Timed]
    ) -> bool:
        for m in spect:
            s = self._sentence_of(m)
            if s is None:
                continue
            hit = self.first(_SINGLE_FOV, s.start, s.end)
            if hit and self._fields_stated_apart(m, spect, areas, timed):
                # "Day 2: repeat SPECT/CT of the pelvis, 1 bed" beside a day-1 SPECT/CT of
                # the lumbar spine and pelvis: the one bed holds its own area, not them all
                continue
            if hit:
                self._ev("single_field_of_view", hit.start(), hit.end(), m.section)
                return True
        # a form's sub-row under the SPECT row: "Bed positions: 1 (single field of view)"
        for row in self._bed_rows(spect):
            hit = self.first(_SINGLE_FOV, row.start, row.end)
            if hit:
                self._ev(
                    "single_field_of_view", hit.start(), hit.end(), self._section_at(hit.start())
                )
                return True
        return False

    def _fields_stated_apart(
        self, m: Mention, spect: list[Mention], areas: tuple[str, ...], timed: dict[int, _Timed]
    ) -> bool:
        """Does an acquisition sentence of another day state a SPECT over all of `areas`,
        while the sentence of `m` (a single bed) states fewer of them?"""
        days = timed[id(m)].days if id(m) in timed else set()
        if not days:
            return False
        stated = {a for _, found in self._scope_areas(m) for a in found}
        if not stated or stated >= set(areas):
            return False
        return any(
            x.sent != m.sent
            and x.section in _ACQUISITION_SECTIONS
            and id(x) in timed
            and timed[id(x)].days
            and not timed[id(x)].days & days
            and {a for _, found in self._scope_areas(x) for a in found} >= set(areas)
            for x in spect
        )

    def planar_areas(self, planar: list[Mention]) -> tuple[str, ...]:
        found: dict[str, Mention] = {}
        for m in planar:
            if m.section not in ("technique", "other", "addendum", "header"):
                continue
            for am, areas in self._scope_areas(m):
                for a in areas:
                    found.setdefault(a, am)
        for a, am in found.items():
            self._ev_m("planar_area", am, a)
        return tuple(sorted(found, key=_AREA_ORDER.__getitem__))

    def _implied_perfusion_spect(self, study_type: str, planar_named: bool) -> bool:
        """A myocardial perfusion study whose report names no acquisition (no SPECT, gated
        or planar wording, none denied): perfusion imaging is tomographic unless said."""
        if study_type != "myocardial_perfusion" or planar_named:
            return False
        if any(m.label in SPECT_LABELS and not self._other_study(m) for m in self.mentions):
            return False  # a SPECT named and denied, deferred or recommended decides
        return self._implicit_planar(study_type)

    def _other_study(self, m: Mention) -> bool:
        """Does `m` name a study other than this report's: a past one (the history, a
        comparison, "prior SPECT/CT") or one the impression suggests for later
        ("Recommendation: SPECT/CT of the pelvis could be considered")? Neither says how
        this study was acquired."""
        return (
            m.section in ("history", "comparison")
            or m.context == "historical"
            or (m.context == "recommended" and m.section == "impression")
        )

    def _implicit_planar(self, study_type: str) -> bool:
        """Imaging with no explicit procedure words ("Bone scan: ... uptake in the ribs")."""
        if study_type in ("out_of_scope",):
            return False
        if _IMAGES_REPORTED_ELSEWHERE.search(self.text):
            return False  # the treadmill part of a nuclear study: its images are reported apart
        negated = any(m.context == "negated" and m.label in IMAGING_LABELS for m in self.mentions)
        tracer = any(
            m.label in ("RADIOPHARM", "STUDY")
            and m.asserted
            # "Exercise treadmill test, Bruce protocol": the stress part names no images
            and m.pattern_id not in _STRESS_LAB_STUDIES
            # "Prior studies reviewed: whole-body bone scan from 2016": a past study named
            # for comparison is no imaging of this report's
            and m.section != "comparison"
            and m.context != "historical"
            for m in self.mentions
        )
        if tracer and self._therapy_document():
            # "RA-223 (XOFIGO) TREATMENT NOTE ... 4.98 MBq given", "RADIATION SAFETY -
            # PATIENT RELEASE": the tracer is the dose given, and nothing is read from
            # images (LABELING.md, gold AF and AS: therapy-only documents have no code)
            return False
        if tracer and not negated and self._imaging_only_booked():
            # a therapy note: "150 mCi I-131 given. Post-therapy whole body scan with
            # SPECT/CT is scheduled for 03/21": the dose is no imaging, and the imaging it
            # names is only booked (LABELING.md, gold AF)
            return False
        return tracer and not negated

    def _therapy_document(self) -> bool:
        """Is the report a therapy, administration or radiation-safety release note: its
        title names the therapy and no imaging, and it has no findings or impression read
        from images?"""
        title = " ".join(
            self.text[x.start : x.end] for x in self.sections.sections if x.label == "header"
        )
        if not _THERAPY_TITLE.search(title) or _IMAGING_TITLE.search(title):
            return False
        return not any(
            x.label in ("findings", "impression") and not self._advice_only(x)
            for x in self.sections.sections
        )

    def _advice_only(self, section: SectionSpan) -> bool:
        """Is the section a recommendation paragraph that names nothing as done or seen
        ("Recommendation: SPECT/CT of the pelvis could be considered if symptoms persist"):
        advice for later, nothing read from images of this report's?"""
        if section.header_start is None or section.header_end is None:
            return False
        if not _ADVICE_HEADER.search(self.text[section.header_start : section.header_end]):
            return False
        # "Recommendation: uptake in the liver on today's images; continue therapy" reads
        # the images: anything it names as so (an area, a study, a tracer) counts
        return not any(
            m.asserted and section.start <= m.start_char < section.end for m in self.mentions
        )

    def _imaging_only_booked(self) -> bool:
        """Is every imaging mention of the report a scheduled or planned one, none stated as
        done?"""
        # a past study named for comparison is no imaging of this report's, nor is a
        # study the impression suggests for later
        imaging = [
            m for m in self.mentions if m.label in IMAGING_LABELS and m.context != "historical"
        ]
        booked = [m for m in imaging if _BOOKED_CUE.search(str(m.cue_id))]
        return bool(booked) and all(
            m.context == "recommended" and (m in booked or self._other_study(m)) for m in imaging
        )

    def _is_planar_wb(self, m: Mention) -> bool:
        """ "whole-body SPECT" or "whole-body PET" is not whole-body planar imaging, nor is
        the range of a tomographic scan named in its clause ("PET/CT, vertex to toes")."""
        nxt = [p for p in self.mentions if p.start == m.end and p.label in SPECT_LABELS | {"PET"}]
        if nxt:
            return False
        if _WB_MEASURE_AFTER.match(self.text, m.end_char):
            # "whole-body PSMA tumor volume 612 mL", "whole-body retention": a measure of
            # the whole body, not whole-body imaging
            return False
        if m.pattern_id in _SWEEP_IDS and any(
            p.end == m.start and p.label in SPECT_LABELS | {"PET"} for p in self.mentions
        ):
            return False  # "a multi-bed SPECT/CT sweep": the tomographic scan's own sweep
        if m.pattern_id in _RANGE_WB_IDS:
            return not any(
                p.sent == m.sent
                and p.label in SPECT_LABELS | {"PET"}
                and ";"
                not in self.text[min(p.end_char, m.end_char) : max(p.start_char, m.start_char)]
                for p in self.mentions
            )
        return True

    # -- time --------------------------------------------------------------------------
    def attach_times(self) -> dict[int, _Timed]:
        """Time points of each imaging mention, keyed by id(mention).

        Leading time phrases ("At 4 h, ...", "On 04/20/2021 (24 h), ...") apply to every
        imaging mention of the sentence; a time right after a mention belongs to it; a time
        right before a mention ("24 hr planar views", "the 2-hour SPECT") belongs to the
        next one. Adjacent mentions ("whole-body anterior and posterior planar images")
        share their times. A mention with no time of its own takes the running context:
        the last day stated ("Day 2:", "the next morning", the last time point), or every
        day seen so far when the sentence says "at each time point" / "on both days".
        """
        result: dict[int, _Timed] = {}
        ctx_day: int | None = None
        ctx_hours: float | None = None
        ctx_from = 0  # where the last time point setting the running day ends
        seen_days: set[int] = set()
        seen_dates: set[str] = set()
        last_imaging: list[Mention] = []
        # "Day 2:" or "DAY 2 03/03/2021:" heading a section: (section start, day). The
        # header is a sentence of its own; the section's minutes are minutes into that day.
        heading: tuple[int, int] | None = None
        heading_span = (0, 0)  # where that heading states its day
        # "ICTAL STUDY (03/14/2024):" heading a section: (section start, date, its span)
        date_heading: tuple[int, str, tuple[int, int]] | None = None
        # "Ictal - 03/17/2023 in the EMU, ..." opening a line: (line end, date, its span)
        line_date: tuple[int, str, tuple[int, int]] | None = None
        # a second injection on a later date (ictal, then interictal two days later): the
        # hours after it count from its day, not from the first injection's
        first_injection: str | None = None
        offset = 0
        injection_days: set[int] = set()  # the days of all injections (day 0 the first)
        # the date of each later injection, by its day: a clock time on that day is a time
        # point on that date ("interictal: injected 03/05 at 13:00, SPECT at 13:40")
        injection_dates: dict[int, str] = {}
        last_spect: list[Mention] = []  # the SPECT a template's "Imaging days:" line is about
        # the SPECT mentions so far, and the running day of those with no time of their own
        spect_seen: list[Mention] = []
        untimed_day: dict[int, int] = {}
        list_owner: list[Mention] = []  # the SPECT whose time points the next lines list
        # the imaging of an "at each time point" sentence told before its time points: a
        # time-point table after it lists them ("Time point | date | p.i." then "TP1 | ...")
        every_owner: list[Mention] = []
        from_every: set[int] = set()  # mentions given the days seen so far by "each time point"
        later_ct = self._later_ct_spans()
        worksheet_end = self._worksheet_end
        # the end of the time-point table row that set the running day ("day 2 | SPECT/CT")
        row_day_end: int | None = None
        after_table = False  # the running day is a table row's, told in an earlier block
        # a time-point line heading bullet lines ("24 h - 11/08 09:05:"): its end and times
        time_head: tuple[int, list[tuple[int, int, int | None, str | None, float | None]]] | None
        time_head = None
        for s in self.sentences:
            if worksheet_end is not None and s.start >= worksheet_end:
                # the physician's report after a worksheet's "DAY 2" row does not run on in
                # that day: its days are its own
                ctx_day = ctx_hours = None
                worksheet_end = None
            if (
                row_day_end is not None
                and self.text.count("|", s.start, s.end) < 2
                and _BLANK_LINE.search(self.text, row_day_end, s.start)
            ):
                # prose in a block after a time-point table ("day 2 | SPECT/CT" then "NOTES:
                # ... SPECT/CT performed the following morning") tells the table's time
                # points again from the injection: its day phrases do not count on from the
                # table's last row (its untimed imaging still takes that row's day)
                after_table = True
                row_day_end = None
            if not s.times and not s.mentions and self.text.count("|", s.start, s.end) < 2:
                # nothing timed, nothing imaged (a table row may still be a day's: "2 | yes"):
                # the running context stays as it is
                continue
            if any(a <= s.start < b for a, b in self.without):
                continue
            imaging = [m for m in s.mentions if m.label in IMAGING_LABELS]
            # "2 days later" is both a day phrase and a time point: the time point says it once
            day_phr = [
                m
                for m in s.mentions
                if m.label == "DAY"
                and m.context is None
                and not any(t.start < m.end_char and m.start_char < t.end for t in s.times)
            ]
            # "[ ] 24-hour" on a pick list: a time point offered and not ticked was not imaged
            # and sets no running day (LABELING.md gold Q: unticked options say nothing)
            items: list[tuple[int, str, object]] = [
                (t.start, "t", t) for t in s.times if not self._after_empty_box(t.start)
            ]
            items += [
                (m.start_char, "d", m) for m in day_phr if not self._after_empty_box(m.start_char)
            ]
            # "camera cal 01/30/2024", "prior bone scan 1/18": the date of a calibration or
            # of an earlier study, no day of this study's imaging
            items = [
                x
                for x in items
                if not (
                    x[1] == "t"
                    and x[2].kind == "date"  # type: ignore[attr-defined]
                    and _OTHER_EVENT_DATE_BEFORE.search(self.text, max(0, x[0] - 40), x[0])
                )
            ]
            if later_ct:
                # "CT reserved for the 24 h session": the later session's time, not this one's
                items = [x for x in items if not any(a <= x[0] < b for a, b in later_ct)]
            if any(m.label == "OTHER_IMAGING" for m in s.mentions):
                # "the MRI of 02/09/2024 was registered to the SPECT": another study's date,
                # in whatever form it is written, is no day of this study's imaging
                items = [
                    x
                    for x in items
                    if not (x[1] == "t" and self._dates_another_study(x[2], s))  # type: ignore[arg-type]
                ]
            items.sort(key=lambda x: x[0])
            if imaging and len(items) > 1 and self.text.count("|", s.start, s.end) >= 2:
                # "| 3 | 3 h | Chest | SPECT | not acquired - 1 h study diagnostic |": a time
                # in a remark after the row's imaging is the remark's, not the row's
                items = [x for x in items if not self._remark_cell_time(x[0], imaging)]
            resolved: list[tuple[int, int, int | None, str | None, float | None]] = []
            # a later injection dated in this sentence: (its date's span, its day)
            dosed: list[tuple[tuple[int, int], int]] = []
            phrase_day: tuple[int, int] | None = None  # the end and day of a day phrase
            day_label_end: int | None = None  # the end of a "Day 2" label
            # "24 hrs (next day)": the hours say it; "the second day ... after 45 min" does not
            has_hours = any(
                t.kind == "hours" and day_of_hours(float(t.value)) >= 1 for t in s.times
            )
            if self.sections.label_at(s.start) in ("history", "comparison"):
                continue
            if (
                s.times
                and not any(m.label in IMAGING_LABELS for m in s.mentions)
                and self._negated_statement(s)
                # a table row's "No" is one cell's value (`_table_row_times`)
                and self.text.count("|", s.start, s.end) < 2
            ):
                # "No 48-hour imaging was needed": a time point that never happened sets no
                # running day for the findings that follow
                continue
            section = self.sections.section_at(s.start)
            # "Day 2: ... SPECT at 60 min": minutes into day 2
            sent_day = heading[1] if heading and section and section.start == heading[0] else None
            head_day = sent_day
            inline_day_end: int | None = None  # where the sentence's own "day N" ends
            # the running day before each item of the sentence
            ctx_marks: list[tuple[int, int | None]] = []
            for _pos, kind, obj in items:
                ctx_marks.append((_pos, ctx_day))
                if kind == "d":
                    dm: Mention = obj  # type: ignore[assignment]
                    prev = resolved[-1] if resolved else None
                    day_listed = _LISTED_BEFORE_HOURS.match(self.text, dm.end_char, s.end) or (
                        # "at 4 hours and the following morning": a same-day hour, then
                        # another day
                        prev is not None
                        and prev[4] is not None
                        and prev[4] < _OVERNIGHT_HOURS
                        and prev[1] <= dm.start_char
                        and _AND_AGAIN.fullmatch(self.text, prev[1], dm.start_char)
                    )
                    if has_hours and dm.value != "same" and not day_listed:
                        continue  # "24 hrs (next day)": the hours already say it
                    if day_label_end is not None and _RESTATED_GAP.fullmatch(
                        self.text, day_label_end, dm.start_char
                    ):
                        continue  # "Day 2 (next morning, ...)": the phrase glosses the label
                    # ("in the same session" still means the row's session)
                    restart = after_table and dm.value != "same"
                    base = ctx_day if ctx_day is not None and not restart else 0
                    day = base if dm.value == "same" else base + int(str(dm.value).lstrip("+") or 1)
                    prev = resolved[-1] if resolved else None
                    if (
                        prev is not None
                        and prev[4] is not None
                        and prev[2] is not None
                        and day == prev[2] + 1
                        # an overnight time point: "at 4 h, the next day and day 5" is a list
                        and prev[4] >= _OVERNIGHT_HOURS
                        and _RESTATED_GAP.fullmatch(self.text, prev[1], dm.start_char)
                    ):
                        # "at about 18 h (the next morning)": one time point, on the
                        # calendar day the phrase names (LABELING.md gold AA: days are dates)
                        resolved[-1] = (prev[0], prev[1], day, prev[3], prev[4])
                        ctx_day = day
                        continue
                    resolved.append((dm.start_char, dm.end_char, day, None, None))
                    ctx_day, ctx_hours = day, day * 24.0
                    phrase_day = (dm.end_char, day)
                    continue
                t: TimeExpr = obj  # type: ignore[assignment]
                if (
                    t.kind == "date"
                    and section is not None
                    and section.label == "addendum"
                    and section.header_start is not None
                    and section.header_end is not None
                    and (
                        section.header_start <= t.start < section.header_end
                        or not self.text[section.header_end : t.start].strip()
                    )
                ):
                    # "Addendum 10/05/2020:", "Addendum: 10/05/2020 The CT ...": the day it
                    # was written, no imaging day
                    continue
                if self._injection_time(t, s):
                    # "received 4.1 mCi on November 17": the injection, not imaging
                    if first_injection is None:
                        first_injection = self.injection_date = str(t.value)
                        injection_days.add(0)
                    else:
                        days = days_between(first_injection, str(t.value))
                        if days is not None and days < 0 and len(first_injection) == 5:
                            days += 365  # "12/30" then "01/02": the later date is next year
                        if days is not None and days > 0:
                            offset = max(offset, days)
                            ctx_day, ctx_hours = offset, offset * 24.0
                            injection_days.add(days)
                            injection_dates[days] = str(t.value)
                            dosed.append(((t.start, t.end), days))
                    continue
                if self._reason_time(t, imaging):
                    continue
                if (
                    _MISSED_TIME.match(self.text, t.end)
                    or _MISSED_BEFORE.search(self.text, max(0, t.start - 12), t.start)
                    or self._row_time_not_imaged(t, s)
                ):
                    # "96 h tp missed, pt did not come back": a time point never imaged
                    # (LABELING.md: a dosimetry time point the patient missed is not
                    # performed) is no imaging day and sets no running day
                    continue
                if t.kind == "hours" and ctx_hours is not None:
                    # a second tracer injected during the study: its times run from that injection
                    # (looked up only here: most sentences never need it)
                    # ("4 days post injection and 7 days post injection": the injection a
                    # time counts from is no second one)
                    injection = next(
                        (
                            x
                            for x in sorted(
                                self.all_in(_INJECTION, s.start, s.end)
                                + self.all_in(_DOSE_IV, s.start, s.end),
                                key=lambda x: x.start(),
                            )
                            if not _COUNTED_FROM.search(
                                self.text, max(0, x.start() - 24), x.start()
                            )
                            # "repeat SPECT/CT (no reinjection), 22 h post injection": a
                            # dose denied is no second one
                            and not _NO_DOSE_BEFORE.search(
                                self.text, max(0, x.start() - 24), x.start()
                            )
                        ),
                        None,
                    )
                    if (
                        injection
                        and injection.end() <= t.start
                        # "received the tracer; views at 4 h and 2 days post injection;
                        # SPECT at 4 h": times told after the injection already run from it
                        and not any(r[0] >= injection.end() for r in resolved)
                    ):
                        t = TimeExpr("later", t.value, t.start, t.end, t.text)
                if t.kind == "hours":
                    hours = float(t.value) + offset * 24.0
                    day = day_of_hours(hours)
                    if day == 0 and sent_day is not None:
                        # "Day 2: SPECT at 60 min": minutes into that day; "WB at 4 h and
                        # on day 2; SPECT at 4 h and the next morning": another clause's day
                        # item leaves the hours the injection's
                        inline = inline_day_end is not None and sent_day != head_day
                        if not (inline and ";" in self.text[inline_day_end : t.start]):
                            day = sent_day
                    if (
                        phrase_day is not None
                        and phrase_day[1] == day + 1
                        and (
                            (
                                float(t.value) >= _OVERNIGHT_HOURS
                                and _RESTATED_GAP.fullmatch(self.text, phrase_day[0], t.start)
                            )
                            or _CLOCKED_RESTATED_GAP.fullmatch(self.text, phrase_day[0], t.start)
                        )
                    ):
                        # "the next morning (approximately 18 hours)": the hours restate
                        # the day the phrase names, a calendar day (LABELING.md gold AA)
                        day = phrase_day[1]
                    if len(injection_days) > 1 and _EACH_INJECTION.match(self.text, t.end, s.end):
                        # "60 minutes after each injection": that time point after every dose
                        for d in sorted(injection_days - {offset}):
                            h = float(t.value) + d * 24.0
                            resolved.append((t.start, t.end, day_of_hours(h), None, h))
                    resolved.append((t.start, t.end, day, None, hours))
                    ctx_day, ctx_hours = day, hours
                elif t.kind == "later":
                    h = (ctx_hours if ctx_hours is not None else (ctx_day or 0) * 24.0) + float(
                        t.value
                    )
                    day = day_of_hours(h)
                    resolved.append((t.start, t.end, day, None, h))
                    ctx_day, ctx_hours = day, h
                elif t.kind == "day":
                    day = int(float(t.value))
                    if (
                        phrase_day is not None
                        and resolved
                        and resolved[-1][1] == phrase_day[0]
                        and _RESTATED_GAP.fullmatch(self.text, phrase_day[0], t.start)
                    ):
                        # "the next morning (day 2)": the day number restates the phrase,
                        # which may have counted from a later running day than the injection
                        prev = resolved[-1]
                        resolved[-1] = (prev[0], prev[1], day, prev[3], prev[4])
                        ctx_day, ctx_hours = day, day * 24.0
                        phrase_day = None
                        continue
                    resolved.append((t.start, t.end, day, None, None))
                    ctx_day, ctx_hours = day, day * 24.0
                    sent_day = day
                    inline_day_end = t.end
                    day_label_end = t.end
                    if (
                        section
                        and section.header_start is not None
                        and section.header_end is not None
                        and section.header_start <= t.start < section.header_end
                    ):
                        heading = (section.start, day)
                        heading_span = (t.start, t.end)
                else:
                    resolved.append((t.start, t.end, None, str(t.value), None))
                    part_line = self._part_date_line(t, section)
                    if part_line:
                        self.part_dates.append(str(t.value))
                    if section is not None and self._study_date_heading(section, t):
                        date_heading = (section.start, str(t.value), (t.start, t.end))
                    elif not imaging and part_line:
                        line_date = (self._wrapped_line_end(t.end), str(t.value), (t.start, t.end))
            if any(r[2] is not None for r in resolved):
                ctx_from = max(r[1] for r in resolved if r[2] is not None)
                after_table = False
                row = self.text.count("|", s.start, s.end) >= 2
                row_day_end = len(self.text[: s.end].rstrip()) if row else None
            if self.sections.label_at(s.start) in _ACQUISITION_SECTIONS:
                seen_days |= {r[2] for r in resolved if r[2] is not None}
                here = {r[3] for r in resolved if r[3] is not None}
                seen_dates |= here
                if len(here) >= 2:
                    self.date_lines.append(here)
            if time_head is not None and not self._bullet_under(time_head[0], s.start):
                time_head = None
            if (
                not imaging
                and resolved
                and self._time_heading_line(s)
                and self.sections.label_at(s.start) in _ACQUISITION_SECTIONS
            ):
                time_head = (s.end, resolved)
            if not imaging:
                if list_owner and resolved and _LIST_ITEM.match(self.text, s.start, s.end):
                    # "SPECT/CT of the abdomen at:" then one line per time point
                    for m in list_owner:
                        tm = result.setdefault(id(m), _Timed())
                        if tm.inherited:
                            tm.days.clear()
                            tm.dates.clear()
                            tm.inherited = False
                        for r in resolved:
                            _add_time(tm, r)
                    continue
                list_owner = []
                if self._table_row_times(s, resolved, result) or not resolved:
                    continue
                if every_owner and self._time_point_row(s):
                    for m in every_owner:
                        tm = result.setdefault(id(m), _Timed())
                        if tm.inherited or id(m) in from_every:
                            # the days seen before the table (a header's date) give way
                            tm.days.clear()
                            tm.dates.clear()
                            tm.inherited = False
                            from_every.discard(id(m))
                        for r in resolved:
                            _add_time(tm, r)
                    continue
                if last_imaging and self.first(_SAME_AGAIN, s.start, s.end):
                    for m in last_imaging:
                        for r in resolved:
                            _add_time(result.setdefault(id(m), _Timed()), r)
                elif (last_spect or last_imaging) and self.first(_TEMPLATE_DAYS, s.start, s.end):
                    # "Planar whole body: [X] Yes" then "Imaging time points: 24 h, 48 h"
                    # before any SPECT row: the planar row's time points
                    owners = last_spect or [
                        m
                        for m in last_imaging
                        if m.label in PLANAR_LABELS and m.section in _ACQUISITION_SECTIONS
                    ]
                    for m in owners:
                        _template_days(result.setdefault(id(m), _Timed()), resolved)
                continue
            last_imaging = [m for m in imaging if m.asserted]
            every_owner = []
            spect_here = [
                m
                for m in last_imaging
                if m.label in SPECT_LABELS and m.section in _ACQUISITION_SECTIONS
            ]
            last_spect = spect_here or last_spect
            # a SPECT sentence that ends in a colon opens a list of its time points
            list_owner = spect_here if self.text[s.start : s.end].rstrip().endswith(":") else []
            if list_owner and self.first(_EVERY_TIME_POINT, s.start, s.end):
                # "(SPECT/CT of the abdomen plus whole-body planar at each time point):" the
                # listed time points are the planar images' too
                list_owner = list_owner + [m for m in last_imaging if m not in list_owner]
            groups = self._adjacent_groups(imaging, s.times)
            first_img = min(m.start_char for m in imaging)
            leading = [r for r in resolved if r[1] <= first_img]
            shared = self.first(_BOTH, s.start, s.end)
            for r in resolved:
                if r[1] <= first_img:
                    continue
                if shared is not None and r[0] >= shared.start():
                    for g in imaging:  # "WB and SPECT/CT of the pelvis, both at 4 h and 24 h"
                        _add_time(result.setdefault(id(g), _Timed()), r)
                    continue
                target = self._time_target(r, imaging)
                if target is not None:
                    partner = self._coordinated_planar(
                        target, imaging, r[0]
                    ) or self._coordinated_spect(target, imaging, r[1], s)
                    for g in groups[id(target)] + (groups[id(partner)] if partner else []):
                        _add_time(result.setdefault(id(g), _Timed()), r)
            every = self.first(_EVERY_TIME_POINT, s.start, s.end)
            for m in imaging:
                tm = result.setdefault(id(m), _Timed())
                if tm.dates and not tm.days and m.section not in ("findings", "impression"):
                    # "4h WB 9/8": the time point and the date of one image
                    for r in leading:
                        if r[4] is not None and self._right_before(r[1], m):
                            _add_time(tm, r)
                if not (tm.days or tm.dates) and m.section in ("findings", "impression"):
                    # "48 hour whole body: intense mediastinal uptake": a time opening the
                    # line right before the images it keys names those images' time point
                    for r in leading:
                        if self._time_keyed_images(r[0], r[1], m):
                            _add_time(tm, r)
                if tm.days or tm.dates or m.section in ("findings", "impression"):
                    continue  # a findings sentence's leading times are about the findings
                for r in self._clause_leading(leading, m, s, resolved, imaging):
                    if any(
                        x is not m and x.context == "negated" and self._right_before(r[1], x)
                        for x in imaging
                    ):
                        # "No 4-hour SPECT was done, and the chest was not in the tomographic
                        # field": a time qualifying a denied mention is that mention's only
                        continue
                    _add_time(tm, r)
                if tm.days or tm.dates:
                    continue
                # the running day before the mention (the sentence may state another later)
                day_before = next((c for p, c in ctx_marks if p >= m.start_char), ctx_day) or 0
                clock = _CLOCK_AFTER.match(self.text, m.end_char, min(s.end, m.end_char + 60))
                if clock is not None and day_before and not offset:
                    set_at = max(
                        (r[1] for r in resolved if r[2] is not None and r[1] <= m.start_char),
                        default=ctx_from,
                    )
                    if self._first_dose_between(set_at, m.start_char):
                        # "24-HOUR REDISTRIBUTION SPECT" over "Tl-201 3.5 mCi IV at 09:10.
                        # Rest SPECT at 09:30.": a time point told before the first dose
                        # (the title's) is no running day; the clock counts from the dose
                        day_before = 0
                if clock is not None:
                    # "ictal SPECT at 15:05 ... interictal SPECT the following afternoon": the
                    # first is a time point of its own on the day stated before it
                    tm.days.add(day_before)
                    if day_before in injection_dates:
                        # the day of a later injection stated as a date: the image's date
                        # too, to tell it from an earlier image dated on its own
                        tm.dates.add(injection_dates[day_before])
                    part = "at" if clock.group("at") else "bracket"
                    tm.evidence.append((clock.start(part), clock.end(part)))
                    continue
                dose = next((d for d in reversed(dosed) if d[0][1] <= m.start_char), None)
                if dose is not None and m.asserted and m.section in _ACQUISITION_SECTIONS:
                    # "Interictal: 22 mCi HMPAO on 10/05/2023, SPECT/CT of the head": the
                    # imaging told after a later injection in its sentence is that day's own
                    # (as "SPECT at 15:05" after it would be), not the running day
                    tm.days.add(dose[1])
                    tm.dates.add(injection_dates[dose[1]])
                    tm.evidence.append(dose[0])
                    continue
                paired = self.first(_EACH_PAIRED, s.start, m.start_char)
                listed = [r for r in resolved if paired and r[1] <= paired.start()]
                if paired and listed:
                    for r in listed:
                        _add_time(tm, r)
                    continue
                if every and m.asserted and m.section in _ACQUISITION_SECTIONS:
                    # a table of the time points may follow and replace the days seen so far
                    every_owner.append(m)
                    from_every.add(id(m))
                if every and (seen_days or seen_dates):
                    tm.days |= seen_days
                    tm.dates |= seen_dates
                    tm.evidence.append((every.start(), every.end()))
                    continue
                if self._findings_key(m) or self._finding_keyed_line(m):
                    # "Feet SPECT/CT: intense uptake ..." under the findings: a key naming
                    # the images read, like the findings themselves, is no acquisition told
                    # on the running day (the 24 h planar views the technique ended with)
                    continue
                if m in spect_here:
                    # the day stated before it, for a repeat later in the sentence to tell
                    # ("SPECT/CT at 2 p.m. ... repeated next morning")
                    untimed_day[id(m)] = day_before
                if time_head is not None and m.section in _ACQUISITION_SECTIONS:
                    # "24 h - 11/08 09:05:" then "* whole-body ...": the time-point line
                    # heading the bullets is the time of the images each bullet names
                    for r in time_head[1]:
                        _add_time(tm, r)
                    continue
                if head_day is not None and ctx_day == head_day:
                    # "Day 2:\nSPECT/CT of the abdomen.": the day heading its section is the
                    # time of the imaging under it, as a time in its own sentence would be
                    tm.days.add(head_day)
                    tm.evidence.append(heading_span)
                    continue
                if ctx_day is not None:
                    tm.days.add(ctx_day)
                    tm.inherited = True
            if (
                date_heading is not None
                and section is not None
                and section.start == date_heading[0]
            ):
                # "ICTAL STUDY (03/14/2024): ... SPECT acquired at 1 hour": the heading's date
                # is the day of the imaging under it; its hours run from that day's injection
                for m in imaging:
                    tm = result.setdefault(id(m), _Timed())
                    if tm.dates or not m.asserted or m.section in ("findings", "impression"):
                        continue
                    if tm.inherited:
                        tm.days.clear()
                        tm.inherited = False
                    tm.dates.add(date_heading[1])
                    tm.evidence.append(date_heading[2])
            if line_date is not None and s.start >= line_date[0]:
                line_date = None
            if line_date is not None:
                # "Ictal - 03/17/2023 in the EMU, 24.7 mCi given. ... SPECT started 11:35.":
                # the date opening the line dates the imaging told later on it, as a study's
                # dated heading dates its section (not the running day of the line before)
                for m in imaging:
                    tm = result.setdefault(id(m), _Timed())
                    if tm.dates or not m.asserted or m.section not in ("technique", "other"):
                        continue
                    if tm.inherited:
                        tm.days.clear()
                        tm.inherited = False
                    tm.dates.add(line_date[1])
                    tm.evidence.append(line_date[2])
                    tm.line_dated = True
            for m in spect_here:
                if spect_seen:
                    self._repeat_on_later_day(m, spect_seen[-1], result, untimed_day, s)
                spect_seen.append(m)
        return result

    def _first_dose_between(self, start: int, end: int) -> bool:
        """Is the report's first activity, outside the history, a dose given IV ("3.5 mCi
        IV", "23.8 mCi Tc-99m MDP IV") in text[start:end]? A later tracer's dose after
        the first one's time points starts no count of its own."""
        for hit in self.all_in(_ACTIVITY, 0, len(self.text)):
            if self.sections.label_at(hit.start()) in ("history", "comparison"):
                continue
            dose = _DOSE_IV.match(self.text, hit.start())
            return dose is not None and start <= hit.start() and dose.end() <= end
        return False

    def _time_heading_line(self, s: _Sentence) -> bool:
        """Is `s` a line of its own that tells only a time point and ends in a colon ("24 h -
        11/08 09:05:", "48 h (11/09):"), the heading of the bullet lines after it?"""
        if not self._whole_line(s) or not s.times:
            return False
        pos = s.start
        for t in sorted(s.times, key=lambda x: x.start):
            if not re.fullmatch(r"[\s\W\d]*(?:at|on)?[\s\W]*", self.text[pos : t.start]):
                return False
            pos = max(pos, t.end)
        return _TIME_HEADING_REST.fullmatch(self.text, pos, s.end) is not None

    def _bullet_under(self, head_end: int, start: int) -> bool:
        """Does the sentence at `start` open a bullet line in the run of bullet lines right
        after a time heading ending at `head_end` (no blank line, no other line between)?"""
        if _BLANK_LINE.search(self.text, head_end, start):
            return False
        line = self.text.rfind("\n", 0, start) + 1
        if line < head_end:
            return True  # the heading's own line, or a sentence on a bullet line already seen
        pos = head_end
        while pos <= line:
            if _BULLET_LINE.match(self.text, pos) is None:
                return False
            nxt = self.text.find("\n", pos)
            if nxt < 0 or nxt >= line:
                break
            pos = nxt + 1
        return _BULLET_LINE.match(self.text, line) is not None

    def _study_date_heading(self, section: SectionSpan, t: TimeExpr) -> bool:
        """Is the date `t` in its section's heading, after words naming one study ("ICTAL
        STUDY (03/14/2024):")? A read's or an addendum's date is no study's."""
        if section.header_start is None or section.header_end is None:
            return False
        if not section.header_start <= t.start < section.header_end:
            return False
        if section.label not in _ACQUISITION_SECTIONS - {"addendum"}:
            return False
        return _STUDY_DATE_HEADING.fullmatch(self.text, section.header_start, t.start) is not None

    def _part_date_line(self, t: TimeExpr, section: SectionSpan | None) -> bool:
        """Does the date `t` open a line of the technique after the name of one study of a
        paired protocol ("Ictal - 03/17/2023 in the EMU, ...", "Interictal: 03/14/2023,
        ...")? A header's or a read's date is no study's."""
        if section is None or section.label not in ("technique", "other"):
            return False
        line_start = self.text.rfind("\n", 0, t.start) + 1
        return _PART_DATE_LINE.fullmatch(self.text, line_start, t.start) is not None

    def _later_ct_spans(self) -> list[tuple[int, int]]:
        """Where a CT kept for a later session names that session: in "no CT; CT reserved
        for the 24 h session" the 24 h is when the CT comes, not a time of this line's
        SPECT (to the end of the clause)."""
        spans: list[tuple[int, int]] = []
        for m in self.mentions:
            if m.label != "CT":
                continue
            hit = _CT_FOR_LATER.match(self.text, m.end_char)
            if hit is None:
                continue
            stop = _CLAUSE_END.search(self.text, hit.end())
            spans.append((hit.end(), stop.start() if stop else len(self.text)))
        return spans

    def _row_time_not_imaged(self, t: TimeExpr, s: _Sentence) -> bool:
        """Does `t` key a time-point row whose status says it was never imaged ("168 h -
        21-MAY-2024: missed (protocol deviation)", "72 h | not acquired")? The row's key is
        its times only, joined by a dash, comma or bracket; its status follows a colon, bar
        or dash. Like "96 h tp missed" (LABELING.md: a dosimetry time point the patient
        missed is not performed), it is no imaging day. A key with words besides its times
        ("24 h whole-body images: not done") is left to the statements about what it names."""
        pos = t.end
        later = sorted((x for x in s.times if x.start >= t.end), key=lambda x: x.start)
        for x in later:
            join = _ROW_KEY_JOIN.match(self.text, pos, x.start)
            if join is None or join.end() != x.start:
                break
            pos = x.end
        return _ROW_NOT_IMAGED.match(self.text, pos) is not None

    def _reason_time(self, t: TimeExpr, imaging: list[Mention]) -> bool:
        """Is `t` in the reason given for the imaging before it, with a finding ("SPECT/CT
        repeated because of bowel activity at 24 h")? It dates the finding, not an image,
        and sets no running day."""
        before = [m for m in imaging if m.end_char <= t.start]
        if not before:
            return False
        if self._camera_aside(t.start, before[-1].end_char):
            return True
        reason = _REASON.search(self.text, before[-1].end_char, t.start)
        if reason is not None and _FINDING.search(self.text, reason.end(), t.start) is not None:
            return True
        # "a second SPECT/CT to evaluate a focus seen on day 1": the day the finding was
        # first seen, an earlier image's, not this one's
        seen = _SEEN_ON.search(self.text, before[-1].end_char, t.start)
        return (
            seen is not None
            and _FINDING.search(self.text, before[-1].end_char, seen.start()) is not None
        )

    def _camera_aside(self, offset: int, after: int) -> bool:
        """Is `offset` in a bracket, opened after `after`, that speaks of a camera ("SPECT -
        CT not acquired (hybrid CT tube down for service 04/12-04/14)")? Its dates are the
        camera's downtime, no day of imaging."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        opened = self.text.rfind("(", max(after, line_start), offset)
        if opened < 0 or ")" in self.text[opened:offset]:
            return False
        return any(
            m.label in ("CAMERA", "NO_CT_CAMERA") and opened < m.start_char < offset
            for m in self.mentions
        )

    def _negated_statement(self, s: _Sentence) -> bool:
        """Does a negation cue ("no", "not obtained") stand in the sentence?"""
        for c in self.doc._.cues or ():
            if c.context == "negated" and s.start <= self.tok_idx[c.start] < s.end:
                return True
        return False

    def _negated_clause(self, m: Mention, s: _Sentence) -> bool:
        """Does a negation cue stand in the clause of `m` ("the patient could not stay for
        the SPECT/CT")? Not one in another clause of the sentence, or in a bracketed aside
        that leaves `m` out: "Interictal: 25 mCi ECD at rest (EEG-confirmed no seizure for
        24 h) on 05/03; brain SPECT at 50 min" denies a seizure, not the SPECT."""
        start = max(s.start, self.text.rfind(";", s.start, m.start_char) + 1)
        end = self.text.find(";", m.end_char, s.end)
        if end < 0:
            end = s.end
        for c in self.doc._.cues or ():
            if c.context != "negated":
                continue
            pos = self.tok_idx[c.start]
            if start <= pos < end and not self._aside_without(pos, m, start, end):
                return True
        return False

    def _aside_without(self, pos: int, m: Mention, start: int, end: int) -> bool:
        """Is `pos` inside a bracket of text[start:end] that does not hold `m`?"""
        opened = self.text.rfind("(", start, pos)
        if opened < 0 or self.text.find(")", opened, pos) >= 0:
            return False
        closed = self.text.find(")", pos, end)
        return closed >= 0 and (closed <= m.start_char or opened >= m.end_char)

    def _clause_leading(
        self,
        leading: list[tuple[int, int, int | None, str | None, float | None]],
        m: Mention,
        s: _Sentence,
        resolved: list[tuple[int, int, int | None, str | None, float | None]],
        imaging: list[Mention],
    ) -> list[tuple[int, int, int | None, str | None, float | None]]:
        """The leading times of `m`'s own clause when it has any: in "05/16 (4-hour images);
        05/17 (24-hour images and SPECT/CT)" the SPECT/CT is the 24-hour one only. A clause
        after the sentence's first image may open with its own time ("whole-body images at
        4 h; 24 hours after injection, a whole-body sweep"), and a line's key may hold the
        time of its value ("Planar (48 h): anterior and posterior whole-body images")."""
        semi = self.text.rfind(";", s.start, m.start_char)
        key = self._key_time(m, s, resolved)
        if semi < 0:
            return leading or key
        own = [r for r in leading if r[0] > semi]
        if own:
            return own
        # a later clause opening with a time of its own ("...; 24 hours after injection,
        # a whole-body sweep"): the leading times are no longer the running ones
        later = [
            r
            for r in resolved
            if r not in leading and r[1] <= m.start_char and self._opens_clause(r[0], s, imaging)
        ]
        if later:
            # this clause's own opening time, or none (the running day then applies)
            return [r for r in later if r[0] > semi]
        return leading or key

    def _opens_clause(self, start: int, s: _Sentence, imaging: list[Mention]) -> bool:
        """Does the time at `start` open a clause after a semicolon, before any image of
        that clause?"""
        semi = self.text.rfind(";", s.start, start)
        return semi >= 0 and not any(semi < x.start_char < start for x in imaging)

    def _key_time(
        self,
        m: Mention,
        s: _Sentence,
        resolved: list[tuple[int, int, int | None, str | None, float | None]],
    ) -> list[tuple[int, int, int | None, str | None, float | None]]:
        """The time in the bracket closing the key of `m`'s line ("Planar (48 h): ..."),
        when `m` is in the key's value."""
        line_start = max(s.start, self.text.rfind("\n", 0, m.start_char) + 1)
        sep = _KEY_SEPARATOR.search(self.text, line_start, m.start_char)
        if sep is None:
            return []
        colon = sep.start()
        if not any(
            x.label in IMAGING_LABELS and line_start <= x.start_char and x.end_char <= colon
            for x in s.mentions
        ):
            return []
        return [
            r
            for r in resolved
            if line_start <= r[0]
            and r[1] <= colon
            and _KEY_TIME_CLOSE.fullmatch(self.text, r[1], colon) is not None
        ]

    def _repeat_on_later_day(
        self,
        m: Mention,
        earlier: Mention,
        result: dict[int, _Timed],
        untimed_day: dict[int, int],
        s: _Sentence,
    ) -> None:
        """ "SPECT/CT of the pelvis ...; the SPECT/CT was repeated the next morning": a SPECT
        repeated on a later day was also acquired on an earlier one, so the SPECT mention
        before it, when it states no time of its own, counts on the day it was stated in
        (the injection day when none was). A repeat on the same day (motion) adds no day."""
        tm = result.get(id(m))
        if tm is None or tm.inherited or not tm.days or not tm.evidence:
            return
        lo = min(m.start_char - 25, *(e[0] for e in tm.evidence))
        hi = max(m.end_char + 30, *(e[1] for e in tm.evidence))
        lo = max(lo, s.start, self.text.rfind(";", s.start, m.start_char) + 1)
        semi = self.text.find(";", m.end_char, s.end)
        hi = min(hi, s.end if semi < 0 else semi)
        # the repeat is the SPECT's, not another image's: "repeat spot views, then SPECT/CT"
        others = [x.start_char for x in s.mentions if x.label in IMAGING_LABELS and x is not m]
        cue = next(
            (
                c
                for c in self.all_in(_REPEATED, lo, hi)
                if not any(
                    min(c.end(), m.end_char) <= o < max(c.start(), m.start_char) for o in others
                )
            ),
            None,
        )
        if cue is None:
            return
        if any(
            a[1] <= cue.start() and cue.end() <= b[0]
            for a, b in itertools.pairwise(sorted(set(tm.evidence)))
        ):
            # "SPECT/CT of the neck on day 3 and again on day 7": the repeat is between the
            # mention's own time points, so its first acquisition is told there too; the
            # SPECT named before it (a title) is no earlier one
            return
        day = untimed_day.get(id(earlier))
        etm = result.get(id(earlier))
        if day is None or etm is None or day >= min(tm.days):
            return
        if etm.inherited or not (etm.days or etm.dates):
            etm.days, etm.inherited = {day}, False
            etm.evidence.append((cue.start(), cue.end()))

    def _table_row_times(
        self,
        s: _Sentence,
        resolved: list[tuple[int, int, int | None, str | None, float | None]],
        result: dict[int, _Timed],
    ) -> bool:
        """A row of a pipe table ("| Ictal | 02/15 23:47 | 02/16 00:52 |"): its times belong to
        the imaging its column header names. Returns whether any time found its imaging."""
        if self.text.count("|", s.start, s.end) < 2:
            return False
        found = False
        timed_here: list[_Timed] = []
        for r in resolved:
            for m in self._table_column_mentions(r[0]):
                tm = result.setdefault(id(m), _Timed())
                _add_time(tm, r)
                if r[3] is None:
                    timed_here.append(tm)
                found = True
        if found:
            # "Session | Date | Dose | SPECT" then "B | 04/15/2021 | 25 mCi | yes, 45 min p.i.":
            # the minutes after that row's injection fall on the row's date
            for r in self._date_column_dates(s, resolved):
                for tm in timed_here:
                    _add_time(tm, r)
            return True
        # a protocol table ("Time point | Planar | SPECT/CT" then "4 h | Yes | No"): the
        # row's time points are those of the imaging its cells mark as done; a cell left
        # "No", "--", "not required" adds nothing (LABELING.md, gold Q)
        line = self.text.rfind("\n", 0, resolved[0][0] if resolved else s.start) + 1
        line_end = self.text.find("\n", line)
        cells = self.text[line : len(self.text) if line_end < 0 else line_end].split("|")
        label = next((i for i, c in enumerate(cells) if c.strip()), 0)
        label_end = line + sum(len(c) + 1 for c in cells[: label + 1])
        # only times that label the row ("4 h | yes | no") are the row's time points
        resolved = [r for r in resolved if r[0] < label_end] or self._day_column_row(
            line, cells, label
        )
        if not resolved:
            return False
        for column, cell in enumerate(cells):
            if column <= label or TABLE_NO_CELL.fullmatch(cell):
                continue
            offset = line + sum(len(c) + 1 for c in cells[:column])
            for m in self._table_column_mentions(offset):
                for r in resolved:
                    _add_time(result.setdefault(id(m), _Timed()), r)
                found = True
        return found

    def _time_point_row(self, s: _Sentence) -> bool:
        """Is `s` a row of a pipe table whose header's first cell names time points ("Time
        point | date/time | p.i.", "TP | date")?"""
        if self.text.count("|", s.start, s.end) < 2:
            return False
        line = self.text.rfind("\n", 0, s.start) + 1
        head = table_head(self.text, line)
        if head == line:
            return False
        first = self.text[head : self.text.find("|", head)]
        return _TIME_POINT_CELL.fullmatch(first.strip()) is not None

    def _date_column_dates(
        self,
        s: _Sentence,
        resolved: list[tuple[int, int, int | None, str | None, float | None]],
    ) -> list[tuple[int, int, int | None, str | None, float | None]]:
        """The one date of a table row that stands under a "Date" column ("Session | Date |
        ..." then "B | 04/15/2021 | ..."), as a time point; none otherwise."""
        dated = [r for r in resolved if r[3] is not None]
        if len(dated) != 1:
            return []
        line = self.text.rfind("\n", 0, dated[0][0]) + 1
        head = table_head(self.text, line)
        if head == line or line < s.start - 1:
            return []
        head_end = self.text.find("\n", head)
        head_cells = self.text[head : len(self.text) if head_end < 0 else head_end].split("|")
        column = self.text.count("|", line, dated[0][0])
        if column >= len(head_cells) or not _DATE_COLUMN.fullmatch(head_cells[column]):
            return []
        return dated

    def _day_column_row(
        self, line: int, cells: list[str], label: int
    ) -> list[tuple[int, int, int | None, str | None, float | None]]:
        """The day of a table row labelled by a bare number under a "Day" column ("Day |
        Condition | SPECT" then "2 | Diamox | yes"), as a time point; none otherwise."""
        number = _DAY_NUMBER_CELL.fullmatch(cells[label])
        head = table_head(self.text, line)
        if number is None or head == line:
            return []
        head_end = self.text.find("\n", head)
        head_cells = self.text[head : len(self.text) if head_end < 0 else head_end].split("|")
        if len(head_cells) <= label or not _DAY_COLUMN.fullmatch(head_cells[label]):
            return []
        start = line + sum(len(c) + 1 for c in cells[:label]) + number.start(1)
        return [(start, start + len(number.group(1)), int(number.group(1)) - 1, None, None)]

    def _table_column_mentions(self, offset: int) -> list[Mention]:
        """The asserted imaging mentions in the header cell of the table column at `offset`:
        in "| Study | Injection | SPECT start |", the third column's times are the SPECT's.
        The header is the first of the consecutive lines with two pipes or more."""
        text = self.text
        line = text.rfind("\n", 0, offset) + 1
        head = table_head(text, line)
        if head == line:
            return []
        head_end = text.find("\n", head)
        column = text.count("|", line, offset)
        return [
            m
            for m in self.mentions
            if m.label in IMAGING_LABELS
            and m.asserted
            and head <= m.start_char < head_end
            and text.count("|", head, m.start_char) == column
        ]

    def _injection_time(self, t: TimeExpr, s: _Sentence) -> bool:
        if t.kind != "date":
            return False
        # "injected on Monday, February 14": the weekday's comma is the date's own
        weekday = _WEEKDAY_BEFORE_DATE.search(self.text, s.start, t.start)
        head = weekday.start() if weekday is not None else t.start
        colon = self.text.rfind(":", s.start, head)
        while colon > s.start and self.text[colon - 1 : colon].isdigit():
            colon = self.text.rfind(":", s.start, colon)  # a clock's colon: "injected 08:00 on"
        # "images 4 h after injection as well as on 8/14": the date starts a clause of its
        # own (in any case: "AND ON 8/14")
        clause_start = max(
            colon,
            *(
                self.lower_text.rfind(sep, s.start, head)
                for sep in (",", ";", " and ", " as well as ")
            ),
        )
        clause = self.text[max(s.start, clause_start) : t.start]
        if _INJECTION.search(clause) or _ACTIVITY.search(clause):
            return True
        # "Marrow: 04/06/2022 (the next day), 10.0 mCi Tc-99m sulfur colloid; SPECT/CT at 30
        # minutes": a date opening a key's value, then the activity given, dates that dose
        return (
            not self.text[max(s.start, colon + 1) : head].strip()
            and _ACTIVITY_AFTER_DATE.match(self.text, t.end, s.end) is not None
        )

    def _scan(self, pattern: re.Pattern[str]) -> _Scan:
        """Each pattern is scanned over the report once (if it can match at all), then
        sentences look their hits up."""
        known = self._scans.get(id(pattern))
        if known is not None and known[0] is pattern:
            return known[1]
        keys = _SCAN_KEYS_BY_ID.get(id(pattern))
        if keys is not None and self._ascii and not any(k in self.lower_text for k in keys):
            hits = []
        else:
            hits = list(opening_finditer(pattern, self.text, self.lower_text))
        scan = _Scan([h.start() for h in hits], [h.end() for h in hits], hits)
        self._scans[id(pattern)] = (pattern, scan)
        return scan

    def all_in(self, pattern: re.Pattern[str], start: int, end: int) -> list[re.Match[str]]:
        """The matches of `pattern` lying inside text[start:end]: those starting at `start`
        or later, up to the last one ending by `end` (both offset lists are sorted)."""
        scan = self._scan(pattern)
        i = bisect.bisect_left(scan.starts, start)
        j = bisect.bisect_right(scan.ends, end)
        return scan.hits[i:j]

    def first(self, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
        """The first match of `pattern` lying inside text[start:end], or starting in the
        blanks just before it (a line pattern's "^[ \t]*" begins at an indented line's
        margin, before its first sentence)."""
        scan = self._scan(pattern)
        while start > 0 and self.text[start - 1] in " \t":
            start -= 1
        i = bisect.bisect_left(scan.starts, start)
        return scan.hits[i] if i < len(scan.hits) and scan.ends[i] <= end else None

    def _adjacent_groups(
        self,
        imaging: list[Mention],
        times: list[TimeExpr] = (),  # type: ignore[assignment]
    ) -> dict[int, list[Mention]]:
        """Mentions of one noun phrase: "whole-body anterior and posterior planar images",
        and "WB 48h/72h planar" (the time points of the phrase stand inside it)."""
        groups: dict[int, list[Mention]] = {id(m): [m] for m in imaging}
        ordered = sorted(imaging, key=lambda m: m.start)
        for a, b in itertools.pairwise(ordered):
            if a.label in SPECT_LABELS or b.label in SPECT_LABELS:
                continue
            if (
                b.start - a.end <= 1
                and not any(
                    self.lower[i] in (",", ";", "and", "then") for i in range(a.end, b.start)
                )
            ) or self._times_inside_phrase(a, b, times):
                merged = groups[id(a)] + [x for x in groups[id(b)] if x not in groups[id(a)]]
                for x in merged:
                    groups[id(x)] = merged
        return groups

    def _times_inside_phrase(self, a: Mention, b: Mention, times: list[TimeExpr]) -> bool:
        """ "WB 48h/72h planar", "whole body 24 h planar images": a whole-body mention and a
        planar one with only their time points between them are one noun phrase."""
        if (a.label, b.label) != ("WHOLE_BODY", "PLANAR"):
            return False  # "ant/post 2/16  24h WB": each image's own time, not one phrase
        inside = [t for t in times if a.end_char <= t.start and t.end <= b.start_char]
        if not inside:
            return False
        gap = list(self.text[a.end_char : b.start_char])
        for t in inside:
            gap[t.start - a.end_char : t.end - a.end_char] = " " * (t.end - t.start)
        return _TIME_JOINS.fullmatch("".join(gap)) is not None

    def _time_target(
        self, r: tuple[int, int, int | None, str | None, float | None], imaging: list[Mention]
    ) -> Mention | None:
        start, end = r[0], r[1]
        # adjectival: "24 hr planar chest views", "the 2-hour SPECT"
        following = [m for m in imaging if m.start_char >= end and m.start_char - end <= 12]
        if following and self._right_before(end, following[0]):
            return following[0]
        preceding = [m for m in imaging if m.end_char <= start]
        if not preceding:
            return None
        if _OTHER_HALF_AFTER.match(self.text, end) and not following:
            # "perfusion SPECT with next-day ventilation": the day is the ventilation's
            return None
        cand = preceding[-1]
        # "SPECT fused with the outside CT of 10/03/2021": the date is the CT's
        closer = [
            m
            for m in self.mentions
            if m.label in ("CT", "PET", "OTHER_IMAGING")
            # "SPECT of the pelvis (no CT) at 24 h": a denied CT has no time of its own
            and m.context != "negated"
            and cand.end_char <= m.start_char
            and m.end_char <= start
            # "SPECT of the abdomen with CT for localization on Oct 3 and 4": the hybrid
            # study's own CT, joined to its SPECT, shares the SPECT's dates (hours after
            # it keep their old reading: they restate the session's time point)
            and not (
                r[3] is not None
                and m.context is None
                and _OWN_CT_JOIN.fullmatch(self.text, cand.end_char, m.start_char)
            )
            # "SPECT/CT of the abdomen (low-dose CT, fused review) at 24 h": a CT in a
            # bracket closed before the time is a gloss; the time is the imaging's
            and not self._in_closed_bracket(m, cand.end_char, start)
        ]
        if closer:
            return None
        if ";" in self.text[cand.end_char : start]:
            return None
        if _FIELD_BETWEEN.search(self.text, cand.end_char, start):
            # '"ExamName":"NM BONE + SPECT/CT","ServiceDate":"2021-03-04"': another field's
            # value, not a time of the title's SPECT
            return None
        if _OWN_IMAGES_AFTER.match(self.text, end) and _JOINED_CLAUSE.match(
            self.text, cand.end_char, start
        ):
            # "uptake on SPECT/CT and increasing on 24 h images": the time is the later
            # images' own, told in a clause of their own
            return None
        if self._finding_bracket(cand.end_char, start):
            return None
        if (
            cand.section in ("findings", "impression")
            and start - cand.end_char > 30
            and not self._acquired_at(cand.end_char, start)
        ):
            return None
        return cand

    def _in_closed_bracket(self, m: Mention, after: int, before: int) -> bool:
        """Is `m` inside a bracket opened after `after` and closed before `before`?"""
        opened = self.text.rfind("(", after, m.start_char)
        if opened < 0 or ")" in self.text[opened : m.start_char]:
            return False
        closed = self.text.find(")", m.end_char, before)
        return closed >= 0 and "(" not in self.text[m.end_char : closed]

    def _acquired_at(self, end: int, start: int) -> bool:
        """Does the text between an image and a later time say when it was acquired, with no
        finding in between ("whole-body images were obtained at 4 hours and again at 24
        hours on 10/10", in a findings section that also tells the technique)?"""
        gap = self.text[end:start]
        return _ACQUIRED_AT.search(gap) is not None and _FINDING.search(gap) is None

    def _finding_bracket(self, after: int, start: int) -> bool:
        """Is the time at `start` inside a bracket, opened after `after`, that speaks of a
        finding ("48 h images (bowel activity at 24 h)")? It says when the finding was seen,
        not when the imaging before the bracket was acquired."""
        opened = self.text.rfind("(", after, start)
        if opened < 0 or ")" in self.text[opened:start]:
            return False
        return _FINDING.search(self.text, opened, start) is not None

    def _time_keyed_images(self, start: int, end: int, m: Mention) -> bool:
        """Is the time at `start:end` the first words of its line, right before the images
        `m` that a key's colon then closes ("48 hour whole body:", "Day 3 planar images:")?"""
        line = self.text.rfind("\n", 0, start) + 1
        return (
            _LINE_LEAD.fullmatch(self.text, line, start) is not None
            and self._right_before(end, m)
            and _IMAGES_KEY_END.match(self.text, m.end_char) is not None
        )

    def _right_before(self, end: int, m: Mention) -> bool:
        """A time ending at `end` qualifies `m` as an adjective: "24 hr planar views" (not
        from a table's cell before the mention's: "| 3 h | pelvis | SPECT/CT |")."""
        return (
            0 <= m.start_char - end <= 12
            and "|" not in self.text[end : m.start_char]
            and not _CLAUSE_PUNCT.search(self.text, end, m.start_char)
            and not _CONJUNCTION.search(self.text, end, m.start_char)
        )

    def _coordinated_planar(
        self, target: Mention, imaging: list[Mention], time_start: int
    ) -> Mention | None:
        """The planar mention coordinated with a SPECT that a time follows: in "whole-body
        planar and SPECT/CT of the chest on 03/04 and again on 03/05" the dates are both's."""
        if target.label not in SPECT_LABELS or time_start < target.end_char:
            return None
        before = [
            m for m in imaging if m.label in PLANAR_LABELS and m.end_char <= target.start_char
        ]
        if not before:
            return None
        prev = max(before, key=lambda m: m.end_char)
        if self._denied_in_time_clause(prev, imaging, time_start):
            return None
        if _PLANAR_SPECT_GAP.fullmatch(self.text, prev.end_char, target.start_char):
            return prev
        return None

    def _denied_in_time_clause(
        self, planar: Mention, imaging: list[Mention], time_start: int
    ) -> bool:
        """Does the clause of the time at `time_start` deny the planar imaging of its own
        kind ("whole-body sweep and SPECT/CT at 24 h, and again at 96 h for a second SPECT/CT
        without a whole-body sweep")? The repeat at that time is the SPECT's alone."""
        return any(
            x.label == planar.label
            and x.context == "negated"
            and x.start_char > time_start
            and not _CLAUSE_BREAK.search(self.text, time_start, x.start_char)
            for x in imaging
        )

    def _coordinated_spect(
        self, target: Mention, imaging: list[Mention], time_end: int, s: _Sentence
    ) -> Mention | None:
        """The SPECT coordinated with planar images that a time qualifies as an adjective: in
        "3-hour delayed planar views and SPECT/CT of both feet" the time is both's, when the
        SPECT states no time of its own in its clause."""
        if target.label not in PLANAR_LABELS or time_end > target.start_char:
            return None
        if not _ADJECTIVE_GAP.fullmatch(self.text, time_end, target.start_char):
            return None  # "SPECT (4 h): a whole-body sweep and ...": a label's time
        after = [m for m in imaging if m.start_char >= target.end_char]
        if not after:
            return None
        nxt = min(after, key=lambda m: m.start_char)
        if nxt.label not in SPECT_LABELS or not _COORDINATED_VIEWS.fullmatch(
            self.text, target.end_char, nxt.start_char
        ):
            return None
        later = [m.start_char for m in after if m is not nxt]
        stop = min([*later, s.end])
        clause = _CLAUSE_END.search(self.text, nxt.end_char, stop)
        if clause is not None:
            stop = clause.start()
        if any(nxt.end_char <= t.start < stop for t in s.times):
            return None  # "2-hour planar views and SPECT at 4 h": the SPECT's own time
        return nxt

    def _count_days(self, timed: Iterable[_Timed], fact: str) -> int:
        """Distinct days among the mentions' time points. Mentions with times of their own
        decide; the running context only counts when no mention has any ("fused SPECT/CT
        images were reviewed" after the 48 h planar images is not a 48 h SPECT)."""
        timed = list(timed)
        explicit = [tm for tm in timed if not tm.inherited and (tm.days or tm.dates)]
        if explicit:
            timed = explicit
        # "Imaging dates: 01/02 (48 h) and 01/03 (72 h)" under a title naming the SPECT,
        # then "SPECT/CT of the abdomen at 48 hours": the line dates all the imaging, and
        # the SPECT stating its own time says which of them had SPECT
        stated = [tm for tm in timed if not tm.templated]
        if stated and len(stated) < len(timed):
            timed = stated
        days: set[int] = set()
        dates: list[str] = []
        spans: list[tuple[int, int]] = []
        for tm in timed:
            days |= tm.days
            dates.extend(tm.dates)
            spans.extend(tm.evidence)
        dates = _distinct_days(dates)
        for s, e in sorted(set(spans)):
            self._ev(fact, s, e, self._section_at(s))
        if days and dates and (self._calendar_dates_win(timed) or self._dated_images_decide(timed)):
            # each image gives its time point and its date, and two time points on other
            # days by the hours fall on one date: days are calendar dates, not elapsed
            # hours (a late injection puts its 4 h and 24 h images on one date)
            return max(1, len(dates))
        if (
            days == {0}
            and dates
            and (any(self._listed_apart(tm) for tm in timed) or self._dated_apart(timed))
        ):
            later = self._later_dates(dates)
            if later is not None:
                return 1 + len(later)
        if days == {0} and dates and all(tm.line_dated for tm in timed if tm.dates):
            # "Interictal - ... SPECT 45 minutes later" then "Ictal - 03/17/2023 ... SPECT
            # started 11:35": the part's dated line names its own day, another day than the
            # date of service (or the first date the report gives a part) when it differs
            later = self._after_first_part_date(dates)
            if later is not None:
                return 1 + len(later)
        if days and dates:
            on_days = _dates_as_days(timed, dates)
            if on_days is None and days == {0}:
                on_days = _dates_from_line(self.date_lines, dates)
            if on_days is None and self.injection_date is not None:
                # "injected 03/04/2021 ... SPECT at 4 h ... SPECT on 03/05/2021": the dates
                # count from the injection day, as the hours do
                on_days = self._days_of_dates(dates, {})
            if on_days is not None:
                return max(1, len(days | on_days))
        return max(1, len(days), len(dates))

    def _dated_apart(self, timed: list[_Timed]) -> bool:
        """With the date of service known, are the injection day's hours and the dates
        told apart: on images of their own ("4 h | whole-body planar", "4/20 | whole-body
        planar"), or as a list ("Whole body: 4 h, March 26")? A date after the date of
        service is then another day, not the date of the hours."""
        if self._service_date() is None:
            return False
        # a date of service only the input record gives: the hours and the dates must be
        # rows of one list ("4 hr | whole-body planar" over "1/22 | whole-body planar"),
        # as a date beside the time in prose may date another visit
        listed = self._stated_dos() is not None
        for tm in timed:
            if not (tm.days and tm.dates):
                if not listed and not all(self._row_start(a) for a, _ in tm.evidence):
                    return False
                continue
            spans = sorted(set(tm.evidence))
            if not any(
                _LIST_COMMA.fullmatch(self.text, a[1], b[0]) is not None
                for a, b in itertools.pairwise(spans)
                if a[1] <= b[0]
            ):
                return False
        return True

    def _row_start(self, pos: int) -> bool:
        """Does the time at `pos` open its line ("4 hr | whole-body planar")?"""
        line = self.text.rfind("\n", 0, pos) + 1
        return not self.text[line:pos].strip()

    def _listed_apart(self, tm: _Timed) -> bool:
        """Does one image list an hour and a date as two of its time points, joined by
        "and" ("whole-body images at 4 h and again on 3/2"), rather than date the hour
        ("4 h images on 3/2")?"""
        if not (tm.days and tm.dates):
            return False
        spans = sorted(set(tm.evidence))
        return any(
            _AND_AGAIN.fullmatch(self.text, a[1], b[0]) is not None
            for a, b in itertools.pairwise(spans)
            if a[1] <= b[0]
        )

    def _later_dates(self, dates: list[str]) -> set[int] | None:
        """The day offsets of dates listed beside an hour on the injection day: each is
        another day, unless it is the stated date of service (the injection day itself).
        None when a date lies before the date of service or over two weeks after it."""
        dos = self._service_date()
        out: set[int] = set()
        for d in dates:
            if dos is None:
                out.add(len(out) + 1)
                continue
            offset = days_between(dos.isoformat(), d)
            if offset is None or not 0 <= offset <= _FIRST_DATE_REACH:
                return None
            if offset:
                out.add(offset)
        return out

    def _after_first_part_date(self, dates: list[str]) -> set[int] | None:
        """The day offsets of `dates` after the date of service, or with none stated after
        the first date a line gives a study part ("Interictal acquisition: 03/14/2023");
        None when there is neither, or a date lies before it or over two weeks after."""
        dos = self._service_date()
        parts = self.part_dates
        first = dos.isoformat() if dos is not None else None
        if first is None:
            first = next(
                (d for d in parts if all((days_between(d, x) or 0) >= 0 for x in parts)), None
            )
        if first is None:
            return None
        out: set[int] = set()
        for d in dates:
            offset = days_between(first, d)
            if offset is None or not 0 <= offset <= _FIRST_DATE_REACH:
                return None
            if offset:
                out.add(offset)
        return out

    @staticmethod
    def _calendar_dates_win(timed: list[_Timed]) -> bool:
        """Does every image state one time point and one date, with two time points a day
        apart by the hours on one date?"""
        if len(timed) < 2 or not all(len(tm.days) == 1 and len(tm.dates) == 1 for tm in timed):
            return False
        pairs = [(next(iter(tm.days)), next(iter(tm.dates))) for tm in timed]
        return any(
            a[0] != b[0] and same_day(a[1], b[1]) for a, b in itertools.combinations(pairs, 2)
        )

    # -- days of dated study parts ------------------------------------------------------
    def part_days(self, spect: list[Mention], timed: dict[int, _Timed]) -> int | None:
        """The SPECT days of a study told in dated parts, when each part's SPECT is timed
        from that part's own injection: ictal and interictal SPECT "at 55 min" under
        "Ictal: 03/20/2023" and "Interictal: 03/22/2023", or a bone then a gallium SPECT/CT
        on lines opened by their dates ("Bone, 10/02/2023: ... SPECT/CT"; "Gallium,
        10/04/2023: ... SPECT/CT"). The minutes after a later injection run from its day,
        not the first one's, so each part's date is its SPECT's day (LABELING.md gold D-K,
        R: two injections on two dates are two days). None when fewer than two parts with
        SPECT are dated apart."""
        phases = self._phase_dates()
        keys: list[str] = []
        spans: list[tuple[int, int]] = []
        for m in spect:
            if m.section not in _ACQUISITION_SECTIONS or not m.asserted:
                continue
            if self._reported_apart(m):
                continue
            s = self._sentence_of(m)
            if s is None or self.first(_SPECT_PROCESSING, s.start, s.end):
                continue
            if self._negated_clause(m, s):
                continue  # "the patient could not stay for the SPECT/CT": no part's SPECT
            tm = timed.get(id(m))
            if tm is not None and not tm.inherited and len(tm.dates) == 1:
                keys.append(next(iter(tm.dates)))
                continue
            key = self._line_key_date(m)
            if key is not None:
                keys.append(key[0])
                spans.append(key[1])
                continue
            if phases and self.first(_EVERY_TIME_POINT, s.start, s.end):
                # "Tomographic images acquired on both days" after "interictal on 5/22 and
                # ictal on 5/25": the SPECT of each phase
                for date, span in phases.values():
                    keys.append(date)
                    spans.append(span)
                continue
            phase = self._phase_of(m, s)
            if phase is not None and phase in phases:
                keys.append(phases[phase][0])
                spans.append(phases[phase][1])
        distinct = _distinct_days(keys)
        if len(distinct) < 2:
            return None
        for a, b in itertools.combinations(distinct, 2):
            gap = days_between(a, b)
            if gap is not None and abs(gap) > _FIRST_DATE_REACH:
                return None  # an older study's date, not a part of this one
        for start, end in sorted(set(spans)):
            self._ev("spect_day", start, end, self._section_at(start))
        return len(distinct)

    def _phase_dates(self) -> dict[str, tuple[str, tuple[int, int]]]:
        """The date of each seizure phase the report dates ("Ictal: 05/09/2022",
        "03/10/2017 (INTERICTAL)"), or a relative day for a phase told on a later day
        with none dated ("Interictal study: 22 mCi ECD the following day": "+1", the other
        phase "+0"). Empty when a phase gets two dates."""
        dates = [t for s in self.sentences for t in s.times if t.kind == "date"]
        found: dict[str, tuple[str, tuple[int, int]]] = {}
        clash = False

        def put(phase: str, date: str, span: tuple[int, int]) -> None:
            nonlocal clash
            phase = phase.lower().replace("-", "")
            old = found.get(phase)
            if old is None:
                found[phase] = (date, span)
            elif not same_day(old[0], date):
                clash = True

        for hit in re.finditer(r"\b(?:inter-?)?ictal\b", self.text, re.IGNORECASE):
            if self._section_at(hit.start()) in ("history", "comparison"):
                continue
            if self.text[max(0, hit.start() - 3) : hit.start()].rstrip().endswith("("):
                continue  # "03/07/2017 (ICTAL), 03/10/2017": it names the date before it
            gap = _PHASE_DATE_GAP.match(self.text, hit.end())
            stop = min(gap.end() if gap else hit.end(), hit.end() + _PHASE_DATE_REACH)
            date = next((t for t in dates if hit.end() <= t.start < stop), None)
            if date is not None:
                put(hit.group(0), str(date.value), (date.start, date.end))
        for t in dates:
            after = _PHASE_AFTER_DATE.match(self.text, t.end)
            if after is not None and self._section_at(t.start) not in ("history", "comparison"):
                put(after.group(1), str(t.value), (t.start, t.end))
        if clash:
            return {}
        if found:
            return found if len(found) >= 2 else {}
        # no dates: a phase whose injection sentence says it came on a later day
        rel: dict[str, tuple[str, tuple[int, int]]] = {}
        for s in self.sentences:
            if self.sections.label_at(s.start) not in _ACQUISITION_SECTIONS:
                continue
            phase_hit = _SEIZURE_PHASE.search(self.lower_text, s.start, s.end)
            if phase_hit is None or not self.first(_INJECTION_DOSE, s.start, s.end):
                continue
            later = next(
                (
                    d
                    for d in s.mentions
                    if d.label == "DAY"
                    and d.context is None
                    and str(d.value).startswith("+")
                    and d.start_char > phase_hit.end()
                ),
                None,
            )
            if later is not None:
                rel[phase_hit.group(0).replace("-", "")] = (
                    str(later.value),
                    (later.start_char, later.end_char),
                )
        if len(rel) == 1:
            phase = next(iter(rel))
            other = "ictal" if phase == "interictal" else "interictal"
            rel[other] = ("+0", rel[phase][1])
            return rel
        return {}

    def _phase_of(self, m: Mention, s: _Sentence) -> str | None:
        """The seizure phase the SPECT `m` belongs to: the last one named before it in its
        sentence, else in its line, else in its section's heading ("INTERICTAL INJECTION
        AND ACQUISITION (08/18/2022):" over "- Brain SPECT at 10:42")."""
        line = self.text.rfind("\n", 0, m.start_char) + 1
        for start in (s.start, line):
            hits = list(_SEIZURE_PHASE.finditer(self.lower_text, start, m.start_char))
            if hits:
                return hits[-1].group(0).replace("-", "")
        section = self.sections.section_at(m.start_char)
        if section is not None and section.header_start is not None:
            end = section.header_end if section.header_end is not None else section.start
            hits = list(_SEIZURE_PHASE.finditer(self.lower_text, section.header_start, end))
            if len({h.group(0) for h in hits}) == 1:
                return hits[0].group(0).replace("-", "")
        return None

    def _line_key_date(self, m: Mention) -> tuple[str, tuple[int, int]] | None:
        """The date opening the line of `m` after a short key ("Bone, 10/02/2023: ...
        SPECT/CT", "(1) 04/22/2025: ...", "Monday: ... SPECT/CT"), not a date the text was
        written on ("Addendum 05/20/2020:")."""
        line = self.text.rfind("\n", 0, m.start_char) + 1
        times = [
            t for x in self.sentences if x.end > line and x.start < m.start_char for t in x.times
        ]
        first = min((t for t in times if t.start >= line), key=lambda t: t.start, default=None)
        if first is None or first.kind != "date" or first.start >= m.start_char:
            return None
        prefix = _KEY_BEFORE_DATE.fullmatch(self.text, line, first.start)
        if prefix is None or _WRITTEN_KEY.search(self.text, line, first.start):
            return None
        return str(first.value), (first.start, first.end)

    def _times_stated_at(self, tm: _Timed) -> bool:
        """Is one of the time points of `tm` introduced as an acquisition's ("at 48 h",
        "on 03/02/2021"), not listed as an exam title lists them ("SCAN, 24 AND 48 HOUR")?"""
        return any(
            _AT_ON_BEFORE.search(self.text, max(0, start - 24), start) for start, _ in tm.evidence
        )

    @staticmethod
    def _dated_images_decide(timed: list[_Timed]) -> bool:
        """Do two or more images each state one date beside their day label or hours, with
        every other image's days among theirs? Their dates are the calendar days ("Day 1
        (20/07, ~24 h)" and "Day 4 (23/07, ~96 h)" are two days, whatever the labels and
        the hours say apart; "12/31 (24 h)" and "01/02 (66 h)" are two days, not three)."""
        dated = [tm for tm in timed if tm.dates]
        if len(dated) < 2 or not all(
            # one time point each: "at 4 h and again at 24 h (09/21)" dates its last only
            len(tm.dates) == 1 and tm.days and len(tm.hours) <= 1
            for tm in dated
        ):
            return False
        if len(_distinct_days(next(iter(tm.dates)) for tm in dated)) < 2:
            # one date said by every image ("whole body at 4 hours and on 3/6/20", read
            # for two mentions): a second time point beside the hours, not their date
            return False
        dated_days = {d for tm in dated for d in tm.days}
        return all(tm.days <= dated_days for tm in timed if not tm.dates)

    # -- acquisitions ----------------------------------------------------------------
    def _seizure_phases(self, m: Mention) -> set[str]:
        """The seizure phases named right before a SPECT mention ("ictal and interictal
        SPECT")."""
        before = " ".join(self.lower.span(m.start - 4, m.start)).replace(" - ", "-")
        return {p.group(0).replace("-", "") for p in _SEIZURE_PHASE.finditer(before)}

    def acquisitions(self, spect: list[Mention], timed: dict[int, _Timed]) -> int:
        n = 1
        # a report whose only SPECT is its title ("V/Q SPECT/CT -- no PE." then a comparison
        # line) is counted by its title, as the same line alone would be (an order or
        # exam key's value names what was booked, not what was done)
        body = [m for m in spect if m.section in BODY_SECTIONS] or [
            m for m in spect if m.section == "header" and self._own_title(m)
        ]
        # "Interictal SPECT done 11/14/2022 (reported separately)": a SPECT its sentence sends
        # to another report is that report's acquisition, not one of this report's (LABELING.md
        # GAU-055: an ictal SPECT subtracted against it is one acquisition)
        body = [m for m in body if not self._reported_apart(m)] or body
        sents = sorted({m.sent for m in body})
        for si in sents:
            s = self.sentences[si]
            if self.first(_MOTION, s.start, s.end):
                continue
            for hit in self.all_in(_ACQ_COUNT, s.start, s.end):
                n = max(n, _N[hit.group("n").lower()])
                self._ev("acquisitions", hit.start(), hit.end(), self._section_at(s.start))
            if self.first(_DUAL_ISOTOPE, s.start, s.end) and not self.first(
                _ONE_ACQUISITION, s.start, s.end
            ):
                # "a single simultaneous dual-isotope SPECT/CT (both energy windows acquired
                # together)" is one acquisition (LABELING.md gold F)
                n = max(n, 2)
        # ventilation SPECT + perfusion SPECT, unless the report says the ventilation SPECT
        # was not done ("no ventilation SPECT exists"): then the V/Q wording was wrong
        vent = perf = vent_named = False
        for m in body:
            # in the SPECT's own sentence: "No ventilation study. SPECT only" names no
            # ventilation SPECT
            before = " ".join(
                self.lower.span_from(m.start - 3, m.start, self.sentences[m.sent].start)
            )
            # a form line names its half first: "Perfusion agent: MAA ... [x] SPECT"
            key = self._line_key(m)
            if _VENT.search(before) or _VENT_WORD.search(key):
                vent = True
                vent_named = vent_named or bool(_VENT_WORD.search(before + " " + key))
            if _PERF.search(before) or _PERF_WORD.search(key):
                perf = True
        no_vent = None if vent_named else self._no_ventilation()
        if vent and perf and no_vent is not None:
            # "V/Q SPECT" as the study's name over "perfusion-only SPECT; no ventilation
            # imaging": the study name is not what was done
            self._ev("acquisitions_excluded", no_vent[0], no_vent[1], self._section_at(no_vent[0]))
        elif vent and perf:
            denied = self._ventilation_spect_denied()
            if denied is None:
                n = max(n, 2)
                if self._prelim_denied_ventilation():
                    # the final read adds the ventilation SPECT the preliminary read said
                    # was not done: the final facts, with review (LABELING.md gold H, L)
                    self.acquisition_contradiction = True
            else:
                self._ev_m("acquisitions_excluded", denied)
                self.acquisition_contradiction = True
        # ictal SPECT + interictal SPECT: two injections, two acquisitions of one area
        # (LABELING.md gold P; on two dates they are two days too)
        phases: set[str] = set()
        processed: set[str] = set()
        for m in body:
            found = self._seizure_phases(m)
            s = self.sentences[m.sent]
            if self.first(_SPECT_PROCESSING, s.start, s.end):
                processed |= found
            else:
                phases |= found
        # "SISCOM: the ictal and interictal SPECT data were coregistered": the processing
        # names the phase of a SPECT acquired before ("Interictal SPECT was obtained on
        # 03/30/2021 and reported separately"), not a second acquisition of this study
        prior = {
            p
            for m in self.mentions
            if m.label in SPECT_LABELS and (m.context == "historical" or self._reported_apart(m))
            for p in self._seizure_phases(m)
        }
        phases |= processed - prior
        if {"ictal", "interictal"} <= phases:
            n = max(n, 2)
        if self._companion_pair(body, timed):
            n = max(n, 2)
        # SPECT with two different radiopharmaceuticals
        isotopes: set[str] = set()
        for m in body:
            tracers = [
                t
                for t in self.mentions
                if t.label == "RADIOPHARM" and t.sent == m.sent and 0 <= m.start - t.end <= 2
            ]
            for t in tracers:
                # "In-111 WBC SPECT/CT": cells named after their isotope are that one tracer
                if isotope_of(str(t.value)) is None and any(
                    0 <= t.start - u.end <= 1 for u in tracers if u is not t
                ):
                    continue
                isotopes.add(_isotope(str(t.value)))
        if len(isotopes) >= 2:
            n = max(n, 2)
        # acquisitions each followed closely by one isotope of their own: "10:30 SPECT/CT
        # both knees (In-111 windows)" then "13:00 SPECT/CT both knees (Tc-99m window)"
        own_isotopes: set[str] = set()
        for m in body:
            if m.section not in _ACQUISITION_SECTIONS or not m.asserted:
                continue
            end = min(self._line_end(m.start_char), self.sentences[m.sent].end)
            end = min(end, m.end_char + _OWN_TRACER_CHARS)
            stop = _CLAUSE_BREAK.search(self.text, m.end_char, end)
            end = stop.start() if stop else end
            found = {
                iso
                for t in self.mentions
                if t.label == "RADIOPHARM" and m.end_char <= t.start_char < end
                if (iso := isotope_of(str(t.value)))
            }
            if len(found) == 1:
                own_isotopes |= found
        if len(own_isotopes) >= 2:
            n = max(n, 2)
        # SPECTs stated on lines of one tracer each, two different ones: "(1) 04/22: Tc-99m
        # HDP ... SPECT/CT of the lumbar spine" and "(2) Ga-67 citrate ... SPECT/CT of the
        # lumbar spine at 48 h" (a document of two studies written one per line)
        # (each tracer before the SPECT on its line, of a study family of its own)
        line_tracers: dict[str, set[str]] = defaultdict(set)
        for m in body:
            if m.section not in _ACQUISITION_SECTIONS or not m.asserted:
                continue
            line_start = self.text.rfind("\n", 0, m.start_char) + 1
            led = {
                (iso, str(x.hint))
                for x in self.mentions
                if x.label == "RADIOPHARM"
                and x.hint
                and x.context != "historical"
                and line_start <= x.start_char < m.start_char
                and (iso := isotope_of(str(x.value)))
            }
            if len({iso for iso, _ in led}) == 1 and len({h for _, h in led}) == 1:
                iso, hint = next(iter(led))
                line_tracers[iso].add(hint)
        if len(line_tracers) >= 2 and len(set().union(*line_tracers.values())) >= 2:
            n = max(n, 2)
        # a "separate"/"second" SPECT on the same day (not a motion repeat)
        separate = 0
        for m in body:
            s = self.sentences[m.sent]
            # within the SPECT's own sentence: "planar images on the second day. SPECT/CT
            # of the abdomen" is no second SPECT
            before = self.text[max(0, m.start_char - 20, s.start) : m.start_char]
            word = next(
                (
                    w
                    for w in _SEPARATE.finditer(before)
                    # "on the second day, SPECT/CT ...": the day, not a second acquisition
                    if not _SEPARATE_DAY.match(before, w.end())
                ),
                None,
            )
            if (
                word is not None
                and word.group(0).lower() in _IN_ADDITION
                and not any(
                    o.sent < m.sent
                    and o.section in _ACQUISITION_SECTIONS
                    # a title line read as "other" before the technique names the study
                    and not (o.section == "other" and m.section == "technique")
                    for o in body
                )
            ):
                # "Whole-body images at 3 h. Additional SPECT of the pelvis at 3 h": added
                # to the planar imaging, with no SPECT before it to be a second one of
                word = None
            if (
                word is not None or _SEPARATE_AFTER.match(self.text, m.end_char, s.end)
            ) and not self.first(_MOTION, s.start, s.end):
                separate += 1
        if separate:
            n = max(n, 1 + separate)
        # "SPECT #1: discarded for patient motion. SPECT #2 (repeat): ...": the numbers count
        # attempts at one acquisition, and a repeat for motion is not a second one
        numbers = [(m, _SPECT_NUMBER.match(self.text, m.end_char)) for m in body]
        motion_repeat = any(
            self.first(_MOTION, m.start_char, self._line_end(m.start_char))
            and self.first(_DISCARDED, m.start_char, self._line_end(m.start_char))
            for m in spect
        ) and any(n is not None and _REPEAT_GLOSS.match(self.text, n.end()) for _, n in numbers)
        for m, numbered in numbers:
            s = self.sentences[m.sent]
            if (
                numbered is not None
                and not self.first(_MOTION, s.start, s.end)
                and not motion_repeat
            ):
                n = max(n, int(numbered.group("n")))
                self._ev("acquisitions", m.start_char, numbered.end(), self._section_at(s.start))
        # distinct SPECT time points on one day (early and delayed SPECT)
        per_day: dict[int, set[float]] = defaultdict(set)
        # the acquisition sections first: a findings sentence's "SPECT/CT at 3 h" refers back
        # to the technique's "SPECT/CT at 3 h 15 min", not to another acquisition
        ordered = sorted(body, key=lambda m: m.section not in _ACQUISITION_SECTIONS)
        for m in ordered:
            tm = timed.get(id(m))
            if tm is None or len(tm.days) != 1:
                continue
            day = next(iter(tm.days))
            for h in tm.hours:
                if m.section not in _ACQUISITION_SECTIONS and any(
                    abs(h - x) <= 0.5 for x in per_day[day]
                ):
                    continue
                per_day[day].add(round(h, 2))
        if per_day:
            n = max(n, max(len(v) for v in per_day.values()))
        if n == 1 and self._early_and_delayed(body, timed):
            n = 2
        return n

    def _companion_pair(self, body: list[Mention], timed: dict[int, _Timed]) -> bool:
        """Two SPECTs of two injections on one day, each named by its part: a baseline
        and an acetazolamide (vasodilator challenge) SPECT, or a leukocyte SPECT and a
        marrow (colloid) SPECT. On two different days they are one a day."""
        parts: dict[str, list[Mention]] = defaultdict(list)
        for m in body:
            if m.section not in _ACQUISITION_SECTIONS or not m.asserted:
                continue
            before = " ".join(self.lower.span(m.start - 4, m.start))
            # or by its line's key or its clause: "Marrow imaging: 8 mCi sulfur colloid IV,
            # with SPECT ..."
            hit = (
                _COMPANION_PART.search(before)
                or _COMPANION_PART.search(self._line_key(m))
                # or earlier in its sentence, since the SPECT before it ("Baseline injection
                # of ...; SPECT of the brain 30 min later"); a colloid named so is the marrow
                # half only beside leukocytes (a colloid liver SPECT is one study)
                or self._part_since_last_spect(m, body)
            )
            if hit is not None and hit.group(0) == "colloid" and not self._leukocyte_study():
                # "colloid uptake on SPECT/CT" in a liver-spleen study: no marrow half (a
                # "marrow SPECT" names its half itself)
                hit = None
            part = "plain" if hit is None else hit.lastgroup or "plain"
            parts[part].append(m)
        pairs = [(parts["baseline"], parts["challenge"])]
        plain = parts["plain"] + parts["baseline"] + parts["challenge"]
        pairs.append((parts["marrow"], plain))
        for first, second in pairs:
            for a in first:
                for b in second:
                    if a.sent == b.sent and self._clause_start(a) == self._clause_start(b):
                        continue
                    da, db = timed.get(id(a)), timed.get(id(b))
                    if da and db and da.days and db.days and not da.days & db.days:
                        continue  # one a day on two days
                    return True
        return False

    def _part_since_last_spect(self, m: Mention, body: list[Mention]) -> re.Match[str] | None:
        """The companion part named in `m`'s sentence before it and after any SPECT
        mention before it there."""
        s = self.sentences[m.sent]
        start = max(
            [s.start]
            + [o.end_char for o in body if o.sent == m.sent and o.end_char <= m.start_char]
        )
        hit = _COMPANION_PART.search(self.lower_text, start, m.start_char)
        if hit is not None and hit.lastgroup == "marrow" and not self._leukocyte_study():
            return None
        return hit

    def _leukocyte_study(self) -> bool:
        """A marrow (colloid) SPECT is the companion half of a leukocyte study only."""
        return "labeled leukocytes" in self._tracers

    def _clause_start(self, m: Mention) -> int:
        """Where `m`'s clause begins: after the last semicolon of its sentence before it."""
        s = self.sentences[m.sent]
        return max(s.start, self.text.rfind(";", s.start, m.start_char) + 1)

    def _early_and_delayed(self, body: list[Mention], timed: dict[int, _Timed]) -> bool:
        """An early SPECT and a delayed SPECT named as such where the acquisitions are
        told, on no two different days."""
        early = late = False
        days: set[int] = set()
        for m in body:
            if m.section not in _ACQUISITION_SECTIONS:
                continue  # a finding "on delayed SPECT" names an acquisition told already
            before = self.lower_text[max(0, m.start_char - 40) : m.start_char]
            hit = _EARLY_SPECT.search(before)
            if hit is not None:
                early = True
                late = late or hit.group("late") is not None
            elif _LATE_SPECT.search(before):
                late = True
            else:
                continue
            tm = timed.get(id(m))
            if tm is not None:
                days |= tm.days
        return early and late and len(days) <= 1

    def _line_end(self, offset: int) -> int:
        return line_at(self.text, offset)[1]

    def _wrapped_line_end(self, offset: int) -> int:
        """The end of the line of `offset`, where a line a wrapped export broke at a sentence
        end goes on into the next ("Ictal: seizure from 10:41 on 09/12 ... given at 10:41." /
        "SPECT 11:30."), unless that line opens a field of its own ("Interictal: ...")."""
        soft = set(self.doc._.soft_breaks or ())
        end = self.text.find("\n", offset)
        while end >= 0 and end in soft and _FORM_FIELD_LINE.match(self.text, end + 1) is None:
            end = self.text.find("\n", end + 1)
        return len(self.text) if end < 0 else end

    def _line_key(self, m: Mention) -> str:
        """The first key of the mention's line and sentence ("perfusion agent" in "Perfusion
        agent: Tc-99m MAA   Acquisition: [x] SPECT"), or "" when it has none."""
        line_start = self.text.rfind("\n", 0, m.start_char) + 1
        s = self._sentence_of(m)
        if s is not None:
            line_start = max(line_start, s.start)
        colon = self.text.find(":", line_start, m.start_char)
        if colon < 0:
            return self._field_key(line_start)
        semi = self.text.rfind(";", colon, m.start_char)
        if semi >= 0:
            later = self.text.find(":", semi, m.start_char)
            if later >= 0:
                # "Ventilation: planar; perfusion: SPECT": the clause's own key
                return self.lower_text[semi + 1 : later].strip()
            if any(x.label in PLANAR_LABELS and colon < x.start_char < semi for x in self.mentions):
                return ""  # "Ventilation: planar views; SPECT ...": the key was the planar's
            # "Perfusion: 4 mCi MAA IV; SPECT of the chest": the dose and the SPECT of one key
        return self.lower_text[line_start:colon]

    def _field_key(self, pos: int) -> str:
        """The key of the labelled field whose text goes on to `pos` in later sentences or
        lines of its paragraph ("Perfusion: 4.4 mCi Tc-99m MAA. SPECT of the chest",
        "Ventilation: Technegas." / "SPECT of the chest."), or "" when there is none or a
        planar acquisition of the field comes first (the SPECT after it is no longer
        surely the field's)."""
        end = pos
        for _ in range(_FIELD_LINES):
            line_start = self.text.rfind("\n", 0, end) + 1
            key = _FIELD_KEY.match(self.text, line_start)
            if key is not None and key.end() > pos:
                return ""  # the line's own key holds the mention: "Ventilation SPECT: ..."
            if key is not None:
                if any(
                    x.label in PLANAR_LABELS and key.end() <= x.start_char < pos
                    for x in self.mentions
                ):
                    return ""
                return self.lower_text[key.start("k") : key.end("k")]
            end = line_start - 1
            if end < 0 or not self.text[self.text.rfind("\n", 0, end) + 1 : end].strip():
                return ""  # the paragraph's first line, with no key
        return ""

    def _no_ventilation(self) -> tuple[int, int] | None:
        """Where the body says no ventilation imaging was done ("perfusion-only SPECT", "no
        ventilation study", "ventilation images were not obtained")."""
        for hit in opening_finditer(_NO_VENTILATION, self.text, self.lower_text):
            if self._section_at(hit.start()) in BODY_SECTIONS:
                return hit.start(), hit.end()
        return None

    def _prelim_denied_ventilation(self) -> bool:
        """Does a preliminary read say the ventilation was not done ("ventilation not
        performed"), before a final read of the same report?"""
        for hit in opening_finditer(_NO_VENTILATION, self.text, self.lower_text):
            heads = list(_READ_HEAD.finditer(self.text, 0, hit.start()))
            head = heads[-1] if heads else None
            if head is None or "prelim" not in head.group(0).lower():
                continue
            nxt = _READ_HEAD.search(self.text, hit.end())
            if nxt is not None and "final" in nxt.group(0).lower():
                return True
        return False

    def _ventilation_spect_denied(self) -> Mention | None:
        """A SPECT said not to have been done for the ventilation: "no ventilation SPECT"."""
        for m in self.mentions:
            if m.label not in SPECT_LABELS or m.context != "negated":
                continue
            if m.section not in BODY_SECTIONS or not self._status_negation(m):
                continue
            if _VENT_WORD.search(" ".join(self.lower.span(m.start - 3, m.start))):
                return m
        return None

    # -- other facts -------------------------------------------------------------------
    def three_phase(self, study_type: str) -> bool:
        if study_type not in ("bone", "infection"):
            return False
        asserted = [
            m for m in self.mentions if m.asserted and m.section in BODY_SECTIONS | {"header"}
        ]
        # "the three-phase bone scan he had at another hospital was positive in all three
        # phases": the phases named in the sentence of a past three-phase scan are its own
        past = {
            m.sent for m in self.mentions if m.label == "THREE_PHASE" and m.context == "historical"
        }
        explicit = [m for m in asserted if m.label == "THREE_PHASE" and m.sent not in past]
        if explicit and all(m.section == "header" for m in explicit) and self._flow_denied():
            # "THREE PHASE BONE SCAN" over a technique whose flow phase was never acquired
            # (blood pool and delayed views only): the title yields to the technique, and
            # the study is planar bone imaging by extent (LABELING.md gold BN to BQ)
            return False
        if explicit:
            # a combined document (a three-phase bone scan, then a leukocyte or gallium
            # study): the bone part is three-phase imaging all the same, and with a SPECT in
            # the document that is grey zone 1 as worded (decisions for gold AX)
            self._ev_m("three_phase", explicit[0])
            return True
        if study_type != "bone":
            return False
        flow = [m for m in asserted if m.label == "FLOW"]
        pool = [
            m
            for m in asserted
            if m.label == "BLOOD_POOL"
            or (m.label == "PLANAR" and "blood" in self.text[m.start_char : m.end_char].lower())
            # "Flow + BP ant pelvis": the blood pool abbreviated beside the flow phase
            or (m.label == "FLOW" and _BP_AFTER_FLOW.match(self.text, m.end_char))
        ]
        if flow and pool:
            self._ev_m("three_phase", flow[0])
            self._ev_m("three_phase", pool[0])
            return True
        return False

    def _flow_denied(self) -> bool:
        """Does the body deny the flow (dynamic) phase ("the flow phase was not acquired"),
        with no flow images described as obtained?"""
        flow = [m for m in self.mentions if m.label == "FLOW" and m.section in BODY_SECTIONS]
        denied = [
            m
            for m in flow
            if (m.context == "negated" and self._status_negation(m))
            or (m.asserted and _FLOW_MISSED.match(self.text, m.end_char))
        ]
        return bool(denied) and not any(m.asserted and m not in denied for m in flow)

    def quantification(self) -> bool:
        not_quant = [m for m in self.mentions if m.label == "QUANT_NOT"]
        pending = [m for m in self.mentions if m.label == "QUANT" and m.context == "recommended"]
        # "no SUV measurements were made": a stated absence of measurement
        denied = [
            m
            for m in self.mentions
            if m.label == "QUANT"
            and m.context == "negated"
            and m.section in BODY_SECTIONS
            and self._status_negation(m)
        ]
        pet_measured = False  # a measurement of the report was the PET's
        retraction = self._quant_retraction()
        for m in self.mentions:
            if m.label == "QUANT" and m.section in BODY_SECTIONS | {"header"}:
                if retraction is not None and m.start_char < retraction:
                    # "ADDENDUM: the SUV values above are retracted": withdrawn by a later
                    # statement; a corrected value given after it still stands
                    self._ev_m("quantification_excluded", m)
                    self.quant_retracted = True
                    continue
                if not m.asserted or self._empty_field(m):
                    self._ev_m("quantification_excluded", m)
                    continue
                if pending and self._pending_quantification(m, pending):
                    self._ev_m("quantification_excluded", m)
                    continue
                if denied and not self._with_value(m):
                    # "images available in SUV units, but no SUV measurements were made":
                    # the units or the reconstruction without a value are no measurement
                    self._ev_m("quantification_excluded", m)
                    continue
                if any(n.sent == m.sent and abs(n.start - m.start) <= 3 for n in not_quant):
                    continue
                if m.hint == "reconstruction" and not self._with_value(m):
                    # "xSPECT Quant reconstructions generated per site protocol": a
                    # reconstruction named with nothing measured (LABELING.md gold H, Q)
                    self._ev_m("quantification_excluded", m)
                    continue
                spect_here = [
                    x for x in self.mentions if x.sent == m.sent and x.label in SPECT_LABELS
                ]
                if spect_here and not any(x.asserted for x in spect_here):
                    # "Quantitative SPECT/CT could be considered ... to measure SUV"
                    self._ev_m("quantification_excluded", m)
                    continue
                if any(
                    x.sent == m.sent
                    and x.label == "PET"
                    # "(PET SUVmax 3.9 and 2.7)": the PET named right before the measure
                    and (not spect_here or 0 <= m.start - x.end <= 1)
                    for x in self.mentions
                ):
                    # "FDG PET/CT (reported separately): ... SUVmax 3.2": the PET's measurement
                    self._ev_m("quantification_excluded", m)
                    pet_measured = True
                    continue
                if self._under_pet_label(m) or (not spect_here and self._in_pet_part(m)):
                    # "Bone: ... PET/CT: FDG-avid primary (SUVmax 11.8)": the PET's part
                    self._ev_m("quantification_excluded", m)
                    pet_measured = True
                    continue
                if (
                    pet_measured
                    and m.section == "impression"
                    and not any(
                        x.sent == m.sent and x.label in IMAGING_LABELS for x in self.mentions
                    )
                ):
                    # "Dosimetry on the Y-90 PET/CT: tumor 212 Gy ... Impression: tumor dose
                    # above 205 Gy": the impression restates the PET's measurement
                    self._ev_m("quantification_excluded", m)
                    continue
                if not spect_here and self._under_label(m, PLANAR_LABELS):
                    # "Planar: lung shunt fraction 6.2% (estimated lung dose 5.8 Gy)": the
                    # planar images' estimate, not the SPECT's (LABELING.md gold H, M)
                    self._ev_m("quantification_excluded", m)
                    continue
                if not spect_here and self._non_imaging_dose(m):
                    # "whole-body dose from exposure-rate readings at 1 m: 2.1 Gy": measured
                    # with a meter or from samples, not from the SPECT data (LABELING gold P)
                    self._ev_m("quantification_excluded", m)
                    continue
                if self._other_study_column(m):
                    # a lesion table's "PET 11/2021" column: the values of another study
                    self._ev_m("quantification_excluded", m)
                    continue
                if self._comparison_paragraph(m):
                    # "Comparison with the post-therapy imaging of cycles 1 to 3. After cycle
                    # 1 (SPECT/CT with dosimetry): ... 3.8 Gy": the compared studies' values
                    self._ev_m("quantification_excluded", m)
                    continue
                self._ev_m("quantification", m)
                return True
        return False

    def _quant_retraction(self) -> int | None:
        """Where an addendum's sentence retracting the reported measurements ends ("The SUV
        values above are retracted"): the measurements before it are withdrawn."""
        for m in self.mentions:
            if m.label != "QUANT" or m.section != "addendum":
                continue
            s = self._sentence_of(m)
            if s is not None and _RETRACTED.search(self.text, s.start, s.end):
                return s.end
        return None

    def _empty_field(self, m: Mention) -> bool:
        """ "Dosimetry:" heading nothing, or "Quantification: N/A": a template's field left
        empty names no measurement."""
        blank = _BLANK_FIELD.match(self.text, m.end_char)
        if blank is not None:
            return True
        section = self.sections.section_at(m.start_char)
        if section is None or section.header_end is None or section.header_start is None:
            return False
        if not section.header_start <= m.start_char < section.header_end:
            return False
        body = self.text[section.header_end : section.end].strip(" \t\r\n:-_.")
        return body == "" or _BLANK_VALUE.fullmatch(body.lower()) is not None

    def _under_pet_label(self, m: Mention) -> bool:
        """Is `m` in the part of its line that a "PET/CT:" label opens, with no SPECT
        named between them ("Findings: Bone: ... PET/CT: avid node (SUVmax 7.4)")?"""
        return self._under_label(m, frozenset({"PET"}))

    def _under_label(self, m: Mention, labels: frozenset[str]) -> bool:
        """Is `m` in the part of its line that a label of an imaging kind in `labels` opens
        ("PET/CT:", "Planar:"), with no SPECT named between them?"""
        line = self.text.rfind("\n", 0, m.start_char) + 1
        last = None
        for x in self.mentions:
            if x.start_char >= m.start_char:
                break
            if x.start_char >= line and (x.label in labels or x.label in SPECT_LABELS):
                last = x
        return (
            last is not None
            and last.label in labels
            and last.asserted
            and _LABEL_COLON.match(self.text, last.end_char) is not None
        )

    def _in_pet_part(self, m: Mention) -> bool:
        """Is `m` in a part of the report, set off by a blank line, whose first line names a
        PET study and no SPECT ("A. Ga-68 PSMA PET/CT (before therapy)" then its SUVs)?"""
        gap = _BLANK_LINE.search(self.text[: m.start_char][::-1])
        if gap is None:
            return False  # the report's first lines are its title, not a part heading
        start = m.start_char - gap.start()
        first_end = self.text.find("\n", start)
        if first_end < 0 or first_end >= m.start_char:
            return False
        named = [
            x.label
            for x in self.mentions
            if start <= x.start_char < first_end
            and (x.label == "PET" or x.label in IMAGING_LABELS)
            and x.asserted
        ]
        return "PET" in named and not any(label in SPECT_LABELS for label in named)

    def _non_imaging_dose(self, m: Mention) -> bool:
        """Does `m`'s sentence say its dose came from a meter, samples or planar images, not
        from the SPECT?"""
        s = self._sentence_of(m)
        if s is not None and self.first(_NON_IMAGING_DOSE, s.start, s.end) is not None:
            return True
        heading = self._list_heading(m.start_char)
        return heading is not None and self.first(_NON_IMAGING_DOSE, *heading) is not None

    def _list_heading(self, offset: int) -> tuple[int, int] | None:
        """The heading line of the list whose row holds `offset` ("Planar conjugate-view
        estimates:" over "Kidneys: 0.6 Gy/GBq"): the nearest line above, with no blank line
        between, that ends with a colon; None when the row is not under one."""
        line = self.text.rfind("\n", 0, offset) + 1
        for _ in range(12):
            if line == 0:
                return None
            prev = self.text.rfind("\n", 0, line - 1) + 1
            if not self.text[prev : line - 1].strip():
                return None
            if _LIST_HEADING.fullmatch(self.text, prev, line - 1):
                return prev, line - 1
            line = prev
        return None

    def _other_study_column(self, m: Mention) -> bool:
        """Is `m` a cell of a table column headed by another study ("PET 11/2021", a past
        SPECT/CT)? The columns are read in the report as given (runs of spaces kept). A
        row the export's wrap cut ("Liver segment 7   31 x 26 mm   4" / "SUVmax 24") is
        read as the unwrap joined it: the rest's cell is the row's next, under the
        header's cell of the same place (the header cut alike: "... Krenning score" /
        "PET 11/2021")."""
        text = self.text
        line_start = text.rfind("\n", 0, m.start_char) + 1
        line_end = text.find("\n", m.start_char)
        line_end = len(text) if line_end < 0 else line_end
        row = self._row_cells(line_start, line_end)
        if row is None:
            return False
        at = self._source(m.start_char)
        before = [c for c in row if c[1] <= at]
        if not before:
            return False
        index = len(before) - 1
        # the table's first row is its header: walk up over the rows right above (in a
        # double-spaced export, over the blank line between two rows too)
        doubled = double_spaced(self.quoted)
        header: list[tuple[int | None, int, int]] | None = None
        header_start = line_start
        while header_start > 0:
            prev = text.rfind("\n", 0, header_start - 1) + 1
            if doubled and not text[prev : header_start - 1].strip() and prev > 0:
                prev = text.rfind("\n", 0, prev - 1) + 1
            cells = self._row_cells(prev, header_start - 1)
            if cells is None:
                break
            header, header_start = cells, prev
        if header is None:
            return False
        col = before[-1][0]
        if col is None:
            # the rest of a cut row: the header's cell of the same place, a rest too
            if index >= len(header) or header[index][0] is not None:
                return False
            near = header[index]
        else:
            placed = [(abs(c[0] - col), c) for c in header if c[0] is not None]
            gap, near = min(placed, key=lambda x: x[0])
            if gap > 3:
                return False
        return any(
            x.label == "PET" or (x.label in IMAGING_LABELS and x.context == "historical")
            for x in self.mentions
            if near[1] <= self._source(x.start_char) < near[2]
        )

    def _comparison_paragraph(self, m: Mention) -> bool:
        """Is `m` in a paragraph opened by a comparison heading run into its text, a
        sentence of no verb ("Comparison with the post-therapy imaging of cycles 1 to 3.")?
        The paragraph is about the compared studies, as a "Comparison:" section would be."""
        start = 0
        for gap in _BLANK_LINE.finditer(self.text, 0, m.start_char):
            start = gap.end()
        return _COMPARISON_OPENING.match(self.text, start, m.start_char) is not None

    def _row_cells(self, start: int, end: int) -> list[tuple[int | None, int, int]] | None:
        """The cells of the line `start`-`end` of the text, in the report as given: (its
        column, or None for the rest of a row the wrap cut onto a line of its own; its
        start and end there). None when the line as given does not open with a table row
        of cells apart by runs of spaces."""
        src = self.quoted
        a, b = self._source(start), self._source(end)
        first_end = src.find("\n", a, b)
        first_end = b if first_end < 0 else first_end
        if not _TABLE_ROW.search(src, a, first_end):
            return None
        cells: list[tuple[int | None, int, int]] = [
            (c.start() - a, c.start(), c.end()) for c in SPACED_CELL.finditer(src, a, first_end)
        ]
        pos = first_end
        while pos < b:
            nxt = src.find("\n", pos + 1, b)
            nxt = b if nxt < 0 else nxt
            rest = SPACED_CELL.search(src, pos + 1, nxt)
            if rest is not None:
                cells.append((None, rest.start(), nxt))
            pos = nxt
        return cells

    def _source(self, offset: int) -> int:
        return self.offsets.source(offset) if self.offsets is not None else offset

    def _pending_quantification(self, m: Mention, pending: list[Mention]) -> bool:
        """ "Dosimetry: images sent to the dosimetry workstation; absorbed dose calculation
        to follow": where the section says the measurement is still to come, its other
        quantification words without a result (no number) name the plan, not a result."""
        section = self.sections.section_at(m.start_char)
        if section is None or m.section == "header":
            return False
        if not any(section.start <= p.start_char < section.end for p in pending):
            return False
        s = self._sentence_of(m)
        text = (
            self.text[s.start : s.end] if s is not None else self.text[section.start : section.end]
        )
        return not any(c.isdigit() for c in text)

    def _with_value(self, m: Mention) -> bool:
        """Does the mention's sentence give a value ("SUVmax of the lesion 12.4", "38 Gy")?
        Time points, activities and the digits of names (Lu-177, L4) are not values, nor
        are the numbers of a metadata block's line (series numbers, slice thicknesses,
        beds: "SPECT BED 2 | CT 3.0 B08s | xSPECT QUANT" names a reconstruction)."""
        s = self._sentence_of(m)
        if s is None or self._in_metadata(m):
            return False
        taken = [(t.start, t.end) for t in s.times]
        taken += [(x.start_char, x.end_char) for x in s.mentions if x.label != "QUANT"]
        taken += [(a.start(), a.end()) for a in _ACTIVITY.finditer(self.text, s.start, s.end)]
        taken += [(a.start(), a.end()) for a in _COUNTED.finditer(self.text, s.start, s.end)]
        taken += [(a.start(), a.end()) for a in _PARTS_COUNTED.finditer(self.text, s.start, s.end)]
        for n in _VALUE.finditer(self.text, s.start, s.end):
            if not any(a < n.end() and n.start() < b for a, b in taken):
                return True
        return False

    def cardiac_studies(self) -> int:
        n = 0
        text = self.text
        # "☐ Stress-only pathway": an option not taken
        for only, other in ((_STRESS_ONLY, _REST), (_REST_ONLY, _STRESS)):
            if any(
                not self._after_empty_box(h.start())
                and not in_spans(h.start(), list(self.without))
                and not self._aspect_of_acquisition(h.start())
                and not _FINDING_TIMING_BEFORE.search(text, max(0, h.start() - 40), h.start())
                and not self._other_part_added(h.start(), other)
                for h in only.finditer(text)
            ):
                # "Rest images only were obtained" beside a pick list's ticked "Stress [X]":
                # the dictated text is coded, the ticked field reviewed (grey zone 5)
                self.cardiac_contradiction = any(
                    _TICKED_AFTER.match(text, h.end())
                    or _TICKED_BEFORE.search(text, max(0, h.start() - 8), h.start())
                    for h in other.finditer(text)
                )
                return 1
        for rx in (_STRESS, _REST, _REDIST):
            asserted: re.Match[str] | None = None
            hits: list[tuple[re.Match[str], str, str]] = []
            for hit in rx.finditer(text):
                if in_spans(hit.start(), list(self.without)):
                    continue  # the report as first written leaves out its errata
                s = self._sentence_at(hit.start())
                if s is not None and self._section_at(s.start) in ("history", "comparison"):
                    continue
                if _PRIOR_STUDY_BEFORE.search(
                    text, s.start if s else max(0, hit.start() - 90), hit.start()
                ):
                    continue
                clause = text[s.start : s.end] if s else text[hit.start() : hit.end() + 60]
                if clause.rstrip().endswith(":"):
                    # "Stress:" on its own, then "not performed; ...": the label's value
                    clause = text[hit.start() : hit.end() + 60]
                lo = s.start if s else hit.start()
                hi = s.end if s else hit.end() + 60
                part_start = max(lo, text.rfind(";", lo, hit.start()) + 1)
                part_end = text.find(";", hit.end(), hi)
                part = text[part_start : hi if part_end < 0 else part_end]
                hits.append((hit, clause, part))
            half_denied = any(_HALF_DENIED.search(part) for _, _, part in hits)
            # "Rest images were not obtained" under a "Rest/stress SPECT" title: the body's
            # account of what was done outweighs the order's title
            body_denied = any(
                _NEGATED_CLAUSE.search(clause) and self._section_at(hit.start()) in BODY_SECTIONS
                for hit, clause, _ in hits
            )
            denied = False
            for hit, clause, part in hits:
                if (
                    _NEGATED_CLAUSE.search(clause)
                    or _PLAN_CLAUSE.match(clause)
                    or _PLAN_AFTER.match(text, hit.end())
                ):
                    denied = True
                    continue
                if body_denied and (
                    self._section_at(hit.start()) == "header" or self._ordered_name(hit.start())
                ):
                    # "... was referred for rest/stress SPECT" names the order as a title does
                    continue
                if _ADVICE_AFTER.match(text, hit.end(), len(text)) or _ADVICE_BEFORE.search(
                    text, max(0, hit.start() - 40), hit.start()
                ):
                    continue
                if _UNABLE_BEFORE.search(text, max(0, hit.start() - 40), hit.start()):
                    continue
                if half_denied and not _HALF_IMAGED.search(part):
                    # "Stress: treadmill begun ..." with "the stress dose was not injected"
                    continue
                if self._protocol_line(hit.start()):
                    # "Protocol: [x] 1-day rest/stress": the plan; the part's own line says
                    # whether it was done
                    asserted = asserted or hit
                    continue
                asserted = hit
                break
            if asserted is not None and denied and self._protocol_line(asserted.start()):
                asserted = None
            if asserted is None and denied:
                self.cardiac_part_denied = True
            if asserted is not None:
                self._ev(
                    "cardiac_study",
                    asserted.start(),
                    asserted.end(),
                    self._section_at(asserted.start()),
                )
            n += asserted is not None
        if _TWO_DAY.search(text) and not self.cardiac_part_denied:
            # "Two-day protocol ... Day 2: rest study cancelled": the plan, one study done
            n = max(n, 2)
        return max(1, n)

    def _two_day_perfusion(self) -> bool:
        """Does the report name its perfusion study two-day ("TWO-DAY MYOCARDIAL PERFUSION
        SPECT", "MPI 2-DAY", "Protocol: Two-day stress/rest"), and not one-day too? An
        unticked option and a past study's name say neither."""

        def named(rx: re.Pattern[str]) -> bool:
            return any(
                self._section_at(hit.start()) not in ("history", "comparison")
                and not self._in_unticked_option(hit.start())
                and not self._after_empty_box(hit.start())
                for hit in rx.finditer(self.text)
            )

        return named(_TWO_DAY_NAME) and not named(_ONE_DAY_NAME)

    def _other_part_added(self, offset: int, other: re.Pattern[str]) -> bool:
        """Does an addendum or final read after `offset` report the other half of the
        perfusion study acquired ("PRELIMINARY REPORT (stress images only)", then "ATTENDING
        ADDENDUM - FINAL: Rest images were acquired today")? The "only" told what the first
        read had; the study has both halves."""
        if self._section_at(offset) == "addendum":
            return False  # the later read's own "only" is its word on the study
        for hit in other.finditer(self.text, offset):
            if self._section_at(hit.start()) != "addendum":
                continue
            s = self._sentence_at(hit.start())
            if s is None:
                continue
            # the clause of the half's hit: "Only the stress portion was performed; the rest
            # images shown are from an earlier study" says nothing done of the rest
            start = max(s.start, self.text.rfind(";", s.start, hit.start()) + 1)
            end = self.text.find(";", hit.end(), s.end)
            clause = self.text[start : s.end if end < 0 else end]
            if (
                _PART_DONE.search(clause)
                and not _NEGATED_CLAUSE.search(clause)
                and not _PLANNED.search(clause)
            ):
                return True
        return False

    def _ordered_name(self, offset: int) -> bool:
        """Is `offset` inside a study name the report says was ordered ("was referred for
        rest/stress SPECT MPI")?"""
        return any(
            m.start_char <= offset < m.end_char
            and m.context == "recommended"
            and _ORDER_CUE.search(str(m.cue_id))
            for m in self.mentions
        )

    def _aspect_of_acquisition(self, offset: int) -> bool:
        """ "Gated: stress only": the "stress only" at `offset` says which images were gated
        (or attenuation-corrected, or taken prone), not that no rest study was done."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return (
            _ASPECT_OF_ACQUISITION.search(self.text, max(line_start, offset - 40), offset)
            is not None
        )

    def _protocol_line(self, offset: int) -> bool:
        """Is `offset` on a line that states the protocol ("Protocol: 1-day rest/stress")?"""
        line = self.text.rfind("\n", 0, offset) + 1
        return _PROTOCOL_KEY.match(self.text, line, offset) is not None

    def tracers(self) -> tuple[str, ...]:
        out: list[str] = []
        generic = {
            "Tc-99m",
            "In-111",
            "I-123 sodium iodide",
            "sodium iodide (isotope not stated)",
            "I-131",
            "MIBG",
            "Lu-177",
        }
        for m in self.mentions:
            if (
                m.label == "RADIOPHARM"
                and m.asserted
                and m.section not in ("history", "comparison")
            ) and str(m.value) not in out:
                out.append(str(m.value))
                self._ev_m("radiopharmaceutical", m, str(m.value))
        specific = [t for t in out if t not in generic]
        return tuple(specific or out)


def _add_areas(found: dict[str, Mention], pairs: Iterable[tuple[Mention, tuple[str, ...]]]) -> None:
    """Each area of `pairs` with the first mention that named it."""
    for am, areas in pairs:
        for a in areas:
            found.setdefault(a, am)


def _keys_differ(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    """Do two acquisitions' keys set them apart: one kind known on both sides with nothing
    in common, and no kind shared?"""
    apart = False
    for kind in ("half", "isotope"):
        x, y = a.get(kind, set()), b.get(kind, set())
        if x and y:
            if x & y and kind == "half":
                return False
            apart = apart or not (x & y)
    return apart


def _other_time_point(a: list[TimeExpr], b: list[TimeExpr]) -> bool:
    """Do the times of two table rows name different time points: in a kind both state,
    no value of one is the other's ("02/13 | 4 h" and "02/13 | 6 h" differ by their hours)?"""
    kinds = {t.kind for t in a} & {t.kind for t in b}
    return any(
        not any(_same_time(x, y) for x in a if x.kind == k for y in b if y.kind == k) for k in kinds
    )


def _same_time(a: TimeExpr, b: TimeExpr) -> bool:
    """Do two time expressions of one kind name the same time point?"""
    if a.kind != b.kind:
        return False
    if a.kind == "date":
        return same_day(str(a.value), str(b.value))
    return a.value == b.value


def _isotope(tracer: str) -> str:
    """ "Tc-99m RBC" and "Tc-99m" are one isotope; "In-111 oxine WBC" is another."""
    return isotope_of(tracer) or tracer


def _paired_dates(tm: _Timed) -> dict[str, int]:
    """The day of each date of one image whose time points are as many days as dates, one
    apart as the other ("24 h (03/19) and 96 h (03/22)": 03/19 is day 1, 03/22 day 4); empty
    when they do not pair."""
    if len(tm.days) < 2 or len(tm.days) != len(tm.dates):
        return {}
    days = sorted(tm.days)
    first = min(tm.dates, key=lambda d: days_between(next(iter(tm.dates)), d) or 0)
    out: dict[str, int] = {}
    for d in tm.dates:
        offset = days_between(first, d)
        if offset is None or days[0] + offset not in tm.days:
            return {}
        out[d] = days[0] + offset
    return out if len(set(out.values())) == len(out) else {}


def _dates_as_days(timed: list[_Timed], dates: list[str]) -> set[int] | None:
    """The imaging days of `dates`, when one image gives both its date and its time point
    ("4h WB 9/8" makes 9/8 day 0, so "24h" is 9/9); None when no image ties the two."""
    anchor = next(
        (
            (next(iter(tm.dates)), next(iter(tm.days)))
            for tm in timed
            if len(tm.days) == 1 and len(tm.dates) == 1
        ),
        None,
    )
    if anchor is None:
        return None
    out: set[int] = set()
    for d in dates:
        offset = days_between(anchor[0], d)
        if offset is None:
            return None
        out.add(anchor[1] + offset)
    return out


def _dates_from_line(lines: list[set[str]], dates: list[str]) -> set[int] | None:
    """The imaging days of `dates` when the images with a time point all fall on the
    injection day and none gives its date, counted from the first date of a line that
    states them with an earlier one: "Ictal 10/15, interictal 10/17", then "ictal SPECT
    1 hr" and "interictal (10/17): SPECT" are days 0 and 2. None when no line ties them
    or they lie more than two weeks apart."""
    for line in lines:
        keyed = [d for d in line if days_between(d, d) == 0]
        if not all(any(same_day(d, x) for x in keyed) for d in dates):
            continue
        first = next((d for d in keyed if all((days_between(d, x) or 0) >= 0 for x in keyed)), None)
        if first is None:
            continue
        out: set[int] = set()
        for d in dates:
            offset = days_between(first, d)
            if offset is None or not 0 <= offset <= _FIRST_DATE_REACH:
                return None
            out.add(offset)
        return out
    return None


def _add_time(tm: _Timed, r: tuple[int, int, int | None, str | None, float | None]) -> None:
    start, end, day, date, hours = r
    if day is not None:
        tm.days.add(day)
    if date is not None:
        tm.dates.add(date)
    if hours is not None:
        tm.hours.add(hours)
    tm.evidence.append((start, end))


def _template_days(
    tm: _Timed, resolved: list[tuple[int, int, int | None, str | None, float | None]]
) -> None:
    """A template's "Imaging days:" line replaces the days the SPECT line only inherited."""
    if tm.inherited:
        tm.days.clear()
        tm.dates.clear()
        tm.inherited = False
    if tm.days or tm.dates:
        return  # the SPECT line said its own time: that wins
    # "Day 1 (48 h), Day 2 (72 h)": the template numbers imaging days, the hours count
    # from the injection; when both are given the hours say it
    hours = [r for r in resolved if r[4] is not None]
    for r in hours or resolved:
        _add_time(tm, r)
    tm.templated = True


# the thoracic inlet as a range's end, or the notch of the sternum at it (hyphens and
# spaces removed)
_INLET_ENDS = ("thoracicinlet", "sternalnotch", "suprasternalnotch", "jugularnotch")
# a range's start at the neck's upper edge: the skull base, the mandible
_UPPER_NECK_EDGES = ("skull base", "base of skull", "mandible", "jaw", "foramen magnum")
# the diaphragm opening a range downward is the abdomen's upper edge ("diaphragm to iliac
# crests"); closing one from above it is the chest's lower edge ("thoracic inlet - diaphragm")
_DIAPHRAGM = "diaphragm"
# the iliac crests as a range's end (hyphens and spaces removed)
_CREST_ENDS = ("iliaccrest", "iliaccrests")


def _above_pelvis(areas: tuple[str, ...]) -> bool:
    """Does a range end name an axial area above the pelvis?"""
    return any(x in _AXIAL and _AREA_ORDER[x] < _AREA_ORDER["pelvis"] for x in areas)


def _is_range(between: list[str]) -> bool:
    """The words between two areas make a range: range words ("to", "through", "down
    to"), then perhaps words saying the far end is included ("to and including")."""
    if not between or between[0] not in _RANGE_WORDS:
        return False
    k = 0
    while k < len(between) and between[k] in _RANGE_WORDS:
        k += 1
    return all(w in _RANGE_INCLUSIVE for w in between[k:])


def _expand_ranges(
    found: list[tuple[Mention, tuple[str, ...]]], lower: LowerTokens
) -> list[tuple[Mention, tuple[str, ...]]]:
    """ "T10 through L3", "skull base to pelvis": every axial area between the two ends."""
    out = list(found)
    boundaries: set[int] = set()
    inlets: set[int] = set()  # a thoracic inlet closing a range from the neck
    openers: set[int] = set()  # a diaphragm opening a range downward
    ordered = sorted(found, key=lambda x: x[0].start)
    for (a, aa), (b, bb) in itertools.pairwise(ordered):
        # (a dash set off by spaces is a range word here: "Bed 1: vertex - thoracic inlet")
        between = [w for w in lower.span(a.end, b.start) if w not in _RANGE_FILLERS or w == "-"]
        if _is_range(between):
            # "skull base to mid-thigh": the range runs neck to pelvis, and the thigh end
            # keeps its own area, the lower extremities (LABELING.md, gold H)
            start_text = " ".join(lower.span(a.start, a.end))
            end_text = "".join(lower.span(b.start, b.end)).replace("-", "")
            # (a range from the skull base up to the vertex lies in the head: "SPECT/CT of
            # the head from the skull base to the vertex", LABELING.md GCP-006)
            # (the mandible opening a range is the neck's upper edge as the skull base is:
            # "parathyroid SPECT from the mandible to the mediastinum")
            skull_base = start_text in _UPPER_NECK_EDGES and bb != ("head",)
            if skull_base:
                aa = ("neck",)
            if end_text in _THIGH_ENDS or (
                bb == ("lower_extremities",) and any(x in _AXIAL for x in aa)
            ):
                # (any limb end of an axial range: "vertex to the toes", "pelvis to the
                # knees" run down to the pelvis, the limb keeping its own area)
                bb = ("pelvis",)
            if start_text == _DIAPHRAGM and any(
                x in _AXIAL and _AREA_ORDER[x] > _AREA_ORDER["chest"] for x in bb
            ):
                aa = ("abdomen",)
                openers.add(id(a))
            if end_text in _INLET_ENDS and aa and all(x in ("head", "neck") for x in aa):
                # "skull base to thoracic inlet", "mandible to sternal notch": the inlet
                # closing a range from above is the neck's lower edge, adding no chest
                bb = ("neck",)
                inlets.add(id(b))
            crest_end = end_text in _CREST_ENDS and _above_pelvis(aa)
            if crest_end:
                # "liver dome to iliac crests": the crests closing a range from above are
                # the pelvis's upper edge, and the range ends in the abdomen
                bb = ("abdomen",)
                boundaries.add(id(b))
            ends = [x for x in (*aa, *bb) if x in _AXIAL]
            if len(ends) >= 2:
                lo = min(_AREA_ORDER[x] for x in ends)
                hi = max(_AREA_ORDER[x] for x in ends)
                out.append((a, tuple(CANONICAL_AREAS[lo : hi + 1])))
                if skull_base:
                    # the skull base opening a range is its edge, not the head (LABELING.md)
                    boundaries.add(id(a))
    for k, (b, _bb) in enumerate(ordered):
        # "SPECT/CT of the abdomen from the diaphragmatic domes to the iliac crests": a
        # range opening at a landmark that is no area still closes at the crests, the
        # pelvis's upper edge, below a field named above the pelvis
        end_text = "".join(lower.span(b.start, b.end)).replace("-", "")
        if end_text not in _CREST_ENDS or id(b) in boundaries:
            continue
        j = b.start - 1
        while j >= 0 and lower[j] in _RANGE_FILLERS:
            j -= 1
        if j < 0 or lower[j] not in _RANGE_WORDS:
            continue
        if any(_above_pelvis(aa) for _a, aa in ordered[:k]):
            boundaries.add(id(b))
    if boundaries:
        out = [x for x in out if id(x[0]) not in boundaries or x[1] not in (("head",), ("pelvis",))]
    if inlets or openers:
        out = [x for x in out if id(x[0]) not in inlets | openers or x[1] != ("chest",)]
    return out
