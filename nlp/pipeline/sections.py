"""Section detection: technique/procedure, findings, impression, comparison, history, addendum.

Header labels are found on the raw text by walking back from each colon (`_labelled`),
which handles the three layouts reports come in: a header on its own line or at the start
of a line ("FINDINGS:", "Impression:", an all-caps line with no colon), and the
transcription style where headers are glued to the text with commas and the newlines are
gone ("...cancer.,TECHNIQUE:,  99mTc ..."). Header words are data
(`nlp/patterns/sections.jsonl`).

The first line of a report, when it is not itself a header, is the exam title ("header").
A blank line ends a history, comparison or title section: narrative reports put the
clinical question in one paragraph and the procedure in the next, without headers.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline import extensions  # noqa: F401  (declares Doc._.sections)
from nlp.pipeline.arrays import text_of
from nlp.pipeline.hl7 import scaffold_spans
from nlp.pipeline.idlines import opening_end, own_start
from nlp.pipeline.patterns import PatternComponent
from nlp.pipeline.prescan import opening_finditer
from nlp.pipeline.signoff import closing_start, own_text
from nlp.pipeline.timing import DATE_RE, parse_date_match
from nlp.pipeline.wrapper import wrapper_blocks

PATTERN_FILE = "sections.jsonl"

# A known header on a line of its own, without a colon: in capitals, or capitalised as a
# Markdown heading or a bold line reads once its marks are gone ("## Findings"); a bracket
# may qualify it ("TECHNIQUE (today)", "PRIOR STUDIES (from the prior reports)").
_BARE = re.compile(
    r"^[ \t]*(?P<h>[A-Z][A-Za-z /&]{2,40}?)[ \t]*(?:\([^()\n]{1,60}\)[ \t]*)?$", re.MULTILINE
)
# the same in a report typed all in lower case
_BARE_CASELESS = re.compile(_BARE.pattern, re.MULTILINE | re.IGNORECASE)
# An addendum line often carries a date or a signature before its colon. An attending's
# final read after a resident's preliminary one revises it like an addendum, and so does an
# erratum or a corrected/revised report ("ERRATUM (06/07/2023):", "REVISED REPORT:"), and an
# amended one ("Amended 3/4:"). At a teaching hospital the signer's role may open it
# ("Staff correction (04/27):", "Attending's addendum:", "Faculty amendment -").
_ROLE = (
    r"(?:(?:staff|attending|faculty|consultant|supervising|physician|radiologist"
    r"|fellow|resident)(?:'s|\u2019s)?\s+)"
)
# a known header led by the reader's role or the read's status
_ROLE_LED = re.compile(r"^(?:" + _ROLE + r"|(?:preliminary|prelim|final)\s+)+", re.IGNORECASE)
# a line opening with the read it is (a fellow's preliminary read, the final read), whose
# bracket may hold a time and so hide the label's colon: "Prelim (fellow, 02:10): ..."
_READ_LED = re.compile(
    r"[ \t]*" + _ROLE + r"?(?:prelim(?:inary)?|final)(?:\s+(?:read|report|interpretation))?"
    r"[ \t]*(?:\([^()\n]{1,40}\))?[ \t]*:",
    re.IGNORECASE,
)
_ADDENDUM = re.compile(
    # a banner of stars may frame it: "*** ADDENDUM ***"
    r"(?:^|(?<=\n)|(?<=[.,;]))[ \t]*(?:\*{2,}[ \t]*)?"
    r"(?P<h>" + _ROLE + r"?(?:addendum|amendment|amended|correction|errat(?:um|a)"
    r"|(?:corrected|revised)\s+(?:report|read|interpretation|version)"
    r"|attending\s+(?:final|addendum|over-?read|review|interpretation))\b[^\n:]{0,40}?)"
    # a dash between digits is a date's ("Addendum 2023-05-17:"), not the header's end
    r"[ \t]*(?::|(?<!\d)-{1,2}|-{1,2}(?!\d)|\*{2,}|$)",
    re.IGNORECASE | re.MULTILINE,
)
# "Addendum The SPECT on day 2 was not obtained ...": the word alone opening a line and
# run into the sentence it heads (a capitalised word, not "Addendum to follow")
_ADDENDUM_RUN_IN = re.compile(
    r"^[ \t]*(?P<h>Addendum|ADDENDUM)(?=[ \t]+(?!(?i:to|will|pending|follows?|report)\b)"
    r"[A-Z0-9][A-Za-z0-9/-]*\b)",
    re.MULTILINE,
)
# the addendum headers that correct the report rather than add to it
CORRECTION_HEADER = re.compile(
    r"\s*" + _ROLE + r"?(?:errat|correct(?:ed|ion)\b|revised\b|amend)", re.IGNORECASE
)
# of those, the ones the label reader takes for unknown labels ("ERRATUM (06/07/2023):");
# "Correction to the technique:" inside an addendum stays a plain label of that addendum
# (and a dated addendum: "Addendum 10/05/2020:")
# a role-led one ("Staff correction (4/27):") is never a plain label either
_ERRATUM_LABEL = re.compile(
    r"\s*(?:errat|corrected|revised|amended|addendum\b[^\n:]*\d"
    r"|" + _ROLE + r"(?:addend|amend|correct|errat))",
    re.IGNORECASE,
)
# a label that opens with the correction it makes: "Correction to the technique:"
_CORRECTION_LABEL = re.compile(r"\s*correction\b", re.IGNORECASE)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"\s+")
# Sections that a paragraph break closes.
_PARAGRAPH_SCOPED = {"history", "comparison", "header"}
# Copy-forward reports embed an earlier report under a banner line ("---- PRIOR REPORT
# (copied for reference) ----", "Previous report, copied forward:"). Everything from the
# banner to its end marker is history, whatever headers ("Technique:", "Impression:") the
# copied text carries. A banner is a line of its own (decorations and a colon allowed), or
# any short line that says the text below was copied.
_DECOR = r"[ \t>*=_#~\[\]-]*"
_PRIOR_BANNER = re.compile(
    r"^" + _DECOR + r"(?:(?:copy|copied|text)\s+of\s+)?(?:the\s+)?"
    r"(?:prior|previous|earlier|old|last)\s+(?:[a-z/-]+\s+){0,3}?report"
    r"(?:[ \t]*\([^)\n]{0,60}\))?(?:[ \t]+(?:dated|from|of)?[ \t]*[0-9][0-9/.-]{3,9})?"
    r"(?P<tail>" + _DECOR + r"(?::[^\n]*)?)$"
    r"|^" + _DECOR + r"[^\n]{0,40}\bcop(?:y|ied)(?:[ \t]+\w+){0,2}[ \t]+"
    r"(?:forward|for[ \t]+reference|from[ \t]+(?:the[ \t]+)?(?:prior|previous))\b[^\n]{0,40}$"
    # a ruled banner naming a report pasted for comparison: "----- 2019 report (for
    # comparison) -----" (LABELING.md gold DL, a previous study's report pasted under today's)
    r"|^[ \t>]*[-=*_#~]{3,}[^\n]{0,40}\breport\b[^\n]{0,20}?"
    r"\bfor[ \t]+(?:comparison|reference)\b[^\n]{0,40}$",
    re.IGNORECASE | re.MULTILINE,
)
# The end of a copied block: "---- END PRIOR ----", "END OF COPIED TEXT", or a banner that
# returns to the current report.
_PRIOR_END = re.compile(
    r"^" + _DECOR + r"(?:end\s+(?:of\s+)?(?:the\s+)?(?:prior|previous|copied|copy|reference|quoted)"
    r"|(?:current|today'?s|new)\s+(?:report|study|exam(?:ination)?)\b)[^\n]{0,40}$",
    re.IGNORECASE | re.MULTILINE,
)
_TITLE_MAX_CHARS = 200
# a first line whose colon opens a list on the next lines ("SPECT/CT of the abdomen at:"
# then "- 4 hours") is a sentence of the report, not its title
_OPENS_LIST = re.compile(r":[ \t]*\r?\n[ \t]*(?:[-*\u2022\u00b7][ \t]*|\d{1,2}[.)][ \t]+)\S")


@dataclass(frozen=True)
class SectionSpan:
    label: str
    start: int
    end: int
    header_start: int | None = None
    header_end: int | None = None


def _normalise(label: str) -> str:
    return _SPACES.sub(" ", label.strip().lower().replace("_", " "))


class SectionDetector(PatternComponent):
    """The `spect_sections` component: sets `doc._.sections`.

    The header table travels with the pipeline (`to_disk`/`from_disk` of PatternComponent).
    """

    pattern_file = PATTERN_FILE
    required = ("id", "label", "header")

    def __init__(self, nlp: Language, name: str = "spect_sections") -> None:
        self.name = name
        self._load_default_rows()

    def _compile(self) -> None:
        self.headers: dict[str, str] = {_normalise(r["header"]): r["label"] for r in self.rows}

    def __call__(self, doc: Doc) -> Doc:
        doc._.sections = self.find(text_of(doc), frozenset(doc._.soft_breaks))
        return doc

    def find(self, text: str, soft: frozenset[int] = frozenset()) -> list[SectionSpan]:
        """The sections of `text`. `soft` are the line breaks a hard-wrapped export may have
        put at a sentence end (`nlp.pipeline.unwrap.read_wrapped`): a label there is no
        line's own label ("... 2022." / "Pre-procedure screening: ..."), as in the report
        exported whole. (They still end the title and a one-line history, "History: ..."
        then the procedure: a writer's line end often falls where the next word would not
        have fit, and the history or title must not take the procedure; a history goes on
        past one only into a technique section of its own, see `_split_paragraphs`.)"""
        # (start of header, end of header, label); label None = unknown label ("other")
        marks: list[tuple[int, int, str]] = []
        # in a report typed all in lower case, a header cannot be told by its capital
        low = text.lower()
        # the sign-off lines after the report tell neither its style nor its extent
        closing = closing_start(text)
        own = own_text(text)
        caseless = own.lower() == own
        for start, end, raw, match_start in _labelled(text):
            label = self.headers.get(_normalise(raw))
            if label is None and _ROLE_LED.match(raw):
                # "Fellow's findings:", "Attending impression:": the reader's role qualifies
                # a known header
                label = self.headers.get(_normalise(_ROLE_LED.sub("", raw)))
            before = text[:start].rstrip(" \t")
            at_line_start = (
                start == 0
                or (before.endswith("\n") and len(before) - 1 not in soft)
                or match_start == 0
            )
            if label is None and at_line_start:
                label = self._known_prefix(raw)
            if label is None:
                # unknown labels only count at a line start, and only short capitalised ones
                capital = raw[:1].isupper() or caseless
                if not at_line_start or not capital or len(_NAMED_DATE.sub("0", raw).split()) > 4:
                    continue
                label = "other"
            elif not at_line_start and not (raw[:1].isupper() or caseless):
                continue
            marks.append((start, end, label))
        for start, end, label in self._dotted_titles(text):
            if not any(s <= start < e for s, e, _ in marks):
                marks.append((start, end, label))
        for m in _CASE_TITLE.finditer(text) if "(case" in low else ():
            if not any(s <= m.start() < e for s, e, _ in marks):
                marks.append((m.start(), m.end(), "header"))
        for start, end, label in self._qualified(text):
            if not any(s <= start < e for s, e, _ in marks):
                marks.append((start, end, label))
        for m in _INDICATION_FOR_EXAM.finditer(text):
            if not any(s <= m.start("h") < e for s, e, _ in marks):
                marks.append((m.start("h"), m.end(), "history"))
        for start, end, label in _inline_caps(text, self.headers):
            if not any(s <= start < e for s, e, _ in marks):
                marks.append((start, end, label))
        for m in (_BARE_CASELESS if caseless else _BARE).finditer(text):
            label = self.headers.get(_normalise(m.group("h")))
            if label is not None:
                marks.append((m.start("h"), m.end(), label))
        has_addendum = any(
            k in low
            for k in ("addend", "amend", "correction", "attending", "errat", "corrected", "revised")
        )
        for m in _ADDENDUM.finditer(text) if has_addendum else ():
            # "ERRATUM (06/07/2023):" was taken for an unknown header: it is an addendum
            if _ERRATUM_LABEL.match(m.group("h")) or (
                # "Correction to the technique:" in a final read, no addendum before it:
                # the correction is a section of its own (inside an addendum it stays a
                # plain label of that addendum)
                _CORRECTION_LABEL.match(m.group("h"))
                and not any(mk[2] == "addendum" and mk[0] < m.start("h") for mk in marks)
            ):
                marks = [mk for mk in marks if not (mk[0] == m.start("h") and mk[2] == "other")]
            if not any(hs <= m.start("h") < he for hs, he, _ in marks):
                marks.append((m.start("h"), m.end(), "addendum"))
        for m in _ADDENDUM_RUN_IN.finditer(text) if has_addendum else ():
            if not any(hs <= m.start("h") < he for hs, he, _ in marks):
                marks.append((m.start("h"), m.end(), "addendum"))
        marks.sort()
        # a header found twice (labelled and bare) counts once
        marks = [mk for i, mk in enumerate(marks) if i == 0 or mk[0] >= marks[i - 1][1]]
        marks = _protocol_as_plan(text, marks)
        # the identification lines above the report ("Patient: ...   MRN: ...") are one
        # section of no label: the report's own first line is read below them
        top = opening_end(text)
        marks = [mk for mk in marks if mk[0] >= top]

        first = marks[0][0] if marks else len(text)
        lead = text[:first]
        if top and not lead[top:].strip():
            top = first
        sections: list[SectionSpan] = [SectionSpan("other", 0, top)] if top else []
        # the first text of the report's own (a blanked print stamp may stand above it)
        title_start = len(lead) - len(lead[top:].lstrip())
        if lead[top:].strip():
            nl = lead.find("\n", title_start)
            title_end = nl if nl >= 0 else len(lead)
            # a one-line report with no headers is not a title: it is the report (the
            # sign-off lines after it are no body under a title)
            whole = title_end >= len(text[:closing].rstrip()) and not any(
                hs < closing for hs, _, _ in marks
            )
            opens_list = _OPENS_LIST.match(text, len(lead[:title_end].rstrip()) - 1) is not None
            short = title_end - title_start <= _TITLE_MAX_CHARS
            # "Prelim (fellow, 02:10): Ga-67 SPECT/CT chest ...": a reader's line, not a title
            read = _READ_LED.match(lead, title_start) is not None
            if not whole and not opens_list and short and not read:
                sections.append(SectionSpan("header", top, title_end))
                if title_end < first:
                    sections.append(SectionSpan("other", title_end, first))
            else:
                sections.append(SectionSpan("other", top, first))
        for i, (hs, he, label) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            sections.append(SectionSpan(label, hs, end, hs, he))
        sections = _report_body(text, _findings_subkeys(text, sections))
        return _scaffold_as_title(
            text,
            _wrapping(
                text,
                _copied_priors(
                    text, _split_paragraphs(text, _title_after_keys(text, sections), soft)
                ),
            ),
        )

    def _known_prefix(self, raw: str) -> str | None:
        """The label of a known header of two words or more that opens `raw`: "Outside
        study summary", "Day 2 (03/17)", "Clinical history and indication". One word is
        not enough: "Study date" is no study section."""
        words = _normalise(raw).replace("(", " (").split()
        for n in range(len(words) - 1, 1, -1):
            label = self.headers.get(" ".join(words[:n]))
            if label is not None:
                return label
        return None

    def _dotted_titles(self, text: str) -> list[tuple[int, int, str]]:
        """An exam-title key with a dot leader at a line start: "Exam ........ NM MIBG
        WHOLE BODY W SPECT/CT" (a demographics block's row). Only title keys count: the
        leader also separates a worksheet's procedure from its value ("SPECT ..... done")."""
        if "..." not in text:
            return []
        out = []
        for m in _DOTTED_KEY.finditer(text):
            if self.headers.get(_normalise(m.group("h"))) == "header":
                out.append((m.start("h"), m.end(), "header"))
        return out

    def _qualified(self, text: str) -> list[tuple[int, int, str]]:
        """A line that opens with a known header, qualifies it and ends with the colon:
        "OUTSIDE STUDY (Pinecrest, 02/03/2022), images and report reviewed:",
        "Comparison (outside, 2019):". The qualifier's comma or date hides the label from
        `_labelled`. Returns (label start, end after the colon, section label)."""
        out = []
        for m in _QUALIFIED.finditer(text):
            head = m.group("h")
            label = self.headers.get(_normalise(head)) or self._known_prefix(head)
            if label is not None:
                out.append((m.start("h"), m.end(), label))
        return out


