"""The token attributes every component needs, read once per Doc as numpy arrays.

Creating a Python `Token` costs about a microsecond; a report has a few hundred tokens
and every component used to walk them. `doc.to_array` hands the same facts over from C
in one call, so components look tokens up by index (char offsets, lower-case hashes)
and only touch the text where a mention or a cue is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, LOWER, ORTH
from spacy.tokens import Doc


@dataclass(slots=True)
class DocArrays:
    idx: np.ndarray  # char offset of each token
    end: np.ndarray  # char offset just after each token
    lower: np.ndarray  # hash of the lower-case text (spaCy's LOWER)
    orth: np.ndarray  # hash of the text as written
    space: np.ndarray  # whitespace token
    sent_starts: list[int]  # token index of each sentence start (set by spect_sentences)
    sent_chars: list[int]  # char offset of each sentence start
    # values of the whole report that more than one component reads (`once`)
    memo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc) -> DocArrays:
        if len(doc) == 0:
            z = np.zeros(0, dtype=np.int64)
            return cls(z, z, z.astype(np.uint64), z.astype(np.uint64), z.astype(bool), [], [])
        a = doc.to_array([IDX, LENGTH, LOWER, ORTH, IS_SPACE])
        idx = a[:, 0].astype(np.int64)
        return cls(
            idx, idx + a[:, 1].astype(np.int64), a[:, 2], a[:, 3], a[:, 4].astype(bool), [0], [0]
        )

    def sentence_of_token(self, i: int) -> int:
        return bisect.bisect_right(self.sent_starts, i) - 1

    def token_at_char(self, offset: int) -> int:
        """The token containing char `offset` (or the last one starting before it)."""
        return int(np.searchsorted(self.idx, offset, side="right")) - 1


def arrays_of(doc: Doc) -> DocArrays:
    arrays: DocArrays | None = doc._.arrays
    if arrays is None:
        arrays = DocArrays.of(doc)
        doc._.arrays = arrays
    return arrays


T = TypeVar("T")


def once(doc: Doc, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, a value of the whole report that several components read (the date of
    service it states), computed for the first of them and kept with the doc's arrays."""
    memo = arrays_of(doc).memo
    if key not in memo:
        memo[key] = compute()
    value: T = memo[key]
    return value


class LowerTokens:
    """`lower[i]` is token i's lower-case text, read from the doc text on demand."""

    __slots__ = ("_end", "_idx", "_n", "_text")

    def __init__(self, text: str, arrays: DocArrays) -> None:
        self._text = text
        self._idx = arrays.idx.tolist()
        self._end = arrays.end.tolist()
        self._n = len(self._idx)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += self._n
        return self._text[self._idx[i] : self._end[i]].lower()

    def spaced(self, i: int) -> bool:
        """Token i stands apart, with white space on both sides ("CT - SPECT")."""
        a, b = self._idx[i], self._end[i]
        return (
            a > 0
            and b < len(self._text)
            and self._text[a - 1].isspace()
            and self._text[b].isspace()
        )

    def past_match(self, i: int, pattern: re.Pattern[str]) -> int:
        """The first token after a match of `pattern` at token i's start (a date written in
        several tokens, "January 9, 2024" or "2024-01-09"), or i when it does not match."""
        if not 0 <= i < self._n:
            return i
        hit = pattern.match(self._text, self._idx[i])
        if hit is None or hit.end() <= self._idx[i]:
            return i
        j = i
        while j < self._n and self._idx[j] < hit.end():
            j += 1
        return j

    def span(self, start: int, end: int) -> list[str]:
        return [self[i] for i in range(max(0, start), min(end, self._n))]

    def span_from(self, start: int, end: int, first_char: int) -> list[str]:
        """`span`, without the tokens that begin before `first_char` (a sentence start)."""
        return [
            self[i] for i in range(max(0, start), min(end, self._n)) if self._idx[i] >= first_char
        ]


def text_of(doc: Doc) -> str:
    """The doc's text, computed once (spaCy's `doc.text` rebuilds it token by token)."""
    text: str | None = doc._.text
    if text is None:
        text = doc.text
        doc._.text = text
    return text
