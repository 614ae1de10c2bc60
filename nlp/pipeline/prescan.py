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
from collections.abc import Callable, Iterator
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# the zero-width items a pattern may open with: they never consume its first character
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_DIGITS = "0123456789"
# at most this many single letters among a pattern's openings ("d", "w")
_MAX_LETTERS = 4

# by the pattern's id (a compiled pattern hashes its whole program on every lookup), with the
# pattern itself to tell a new pattern at a freed id
_openings: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}

Openings = set[str] | None
Then = Callable[[], Openings]


def _unknown() -> Openings:
    return None


def _chars(items: list[Any], caseless: bool) -> Openings:
    """The lower-case ASCII characters a character class (`[...]`, `\\d`) may match in an
    ASCII text, or None when that cannot be told or is not worth a prefilter."""
    chars: set[str] = set()
    for kind, value in items:
        if kind is sre_constants.LITERAL:
            members = chr(value)
        elif kind is sre_constants.RANGE:
            lo, hi = chr(value[0]), chr(value[1])
            if lo > "\x7f" and not caseless:
                continue  # a range of non-ASCII characters only: none in ASCII text
            if hi > "\x7f":
                return None
            members = "".join(chr(c) for c in range(value[0], value[1] + 1))
        elif kind is sre_constants.CATEGORY and value is sre_constants.CATEGORY_DIGIT:
            members = _DIGITS
        else:
            return None  # a negated class, a word or space category
        for ch in members:
            if ch.isascii():
                chars.add(ch.lower())
            elif caseless:
                return None  # a caseless non-ASCII letter may match an ASCII one
    return chars


def _opens(items: list[Any], caseless: bool, then: Then) -> Openings:
    """The lower-case words one of which opens every match of the parsed `items` followed
    by what `then` opens (for items that may match nothing), or None when that cannot be
    told. A text's lower-case form holds one of them where a match starts."""
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue

        def rest(i: int = i) -> Openings:
            return _opens(items[i + 1 :], caseless, then)

        if op is sre_constants.LITERAL:
            word = ""
            for op2, av2 in items[i:]:
                if op2 is not sre_constants.LITERAL:
                    break
                ch = chr(av2)
                if not ch.isascii():
                    if caseless:
                        return None  # a caseless non-ASCII letter may match an ASCII one
                    if not word:
                        return set()  # a non-ASCII character: no match in ASCII text
                    break
                word += ch.lower()
            return {word}
        if op is sre_constants.IN:
            return _chars(av, caseless)
        if op is sre_constants.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            inner = caseless
            if add_flags & re.IGNORECASE:
                inner = True
            elif del_flags & re.IGNORECASE:
                inner = False
            return _opens(list(sub), inner, rest)
        if op is sre_constants.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                found = _opens(list(alt), caseless, rest)
                if found is None:
                    return None
                out |= found
            return out
        if op in _REPEATS:
            low, _high, sub = av
            found = _opens(list(sub), caseless, rest)
            if found is None or low > 0:
                return found
            after = rest()  # repeated no times
            return None if after is None else found | after
        return None  # any character, a back reference, ...
    return then()


def openings(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A plain alternation of the lower-case words every match of `pattern` opens with
    (looked for in the lower-cased text), or None when the pattern's opening is not such
    words. Found once per pattern."""
    known = _openings.get(id(pattern))
    if known is not None and known[0] is pattern:
        return known[1]
    found: re.Pattern[str] | None = None
    if isinstance(pattern.pattern, str):
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        words = _opens(list(parsed), bool(pattern.flags & re.IGNORECASE), _unknown)
        # (an empty set: the pattern matches no ASCII text, scanned as it is) a blank, or
        # any of many single letters, opens too many words for a prefilter to pay
        letters = sum(len(w) == 1 and w.isalpha() for w in words or ())
        if words and letters <= _MAX_LETTERS and not any(w.isspace() for w in words):
            # a word that another one opens adds no offset
            kept = sorted(w for w in words if not any(v != w and w.startswith(v) for v in words))
            found = re.compile("|".join(map(re.escape, kept)))
    _openings[id(pattern)] = (pattern, found)
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


def opening_search(
    pattern: re.Pattern[str],
    text: str,
    lower: str | None = None,
    pos: int = 0,
    endpos: int | None = None,
) -> re.Match[str] | None:
    """`pattern.search(text, pos, endpos)`, trying the pattern only where one of its opening
    words stands (`opening_finditer`)."""
    return next(opening_finditer(pattern, text, lower, pos, endpos), None)
