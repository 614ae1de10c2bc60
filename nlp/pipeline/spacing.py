"""The whitespace of exported reports, read as the writer meant it.

EHR and RIS exports carry whitespace a typist never sees: non-breaking spaces from HTML
("&nbsp;" turned into U+00A0), Windows line ends ("\\r\\n"), and runs of spaces where a
template aligned its columns or a dictation system padded a word ("whole  body"). spaCy
reads a second space as a token of its own, which splits every multi-word term and cue
("whole-body", "not performed") in two.

- `fix_spaces` keeps the length: every Unicode space separator, tab (a template's gap
  between a field and its value), form feed and vertical tab is a space, a "\\r" before
  "\\n" is a space (the line keeps its end) and a lone "\\r" is a line end.
- `undouble_lines` reads a double-spaced export (every line followed by a blank line) as
  single-spaced: there the blank line is the line end, and a paragraph break is two of
  them. It shortens the text, with an `OffsetMap` back.
- `unquote_lines` keeps the length: the ">" marks an e-mail client puts before each line
  of a forwarded or replied-to report ("> TECHNIQUE", "> > FINDINGS:") are spaces, so
  the quoted report's headers open lines as the writer typed them (LABELING.md gold DL).
- `collapse_spaces` reads a run of spaces as one space (an indented line stays indented,
  by one space; `unwrap` has read the fixed-width layout before). That shortens the
  text, so it comes with an `OffsetMap` back to the report as sent.
"""

from __future__ import annotations

import re

from nlp.pipeline.offsets import OffsetMap, replace_spans

# Unicode space separators other than " " (no-break, en/em, thin, narrow no-break,
# ideographic), tab, form feed and vertical tab
_ODD_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\f\v]")
_RUN = re.compile(r" {2,}")
# a run of line ends (blank lines may hold spaces), and a line end between two written lines
_LINE_RUN = re.compile(r"\n(?:[ \t]*\n)+")
_SINGLE_LINE_END = re.compile(r"[^\s][ \t]*\n[ \t]*[^\s]")
_DOUBLED_MIN_LINES = 3
# the quote marks opening a line of a quoted e-mail: "> ", ">> ", "> > ", after an indent
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
# quoted lines in a row that make a quoted block: one line opening with ">" may be a
# value ("> 50% stenosis" wrapped onto its own line)
_QUOTED_MIN_LINES = 2


def fix_spaces(text: str) -> str:
    """`text` with odd spaces and carriage returns as plain spaces and line ends (same
    length); `text` itself when it has none."""
    if text.isascii() and not any(c in text for c in "\r\f\v\t"):
        return text
    out = _ODD_SPACE.sub(" ", text)
    if "\r" in out:
        out = out.replace("\r\n", " \n").replace("\r", "\n")
    return out


def unquote_lines(text: str) -> str:
    """`text` with the quote marks of each quoted block's lines as spaces (same length): a
    block is `_QUOTED_MIN_LINES` or more lines in a row opening with ">"; `text` itself
    when it has none."""
    if ">" not in text:
        return text
    marks = list(_QUOTE_PREFIX.finditer(text))
    if len(marks) < _QUOTED_MIN_LINES:
        return text
    quoted: list[re.Match[str]] = []
    run: list[re.Match[str]] = []
    for m in marks:
        if run and text.count("\n", run[-1].end(), m.start()) != 1:
            if len(run) >= _QUOTED_MIN_LINES:
                quoted.extend(run)
            run = []
        run.append(m)
    if len(run) >= _QUOTED_MIN_LINES:
        quoted.extend(run)
    if not quoted:
        return text
    out = list(text)
    for m in quoted:
        out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


def collapse_spaces(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with every run of spaces read as one space, and the map
    of the shortened offsets; `(text, None)` when there is no run."""
    if "  " not in text:
        return text, None
    return replace_spans(text, ((m.start(), m.end(), " ") for m in _RUN.finditer(text)))


def double_spaced(text: str) -> bool:
    """Does every line end of `text` come with a blank line (at least three of them)?"""
    if "\n\n" not in text or _SINGLE_LINE_END.search(text):
        return False
    return len(_LINE_RUN.findall(text)) >= _DOUBLED_MIN_LINES


def undouble_lines(text: str) -> tuple[str, OffsetMap | None]:
    """A double-spaced export read as single-spaced: when every line end of `text` comes
    with a blank line (at least three of them), each run of k line ends is read as k // 2.
    `(text, None)` when the text is not double-spaced."""
    if not double_spaced(text):
        return text, None
    runs = list(_LINE_RUN.finditer(text))
    return replace_spans(
        text, ((m.start(), m.end(), "\n" * (m.group(0).count("\n") // 2)) for m in runs)
    )
