"""Evidence spans laid over the report text: the segments a page colours, and its legend.

Evidence offsets are character offsets into the report as given (`nlp.facts.Evidence`).
Spans may overlap (one phrase can prove both the modality and the CT), so the text is cut
at every span edge and each piece lists every fact that covers it. A piece covered only
by excluded mentions (negated, historical, recommended, aborted) is struck through.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Colour groups, in legend order: (group id, label).
GROUPS: tuple[tuple[str, str], ...] = (
    ("modality", "Modality / SPECT"),
    ("ct", "CT and its purpose"),
    ("area", "Body areas"),
    ("time", "Days, dates, acquisitions"),
    ("tracer", "Tracer / study type"),
    ("quant", "Quantification"),
    ("planar", "Planar, flow, phases"),
    ("other", "Other facts"),
)
GROUP_LABELS = dict(GROUPS)
_GROUP_ORDER = {g: i for i, (g, _) in enumerate(GROUPS)}

_EXACT: Mapping[str, str] = {
    "modality": "modality",
    "spect": "modality",
    "not_performed": "modality",
    "contradiction": "modality",
    "ct": "ct",
    "ct_purpose": "ct",
    "area": "area",
    "planar_area": "area",
    "single_field_of_view": "area",
    "dos": "time",
    "acquisitions": "time",
    "radiopharmaceutical": "tracer",
    "study_type": "tracer",
    "quantification": "quant",
    "whole_body_planar": "planar",
    "whole_body_bone": "planar",
    "whole_body_bone_beside": "planar",
    "flow_imaging": "planar",
    "three_phase": "planar",
    "cardiac_studies": "planar",
}


def fact_group(fact: str) -> str:
    """The colour group of an evidence fact name (unknown names fall back to "other")."""
    base = fact.removesuffix("_excluded")
    if base in _EXACT:
        return _EXACT[base]
    if base.endswith(("_day", "_days")) or "day" in base.split("_"):
        return "time"
    if base.startswith("spect"):
        return "modality"
    if base.startswith("ct"):
        return "ct"
    if base.startswith(("planar", "whole_body", "flow")):
        return "planar"
    if base.startswith("quant"):
        return "quant"
    return "other"


@dataclass(frozen=True)
class Span:
    """One evidence entry that could be placed on the text."""

    fact: str
    start: int
    end: int
    text: str
    value: str | None = None
    context: str | None = None
    cue: str | None = None
    section: str | None = None

    @property
    def excluded(self) -> bool:
        return self.context is not None

    @property
    def group(self) -> str:
        return fact_group(self.fact)

    def describe(self) -> str:
        out = self.fact.replace("_", " ")
        if self.value:
            out += f" = {self.value}"
        if self.context:
            out += f" (excluded: {self.context}" + (f", cue '{self.cue}'" if self.cue else "") + ")"
        return out


@dataclass(frozen=True)
class Segment:
    """A run of text and the spans that cover all of it (none: plain text)."""

    start: int
    text: str
    spans: tuple[Span, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.spans)

    @property
    def excluded(self) -> bool:
        """Struck through: every fact here comes from an excluded mention."""
        return bool(self.spans) and all(s.excluded for s in self.spans)

    @property
    def group(self) -> str:
        """The colour: the first group in `GROUPS` order among the asserted spans (the
        excluded ones when none is asserted), so "SPECT/CT" reads as a modality."""
        asserted = [s for s in self.spans if not s.excluded] or list(self.spans)
        if not asserted:
            return "other"
        return min((s.group for s in asserted), key=_GROUP_ORDER.__getitem__)

    @property
    def facts(self) -> str:
        """Space-separated fact names, for `data-fact` (tests select on it)."""
        return " ".join(dict.fromkeys(s.fact for s in self.spans))

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(s.describe() for s in self.spans))


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def placeable_spans(text: str, evidence: Iterable[Mapping[str, Any]]) -> list[Span]:
    """The evidence entries whose offsets lie inside `text` and whose quoted text (when
    given) matches it; anything else (a contradiction note, a stale record) is left out."""
    spans: list[Span] = []
    for ev in evidence:
        if not isinstance(ev, Mapping):
            continue
        start, end = _int(ev.get("start")), _int(ev.get("end"))
        fact = ev.get("fact")
        if start is None or end is None or not isinstance(fact, str):
            continue
        if not 0 <= start < end <= len(text):
            continue
        quoted = ev.get("text")
        if isinstance(quoted, str) and quoted and text[start:end] != quoted:
            continue
        spans.append(
            Span(
                fact=fact,
                start=start,
                end=end,
                text=text[start:end],
                value=_str(ev.get("value")),
                context=_str(ev.get("context")),
                cue=_str(ev.get("cue")),
                section=_str(ev.get("section")),
            )
        )
    return spans


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def segments(text: str, spans: Sequence[Span]) -> list[Segment]:
    """`text` cut into segments at every span edge, in order; joined, they are `text`."""
    if not text:
        return []
    edges = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.fact))
    out: list[Segment] = []
    for a, b in itertools.pairwise(edges):
        covering = tuple(s for s in ordered if s.start <= a and s.end >= b)
        out.append(Segment(start=a, text=text[a:b], spans=covering))
    return out


@dataclass(frozen=True)
class LegendEntry:
    group: str
    label: str
    facts: tuple[str, ...]


def legend(spans: Iterable[Span]) -> list[LegendEntry]:
    """The colour groups present, in `GROUPS` order, each with its fact names."""
    found: dict[str, dict[str, None]] = {}
    for s in spans:
        found.setdefault(s.group, {})[s.fact] = None
    return [
        LegendEntry(group=g, label=label, facts=tuple(sorted(found[g])))
        for g, label in GROUPS
        if g in found
    ]


@dataclass(frozen=True)
class Highlighted:
    """Everything a page needs to draw one report with its evidence."""

    segments: tuple[Segment, ...]
    legend: tuple[LegendEntry, ...]
    spans: tuple[Span, ...]
    unplaced: int
    has_excluded: bool


def highlight(text: str, evidence: Iterable[Mapping[str, Any]] | None) -> Highlighted:
    entries = [e for e in (evidence or []) if isinstance(e, Mapping)]
    spans = placeable_spans(text, entries)
    return Highlighted(
        segments=tuple(segments(text, spans)),
        legend=tuple(legend(spans)),
        spans=tuple(sorted(spans, key=lambda s: (s.start, s.end, s.fact))),
        unplaced=len(entries) - len(spans),
        has_excluded=any(s.excluded for s in spans),
    )