# A line's key, a dot leader and its value: "Exam ........ NM BONE SPECT".
_DOTTED_KEY = re.compile(r"^[ \t]*(?P<h>[A-Za-z][A-Za-z ]{1,30}?)[ \t]*\.{3,}[ \t]*", re.MULTILINE)
# The indication keyed by the exam it is for: "Indication for this NM bone scan w/ SPECT: ..."
# (the exam named is the order, its key too long and too wordy for `_labelled`).
_INDICATION_FOR_EXAM = re.compile(
    r"^[ \t]*(?P<h>(?:clinical[ \t]+)?(?:indications?|reason)[ \t]+for[ \t]+(?:this|the)[ \t]"
    r"[^\n:.]{1,80}):",
    re.MULTILINE | re.IGNORECASE,
)
# VistA radiology's procedure line: the case number and its status in brackets, then the
# exam title ("(Case 100119-0412 COMPLETE) NM BONE SCAN WHOLE BODY W/SPECT-CT"); the title
# yields to the technique like any other (LABELING.md gold BR to BY)
# (in any case, with the "Proc:" key some sites print before the title: an export in
# capitals prints "(CASE 0080 COMPLETE) PROC: NM ...", whose key is no procedure section)
_CASE_TITLE = re.compile(
    r"^[ \t]*\(Case[ \t]+\d[\d-]*(?:[ \t]+[A-Z]+)*\)[ \t]*(?:proc(?:edure)?[ \t]*:[ \t]*)?",
    re.MULTILINE | re.IGNORECASE,
)
# A line that opens with a label, then a bracket, comma or dash, and ends with a colon.
_QUALIFIED = re.compile(
    r"^[ \t]*(?P<h>[A-Za-z][A-Za-z0-9 '/&]{0,40}?)[ \t]*[(,\-–][^\n:]{0,100}:[ \t]*$",
    re.MULTILINE,
)
_LABEL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 /&#()'-")
_CAPS_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ /&")
# a pipe separates the fields of a report exported flat onto one line ("EXAM: NM V/Q SPECT |
# Technique: ... | Findings: ..."), and a tilde the lines of a report in an HL7-style export
# ("HISTORY: ...~TECHNIQUE: ..."); only a known header opens a section there, as after a comma
_BOUNDARY = frozenset("\n.,;|~")
# technique keys that often hold only the exam's name ("PROCEDURE: NM BONE SCAN W/ SPECT")
_TITLE_KEYS = frozenset({"procedure", "procedures", "nm procedure"})
_EXAM_NAME_MAX_CHARS = 100
# a verb that makes a key's value a sentence of the technique, not an exam's name
_SENTENCE_VERB = re.compile(
    r"\b(?:was|were|is|are|been|performed|acquired|obtained|administered|injected|given"
    r"|received|imaged)\b",
    re.IGNORECASE,
)


