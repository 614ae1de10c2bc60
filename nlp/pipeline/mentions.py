"""Mentions: every procedure, body area, tracer, study-type cue and day phrase in a report.

One `PhraseMatcher` (case-insensitive) over the term list `nlp/patterns/terms.jsonl`, plus
spine levels ("T10", "L4-L5") matched by shape. Overlaps are resolved within a group
(longest match wins, so "SPECT/CT camera" is a camera and not a SPECT/CT), never across
groups ("quantitative SPECT/CT" is both a quantification cue and a SPECT/CT mention).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.pipeline import extensions  # noqa: F401
from nlp.pipeline.patterns import default_rows, read_jsonl, write_jsonl
from nlp.pipeline.sections import SectionIndex

PATTERN_FILE = "terms.jsonl"
REQUIRED = ("id", "label", "pattern")

GROUPS: dict[str, str] = {
    "SPECT_CT": "procedure",
    "SPECT": "procedure",
    "CT": "procedure",
    "PET": "procedure",
    "CAMERA": "procedure",
    "NO_CT_CAMERA": "procedure",
    "PLANAR": "procedure",
    "REPROJECTED": "procedure",
    "WHOLE_BODY": "procedure",
    "FLOW": "procedure",
    "BLOOD_POOL": "procedure",
    "THREE_PHASE": "procedure",
    "QUANT": "quant",
    "QUANT_NOT": "quant",
    "AREA": "area",
    "SPINE": "area",
    "LEVEL": "area",
    "NOT_AREA": "area",  # "per head", "dual-head": claims the words so they are not an area
    "OTHER_IMAGING": "procedure",  # MRI, radiographs, ...: takes the cues meant for it
    "STUDY": "study",
    "RADIOPHARM": "tracer",
    "DAY": "day",
}
# Procedure mentions: what was (or was not) done. Context cues attach to the nearest one.
PROCEDURES = frozenset(k for k, g in GROUPS.items() if g in ("procedure", "quant"))

_LEVEL = re.compile(r"^[CTLS](?:[1-9]|1[0-2])$")
# "Symbia T6", "T2-weighted": shaped like a spine level, but a camera model or an MRI sequence
_NOT_LEVEL_BEFORE = frozenset(
    {
        "symbia",
        "intevo",
        "discovery",
        "infinia",
        "optima",
        "ventri",
        "brightview",
        "precedence",
        "skylight",
        "evolution",
        "nm/ct",
        "model",
        "type",
        "series",
        "stage",
        "grade",
        "class",
    }
)
_NOT_LEVEL_AFTER = frozenset(
    {"weighted", "-weighted", "signal", "hyperintense", "hypointense", "stage", "tumor"}
)
_LEVEL_AREA = {"C": "neck", "T": "chest", "L": "abdomen", "S": "pelvis"}


@dataclass(slots=True)
class Mention:
    label: str
    value: str | None
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    sent: int  # index into the sentence table
    section: str
    pattern_id: str
    hint: str | None = None
    weight: float | None = None  # study cues: 0.5 for a clinical question, else the default
    context: str | None = None  # set by spect_context: negated/recommended/historical/aborted
    cue: str | None = None
    cue_id: str | None = None

    @property
    def asserted(self) -> bool:
        return self.context is None

    @property
    def areas(self) -> tuple[str, ...]:
        """Canonical areas of an AREA/LEVEL mention ("chest+abdomen" -> two areas)."""
        return tuple(self.value.split("+")) if self.value else ()


def sentence_starts(doc: Doc) -> list[int]:
    return [i for i, t in enumerate(doc) if t.is_sent_start]


class MentionFinder:
    """The `spect_mentions` component: sets `doc._.mentions`, sorted by position."""

    def __init__(self, nlp: Language, name: str = "spect_mentions") -> None:
        self.name = name
        self.nlp = nlp
        self.rows: list[dict[str, Any]] = default_rows(PATTERN_FILE, REQUIRED)
        self._compile()

    def _compile(self) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.by_key: dict[int, dict[str, Any]] = {}
        for row in self.rows:
            if row["label"] not in GROUPS:
                raise ValueError(
                    f"{PATTERN_FILE}: row {row['id']} has unknown label {row['label']!r}"
                )
            key = self.nlp.vocab.strings.add(row["id"])
            self.by_key[key] = row
            self.matcher.add(row["id"], [self.nlp.make_doc(row["pattern"])])

    def __call__(self, doc: Doc) -> Doc:
        sections = SectionIndex(doc._.sections or [])
        sents = sentence_starts(doc)
        raw: list[tuple[int, int, dict[str, Any]]] = []
        for key, start, end in self.matcher(doc):
            raw.append((start, end, self.by_key[key]))
        for i, tok in enumerate(doc):
            text = tok.text
            if (
                len(text) <= 3
                and _LEVEL.match(text)
                and (i == 0 or doc[i - 1].lower_ not in _NOT_LEVEL_BEFORE)
                and (i + 1 >= len(doc) or doc[i + 1].lower_ not in _NOT_LEVEL_AFTER)
                and not (
                    i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].lower_ == "weighted"
                )
            ):
                raw.append(
                    (
                        i,
                        i + 1,
                        {"id": "level:" + text, "label": "LEVEL", "value": _LEVEL_AREA[text[0]]},
                    )
                )
        mentions: list[Mention] = []
        taken: dict[str, list[tuple[int, int]]] = {}
        # longest first within a group, then leftmost
        for start, end, row in sorted(raw, key=lambda r: (-(r[1] - r[0]), r[0])):
            group = GROUPS[row["label"]]
            spans = taken.setdefault(group, [])
            if any(s < end and start < e for s, e in spans):
                continue
            spans.append((start, end))
            if row["label"] == "NOT_AREA":
                continue
            span = doc[start:end]
            mentions.append(
                Mention(
                    label=row["label"],
                    value=row.get("value"),
                    start=start,
                    end=end,
                    start_char=span.start_char,
                    end_char=span.end_char,
                    sent=bisect.bisect_right(sents, start) - 1,
                    section=sections.label_at(span.start_char),
                    pattern_id=row["id"],
                    hint=row.get("hint"),
                    weight=row.get("weight"),
                )
            )
        mentions.sort(key=lambda m: (m.start, -m.end))
        doc._.mentions = mentions
        return doc

    def to_disk(self, path: Path, *, exclude: tuple[str, ...] = ()) -> None:
        write_jsonl(Path(path) / PATTERN_FILE, self.rows)

    def from_disk(self, path: Path, *, exclude: tuple[str, ...] = ()) -> MentionFinder:
        self.rows = read_jsonl(Path(path) / PATTERN_FILE, REQUIRED)
        self._compile()
        return self


@Language.factory(
    "spect_mentions",
    requires=["doc._.sections", "token.is_sent_start"],
    assigns=["doc._.mentions"],
)
def make_mention_finder(nlp: Language, name: str) -> MentionFinder:
    return MentionFinder(nlp, name)
