"""Page headers and footers of a printed or paginated export, read as no text at all.

A report printed over several pages repeats its banner at every page break ("ACME HEALTH
-- NM REPORT -- Page 2 of 3", then the accession row), often in the middle of a sentence:
"SPECT/CT of the cervical spine and" / banner / "of the thoracic spine". Page headers,
footers and banners carry no meaning, and a sentence split by a page break is read joined
(LABELING.md gold U, AW).

`blank_page_furniture` blanks every page banner after the first (the first one heads the
report and may hold its title and date) before the wrap is undone, so the banner neither
sets the wrap column nor is joined into the text; `join_page_gaps` then joins the text on
both sides of a blanked banner when the line before it leaves its sentence open. Both keep
the text's length, so every offset still points into the report as sent.

A banner is found only where the report has two or more page lines of one form ("Page 1
of 3", "Page 2 of 3": the same line but for its numbers), with the rows the export repeats
next to them on at least two pages. A print or fax stamp line ("Printed: 03/14/2025 09:15
Page 1 of 1") is blanked wherever it stands, the first line too: it is an event of the copy,
never the report's title, a section or its date of service (LABELING.md gold L). A page
break is not joined across when the text after it opens a labelled line ("Comparison:").
"""

from __future__ import annotations

import re
from collections import Counter

from nlp.pipeline.offsets import OffsetMap, replace_spans
from nlp.pipeline.prescan import opening_search

# a page number: "Page 2 of 3", "PAGE 2", "Page 2/3", "pg. 2 of 3"
_PAGE = re.compile(r"\b(?:page|pg\.?)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\b", re.IGNORECASE)
_PAGE_LINE_MAX = 160  # a page line is a banner, not a paragraph
_TOP_ROWS = 8  # the rows that head the report
_DIGITS = re.compile(r"\d+")
# a line that closes its sentence or field: the text after a page break starts anew
_CLAUSE_END = frozenset(".?!:;")
# a token a page break split: "SPECT/" + "CT", "whole-" + "body"
_TOKEN_OPEN = frozenset("/-")
# a line that is only a print or fax stamp: its label, a date, and nothing but a clock
# time, a page number or who printed or faxed it ("Printed: 03/14/2025 09:15   Page 1 of
# 1", "Faxed on 2025-03-14 at 10:02 to 555-0100", "Print date: 14-Mar-2025")
_STAMP_DATE = (
    r"(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4}"
    r"|[A-Za-z]{3,9}\.?[ \t]+\d{1,2},?[ \t]+\d{4})"  # "March 6, 2020"
)
_STAMP_TAIL = (
    r"(?:[ \t,;|-]+(?:at[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[ap]\.?m\.?)?"
    r"|[ \t,;|-]+(?:page|pg\.?)[ \t]*\d{1,3}(?:[ \t]*(?:of|/)[ \t]*\d{1,3})?"
    r"|[ \t,;|-]+(?:by|to|from)[ \t]+[\w.'()-]+(?:[ \t]+[\w.'()-]+){0,3})*"
)
_STAMP = re.compile(
    r"[ \t]*(?:(?:re-?)?printed|faxed|print(?:ed)?[ \t]+(?:date|time|dttm|date/time)"
    r"|fax(?:ed)?[ \t]+(?:date|time|sent|dttm))(?:[ \t]+on)?[ \t]*[:#=-]?[ \t]*"
    + _STAMP_DATE
    + _STAMP_TAIL
    + r"[ \t]*",
    re.IGNORECASE,
)
# the text after a page break opening a labelled line: a new field, not the sentence the
# line before left open ("... on 06/03/2022 07:15" / page banner / "Comparison: ...")
_LABEL_OPENS = re.compile(r"[A-Z][A-Za-z]*(?:[ \t]+[A-Za-z]+){0,3}[ \t]*:[ \t]")


# the words a page line may end with on one page and not another: "(continued)" on every
# page but the last, "END OF REPORT" on the last (or a re-wrap's piece of them: "END OF"
# at the line's end, "REPORT" on a line of its own)
_PAGE_TAIL = re.compile(
    r"[ \t(\[*-]*(?<![A-Za-z])(?:continued(?:[ \t]+on[ \t]+next[ \t]+page)?|cont'?d\.?"
    r"|end(?:[ \t]+of(?:[ \t]+report)?)?|report)[ \t)\]*.-]*$",
    re.IGNORECASE,
)


def _page_lines(lines: list[str]) -> list[int]:
    """The indices of the page lines of the report's most common page-line form, when it
    comes two or more times."""
    keys: dict[int, str] = {
        i: _PAGE_TAIL.sub("", _DIGITS.sub("#", line.strip()))
        for i, line in enumerate(lines)
        if len(line.strip()) <= _PAGE_LINE_MAX and _PAGE.search(line)
    }
    if len(keys) < 2:
        return []
    key, n = Counter(keys.values()).most_common(1)[0]
    return sorted(i for i, k in keys.items() if k == key) if n >= 2 else []


# a numbered page of a known count: "Page 2 of 2", "pg. 1/3"
_PAGE_OF = re.compile(r"\b(?:page|pg\.?)\s*(\d{1,3})\s*(?:of|/)\s*(\d{1,3})\b", re.IGNORECASE)


