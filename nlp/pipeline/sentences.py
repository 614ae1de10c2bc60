"""Sentence boundaries that survive report formatting.

Rules on token arrays (no Python loop over tokens): a new line starts a sentence; so does
sentence-final punctuation followed by a capital (any letter in a report typed all in lower
case), digit, bracket or bullet (spaCy's tokenizer keeps "2.3 cm", "Dr." and "e.g." as
single tokens, so they never split, and "DR." split off in capitals is held together
here), a list number ("1.") does not end a sentence, and every section header starts one,
as does the text after a known header's colon. In speech-recognition text the spelled-out
"period" (or "PERIOD") ends a sentence. The sentence table is kept on `doc._.arrays` for
the later components.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline import extensions  # noqa: F401
from nlp.pipeline.arrays import arrays_of, text_of
from nlp.pipeline.signoff import own_text

_FINAL = (".", "?", "!")
# "ca." / "abt." before a number mean "about" (elsewhere "ca." is often "cancer")
_APPROXIMATELY = frozenset({"ca", "abt", "appr", "approx"})
# a dotted abbreviation split by the tokenizer ("p.i", "i.v", "s.c") before its final stop
_DOTTED = re.compile(r"[A-Za-z](?:\.[A-Za-z])+")
# a list going on after a dotted abbreviation ("48 hrs p.i. and 72 hrs p.i."), where the
# case of its first letter tells nothing (a report in capitals, or in lower case)
_JOINERS = frozenset({"and", "or", "&"})
_BULLETS = {"-", "•", "*", "·", "‣", "◦", "–", "—"}
_OPENERS = "([\"'"
_PERIOD_BEFORE_CAPITAL = re.compile(r"\.(?=[ \t]+[A-Z])")
# in a report typed all in lower case a capital cannot mark the next sentence: any letter does
_PERIOD_BEFORE_LETTER = re.compile(r"\.(?=[ \t]+[a-z])")
_LEADER = re.compile(r"\.{4,}")
# abbreviations that do not end a sentence before a capitalised word
_ABBREVIATIONS = frozenset(
    {
        "dr.",
        "mr.",
        "mrs.",
        "ms.",
        "st.",
        "e.g.",
        "i.e.",
        "vs.",
        "approx.",
        "fig.",
        "no.",
        "vol.",
        "jr.",
        "sr.",
        "prof.",
        "dept.",
        "inc.",
        "ltd.",
        "co.",
        "mt.",
        "ft.",
        "a.m.",
        "p.m.",
        "u.s.",
        "cf.",
        "ref.",
        "pt.",
        "pts.",
        # "rec. SPECT/CT if pain persists": the shorthand for "recommend" opens its advice
        "rec.",
        "recs.",
    }
)


class SentenceSplitter:
    """The `spect_sentences` component: sets `token.is_sent_start` for every token."""

    def __init__(self, nlp: Language, name: str = "spect_sentences") -> None:
        self.name = name
        strings = nlp.vocab.strings
        self.final = np.array([strings.add(s) for s in _FINAL], dtype=np.uint64)
        self.period = np.uint64(strings.add("period"))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        a = arrays_of(doc)
        text = text_of(doc)
        own = own_text(text)  # the sign-off lines after the report tell no style
        caseless = own.lower() == own or _uncapitalised(own)
        # The loops below read single tokens: a list element costs a tenth of a numpy one.
        idx: list[int] = a.idx.tolist()
        end: list[int] = a.end.tolist()
        space: list[bool] = a.space.tolist()
        starts = np.zeros(n, dtype=bool)
        starts[0] = True
        # new lines
        for i in np.flatnonzero(a.space[:-1]).tolist():
            if "\n" in text[idx[i] : end[i]]:
                starts[i + 1] = True
        # section headers, and the text after a known header's colon
        sections = doc._.sections or ()
        header_starts = [s.header_start for s in sections if s.header_start is not None]
        header_ends = [
            s.header_end for s in sections if s.header_end is not None and s.label != "other"
        ]
        if header_starts:
            starts[_tokens_at(idx, header_starts)] = True
        if header_ends:
            # the token after the one that ends exactly at a header's colon
            starts[[i + 1 for i in _tokens_at(end[:-1], header_ends)]] = True
        # sentence-final punctuation
        orth = a.orth[:-1]
        final = (orth == self.final[0]) | (orth == self.final[1]) | (orth == self.final[2])
        for i in np.flatnonzero(final).tolist():
            prev = text[idx[i - 1] : end[i - 1]] if i > 0 else ""
            # "1." at the start of a list item is not a sentence of its own
            if prev.isdigit() and len(prev) <= 2 and (i < 2 or starts[i - 1]):
                continue
            if prev.lower() + "." in _ABBREVIATIONS and prev.lower() != "no":
                continue  # "DR. LUND": spaCy keeps "Dr." whole, but not every casing of it
            nxt = text[idx[i + 1] : end[i + 1]]
            first = nxt[:1]
            if first.isdigit() and prev.lower() in _APPROXIMATELY:
                continue  # "at ca. 24 h": an approximate time, not "breast ca. 3 foci ..."
            if _DOTTED.fullmatch(prev) and not (
                space[i + 1] or first.isupper() or (caseless and first.isalpha()) or nxt in _BULLETS
            ):
                continue  # "4 hrs p.i. (19.12.20) and 24 hrs p.i.": "p.i." goes on in brackets
            if _DOTTED.fullmatch(prev) and nxt.lower() in _JOINERS:
                continue  # "48 HRS P.I. AND 72 HRS P.I.": in capitals (or none) the list goes on
            if (
                space[i + 1]
                or first.isupper()
                or (caseless and first.isalpha())
                or first.isdigit()
                or first in _OPENERS
                or nxt in _BULLETS
            ):
                starts[i + 1] = True
        # a period the tokenizer kept on its word ("24 h.", "MBq.") before a capital
        period_before = _PERIOD_BEFORE_LETTER if caseless else _PERIOD_BEFORE_CAPITAL
        for m in period_before.finditer(text):
            k = _token_at_char(idx, m.start())
            token = text[idx[k] : end[k]]
            if (
                len(token) > 1
                and end[k] == m.start() + 1
                and token.lower() not in _ABBREVIATIONS
                # a worksheet's dot leader ("SPECT/CT 24 h ...... performed") runs from its
                # key to its value and ends no sentence
                and not _LEADER.fullmatch(token)
            ):
                pos = m.end()
                while pos < len(text) and text[pos] in " \t":
                    pos += 1
                after = _token_at_char(idx, pos)
                if (
                    0 <= after < n
                    and idx[after] == pos
                    and not (
                        _DOTTED.fullmatch(token[:-1])
                        and text[idx[after] : end[after]].lower() in _JOINERS
                    )
                ):
                    starts[after] = True
        # speech recognition: "... at 3 hours period findings ..."
        if dictated(text):
            hits = np.flatnonzero(a.lower[:-1] == self.period)
            starts[hits + 1] = True
        values: Any = np.where(starts, 1, -1).astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        a.sent_starts = np.flatnonzero(starts).tolist()
        a.sent_chars = a.idx[starts].tolist()
        return doc


# a word and the stop after it, then the next word's first letter
_STOP_THEN_LETTER = re.compile(r"([A-Za-z0-9]+)[.?!][ \t]+([A-Za-z])")


def _uncapitalised(text: str) -> bool:
    """A terse writer who never capitalises after a full stop ("6 mCi. planar ant post
    ...", "c/w splenule. liver nl size"): as in a report typed all in lower case, a capital
    cannot mark the next sentence there, so any letter does. At least two stops go on in
    lower case and none in a capital (abbreviations aside)."""
    lower = 0
    for m in _STOP_THEN_LETTER.finditer(text):
        if m.group(1).lower() + "." in _ABBREVIATIONS or len(m.group(1)) < 2:
            continue
        if m.group(2).isupper():
            return False
        lower += 1
    return lower >= 2


def dictated(text: str) -> bool:
    """Speech-recognition text that writes its punctuation out as words: at least three
    spelled-out "period"s ("... at 3 hours period Findings ...")."""
    return text.count(" period ") + text.count(" PERIOD ") >= 3


def _tokens_at(offsets: list[int], chars: list[int]) -> list[int]:
    """Indices of the tokens whose offset (start or end) is exactly one of `chars`
    (`offsets` is sorted; a report has a handful of headers, too few for numpy's
    per-call cost to pay off)."""
    out = []
    for c in chars:
        k = bisect.bisect_left(offsets, c)
        if k < len(offsets) and offsets[k] == c:
            out.append(k)
    return out


def _token_at_char(idx: list[int], offset: int) -> int:
    """`DocArrays.token_at_char` on the token offsets as a list."""
    return bisect.bisect_right(idx, offset) - 1


@Language.factory("spect_sentences", requires=["doc._.sections"], assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp, name)
