"""Line breaks an export wrote as escape sequences, read as the line breaks they stand for.

A report pasted out of an HL7 v2 message, or out of a JSON or XML wrapper, often keeps the
escapes of that format instead of its line ends (LABELING.md, gold AH):

- HL7 formatting escapes: "\\.br\\" (a line break), "\\.sp\\" or "\\.sp 2\\" (skip lines),
  and the hex escapes of a carriage return or line feed ("\\X0D\\", "\\X0A\\", "\\X0D0A\\");
  in a text that has one of those, also HL7's character escapes ("\\F\\" "|", "\\S\\" "^",
  "\\T\\" "&", "\\R\\" "~", "\\E\\" "\\");
- JSON string escapes: a literal "\\n", "\\r\\n" or "\\r" (a line end), "\\t" (a space),
  "\\/" and '\\"' (the character escaped).

Read literally, the whole report is one line: no header starts a line, so the sections
(technique, history, impression) are lost and every sentence runs into the next one.
`read_escapes` reads each escape as its character; the text gets shorter, and an
`OffsetMap` maps every offset back to the report as sent.
"""

from __future__ import annotations

import re

from nlp.pipeline.offsets import OffsetMap, replace_spans

# HL7 escapes that end a line: "\.br\", "\.sp\", "\.sp 2\", "\X0D\", "\X0A\", "\X0D0A\"
# (in either case: an export that upper-cased the whole message also upper-cased them)
_HL7_BREAK = re.compile(
    r"\\(?:\.br|\.sp(?P<skip>[ \t]*\+?\d{1,2})?|X(?:0[dD]0[aA]|0[dDaA]))\\", re.IGNORECASE
)
# HL7 character escapes, read only in a text that shows HL7 escaping by a line break
_HL7_CHAR = re.compile(r"\\(?P<code>[FSTRE])\\")
_HL7_CHARS = {"F": "|", "S": "^", "T": "&", "R": "~", "E": "\\"}
# JSON string escapes, not after an escaped backslash ("\\n" is a backslash and an "n")
_JSON = re.compile(r"(?<!\\)\\(?:r\\n|[nrt/\"])")
_JSON_CHARS = {"\\r\\n": "\n", "\\n": "\n", "\\r": "\n", "\\t": " ", "\\/": "/", '\\"': '"'}


def read_escapes(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with the export escapes above read as their characters, and the map of the
    shortened offsets; `(text, None)` when there is none."""
    if "\\" not in text:
        return text, None
    hits: list[tuple[int, int, str]] = []
    breaks = list(_HL7_BREAK.finditer(text))
    for m in breaks:
        skip = m.group("skip")
        lines = int(skip.strip(" \t+")) if skip else 1
        hits.append((m.start(), m.end(), "\n" * max(1, min(lines, len(m.group(0)) - 1))))
    if breaks:
        hits += [(m.start(), m.end(), _HL7_CHARS[m["code"]]) for m in _HL7_CHAR.finditer(text)]
    hits += [(m.start(), m.end(), _JSON_CHARS[m.group(0)]) for m in _JSON.finditer(text)]
    if not hits:
        return text, None
    return replace_spans(text, sorted(hits))
