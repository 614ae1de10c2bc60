"""Tokenizer tweaks for report formatting, on top of spaCy's blank English tokenizer.

Transcription systems glue headers to text with commas (`cancer.,TECHNIQUE:,  99mTc`),
drop spaces after periods (`2.Stable`) and write units against numbers (`4hrs`). The
default rules leave such strings as single tokens, which hides the header and the unit.
"""

from __future__ import annotations

import bisect
from typing import Any

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.util import compile_infix_regex

from nlp.pipeline import extensions  # noqa: F401  (declares Doc._.text)
from nlp.pipeline.escapes import read_escapes
from nlp.pipeline.hl7 import read_segments
from nlp.pipeline.markup import strip_markup
from nlp.pipeline.ocr import fix_ocr_digits, fix_ocr_rn, fix_ocr_split_words
from nlp.pipeline.offsets import OffsetMap
from nlp.pipeline.pages import blank_page_furniture, join_page_gaps
from nlp.pipeline.rtf import read_rtf
from nlp.pipeline.separators import MAX_LINE_BREAKS as _FLAT_MAX_LINE_BREAKS
from nlp.pipeline.separators import read_double_spaces, read_separators
from nlp.pipeline.smartlists import read_smartlists
from nlp.pipeline.spacing import collapse_spaces, fix_spaces, undouble_lines, unquote_lines
from nlp.pipeline.unwrap import join_split_words, read_wrapped, split_words

_UNITS = r"(?i:h|hr|hrs|hour|hours|min|mins|minute|minutes|mci|mbq|gbq|kbq|ml|mg|kg|cm|mm)"
EXTRA_INFIXES = [
    # comma, colon or semicolon glued to the next word: ",TECHNIQUE", "FINDINGS:,The"
    r"(?<=[A-Za-z0-9\)\].])[,;:]+(?=[A-Za-z])",
    # a period between a word and a glued comma: "MDP.,FINDINGS"
    r"(?<=[A-Za-z0-9])\.(?=,)",
    # a period glued to a capitalised word: "2.Stable", "normal.Impression"
    r"(?<=[A-Za-z0-9\)])\.(?=[A-Z][a-z])",
    # key=value lines: "CT= none", "SPECT=not performed"
    r"(?<=[A-Za-z0-9\)])=",
    # a number glued to its unit: "4hrs", "20mCi", "740MBq"
    rf"(?<=[0-9])(?={_UNITS}\b)",
]


def customize_tokenizer(nlp: Language) -> Language:
    infixes = [*(nlp.Defaults.infixes or ()), *EXTRA_INFIXES]
    tokenizer: Any = nlp.tokenizer
    if isinstance(tokenizer, TextKeepingTokenizer):
        tokenizer = tokenizer.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # spaCy keeps "w/o" whole but splits "W/O" (legacy systems print reports in capitals),
    # which hid the negation in "TOMO W/O CT"
    for variant in ("W/O", "W/o"):
        tokenizer.add_special_case(variant, [{ORTH: variant}])
    nlp.tokenizer = TextKeepingTokenizer(tokenizer)
    return nlp


def _shortened(offsets: tuple[int, ...], omap: OffsetMap, length: int) -> tuple[int, ...]:
    """`offsets` in a text as they stand in the text `omap` shortened it to (of `length`)."""
    n = length + 1
    return tuple(bisect.bisect_left(range(n), b, key=omap.source) for b in offsets)


