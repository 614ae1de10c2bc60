"""Undo the hard wrap of fixed-width exports, without moving a character.

RIS and transcription exports often break every line at one column (60 to 100
characters), in the middle of sentences and phrases: "SPECT/CT\\nwas not performed",
"the sacroiliac joints, feet and right\\nwrist". Read literally, each break ends a
sentence and splits a phrase. `unwrap` replaces those line breaks, and only those, with a
space: the text keeps its length, so every offset still points into the report as sent.

A break is a wrap when the report's longest line is within the range exports wrap at, the
line before it was filled close to that column and does not end a clause, and the next
line is no list item, header or table row.
"""

from __future__ import annotations

import re
from itertools import pairwise

# hard-wrapped exports break lines at a fixed column, commonly 60 to 100 characters; a
# wrapped line is filled to at least this share of that column
MIN_WIDTH, MAX_WIDTH, FILLED = 40, 100, 0.6
_CLAUSE_END = frozenset(".?!:;")
_NOT_CONTINUED = re.compile(
    r"[-•*·‣◦–—]"  # a bullet
    r"|\(?(?:\d{1,2}|[a-zA-Z])[.)](?:\s|$)"  # "1.", "(2)", "a)"
    r"|[A-Z0-9][A-Za-z0-9 /&()-]{1,40}[:=]"  # a labelled field: "Findings:", "CT= none"
    r"|[A-Z][A-Z /&-]{2,40}$"  # a header line in capitals: "IMPRESSION"
)
# a template row of several fields aligned by runs of spaces: "SPECT: Yes   CT: --"
_FORM_ROW = re.compile(r"\S {3,}[A-Z][A-Za-z0-9/()' -]{0,30}[:=]")
# the same in a report typed all in lower case, where a label's capital cannot tell it:
# there only a known field key starts a field ("ct: [x] not acquired"), since a wrapped
# line may well begin "correction: low-dose ct" or "both feet was performed:"
_CASELESS_KEY = (
    r"(?i:ct|spect(?:/ct|-ct)?|planar|pet(?:/ct)?|whole[- ]body|technique|procedure|findings"
    r"|impression|indication|history|comparison|dose|radiopharmaceutical|exam|protocol"
    r"|views?|acquisition|reconstruction|ventilation|perfusion|addendum)\b[^:.\n]{0,20}[:=]"
)
_NOT_CONTINUED_CASELESS = re.compile(
    r"[-•*·‣◦–—]|\(?(?:\d{1,2}|[a-z])[.)](?:\s|$)|" + _CASELESS_KEY
)
_FORM_ROW_CASELESS = re.compile(r"\S {3,}" + _CASELESS_KEY)


def wrap_width(lines: list[str]) -> int:
    """The column the report's lines are wrapped at (the longest line), or 0 when they
    are paragraphs, longer than exports wrap them, or there is only one line."""
    if len(lines) < 2:
        return 0
    width = max(map(len, lines))
    return width if MIN_WIDTH <= width <= MAX_WIDTH else 0


def unwrap(text: str) -> str:
    """`text` with every hard-wrap line break replaced by a space (same length); `text`
    itself when there is none."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    width = wrap_width(lines)
    if not width:
        return text
    caseless = text.lower() == text or text.upper() == text  # no capital tells a label
    not_continued = _NOT_CONTINUED_CASELESS if caseless else _NOT_CONTINUED
    form_row = _FORM_ROW_CASELESS if caseless else _FORM_ROW
    breaks: list[int] = []
    pos = 0
    for line, following in pairwise(lines):
        pos += len(line)  # the "\n" after `line`
        body = line.rstrip()
        nxt = following.lstrip()
        if (
            len(body) >= width * FILLED
            and body[-1:] not in _CLAUSE_END
            and nxt
            and following[:1] not in " \t"
            and "|" not in body
            and "|" not in nxt
            and form_row.search(body) is None
            and not (body.count(";") >= 2 and nxt.count(";") == body.count(";"))
            and not_continued.match(nxt) is None
        ):
            breaks.append(pos)
        pos += 1
    if not breaks:
        return text
    out = list(text)
    for b in breaks:
        out[b] = " "
    return "".join(out)
