"""The sign-off lines a reporting system appends after a report, read as no part of its
layout.

After the last line of the report text, the sign-off system adds lines of its own: the
signature ("Electronically signed by: ... on 03/14/2025"), the dictation stamp, a
voice-recognition disclaimer, the copies ("cc: referring provider"), a critical-result
line ("Critical result: none.") and a "no change" addendum. They say nothing of the study,
and they are not cut at the export's wrap column. `closing_index` finds where they start,
so that they neither set the column the report was wrapped at (`nlp.pipeline.unwrap`) nor
turn a one-line report into a title over a body (`nlp.pipeline.sections`).
"""

from __future__ import annotations

import re

from nlp.pipeline.idlines import opening_end

# a sign-off line, from its start: the signature or dictation stamp, the copies, the
# critical-result line, an addendum that changes nothing
_SIGN_OFF = re.compile(
    r"[ \t>*_-]*(?:"
    r"(?:(?:the\s+)?(?:final\s+)?report\s+)?(?:electronically\s+)?"
    r"(?:signed|verified|authenticated|approved|finali[sz]ed|attested)(?:\s+and\s+\w+)?"
    r"(?:\s+electronically)?\s*(?:by|on|:)"
    r"|electronically\s+signed\b"
    r"|(?:dictated|transcribed|dictating\s+(?:physician|radiologist))\s*(?:by|on|at|:)"
    r"|(?:cc|c\.c\.|copies?\s+to|copy\s+sent\s+to)\s*:"
    r"|critical\s+(?:results?|findings?|values?)\b"
    r"|(?:addendum|amendment)\b[^:\n]{0,40}[:-]\s*no\s+(?:change|changes)\b"
    r")",
    re.IGNORECASE,
)
# a dictation disclaimer, anywhere in its line: "This report was dictated using voice
# recognition software. Unintentional transcription errors may occur."
_DISCLAIMER = re.compile(
    r"\b(?:voice|speech)[ -]recognition\b|\btranscription\s+errors?\b", re.IGNORECASE
)


def is_sign_off(line: str) -> bool:
    """Whether `line` is a sign-off line: a signature, a dictation stamp or disclaimer, the
    copies, a critical-result line or an addendum that changes nothing."""
    if _SIGN_OFF.match(line) is not None:
        return True
    if line.isascii():
        # the disclaimer's words, looked for first: its search tries every offset of the line
        low = line.lower()
        if "recognition" not in low and "transcription" not in low:
            return False
    return _DISCLAIMER.search(line) is not None


def closing_index(lines: list[str]) -> int:
    """The index of the first of the sign-off lines that close `lines` (blank lines between
    them allowed), or `len(lines)` when the report ends with its own text or has no text
    but such lines."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip():
            continue
        if not is_sign_off(lines[i]):
            return start
        start = i
    return len(lines)


def closing_start(text: str) -> int:
    """The offset in `text` where its closing sign-off lines start, or `len(text)`."""
    # `closing_index` over the lines read from the end, without splitting the whole text
    start = len(text)
    end = len(text)
    while True:
        nl = text.rfind("\n", 0, end)
        line = text[nl + 1 : end]
        if line.strip():
            if not is_sign_off(line):
                return start
            start = nl + 1
        if nl < 0:
            return len(text)
        end = nl


def own_text(text: str) -> str:
    """`text` without the sign-off lines that close it: the text whose writing tells the
    report's style (typed all in lower case or in capitals, a terse writer who never
    capitalises after a stop). A disclaimer in sentence case after a report typed in lower
    case does not change how the report was typed, nor do the identification lines a
    report system prints above it (`nlp.pipeline.idlines`)."""
    end = closing_start(text)
    return text[min(opening_end(text), end) : end]
