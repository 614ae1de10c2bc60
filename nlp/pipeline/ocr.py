"""Undo the digit-for-letter confusions of OCR'd paper reports, without moving a character.

Scanned and faxed reports come back from OCR with "0" for "O" and "1" for "l" or "I":
"WH0LE B0DY", "who1e body", "pe1vis", "1umbar", "C0MPARIS0N". Read literally, the terms
that name the study and its fields are missed. `fix_ocr_digits` puts the letter back where
a digit cannot be one:

- inside a word, between letters ("pe1vis", "B0NE", "N0ne");
- at the end of a word of at least three letters ("Hospita1", "IMPRESSI0");
- at the start of a word followed by at least three letters ("1umbar", "0ctreoScan"),
  unless what follows is a unit or an ordinal ("1mCi", "1min", "1st");
- at the start of a word followed by two letters, when that makes a word of the pattern
  files ("1ie" -> "lie", "1eg" -> "leg").

A "1" becomes "l" in lower case and "I" in capitals, unless the other letter makes a word
of the pattern files: in capitals "WHO1E" is "WHOLE" and "1IVER" is "LIVER".

Spine levels, grades and stages keep their digits ("L1", "S1", "G1", "pT2 pN1 M0"),
as do tracers and isotopes ("In111", "Tc-99m", "I-131"). A stage "N0" is "NO" only where
a stage cannot stand: opening a sentence before a word ("N0 CT was acquired"). The result
has the same length as the input, so offsets still point into the report as sent.

OCR also reads "m" as "rn" ("perforrned", "irnages", "1urnbar"; "IRNAGES" in capitals),
which hides "not performed" and the study's own words. `fix_ocr_rn` puts the "m" back, but
only where the word as scanned is not one the pipeline knows and the repaired word is (the
words of the pattern files and of the fact rules): "sternum", "morning" and "return" stay
as they are.
That repair shortens the text, so it comes with an `OffsetMap` that takes every offset in
the repaired text back to the report as sent.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from nlp.pipeline.offsets import OffsetMap, replace_spans
from nlp.pipeline.patterns import default_rows

# a run of the digits OCR reads for letters ("o"/"O" and "l"/"I"); where it stands in a word
# decides (`fix_ocr_digits`): inside one or ending one of three or more letters ("who1e",
# "pe1vis", "skul1"; "pN1" is a stage); starting one of three or more letters ("1umbar",
# "0ctreoScan"); starting one of two letters only when that makes a known word ("1ie")
_RUN = re.compile(r"[01]+")
_LETTERS = re.compile(r"[A-Za-z]+")
# what a number is written against: a unit or an ordinal suffix ("1mCi", "1min", "1st")
_UNIT_OR_ORDINAL = re.compile(
    r"(?i:st|nd|rd|th|mci|mbq|gbq|kbq|mins?|hrs?|hours?|days?|weeks?|ml|mg|mcg|kg|cm|mm|sec)"
)


# "N0" opening a sentence or a line before a word, where no TNM stage stands: "... bowel
# activity. N0 CT (SPECT-only camera)"; not "pT2 N0 M0", "Nodal status: N0", "N stage: N0"
_NO_AS_N0 = re.compile(r"(?:^|(?<=\n)|(?<=\.\s))[ \t]*N0(?= [A-Za-z]{2,})(?! [MT][0-4xX]\b)")


def _letter(digit: str, neighbours: str) -> str:
    upper = sum(c.isupper() for c in neighbours) > sum(c.islower() for c in neighbours)
    if digit == "0":
        return "O" if upper else "o"
    return "I" if upper else "l"


def _one_in_word(text: str, i: int, default: str) -> str:
    """The letter for the "1" at `i`: "l" or "i" (in the case of `default`), whichever makes
    the word around it one the pipeline knows ("WHO1E" -> "WHOLE", "1IVER" -> "LIVER",
    "0N1Y" -> "ONLY"), else `default`. In capitals OCR's "1" is an "L" as often as an "I"."""
    ws = i
    while ws > 0 and _is_word_char(text[ws - 1]):
        ws -= 1
    we = i + 1
    while we < len(text) and _is_word_char(text[we]):
        we += 1
    word = text[ws:we].lower().replace("0", "o")
    ones = [j for j in range(len(word)) if word[j] == "1"]
    if len(ones) > 3 or len(word) < 3:
        return default
    known = pattern_words() | _RULE_WORDS
    for letters in itertools.product("li", repeat=len(ones)):
        chars = list(word)
        for j, c in zip(ones, letters, strict=True):
            chars[j] = c
        candidate = "".join(chars)
        # with its "rn" read as "m" too: "1URNBAR" is "LUMBAR"
        if candidate in known or ("rn" in candidate and candidate.replace("rn", "m") in known):
            c = letters[ones.index(i - ws)]
            return c.upper() if default.isupper() else c
    return default


