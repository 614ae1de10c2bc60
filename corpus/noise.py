"""Transcription glitches: typos in common words, doubled spaces, lost spaces, stray commas;
and the hard wrap of fixed-width RIS exports (every line broken at one column).

Glitches touch only words that carry no fact (`glitch_words` in the phrase bank) and
whitespace or punctuation between tokens, so a glitched report keeps every fact it had.
"""

from __future__ import annotations

import itertools
import random
import re
import textwrap
from collections.abc import Callable
from functools import cache

from corpus.bank import load, pick


def _replace_nth(
    text: str,
    pattern: str,
    repl: str,
    n: int,
    keep: Callable[[str, re.Match[str]], bool] | None = None,
) -> str:
    matches = [m for m in re.finditer(pattern, text) if keep is None or keep(text, m)]
    if not matches:
        return text
    m = matches[n % len(matches)]
    return text[: m.start()] + repl + text[m.end() :]


def add_glitches(text: str, rng: random.Random) -> str:
    words = load("phrases")["glitch_words"]
    for _ in range(rng.randint(1, 3)):
        word = pick(rng, sorted(words))
        text = _replace_nth(
            text, rf"\b{word}\b", pick(rng, words[word]), rng.randrange(1000), _outside_names
        )
    for _ in range(rng.randint(0, 3)):
        # A doubled space between two words.
        text = _replace_nth(text, r"(?<=\w) (?=\w)", "  ", rng.randrange(1000))
    for _ in range(rng.randint(0, 2)):
        # A lost space after a full stop: "images.SPECT".
        text = _replace_nth(text, r"(?<=[a-z])\. (?=[A-Z])", ".", rng.randrange(1000))
    if rng.random() < 0.5:
        # A stray comma between two words, never next to a negation or a limiter (a comma
        # after "no" would turn "no CT was acquired" into "no, CT was acquired").
        # Nor inside a name the banks render (a procedure, an exam title, "total body",
        # "planar technique only"): a comma there splits the name ("Total, body planar
        # images", "Renal, function study"), and the report no longer says its facts.
        spots = [
            m
            for m in re.finditer(r"(?<=[a-z]) (?=[a-z])", text)
            if _word_before(text, m.start()) not in KEEP_TIGHT
            and _word_after(text, m.end()) not in KEEP_TIGHT
            and (_word_before(text, m.start()), _word_after(text, m.end())) not in _name_pairs()
        ]
        if spots:
            m = spots[rng.randrange(len(spots))]
            text = text[: m.start()] + ", " + text[m.end() :]
    return text


KEEP_TIGHT = frozenset(
    {
        "no",
        "not",
        "without",
        "only",
        "never",
        "solely",
        "neither",
        "nor",
        "none",
        "cannot",
        "could",
        "unable",
        "declined",
        "deferred",
        "prior",
        "previous",
        "consider",
        "recommend",
        # Header labels that carry the date of service stay whole.
        "date",
        "of",
        "service",
        "exam",
        "study",
        # ... and so do the headers of notes that correct the report.
        "technologist",
        "tech",
        "note",
        "comment",
        "comments",
    }
)


@cache
def _name_pairs() -> frozenset[tuple[str, str]]:
    """Each two words next to each other in a name the banks render: the SPECT procedure and
    image nouns, the whole-body sentences, the planar-only notes ("Planar technique only"),
    and every exam title."""
    phrases = load("phrases")
    names: list[str] = []
    for key in ("spect_proc", "spect_imgs"):
        for options in phrases[key].values():
            names += options
    names += phrases["wb"] + phrases["planar_only_note"]
    for bank in ("exams", "oos"):
        for key, entry in load(bank).items():
            if not key.startswith("_"):
                names += entry.get("titles", [])
    pairs: set[tuple[str, str]] = set()
    for name in names:
        words = [w.lower() for w in re.findall(r"\w+", name)]
        pairs.update(itertools.pairwise(words))
    return frozenset(pairs)


def _outside_names(text: str, m: re.Match[str]) -> bool:
    """A typo stays out of a name the banks render: "SPECT wiht low-dose CT" no longer
    names the hybrid study its facts say."""
    word = m.group(0).lower()
    pairs = _name_pairs()
    return (_word_before(text, m.start()), word) not in pairs and (
        word,
        _word_after(text, m.end()),
    ) not in pairs


def _word_before(text: str, i: int) -> str:
    words = re.findall(r"\w+", text[max(0, i - 24) : i])
    return words[-1].lower() if words else ""


def _word_after(text: str, i: int) -> str:
    words = re.findall(r"\w+", text[i : i + 24])
    return words[0].lower() if words else ""


def hard_wrap(text: str, rng: random.Random) -> str:
    """The report as a fixed-width export shows it: each line broken at one column (60 to
    80 characters, drawn once per report) between words, never inside one."""
    width = rng.randint(60, 80)
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
        else:
            lines += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [
                line
            ]
    return "\n".join(lines)