class TextKeepingTokenizer:
    """spaCy's tokenizer on the unwrapped report, keeping that string on `doc._.text`.

    A hard-wrapped report is tokenized with its wrap line breaks read as spaces
    (`nlp.pipeline.unwrap`) and OCR's digits for letters put back ("who1e" -> "whole",
    `nlp.pipeline.ocr`), offsets unchanged; the line breaks that the wrap column may have
    put at a sentence end are kept on `doc._.soft_breaks`; the report as given is kept on
    `doc._.source_text`. HTML or Markdown left in an export is read as the text it
    marks up (`nlp.pipeline.markup`), an EHR pick-list token as the value chosen or as
    an unfilled field (`nlp.pipeline.smartlists`), export whitespace as written
    (`nlp.pipeline.spacing`: no-break spaces and "\r\n" as plain ones, a run of spaces as
    one), and OCR's "rn" for "m" ("perforrned") is put back. The markup, the pick-lists,
    the runs of spaces and the "rn" make the text shorter: `doc._.source_offsets` then
    maps offsets back to the report. Line ends an export wrote as escapes (HL7 "\\.br\\",
    a JSON string's "\\n") are read once the wrap is undone (`nlp.pipeline.escapes`); the
    " ~ " or " | " separators of a report flattened onto one line are read as line ends
    before anything else, and two spaces that stand for its line breaks once its escapes
    and markup are read (`nlp.pipeline.separators`).

    `doc.text` rebuilds the string from every token on each access, which cost more than
    some components; the tokenizer already holds the string, so it hands it over.
    Everything else (serialisation, special cases, infix rules) is the wrapped tokenizer's.
    """

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Any:
        # spaces first (Markdown's marks are read with plain spaces around them), and again
        # after the markup, whose "&nbsp;" is a no-break space
        # a report flattened onto one line with " ~ " or " | " for its line breaks is read
        # with the line breaks back first (`nlp.pipeline.separators`): the rest of the
        # reading then sees the lines the report was written in
        # an RTF file is read as the text it formats before anything else: its control
        # words would otherwise pass for escapes ("\\rtf1", "\\tab") (`nlp.pipeline.rtf`)
        read, rtf = read_rtf(text)
        # the fields of an HL7 message's result segments next, before its escapes (an
        # escaped "\\F\\" is a "|" of the text, no field separator): the report's lines
        # start where its value does (`nlp.pipeline.hl7`)
        read = fix_spaces(read)
        before = read
        read, segments = read_segments(read)
        # the line ends read from its segments' fields are no real ones (nor are those a wrap
        # made inside a segment, read as spaces)
        added_lines = 0
        if segments is not None:
            added_lines = sum(
                before[segments.source(i)] != "\n" for i, ch in enumerate(read) if ch == "\n"
            )
        read, flat = read_separators(read)
        flat = OffsetMap.chain(OffsetMap.chain(rtf, segments), flat)
        # so are the escaped line ends of a message that has no real ones: read first,
        # the report's own lines are there for the wrap to be read on (a message re-wrapped
        # at a column has line breaks and is unwrapped by them before its escapes are read)
        early: OffsetMap | None = None
        if flat is None and read.count("\n") - added_lines <= _FLAT_MAX_LINE_BREAKS:
            read, early = read_escapes(read)
        flat = OffsetMap.chain(flat, early)
        read, unmarked = strip_markup(read)
        # EHR pick-list tokens once the markup is read (an export may escape their quotes):
        # a chosen value as that value, an unresolved list as an unfilled field
        read, picked = read_smartlists(read)
        # two spaces for a line break are read last among the separators: an escape or a
        # markup line break ("\\.br\\", "\\par", "<br>") is the line end where there is one
        read, spaced = read_double_spaces(read)
        # a quoted e-mail's ">" marks are spaces once the separators are read (same length)
        read, undoubled = undouble_lines(fix_spaces(unquote_lines(read)))
        # page banners after the first are no text: blanked before the wrap is read, and
        # a sentence a page break split is joined after (`nlp.pipeline.pages`)
        read, banners = blank_page_furniture(read)
        # the line breaks inside a word ("attenu-" / "ation"), found before the wrap is
        # read (which may turn them into spaces) and joined after the page gaps are
        split = split_words(read)
        unwrapped, soft = read_wrapped(read)
        paged: OffsetMap | None = None
        if banners:
            unwrapped, paged = join_page_gaps(unwrapped, banners)
            if soft and paged is not None:
                soft = _shortened(soft, paged, len(unwrapped))
            if split and paged is not None:
                split = _shortened(split, paged, len(unwrapped))
            soft = tuple(b for b in soft if b < len(unwrapped) and unwrapped[b] == "\n")
        joined: OffsetMap | None = None
        if split:
            unwrapped, joined = join_split_words(unwrapped, split)
            if soft and joined is not None:
                soft = _shortened(soft, joined, len(unwrapped))
        # the export's escaped line ends after the wrap: a message re-wrapped at a column
        # is unwrapped by its own lines, then broken where the escapes say
        escaped: OffsetMap | None = None
        if early is None:
            unwrapped, escaped = read_escapes(unwrapped)
        if soft and escaped is not None:
            # each soft break is a line end the escapes kept: find it in the shorter text
            soft = _shortened(soft, escaped, len(unwrapped))
        read, collapsed = collapse_spaces(fix_ocr_digits(unwrapped))
        read, repaired = fix_ocr_rn(read)
        read, rejoined = fix_ocr_split_words(read)
        if soft:
            # the shortenings after unwrapping drop no line break: the k-th stays the k-th
            ends = [i for i, c in enumerate(unwrapped) if c == "\n"]
            kept = [i for i, c in enumerate(read) if c == "\n"]
            soft = tuple(kept[bisect.bisect_left(ends, b)] for b in soft)
        offsets = flat
        for then in (
            unmarked,
            picked,
            spaced,
            undoubled,
            paged,
            joined,
            escaped,
            collapsed,
            repaired,
            rejoined,
        ):
            offsets = OffsetMap.chain(offsets, then)
        doc = self.tokenizer(read)
        doc._.text = read
        doc._.soft_breaks = soft
        if read is not text:
            doc._.source_text = text
        doc._.source_offsets = offsets
        return doc

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)
