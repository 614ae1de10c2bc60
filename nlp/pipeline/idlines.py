"""The identification lines a report system puts above a report, read as no part of its
layout.

Above the exam title, a report system often prints who the report is for and how the
study was ordered: the patient's name, date of birth, record number and sex ("Patient:
DOE, JANE A   DOB: 04/05/1950   MRN: 00412399   Sex: F"), the accession and account
numbers, the ordering or referring physician and the patient's location ("Accession:
NM-88213   Ordering physician: Patel, Anil MD"). They are real content of the report, so
they stay in the text, but they are never its title, never a section that changes how its
layout is read, and a date of birth is never the date of service (`nlp.pipeline.timing`).
`opening_end` finds where the report's own first line starts below them, so that the
title readers (`nlp.pipeline.sections`, `nlp.pipeline.facts`) and the wrap reader
(`nlp.pipeline.unwrap`) start there.

A line counts when every field on it is such a key with its value, and the lines together
hold at least one key that only identification uses (a date of birth, a record, accession
or account number, an ordering or referring physician): "Location: left hip" or
"Patient: 67F, back pain" alone are no identification. The date of service may stand
among them. A line that holds any other field ("Exam: NM bone SPECT/CT  Date:
03/02/2021") is the report's own first line.
"""

from __future__ import annotations

import functools
import re

# keys that only identify the patient or the order
_STRONG = (
    r"d\.?o\.?b\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date"
    r"|mrn|m\.?r\.?n\.?|medical[ \t]+record(?:[ \t]+(?:number|no\.?|#))?"
    r"|(?:patient|pt\.?)[ \t]+(?:id|number|no\.?|#)"
    r"|accession(?:[ \t]+(?:number|no\.?|#))?|acc(?:ession)?[ \t]*(?:#|no\.?)"
    r"|acc(?:oun)?t\.?(?:[ \t]+(?:number|no\.?|#))?|fin|csn"
    r"|encounter(?:[ \t]+(?:number|no\.?|#|id))?"
    r"|visit[ \t]+(?:number|no\.?|#|id)|order[ \t]+(?:number|no\.?|#|id)"
    r"|(?:ordering|referring|requesting)[ \t]+(?:physician|provider|doctor|clinician|md|dr\.?)"
)
# keys that identify only beside one of those: a name, the sex, the age, the location
_WEAK = (
    r"(?:patient|pt\.?)(?:[ \t]+name)?|name|sex|gender|age|(?:patient[ \t]+)?location"
    r"|ward|room|bed|unit|attending(?:[ \t]+physician)?|pcp"
)
# the date of service may stand among them ("MRN: 00412399   Exam date: 03/02/2021"): a
# field of the banner, read as the date of service (`nlp.pipeline.timing.find_dos`)
_DATE = r"(?:exam|study|service|procedure)[ \t]+date|date(?:[ \t]+of[ \t]+service)?|dos"
_KEY = re.compile(
    r"(?:^|(?<=[\s|;,*>-]))(?P<key>" + _STRONG + r"|" + _WEAK + r"|" + _DATE + r")"
    r"[ \t]*[:#=][ \t]*",
    re.IGNORECASE,
)
_STRONG_KEY = re.compile(r"(?:" + _STRONG + r")\Z", re.IGNORECASE)
# a field's label inside a value: "... Exam: NM bone SPECT" (a colon before a digit is a
# clock time, "09:30")
_OTHER_LABEL = re.compile(r"(?:^|(?<=\s))[A-Za-z][A-Za-z /&()'-]{0,40}?[ \t]*[:=](?![0-9])")


def _fields(line: str) -> list[str] | None:
    """The keys of `line` when it is only identification fields (key, separator, value),
    else None."""
    lead = len(line) - len(line.lstrip(" \t|-*>"))
    if _KEY.match(line, lead) is None:
        return None
    keys = list(_KEY.finditer(line, lead))
    for k, nxt in zip(keys, [*keys[1:], None], strict=True):
        value = line[k.end() : nxt.start() if nxt is not None else len(line)]
        if not value.strip(" \t|;,") or _OTHER_LABEL.search(value):
            return None
    return [k.group("key") for k in keys]


@functools.lru_cache(maxsize=16)
def opening_end(text: str) -> int:
    """The offset of the first line of `text` below the identification lines that open it
    (blank lines between them allowed), or 0 when it opens with a line of its own."""
    pos = 0
    end = 0
    strong = False
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = nl if nl >= 0 else len(text)
        line = text[pos:line_end]
        if line.strip():
            keys = _fields(line)
            if keys is None:
                break
            strong = strong or any(_STRONG_KEY.match(k) for k in keys)
            end = nl + 1 if nl >= 0 else len(text)
        if nl < 0:
            break
        pos = nl + 1
    return end if strong else 0


def own_start(text: str) -> int:
    """The offset of the report's own first text: below the identification lines and any
    blank lines (a blanked print stamp) above it."""
    top = opening_end(text)
    return len(text) - len(text[top:].lstrip())