def _page_sequence_lines(lines: list[str], stamps: set[int]) -> list[int]:
    """The indices of the short lines numbering the pages of one count ("Page 1 of 2",
    "Page 2 of 2") when one of them is a print or fax stamp and two or more pages are
    numbered, whatever the form of the other lines.

    A viewer's print puts page 1's number in its footer stamp ("Printed ... by lau_r
    Page 1 of 2") and page 2's in the repeated banner ("WARD, P   MRN ...   Page 2 of 2"):
    one page line of each form, so `_page_lines` finds no common form, yet the stamp shows
    the count is the print's pages, and every line holding it is page furniture
    (LABELING.md gold DL, a portal print's footer and banner between "SPECT/" and "CT").
    Without a stamp, page lines of two forms may be two documents' (another patient's
    "Page 2 of 2"), and stay text."""
    by_count: dict[int, list[tuple[int, int]]] = {}
    for i, line in enumerate(lines):
        if len(line.strip()) > _PAGE_LINE_MAX:
            continue
        m = _PAGE_OF.search(line)
        if m is not None and 1 <= int(m.group(1)) <= int(m.group(2)):
            by_count.setdefault(int(m.group(2)), []).append((int(m.group(1)), i))
    return sorted(
        i
        for rows in by_count.values()
        if len({k for k, _ in rows}) >= 2 and any(i in stamps for _, i in rows)
        for _, i in rows
    )


def _neighbours(lines: list[str], i: int, counts: Counter[str]) -> list[int]:
    """The lines next to page line `i` (above and below, blank lines between) that the
    report repeats word for word elsewhere."""
    out: list[int] = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines):
            row = lines[j].strip()
            if row and counts[row] < 2 and _PAGE_TAIL.fullmatch(row) is None:
                # (a page line's "(continued)" a re-wrap put on a line of its own is the
                # page line's too)
                break
            if row:
                out.append(j)
            j += step
    return out


def _first_rows(lines: list[str]) -> list[str]:
    """The report's first few non-blank rows, stripped."""
    return [row for row in (line.strip() for line in lines) if row][:_TOP_ROWS]


def _stamp_lines(lines: list[str]) -> set[int]:
    """The indices of the lines that are only a print or fax stamp."""
    return {
        i
        for i, line in enumerate(lines)
        if len(line) <= _PAGE_LINE_MAX and _STAMP.fullmatch(line) is not None
    }


def blank_page_furniture(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`text` with every page banner after the first, and every print or fax stamp line,
    blanked with spaces (line ends kept, same length), and the (start, end) of each blanked
    stretch; `(text, ())` when the report has neither."""
    low = text.lower()
    if "\n" not in text or not (opening_search(_PAGE, text, low) or "print" in low or "fax" in low):
        return text, ()
    lines = text.split("\n")
    stamps = _stamp_lines(lines)
    pages = sorted(set(_page_lines(lines)) | set(_page_sequence_lines(lines, stamps)))
    if not pages and not stamps:
        return text, ()
    counts = Counter(line.strip() for line in lines if line.strip())
    near = {i: _neighbours(lines, i, counts) for i in pages}
    # a repeated row is a banner row when it stands by the page line of two pages or more
    by_row = Counter(row for i in pages for row in {lines[j].strip() for j in near[i]})
    # the rows that head the report and come again: a banner repeated after a page line
    # on the one page break of a two-page report
    # (among the report's first lines: a line put above them does not hide them)
    top = {row for row in _first_rows(lines) if counts[row] >= 2}
    furniture = set(pages) | stamps
    for i in pages:
        furniture.update(
            j
            for j in near[i]
            if by_row[lines[j].strip()] >= 2
            or lines[j].strip() in top
            or _PAGE_TAIL.fullmatch(lines[j].strip()) is not None
        )
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    gaps: list[tuple[int, int]] = []
    seen_text = False
    i = 0
    while i < len(lines):
        if i not in furniture:
            seen_text = seen_text or bool(lines[i].strip())
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (j + 1 in furniture or not lines[j + 1].strip()):
            j += 1
        while j > i and not lines[j].strip():  # the blank lines after it are the text's
            j -= 1
        if seen_text:
            gaps.append((starts[i], starts[j] + len(lines[j])))
        else:
            # the first page's banner heads the report: kept, but for its stamp lines
            gaps.extend(
                (starts[k], starts[k] + len(lines[k])) for k in range(i, j + 1) if k in stamps
            )
            seen_text = any(lines[k].strip() for k in range(i, j + 1) if k not in stamps)
        i = j + 1
    if not gaps:
        return text, ()
    out = list(text)
    merged: list[tuple[int, int]] = []
    for start, end in gaps:
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "
        # a stamp line next to the first banner is one blank stretch with it
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return "".join(out), tuple(merged)


def join_page_gaps(text: str, gaps: tuple[tuple[int, int], ...]) -> tuple[str, OffsetMap | None]:
    """`text` with each blanked page banner in `gaps` read as one space when the line
    before it leaves its sentence open, or as nothing when it splits a token ("SPECT/" /
    "CT", "whole-" / "body"), and the map of the shortened offsets. After a clause end the
    banner stays a blank stretch between two lines. `(text, None)` when nothing is joined."""
    spans: list[tuple[int, int, str]] = []
    for start, end in gaps:
        before = len(text[:start].rstrip(" \t\n"))
        after = end
        while after < len(text) and text[after] in " \t\n":
            after += 1
        if not before or after >= len(text) or text[before - 1] in _CLAUSE_END:
            continue  # a footer closing the report, or a sentence already closed
        if _LABEL_OPENS.match(text, after):
            continue  # the text after the break opens a field of its own
        split_token = (
            text[before - 1] in _TOKEN_OPEN
            and before >= 2
            and text[before - 2].isalnum()
            and text[after].isalnum()
        )
        spans.append((before, after, "" if split_token else " "))
    return replace_spans(text, spans)
