"""Undo the digit-for-letter confusions of OCR'd paper reports, without moving a character.

Scanned and faxed reports come back from OCR with "0" for "O" and "1" for "l" or "I":
"WH0LE B0DY", "who1e body", "pe1vis", "1umbar", "C0MPARIS0N". Read literally, the terms
that name the study and its fields are missed. `fix_ocr_digits` puts the letter back where
a digit cannot be one:

- inside a word, between letters ("pe1vis", "B0NE", "N0ne");
- at the end of a word of at least three letters ("Hospita1", "IMPRESSI0");
- at the start of a word followed by at least three letters ("1umbar", "0ctreoScan"),
  unless what follows is a unit or an ordinal ("1mCi", "1min", "1st").

Spine levels, grades and stages keep their digits ("L1", "S1", "G1", "N0", "pT2 pN1 M0"),
as do tracers and isotopes ("In111", "Tc-99m", "I-131"). The result has the same length
as the input, so offsets still point into the report as sent.
"""

from __future__ import annotations

import re

# "0"/"1" between letters, or ending a word of three or more letters ("pN1" is a stage)
_INSIDE = re.compile(r"(?<=[A-Za-z])[01]+(?=[A-Za-z])|(?<=[A-Za-z]{3})[01](?![A-Za-z0-9])")
# "0"/"1" starting a word of three or more letters
_START = re.compile(r"(?<![A-Za-z0-9.,/-])[01](?=(?P<rest>[A-Za-z]{3,}))")
# what a number is written against: a unit or an ordinal suffix ("1mCi", "1min", "1st")
_UNIT_OR_ORDINAL = re.compile(
    r"(?i:st|nd|rd|th|mci|mbq|gbq|kbq|mins?|hrs?|hours?|days?|weeks?|ml|mg|mcg|kg|cm|mm|sec)"
)


def _letter(digit: str, neighbours: str) -> str:
    upper = sum(c.isupper() for c in neighbours) > sum(c.islower() for c in neighbours)
    if digit == "0":
        return "O" if upper else "o"
    return "I" if upper else "l"


def fix_ocr_digits(text: str) -> str:
    """`text` with OCR digit-for-letter confusions replaced; `text` itself when none."""
    if "0" not in text and "1" not in text:
        return text
    out: list[str] | None = None
    for m in _INSIDE.finditer(text):
        out = out or list(text)
        neighbours = text[max(0, m.start() - 3) : m.start()] + text[m.end() : m.end() + 3]
        for i in range(m.start(), m.end()):
            out[i] = _letter(text[i], neighbours)
    for m in _START.finditer(text):
        rest = m.group("rest")
        if _UNIT_OR_ORDINAL.match(rest):
            continue
        out = out or list(text)
        out[m.start()] = _letter(text[m.start()], rest[:3])
    return text if out is None else "".join(out)