def _scaffold_as_title(text: str, sections: list[SectionSpan]) -> list[SectionSpan]:
    """The fields of an HL7 message's own segments (the header, patient and order
    segments, a result segment's fields before its value: `nlp.pipeline.hl7`) read as the
    exam title wherever they stand: an order's "NMBSPCT^NM BONE SPECT/CT FOOT LEFT" names
    what was ordered, as a title does, and a second result segment's fields end the section
    before them without opening one (its value's own header does, or it goes on)."""
    spans = scaffold_spans(text)
    if not spans:
        return sections
    out: list[SectionSpan] = []
    for s in sections:
        pos = s.start
        for a, b in spans:
            if b <= pos or a >= s.end:
                continue
            if a > pos:
                out.append(_piece(s, pos, a))
            out.append(SectionSpan("header", max(a, pos), min(b, s.end)))
            pos = min(b, s.end)
        if pos < s.end:
            out.append(_piece(s, pos, s.end))
    return out


def _piece(s: SectionSpan, start: int, end: int) -> SectionSpan:
    """The part `start`-`end` of section `s`, with its header when the part holds it."""
    if s.header_start is not None and start <= s.header_start < end:
        return SectionSpan(s.label, start, end, s.header_start, s.header_end)
    return SectionSpan(s.label, start, end)


