"""The segments of an HL7 v2 message a report was exported in, read as the report's lines.

An interface export often hands over the report inside the message that carried it: a
header segment ("MSH|^~\\&|RIS|..."), the patient and order segments ("PID|...",
"OBR|1|...|NMBSPCT^NM BONE SPECT/CT FOOT LEFT|..."), then the report text in the value of
one or more result segments ("OBX|1|TX|NMVQ^NM LUNG V/Q||EXAM DATE: ...~HISTORY: ...||||||F").
Read literally, the report's first line is glued to the segment's fields, its last word to
the empty fields and the result status after it ("required.||||||F"), and the lines of a
text value written with HL7's repetition separator run into each other ("normal).~NOTE:").
A second result segment's text ("OBX|2|FT|...||ADDENDUM 03/31/2022: ...") starts no line,
so its header is lost (LABELING.md, gold DD).

`read_segments` reads, in each result segment (OBX, and the NTE note segment):

- the field separator that opens the value as a line end: the value starts a line, and
  the fields before it (set id, value type, observation id) stand on a line of their own;
- the trailing fields after the value (units, ranges, flags, the result status "F") as
  nothing, or as the line end before a segment glued after them;
- a field separator inside the value ("EXAM DATE: 07/07/2022|HISTORY: ...", a writer
  using it for a line end) and the repetition separator ("~") as line ends; a tilde before
  a number ("~18 h") is "about" and stays.

A re-export may change the message's form: its segment ids in lower case ("obx|1|tx|..."),
every line indented, or its long segment lines re-wrapped at a column, the value going on
in lines that start no segment. A segment starts at a line's first character after its
indent, in any case; a line that starts no segment goes on the segment before it when the
break is where a wrap column put it (`nlp.pipeline.unwrap`: the next line's first word
would not have fit), and that line break (with the next line's indent) reads as a space.
A message whose lines are not wrapped, or a result segment closed by its trailing fields
("...||F"), keeps the lines after it as the report's own: a report line that merely holds
a "|" is read as text, not as a segment's fields.

The other segments (MSH, PID, ORC, OBR ...) hold no report text and stay as they are.
`scaffold_spans` finds the segments' own fields (every line of a non-result segment, the
fields before a result segment's value), read as the exam title's (`nlp.pipeline.sections`):
an order title "NM BONE SPECT/CT FOOT LEFT" there names what was ordered, never a second
statement against the technique. Every replacement is one character or none, so the text
gets shorter or keeps its length, and an `OffsetMap` maps every offset back.
"""

from __future__ import annotations

import functools
import re

from nlp.pipeline.offsets import OffsetMap, replace_spans
from nlp.pipeline.prescan import opening_finditer
from nlp.pipeline.unwrap import forced_break, wrap_width

# a segment's start: its three-character id (in any case: a re-export may lower it) and the
# field separator, at a line start or glued after the previous segment's last field or an
# escaped line end (a last field of digits, a timestamp, or of one or two letters after its
# separator, the result status of "||||||FOBX|2|..." where the export lost the line break;
# never inside a word)
_SEGMENT = re.compile(
    r"(?:^|(?<=[^A-Za-z0-9]))(?P<id>(?i:MSH|EVN|PID|PD1|PV[12]|ORC|OBR|OBX|NTE|TXA|NK1|DG1|AL1))\|"
    r"|(?:(?<=[0-9])|(?<=\|[A-Za-z])|(?<=\|[A-Za-z]{2}))(?P<glued>(?i:OBR|OBX|ORC|PID|NTE))\|",
    re.MULTILINE,
)
# where the value of a result segment starts: after so many field separators
_VALUE_FIELD = {"OBX": 5, "NTE": 3}
# a trailing field after the value: empty, or a short code (a unit, a flag, the result
# status "F", a timestamp), no words; an escaped line end may follow them ("||F\\.br\\")
_TRAILING = re.compile(r"(?:\|[^|\s\\]{0,24})+(?=(?:\\[^\\\s]{1,8}\\)*\Z)")
# a tilde meaning "about": after a space or a bracket and before a number ("at ~18 h",
# "(~ 3 h)"); a tilde right after a word or a stop ends a line, even before a list number
# ("IMPRESSION:~1. ...")
_APPROX_AFTER = re.compile(r"[ \t]?\d")
_APPROX_BEFORE = frozenset(" \t(=")


def _segments(text: str) -> list[tuple[str, int, int]]:
    """(id, start, end) of each segment of `text`: to the next segment or the end of its
    line, or of the last line a wrap made it go on in (`_line_end`)."""
    starts = [
        ((m.group("id") or m.group("glued")).upper(), m.start())
        for m in opening_finditer(_SEGMENT, text)
    ]
    width = _width(text)
    out: list[tuple[str, int, int]] = []
    for i, (sid, start) in enumerate(starts):
        end = _line_end(text, sid, start, width)
        if i + 1 < len(starts):
            end = min(end, starts[i + 1][1])
        out.append((sid, start, end))
    return out


