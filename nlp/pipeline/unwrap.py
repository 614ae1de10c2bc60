"""Undo the hard wrap of fixed-width exports, without moving a character.

RIS and transcription exports often break every line at one column (60 to 100
characters), in the middle of sentences and phrases: "SPECT/CT\\nwas not performed",
"the sacroiliac joints, feet and right\\nwrist". Read literally, each break ends a
sentence and splits a phrase. `unwrap` replaces those line breaks, and only those, with a
space: the text keeps its length, so every offset still points into the report as sent.

A break is a wrap when the report's longest line is within the range exports wrap at, the
line before it was filled close to that column, the next line's first word would not have
fit on it (or the next line goes on in lower case), the line does not end a clause, and the
next line is no list item, field, header or table row. An indent common to every line is
the export's margin; a line indented no deeper than the line before it (a body indented as
a whole under a header at the margin), or at the column of a list item's text, goes on
like prose. A line wrapped again at a narrower column leaves a short rest that goes on into
the next line; a phrase left open (an unclosed bracket, a dangling dash, a bed's label cut
from its number) goes on whatever the next line starts with; a pipe-table row cut by the
wrap goes on in a line that starts no new row. The lines of a pipe or box table are rows
again where their "|" add up, run by run, to the table's columns (its border's "+", its
delimiter row's "|"), and the last cell of a row aligned by spaces goes on in its
lower-case rest, or in a rest of any case between two rows that line up or under a row the
wrap cut alike. A report wrapped twice (at ~95 columns, then again at 72) has the wider
wrap's breaks undone too, where the runs the narrower wrap made show that column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from nlp.pipeline.idlines import opening_end
from nlp.pipeline.ocr import caps_words
from nlp.pipeline.offsets import OffsetMap, replace_spans
from nlp.pipeline.signoff import closing_index, own_text

# hard-wrapped exports break lines at a fixed column, commonly 60 to 100 characters; a
# wrapped line is filled to at least this share of that column
MIN_WIDTH, MAX_WIDTH, FILLED = 40, 100, 0.6
_CLAUSE_END = frozenset(".?!:;")
# a line that leaves its phrase open: a dangling dash, slash, plus or ampersand ("(reduced
# dose) -" / "SPECT"), after which the next line is no header or field of its own
_OPEN_END = ("-", "/", "+", "&", ",")
_BULLET_CHARS = "•*·‣◦–—"
_BULLETS = frozenset(_BULLET_CHARS)
# a list item opening a line: a bullet, or "1. ...", "(2) ...", "a) ..." (a number alone on
# the line, "41.", ends a sentence); a lower-case "o" set apart is a typed bullet ("o CT 130
# kVp, ..."), no word of a sentence going on
_LIST_ITEM = r"[-" + _BULLET_CHARS + r"]|\(?(?:\d{1,2}|[a-zA-Z])[.)]\s+\S|o[ \t]+\S"
_LIST_START = re.compile(_LIST_ITEM)
_NOT_CONTINUED = re.compile(
    _LIST_ITEM +
    # a labelled field: "Findings:", "CT= none" (a colon before a digit is a clock time:
    # "July at 15:10")
    r"|[A-Z0-9][A-Za-z0-9 /&()-]{1,40}(?:\.{2,})?(?::(?!\d)|=)"
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
    r"|views?|acquisition|reconstruction|ventilation|perfusion|addendum"
    # an export's header fields: "result status:", "imaging date:", "collected/injected:"
    r"|result|status|accession|mrn|dob|date|imaging|collected|injected|ordered)\b[^:.\n]{0,20}"
    # dot leaders before the colon: "exam date..: 06/02/2021"
    r"(?:\.{2,})?[:=]"
)
_NOT_CONTINUED_CASELESS = re.compile(_LIST_ITEM + "|" + _CASELESS_KEY)
# a worksheet row closed by its tick box after a dot leader: "Neck spot ........ [X]". The
# box ends the row, so no wrap goes on from it, and a line that is such a row whole is a
# row of its own, not the rest of the line before it.
_LEADER_BOX_ROW = re.compile(
    r"[ \t]*[^\s.][^\n]*?\.{3,}[ \t]*(?:[\[(][ \t]*[xX\u2713\u2714*]?[ \t]*[\])]|[\u2610-\u2612])$"
)
_FORM_ROW_CASELESS = re.compile(r"\S {3,}" + _CASELESS_KEY)
# a synoptic template's row of a short label and its tick-box options, with no colon:
# "SPECT [X] Yes [ ] No". A row of its own, not the rest of the field line before it
# ("Imaging time points: 24 h, 96 h (not done)" filled to the column), in any case
_BOX_OPTIONS_ROW = re.compile(
    r"[A-Za-z][A-Za-z0-9 /&()'-]{0,30}?[ \t]\[[ xX\u2713\u2714]?\][ \t]*[A-Za-z]+[ \t]+"
    r"\[[ xX\u2713\u2714]?\]"
)
# a worksheet row of a key, a dot leader and a short value: "SPECT/CT .......... Yes". Two
# such rows in a row are two rows of the sheet, however their indent lines up
_LEADER_ROW = re.compile(r"[ \t]*[^\s.][^\n]*?\.{3,}[ \t]*[^\s.][^\n]{0,24}$")


def wrap_width(lines: list[str]) -> int:
    """The column the report's lines are wrapped at (the longest line of text), or 0 when
    they are paragraphs, longer than exports wrap them, or there is only one line.

    Rule lines ("=====") and rows of fields aligned by runs of spaces (a banner, "Page 1
    of 1      Dictated: ...") are drawn to the page's width, not wrapped, a VistA case line
    ("(Case 1131 COMPLETE) Proc: NM ...") is printed whole from the case record however long
    the exam's name, and a line of one word longer than the column cannot be wrapped: where
    there is text besides them, they do not tell the column the text was wrapped at."""
    if len(lines) < 2:
        return 0
    # a line of one word longer than the column (an HL7 MSH segment, a URL) cannot be
    # wrapped: the export left it whole, so it does not tell the column either
    text = [
        len(x.rstrip())
        for x in lines
        if not _RULE.match(x)
        and not _SPACED.search(x)
        and not _CASE_LINE.match(x)
        and " " in x.strip()
    ]
    width = max(text) if text and max(text) >= MIN_WIDTH else max(map(len, lines))
    return width if MIN_WIDTH <= width <= MAX_WIDTH else 0


def _appended_line(raw: list[str], closing: int) -> int:
    """Where the report's own lines end, before the sign-off lines at `closing`: at a last
    paragraph of one line longer than the column the lines before it are wrapped at (a
    recommendation typed under the export, after a blank line). The export cut every line
    it wrote at its column, so that line was added after it, like the sign-off lines."""
    last = closing - 1
    while last >= 0 and not raw[last].strip():
        last -= 1
    if last < 2 or raw[last - 1].strip():
        return closing
    width = wrap_width([x.strip() for x in raw[:last]])
    return last if width and len(raw[last].strip()) > width else closing


# VistA radiology's case line: the case number and its status in brackets, then the exam
# ("(Case 1131 COMPLETE) Proc: NM RADIOPHARM LOCALIZATION SPECT-CT MULTI AREA + WB")
_CASE_LINE = re.compile(r"[ \t]*\(Case[ \t]+\d[\d-]*(?:[ \t]+[A-Z]+)*\)", re.IGNORECASE)
# a rule line: one character repeated ("=====", "-----", "_____")
_RULE = re.compile(r"\s*([=_*~#-])\1{9,}\s*$")
# fields set apart by a run of spaces: "MRN: H0771236   DOB: 04/27/1960"
_SPACED = re.compile(r"\S {3,}\S")


def unwrap(text: str) -> str:
    """`text` with every hard-wrap line break replaced by a space (same length); `text`
    itself when there is none."""
    return read_wrapped(text)[0]


def read_wrapped(text: str) -> tuple[str, tuple[int, ...]]:
    """`unwrap(text)`, and the offsets of the line breaks that stay but that the wrap column
    may have put there: a line filled to the column ends a sentence, and the next line's
    first word would not have fit on it ("... EMU admission." / "The plan was ..."). The
    sentence ends there either way; only whether a line starts there is in doubt. The
    sections take no label at such a break for a line's own (`nlp.pipeline.sections`).

    A line filled to the column that ends in a colon where the next word would not have
    fit, and goes on in lower case or with a number ("At each time point:" / "anterior
    and posterior ..."), is joined too, but only in a report whose other lines show the
    wrap: a writer may end a line with such a colon, and one break is no sign of a wrap."""
    if "\n" not in text:
        return text, ()
    raw = text.split("\n")
    # the sign-off lines after the report (a signature, a dictation disclaimer) are added
    # after the export: they keep no margin, are not cut at its column, and nothing goes
    # on into them
    closing = _appended_line(raw, closing_index(raw))
    # so are the identification lines above it ("Patient: ...   MRN: ..."): the report
    # system prints them, and nothing goes on from them
    opening = min(text.count("\n", 0, opening_end(text)), closing)
    # an export that indents every line, or numbers it ("0009 left wrist and hand"): the
    # common indent or the line numbers are the margin, not layout
    margin = _numbered_margin(raw[opening:closing]) or min(
        (len(x) - len(x.lstrip(" \t")) for x in raw[opening:closing] if x.strip()), default=0
    )
    lines = [x[margin:] if x.strip() else x.strip(" \t") for x in raw]
    width = wrap_width(lines[opening:closing])
    if not width:
        return text, ()
    own = own_text(text)
    caseless = own.lower() == own or own.upper() == own  # no capital tells a label
    not_continued = _NOT_CONTINUED_CASELESS if caseless else _NOT_CONTINUED
    form_row = _FORM_ROW_CASELESS if caseless else _FORM_ROW
    breaks: list[int] = []
    # breaks at a colon the wrap column forced, joined when other lines show the wrap
    colons: list[int] = []
    soft: list[int] = []
    pos = 0
    # A line wrapped again at a narrower column leaves a short rest on a line of its own
    # ("Planar whole" / "body images ..." at 72 columns: "Planar" / "whole" / "body images
    # ..."): `tail` marks a line whose line before was wrapped into it. Such a short line
    # goes on into a filled next line that carries on the sentence.
    tail = False
    prev_columns = False  # the line before was a row of aligned columns
    cut_row = -9  # the last row of aligned columns whose rest the wrap cut onto the next line
    pipes = 0  # the field separators of the pipe table's header row (0: no table)
    # the first line of the run of wrapped lines `own` goes on from: its indent and list
    # marker, not those of a rest the wrap left at the margin, tell where the text goes on
    head = ""
    run = ""  # the text of that run, up to `own`
    # a report wrapped twice (an export wrapped at ~95 columns, re-wrapped at 72): the lines
    # that are the rest of a line the narrower wrap cut, where it did not cut again (by
    # index), and those rests followed by a line of text the narrower wrap cut again, where
    # the wider wrap may have broken too
    rests: set[int] = set()
    rewrapped: list[tuple[int, int]] = []
    for i, (line, own, nxt_own) in enumerate(zip(raw, lines, lines[1:], strict=False)):
        head = head if breaks and breaks[-1] == pos - 1 else own
        run = run + " " + own if breaks and breaks[-1] == pos - 1 else own
        if i + 1 >= closing:
            break
        pos += len(line)  # the "\n" after `line`
        if i < opening:
            pos += 1
            continue
        body = own.rstrip()
        nxt = nxt_own.lstrip()
        filled = len(body) >= width * FILLED
        forced = forced_break(body, nxt, width)
        columns = _COLUMNS.search(body) is not None
        # a phrase left open (an unclosed bracket, a dangling dash) goes on in the next
        # line whatever it starts with: "(planned activity 1.6" / "GBq):", "(Thu" / "06/24):"
        open_phrase = (
            body.count("(") > body.count(")")
            or body.endswith(_OPEN_END)
            or _DANGLING.search(body) is not None
            # (in capitals: "... FOLLOWED BY SPECT/CT OF THE NECK AND" / "CHEST")
            or (_caps(body) and _DANGLING.search(body.lower()) is not None)
            or _label_cut(body, nxt)
        )
        # a dash the wrap put at the line start: "... of the abdomen" / "-- correction: ..."
        dash = nxt.startswith(_DASHES) and not body.startswith(nxt[:2])
        # a title in capitals wrapped into a second line: "... QUANTITATIVE SPECT OF THE" /
        # "LUMBAR SPINE"
        title = i == opening and not caseless and body.isupper() and nxt.isupper()
        starts_anew = (
            (
                not_continued.match(nxt) is not None
                # a rest in capitals the wrap cut from a line in capitals, ending on a word
                # that leaves its phrase open, is no header line: "... ANTERIOR" / "AND" /
                # "   POSTERIOR VIEWS ..." ("IMPRESSION" ends on no article or conjunction)
                and not (forced and _caps(body) and _caps_rest(nxt))
                and not (
                    forced
                    and (((open_phrase or title) and nxt[:1] not in _BULLETS) or dash)
                    and not body.endswith(tuple(_CLAUSE_END))
                )
            )
            or (_LEADER_BOX_ROW.match(nxt) or _BOX_OPTIONS_ROW.match(nxt)) is not None
        )
        if "|" in body:
            # a table row the export wrapped: its cells go on in a line of no new row, as
            # long as the cells add up to no more than the header row's (the first row,
            # whole by its nature); a line of two fields split by one "|" goes on like prose
            first_row = not pipes
            pipes = pipes or body.count("|")
            joined = (
                forced
                and nxt[:1] != "|"
                and (
                    (filled and body.count("|") == 1 and nxt.count("|") <= 1)
                    # a header row cut before its last cell: the rest, a word or two,
                    # holds no "|", and the row after it has as many as the header
                    or (
                        "|" not in nxt
                        and len(nxt.split()) <= 2
                        and i + 2 < len(lines)
                        and lines[i + 2].count("|") == body.count("|") > 1
                    )
                    if first_row
                    else body.count("|") + nxt.count("|") <= pipes and nxt.count("|") < pipes
                )
                and not starts_anew
            )
        else:
            pipes = pipes if body else 0
            # a clause ends at ".?!:"; a ";" only where the writer ended the line, not
            # where the wrap column fell
            ends_clause = body[-1:] in _CLAUSE_END and not (body.endswith(";") and forced)
            joined = (
                (
                    (filled and (forced or caseless or nxt[:1].islower()))
                    # a filled line left open on a preposition or an article goes on into a
                    # number, wherever the column fell: "... at 4 hours on 08/14/2023, at" /
                    # "24 hours on 08/15/2023" (no writer ends a line on "at")
                    or (filled and nxt[:1].isdigit() and _DANGLING.search(body) is not None)
                    or (tail and len(nxt) >= width * FILLED and _goes_on(nxt, caseless))
                    # the short rest of a wrapped line that leaves its phrase open goes on
                    # into the next line, however short: "... instead of" / "SPECT." (or a
                    # bed's label the number opening the next line belongs to)
                    or (tail and _DANGLING.search(body) is not None)
                    or (tail and _label_cut(body, nxt, number=True))
                    # (in capitals: "... ANTERIOR" / "AND" / "   POSTERIOR VIEWS ...")
                    or (tail and _caps_rest(body) and _caps(nxt))
                    # a rest inside a bracket its run opened: "(A WHOLE BODY" / "SCAN" /
                    # "   WOULD BE NEEDED ...)"
                    or (tail and run.count("(") > run.count(")") and ")" in nxt)
                    # and so does one cut after a comma, going on in lower case: "... of the
                    # chest," / "abdomen and pelvis."
                    or (tail and body.endswith(",") and _goes_on(nxt, caseless))
                    # a "No" the wrap left alone on a line goes on into the words it
                    # denies: "... 3 h post injection." / "No" / "planar whole body."
                    or (tail and body.lower() == "no" and nxt[:1].islower())
                )
                and not ends_clause
                and _prose_lines(body, nxt, nxt_own, head)
                and form_row.search(body) is None
                and _LEADER_BOX_ROW.match(body) is None
                and not (_LEADER_ROW.match(body) and _LEADER_ROW.match(nxt))
                and not _aligned(body, nxt_own)
                and not (columns and prev_columns)
                and not (body.count(";") >= 2 and nxt.count(";") == body.count(";"))
                and not starts_anew
            )
            if cut_row == i - 1 and _COLUMNS.search(nxt_own) is not None:
                # the rest of a cut row ("(motion)") goes on into no next row of the table
                joined = False
            # a row of aligned fields cut after its last label: "aerosol      Acquisition:" /
            # "[x] SPECT  [ ] planar" (the value of the label, not a list of its own)
            joined = joined or (
                filled
                and forced
                and body.endswith(":")
                and form_row.search(body) is not None
                and _CHECKBOX.match(nxt) is not None
                and "|" not in nxt
            )
            # a row of a table aligned by runs of spaces, under another row, whose last
            # cell the wrap cut: "3   --   thoracic spine   SPECT/CT   --   not" /
            # "acquired (scanner time)" (the rest goes on in lower case and holds no cells;
            # a table's last row is not wrapped into the writer's next line). A rest between
            # two rows that line up goes on whatever it starts with ("Liver segment 7   31
            # x 26 mm   4" / "SUVmax 24" / "Liver segment 4a   14 x 12 mm   3"): no writer
            # puts a line of their own inside a table. Its first word need not have fitted
            # one space after the row: it stood a run of spaces further, in its column
            between = (
                columns
                and i + 2 < closing
                and _COLUMNS.search(lines[i + 2]) is not None
                and _aligned(body, lines[i + 2])
            )
            # so does the last row's, where the row above was cut too (its rest at the
            # line between): the wrap cut the table's rows at that column, not the writer
            # ("... 3" / "SUVmax 15" / "Impression: ..."; a sentence is the writer's line)
            cut_above = columns and cut_row == i - 2 and bool(nxt) and nxt[-1:] not in _SENTENCE_END
            aligned_rest = (
                columns
                and (prev_columns or between or cut_above)
                and filled
                and (forced or between or cut_above)
                and ((_goes_on(nxt, caseless) and nxt[:1].isalpha()) or between or cut_above)
                and _SPACED.search(nxt) is None
                and "|" not in nxt
                and not starts_anew
            )
            if aligned_rest:
                cut_row = i
            joined = joined or aligned_rest
            if (
                not joined
                and filled
                and forced
                and form_row.search(body) is None
                and _plain_break(body, nxt, nxt_own, columns, head)
            ):
                if body.endswith(":") and _goes_on(nxt, caseless) and not starts_anew:
                    # "At each time point:" / "anterior and posterior images ...": the
                    # colon fell at the wrap column, the sentence goes on in lower case
                    colons.append(pos)
                elif (
                    body[-1:] in _SENTENCE_END
                    and (nxt[:1].isupper() or nxt[:1].isdigit())
                    and not _HEADER_LINE.match(nxt)
                ):
                    soft.append(pos)
        if joined:
            breaks.append(pos)
        elif (
            tail
            and not forced
            and i + 2 < closing
            and (
                _cut_again(nxt_own, lines[i + 2], width)
                # a rest in capitals the wrap left at the margin, before a line in capitals
                # at its run's indent: the wider wrap's line goes on there, or the writer's
                # own ends ("... OF THE NECK AND" / "CHEST" / "   WITH LOW-DOSE CT ...")
                or (_caps(body) and _caps(nxt) and _indent(own) < _indent(head) == _indent(nxt_own))
            )
            and body[-1:] not in _CLAUSE_END
            and _plain_break(body, nxt, nxt_own, columns, head)
            and not starts_anew
        ):
            rewrapped.append((i, pos))
        if tail and not forced:
            rests.add(i)
        tail = bool(filled and forced and nxt)
        prev_columns = columns
        pos += 1
    if rewrapped:
        breaks += _outer_wraps(raw, lines, opening, closing, set(breaks), rests, rewrapped, width)
    # the rows of a pipe or box table wider than the column, cut by the wrap: the lines that
    # make up each row are joined, and no row goes on into the next
    cut_rows, row_ends = _table_rows(raw, lines, opening, closing, width)
    if cut_rows:
        breaks = [b for b in breaks if b not in row_ends] + sorted(cut_rows - set(breaks))
    if not breaks:
        # one colon at the column is no sign of a wrap: the writer may end a line with it
        return text, tuple(soft)
    out = list(text)
    for b in breaks + colons:
        out[b] = " "
    return "".join(out), tuple(soft)


# a box table's border ("+----+------+"): a "+" at each column's edge
_BORDER = re.compile(r"\+(?:[-=:]+\+)+$")
# a Markdown table's delimiter row ("|---|:---:|", "--- | ---"): a "|" between its columns
_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?$")
# a cut row spans at most this many lines
_MAX_ROW_LINES = 4


def _table_rows(
    raw: list[str], lines: list[str], opening: int, closing: int, width: int
) -> tuple[set[int], set[int]]:
    """The line breaks inside the rows of a pipe or box table the wrap cut, and those
    between its rows: (breaks to join, breaks that stay).

    A row wider than the column is cut into lines that no longer read as one ("| 2 | 4 h |
    Head | SPECT/CT |" / "low-dose CT, fused |"): the cell left on the next line is read as
    a row of its own, or as prose. The table's rows each have as many "|" as the table has
    columns' edges: the "+" of its border ("+---+----+"), the "|" of a Markdown delimiter
    row ("|---|---|"), or, in a table with neither ("Day | Condition | SPECT" with no "|" at
    its ends), the one number of them that the lines add up to, row by row, for at least
    two rows. Each run of lines that adds up to that number is a row, when every line of it
    but the last was filled close to the column (the wrap cut it) and none is longer. A
    table whose rows are whole has each line a row; one whose lines add up to no one
    number (a cell that holds a "|", prose around it) is left as it is."""
    out: set[int] = set()
    stay: set[int] = set()
    ends = []  # the offset of the line break after each line
    pos = -1
    for line in raw:
        pos += len(line) + 1
        ends.append(pos)
    k = opening
    while k < closing:
        # a block: lines next to each other that hold a "|" or are a border
        block = []
        while k < closing and ("|" in lines[k] or _BORDER.match(lines[k].strip())):
            block.append(k)
            k += 1
        k += 1
        if not block:
            continue
        edges = {
            x.count("+") if _BORDER.match(x) else x.count("|")
            for x in (lines[j].strip() for j in block)
            if _BORDER.match(x) or _DELIMITER.match(x)
        }
        if len(edges) > 1:
            continue  # two tables, or rules that do not line up: nothing to tell
        # the runs of the table's own rows between its borders and delimiter rows
        segments: list[list[int]] = [[]]
        for j in block:
            x = lines[j].strip()
            if _BORDER.match(x) or _DELIMITER.match(x):
                segments.append([])
                # a rule goes on from no row, nor a row from it
                stay.update(ends[i] for i in (j - 1, j) if block[0] <= i < block[-1])
            else:
                segments[-1].append(j)
        for segment in segments:
            rows = _cut_rows(lines, segment, next(iter(edges), 0), width)
            for row in rows:
                out.update(ends[j] for j in row[:-1])
                stay.add(ends[row[-1]])
    return out, stay


def _cut_rows(lines: list[str], segment: list[int], edges: int, width: int) -> list[list[int]]:
    """The rows of `segment` (line indexes), each a run of lines whose "|" add up to
    `edges` (or, when 0, to the one number that makes at least two rows of them all), the
    wrap having cut every line of a run but its last; [] when no such rows are there or
    none was cut."""
    counts = [lines[j].count("|") for j in segment]
    if not counts:
        return []
    targets = [edges] if edges else range(max(counts), sum(counts) // 2 + 1)
    for target in targets:
        rows: list[list[int]] = []
        total = 0
        for j, n in zip(segment, counts, strict=True):
            if total == 0:
                rows.append([])
            rows[-1].append(j)
            total += n
            if total == target:
                total = 0
            elif total > target:
                break
        else:
            if total == 0 and (edges or len(rows) >= 2):
                cut = [r for r in rows if len(r) > 1]
                if cut and all(_cut_row(lines, r, width) for r in cut):
                    return rows
                return []
    return []


def _cut_row(lines: list[str], row: list[int], width: int) -> bool:
    """Are the lines of `row` a table row the wrap cut: each but the last filled close to
    the column? (A cut line may be longer than the prose lines the column was read on:
    the wrap dropped the run of spaces it fell in.)"""
    return len(row) <= _MAX_ROW_LINES and all(
        len(lines[j].rstrip()) >= width * FILLED for j in row[:-1]
    )


def _cut_again(own: str, after: str, width: int) -> bool:
    """Is `own` a line of text filled to the column and cut there (the first word of the line
    `after` it would not have fit)?"""
    body = own.rstrip()
    nxt = after.lstrip()
    return bool(nxt) and len(body) >= width * FILLED and forced_break(body, nxt, width)


def _outer_wraps(
    raw: list[str],
    lines: list[str],
    opening: int,
    closing: int,
    breaks: set[int],
    rests: set[int],
    rewrapped: list[tuple[int, int]],
    width: int,
) -> list[int]:
    """The breaks of a wider wrap under the narrower one, in a report wrapped twice: an
    export wrapped at ~95 columns, then re-wrapped at 72 by a system that knew nothing of
    it. Each of the wider wrap's lines is cut again into filled lines and a rest
    ("... (about 40 MBq deposited in" / "lungs), followed by perfusion" / "SPECT after 160
    MBq ... No CT" / "acquired."); the rest's break is the wider wrap's where the wider
    lines, the runs the narrower wrap made of them, are within the range exports wrap at
    and the next run's first word would not have fit on the wider line. `rewrapped` are
    (line index, offset) of the rests' breaks to weigh, `breaks` the offsets already joined,
    `raw` the report's lines and `lines` the same without the export's margin."""
    runs: list[str] = []
    run_of: dict[int, int] = {}  # line index of a rest -> its run's length
    cur: list[str] = []
    pos = sum(len(x) + 1 for x in raw[:opening]) - 1  # the line end before line `k`
    for k in range(opening, closing):
        pos += len(raw[k]) + 1
        cur.append(lines[k].strip())
        if k in rests or pos not in breaks:
            run = " ".join(x for x in cur if x)
            runs.append(run)
            run_of[k] = len(run)
            cur = []
    outer = wrap_width(runs)
    if outer <= width:
        return []
    out = []
    for k, at in rewrapped:
        word = lines[k + 1].lstrip().split(" ", 1)[0]
        if run_of[k] >= outer * FILLED and run_of[k] + 1 + len(word) > outer:
            out.append(at)
    return out


def _prose_lines(body: str, nxt: str, nxt_own: str, head: str) -> bool:
    """Two lines that may be one line of text: the next is not empty, indented deeper than
    `body`, a rule line or a table row, and neither is `body` (a line with no "|").

    A paragraph indented as a whole (VistA indents a report's body under a header at the
    margin) keeps its indent on every line, and a list item's text goes on under itself
    ("1. Stress: ... Gated" / "   SPECT supine"): such lines go on like unindented prose.
    A rest the wrap left at the margin goes on into a line at the indent of `head`, the
    first line of its run, when that line goes on in lower case ("... SPECT/CT of the" /
    "lower thoracic" / "    and lumbar spine"); one in capitals or with a number there may
    be the next row of the writer's own ("24 h ..." / "48 h ...")."""
    indent = _indent(nxt_own)
    hanging = _HANGING.match(body)
    run_hanging = _HANGING.match(head)
    return (
        bool(nxt)
        and (
            indent <= _indent(body)
            or (hanging is not None and indent == hanging.end())
            or (
                # (in a body typed in capitals no case tells it: a rest in capitals may go
                # on into the line in capitals after it)
                (nxt[:1].islower() or (_caps(body) and _caps(nxt)))
                and (
                    indent <= _indent(head)
                    or (run_hanging is not None and indent == run_hanging.end())
                )
            )
        )
        and "|" not in nxt
        and _RULE.match(body) is None
        and _RULE.match(nxt) is None
    )


def _caps(line: str) -> bool:
    """A line of text typed in capitals (letters, none in lower case)."""
    return line.upper() == line and any(c.isalpha() for c in line)


def _caps_rest(line: str) -> bool:
    """A short line in capitals ending on a word that leaves its phrase open ("AND",
    "VIEWS OF", "INCLUDING THE"): the rest of a line in capitals the wrap cut."""
    words = line.split()
    return (
        0 < len(words) <= 4
        and _caps(line)
        and _DANGLING.search(" " + line.strip().lower()) is not None
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


# a cell set apart from the one before it by a run of spaces
_CELL = re.compile(r"(?<=\S) {3,}(?=\S)")


def _aligned(body: str, nxt_own: str) -> bool:
    """Two rows of a table whose cells are set apart by runs of spaces and line up:
    "02/22  13:10 (4 h)      planar feet" / "02/23  08:50 (24 h)     planar feet" (the rest
    of a wrapped row of fields does not line up with the row)."""
    cells = {m.end() for m in _CELL.finditer(body)}
    return bool(cells) and any(m.end() in cells for m in _CELL.finditer(nxt_own))


def _plain_break(body: str, nxt: str, nxt_own: str, columns: bool, head: str) -> bool:
    """A line break between two lines of prose: no rule line, table row, aligned columns,
    list item or indented line around it."""
    return (
        _prose_lines(body, nxt, nxt_own, head)
        and not columns
        and "|" not in body
        and _LIST_START.match(nxt) is None
    )


# a list item's marker and the blanks after it: its text goes on at the column after them
_HANGING = re.compile(
    r"[ \t]*(?:[-" + _BULLET_CHARS + r"]|\(?(?:\d{1,2}|[a-zA-Z])[.)]|o)[ \t]+(?=\S)"
)
_SENTENCE_END = frozenset(".?!")
# a tick box opening a line: "[x] SPECT", "( ) planar"
_CHECKBOX = re.compile(r"[\[(][ xX✓✔]?[\])]")
_DASHES = ("-- ", "– ", "— ")
# a short line of capitalised words and no stop: a header ("Impression", "FINDINGS")
_HEADER_LINE = re.compile(r"[A-Z][A-Za-z /&-]{0,40}$")
# a line ending in a word that leaves its phrase open: an article, a preposition, a
# conjunction, or a time that qualifies the next word ("2-hour" / "SPECT/CT: ...")
_DANGLING = re.compile(
    r"(?:^|\s)(?:a|an|the|of|at|in|on|with|and|or|to|for|by|from|into|over|than|per|via"
    r"|\d+(?:\.\d+)?-(?:hours?|hr|h|days?|minutes?|min|phase|week|month))$"
    # a clause opened by "no" and cut from its noun: "... abdomen. No" / "CT was acquired:"
    # (a field's "CT: No" ends no clause and stays)
    r"|(?:[.;,]|\b(?:with|and|but|or|was|were|is|are|had|has))[ \t]+[Nn]o$"
)
# a bed's label and its number, which a wrap may cut anywhere before the dash or colon that
# closes them: "... L1 through L5. FOV" / "2 of 2: sacrum ...", "... 2 bed positions: Bed 1"
# / "- cervical spine ..." (no writer ends a line inside the label of the item it numbers)
_BED_LABEL = re.compile(
    r"(?:^|\s)(?:bed(?:[ \t]+pos(?:ition)?)?|fov|field[ \t]+of[ \t]+view|station)[ \t]+"
    r"(?:#|no\.?)?[ \t]*\d{1,2}(?:[ \t]*(?:of|/)[ \t]*\d{1,2})?[ \t]*[-\u2013:=][ \t]",
    re.IGNORECASE,
)


def _label_cut(body: str, nxt: str, number: bool = False) -> bool:
    """Does the break after `body` fall inside a bed's label and its number, which `nxt`
    closes (with `number`: only where `nxt` opens with the number)?"""
    if number and not nxt[:1].isdigit():
        return False
    return any(
        m.start() < len(body) < m.end() - 2 for m in _BED_LABEL.finditer(f"{body} {nxt[:20]} ")
    )


# columns aligned by runs of spaces: "T7 vertebral body       41.2      22.8"; two such rows
# in a row are a table, whose last row is not wrapped into the prose after it
_COLUMNS = re.compile(r"\S {3,}\S+(?: \S+)* {3,}\S")


def forced_break(body: str, nxt: str, width: int) -> bool:
    """The next line's first word would not have fit on `body`'s line: the break is where
    the wrap column put it, not where the writer ended the line."""
    word = nxt.split(" ", 1)[0]
    # a hyphen splits a word across the lines with no space; "+/-" or a spaced dash
    # ("static views +/-" / "SPECT)") was followed by one
    gap = 0 if body.endswith("-") and body[-2:-1].isalnum() else 1
    return len(body) + gap + len(word) > width


def _goes_on(nxt: str, caseless: bool) -> bool:
    """The next line goes on the line before it: in a report in mixed case no line of its
    own starts in lower case or with a bare number."""
    return not caseless and (nxt[:1].islower() or nxt[:1].isdigit())


# a line number an export put before every line: "0009 ", "  12| "
_LINE_NUMBER = re.compile(r"[ \t]*\d{1,5}(?:[ \t]*[|:.])?[ \t]+")


def _numbered_margin(raw: list[str]) -> int:
    """The width of the line numbers before every line, counting up, or 0."""
    numbers = [_LINE_NUMBER.match(x) for x in raw if x.strip()]
    if len(numbers) < 3 or None in numbers:
        return 0
    hits = [m for m in numbers if m is not None]
    widths = {m.end() for m in hits}
    values = [int(re.sub(r"\D", "", m.group())) for m in hits]
    if len(widths) != 1 or any(b != a + 1 for a, b in pairwise(values)):
        return 0
    return widths.pop()


# a line break inside a word or token, right after its hyphen or slash: "attenu-" /
# "ation correction", "SPECT/" / "CT of the chest" (OCR, typesetting and narrow columns
# break words so); the next line goes on with a letter or digit and is no list item or
# labelled field of its own
_SPLIT_WORD = re.compile(r"(?<=[A-Za-z0-9][-/])[ \t]*\n[ \t]*(?=[A-Za-z0-9])")
_OWN_LINE = re.compile(_LIST_ITEM + r"|[A-Z0-9][A-Za-z0-9 /&()-]{1,40}(?:\.{2,})?(?::(?!\d)|=)")
_LETTERS_BEFORE = re.compile(r"[A-Za-z]+$")
_LETTERS_AFTER = re.compile(r"[A-Za-z]+")


def split_words(text: str) -> tuple[int, ...]:
    """The offsets of the line breaks in `text` that split a word or token after its
    hyphen or slash ("attenu-" / "ation", "SPECT/" / "CT"), each at the first blank after
    the hyphen or slash (a line may end in spaces)."""
    return tuple(
        m.start() for m in _SPLIT_WORD.finditer(text) if not _OWN_LINE.match(text, m.end())
    )


def join_split_words(text: str, breaks: Iterable[int]) -> tuple[str, OffsetMap | None]:
    """`text` with each break in `breaks` (a line break or the space `unwrap` read it as,
    right after a hyphen or slash) and the blanks around it read as nothing: the token is
    whole again ("SPECT/CT", "low-dose", "Tc-99m"). The hyphen goes too where the word
    it split is one the pipeline knows ("attenu-" / "ation" -> "attenuation", "abdo-" /
    "men" -> "abdomen"). With the map of the shortened offsets; `(text, None)` when there
    is no such break."""
    spans: list[tuple[int, int, str]] = []
    known = caps_words()
    for b in breaks:
        if not (0 < b < len(text) and text[b] in "\n \t" and text[b - 1] in "-/"):
            continue
        end = b
        while end < len(text) and text[end] in " \t\n" and text.count("\n", b, end + 1) <= 1:
            end += 1
        if end >= len(text) or not text[end].isalnum():
            continue
        start = b
        head = _LETTERS_BEFORE.search(text, 0, b - 1)
        tail = _LETTERS_AFTER.match(text, end)
        if (
            text[b - 1] == "-"
            and head is not None
            and head.end() == b - 1
            and tail is not None
            and (head.group() + tail.group()).lower() in known
        ):
            start = b - 1  # the hyphen of a word broken in two
        spans.append((start, end, ""))
    return replace_spans(text, spans)
