"""Shortened report text and the way back to the report as sent.

Some readings of a report make its text shorter: HTML tags and character references read
as the text they mark up, a run of spaces read as one, OCR's "rn" read back as "m". The
pipeline reads the shorter text; evidence must still quote the report. `replace_spans`
makes such a reading and the `OffsetMap` that takes every offset back.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Offsets in a shortened text -> offsets in the text it was made from.

    `shrunk` holds, in order, the offset in the shortened text of every character removed
    right after it (the "m" that was "rn", the space that was a run of spaces): each entry
    moves every later character one place to the left."""

    shrunk: tuple[int, ...]
    # the map of the text this one was made from, when that text was itself shortened
    inner: OffsetMap | None = None

    def source(self, offset: int) -> int:
        out = offset + bisect.bisect_left(self.shrunk, offset)
        return out if self.inner is None else self.inner.source(out)

    @staticmethod
    def chain(first: OffsetMap | None, then: OffsetMap | None) -> OffsetMap | None:
        """The map of two shortenings in a row: `first` made the text `then` was made on."""
        if then is None or first is None:
            return then or first
        return OffsetMap(then.shrunk, OffsetMap.chain(first, then.inner))


def replace_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> tuple[str, OffsetMap | None]:
    """`text` with each (start, end, replacement) span replaced, and the map back.

    Spans come in order; one that starts inside the previous one is dropped (a reference
    inside a tag the tag's own span already took). A replacement is never longer than its
    span: its characters stand at the start of the span, the rest of the span is dropped
    and recorded at the offset of the last character kept. `(text, None)` when there is
    no span."""
    parts: list[str] = []
    shrunk: list[int] = []
    prev = removed = 0
    for start, end, repl in spans:
        if start < prev:
            continue
        parts += [text[prev:start], repl]
        extra = end - start - len(repl)
        shrunk.extend([start - removed + len(repl) - 1] * extra)
        removed += extra
        prev = end
    if not parts:
        return text, None
    parts.append(text[prev:])
    return "".join(parts), OffsetMap(tuple(shrunk))