def _protocol_as_plan(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A "Protocol:" line ahead of a technique section of its own ("Protocol: 4 h and 24 h
    whole body, SPECT/CT at both time points" ... "TECHNIQUE: ...") is the plan the study
    was ordered under, read like the exam title: the technique says what was acquired. So
    is a "Procedure:" key whose value is only an exam name ("PROCEDURE: NM BONE SCAN W/
    SPECT" ... "TECHNIQUE: ... Planar images only."): the exam title, not the technique."""
    out = list(marks)
    for i, (hs, he, label) in enumerate(marks):
        if label != "technique":
            continue
        key = _normalise(text[hs:he].strip(" \t:-"))
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        if key != "protocol" and not (key in _TITLE_KEYS and _names_exam(text[he:end])):
            continue
        if any(lab == "technique" for _, _, lab in marks[i + 1 :]):
            out[i] = (hs, he, "header")
    return out


def _names_exam(value: str) -> bool:
    """Is a key's value only the name of an exam: one short line, no sentence about what
    was given or acquired?"""
    value = value.strip()
    return (
        bool(value)
        and "\n" not in value
        and len(value) <= _EXAM_NAME_MAX_CHARS
        and _SENTENCE_VERB.search(value) is None
    )


# an earlier report joined after this one: its opening words, the sign-off before them
# and the dates after them
_OPENING_WORDS = 5
_OPENING_MIN_CHARS = 20
_OPENING_CHARS = 200
_OPENING_LINES = 3
_SIGNOFF_REACH = 160
_DATES_REACH = 300
_SIGNED_BEFORE = re.compile(r"\bsigned\b|\bsignature\b", re.IGNORECASE)


def _prior_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each copied prior report: from its banner to its end marker.

    A banner with text after its colon on the same line ("Prior report: none") only opens a
    block when it says the text was copied; without an end marker a block runs to the end
    of the report, where copy-forward text is put.
    """
    blocks: list[tuple[int, int]] = []
    low = text.lower()
    banners = "report" in low or "cop" in low  # every banner holds one of them
    for m in _PRIOR_BANNER.finditer(text) if banners else ():
        if blocks and m.start() < blocks[-1][1]:
            continue
        tail = m.group("tail") or ""
        after_colon = tail.partition(":")[2].strip()
        if after_colon and "cop" not in m.group(0).lower():
            continue
        end = _PRIOR_END.search(text, m.end())
        blocks.append((m.start(), end.end() if end is not None else len(text)))
    glued = _glued_earlier_report(text)
    if glued is not None and not any(a <= glued < b for a, b in blocks):
        blocks.append((glued, len(text)))
    return blocks


def _glued_earlier_report(text: str) -> int | None:
    """Where an earlier report the export joined after this one starts: the report's own
    opening words ("CEDAR PLAINS MEDICAL CENTER NUCLEAR MEDICINE REPORT") again after its
    sign-off, and the first of their dates that differs earlier than this report's (the
    same patient's date of birth, then an earlier exam date). It is the comparison study,
    not a second study (LABELING.md: an earlier report joined onto the same line). The
    opening may be that of one of the first lines (a banner line put above the report)."""
    line_start = 0
    for _ in range(_OPENING_LINES):
        found = _glued_after_opening(text, line_start)
        if found is not None:
            return found
        nl = text.find("\n", line_start)
        if nl < 0:
            return None
        line_start = nl + 1
    return None


def _glued_after_opening(text: str, start: int) -> int | None:
    """`_glued_earlier_report` for the opening words of the line at `start`."""
    words = text[start : start + _OPENING_CHARS].split(None, _OPENING_WORDS)[:_OPENING_WORDS]
    if len(words) < _OPENING_WORDS or sum(map(len, words)) < _OPENING_MIN_CHARS:
        return None
    if text.count(words[0], start) < 2:  # the opening cannot come back: nothing to compile
        return None
    opening = re.compile(r"\s+".join(map(re.escape, words)))
    first = opening.search(text, start)
    if first is None:
        return None
    own: list[dt.date] | None = None
    for m in opening.finditer(text, first.end()):
        if not _SIGNED_BEFORE.search(text, max(0, m.start() - _SIGNOFF_REACH), m.start()):
            continue
        if own is None:
            own = _dates_after(text, first.end())
        for a, b in zip(own, _dates_after(text, m.end()), strict=False):
            if a != b:
                if b < a:
                    return m.start()
                break
    return None


def _dates_after(text: str, start: int) -> list[dt.date]:
    """The full dates written in the few lines after `start`."""
    out: list[dt.date] = []
    for d in DATE_RE.finditer(text, start, start + _DATES_REACH):
        day = parse_date_match(d)
        if day is not None:
            out.append(day)
    return out


def _copied_priors(text: str, sections: list[SectionSpan]) -> list[SectionSpan]:
    """Relabel everything inside a copied prior report as "comparison"."""
    return _relabel(sections, _prior_blocks(text), "comparison")


# the sections whose text after a wrapper shows a report below it (an impression alone may
# be a recommendation after a message that is itself the documentation)
_REPORT_BODY = frozenset({"technique", "findings"})


def _wrapping(text: str, sections: list[SectionSpan]) -> list[SectionSpan]:
    """Relabel the wrapping of a forwarded or faxed report (e-mail headers, a forwarding
    sender's note, a fax cover sheet: `nlp.pipeline.wrapper`) as "history": it neither
    shows nor denies any imaging of the report below it (LABELING.md, gold DL)."""

    def body_start(offset: int) -> int | None:
        return min(
            (s.start for s in sections if s.label in _REPORT_BODY and s.start >= offset),
            default=None,
        )

    return _relabel(sections, wrapper_blocks(text, body_start), "history")


def _relabel(
    sections: list[SectionSpan], blocks: list[tuple[int, int]], label: str
) -> list[SectionSpan]:
    """`sections` with everything inside `blocks` cut out and labelled `label`."""
    if not blocks:
        return sections
    cuts = sorted({c for b in blocks for c in b})
    out: list[SectionSpan] = []
    for s in sections:
        bounds = [s.start, *(c for c in cuts if s.start < c < s.end), s.end]
        for a, b in itertools.pairwise(bounds):
            inside = any(bs <= a < be for bs, be in blocks)
            keep_header = a == s.start
            out.append(
                SectionSpan(
                    label if inside else s.label,
                    a,
                    b,
                    s.header_start if keep_header else None,
                    s.header_end if keep_header else None,
                )
            )
    return out


def _separators(text: str) -> list[int]:
    out = [i for i, ch in enumerate(text) if ch == ":" or ch == "="] if ("=" in text) else []
    if not out:
        i = text.find(":")
        while i >= 0:
            out.append(i)
            i = text.find(":", i + 1)
    return out


# a date with its month's name: "March 14, 2024", "Sept. 3 2021", "14 March 2024"
_NAMED_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NAMED_DATE = re.compile(
    rf"\b{_NAMED_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+(?:19|20)\d\d\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_NAMED_MONTH},?[ \t]+(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def _labelled(text: str) -> list[tuple[int, int, str, int]]:
    """Header labels followed by ":" or "=", found by walking back from each separator.

    A label starts after the start of the text, a new line or one of ".,;" (plus spaces),
    begins with a letter (not a date's month), holds only letters, digits, spaces and
    /&#()'- (and the stop and comma of a date with its month's name) and is at most 49
    characters; a colon followed by a digit is a clock time, not a header. Returns
    (label start, end after the separator, label, start of the match).
    """
    out = []
    n = len(text)
    # a date written with its month's name is one qualifier, stop and comma included:
    # "ICTAL STUDY (March 14, 2024):" is labelled like "ICTAL STUDY (03/14/2024):"
    dated = {i for m in opening_finditer(_NAMED_DATE, text) for i in range(m.start(), m.end())}
    for c in _separators(text):
        if text[c] == ":" and c + 1 < n and text[c + 1].isdigit():
            continue
        j = c - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        label_end = j + 1
        while j >= 0 and (text[j] in _LABEL_CHARS or j in dated):
            j -= 1
        while j >= 0 and text[j] == "\t":
            j -= 1
        if j >= 0 and text[j] not in _BOUNDARY:
            continue
        match_start = j + 1
        k = match_start
        while k < label_end and text[k] in " \t":
            k += 1
        raw = text[k:label_end]
        if not raw or not raw[0].isalpha() or len(raw) > 49 or _NAMED_DATE.match(raw):
            continue  # "March 14, 2024:" opens no section, as "03/14/2024:" does not
        out.append((k, c + 1, raw, match_start))
    return out


def _inline_caps(text: str, headers: dict[str, str]) -> list[tuple[int, int, str]]:
    """Known all-caps labels inside a line: "COMPARISON: SPECT/CT 2020 TECHNIQUE: Planar ...".
    Returns (label start, end after the colon, section label)."""
    out = []
    # in a report all in capitals the capitals tell no label: a known label right after a
    # word ("SPOT IMAGES:", "DTPA AEROSOL ACQUISITION:") ends that phrase, it opens no section
    own = own_text(text)
    all_caps = own.upper() == own
    for c in _separators(text):
        if text[c] != ":":
            continue
        j = c - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        end = j + 1
        while j >= 0 and text[j] in _CAPS_CHARS:
            j -= 1
        words = text[j + 1 : end].split()
        for k in range(len(words)):
            raw = " ".join(words[k:])
            start = end - len(raw)
            if len(raw) < 4 or not raw.replace(" ", "").isalpha() or not raw.isupper():
                continue
            if start > 0 and text[start - 1] not in " \t\n":
                continue
            if all_caps and k > 0 and words[k - 1][-1:].isalpha():
                continue
            label = headers.get(_normalise(raw))
            if label is not None:
                out.append((start, c + 1, label))
                break
    return out


# the value of a key line that can stand before the exam title: short, on the key's line
_KEY_VALUE_MAX = 40


def _title_after_keys(text: str, sections: list[SectionSpan]) -> list[SectionSpan]:
    """A report opening with short key lines of unknown labels ("STUDY DATE: 07/14/2016",
    "MRN: 123") and then a line in capitals with no label of its own: that line is the exam
    title, as the first line would be without the keys. A one-line clinical history among
    those keys ("Clinical history: a prior bone scan was negative.") is one more of them:
    it states the question, and the line in capitals under it is still the title."""
    if any(s.label == "header" for s in sections):
        return sections
    # the report's first text (a blanked print stamp or identification lines may stand
    # above it)
    first = own_start(text)
    opening = i = 1 if opening_end(text) else 0
    while (
        i < len(sections)
        and sections[i].label in ("other", "history")
        and sections[i].header_end is not None
        and sections[i].start == (first if i == opening else sections[i - 1].end)
    ):
        s = sections[i]
        nl = text.find("\n", s.header_end, s.end)
        if nl < 0:
            return sections
        value = text[s.header_end : nl].strip()
        # a history in capitals leaves no capitals to tell a title under it
        if len(value) > _KEY_VALUE_MAX if s.label == "other" else value.upper() == value:
            return sections
        line_end = text.find("\n", nl + 1, s.end)
        line_end = s.end if line_end < 0 else line_end
        line = text[nl + 1 : line_end].strip()
        if not line:
            i += 1
            continue
        if (
            len(line) > _TITLE_MAX_CHARS
            or line.upper() != line
            or not any(c.isalpha() for c in line)
        ):
            return sections
        parts = [
            SectionSpan(s.label, s.start, nl, s.header_start, s.header_end),
            SectionSpan("header", nl, line_end),
        ]
        if line_end < s.end:
            parts.append(SectionSpan("other", line_end, s.end))
        return [*sections[:i], *parts, *sections[i + 1 :]]
    return sections


# A sentence that opens with the activity given ("... hypoglycemia. 6.0 mCi In-111
# pentetreotide. Whole body images and SPECT/CT ..."): in a run-on dictation with no
# procedure header, the procedure begins there and the indication before it ends. A dose
# quoted with a year or as an earlier treatment stays in the history.
_DOSE_OPENS = re.compile(
    r"(?<=[.;])[ \t]+(?=\d{1,4}(?:\.\d+)?[ \t]*(?:m?ci|mbq|gbq)\b)", re.IGNORECASE
)
_PAST_DOSE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:prior|previous|previously|earlier|ablation|therapy|treated"
    r"|treatment|cycles?|received|in[ \t]+\d{4})\b",
    re.IGNORECASE,
)


# a key that names only the images read: "Whole body", "WB planar", "SPECT/CT", "Fused
# images", "Planar"
_IMAGES_KEY = re.compile(
    r"(?:(?:whole[ -]?body|wb|spect(?:[ /-]?ct)?|ct|planar|fused|fusion|hybrid|tomographic"
    r"|static|spot|delayed|blood[ -]?pool|flow|images?|views?|imaging|and|&|/)[ \t]*)+",
    re.IGNORECASE,
)


def images_key(text: str, start: int, end: int) -> bool:
    """Does the key at `start:end` (its colon may close it) name only the images read?"""
    return _IMAGES_KEY.fullmatch(text[start:end].rstrip(" \t:=")) is not None


def _findings_subkeys(text: str, sections: list[SectionSpan]) -> list[SectionSpan]:
    """A findings header with nothing after it on its line, then keys of no known label
    that name only the images read ("FINDINGS:" / "Whole body: ..." / "SPECT/CT: intense
    uptake at L5-S1 ..."): the keys divide the findings by the images, and their text is
    findings, not a procedure section of unknown label. A key naming an area ("Thoracic
    spine (SPECT):") may tell the field imaged and stays as it was; a known header ends
    them."""
    out: list[SectionSpan] = []
    under = False
    for s in sections:
        if s.label == "findings" and s.header_end is not None:
            under = not text[s.header_end : s.end].strip()
        elif (
            under
            and s.label == "other"
            and s.header_start is not None
            and s.header_end is not None
            and images_key(text, s.header_start, s.header_end)
        ):
            s = SectionSpan("findings", s.start, s.end, s.header_start, s.header_end)
        elif s.label != "other" or s.header_start is not None or text[s.start : s.end].strip():
            under = False
        out.append(s)
    return out


def _report_body(text: str, sections: list[SectionSpan]) -> list[SectionSpan]:
    """A "Report:" header in a report with no technique section of its own (VistA's
    radiology package prints the whole dictation under it: "Report:" / "TC-99M MDP ... IV.
    WHOLE BODY IMAGES ... SPECT OF THE THORACIC SPINE ..." / "Impression:") heads the
    report's body, the procedure as much as the findings: its text is of no known label
    ("other"), like a body under no header. Where a technique or procedure section stands
    in the report, "Report:" heads the findings after it, as it is labelled; a "Report:"
    key with its value on its line names the exams, like a title."""
    if any(s.label == "technique" for s in sections):
        return sections
    out: list[SectionSpan] = []
    for s in sections:
        if (
            s.label == "findings"
            and s.header_start is not None
            and s.header_end is not None
            and _REPORT_KEY.fullmatch(text, s.header_start, s.header_end) is not None
            # the header alone on its line, the body below it ("REPORT: Ga-67 scan with
            # SPECT/CT; FDG PET/CT" names the exams, a title)
            and not text[s.header_end : _line_end(text, s.header_end)].strip()
        ):
            s = SectionSpan("other", s.start, s.end, s.header_start, s.header_end)
        out.append(s)
    return out


_REPORT_KEY = re.compile(r"report[ \t]*:?[ \t]*", re.IGNORECASE)


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return nl if nl >= 0 else len(text)


def _dose_opens_procedure(text: str, s: SectionSpan) -> int | None:
    """Where a history section's procedure sentence begins (`_DOSE_OPENS`), if it has one."""
    for m in _DOSE_OPENS.finditer(text, s.header_end or s.start, s.end):
        stop = text.find(".", m.end() + 6, s.end)  # past the dose's own decimal point
        sentence = text[m.end() : stop if stop >= 0 else s.end]
        if _PAST_DOSE.search(sentence) is None:
            return m.start()
    return None


def _split_paragraphs(
    text: str, sections: list[SectionSpan], soft: frozenset[int] = frozenset()
) -> list[SectionSpan]:
    """History, comparison and title sections end at their paragraph; a key's value on its
    own line ("Hx: 52 F, gastrinoma?") ends at that line, since the procedure often follows
    on the next line with no header of its own. Not a history's or comparison's, where a
    hard-wrapped export may have put that line end at a sentence end (`soft`) and the next
    section is the technique: the procedure has its own header, so the lines after the
    break are the rest of the history the wrap cut ("History: 35M, focal epilepsy." / "EMU
    admission 04/12-04/19 for ictal SPECT." / blank / "Technique: ..."), read as in the
    report exported whole."""
    out: list[SectionSpan] = []
    for i, s in enumerate(sections):
        if s.label not in _PARAGRAPH_SCOPED:
            out.append(s)
            continue
        if s.label == "history" and s.header_end is not None:
            cut = _dose_opens_procedure(text, s)
            if cut is not None:
                head = SectionSpan(s.label, s.start, cut, s.header_start, s.header_end)
                out.extend(_split_paragraphs(text, [head]))
                out.append(SectionSpan("other", cut, s.end))
                continue
        if s.header_end is not None:
            # "Hx: 52 F, gastrinoma?" on one line, then the procedure on the next line; an
            # "Order: bone scan with SPECT" field, then what happened on the next lines
            nl = text.find("\n", s.header_end, s.end)
            wrapped_on = (
                s.label != "header"  # (a title key's rest may be the procedure)
                and nl in soft
                and i + 1 < len(sections)
                and sections[i + 1].label == "technique"
                and sections[i + 1].start == s.end
            )
            if nl > 0 and text[s.header_end : nl].strip(" \t,:") and not wrapped_on:
                out.append(SectionSpan(s.label, s.start, nl, s.header_start, s.header_end))
                out.append(SectionSpan("other", nl, s.end))
                continue
        m = _PARAGRAPH.search(text, s.header_end or s.start, s.end)
        if m is None:
            out.append(s)
        else:
            out.append(SectionSpan(s.label, s.start, m.start(), s.header_start, s.header_end))
            out.append(SectionSpan("other", m.start(), s.end))
    return out


class SectionIndex:
    """Fast lookup of the section label at a character offset."""

    def __init__(self, sections: list[SectionSpan]) -> None:
        self.sections = sections
        self.starts = [s.start for s in sections]

    def label_at(self, offset: int) -> str:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.sections[i].label if i >= 0 else "other"

    def section_at(self, offset: int) -> SectionSpan | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.sections[i] if i >= 0 else None


@Language.factory("spect_sections", assigns=["doc._.sections"])
def make_section_detector(nlp: Language, name: str) -> SectionDetector:
    return SectionDetector(nlp, name)