def _is_word_char(c: str) -> bool:
    return c in "01" or _is_letter(c)


# a date OCR read with letters for its digits ("1O/O3/2Ol7", "l2/O9/2Ol9", "2Ol9-O7-22"):
# month, day and year (either order of month and day) or year, month and day, each
# written with digits or the letters OCR reads for them ("O"/"o" for 0, "l"/"I" for 1)
_D = "[0-9OolIL]"
_OCR_DATE = re.compile(
    rf"(?P<a>{_D}{{1,2}})(?P<sep>[/.-])(?P<b>{_D}{{1,2}})(?P=sep)(?P<c>{_D}{{4}}|{_D}{{2}})"
    rf"|(?P<y>[12]{_D}{{3}})(?P<isep>[/.-])(?P<m>{_D}{{1,2}})(?P=isep)(?P<d>{_D}{{1,2}})"
)
_TO_DIGIT = str.maketrans("OolIL", "00111")


def _date_ok(first: str, second: str, year: str) -> bool:
    """A real month, day and year once the letters are read as digits."""
    a, b, y = int(first), int(second), int(year)
    day_month = (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)
    return day_month and (len(year) == 2 or 1900 <= y <= 2099)


def fix_ocr_dates(text: str) -> str:
    """`text` with the letters of OCR-read dates put back as digits ("1O/O3/2Ol7" ->
    "10/03/2017"); same length. Only a whole date is read: its parts have at least one real
    digit, make a real month, day and year, and no letter or digit stands right beside it
    ("l/O" or "I/O" stay as they are)."""
    if "O" not in text and "l" not in text and "o" not in text and "I" not in text:
        return text
    out: list[str] | None = None
    n = len(text)
    for m in _OCR_DATE.finditer(text):
        s, e = m.start(), m.end()
        chunk = m.group(0)
        if chunk.isascii() and not any(c.isalpha() for c in chunk):
            continue  # a date in digits already
        if (s and _is_alnum(text[s - 1])) or (e < n and _is_alnum(text[e])):
            continue
        if sum(c.isdigit() for c in chunk) < 2:
            continue
        if "L" in chunk and len(m.group("c") or m.group("y") or "") != 4:
            continue  # a capital "L" (a text in capitals) only in a four-digit year: "L1-L2-L3"
        digits = chunk.translate(_TO_DIGIT)
        if m.group("a") is not None:
            ok = _date_ok(*(m.group(k).translate(_TO_DIGIT) for k in ("a", "b", "c")))
        else:
            y, mo, d = (m.group(k).translate(_TO_DIGIT) for k in ("y", "m", "d"))
            ok = _date_ok(mo, d, y)
        if ok:
            out = out or list(text)
            out[s:e] = digits
    return text if out is None else "".join(out)


# a word in capitals, maybe with OCR's lower-case "l" for a capital "I" ("SERVlCE", "BRAlN",
# "lMPRESSlON")
_CAPS_WITH_L = re.compile(r"[A-Zl]{3,}")


def fix_ocr_caps_l(text: str) -> str:
    """`text` with OCR's "l" for "I" put back in words written in capitals ("DATE OF
    SERVlCE", "BRAlN", "MlBG"); same length. A word counts as in capitals when every other
    letter of it is one, at least two of them; its "l" is an "L" where that makes a word the
    pipeline knows ("LlVER" is "LIVER" either way, "lUMBAR" is "LUMBAR")."""
    if "l" not in text:
        return text
    out: list[str] | None = None
    n = len(text)
    for m in _CAPS_WITH_L.finditer(text):
        s, e = m.start(), m.end()
        word = m.group(0)
        if "l" not in word or sum(c.isupper() for c in word) < 2:
            continue
        if (s and _is_alnum(text[s - 1])) or (e < n and _is_alnum(text[e])):
            continue  # part of a word in mixed case ("Hospital", "mL")
        ones = [i for i, c in enumerate(word) if c == "l"]
        letters: tuple[str, ...] = ("I",) * len(ones)
        if len(ones) <= 3:
            lower = word.lower()
            for choice in itertools.product("il", repeat=len(ones)):
                chars = list(lower)
                for j, c in zip(ones, choice, strict=True):
                    chars[j] = c
                if "".join(chars) in caps_words():
                    letters = tuple(c.upper() for c in choice)
                    break
        out = out or list(text)
        for j, c in zip(ones, letters, strict=True):
            out[s + j] = c
    return text if out is None else "".join(out)


