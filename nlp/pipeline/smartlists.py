"""EHR SmartList tokens, read as the value chosen or as an unfilled field.

Reports built from EHR templates keep their pick-lists as tokens (LABELING.md, gold DM):

- resolved, `{Label:NNNNN::"value"}` (or several values, `{Label:NNNNN::"a","b"}`): the
  template's field holds the value chosen, so "SPECT/CT: {Blank single:19197::"Not
  performed"}" reads as "SPECT/CT: Not performed", a not-performed statement;
- unresolved, `{Label:NNNNN}` ("SPECT/CT: {YES/NO:20374}"): nobody chose a value, so the
  field is an unfilled placeholder, read as "***" like any other ("SPECT/CT: ***" says
  nothing was done, gold J). A resolved token whose only value is empty is unfilled too.

Read literally, the label ("YES/NO", "Blank single") and the braces become words and
punctuation in the field's value, and the value a reader would see is hidden inside them.
`read_smartlists` drops the braces, label and quotes around a chosen value (so the value
keeps its own offsets) and puts "***" in place of an unresolved token; the text gets
shorter, and an `OffsetMap` maps every offset back to the report as sent.
"""

from __future__ import annotations

import re

from nlp.pipeline.offsets import OffsetMap, replace_spans

# the label (list name) and numeric id of a SmartList: "Blank single:19197", "YES/NO:20374"
_LABEL = r"[^{}:\"\n]{1,80}:[ \t]*\d{2,12}"
# one chosen value in straight or curly quotes
_VALUE = r"[\"\u201c](?P<v>[^\"\u201c\u201d\n]*)[\"\u201d]"
_TOKEN = re.compile(
    rf"\{{[ \t]*{_LABEL}[ \t]*(?:::[ \t]*(?P<values>{_VALUE.replace('?P<v>', '')}"
    rf"(?:[ \t]*,[ \t]*{_VALUE.replace('?P<v>', '')})*)[ \t]*)?\}}"
)
_ONE_VALUE = re.compile(_VALUE)
# what stands for an unfilled field (`nlp.pipeline.context` reads it as a field left unfilled)
UNFILLED = "***"


def read_smartlists(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with its SmartList tokens read (see the module), and the map of the shortened
    offsets; `(text, None)` when there is none."""
    if "{" not in text:
        return text, None
    hits: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        hits += _token_hits(m)
    if not hits:
        return text, None
    return replace_spans(text, hits)


def _token_hits(m: re.Match[str]) -> list[tuple[int, int, str]]:
    """The (start, end, replacement) spans that read one token: the text around each chosen
    value dropped (values joined by ", "), or the whole token as `UNFILLED`."""
    if m.group("values") is None:
        return [(m.start(), m.end(), UNFILLED)]
    base = m.start("values")
    values = [v for v in _ONE_VALUE.finditer(m.group("values")) if v.group("v").strip()]
    if not values:
        return [(m.start(), m.end(), UNFILLED)]
    hits: list[tuple[int, int, str]] = []
    prev, repl = m.start(), ""
    for v in values:
        hits.append((prev, base + v.start("v"), repl))
        prev, repl = base + v.end("v"), ", "
    hits.append((prev, m.end(), ""))
    return hits
