"""The wrapping a report picked up on its way to the coder, read as no documentation.

A report forwarded by e-mail arrives under the header block of each message (From, Sent,
To, Subject) and the note its sender wrote above it ("great news, the SPECT/CT was
negative", "Could you do SPECT next time?"); a faxed report arrives under a cover sheet
whose "RE:" line names what was asked for ("Bone scan w/ SPECT"). That text is the
sender's, not the reading physician's: it neither shows nor denies any imaging, and the
report below it decides (LABELING.md, gold DL: wrapper text is not the report; a
forwarding sender's paraphrase is not documentation). `wrapper_blocks` finds it, so that
the section reader (`nlp.pipeline.sections`) reads it as history, as it reads a copied
prior report as comparison.

Two kinds of wrapping are kept as text of the report:
- the note of a message whose sender is named in the report below it: the reading
  physician (or a technologist of the study) answering a question about what was
  performed is read as an addendum (LABELING.md gold DL, gold BJ);
- a message or cover sheet with no report below it (no technique or findings after it; an
  impression alone may be a recommendation): then the message is the only documentation
  there is ("No images were acquired. Rebooked.").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nlp.pipeline.metadata import line_spans

# an e-mail header line, quoted or not: "From: ...", "> Sent: ...", "Subject: FW: ..."
_HEADER_LINE = re.compile(
    r"[ \t>]*(?P<key>from|sent|date|to|cc|bcc|subject|importance)[ \t]*:(?P<value>.*)",
    re.IGNORECASE,
)
# a line that opens the forwarded text: a separator ("-----Original Message-----",
# "---------- Forwarded message ---------", "Begin forwarded message:", "----- today -----")
_SEPARATOR = re.compile(
    r"[ \t>]*(?:[-=_*~]{3,}.*|.*\b(?:original|forwarded)[ \t]+message\b.*"
    r"|begin[ \t]+forwarded\b.*)",
    re.IGNORECASE,
)
# a labelled field opening a line: "Exam date: ...", "EXAM: ...", "Technique: ..."
_FIELD = re.compile(r"[ \t]*[A-Za-z][A-Za-z'/&()-]*(?:[ \t]+[A-Za-z'/&()-]+){0,3}[ \t]*:[ \t]")
_SENDER_REACH = 2  # lines above a header block where its "From:" may stand
_COVER_REACH = 4  # the first lines, where a fax cover sheet's own first line stands
_MIN_TITLE_LETTERS = 6  # an all-caps line this long is a title ("NM BONE SCAN"), not "IC"
# a fax cover sheet's first line names the fax
_FAX = re.compile(r"\bfax\b", re.IGNORECASE)
# the lines of a cover sheet: its fields, the tick boxes and the notice
_COVER_LINE = re.compile(
    r"[ \t*]*(?:fax\b|to\b|from\b|re\b|attn\b|date\b|pages?\b|number[ \t]+of[ \t]+pages\b"
    r"|subject\b|message\b|cover\b|comments?\b|note\b|phone\b|confidential|urgent\b"
    r"|\[[ xX]?\])",
    re.IGNORECASE,
)


def _header_blocks(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str | None]]:
    """(first line, line after the last, sender) of each e-mail header block: two or more
    header lines in a row, a "Sent:" or "Subject:" among them. The sender is the block's
    "From:", or that of a "From:" line just above it (a line put between them)."""
    out: list[tuple[int, int, str | None]] = []
    i = 0
    while i < len(lines):
        j = i
        keys: dict[str, str] = {}
        while j < len(lines):
            m = _HEADER_LINE.fullmatch(text, *lines[j])
            if m is None:
                break
            keys.setdefault(m.group("key").lower(), m.group("value").strip())
            j += 1
        if j - i >= 2 and ("sent" in keys or "subject" in keys):
            sender = keys.get("from")
            for k in range(max(0, i - _SENDER_REACH), i):
                m = _HEADER_LINE.fullmatch(text, *lines[k])
                if sender is None and m is not None and m.group("key").lower() == "from":
                    sender = m.group("value").strip()
            out.append((i, j, sender))
            i = j
        else:
            i = max(j, i + 1)
    return out


def _opens_report(line: str, capitals_tell: bool) -> bool:
    """Does this line end a sender's note: the next header, a separator, a quoted line, a
    title in capitals (when the text is not all in capitals) or a labelled field?"""
    if _HEADER_LINE.match(line) or _SEPARATOR.fullmatch(line) or line.lstrip().startswith(">"):
        return True
    letters = [c for c in line if c.isalpha()]
    if (
        capitals_tell
        and len(letters) >= _MIN_TITLE_LETTERS
        and not any(c.islower() for c in letters)
    ):
        return True
    return _FIELD.match(line) is not None


def _surname(sender: str) -> str | None:
    """The sender's family name: "Abernathy-Cole, Dana, MD (Cardiology)" -> "Abernathy-Cole",
    "Dana Cole <dc@x.org>" -> "Cole"; None for a name too short to look for."""
    name = re.sub(r"<[^>]*>|\([^)]*\)", " ", sender)
    words = re.findall(r"[A-Za-z][A-Za-z'-]+", name.split(",")[0] if "," in name else name)
    if not words:
        return None
    word = words[0] if "," in name else words[-1]
    return word if len(word) >= 3 else None


def _note_end(text: str, lines: list[tuple[int, int]], first: int) -> int:
    """The index of the line that ends the note starting at line `first`."""
    capitals_tell = any(c.islower() for c in text)
    k = first
    while k < len(lines) and not _opens_report(text[lines[k][0] : lines[k][1]], capitals_tell):
        k += 1
    return k


def _cover_sheet(text: str, lines: list[tuple[int, int]]) -> tuple[int, int] | None:
    """(first line, line after the last) of a fax cover sheet heading the text: from a line
    naming the fax among the first few (identification lines may stand above it), the
    cover's field lines, over one other line between two of them."""
    heads = [k for k in range(min(_COVER_REACH, len(lines))) if _FAX.search(text, *lines[k])]
    if not heads:
        return None
    k = heads[0] + 1
    while k < len(lines) and (
        _COVER_LINE.match(text, *lines[k])
        or (k + 1 < len(lines) and _COVER_LINE.match(text, *lines[k + 1]))
    ):
        k += 1
    return heads[0], k