def fix_ocr_digits(text: str) -> str:
    """`text` with OCR digit-for-letter confusions replaced; `text` itself when none. The
    dates OCR read with letters get their digits back first (`fix_ocr_dates`).

    Each run of 0s and 1s is visited once and its neighbours tested in Python: regular
    expressions that open with a look-behind are tried at every position of the report,
    which cost nearly as much as tokenizing it."""
    text = fix_ocr_caps_l(fix_ocr_dates(text))
    if "0" not in text and "1" not in text:
        return text
    out: list[str] | None = None
    n = len(text)
    for m in _RUN.finditer(text):
        s, e = m.start(), m.end()
        before = text[s - 1] if s else ""
        after = text[e] if e < n else ""
        if _is_letter(before):
            if _is_letter(after) or (
                e - s == 1 and s >= 3 and _is_letter(text[s - 3 : s]) and not _is_alnum(after)
            ):
                # inside a word ("who1e"), or ending a word of three or more letters
                out = out or list(text)
                neighbours = text[max(0, s - 3) : s] + text[e : e + 3]
                for i in range(s, e):
                    out[i] = _letter(text[i], neighbours)
                    if text[i] == "1":
                        out[i] = _one_in_word(text, i, out[i])
            continue
        if e - s != 1 or _is_alnum(before) or before in (".", ",", "/", "-"):
            continue
        rest = _LETTERS.match(text, e)
        if rest is None:
            continue
        word = rest.group(0)
        if len(word) >= 3:
            # starting a word of three or more letters, unless a unit or an ordinal
            if _UNIT_OR_ORDINAL.match(word):
                continue
            out = out or list(text)
            out[s] = _letter(text[s], word[:3])
            if text[s] == "1":
                out[s] = _one_in_word(text, s, out[s])
        elif len(word) == 2 and not (rest.end() < n and _is_alnum(text[rest.end()])):
            # a word of two letters: only where that makes a word the pipeline knows
            letter = _letter(text[s], word)
            if text[s] == "1" and letter.isupper() and ("L" + word).lower() in pattern_words():
                letter = "L"  # in capitals: "COULD NOT 1IE" is "LIE"
            if (letter + word).lower() in pattern_words():
                out = out or list(text)
                out[s] = letter
    if "N0" in text:
        for m in _NO_AS_N0.finditer(text):
            out = out or list(text)
            out[m.end() - 1] = "O"
    return text if out is None else "".join(out)


def _is_letter(chunk: str) -> bool:
    """ASCII letters only ("" is none)."""
    return chunk.isascii() and chunk.isalpha()


def _is_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


# -- "rn" read for "m" -----------------------------------------------------------------
# Words the fact rules read with regular expressions rather than pattern files.
_RULE_WORDS = frozenset(
    {
        "images",
        "imaged",
        "time",
        "times",
        "timepoint",
        "timepoints",
        "same",
        "more",
        "min",
        "mins",
        "minute",
        "minutes",
        "mci",
        "moved",
        "multiple",
        "immediately",
        "medicine",
        "attempt",
        "tomographic",
    }
)
_RN_WORD = re.compile(r"[A-Za-z0-9]*(?:rn|RN)[A-Za-z0-9]*")
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def pattern_words() -> frozenset[str]:
    """Every lower-case word of the bundled pattern files."""
    words: set[str] = set()
    for name, column in (
        ("terms.jsonl", "pattern"),
        ("context.jsonl", "pattern"),
        ("sections.jsonl", "header"),
    ):
        for row in default_rows(name):
            words.update(_WORD.findall(str(row[column]).lower()))
    return frozenset(words)


