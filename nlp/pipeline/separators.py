"""Line breaks an export flattened into separators, read as the line breaks they stand for.

A data warehouse often exports a report on one line, its line breaks written as " ~ " or
" | " (LABELING.md, gold AH and GCB: such separators are line breaks). Read literally, no
header starts a line, so the sections (technique, history, impression) are lost and
every line runs into the next one.

`read_separators` reads each separator as a line end, but only in a text flattened that
way: one with no or almost no line breaks and several separators of one kind, each with a
space on both sides. " | " counts only on one line: on two or more it borders the cells of
a table. A "~" for "approximately" ("~18 h", "at ~ 3 h") stays as it is, and so does a
"|" between the cells of a table row in an ordinary multi-line report. The text gets
shorter (" ~ " becomes one line end), and an `OffsetMap` maps every offset back to the
report as sent. A report flattened with two spaces for each line break is read the same
way, once its escapes and markup are read (`read_double_spaces`, called by the tokenizer).
"""

from __future__ import annotations

import itertools
import re

from nlp.pipeline.offsets import OffsetMap, replace_spans
from nlp.pipeline.unwrap import wrap_width

# a flattened text has at most this many real line breaks (a header line kept on its own)
MAX_LINE_BREAKS = 2
# ... and at least this many separators of one kind
_MIN_SEPARATORS = 3
# "about" use of a tilde: a number and a unit after it, and before it a word that asks for a
# quantity ("at ~ 3 h", "dose = ~ 20 mCi"); a line that ends in any other word ("CT") and a
# next line that opens with a time ("30 min | Yes") are a separator
_APPROX = re.compile(
    r"(?:\b(?:at|after|about|approx\.?|approximately|around|for|in|of|over|to|within)|=)"
    r"(?P<sep> ~ )\d+(?:\.\d+)?[ -]?(?:h|hrs?|hours?|min|mins|minutes?|days?|weeks?|mci|mbq|gbq|ml"
    r"|mg|kg|cm|mm|%|x)\b",
    re.IGNORECASE,
)


def _spans(text: str, mark: str) -> list[tuple[int, int]]:
    """(start, end) of each " ~ " / " | " separator of `text`, spaces included."""
    sep = f" {mark} "
    out: list[tuple[int, int]] = []
    if text.startswith(f"{mark} "):
        out.append((0, 2))
    i = text.find(sep)
    while i >= 0:
        out.append((i, i + 3))
        i = text.find(sep, i + 3)
    if text.endswith(f" {mark}") and (not out or out[-1][1] < len(text)):
        out.append((len(text) - 2, len(text)))
    return out


def _table(text: str) -> bool:
    """Does " | " stand on more than one line of `text`? Then it borders a table's cells
    (a header row and its rows), not the lines of a flattened export, which is one line
    (with at most a line or two kept whole beside it)."""
    return sum(" | " in line for line in text.split("\n")) > 1


def read_separators(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with the " ~ " or " | " separators of a flattened export read as line ends,
    and the map of the shortened offsets; `(text, None)` when it is not flattened so."""
    if ("~" not in text and "|" not in text) or text.count("\n") > MAX_LINE_BREAKS:
        return text, None
    # one kind of separator: " ~ " where there are several (a " | " inside a line of a
    # text flattened with " ~ " is a table's cell border), else " | "
    approx = {m.start("sep") for m in _APPROX.finditer(text)}
    spans = [s for s in _spans(text, "~") if s[0] not in approx]
    if len(spans) < _MIN_SEPARATORS and not _table(text) and not _double_spaced(text):
        # (a text flattened with two spaces keeps the cell borders of its table, read
        # once its line ends are back: `read_double_spaces`)
        spans = _spans(text, "|")
    if len(spans) < _MIN_SEPARATORS:
        return text, None
    return replace_spans(text, [(start, end, "\n") for start, end in spans])


# Two spaces: the separator that leaves the least trace. Two spaces also follow a
# sentence end in a typist's note ("Normal.  No uptake."), pad a word in a dictated one
# ("whole  body") and align a table's columns, so a text reads as flattened by them only
# when it has several, and at least two of them open what can only be a line of its own:
# a label and its colon ("IMPRESSION:", "Exam date:"), a list item ("1.", "2)", "-"), a
# Markdown heading or bold line. Two spaces before a form's box ("[x] cervical  [ ] lumbar")
# part its options, which read as one line as well as on several.
_DOUBLE = re.compile(r"(?<=\S)  (?=\S)(?!\[[ xX]\])")
_LINE_OPENER = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9/&()'.-]*(?: [A-Za-z0-9/&()'.-]+){0,4}:(?!\d)"
    r"|\d{1,2}[.)] |[-*\u2022] |#|\*\*"
)
_MIN_LINE_OPENERS = 2


# Inside a flattened report a typist's own two spaces still stand in the middle of a
# sentence: after a word that leaves its phrase open ("correlation with  SPECT/CT", "and  on
# 05/23") or inside brackets ("(48  hr)"). No line of the report ended there, so they stay
# spaces, unless the report, read as lines, was hard-wrapped and the two lines would not
# have fitted on one: then the break is the wrap's, read as such (`nlp.pipeline.unwrap`).
# (A word in lower case after them tells nothing: a writer may start a line so, "tech
# 24 mCi ...".)
_OPEN_WORD = re.compile(
    r"(?:^|[\s(])(?:a|an|the|of|at|in|on|with|and|or|to|for|by|from|into|over|than|per|via"
    r"|was|were|is|are)$",
    re.IGNORECASE,
)


def _inside_sentence(text: str, gap: re.Match[str]) -> bool:
    """Does the two-space `gap` of a flattened text stand inside a sentence (see above)?"""
    start, end = gap.start(), gap.end()
    if _LINE_OPENER.match(text, end):
        return False
    before = text[max(0, start - 40) : start]
    if _OPEN_WORD.search(before):
        return True
    # an unclosed bracket before the gap, closed after it on the same stretch of text
    return before.rfind("(") > before.rfind(")") and ")" in text[end : end + 20].split("(")[0]


def read_double_spaces(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with the two-space separators of a report flattened onto one line read as
    line ends, and the map of the shortened offsets; `(text, None)` when it is not
    flattened so. (Runs of three or more spaces are a table's or a form's padding.) Two
    spaces inside a sentence stay as they are, unless the wrap put a line end there (see
    `_inside_sentence`)."""
    if not _double_spaced(text):
        return text, None
    gaps = list(_DOUBLE.finditer(text))
    bounds = [0, *(m.start() for m in gaps), len(text)]
    lines = [text[a:b].strip() for a, b in itertools.pairwise(bounds)]
    width = wrap_width(lines)
    spans: list[tuple[int, int, str]] = []
    line = len(lines[0])  # the length of the line read so far
    for i, m in enumerate(gaps):
        nxt = len(lines[i + 1])
        if _inside_sentence(text, m) and (not width or line + 1 + nxt <= width):
            line += 1 + nxt
            continue
        spans.append((m.start(), m.end(), "\n"))
        line = nxt
    return replace_spans(text, spans)


def _double_spaced(text: str) -> bool:
    """Is `text` a report flattened onto one line with two spaces for its line breaks?"""
    if "  " not in text or text.count("\n") > MAX_LINE_BREAKS:
        return False
    gaps = list(_DOUBLE.finditer(text))
    if len(gaps) < _MIN_SEPARATORS:
        return False
    return sum(bool(_LINE_OPENER.match(text, m.end())) for m in gaps) >= _MIN_LINE_OPENERS
