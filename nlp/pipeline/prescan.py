"""Whole-text regex scans that try a pattern only where it can start.

Python's `re` skips ahead at C speed only for a pattern that opens with a plain literal or
character class. A pattern that opens with `\\b`, a look-around, a group or a caseless
word ("\\b(?:inject\\w*|administ\\w*|...)", re.IGNORECASE) is tried at every offset of the
text in turn, and over a whole report that costs far more than its few matches.

`opening_finditer` looks for the literal words a pattern must open with (found once per
pattern from its parsed form, `openings`) with a plain literal alternation, which does
skip at C speed, and tries the pattern only where one stands. The matches are exactly
those of `pattern.finditer`: every match opens with one of those words, and the pattern
is tried at each such offset in text order, from the end of the last match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# the zero-width items a pattern may open with: they never consume its first character
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}

_openings: dict[re.Pattern[str], re.Pattern[str] | None] = {}


def _prefixes(items: list[Any], caseless: bool) -> set[str] | None:
    """The lower-case words one of which opens every match of the parsed `items`, or
    None when that cannot be told (the pattern may open with a class, a repeat, ...)."""
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    if i == len(items):
        return None
    op, av = items[i]
    if op is sre_constants.LITERAL:
        word = ""
        while i < len(items) and items[i][0] is sre_constants.LITERAL:
            ch = chr(items[i][1])
            if not ch.isascii():
                if caseless:
                    return None  # a caseless non-ASCII letter may match an ASCII one
                if not word:
                    return set()  # opens with a non-ASCII character: no match in ASCII text
                break
            word += ch.lower()
            i += 1
        return {word}
    if op is sre_constants.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is sre_constants.LITERAL:
                ch = chr(value)
            elif kind is sre_constants.RANGE and not caseless and chr(value[0]) > "\x7f":
                continue  # a range of non-ASCII characters only: none in ASCII text
            else:
                return None
            if ch.isascii():
                chars.add(ch.lower())
            elif caseless:
                return None
        return chars
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags & re.IGNORECASE:
            caseless = True
        elif del_flags & re.IGNORECASE:
            caseless = False
        return _prefixes(list(sub), caseless)
    if op is sre_constants.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            found = _prefixes(list(alt), caseless)
            if found is None:
                return None
            out |= found
        return out
    return None


def openings(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A plain alternation of the lower-case words every match of `pattern` opens with
    (looked for in the lower-cased text), or None when the pattern's opening is not such
    words. Found once per pattern."""
    if pattern in _openings:
        return _openings[pattern]
    found: re.Pattern[str] | None = None
    if isinstance(pattern.pattern, str):
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        words = _prefixes(list(parsed), bool(pattern.flags & re.IGNORECASE))
        if words:  # (an empty set: the pattern matches no ASCII text, scanned as it is)
            # a word that another one opens adds no offset
            kept = sorted(w for w in words if not any(v != w and w.startswith(v) for v in words))
            found = re.compile("|".join(map(re.escape, kept)))
    _openings[pattern] = found
    return found


def opening_finditer(
    pattern: re.Pattern[str],
    text: str,
    lower: str | None = None,
    pos: int = 0,
    endpos: int | None = None,
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text, pos, endpos)`, trying the pattern only where one of its
    opening words stands. `lower` is `text.lower()` when the caller has it. Texts with
    non-ASCII characters (whose lower case may change length) are scanned as `re` scans
    them."""
    end = len(text) if endpos is None else endpos
    opening = openings(pattern)
    if opening is None or not text.isascii():
        yield from pattern.finditer(text, pos, end)
        return
    if lower is None:
        lower = text.lower()
    while (cand := opening.search(lower, pos, end)) is not None:
        at = cand.start()
        m = pattern.match(text, at, end)
        if m is None:
            pos = at + 1
        else:
            yield m  # not empty: it opens with a word
            pos = m.end()
