"""Context of each mention: negated / not performed, aborted, recommended or hypothetical,
historical or comparison-only. Each decision records its cue and that cue's scope.

A ConText-style matcher of our own: cues are data (`nlp/patterns/context.jsonl`) with a
direction and a window in tokens. A cue reaches the nearest procedure mention in its
direction and the mentions coordinated with it ("flow and blood pool images were not
obtained", "no SPECT or CT"), and stops at clause boundaries. Short negators ("no", "not",
"without") reach only through modifiers, never across a preposition, so that "no focal
uptake on SPECT" leaves the SPECT asserted. Mentions in the history and comparison
sections are historical; a procedure followed by "of/dated/from <date>" or "in <year>" is
a prior study.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.pipeline import extensions  # noqa: F401
from nlp.pipeline.arrays import LowerTokens, arrays_of, once, text_of
from nlp.pipeline.idlines import own_start
from nlp.pipeline.mentions import PROCEDURES, Mention, sentence_starts
from nlp.pipeline.patterns import PatternComponent
from nlp.pipeline.prescan import opening_finditer
from nlp.pipeline.signoff import own_text
from nlp.pipeline.timing import find_dos, match_date, parse_date_match

PATTERN_FILE = "context.jsonl"
REQUIRED = ("id", "context", "direction", "window", "pattern")

# Precedence when several cues reach one mention.
PRECEDENCE = {"aborted": 0, "negated": 1, "historical": 2, "recommended": 3}
_TERMINATORS = frozenset(
    {
        ",",
        ";",
        ":",
        ".",
        "but",
        "however",
        "although",
        "though",
        "whereas",
        "while",
        "except",
        "which",
        "who",
        "then",
        "followed",
        "after",
        "because",
        "since",
        "so",
        "and then",
        "comma",
        "period",
        # a spaced double dash or dash ends the clause: "... not available overnight --
        # ventilation SPECT to be performed in the morning"
        "--",
        "\u2014",
    }
)
# Backward "was not performed"-type cues reach their subject across "was scheduled ... but".
# ("SPECT: not performed" in key-value reports: the colon does not stop them either)
_DASHES = frozenset({"-", "\u2013", "\u2014"})
_BACKWARD_NEG_TERMINATORS = frozenset({";", ".", "which", "whereas", "while"})
_PREPOSITIONS = frozenset(
    {
        "on",
        "in",
        "at",
        "of",
        "from",
        "with",
        "to",
        "by",
        "within",
        "along",
        "over",
        "into",
        "during",
        "for",
        "is",
        "are",
        "was",
        "were",
        "seen",
        "shows",
        "showed",
        "noted",
        "identified",
    }
)
# Words that break a coordination between two procedure mentions: "X and Y were not
# obtained" reaches X, "X was acquired and Y was not obtained" does not.
_BREAKERS = frozenset(
    {
        ";",
        ":",
        ".",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "did",
        "does",
        "do",
        "showed",
        "shows",
        "demonstrated",
        "revealed",
        "performed",
        "obtained",
        "acquired",
        "completed",
        "finished",
        "but",
        "however",
        "which",
        "then",
        "followed",
        "after",
        "because",
        "while",
        "whereas",
        "although",
        # a form's next box: "[ ] SPECT  [x] SPECT/CT" offers two options, not one list
        "[",
        "☐",
        "☑",
        "☒",
    }
)
# what ticks a form's box: "[x]", "(X)", "(✓)"
_TICKS = frozenset({"x", "\u2713", "\u2714", "*"})
# a bracket holding one of these states what was done ("(SPECT only)"), not a gloss
_ONLY_WORDS = frozenset({"only", "alone"})
# What joins two procedures named as one list: "no whole-body sweep or tomography".
_COORDINATORS = frozenset({"or", "and", "nor", "/", "&", "and/or"})
# Backward recommendations reach their subject across commas ("SPECT/CT, or MRI, could ...").
_BACKWARD_REC_TERMINATORS = frozenset(
    {";", ":", ".", "but", "however", "which", "whereas", "while", "although"}
)
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# a date, in any of the forms reports write one: "03/04/2021", "03/2021", "2021-03-04",
# "2021", and with the month's name, "March 4, 2021" and "4 March 2021" (the same day)
_NAMED_MONTH_DATE = (
    rf"{_MONTH_WORD}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTH_WORD},?[ \t]+(?:19|20)\d\d"
)
_PAST_DATE = (
    _NAMED_MONTH_DATE
    + r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}/\d{4}|\d{4}-\d{2}(?:-\d{2})?|(?:19|20)\d\d"
)
# a full date (day, month and year) in any of those forms
_FULL_DATE = re.compile(
    _NAMED_MONTH_DATE + r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}", re.IGNORECASE
)
_DATE_AFTER = re.compile(
    # "the last SPECT/CT (2021)": a year in brackets right after a procedure
    rf"\s*\(\s*(?:{_MONTH_WORD}\s+)?"
    r"(?:\d{1,2}/)?(?:19|20)\d\d\s*\)"
    r"|\s*(?:(?:of|dated|from|in|on the study of|performed on)\s+)?"
    rf"(?:{_MONTH_WORD}\s+)?(?:{_PAST_DATE})\b",
    re.IGNORECASE,
)
# "the 10/2022 CT", "her 2019 SPECT/CT": a date between an article or possessive and the
# procedure names a past study; so does one with a word or two saying what or where it
# imaged between them ("the 2019 skull SPECT", "her 03/2020 bone SPECT/CT")
_DATE_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|their|its)[ \t]+"
    rf"(?P<date>{_PAST_DATE})[ \t]+"
    r"(?P<words>(?:(?!(?:and|or|with|at|of|on|in|to|for|then|was|were|is|are|but|today)\b)"
    r"[A-Za-z][A-Za-z-]*[ \t]+){0,2})$",
    re.IGNORECASE,
)
# "more intense than on the 04/2019 study, when SPECT/CT showed a lytic lesion", "the
# prior scan, at which time SPECT demonstrated ...": a clause set in the time of an earlier
# study tells what that study's imaging showed
_WHEN_OF_PAST_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|their|its|that)[ \t]+"
    rf"(?:(?P<date>{_PAST_DATE})"
    r"|prior|previous|earlier)[ \t]+(?:[A-Za-z][A-Za-z-]*[ \t]+){0,2}?"
    r"(?:study|scan|exam(?:ination)?)[ \t]*,?[ \t]*"
    r"(?:when|at[ \t]+which[ \t]+time|at[ \t]+that[ \t]+time)[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
_HISTORICAL_SECTIONS = frozenset({"history", "comparison"})
# a date followed by a clock time or a time point after injection is this study's
# acquisition log, not a past study: "WB imaging 01/30/2023 14:20 (4 h)"
_TIMESTAMP_AFTER = re.compile(
    r"[ \t,]+(?:at[ \t]+)?\d{1,2}:\d{2}\b|[ \t]*\([ \t]*\d+(?:\.\d+)?[ \t]*h"
)


# "SPECT/CT of the right shoulder on 05/19/2020": a date closing the procedure's own clause
# (area words between, no punctuation); it dates a past study when it lies this many days or
# more before the date of service (a multi-day study spans a week at most)
def _clause_date(reach: int) -> re.Pattern[str]:
    """The words from a procedure to its date, at most `reach` letters long."""
    return re.compile(rf"[ \t]+[A-Za-z \t-]{{0,{reach}}}?\b(?:on|dated|from)[ \t]+", re.IGNORECASE)


_CLAUSE_DATE = _clause_date(50)
_PAST_STUDY_DAYS = 21
# a CT's own clause may name its place as well ("the CT of the thoracolumbar spine
# performed at Riverside Imaging on 05/02/2022")
_CT_CLAUSE_DATE = _clause_date(80)
# "her perfusion SPECT at Northside in 2019": a bare year closing the procedure's clause
_CLAUSE_YEAR = re.compile(
    r"[ \t]+[A-Za-z \t'-]{0,50}?\bin[ \t]+((?:19|20)\d\d)\b(?![/.-]\d)", re.IGNORECASE
)
_PAST_CT_DAYS = 2
# A section of advice for later ("Recommendation:", "RECOMMENDATIONS -", "Suggestions"):
# what it names is recommended, not done.
_ADVICE_HEADER = re.compile(
    r"\s*(?:recommendations?|suggestions?|suggested\s+follow[- ]?up|advice)\s*(?:[:=\-.]|$)",
    re.IGNORECASE,
)
# What may stand between a past study and the bracket that describes it: its head noun,
# its date, "of" ("octreotide scans of 03/2020 (...)").
_PAST_GLOSS_GAP = frozenset(
    {"of", "and", "from", "dated", "on", "in", ",", "the"}
    | {"scan", "scans", "study", "studies", "exam", "exams", "examination", "examinations"}
)
_DATE_TOKEN = re.compile(r"[0-9][0-9/.-]*$")
# a date in any of its forms, read from a token's start: "January 9, 2024" and "2024-01-09"
# span several tokens where "01/09/2024" is one
_DATE_AT = re.compile(rf"(?:{_PAST_DATE})\b", re.IGNORECASE)
_PLACE_LABELS = frozenset({"AREA", "LEVEL", "SPINE", "DAY"})
_KV_SEPARATORS = frozenset({":", "=", ":-", "-"})
# a bracket's close, alone or glued to a key's colon: spaCy keeps "):" whole (an emoticon),
# as in "(about 23 h post injection, no reinjection): SPECT/CT of the pelvis repeated"
_CLOSING_BRACKETS = frozenset({")", "):"})
# Words a key may hold between the procedure and the separator: where and when the
# procedure was (not) done, nothing about findings.
_KV_KEY_WORDS = frozenset(
    {
        "on",
        "at",
        "in",
        "our",
        "the",
        "this",
        "same",
        "camera",
        "scanner",
        "system",
        "unit",
        "gantry",
        "hybrid",
        "session",
        "visit",
        "today",
        "portion",
        "component",
        "part",
        "of",
        "both",
        "acquired",
        "acquisition",
        "performed",
        "obtained",
        "done",
    }
)
# A report that interprets another facility's study: "SECOND-OPINION INTERPRETATION",
# "outside study over-read".
_OVER_READ = re.compile(r"\bsecond[- ]opinion\b|\bover-?read(?:ing)?\b", re.IGNORECASE)
# Imaging that, asserted, means the report describes a study of its own.
_OWN_IMAGING = frozenset(
    {"SPECT", "SPECT_CT", "PLANAR", "WHOLE_BODY", "FLOW", "BLOOD_POOL", "THREE_PHASE"}
)
# Between a key-value cue and its key: the separator, and a template's box ("CT: [No]").
_KV_GAP = _KV_SEPARATORS | {"["}
# A "whole value" cue is the entire value of its line: "Whole-body planar: [No]" is a
# negation, "SPECT/CT: no focal uptake" is a finding.
# A template may hold several fields on one line: "SPECT: Yes   CT: No   Reconstruction: OSEM"
# (the value ends where a capitalised key and its separator open the next field; the
# tokenizer has read the run of spaces before it as one).
_NEXT_FIELD = r"(?:[ \t]*\|)?[ \t]+[A-Z][A-Za-z0-9/()' -]{0,30}(?::-|[:=])"
# (the value may carry its reason in brackets: "CT: N (camera without CT)")
_VALUE_REASON = r"(?:[ \t]*\([^()\n]{1,60}\))?"
_WHOLE_VALUE_END = re.compile(
    r"[ \t\])]*[.;]?" + _VALUE_REASON + r"(?:[ \t]*(?:\n|$)|" + _NEXT_FIELD + ")"
)
# the same in a report typed all in lower case, where a key's capital cannot tell it
_NEXT_FIELD_CASELESS = _NEXT_FIELD.replace("[A-Z][A-Za-z0-9", "[a-z][a-z0-9")
_WHOLE_VALUE_END_CASELESS = re.compile(
    r"[ \t\])]*[.;]?" + _VALUE_REASON + r"(?:[ \t]*(?:\n|$)|" + _NEXT_FIELD_CASELESS + ")"
)
# every `_OVER_READ` match holds one of these (a cheap test before its scan)
_OVER_READ_KEYS = ("opinion", "overread", "over-read")
# A dictated self-correction: "SPECT/CT - scratch that - SPECT of the neck". A bare
# "correction" needs punctuation on both sides ("attenuation correction, ..." is none).
_SELF_CORRECTION = re.compile(
    r"(?:(?<=\s)--?|[\u2013\u2014,(]|\.\.\.)[ \t]*"
    r"(?:(?:scratch|strike|delete)[ \t]+that\b[ \t]*(?:[-\u2013\u2014,:)]|\.\.\.)?"
    r"|correction[ \t]*(?:[-\u2013\u2014,:)]|\.\.\.))"
    # speech recognition spells the punctuation out: "... lumbar spine comma correction
    # comma the spec was of the pelvis"
    r"|[ \t]+(?:comma|dash)[ \t]+(?:(?:scratch|strike|delete)[ \t]+that|correction)"
    r"[ \t]+(?:comma|colon|dash)\b"
    # ... or says no punctuation at all: "SPECT CT of the thoracic spine scratch that SPECT
    # CT of the lumbar spine" ("scratch that" is no phrase of a report's own)
    r"|(?<=[ \t])(?:scratch|strike|delete)[ \t]+that[ \t]+(?=\w)",
    re.IGNORECASE,
)
# what may stand between an unpunctuated "scratch that" and the words it puts instead
_BARE_CORRECTION_GAP = re.compile(r"(?:(?:the|of|a|an)[ \t]+)*", re.IGNORECASE)
_SELF_CORRECTION_KEYS = ("scratch that", "strike that", "delete that", "correction")
# what joins the two ends of a range of levels or areas: "T12-S1", "L1 through L5"
_RANGE_JOIN = re.compile(r"[ \t]*(?:[-\u2013\u2014]|to|through|thru)[ \t]*", re.IGNORECASE)
# what a struck statement cannot reach back across
_CLAUSE_BREAK = re.compile(r"[,;:.\n]|\b(?:comma|period|colon|semicolon)\b", re.IGNORECASE)
# The value of a form field: "SPECT: [ ]", "CT: ***", "Whole body: [ ] yes  [X] no"; a
# worksheet's dot leader separates a key from its value too ("SPECT/CT abdomen ..... done").
_FORM_VALUE = re.compile(r"[ \t]*(?::-|[:=]|\.{3,}|\u2026+)[ \t]*([^\n]*)")
# a field left as the template had it: an empty box, "***", "___", or its default "N/A",
# "--" (LABELING.md, gold J and Q: says nothing about the procedure)
_UNFILLED = re.compile(
    r"(?:\[[ \t]*\]|\([ \t]*\)|\u2610|\*{2,}|_{2,}|-{2,}|[\u2013\u2014]|n/a|not[ \t]+applicable)"
    r"[ \t.]*",
    re.IGNORECASE,
)
# the value of a field up to the next field on its line ("SPECT/CT: N/A   CT: --")
# or where a sentence ends on its line ("SPECT: N/A. SPECT/CT was not performed.")
_FIELD_VALUE_END = re.compile(_NEXT_FIELD + r"|(?<=[.;])[ \t]+(?=[A-Z])|\n|$")
_FIELD_VALUE_END_CASELESS = re.compile(_NEXT_FIELD_CASELESS + r"|(?<=[.;])[ \t]+(?=[a-z])|\n|$")
# a ticked form box: "[x]", "(x)", "(●)", "☑", "☒"
TICKED_BOX = (
    r"(?:\[[ \t]*[xX\u2713\u2714*][ \t]*\]|\([ \t]*[xX\u2713\u2714*\u25cf][ \t]*\)"
    r"|[\u2611\u2612])"
)
# a form box: "[ ]", "[x]", "( )" and "(x)" radio options, "☐", "☑", "☒"
_BOX = re.compile(
    r"\[[ \t]*(?P<tick>[xX\u2713\u2714*])?[ \t]*\]"
    r"|\([ \t]*(?:(?P<ptick>[xX\u2713\u2714*\u25cf])|[ \t])[ \t]*\)"
    r"|(?P<empty>\u2610)|[\u2611\u2612]"
)
# the characters a box starts with: a row holding none has no box
_BOX_OPENERS = ("[", "(", "\u2610", "\u2611", "\u2612")
# the label of a ticked form option that says the procedure was not done, with its reason
# after it: "[X] Not acquired (pregnancy)", "(x) Not started - patient moved"
_NO_OPTION = re.compile(
    r"[ \t]*(?:no|none|n|not[ \t]+(?:performed|done|acquired|obtained|started|attempted))"
    # its reason, or the row's next field: "[X] No   Reason: unable to lie flat"
    r"[ \t]*(?:[(\-\u2013\u2014,;][^\n]*|[ \t][A-Za-z][^\n:]{0,30}:(?!\d)[^\n]*)?$",
    re.IGNORECASE,
)
# What a form field's key may name after its procedure: the area ("SPECT/CT pelvis: [ ]",
# "SPECT/CT of the lungs: No").
_KEY_FILLER = re.compile(r"[ \t]*(?:of|the|both|and|left|right|bilateral|[/+&,])(?![\w])", re.I)
# A form field left at its template default: unfilled ("SPECT: ***"), "N/A", "--". It
# reports nothing done, and denies nothing that the report says was done (LABELING.md).
DEFAULT_VALUE_CUES = frozenset(
    {
        "negated-backward-kv:unfilled",
        "negated-backward-kv:na",
        "negated-backward-kv:not-applicable",
        "negated-default-dropdown",
        # "Quantitative SPECT (SUV): [X] not performed": a quantification field's key
        "negated-backward-kv:quantification-key",
    }
)
# A protocol table's cell that marks its column's imaging as not done at that row: "No",
# "--", "N/A", "not required", "optional", "not scheduled" (LABELING.md, gold Q), a cross
# mark ("\u2718"), a yes/no column's "N", or a "no" / "n/a" with its reason ("n/a (camera
# without CT)")
TABLE_NO_CELL = re.compile(
    r"[ \t]*(?:(?:no|none|n/?a|n)(?:[ \t]*\([^()|\n]*\))?|-+|[\u2013\u2014\u2717\u2718]"
    r"|optional\b[^|\n]*|cancel+ed\b[^|\n]*"
    r"|not[ \t]+(?:required|scheduled|needed|indicated|done|performed|acquired|obtained)\b[^|\n]*"
    # "not part of (the) protocol": a study the protocol leaves out
    r"|not[ \t]+part[ \t]+of[ \t]+(?:the[ \t]+|this[ \t]+)?protocol\b[^|\n]*"
    r")?[ \t]*",
    re.IGNORECASE,
)
# a field's empty box before a remark that marks the imaging as not done: "WB: [ ] not
# part of protocol", "Rest: [ ] CANCELLED - stress normal" (the remark, not a bare "no"
# beside a box, says it was not done)
_EMPTY_BOX_REMARK = re.compile(
    r"[ \t]*(?:\[[ \t]*\]|\([ \t]*\)|\u2610)[ \t]*"
    r"(?=(?:not[ \t]+\w|cancel+ed\b|optional\b))",
    re.IGNORECASE,
)
# an empty form box right before a word: "[ ] SPECT", "[] lumbar", "☐ pelvis", "( ) Three-phase"
# (an option not taken: a cue after one is that option's label, and facts read the rest)
EMPTY_BOX = re.compile(r"(?:\[[ \t]*\]|\([ \t]*\)|\u2610)[ \t]*$")


# a box's label right before it: a word ("SPECT [X]"; not "Acquisition: [X]", nor a clock
# time "14:20 [X] WB")
_LABEL_BEFORE_BOX = re.compile(r"[A-Za-z][ \t]*$")
# a key's colon (not a clock time's): "Acquisition: [X] WB"
_KEY_COLON = re.compile(r":(?!\d)")
# what may follow a row's last box when it is its label's: a field ("Beds: 1") or a remark
_FIELD_OR_REMARK = re.compile(r"[ \t]*(?:\(|[A-Za-z][A-Za-z ./-]{0,30}:(?!\d))")
# a key's colon followed by an option's label, not by the key's own box
_KEY_THEN_OPTION = re.compile(r":[ \t]*[^\s\[(\u2610-\u2612]")


def line_at(text: str, offset: int) -> tuple[int, int]:
    """The start and end offsets of the line of `text` holding `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def boxes_follow_labels(text: str, offset: int) -> bool:
    """Is the form row at `offset` laid out label then box ("SPECT/CT [x]   Planar [ ]",
    "CT for localization: [X]  Attenuation only: [ ]", "Quantification ( )")? It is when the
    row ends with a box and opens with a label; a row that opens with a box, or whose
    options follow their boxes ("Tomography: (x) SPECT  ( ) SPECT/CT"), is box then label."""
    start, end = line_at(text, offset)
    row = text[start:end].rstrip()
    if not any(c in row for c in _BOX_OPENERS):
        return False  # no box on the row (the search for one tries every offset)
    boxes = list(opening_finditer(_BOX, row))
    if not boxes or row[: boxes[0].start()].strip() == "":
        return False
    if boxes[-1].end() == len(row):
        # unless the key's value opens with a box and the next boxes follow plain words:
        # "Acquisition: [ ] WB [X] SPECT [X] CT Planar spots [X]" is box then label, its
        # last box a label-then-box option of its own
        return not (
            row[: boxes[0].start()].rstrip().endswith(":")
            and len(boxes) > 2
            and all(
                not row[a.end() : b.start()].rstrip().endswith(":")
                for a, b in itertools.pairwise(boxes)
            )
        )
    # a row that opens with a label, no key's colon before its first box, which stands
    # right after a word, and goes on after its last box with a field of its own or a
    # bracketed remark ("4 h 14:20 WB [ ] SPECT [X] CT [X] Bed positions: 1 (knees)"): each
    # box is its label's (but "SPECT [ ] Yes [X] No" is a key and its options)
    return (
        _LABEL_BEFORE_BOX.search(row, 0, boxes[0].start()) is not None
        and _KEY_COLON.search(row, 0, boxes[0].start()) is None
        and _FIELD_OR_REMARK.match(row, boxes[-1].end()) is not None
    )


def option_box(text: str, offset: int) -> re.Match[str] | None:
    """The form box of the option whose label holds `offset`: in a label-then-box row the
    first box after it, else the last box before it; on its line, at most
    `_OPTION_LABEL_CHARS` from it."""
    start, end = line_at(text, offset)
    if boxes_follow_labels(text, offset):
        box = _BOX.search(text, offset, min(end, offset + _OPTION_LABEL_CHARS))
        if box is not None and _KEY_THEN_OPTION.search(text, offset, box.start()):
            return None  # the row's key: "SPECT/CT: lumbar [ ]  thoracic [x]"
        return box
    boxes = list(_BOX.finditer(text, max(start, offset - _OPTION_LABEL_CHARS), offset))
    return boxes[-1] if boxes else None


def after_empty_box(text: str, offset: int, reach: int = 6) -> bool:
    """Is the text at `offset` the label of an empty form box: right after it ("[ ] lumbar",
    "☐ pelvis", at most `reach` characters on), or, in a label-then-box row, with its own
    box after it empty ("Lumbar [ ]   Thoracic [x]")?"""
    if "[" not in text and "(" not in text and "\u2610" not in text:
        return False
    if boxes_follow_labels(text, offset):
        box = option_box(text, offset)
        return box is not None and not _ticked(box)
    return EMPTY_BOX.search(text, max(0, offset - reach), offset) is not None


# "was planned at 24 hours but": the plan's own time between the verb and "but"
_PLANNED_BUT_ROW = "recommended-backward:was-planned-but"
_PLAN_WORDS = frozenset({"planned", "scheduled", "intended", "booked"})
_PLAN_AUX = frozenset({"was", "were", "been"})
_PLAN_WHEN_OPENERS = frozenset({"at", "for", "on", "after", "in"})
_PLAN_WHEN_REACH = 7
_PLAN_WHEN_WORDS = frozenset(
    {"the", "a", "an", "same", "next", "following", "second", "third", "first", "day"}
    | {"days", "hour", "hours", "h", "hr", "hrs", "min", "mins", "minutes", "morning"}
    | {"afternoon", "evening", "time", "point", "post", "injection", "p.i.", "pi", "delayed"}
    | {"session", "visit", "-", "/", "of", "imaging", "acquisition"}
)


# "was offered ... but she declined it": the offer, the refusal up to this many tokens on
_OFFERED_DECLINED_ROW = "negated-backward:was-offered-then-declined"
_OFFER_WORDS = frozenset({"offered", "proposed"})
_REFUSALS = frozenset({"declined", "refused"})
_OFFER_REACH = 40
# between a refusal and its object: "declined the CT", "refused to have the SPECT"
_REFUSAL_OBJECT_FILLER = frozenset({"the", "a", "an", "to", "have", "undergo", "any", "further"})


def _plan_when_word(w: str) -> bool:
    return w in _PLAN_WHEN_WORDS or _DATE_TOKEN.match(w) is not None


@dataclass(slots=True)
class Cue:
    id: str
    context: str
    direction: str
    window: int
    adjacent: bool
    kv: bool  # only as the value of a key-value line: "CT: none", "SPECT= n/a"
    start: int
    end: int
    text: str
    # only the mention's own areas between them: "SPECT/CT of the L spine suggested"
    area_gap: bool = False


class ContextMatcher(PatternComponent):
    """The `spect_context` component: sets `Mention.context` and `Mention.cue`, and `doc._.cues`."""

    pattern_file = PATTERN_FILE
    required = REQUIRED

    def __init__(self, nlp: Language, name: str = "spect_context") -> None:
        self.name = name
        self.nlp = nlp
        self._load_default_rows()

    def _compile(self) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.by_key: dict[int, dict[str, Any]] = {}
        for row in self.rows:
            if row["context"] not in (*PRECEDENCE, "pseudo") or row["direction"] not in (
                "forward",
                "backward",
            ):
                raise ValueError(
                    f"{PATTERN_FILE}: row {row['id']} has an unknown context or direction"
                )
            key = self.nlp.vocab.strings.add(row["id"])
            self.by_key[key] = row
            self.matcher.add(row["id"], [self.nlp.make_doc(row["pattern"])])
        # cues that place a study at another facility ("outside", "performed elsewhere")
        self.outside_cues = frozenset(str(r["id"]) for r in self.rows if r.get("outside"))
        self.row_by_id = {str(r["id"]): r for r in self.rows}

    def find_cues(self, doc: Doc) -> list[Cue]:
        found = [(s, e, self.by_key[k]) for k, s, e in self.matcher(doc)]
        low = text_of(doc).lower()
        # both scans walk every token: skip them when none of their words is in the text
        if any(w in low for w in _PLAN_WORDS):
            found += self._planned_when_but(doc)
        if any(w in low for w in _OFFER_WORDS):
            found += self._offered_then_declined(doc)
        # an offer refused in part ("... declined the CT portion") gives way to the refusal
        # inside it, which then reaches its own object
        found = [
            (s, e, row)
            for s, e, row in found
            if not row.get("not_before_procedure") or _cue_fits(doc, s, e, row)
        ]
        found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        kept: list[tuple[int, int, dict[str, Any]]] = []
        for s, e, row in found:
            # a longer cue hides the shorter ones inside it; the same words may be a cue in
            # both directions ("deferred SPECT", "SPECT was deferred")
            if any(ks < e and s < ke and (ks, ke) != (s, e) for ks, ke, _ in kept):
                continue
            kept.append((s, e, row))
        if any(
            row.get("whole_value")
            or row.get("not_before")
            or row.get("not_in_clause")
            or row.get("only_before") is not None
            or row.get("done_after")
            for _, _, row in kept
        ):
            kept = [(s, e, row) for s, e, row in kept if _cue_fits(doc, s, e, row)]
        text = text_of(doc)
        if "[" in text or "(" in text or "\u2610" in text:
            # "[ ] not performed", "( ) Incomplete": an unticked form option states nothing
            kept = [(s, e, row) for s, e, row in kept if not after_empty_box(text, doc[s].idx)]
        if "( )" in text or "()" in text:
            # "Early SPECT ( )  Delayed SPECT (x)": a round box after its label is that
            # label's; only a box that opens its option ("( ) SPECT/CT") states the option
            kept = [
                (s, e, row)
                for s, e, row in kept
                if row["id"] != _ROUND_BOX_CUE or _box_opens_option(text, doc[s].idx)
            ]
        if "[" in text:
            # so is a square one in a row of label-then-box options ("WB [ ]   SPECT [X]"):
            # it is the whole body's, and says nothing of the SPECT after it
            kept = [
                (s, e, row)
                for s, e, row in kept
                if row["id"] not in _SQUARE_BOX_CUES or not boxes_follow_labels(text, doc[s].idx)
            ]
        cues = [
            Cue(
                row["id"],
                row["context"],
                row["direction"],
                int(row["window"]),
                bool(row.get("adjacent")),
                bool(row.get("kv")),
                s,
                e,
                doc[s:e].text,
                bool(row.get("area_gap")),
            )
            for s, e, row in kept
            if row["context"] != "pseudo"
        ]
        cues.sort(key=lambda c: c.start)
        return cues

    def _planned_when_but(self, doc: Doc) -> list[tuple[int, int, dict[str, Any]]]:
        """ "SPECT/CT was planned at 24 hours but ...", "was scheduled for day 2, but ...":
        the plan's time or place between "planned" and "but" leaves it the plan that then
        changed, as "was planned but" is (the same cue, with its clause checks)."""
        row = self.row_by_id.get(_PLANNED_BUT_ROW)
        if row is None:
            return []
        out: list[tuple[int, int, dict[str, Any]]] = []
        n = len(doc)
        for i in range(1, n - 2):
            if doc[i].lower_ not in _PLAN_WORDS or doc[i - 1].lower_ not in _PLAN_AUX:
                continue
            if doc[i + 1].lower_ not in _PLAN_WHEN_OPENERS:
                continue
            j = i + 2
            while j < n and j - i <= _PLAN_WHEN_REACH and _plan_when_word(doc[j].lower_):
                j += 1
            if j < n and doc[j].lower_ == ",":
                j += 1
            if j < n and doc[j].lower_ == "but" and j - i <= _PLAN_WHEN_REACH + 1:
                start = i - 2 if i >= 2 and doc[i - 2].lower_ == "had" else i - 1
                out.append((start, j + 1, row))
        return out

    def _offered_then_declined(self, doc: Doc) -> list[tuple[int, int, dict[str, Any]]]:
        """ "SPECT/CT of the neck was offered, and the patient came as far as the camera room,
        but she declined it": an offer its own sentence reports declined, whatever stands
        between, was not taken up (the same cue as "was offered but declined", from "was
        offered" to the refusal; `_cue_fits` leaves a refusal of another procedure to it)."""
        row = self.row_by_id.get(_OFFERED_DECLINED_ROW)
        if row is None:
            return []
        out: list[tuple[int, int, dict[str, Any]]] = []
        n = len(doc)
        for i in range(1, n - 1):
            if doc[i].lower_ not in _OFFER_WORDS or doc[i - 1].lower_ not in _PLAN_AUX:
                continue
            for j in range(i + 1, min(n, i + 1 + _OFFER_REACH)):
                w = doc[j]
                if w.text in (".", ";") or "\n" in w.text or w.lower_ in _OFFER_WORDS:
                    break
                if w.lower_ in _REFUSALS:
                    out.append((i - 1, j + 1, row))
                    break
        return out

    def __call__(self, doc: Doc) -> Doc:
        mentions: list[Mention] = doc._.mentions or []
        text = text_of(doc)
        low = text.lower()
        if mentions and any(k in low for k in _SELF_CORRECTION_KEYS):
            mentions = doc._.mentions = _without_struck(text, mentions)
        cues = self.find_cues(doc)
        doc._.cues = cues
        if not mentions:
            return doc
        sents = sentence_starts(doc)
        dos = once(doc, "find_dos", lambda: find_dos(text))
        service = dos[0] if dos is not None else None
        by_sent: dict[int, list[Cue]] = {}
        for c in cues:
            by_sent.setdefault(bisect.bisect_right(sents, c.start) - 1, []).append(c)
        procs_by_sent: dict[int, list[Mention]] = {}
        for m in mentions:
            if m.label in PROCEDURES:
                procs_by_sent.setdefault(m.sent, []).append(m)
        lower = LowerTokens(text, arrays_of(doc))
        area_tokens = {
            i
            for m in mentions
            if m.label in ("AREA", "LEVEL", "SPINE")
            for i in range(m.start, m.end)
        }
        cameras = frozenset(m.start for m in mentions if m.label == "CAMERA")
        headers = [
            (sec.header_start, sec.header_end)
            for sec in doc._.sections or ()
            if sec.header_start is not None and sec.header_end is not None
        ]

        advice = [
            (sec.start, sec.end)
            for sec in doc._.sections or ()
            if sec.header_start is not None
            and _ADVICE_HEADER.match(text, sec.header_start, sec.header_end or sec.end)
        ]
        for m in mentions:
            best: tuple[int, str, str, str] | None = None
            # the indication names the study; only procedures there are past or planned ones
            if m.section in _HISTORICAL_SECTIONS and m.label in PROCEDURES:
                best = (
                    PRECEDENCE["historical"],
                    "historical",
                    f"section:{m.section}",
                    f"section-{m.section}",
                )
            for c in by_sent.get(m.sent, ()):
                if self._reaches(c, m, lower, area_tokens, procs_by_sent.get(m.sent, []), cameras):
                    rank = PRECEDENCE[c.context]
                    if best is None or rank < best[0]:
                        best = (rank, c.context, c.text, c.id)
            if best is None and m.label in PROCEDURES:
                value_cue = _header_value_cue(m, headers, by_sent, sents)
                if value_cue is not None:
                    best = (
                        PRECEDENCE[value_cue.context],
                        value_cue.context,
                        value_cue.text,
                        value_cue.id,
                    )
            if m.label in PROCEDURES and any(a <= m.start_char < b for a, b in advice):
                # "RECOMMENDATIONS: Quantitative SPECT/CT when available": advice for later,
                # whatever else its words say ("a non-contrast 4D-CT", "no further SPECT
                # needed" deny nothing about this study)
                best = (
                    PRECEDENCE["recommended"],
                    "recommended",
                    "section:recommendation",
                    "recommended-section",
                )
            if best is None and m.label in PROCEDURES:
                dated = _DATE_AFTER.match(text, m.end_char) or _DATE_BEFORE.search(
                    text, max(0, m.start_char - 50), m.start_char
                )
                if (
                    dated
                    and not _TIMESTAMP_AFTER.match(text, dated.end())
                    and not _dated_title(text, m, dated)
                    and not _this_study_date(dated, service)
                ):
                    best = (
                        PRECEDENCE["historical"],
                        "historical",
                        dated.group(0).strip(),
                        "historical-date",
                    )
                elif m.label in _OWN_IMAGING or m.label == "CT":
                    past = _dated_before_service(text, m, service)
                    if past is not None:
                        best = (PRECEDENCE["historical"], "historical", past, "historical-date")
            if best is None and m.label in PROCEDURES:
                when = _WHEN_OF_PAST_BEFORE.search(text, max(0, m.start_char - 60), m.start_char)
                if when is not None and not _on_service_date(when.group("date"), service):
                    best = (
                        PRECEDENCE["historical"],
                        "historical",
                        when.group(0).strip(),
                        "historical-when",
                    )
            if best is not None:
                m.context, m.cue, m.cue_id = best[1], best[2], best[3]
        _key_takes_value_context(mentions, lower)
        if "|" in text:
            _table_column_context(mentions, text)
        if doc._.source_text is not None:
            offsets = doc._.source_offsets
            _aligned_column_context(
                mentions,
                text,
                doc._.source_text,
                offsets.source if offsets is not None else (lambda o: o),
            )
        if any(k in text for k in (":", "=", "...", "\u2026", "[", "(", "\u2610", "\u2611")):
            _form_value_context(mentions, text)
        if "\u25bc" in text or "\u25be" in text:
            _stale_dropdown_context(mentions, text)
        if "[" in text or "(" in text or "\u2610" in text:
            _unticked_option_context(mentions, text)
        if "|" in text:
            _yes_no_table_context(mentions, text)
        _worksheet_flag_context(mentions, text)
        if "origin" in low or "initial" in low or "technique" in low:
            _superseded_statement_context(mentions, text)
        _gloss_of_past_study(mentions, lower)
        _past_study_by_tracer(mentions, lower)
        _past_study_by_visit(mentions, text)
        if any(k in low for k in _OVER_READ_KEYS) and _OVER_READ.search(text):
            self._read_outside_study(mentions)
        return doc

    def _read_outside_study(self, mentions: list[Mention]) -> None:
        """A second opinion or over-read with no imaging of its own reports the outside
        study (LABELING.md: an over-read is coded by the outside study's own facts), so the
        "outside" that places that study elsewhere does not make it a past one."""
        if any(
            m.label in _OWN_IMAGING and m.context is None and m.section not in _HISTORICAL_SECTIONS
            for m in mentions
        ):
            return
        for m in mentions:
            if m.context == "historical" and m.cue_id in self.outside_cues:
                m.context = m.cue = m.cue_id = None

    # -- scope -----------------------------------------------------------------------
    def _reaches(
        self,
        c: Cue,
        m: Mention,
        lower: LowerTokens,
        area_tokens: set[int],
        procs: list[Mention],
        cameras: frozenset[int] = frozenset(),
    ) -> bool:
        if c.direction == "forward":
            if c.end > m.start:
                return False
            gap = range(c.end, m.start)
        else:
            if c.start < m.end:
                return False
            gap = range(m.end, c.start)
        if (
            len(gap) > c.window
            and not _coordinated_beyond_window(c, m, gap, lower, procs)
            and not _area_list_within_window(c, gap, lower, area_tokens)
            and not _gloss_within_window(c, m, gap, lower)
            and not _considered_then_denied(c, gap, lower)
        ):
            return False
        if c.kv and not _kv_key(lower, gap, procs, area_tokens):
            return False
        if c.id in _SQUARE_BOX_CUES and _box_in_gap(lower, gap):
            return False
        if c.area_gap and not _area_gap_only(lower, gap, area_tokens, procs):
            # a bare participle after the procedure ("spect ct suggested", "SPECT/CT of the
            # L spine recommended") is about it only when nothing else stands between
            return False
        if (
            c.id in _PREFIX_CUES
            and m.label in _IMAGING_PREFIXED
            and not all(lower[i] == "-" for i in gap)
        ):
            # "non-gated low-dose CT", "non-breath-hold CT": the prefix negates the word it
            # is joined to, not the acquisition that word describes ("non-SPECT" is denied);
            # a measurement so qualified ("non-<...> SUV") keeps the prefix's denial
            return False
        if (
            c.direction == "backward"
            and c.context in ("negated", "aborted")
            and _other_part_subject(lower, gap, procs)
        ):
            return False
        if (
            c.direction == "backward"
            and c.id in _FIELD_SCOPE_DENIALS
            and _area_subject_after_break(lower, gap, area_tokens)
        ):
            # "SPECT/CT of the lumbar spine, sacrum not included": the field left out the
            # area that is the denial's own subject; the SPECT of the rest was done
            return False
        if (
            c.direction == "backward"
            and c.context in ("negated", "aborted")
            and _camera_clause_after_dash(lower, gap, cameras)
        ):
            return False
        if (
            c.direction == "backward"
            and c.context in ("negated", "aborted")
            and (_negator_before(lower, c.start, gap) or _no_part_of(lower, m.start))
        ):
            # a double negative affirms: "the SPECT was not omitted", "no part of the
            # tomographic acquisition was skipped" (LABELING.md, gold AU)
            return False
        if c.direction == "backward" and c.context in ("negated", "aborted"):
            terminators = _BACKWARD_NEG_TERMINATORS
        elif c.direction == "backward" and c.context == "recommended":
            terminators = _BACKWARD_REC_TERMINATORS
        elif c.direction == "backward" and c.context == "historical":
            # "SUVmax 21.4 (previously 34.0)": the parenthesis is about another value
            terminators = _TERMINATORS | {"("}
        else:
            terminators = _TERMINATORS
        if (
            c.direction == "backward"
            and c.context in ("negated", "aborted")
            and _relative_of_mention(lower, gap, area_tokens)
        ):
            # "the tomographic acquisition, which was abandoned after a few minutes": the
            # relative clause opened right after the mention is about the mention
            terminators = terminators - {"which"}
        if c.direction == "backward" and all(lower[i] in _KV_SEPARATORS for i in gap):
            # the cue opens the value of the mention's own key: "SPECT: available upon
            # request", "SPECT/CT: to be performed if equivocal" (the colon ends no clause)
            terminators = frozenset()
        depth = 0
        for i in gap:
            w = lower[i]
            if w in terminators:
                return False
            # a cue inside brackets speaks about the bracket, not about what is outside it
            if w == "(":
                depth += 1
            elif w == ")" or (w == "):" and c.direction == "forward"):
                # a forward cue leaves its bracket at a "):" too ("(..., no reinjection):
                # SPECT/CT ..."); a backward one still reads a key's "(SUV):" as a gloss
                # left open, which keeps "Quantitative SPECT (SUV): not performed" off
                # the SPECT
                depth -= 1
            if c.adjacent and w in _PREPOSITIONS and i not in area_tokens:
                return False
        # a cue does not reach into or out of a bracket: "no CT (SPECT-only camera)"; a
        # bracketed subject still takes its verb: "SPECT/CT (SUV) could be considered"
        if (depth > 0 or (depth < 0 and c.direction == "forward")) and not _short_gloss(
            lower, gap, c
        ):
            return False
        if c.id in _STOP_REC_CUES and _stated_done_after(lower, m.end):
            # "clinical correlation rec. SPECT of the spine was performed": the stop ended
            # the advice; the next words say what was done
            return False
        if (
            c.direction == "backward"
            and c.context in ("negated", "aborted")
            and _subordinate_subject(lower, m.start, gap)
        ):
            # "because the 4-hour tomograms were unequivocal it was not performed": the
            # mention is the subject of the reason clause; the pronoun is the denial's
            return False
        if c.direction == "backward" and c.context == "negated" and _own_done_clause(lower, gap):
            # "the chest SPECT/CT was acquired, the pelvic bed was not done": the mention
            # has its own verb of being done; the denial is another clause's
            return False
        if m.label not in PROCEDURES:
            return True
        if c.direction == "backward" and _part_of_whole(m, lower, procs):
            # "the CT portion of the SPECT/CT was not acquired": the statement is about the
            # part its subject names; the procedure after "of" only says which study
            return False
        # among procedures, the cue reaches the nearest one and those coordinated with it
        between = [p for p in procs if p is not m and gap.start <= p.start < gap.stop]
        if not between:
            return True
        chain = sorted([*between, m], key=lambda p: p.start)
        for a, b in itertools.pairwise(chain):
            for i in range(a.end, b.start):
                if lower[i] in _BREAKERS or _round_box_at(lower, i):
                    return False
                if c.direction == "forward" and lower[i] in _DASHES and lower.spaced(i):
                    # "No CT - SPECT-only camera": a free-standing dash ends the denied
                    # list; the next procedure starts another statement
                    return False
                if (
                    c.direction == "backward"
                    and lower[i] in _DASHES
                    and lower.spaced(i)
                    and (
                        (
                            c.context in ("negated", "aborted")
                            and not any(
                                lower[j] in _KV_SEPARATORS for j in range(chain[-1].end, c.start)
                            )
                        )
                        or i > a.end
                    )
                ):
                    # "SPECT - CT not acquired (tube down)": the dash sets the SPECT done
                    # apart from the CT denied after it; and in "SPECT abd 4 hrs p.i. - CT
                    # not acquired" the procedure before the dash has its own words, so the
                    # denial after it is the next one's alone
                    return False
        if c.direction == "backward" and c.context in ("negated", "aborted"):
            return not _comma_not_list(lower, chain[0].end, chain[-1].end, c.start)
        return True


# a form box's first token: "[" of "[x]" / "[ ]", or a ballot-box character
_BOX_TOKENS = frozenset({"[", "[]", "\u2610", "\u2611", "\u2612"})


def _box_in_gap(lower: LowerTokens, gap: range) -> bool:
    """Does another form box stand between an empty box and the mention after it ("[ ]
    Limited   [x] SPECT")? That box opens the next option: the empty one is the option's
    before it (here "Limited"), and says nothing of the ticked SPECT."""
    return any(lower[i] in _BOX_TOKENS for i in gap)


def _relative_of_mention(lower: LowerTokens, gap: range, area_tokens: set[int]) -> bool:
    """Does the gap open with a relative "which" right after the mention (past a comma and
    the mention's own areas: "SPECT of the pelvis, which ...")? Its clause then describes
    the mention; a later "which" ("SPECT showed a lesion which ...") belongs to another noun."""
    for i in gap:
        w = lower[i]
        if w == "which":
            return True
        if w != "," and w not in _AREA_GAP_WORDS and i not in area_tokens:
            return False
    return False


def _comma_not_list(lower: LowerTokens, first_end: int, last_end: int, cue: int) -> bool:
    """A comma between two procedures with no coordinator anywhere among them ends the
    first one's clause: in "SPECT of the abdomen, CT not acquired" the denial is the CT's
    alone; "whole body, SPECT, and CT were not performed" is one list, and so is a key
    of several procedures ("Whole body, SPECT, CT: not performed")."""
    words = [lower[i] for i in range(first_end, last_end)]
    if any(lower[i] in _KV_SEPARATORS for i in range(last_end, cue)):
        return False
    return "," in words and not any(w in _COORDINATORS for w in words)


_ROUND_BOX_CUE = "negated-forward:empty-radio-option"
_SQUARE_BOX_CUES = frozenset({"negated-forward:empty-checkbox", "negated-forward:empty-checkbox-2"})
# cues that are a word's prefix ("non-"): they reach only a procedure glued to them
_PREFIX_CUES = frozenset({"negated-forward:non"})
_IMAGING_PREFIXED = frozenset({"SPECT", "SPECT_CT", "CT", "PLANAR", "WHOLE_BODY"})
# the noun of a named part of the study: "the rest portion", "the ventilation part"
_PART_NOUNS = frozenset({"portion", "part", "half", "component", "phase"})
_BE = frozenset({"was", "were", "is", "are", "been"})
_BE_AUX = _BE | {"has", "have", "had", "being"}


def _other_part_subject(lower: LowerTokens, gap: range, procs: list[Mention]) -> bool:
    """Is the subject of a backward denial a part named right before it that is not a
    procedure mention ("gated SPECT + CT AC, rest portion cancelled": the rest half was
    cancelled, not the SPECT done)? "The CT portion was not acquired" names a procedure
    ("CT portion" is a CT mention), which the nearest-procedure rule handles."""
    i = gap.stop - 1
    while i > gap.start and lower[i] in _BE_AUX:
        i -= 1
    if i <= gap.start or lower[i] not in _PART_NOUNS:
        return False  # a part noun, and a word naming the part before it, both in the gap
    return not any(p.start <= i < p.end for p in procs)


# backward denials that say what a field reached: about an area when one is their subject
_FIELD_SCOPE_DENIALS = frozenset({"negated-backward:not-included"})
_AREA_SUBJECT_OPENERS = frozenset({",", "with", "but"})
_AREA_SUBJECT_FILLER = frozenset({"the", "left", "right", "both", "entire", "whole", "and", "/"})


def _area_subject_after_break(lower: LowerTokens, gap: range, area_tokens: set[int]) -> bool:
    """Is the subject of a backward denial an area named after a comma or "with" that
    ends the mention's own words ("SPECT/CT of the lumbar spine, sacrum not included",
    "... with the sacrum not included")? The areas of the mention itself ("SPECT of the
    pelvis was not included") leave the denial on the mention."""
    i = gap.stop - 1
    while i >= gap.start and lower[i] in _BE_AUX:
        i -= 1
    if i < gap.start or i not in area_tokens:
        return False
    while i >= gap.start and (i in area_tokens or lower[i] in _AREA_SUBJECT_FILLER):
        i -= 1
    return i >= gap.start and lower[i] in _AREA_SUBJECT_OPENERS


def _camera_clause_after_dash(lower: LowerTokens, gap: range, cameras: frozenset[int]) -> bool:
    """Does a free-standing dash in a backward denial's gap open a clause about a camera
    ("SPECT only - the SPECT/CT system was out of service this week")? The denial is the
    camera's: the procedure before the dash is what was done instead. With nothing but the
    dash between ("SPECT/CT - not performed", "SPECT/CT - camera down") the denial stays
    the procedure's."""
    for i in gap:
        if lower[i] in _DASHES and lower.spaced(i):
            return any(i + 1 < j < gap.stop for j in cameras)
    return False


_NEGATORS = frozenset({"not", "never", "n't"})


def _negator_before(lower: LowerTokens, cue_start: int, gap: range) -> bool:
    """Is a backward denial's verb itself negated ("was not omitted", "was never
    deferred")? The cue's own "not" ("not performed") is part of the cue, not the gap."""
    return cue_start - 1 in gap and lower[cue_start - 1] in _NEGATORS


# "no part of the", "none of the": a subject quantified by a negative
_NONE_WORDS = frozenset({"none", "nothing"})
_PART_OF_WORDS = _PART_NOUNS | {"element", "section", "aspect", "segment"}
_NP_FILLER = frozenset({"the", "this", "that", "today's", "today", "'s", "planned"})


def _no_part_of(lower: LowerTokens, start: int) -> bool:
    """Does the mention at token `start` follow "no part of (the)" or "none of (the)"? Then
    a denial after it ("... was omitted") denies an omission: the part was done."""
    i = start - 1
    while i >= 0 and lower[i] in _NP_FILLER:
        i -= 1
    if i < 1 or lower[i] != "of":
        return False
    if lower[i - 1] in _NONE_WORDS:
        return True
    return i >= 2 and lower[i - 1] in _PART_OF_WORDS and lower[i - 2] == "no"


_AREA_GAP_WORDS = frozenset(
    {"of", "the", "a", "and", "both", "left", "right", "bilateral", "-", "/", "(", ")"}
)
_DONE = frozenset({"acquired", "performed", "done", "obtained", "completed", "imaged"})


def _area_gap_only(
    lower: LowerTokens, gap: range, area_tokens: set[int], procs: list[Mention]
) -> bool:
    """Does the gap hold only the mention's areas (and another procedure offered with it)?"""
    if all(i in area_tokens or lower[i] in _AREA_GAP_WORDS for i in gap):
        return True
    opts = _listed_options(lower, gap, procs)
    return all(i in area_tokens or lower[i] in _AREA_GAP_WORDS or i in opts for i in gap)


def _listed_options(lower: LowerTokens, gap: range, procs: list[Mention]) -> set[int]:
    """The tokens of the gap that offer another procedure beside the mention: a coordinator,
    at most one modifier word and that procedure ("SPECT/CT of the pelvis or dedicated CT
    recommended": both options are advised)."""
    out: set[int] = set()
    for p in procs:
        if not (gap.start < p.start and p.end <= gap.stop):
            continue
        for lead in (1, 2):
            j = p.start - lead
            if j >= gap.start and lower[j] in _COORDINATORS:
                out.update(range(j, p.end))
                break
    return out


# what opens another clause after a mention's own "was acquired": a comma, or a
# subordinating word ("a late SPECT was acquired at 24 h after reinjection was declined")
_CLAUSE_OPENERS = frozenset(
    {",", "after", "because", "since", "when", "once", "until", "although", "though", "but"}
)


def _own_done_clause(lower: LowerTokens, gap: range) -> bool:
    """Between a mention and a backward denial, does the mention's own clause say it was
    done ("SPECT/CT was acquired,") before a comma or a subordinating word opens the
    denied one?"""
    for i in gap:
        if lower[i] in _BE and i + 1 in gap and lower[i + 1] in _DONE:
            return any(lower[j] in _CLAUSE_OPENERS for j in range(i + 2, gap.stop))
    return False


# what opens a reason or time clause before the main one: "because the SPECT was clear, ..."
_SUBORDINATORS = frozenset(
    {"because", "since", "as", "although", "though", "when", "once", "while", "if"}
)
_PRONOUN_SUBJECTS = frozenset({"it", "they", "this"})
_NP_REACH = 6


def _subordinate_subject(lower: LowerTokens, start: int, gap: range) -> bool:
    """Is the mention at token `start` the subject of a subordinate clause ("because the
    4-hour tomograms were unequivocal"), with a pronoun right before the backward denial as
    the main clause's subject ("... it was not performed")? The pronoun names what the
    sentence is about, not the mention in the reason clause."""
    if gap.stop - 1 < gap.start or lower[gap.stop - 1] not in _PRONOUN_SUBJECTS:
        return False
    if not any(lower[i] in _BE_AUX for i in range(gap.start, gap.stop - 1)):
        return False
    for i in range(start - 1, max(-1, start - 1 - _NP_REACH), -1):
        w = lower[i]
        if w in _SUBORDINATORS:
            return True
        if w in _TERMINATORS or w in _PREPOSITIONS:
            return False
    return False


# "rec." / "recs." before a procedure: the shorthand for "recommend" and its stop
_STOP_REC_CUES = frozenset({"recommended-forward:rec-stop", "recommended-forward:recs-stop"})


def _stated_done_after(lower: LowerTokens, start: int, reach: int = 10) -> bool:
    """Do the words after a procedure, before its clause ends, say it was done ("... of the
    spine was performed")?"""
    words = lower.span(start, start + reach)
    for a, b in itertools.pairwise(words):
        if a in _TERMINATORS:
            return False
        if a in _BE and b in _DONE:
            return True
    return False


def _box_opens_option(text: str, at: int) -> bool:
    """Does the box at `at` come before its option's label? It does when the line's value
    (after its key's colon) opens with a box: "Tomography: (x) SPECT  ( ) SPECT/CT"."""
    if boxes_follow_labels(text, at):
        return False
    line = text.rfind("\n", 0, at) + 1
    colon = text.rfind(":", line, at)
    value = text[(colon + 1 if colon >= 0 else line) : at].lstrip(" \t")
    return not value or _BOX.match(value) is not None


def _round_box_at(lower: LowerTokens, i: int) -> bool:
    """A radio option's round box opens at token `i` ("( )", "(x)"): like "[", the next
    option of a form, not a list."""
    if lower[i] != "(" or i + 1 >= len(lower):
        return False
    nxt = lower[i + 1]
    return nxt == ")" or (nxt in _TICKS and i + 2 < len(lower) and lower[i + 2] == ")")


# What may stand between a part ("the CT portion") and the study it belongs to: "of the",
# "of this", "of today's".
_OF_WHOLE_GAP = frozenset({"of", "the", "this", "that", "today", "today's", "'s"})


def _part_of_whole(m: Mention, lower: LowerTokens, procs: list[Mention]) -> bool:
    """Is `m` the study named after "of" by another procedure right before it ("the CT
    portion of the SPECT/CT", "the CT part of this SPECT/CT")?"""
    i = m.start - 1
    seen_of = False
    while i >= 0 and m.start - i <= 3 and lower[i] in _OF_WHOLE_GAP:
        seen_of = seen_of or lower[i] == "of"
        i -= 1
    if not seen_of or i < 0:
        return False
    return any(p is not m and p.end == i + 1 for p in procs)


# words placing a bracket's statement in this study rather than the past one it follows
_TODAY_WORDS = frozenset({"today", "today's", "current", "now", "this", "present"})


def _gloss_of_past_study(mentions: list[Mention], lower: LowerTokens) -> None:
    """ "Compared with MIBG of 01/2019 (planar + SPECT/CT of the chest) and of 04/2019 (planar
    only)": a bracket right after a past study (past its date in any form, "of", "and")
    describes that study, so the procedures inside it are past ones too."""
    past = [m for m in mentions if m.context == "historical" and m.label not in _PLACE_LABELS]
    if not past:
        return
    n = len(lower)
    for p in past:
        i = p.end
        while i < n:
            after_date = lower.past_match(i, _DATE_AT)
            if after_date > i:
                i = after_date
                continue
            w = lower[i]
            if w in _PAST_GLOSS_GAP or _DATE_TOKEN.match(w):
                i += 1
                continue
            if w != "(":
                break
            close = next((j for j in range(i + 1, min(n, i + 30)) if lower[j] in ("(", ")")), None)
            if close is None or lower[close] != ")":
                break
            # a denial inside the bracket is that study's too: "SPECT 09/2017 (no CT)" says
            # the past SPECT had no CT, nothing about today's study (unless it says today)
            own_denial = not any(w in _TODAY_WORDS for w in lower.span(i + 1, close))
            for m in mentions:
                if (
                    m.label in PROCEDURES
                    and (m.context is None or (m.context == "negated" and own_denial))
                    and i < m.start < close
                ):
                    m.context, m.cue, m.cue_id = "historical", p.cue, "historical-gloss"
            i = close + 1


_ISOTOPE = re.compile(r"(?:Tc-99m|In-111|I-123|I-131|Ga-67|Ga-68|Lu-177|Tl-201|Xe-133|F-18)")


def isotope_of(tracer: str) -> str | None:
    """The isotope a tracer's name opens with: "Tc-99m RBC" -> "Tc-99m"; None if none."""
    hit = _ISOTOPE.match(tracer)
    return hit.group(0) if hit else None


# what may stand between a tracer and the procedure it names: "the In-111 SPECT/CT"
_TRACER_GAP = frozenset({"-", "labeled", "labelled", "pentetreotide", "octreotide", "mdp", "wbc"})


def _isotope_of(m: Mention) -> str | None:
    return isotope_of(str(m.value or ""))


def _past_study_by_tracer(mentions: list[Mention], lower: LowerTokens) -> None:
    """ "Comparison: In-111 pentetreotide scan with SPECT/CT" and, in the findings of a
    Ga-68 PET, "seen on the In-111 SPECT/CT": a procedure named by the tracer of the
    compared study, which this study did not use, is that past study."""
    tracers = [m for m in mentions if m.label == "RADIOPHARM"]
    past = {_isotope_of(m) for m in tracers if m.section == "comparison"}
    past.discard(None)
    if not past:
        return
    own = {_isotope_of(m) for m in tracers if m.section in ("header", "technique")}
    own.discard(None)
    if not own:
        return  # which tracer this study used is not said: no telling a past study apart
    ends = {m.end: m for m in tracers}
    for m in mentions:
        if m.label not in PROCEDURES or m.context is not None:
            continue
        if m.section in _HISTORICAL_SECTIONS:
            continue
        i = m.start
        while i > 0 and lower[i - 1] in _TRACER_GAP and i not in ends:
            i -= 1
        tracer = ends.get(i)
        if tracer is None:
            continue
        iso = _isotope_of(tracer)
        if iso is not None and iso in past and iso not in own:
            m.context, m.cue, m.cue_id = "historical", str(tracer.value), "historical-past-tracer"


# a trial visit's label: "screening", "baseline", "week 8", "cycle 2", "visit 3", "month 6"
_VISIT = r"(?:screening|baseline|(?:week|wk|cycle|visit|month)[ \t]*\d{1,3})"
# the visit a compared study was done at, named before it on its line ("Comparison:
# screening bone scan with SPECT/CT of the pelvis", "cycle 2 (08/2024) post-therapy SPECT/CT")
_VISIT_OF_COMPARED = re.compile(rf"\b(?P<visit>{_VISIT})\b[^.;\n]{{0,40}}\Z", re.IGNORECASE)
# a procedure named by a visit ("seen on the screening SPECT/CT", "the week 9 bone SPECT")
_VISIT_BEFORE = re.compile(
    rf"\b(?P<visit>{_VISIT})[ \t]+(?:[A-Za-z][A-Za-z-]*[ \t]+){{0,2}}\Z", re.IGNORECASE
)


def _visit_key(label: str) -> str:
    """A visit label in one spelling: "Week  8" and "wk 8" are "week 8"."""
    key = re.sub(r"\s+", " ", label.lower().replace("wk", "week")).strip()
    return re.sub(r"(\D)(\d)", r"\1 \2", key).replace("  ", " ")


def _past_study_by_visit(mentions: list[Mention], text: str) -> None:
    """ "Comparison: screening SPECT/CT of the pelvis (01/2021)" and, in the findings of the
    week 17 bone scan, "the focus seen on the screening SPECT/CT": a procedure named by the
    visit of a study the report compares with is that past visit's study, not a SPECT of
    this visit (a trial report names its earlier visits by their labels, not their dates).
    Only a visit the comparison names counts: at the screening visit itself, "the screening
    SPECT/CT" is this study."""
    past: set[str] = set()
    for m in mentions:
        if m.label in PROCEDURES and m.section == "comparison":
            line_start = text.rfind("\n", 0, m.start_char) + 1
            hit = _VISIT_OF_COMPARED.search(text, max(line_start, m.start_char - 60), m.start_char)
            if hit is not None:
                past.add(_visit_key(hit.group("visit")))
    if not past:
        return
    for m in mentions:
        if m.label not in PROCEDURES or m.context is not None:
            continue
        if m.section in _HISTORICAL_SECTIONS:
            continue
        hit = _VISIT_BEFORE.search(text, max(0, m.start_char - 40), m.start_char)
        if hit is not None and _visit_key(hit.group("visit")) in past:
            m.context, m.cue, m.cue_id = "historical", hit.group(0).strip(), "historical-past-visit"


def _key_takes_value_context(mentions: list[Mention], lower: LowerTokens) -> None:
    """ "CT source: outside diagnostic CT of 08/10": a procedure that is the key of a line
    whose value opens with a past study of the same kind names that study, not one done
    here. The value's procedure must follow the separator within three words (its cue
    and modifiers), so "CT: low dose; compared with the prior CT" keeps its key."""
    procs = [m for m in mentions if m.label in PROCEDURES]
    for key, value in itertools.pairwise(procs):
        if key.context is not None or value.context != "historical" or key.label != value.label:
            continue
        key_end = min(value.start, key.end + 4)
        sep = next((i for i in range(key.end, key_end) if lower[i] in _KV_SEPARATORS), None)
        if sep is None or not 0 < value.start - sep <= 3:
            continue
        if any(lower[i] in _TERMINATORS - _KV_SEPARATORS for i in range(key.end, value.start)):
            continue
        key.context, key.cue, key.cue_id = "historical", value.cue, "historical-kv-value"


# An amendment or erratum quoting what the first version of the report said: "the
# original technique stated 'SPECT/CT at 4 hours'", "the technique section of the original
# report listed SPECT/CT of the chest, abdomen and pelvis". The quoted words were never
# performed as written; the corrected statement says what was.
# A coding query quotes the report it asks about the same way: "The report technique
# states 'SPECT/CT of the chest and abdomen'".
SUPERSEDED_STATEMENT = re.compile(
    r"(?:\b(?:original|initial)(?:ly)?\s+(?:report|technique|dictation|read|version|text)"
    r"(?:\s+section)?\s+(?:had\s+|has\s+)?"
    r"(?:stated|listed|said|read|described|reported|indicated|named|documented|specified)\b"
    r"|\breport(?:'s)?\s+technique(?:\s+(?:section|line))?\s+"
    r"(?:states|stated|lists|listed|says|said|reads)\b)"
    r"[ \t:]*",
    re.IGNORECASE,
)
SUPERSEDED_CUE_ID = "historical:superseded-statement"
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def superseded_spans(text: str) -> list[tuple[int, int]]:
    """The character spans of the statements an amendment quotes from the first version of
    the report: a quotation after the verb to its closing mark, else the rest of the
    sentence."""
    spans = []
    for hit in opening_finditer(SUPERSEDED_STATEMENT, text):
        start = hit.end()
        close = _QUOTES.get(text[start : start + 1])
        end = text.find(close, start + 1) if close else -1
        if end < 0:
            stop = re.compile(r"[.;](?:\s|$)|\n").search(text, start)
            end = stop.start() if stop else len(text)
        spans.append((start, end))
    return spans


def _superseded_statement_context(mentions: list[Mention], text: str) -> None:
    """Mentions inside a quoted first-version statement are a past statement of this report,
    not a performed acquisition (LABELING.md gold G: the corrected facts are coded)."""
    spans = superseded_spans(text)
    if not spans:
        return
    for m in mentions:
        if any(a <= m.start_char < b for a, b in spans):
            m.context, m.cue, m.cue_id = "historical", "original report", SUPERSEDED_CUE_ID


def _without_struck(text: str, mentions: list[Mention]) -> list[Mention]:
    """An in-line self-correction replaces what it follows (LABELING.md, gold J): in
    "SPECT/CT - scratch that - SPECT of the neck" the struck words run back, within their
    clause, to the last mention of the kind that the correction names first (a procedure
    for a procedure, an area for an area); they are dropped as never written."""
    struck: list[tuple[int, int]] = []
    for hit in _SELF_CORRECTION.finditer(text):
        after = next((m for m in mentions if m.start_char >= hit.end()), None)
        if after is None or after.label not in PROCEDURES | {"AREA", "LEVEL"}:
            continue
        if hit.group(0)[:1].isalpha() and not _BARE_CORRECTION_GAP.fullmatch(
            text, hit.end(), after.start_char
        ):
            # an unpunctuated "scratch that" corrects the imaging or area only when one
            # follows at once ("... for the patient's myeloma no wait scratch that for the
            # patient's renal cell carcinoma" corrects the history)
            continue
        same_kind = PROCEDURES if after.label in PROCEDURES else frozenset({"AREA", "LEVEL"})
        before = [m for m in mentions if m.end_char <= hit.start() and m.label in same_kind]
        if not before or _CLAUSE_BREAK.search(text, before[-1].end_char, hit.start()):
            continue
        # a range is one statement: "T12-S1 -- correction, L1 through L5" strikes the
        # range from its first level, not its last alone
        first = len(before) - 1
        while (
            first
            and same_kind is not PROCEDURES
            and _RANGE_JOIN.fullmatch(text, before[first - 1].end_char, before[first].start_char)
        ):
            first -= 1
        struck.append((before[first].start_char, hit.start()))
    if not struck:
        return mentions
    return [m for m in mentions if not any(a <= m.start_char < b for a, b in struck)]


_RULE_ROW = re.compile(r"[ \t|:+=-]*")
# a box-drawn table's rule line, above and below its header and under its last row:
# "+---+-----------+------+"
_BOX_RULE = re.compile(r"[ \t]*\+(?:[-=:]+\+)+[ \t]*")


def table_head(text: str, line: int) -> int:
    """The start of the header line of the pipe table whose line starts at `line`: the
    first of the consecutive lines with two pipes or more (`line` itself when none is
    before it). A box-drawn table's rule lines ("+----+------+") are part of its run, so
    the header above the rule under it heads the rows too."""
    head = line
    pos = line
    while pos > 0:
        prev = text.rfind("\n", 0, pos - 1) + 1
        if text.count("|", prev, pos) >= 2:
            head = prev
        elif not _BOX_RULE.fullmatch(text, prev, pos - 1):
            break
        pos = prev
    return head


def _table_column_context(mentions: list[Mention], text: str) -> None:
    """A procedure heading a column of a protocol table ("Day | SPECT | CT") whose every row
    leaves it "No" or "--" was not done in any row."""
    for m in mentions:
        if m.context is not None or m.label not in PROCEDURES:
            continue
        line = text.rfind("\n", 0, m.start_char) + 1
        line_end = text.find("\n", m.start_char)
        line_end = len(text) if line_end < 0 else line_end
        head = text[line:line_end].split("|")
        if len(head) < 3 or ":" in text[line:line_end] or table_head(text, line) != line:
            continue
        column = text.count("|", line, m.start_char)
        cells = []
        row = line_end + 1
        while row < len(text):
            row_end = text.find("\n", row)
            row_end = len(text) if row_end < 0 else row_end
            row_text = text[row:row_end]
            row = row_end + 1
            if _RULE_ROW.fullmatch(row_text) and "-" in row_text:
                continue  # "|---|---|": a rule under the header
            parts = row_text.split("|")
            if len(parts) != len(head):
                break
            cells.append(parts[column])
        if cells and all(TABLE_NO_CELL.fullmatch(c) for c in cells):
            m.context, m.cue, m.cue_id = "negated", cells[0].strip(), "negated-table-column"


# one cell of a table row aligned with runs of spaces instead of pipes: words one space
# apart (a no-break space too) are one cell
SPACED_CELL = re.compile(r"\S+(?:[ \u00a0]\S+)*")


def _aligned_cells(text: str, start: int, end: int, tabs: bool) -> list[tuple[int, int]]:
    """The cells of one table line, as character spans: every cell between tabs (empty
    ones too, which keep the columns in place), or the runs of words split at two spaces
    or more."""
    if not tabs:
        return [(c.start(), c.end()) for c in SPACED_CELL.finditer(text, start, end)]
    out = []
    for part in text[start:end].split("\t"):
        out.append((start, start + len(part)))
        start += len(part) + 1
    return out


def _aligned_column_context(
    mentions: list[Mention], text: str, source: str, to_source: Callable[[int], int]
) -> None:
    """As `_table_column_context`, for a table laid out with tabs or aligned with runs of
    spaces ("MODE       CT   BEDS" over "SPECT      N    2"): a procedure heading a column
    whose every row leaves it "N", "no" or "--" was not done in any row. The layout is
    read on the report as sent (`source`; `to_source` maps an offset of `text` there):
    the text the pipeline reads has each run of spaces and each tab as one space. Only a
    CT column is read so: a column of the SPECT or planar imaging has its rows' own
    words ("Type: SPECT", "Planar WB") to say what each row acquired."""
    for m in mentions:
        if m.context is not None or m.label != "CT":
            continue
        at = to_source(m.start_char)
        name = text[m.start_char : m.end_char]
        line, line_end = line_at(source, at)
        head_text = source[line:line_end]
        if ":" in head_text or "|" in head_text:
            continue
        tabs = "\t" in head_text
        head = _aligned_cells(source, line, line_end, tabs)
        # the mention is a whole cell of a heading line of three columns or more
        column = next((i for i, (a, b) in enumerate(head) if a <= at < b), None)
        if (
            len(head) < 3
            or column is None
            or source[slice(*head[column])].strip().lower() != name.lower()
        ):
            continue
        col_start = head[column][0] - line
        col_end = head[column + 1][0] - line if column + 1 < len(head) else 10**6
        cells: list[str] = []
        row = line_end + 1
        after_blank = False
        while row < len(source):
            row_end = line_at(source, row)[1]
            row_text = source[row:row_end]
            start, row = row, row_end + 1
            if not row_text.strip():
                after_blank = True
                continue
            if _RULE_ROW.fullmatch(row_text) and ("-" in row_text or "=" in row_text):
                continue  # "------": a rule under the header
            parts = _aligned_cells(source, start, row_end, tabs)
            filled = len([p for p in parts if source[slice(*p)].strip()])
            # past a blank line only a full row goes on with the table (a double-spaced
            # export); "FINDINGS:  Focal uptake ..." is the text after it
            if filled < 2 or (after_blank and len(parts) < len(head)):
                break
            if tabs:
                cells.append(source[slice(*parts[column])] if column < len(parts) else "")
                continue
            # the row's cell under the heading's column: the one overlapping it most
            overlap = [
                (min(b - start, col_end) - max(a - start, col_start), source[a:b]) for a, b in parts
            ]
            best = max(overlap)
            cells.append(best[1] if best[0] > 0 else "")
        # every row must say "no" in the column: a row with nothing under the heading may
        # have its cell on the next line (a re-wrapped export), so it tells nothing
        if cells and all(c.strip() and TABLE_NO_CELL.fullmatch(c.strip()) for c in cells):
            m.context, m.cue, m.cue_id = "negated", cells[0].strip(), "negated-table-column"


# "Form defaults not updated - study performed is Ga-67": the report says its form's
# drop-down choices were left at their defaults
_DEFAULTS_NOT_UPDATED = re.compile(
    r"\bdefaults?[ \t]+(?:(?:were|was|are|is)[ \t]+)?(?:not|never)[ \t]+"
    r"(?:updated|changed|edited|corrected)\b"
    r"|\bleft[ \t]+(?:at|on)[ \t]+(?:the[ \t]+|its[ \t]+)?defaults?\b",
    re.IGNORECASE,
)
# a drop-down field's value: "[NM BONE SCAN WHOLE BODY \u25bc]"
_DROPDOWN = re.compile(r"\[[^\[\]\n]{1,80}?[\u25bc\u25be][ \t]*\]")


def _stale_dropdown_context(mentions: list[Mention], text: str) -> None:
    """The choices of a form's drop-downs, when the report says the form's defaults were
    not updated, name no study, tracer or imaging of this report: they are template
    defaults, which deny nothing the text says was done."""
    if not _DEFAULTS_NOT_UPDATED.search(text):
        return
    fields = [(d.start(), d.end()) for d in _DROPDOWN.finditer(text)]
    for m in mentions:
        if m.context is None and any(a <= m.start_char < b for a, b in fields):
            m.context, m.cue, m.cue_id = (
                "negated",
                "defaults not updated",
                "negated-default-dropdown",
            )


def _form_value_context(mentions: list[Mention], text: str) -> None:
    """A form field whose key is the procedure: left unfilled ("SPECT: [ ]", "CT: ***") or at
    its default ("CT: N/A", "SPECT/CT: --") it does not report the procedure (LABELING.md,
    gold J and Q); a ticked "no" ("Whole body: [ ] yes  [X] no", "CT: ( ) Acquired  (x) Not
    started") denies it. A value that marks the imaging as not done, as a protocol table's
    cell does ("SPECT/CT: not scheduled", "Day 7 SPECT/CT ..... optional"), denies it too."""
    own = own_text(text)  # the sign-off lines after the report tell no style
    value_end = _FIELD_VALUE_END_CASELESS if own.lower() == own else _FIELD_VALUE_END
    places = {p.start_char: p.end_char for p in mentions if p.label in _KEY_PLACE_LABELS}
    # "Whole body planar: --": the whole-body key goes on through the word "planar"
    wb_places = places | {p.start_char: p.end_char for p in mentions if p.label == "PLANAR"}
    quant_spans = [(q.start_char, q.end_char) for q in mentions if q.label == "QUANT"]

    def in_quant_key(m: Mention) -> bool:
        return m.label != "QUANT" and any(
            a <= m.start_char and m.end_char <= b for a, b in quant_spans
        )

    for m in mentions:
        if m.label not in PROCEDURES:
            continue
        if m.context is not None and m.cue_id not in DEFAULT_VALUE_CUES:
            continue
        key_places = wb_places if m.label == "WHOLE_BODY" else places
        key_end = _key_end(text, m.end_char, key_places)
        field = _FORM_VALUE.match(text, key_end)
        if field is None:
            # "SPECT [ ] Yes [X] No": a template row whose key stands right before its
            # boxes, without a colon (read as its options only, below)
            field = _BOX_VALUE.match(text, key_end)
            if field is None:
                continue
            _ticked_no_context(m, field, text, in_quant_key(m))
            continue
        end = value_end.search(text, field.start(1))
        value = text[field.start(1) : end.start() if end else field.end(1)]
        if _UNFILLED.fullmatch(value.rstrip()) or _options_all_unticked(text, value, end):
            m.context, m.cue, m.cue_id = "negated", value.strip(), "negated-backward-kv:unfilled"
            continue
        if m.context is not None:
            continue
        remark = _EMPTY_BOX_REMARK.match(value)
        if remark is not None:
            value = value[remark.end() :]
        if value.strip() and TABLE_NO_CELL.fullmatch(value):
            m.context, m.cue, m.cue_id = "negated", value.strip(), "negated-backward-kv:not-done"
            if in_quant_key(m):
                # "Quantitative SPECT (SUV): not done": the key is the quantification, its
                # value says nothing about the SPECT the key names
                m.cue_id = "negated-backward-kv:quantification-key"
            continue
        _ticked_no_context(m, field, text, in_quant_key(m))


# an option's label in a field whose boxes are all empty: a word or two ("Yes", "Perfusion")
# with no remark or field of its own
_BARE_OPTION_LABEL = re.compile(r"[ \t]*[A-Za-z][A-Za-z0-9 /&+-]{0,40}?[ \t]*")
# a line of a field's options wrapped below its key: it starts with a box ("[ ] Perfusion")
_OPTION_LINE = re.compile(r"\n([ \t]*(?:\[[ \t]*[xX\u2713\u2714*]?[ \t]*\]|\u2610)[^\n]*)")


def _options_all_unticked(text: str, value: str, end: re.Match[str] | None) -> bool:
    """Is a field's value a row of options none of which is ticked ("SPECT: [ ] Yes  [ ] No",
    "SPECT: [ ] Ventilation  [ ] Perfusion", its options going on below it on lines of their
    own)? Nobody filled the field: like an empty box it is an unfilled placeholder
    (LABELING.md, gold J and Q), so a procedure named only as its key was not performed, and
    one the report describes elsewhere is not denied by it. A remark after a box ("[ ] not
    part of protocol") is no option's label: that field says the imaging was not done."""
    if _EMPTY_BOX_REMARK.match(value):
        return False
    rows = [value]
    at = end.start() if end is not None else len(text)
    while (more := _OPTION_LINE.match(text, at)) is not None:
        rows.append(more.group(1))
        at = more.end()
    labels: list[str] = []
    for row in rows:
        boxes = list(_BOX.finditer(row))
        if not boxes or any(_ticked(b) for b in boxes) or row[: boxes[0].start()].strip():
            return False
        labels += [
            row[box.end() : nxt.start() if nxt else len(row)]
            for box, nxt in itertools.zip_longest(boxes, boxes[1:])
        ]
    return len(labels) >= 2 and all(_BARE_OPTION_LABEL.fullmatch(x) for x in labels)


# a key's colon in an option's label: the row's next field begins there ("[X] Delayed (2 h)
# Pinhole: [ ] Yes [X] No"), so the boxes after it are that field's
_LABEL_COLON = re.compile(r"[A-Za-z)][ \t]*(?::-|:)(?!\d)")
# a form key's boxes right after it, without a colon: "SPECT [ ] Yes [X] No", "CT ( ) done"
_BOX_VALUE = re.compile(
    r"[ \t]+((?:\[[ \t]*[xX\u2713\u2714*]?[ \t]*\]|\([ \t]*[xX\u2713\u2714*\u25cf]?[ \t]*\)"
    r"|[\u2610-\u2612])[^\n]*)"
)


def _ticked_no_context(m: Mention, field: re.Match[str], text: str, quant_key: bool) -> None:
    """A ticked "no" among a form field's options denies the procedure its key names
    ("Whole body: [ ] yes  [X] no", "CT: ( ) Acquired  (x) Not started", "SPECT [ ] Yes
    [X] No   Reason: ..."). The options end where the row's next field begins ("Planar:
    [X] Early  [X] Delayed   Pinhole: [ ] Yes [X] No": the "No" is the pinhole's)."""
    value = field.group(1)
    boxes = list(_BOX.finditer(value))
    if not boxes:
        return
    labels: list[tuple[re.Match[str], str]] = []
    if boxes_follow_labels(text, field.start(1)):
        # "Whole body: yes [ ]  no [X]": each label comes before its box
        for prev, box in zip([None, *boxes], boxes, strict=False):
            label = value[prev.end() if prev else 0 : box.start()]
            if _LABEL_COLON.search(label):
                break  # "... no [X]   SPECT: yes [ ]": the next field's options
            labels.append((box, label))
    elif boxes[0].start() == 0:
        for box, nxt in itertools.zip_longest(boxes, boxes[1:]):
            label = value[box.end() : nxt.start() if nxt else len(value)]
            labels.append((box, label))
            if _LABEL_COLON.search(label):
                break  # "[X] Delayed   Pinhole: [ ] Yes [X] No": the next field's options
    for box, label in labels:
        if _ticked(box) and _NO_OPTION.match(label):
            m.context, m.cue, m.cue_id = (
                "negated",
                label.strip(),
                # "Quantitative SPECT (SUV): [X] not performed": the quantification's
                # field, which says nothing about the SPECT its key names
                "negated-backward-kv:quantification-key"
                if quant_key
                else "negated-backward-kv:ticked-no",
            )
            break


def _ticked(box: re.Match[str]) -> bool:
    return (
        box.group("tick") is not None
        or box.group("ptick") is not None
        or box.group(0) in ("\u2611", "\u2612")
    )


# how far an option's label may run after its box ("[ ] Anatomic localization / fused review")
_OPTION_LABEL_CHARS = 60


def _unticked_option_context(mentions: list[Mention], text: str) -> None:
    """A procedure named in the label of an option left unticked ("( ) Three-phase", "[ ] Low
    dose CT for localization") was not chosen (LABELING.md, gold Q): it reads as after an
    empty box, which states nothing against the same procedure described elsewhere. The
    label runs from its box to the next box or the end of the line (in a label-then-box
    row, from the box before it to its own: "SPECT/CT [x]   Planar [ ]")."""
    for m in mentions:
        if m.context is not None or m.label not in PROCEDURES:
            continue
        box = option_box(text, m.start_char)
        if box is None or _ticked(box):
            continue
        m.context, m.cue, m.cue_id = "negated", box.group(0), "negated-forward:empty-checkbox"


def in_unticked_option(text: str, offset: int) -> bool:
    """Is `offset` in the label of an option left unticked ("[ ] Low dose for localization",
    "( ) Three-phase")?"""
    if "[" not in text and "(" not in text and "\u2610" not in text:
        return False
    box = option_box(text, offset)
    return box is not None and not _ticked(box)


_NO_COLUMN = re.compile(
    r"[ \t]*(?:no|not[ \t]+(?:done|performed|acquired|obtained))[ \t]*$", re.IGNORECASE
)
_YES_COLUMN = re.compile(r"[ \t]*(?:yes|done|performed|acquired|obtained)[ \t]*$", re.IGNORECASE)
_TICK_CELL = re.compile(r"[ \t]*[xX\u2713\u2714\u2612\u2611](?![A-Za-z])")


def _yes_no_table_context(mentions: list[Mention], text: str) -> None:
    """A table with "Yes" and "No" columns ("Acquisition | Yes | No"): a row whose mark
    stands in the "No" column denies the procedure its first cell names ("SPECT/CT |  | X")."""
    procs = [m for m in mentions if m.label in PROCEDURES and m.context is None]
    if not procs:
        return
    pos = 0
    no_col: int | None = None
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        cells = text[pos:end].split("|")
        if len(cells) < 3:
            no_col = None
        elif no_col is None:
            nos = [i for i, c in enumerate(cells) if i and _NO_COLUMN.match(c)]
            if len(nos) == 1 and any(_YES_COLUMN.match(c) for c in cells[1:]):
                no_col = nos[0]
        elif no_col < len(cells) and _TICK_CELL.match(cells[no_col]):
            first_end = pos + len(cells[0])
            for m in procs:
                if pos <= m.start_char and m.end_char <= first_end and m.context is None:
                    m.context, m.cue, m.cue_id = (
                        "negated",
                        cells[no_col].strip(),
                        "negated-backward-kv:ticked-no",
                    )
        pos = end + 1


# a worksheet row's capital "N" flag after a procedure and its areas, ending the field (the
# line, a "|" to the next field, or a bracketed reason): "SPECT-CT abd/pelvis  N (pt left)".
# A lone lower-case "n", or an "N" going on into prose, is not, except in a report typed
# all in lower case, where no capital can tell the flag.
_FLAG_END = r"(?:[ \t]*(?:\(|\||\n|$)|[ \t]+-[ \t])"
# "N", or a bracketed "[N]" / "[No]" that may be followed by the row's next field; a dash
# may part the flag from the procedure ("SPECT/CT - N (pt declined)")
_FLAG_NO = re.compile(
    r"[ \t]+(?:[-\u2013][ \t]+)?(?:N"
    + _FLAG_END
    + r"|\[[ \t]*No?[ \t]*\](?:"
    + _FLAG_END
    + r"|[ \t]{2,}(?=\S)))"
)
_FLAG_NO_CASELESS = re.compile(_FLAG_NO.pattern, re.IGNORECASE)


def _worksheet_flag_context(mentions: list[Mention], text: str) -> None:
    """A technologist worksheet's yes/no flag written after the procedure without a colon
    ("WB ant/post  Y | SPECT-CT abd/pelvis  N"): "N" says the part was not done, like a
    "CT: N" field (LABELING.md, gold AD to AI)."""
    flag = _FLAG_NO
    own = own_text(text)
    if own.lower() == own:
        flag = _FLAG_NO_CASELESS
    elif " N" not in text and "\tN" not in text and "[N" not in text:
        return
    places = {p.start_char: p.end_char for p in mentions if p.label in _KEY_PLACE_LABELS}
    for m in mentions:
        if m.context is not None or m.label not in PROCEDURES:
            continue
        end = _key_end(text, m.end_char, places)
        if flag.match(text, end):
            m.context, m.cue, m.cue_id = (
                "negated",
                text[end:].lstrip(" \t-\u2013").split()[0],
                "negated-backward-kv:flag-no",
            )


# what may stand before the procedure in a dated title: a name's prefix or a word or two
# ("GBP-", "Bone ", "Gated blood-pool "), nothing that makes the study a past one
_TITLE_LEAD = re.compile(r"[ \t]*(?:[\w/-]+[ \t-]+){0,3}[\w/]*-?[ \t]*$")
_PAST_WORD = re.compile(r"\b(?:prior|previous|earlier|last|old|comparison|outside|history)\b", re.I)
_TITLE_DATE_END = re.compile(r"[ \t]*(?::|-[ \t]|\u2013|\u2014)")


def _dated_title(text: str, m: Mention, dated: re.Match[str]) -> bool:
    """ "GBP-SPECT 11/03/20: LVEF 45% ...": a terse note whose first line opens with the
    procedure and its full date, then a colon and the results, is titled by its own study
    and date of service, not a past study's (identification lines may stand above it)."""
    first = own_start(text)
    line_end = text.find("\n", first)
    if m.start_char < first or (0 <= line_end < m.start_char):
        return False
    lead = text[first : m.start_char]
    return (
        _TITLE_LEAD.fullmatch(lead) is not None
        and not _PAST_WORD.search(lead)
        and _FULL_DATE.search(dated.group(0)) is not None
        and _TITLE_DATE_END.match(text, dated.end()) is not None
    )


def _this_study_date(dated: re.Match[str], service: dt.date | None) -> bool:
    """ "the 2021-07-20 pelvic SPECT/CT" in a report of that day: a date with words between
    it and the procedure names a past study only when it lies before the date of service
    (by more than a study's span); a bare year counts from its last day."""
    if "words" not in dated.re.groupindex or not dated.group("words"):
        return False
    return _on_service_date(dated.group("date"), service)


def _on_service_date(date: str | None, service: dt.date | None) -> bool:
    """Does `date` (full or a bare year) fall on the date of service, within a study's span
    before it or after it? Unknown or partial dates ("04/2019") do not."""
    if date is None or service is None:
        return False
    if re.fullmatch(r"(?:19|20)\d\d", date):
        return (service - dt.date(int(date), 12, 31)).days < _PAST_STUDY_DAYS
    when = match_date(date, 0)
    full = parse_date_match(when) if when is not None else None
    return full is not None and (service - full).days < _PAST_STUDY_DAYS


def _dated_before_service(text: str, m: Mention, service: dt.date | None) -> str | None:
    """ "(bone scan with SPECT/CT of the right shoulder on 05/19/2020)" in a report dated
    07/14/2020: a full date in the procedure's own clause, weeks before the labelled date
    of service, places it in the past. Returns the date's words."""
    if service is None:
        return None
    ct = m.label == "CT"
    year = _CLAUSE_YEAR.match(text, m.end_char)
    if year is not None and not ct:
        # a year wholly before the service (by more than a study's span) is a past study's
        end_of_year = dt.date(int(year.group(1)), 12, 31)
        if (service - end_of_year).days >= _PAST_STUDY_DAYS:
            return year.group(1)
    d = (_CT_CLAUSE_DATE if ct else _CLAUSE_DATE).match(text, m.end_char)
    when = match_date(text, d.end()) if d is not None else None
    full = parse_date_match(when) if when is not None else None
    # a CT of this study is acquired with its SPECT, on a day of the study: one dated
    # before the study's first day ("registered with the CT of the spine performed at
    # another centre on 05/02") is another, earlier study
    least = _PAST_CT_DAYS if ct else _PAST_STUDY_DAYS
    if when is None or full is None or (service - full).days < least:
        return None
    return text[when.start() : when.end()]


_KEY_PLACE_LABELS = frozenset({"AREA", "LEVEL", "SPINE"})
# a time point named in a form field's key, bare or in brackets: "24 h", "(2 h)", "at 30 min"
_KEY_TIME = re.compile(
    r"[ \t]+(?:at[ \t]+)?(?:\([ \t]*)?\d+(?:\.\d+)?[ \t]*"
    r"(?:h|hrs?|hours?|min|mins|minutes?)\b(?:[ \t]*\))?",
    re.IGNORECASE,
)

# a short gloss in brackets closing a form field's key: "Quantitative SPECT (SUV): N/A",
# "SPECT/CT (optional) [ ] Yes [X] No"
_KEY_GLOSS = re.compile(r"[ \t]*\([A-Za-z0-9 /-]{1,16}\)(?=[ \t]*[:=\[])")

# what a form key may ask about its procedure: "SPECT time point(s): ___", "SPECT date: N/A",
# "CT purpose: N/A"
_KEY_ATTRIBUTE = re.compile(
    r"[ \t]+(?:time[ \t]*points?|times?|dates?|purpose|use)(?:\(s\))?(?=[ \t]*[:=])",
    re.IGNORECASE,
)


def _key_end(text: str, pos: int, places: dict[int, int]) -> int:
    """Where the key of a form field that opens with a procedure ending at `pos` ends: past
    the areas it names ("SPECT/CT abdomen and pelvis: [ ]"), on the same line."""
    end = pos
    while True:
        at = end
        filler = _KEY_FILLER.match(text, at)
        while filler is not None:
            at = filler.end()
            filler = _KEY_FILLER.match(text, at)
        while at < len(text) and text[at] in " \t":
            at += 1
        if at not in places:
            # "WB 24 h [N]", "Whole body planar (2 h) ..... No": the time point the key
            # names is part of it
            timed = (
                _KEY_TIME.match(text, end)
                or _KEY_GLOSS.match(text, end)
                or _KEY_ATTRIBUTE.match(text, end)
            )
            if timed is None:
                return end
            end = timed.end()
            continue
        end = places[at]


# the words that join the areas of one field: "of the neck and chest as well as the pelvis"
_AREA_LIST_WORDS = _AREA_GAP_WORDS | {
    ",",
    "as",
    "well",
    "over",
    "through",
    "bilaterally",
    "level",
    "levels",
    "region",
    "regions",
}
_FIELD_NOUNS = frozenset({"acquisition", "imaging", "images", "data"})
# the words a stop may take after a field before its cue: "was begun but terminated"
_FIELD_TO_CUE = 3


def _area_list_within_window(c: Cue, gap: range, lower: LowerTokens, area_tokens: set[int]) -> bool:
    """ "SPECT/CT of the neck and chest as well as the abdomen was begun but terminated
    early": a backward denial or stop is measured to the mention's field, however many
    words its list of areas takes."""
    if c.direction != "backward" or c.context not in ("negated", "aborted"):
        return False
    # the field opens the gap, straight after the mention ("... of the neck and chest as
    # well as the abdomen"), and the cue's verb follows it ("was begun but"); anything
    # more ("at 4 h and 24 h, the last point skipped") is another clause's
    i, areas = gap.start, False
    while i < gap.stop and (
        i in area_tokens or lower[i] in _AREA_LIST_WORDS or lower[i] in _FIELD_NOUNS
    ):
        areas = areas or i in area_tokens
        i += 1
    return areas and gap.stop - i <= min(c.window, _FIELD_TO_CUE)


_CONSIDERED_REACH = 24


def _considered_then_denied(c: Cue, gap: range, lower: LowerTokens) -> bool:
    """ "Early SPECT/CT at 4 hours was considered, as bowel activity is low then, but it was
    not performed": a backward denial whose pronoun subject, after "but", takes up the
    procedure that "was considered" before a reason clause; the window is measured to
    "considered"."""
    if c.direction != "backward" or c.context != "negated" or len(gap) > _CONSIDERED_REACH:
        return False
    words = [lower[i] for i in gap]
    if len(words) < 4 or words[-1] not in _PRONOUN_SUBJECTS or words[-2] != "but":
        return False
    at = next((k for k, w in enumerate(words) if w == "considered"), None)
    return (
        at is not None
        and 0 < at <= c.window
        and words[at - 1] in ("was", "were")
        and at + 1 < len(words)
        and words[at + 1] == ","
        and words[-3] == ","
    )


def _gloss_within_window(c: Cue, m: Mention, gap: range, lower: LowerTokens) -> bool:
    """ "No gamma-camera (bremsstrahlung SPECT) imaging was performed": a forward cue
    reaches a procedure in a short bracket (three words or fewer) glossing the words in its
    window; the window is measured to the bracket."""
    if c.direction != "forward":
        return False
    opened = next((i for i in range(gap.stop - 1, gap.start - 1, -1) if lower[i] == "("), None)
    if opened is None or opened - gap.start > c.window:
        return False
    if any(lower[i] in ("(", ")") for i in range(gap.start, opened)):
        return False
    close = next((i for i in range(m.end, min(len(lower), m.end + 3)) if lower[i] == ")"), None)
    return close is not None and close - opened - 1 <= 3


def _coordinated_beyond_window(
    c: Cue, m: Mention, gap: range, lower: LowerTokens, procs: list[Mention]
) -> bool:
    """ "No whole-body planar imaging or SPECT/CT was done": the window is measured to the
    nearest procedure; one joined to it by a bare "or"/"and" (or directly, as parts of one
    name) is reached however many words the nearer one's name takes."""
    if m.label not in PROCEDURES:
        return False
    chain = sorted(
        [p for p in procs if p is not m and gap.start <= p.start < gap.stop] + [m],
        key=lambda p: p.start,
    )
    if len(chain) < 2:
        return False
    near = chain[0].start - gap.start if c.direction == "forward" else gap.stop - chain[-1].end
    if near > c.window:
        return False
    return all(
        0 <= b.start - a.end <= 2 and all(lower[i] in _COORDINATORS for i in range(a.end, b.start))
        for a, b in itertools.pairwise(chain)
    )


def _kv_key(lower: LowerTokens, gap: range, procs: list[Mention], area_tokens: set[int]) -> bool:
    """A key-value cue ("none", "n/a", a template's "[No]") is the value of the line's
    key: the gap to the mention ends at the separator or a box ("CT: none", "CT: [No]"),
    and anything else in it is another procedure word of the key ("Whole-body planar:
    [No]" negates both) or says where or when the procedure would have been done
    ("Concurrent CT on our camera: none", "CT acquired today: n/a") or of what
    ("SPECT/CT of the pelvis: no"), never what it showed ("CT correlate: none")."""
    if not gap or lower[gap[-1]] not in _KV_GAP:
        return False
    key_words = {i for p in procs for i in range(p.start, p.end)}
    return all(
        lower[i] in _KV_GAP or lower[i] in _KV_KEY_WORDS or i in key_words or i in area_tokens
        for i in gap
    )


def _header_value_cue(
    m: Mention, headers: list[tuple[int, int]], by_sent: dict[int, list[Cue]], sents: list[int]
) -> Cue | None:
    """The cue opening the value of a header that names a procedure: in "Dosimetry: not
    performed (...)" the header and its value are two sentences, and the value says what
    became of the procedure the header names."""
    if not any(hs <= m.start_char and m.end_char <= he for hs, he in headers):
        return None
    value = m.sent + 1
    if value >= len(sents):
        return None
    return next(
        (
            c
            for c in by_sent.get(value, ())
            if c.start == sents[value] and c.direction == "backward"
        ),
        None,
    )


def _cue_fits(doc: Doc, start: int, end: int, row: dict[str, Any]) -> bool:
    """Cues that depend on what follows them: a "whole value" cue must end its line, and a
    cue with `not_before` words is another statement when one follows ("the CT was not
    used for localization" is about the CT's purpose, "the CT was not used" denies it), and
    one with `not_in_clause` words does not hold when its clause goes on with one of them
    ("was planned, but only SPECT was done"), unless the clause also has one of its
    `unless_in_clause` words ("..., so SPECT alone was acquired"). A cue with `done_after`
    words holds only when its clause goes on with one of them ("before any SPECT was
    acquired", "... could be done") or its clause before it has one of its `ended_before`
    words ("the study was cancelled before any imaging")."""
    if row.get("done_after") and not _done_or_ended(doc, start, end, row):
        # "Before any SPECT imaging, the bladder was emptied": the SPECT followed
        return False
    if row.get("whole_value"):
        last = doc[end - 1]
        whole = text_of(doc)
        own = own_text(whole)
        value_end = _WHOLE_VALUE_END_CASELESS if own.lower() == own else _WHOLE_VALUE_END
        if not value_end.match(whole, last.idx + len(last.text)):
            return False
    if row.get("not_before") and end < len(doc):
        return doc[end].lower_ not in row["not_before"]
    if row.get("only_before") is not None and end < len(doc):
        # "SPECT/CT suggested." / "... suggested for characterization" is advice; "SPECT/CT
        # suggested a fracture" is what the images showed
        nxt = doc[end]
        if not (nxt.is_space or nxt.is_punct or nxt.lower_ in row["only_before"]):
            return False
    if row.get("not_before_procedure"):
        # "SPECT/CT was offered, but the patient declined the CT portion": the refusal's
        # object is the procedure refused, and the offer stands as its own statement
        k = end
        while k < len(doc) and doc[k].lower_ in _REFUSAL_OBJECT_FILLER:
            k += 1
        if any(m.start == k and m.label in PROCEDURES for m in doc._.mentions or ()):
            return False
    if row.get("not_in_clause"):
        # "SPECT/CT was planned, but the CT was not acquired" / "but only SPECT was done":
        # the plan changed in part and the procedure itself was performed; "... but the CT
        # was not tolerated, so SPECT alone was acquired" replaces it with another
        words: set[str] = set()
        planar = _planar_token_ends(doc)
        for tok in doc[end : min(len(doc), end + 20)]:
            if tok.text in (".", ";") or "\n" in tok.text:
                break
            if tok.lower_ == "only" and _only_of_planar(tok.i, planar):
                # "was considered, but ... only planar knee views were taken": the planar
                # imaging replaced the procedure; nothing of it was partly done
                continue
            words.add(tok.lower_)
        if words & set(row["not_in_clause"]) and not words & set(row.get("unless_in_clause", ())):
            return False
    return True


def _done_or_ended(doc: Doc, start: int, end: int, row: dict[str, Any]) -> bool:
    """Does "before any" deny what follows it? Only where that is told as an event that
    never came: with a verb of its own in the cue's clause ("the patient left before any
    SPECT was acquired", "before any tomographic imaging could be done"), or after a clause
    that ends the study ("the study was stopped before any imaging"). With neither, it only
    places another step before the imaging ("before any SPECT imaging, the bladder was
    emptied")."""
    for tok in doc[end : min(len(doc), end + 12)]:
        if tok.text in (".", ";", ":", ",") or "\n" in tok.text:
            break
        if tok.lower_ in row["done_after"]:
            return True
    for i in range(start - 1, max(-1, start - 13), -1):
        tok = doc[i]
        if tok.text in (".", ";", ":") or "\n" in tok.text:
            break
        if tok.lower_ in row.get("ended_before", ()):
            return True
    return False


# what was done instead of a planned tomography when "only" qualifies it
_PLANAR_ONLY_LABELS = frozenset({"PLANAR", "WHOLE_BODY"})


def _planar_token_ends(doc: Doc) -> list[tuple[int, int]]:
    """The token spans of the planar and whole-body mentions of `doc`."""
    return [(m.start, m.end) for m in doc._.mentions or () if m.label in _PLANAR_ONLY_LABELS]


def _only_of_planar(i: int, planar: list[tuple[int, int]]) -> bool:
    """Does the "only" at token `i` qualify a planar mention: before it, at most one word
    between ("only planar images", "only the planar views"), or right after it ("planar
    views only")?"""
    return any(i < s <= i + 2 or e == i for s, e in planar)


def _short_gloss(lower: LowerTokens, gap: range, c: Cue) -> bool:
    """A bracket of three words or fewer is a gloss of what stands next to it:
    "No dynamic (flow) phase", "SPECT L-spine (incomplete)"."""
    n = len(lower)
    if c.direction == "backward":
        # the cue sits inside a bracket that opened after the mention
        opened = max(i for i in gap if lower[i] == "(")
        if any(lower[i] not in _BE_AUX for i in range(opened + 1, c.start)):
            # "stress first (rest not required)": a word before the cue inside the
            # bracket is the denial's own subject; the bracket glosses nothing outside it
            return False
        close = next((i for i in range(c.end, min(n, c.end + 4)) if lower[i] == ")"), None)
        return close is not None and close - opened - 1 <= 3
    closes = [i for i in gap if lower[i] in _CLOSING_BRACKETS]
    closed = min(closes) if closes else None
    if closed is not None:
        # "(as ordered) NM SPECT/CT": a short bracketed prefix speaks about what follows it
        prefix_open = next(
            (i for i in range(c.start - 1, max(-1, c.start - 4), -1) if lower[i] == "("), None
        )
        return prefix_open is not None and closed - prefix_open - 1 <= 3
    opened = max(i for i in gap if lower[i] == "(")
    close = next((i for i in range(opened, min(n, opened + 5)) if lower[i] == ")"), None)
    if close is not None and any(lower[i] in _ONLY_WORDS for i in range(opened + 1, close)):
        # "No CT (SPECT only system)", "no SPECT (planar only)": the bracket says what was
        # done instead, it does not gloss the negated procedure
        return False
    return close is not None and close - opened - 1 <= 3


@Language.factory("spect_context", requires=["doc._.mentions"], assigns=["doc._.cues"])
def make_context_matcher(nlp: Language, name: str) -> ContextMatcher:
    return ContextMatcher(nlp, name)