@lru_cache(maxsize=1)
def caps_words() -> frozenset[str]:
    """The words a capitalised word with OCR's "l" may be read as (`fix_ocr_caps_l`): every
    word of the bundled pattern files and of the fact rules' regular expressions (built
    once, not per report)."""
    return pattern_words() | _RULE_WORDS


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Lower-case words with an "m" that the pipeline reads: every such word of the bundled
    pattern files, and the words its fact rules match with regular expressions."""
    return frozenset({w for w in pattern_words() if "m" in w} | _RULE_WORDS)


def _repair_word(word: str, known: frozenset[str]) -> tuple[int, ...]:
    """The offsets (in `word`) of the "rn" pairs to read as "m": the fewest that make a
    known word of three or more letters of a word that is not known itself."""
    lower = word.lower()
    if lower in known:
        return ()
    # "rn" in a word in lower case, "RN" in one in capitals ("IRNAGES")
    pairs = [i for i in range(len(word) - 1) if word[i : i + 2] in ("rn", "RN")]
    for n in range(1, min(len(pairs), 3) + 1):
        for chosen in itertools.combinations(pairs, n):
            fixed = lower
            for i in reversed(chosen):
                fixed = fixed[:i] + "m" + fixed[i + 2 :]
            if len(fixed) >= 3 and fixed in known:
                return chosen
    return ()


def fix_ocr_rn(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with "rn" read back as "m" in the words OCR spelled that way, and the map of
    the repaired offsets; `(text, None)` when no word needs it."""
    if "rn" not in text and "RN" not in text:
        return text, None
    known = known_words()
    cuts: list[int] = []  # offsets in `text` of each "rn" to read as "m"
    for m in _RN_WORD.finditer(text):
        cuts.extend(m.start() + i for i in _repair_word(m.group(0), known))
    return replace_spans(text, ((c, c + 2, "M" if text[c] == "R" else "m") for c in cuts))


# -- a word split by a stray space ------------------------------------------------------
# two runs of letters with one space between them, each standing alone (no letter or digit
# against its outer side: "4h pt" is a time and a word); the second run is only looked at
# (a lookahead), so one pass of `finditer` tries every run as a first piece in turn
_SPACED_PAIR = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]+) (?=([A-Za-z]+)(?![A-Za-z0-9]))")


def _fragment(word: str, first: bool) -> bool:
    """Is `word` a piece of a word rather than a word? A single letter other than "a" or
    "I" only as the first piece ("n ot", "N OT"; "MD P" is a title and an initial), else a
    run of letters the pipeline does not know."""
    lower = word.lower()
    if len(lower) == 1:
        return first and lower not in ("a", "i")
    return lower not in caps_words()


# a number and a space before a single letter: an age before a sex ("58 M CP" is a
# 58-year-old man with chest pain, not "MCP")
_AGE_BEFORE = re.compile(r"\d[ \t]$")


def _same_case(first: str, second: str) -> bool:
    """Both pieces in lower case (the first maybe capitalised: "Octreo tide") or both in
    capitals ("PERFOR MED"); "o F", "cm R" are not one word."""
    if second.islower():
        return first.islower() or (first[:1].isupper() and first[1:].islower())
    return second.isupper() and first.isupper()


def fix_ocr_split_words(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with the stray space OCR put inside a word read as nothing ("was n ot
    performed", "SPECT WAS NOT PERFOR MED"), and the map of the shortened offsets;
    `(text, None)` when no word needs it. Only where neither piece is a word the pipeline
    knows, the pieces are in the same case, and together they make one it does (the words
    of the pattern files and of the fact rules): "no t" and "MD P" stay as they are."""
    if " " not in text:
        return text, None
    known = caps_words()
    cuts: list[int] = []  # offsets of each space to read as nothing
    taken = 0  # the end of the last pair joined: its second piece starts no pair
    for m in _SPACED_PAIR.finditer(text):
        first, second = m.groups()
        # the joined word is checked first: it is rarely one the pipeline knows
        if (
            m.start() >= taken
            and len(first) + len(second) >= 3
            and (first + second).lower() in known
            and _same_case(first, second)
            and _fragment(first, True)
            and not (len(first) == 1 and _AGE_BEFORE.search(text, max(0, m.start() - 2), m.start()))
            and _fragment(second, False)
        ):
            cuts.append(m.end(1))
            taken = m.end(2)
    return replace_spans(text, ((c, c + 1, "") for c in cuts))
