"""The scanner and PACS metadata block pasted above a dictation, read as wrapper text.

A report copied out of a PACS viewer often carries the study's archive fields above the
physician's dictation: a DICOM tag dump ("(0008,103E) SeriesDescription  SPECT CT
T-SPINE"), a study panel ("Study Description: NM BONE WB + SPECT/CT LSPINE", "Protocol
Name: 3PHASE + SPECT HIP", "Body Part Examined: HIP"), the series list ("Series: 1 WB
ANT/POST ; 2 SPECT T-SPINE ; 3 CT T-SPINE 2.5") and the camera's acquisition settings.
Those fields are set at the console or from the order before the study is done: they are
what was scheduled and how the archive labels it, like an exam title, not what the
physician says was acquired. `metadata_spans` finds the lines of such a block, so that the
fact readers (`nlp.pipeline.facts`) read its SPECT, area and quantification words as the
title's: standing only where the dictation says nothing, never adding an area to the
dictated field nor contradicting it (LABELING.md, gold CZ).

A block is the report's opening paragraph when at least two of its lines are metadata
fields, one of them a field only an archive prints (a DICOM tag, a study or series
description, the series list, a protocol name, the body part, the modality) or a banner
naming the archive ("IntelliSpace PACS - Study Details", "DICOM tags (copied ...)"). A
following paragraph opened by such a field or banner continues it. Inside a block, a line
that opens a report section ("Technique:", "Findings:", "Clinical:") ends it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

# a DICOM tag dump's line: "(0008,103E) SeriesDescription  SPECT CT T-SPINE"
_TAG = re.compile(r"[ \t]*\([ \t]*[0-9A-Fa-f]{4}[ \t]*,[ \t]*[0-9A-Fa-f]{4}[ \t]*\)")
# fields only an archive or a scanner console prints (written with or without spaces: the
# DICOM keywords run the words together, "StudyDescription")
_STRONG_KEYS = (
    r"(?:study[ \t]*)?desc(?:ription)?|series(?:[ \t]*desc(?:ription)?)?"
    r"|protocol[ \t]*name|body[ \t]*part(?:[ \t]*examined)?"
    r"|modalit(?:y|ies)(?:[ \t]+in[ \t]+study)?"
)
# fields such a block shares with other headers: dates, numbers, the site and the camera
_WEAK_KEYS = (
    r"(?:pacs[ \t]+)?study[ \t]*(?:date|time)|acquisition[ \t]*date|accession|acc"
    r"|institution(?:[ \t]*name)?|inst|manufacturer(?:[ \t]*model[ \t]*name|/model)?"
    r"|model(?:[ \t]*name)?|camera|device|equipment|scanner|station"
    r"|collimator(?:[ \t]*grid[ \t]*name)?|matrix|recon(?:struction)?|acq(?:uisition)?"
    r"|ctdivol|dose[ \t]+report|performing(?:[ \t]+site)?"
    r"|requested[ \t]+procedure|energy[ \t]+windows?|projections|attenuation[ \t]+correction"
    r"|study|exam|patient|mrn|pacs|ris"
)
# a key, an optional bracket ("Series (acquisition date):") and its separator: a colon, a
# dot leader, an equals sign, or the gap of an aligned column (one space once collapsed)
# before a value in capitals or digits ("Description NM BONE WB", "Study Date 2021-11-30";
# "Description of the procedure" is prose)
_SEP = r"[ \t]*(?:\([^()\n]{0,40}\)[ \t]*)?(?::|\.+|=|[ \t](?-i:[A-Z0-9])|$)"
_STRONG = re.compile(r"[ \t|]*(?:" + _STRONG_KEYS + r")" + _SEP, re.IGNORECASE | re.MULTILINE)
# such a field later on a line of fields: "Study Date: 20220927   Modality: NM/CT"
_STRONG_LATER = re.compile(r"(?:[ \t]|\|)(?:" + _STRONG_KEYS + r")[ \t]*:", re.IGNORECASE)
_FIELD = re.compile(
    r"[ \t|]*(?:" + _STRONG_KEYS + r"|" + _WEAK_KEYS + r")" + _SEP, re.IGNORECASE | re.MULTILINE
)
# a banner naming the archive or the viewer the fields were copied from
# ("IntelliSpace PACS - Study Details"), naming no imaging of its own (a title "NM BONE
# SCAN (images on PACS)" is no banner)
_BANNER = re.compile(
    r"[^\n]{0,60}\b(?:pacs|dicom|study[ \t]+(?:details|information|properties|panel|header)"
    r"|exam[ \t]+details|dose[ \t]+record)\b[^\n]{0,60}$",
    re.IGNORECASE,
)
_IMAGING = re.compile(r"spect|\bct\b|planar|scan|images?\b|whole[ \t-]*body", re.IGNORECASE)
# a line opening a section of the dictation: the block has ended
_REPORT_SECTION = re.compile(
    r"[ \t]*(?:clinical|history|indications?|reason|technique|procedure|findings|impression"
    r"|conclusions?|comparison|addendum)\b[^:\n]{0,30}:",
    re.IGNORECASE,
)
_MIN_FIELD_LINES = 2
_PARAGRAPH = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")


def _field_line(line: str) -> tuple[bool, bool]:
    """(is `line` a metadata field or banner, is it one only an archive prints)."""
    if _TAG.match(line):
        return True, True
    if _STRONG.match(line):
        return True, True
    if _BANNER.match(line) and not _IMAGING.search(line):
        return True, True
    if _FIELD.match(line) is None:
        return False, False
    return True, _STRONG_LATER.search(line) is not None


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph of `text` (runs of non-blank lines), found as they
    are asked for: most reports stop at the first."""
    for m in _PARAGRAPH.finditer(text):
        yield m.start(), m.end()


def line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line of `text[start:end]`."""
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = nl if nl >= 0 else end
        out.append((pos, line_end))
        pos = line_end + 1
    return out


def _block_lines(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int, bool, bool]:
    """The paragraph's metadata lines, how many of them are fields, whether one is a field
    only an archive prints, and whether a line opening a report section ended them. A
    section line with such fields after it in the paragraph ("Clinical history: ..." put
    under the first field) is skipped, not the block's end."""
    lines = line_spans(text, start, end)
    kinds = [_field_line(text[a:b]) for a, b in lines]
    out: list[tuple[int, int]] = []
    fields = 0
    strong = False
    for i, (a, b) in enumerate(lines):
        if _REPORT_SECTION.match(text, a, b):
            if any(k[1] for k in kinds[i + 1 :]):
                continue
            return out, fields, strong, True
        out.append((a, b))
        fields += kinds[i][0]
        strong = strong or kinds[i][1]
    return out, fields, strong, False


@functools.lru_cache(maxsize=16)
def metadata_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the lines of the metadata block opening `text` (none: `()`)."""
    spans: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(_paragraphs(text)):
        lines, fields, strong, ended = _block_lines(text, start, end)
        if i == 0:
            if fields < _MIN_FIELD_LINES or not strong:
                return ()
        elif not lines or not _field_line(text[lines[0][0] : lines[0][1]])[1]:
            break
        spans.extend(lines)
        if ended:
            break
    return tuple(spans)


def in_metadata(text: str, offset: int) -> bool:
    """Is `offset` on a line of the metadata block opening `text`?"""
    return any(a <= offset < b for a, b in metadata_spans(text))