def wrapper_blocks(text: str, body_start: Callable[[int], int | None]) -> list[tuple[int, int]]:
    """(start, end) of each stretch of wrapper text: the e-mail header blocks with their
    senders' notes and a fax cover sheet, where `body_start(offset)` is where the report's
    technique or findings next begin at or after `offset` (see the module's docstring)."""
    low = text.lower()
    if "sent" not in low and "subject" not in low and "fax" not in low:
        return []
    lines = line_spans(text, 0, len(text))
    stretches: list[tuple[int, int, str | None]] = []
    cover = _cover_sheet(text, lines)
    if cover is not None:
        stretches.append((*cover, None))
    for first, after, sender in _header_blocks(text, lines):
        stretches.append((first, _note_end(text, lines, after), sender))
    if not stretches:
        return []
    wrapped = {k for a, b, _ in stretches for k in range(a, b)}
    # the report's own text: no wrapping and no header line of any message
    rest = " ".join(
        text[s:e]
        for k, (s, e) in enumerate(lines)
        if k not in wrapped and text[s:e].strip() and not _HEADER_LINE.match(text, s, e)
    )
    out = []
    for a, b, from_ in stretches:
        end = lines[b - 1][1]
        body = body_start(end)
        if body is None or (b < len(lines) and body <= lines[b][1]):
            # no report below, or the message's own text runs on into its findings
            # ("Hi all, ... SPECT only - no CT." / "Findings: ..."): the message is the
            # only documentation there is
            continue
        surname = _surname(from_) if from_ else None
        if surname and re.search(rf"\b{re.escape(surname)}\b", rest):
            # the report's own reader (or technologist) writing: the header block is
            # still wrapping, the note is an answer
            end = lines[_header_end(text, lines, a) - 1][1]
        out.append((lines[a][0], end))
    return out


def _header_end(text: str, lines: list[tuple[int, int]], first: int) -> int:
    """The line after the header block starting at line `first`."""
    k = first
    while k < len(lines) and _HEADER_LINE.fullmatch(text, *lines[k]):
        k += 1
    return k