def _width(text: str) -> int:
    """The column the lines of `text` are wrapped at, 0 when they are not (`wrap_width`)."""
    return wrap_width(text.split("\n")) if "\n" in text else 0


def _line_end(text: str, sid: str, start: int, width: int) -> int:
    """The end of the segment `sid` whose line holds `start`, over the lines a wrap at
    `width` made it go on in: a line of text that starts no segment, whose first word would
    not have fit on the line before it. A result segment's line that ends in its trailing
    fields ("...||F") ends the segment: a line after it is the report's own."""
    seg_start = start
    while True:
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        if not width or _closed(text, sid, seg_start, nl):
            return nl
        line = text[text.rfind("\n", 0, nl) + 1 : nl]
        after = _indent_end(text, nl + 1)
        nxt_end = text.find("\n", after)
        nxt = text[after : nxt_end if nxt_end >= 0 else len(text)].rstrip()
        if not nxt or _starts_segment(text, after) or not forced_break(line.rstrip(), nxt, width):
            return nl
        start = after


def _closed(text: str, sid: str, start: int, end: int) -> bool:
    """Does the result segment `sid` at `start` end in its trailing fields at `end`: two
    field separators or more after its value ("||F", "||||||F"), no text's own "|"?"""
    opens = _value_start(text, sid, start, end)
    if opens is None:
        return False
    tail = _TRAILING.search(text, opens + 1, end)
    return tail is not None and tail.group().count("|") >= 2


def _indent_end(text: str, pos: int) -> int:
    """The end of the indent (spaces, tabs) of the line that starts at `pos`."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _starts_segment(text: str, pos: int) -> bool:
    """Does a segment start at `pos` (a line's first character after its indent)?"""
    m = _SEGMENT.match(text, pos)
    return m is not None and m.group("id") is not None


def _wrap_breaks(text: str, segs: tuple[tuple[str, int, int], ...]) -> list[tuple[int, int]]:
    """(start, end) of each line break inside a segment, with the indent after it: a wrap."""
    out = []
    for _, start, end in segs:
        nl = text.find("\n", start, end)
        while nl >= 0:
            after = _indent_end(text, nl + 1)
            out.append((nl, after))
            nl = text.find("\n", after, end)
    return out


def _value_start(text: str, sid: str, start: int, end: int) -> int | None:
    """The offset of the field separator that opens a result segment's value, or None."""
    n = _VALUE_FIELD.get(sid)
    if n is None:
        return None
    pos = start
    for _ in range(n):
        pos = text.find("|", pos, end)
        if pos < 0:
            return None
        pos += 1
    return pos - 1


@functools.lru_cache(maxsize=16)
def _message(text: str) -> tuple[tuple[str, int, int], ...]:
    """The segments of `text` when it holds an HL7 message (a header segment, or a
    result segment at a line start), else none."""
    if "|" not in text:
        return ()
    segs = _segments(text)
    if not any(
        sid == "MSH"
        or (sid in _VALUE_FIELD and not text[text.rfind("\n", 0, s) + 1 : s].strip(" \t"))
        for sid, s, _ in segs
    ):
        return ()
    return tuple(segs)


def read_segments(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with the separators of its HL7 result segments read (see the module), and
    the map of the shortened offsets; `(text, None)` when it holds no HL7 message."""
    segs = _message(text)
    if not segs:
        return text, None
    hits: list[tuple[int, int, str]] = [(nl, after, " ") for nl, after in _wrap_breaks(text, segs)]
    for sid, start, end in segs:
        opens = _value_start(text, sid, start, end)
        if opens is None:
            continue
        hits.append((opens, opens + 1, "\n"))
        value_end = end
        tail = _TRAILING.search(text, opens + 1, end)
        if tail is not None:
            value_end = tail.start()
            glued = tail.end() == end < len(text) and text[end] != "\n"
            hits.append((tail.start(), tail.end(), "\n" if glued else ""))
        for i in range(opens + 1, value_end):
            ch = text[i]
            if ch == "|" or (ch == "~" and not _approx(text, i)):
                hits.append((i, i + 1, "\n"))
    return replace_spans(text, sorted(hits))


def _approx(text: str, i: int) -> bool:
    """Is the tilde at `i` "about" (see `_APPROX_AFTER`)?"""
    return text[i - 1 : i] in _APPROX_BEFORE and _APPROX_AFTER.match(text, i + 1) is not None


def scaffold_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the segments' own fields in `text` as read by `read_segments`:
    every line opened by a segment that is no result segment's value (see the module)."""
    if not _message(text):
        return ()
    out: list[tuple[int, int]] = []
    for m in opening_finditer(_SEGMENT, text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.group("glued") is None and text[line_start : m.start()].strip():
            continue  # a segment id inside a line of text
        if out and out[-1][1] > m.start():
            continue
        nl = text.find("\n", m.start())
        out.append((line_start, nl if nl >= 0 else len(text)))
    return tuple(out)
