"""The typed facts read out of one report, and the evidence behind each.

`StudyFacts` is the contract between the spaCy pipeline (which fills it), the coding
rules (which read it), the classifier (which uses it as features) and every output
format. Its JSON shape is documented in the README ("Facts JSON").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, get_args

Modality = Literal["spect_ct", "spect", "planar", "none"]
CtPurpose = Literal["localization", "attenuation", "unknown"]
Section = Literal[
    "header", "technique", "findings", "impression", "comparison", "history", "addendum", "other"
]
# What the study is, as far as coding cares. `out_of_scope` studies have their own codes
# outside the policy's tables (gastric emptying, thyroid uptake, renogram, PET, ...).
StudyType = Literal[
    "tumor",
    "infection",
    "bone",
    "brain",
    "liver",
    "kidney",
    "csf",
    "lung_vq",
    "myocardial_perfusion",
    "parathyroid",
    "cardiac_blood_pool",
    "other",
    "out_of_scope",
]
# Context of a mention that was *not* counted as performed.
Context = Literal["negated", "recommended", "historical", "aborted"]
DosSource = Literal["record", "text"]

# The policy's canonical areas, in the order they are listed there (head to toe).
CANONICAL_AREAS: tuple[str, ...] = (
    "head",
    "neck",
    "chest",
    "abdomen",
    "pelvis",
    "upper_extremities",
    "lower_extremities",
)
MODALITIES: tuple[str, ...] = get_args(Modality)
CT_PURPOSES: tuple[str, ...] = get_args(CtPurpose)
STUDY_TYPES: tuple[str, ...] = get_args(StudyType)
SECTIONS: tuple[str, ...] = get_args(Section)
CONTEXTS: tuple[str, ...] = get_args(Context)


@dataclass(frozen=True)
class Evidence:
    """A span of the report that supports (or, with `context`, was excluded from) a fact.

    `start`/`end` are character offsets into the report text as given, so that
    `text == report[start:end]` always holds.
    """

    fact: str
    text: str
    start: int
    end: int
    section: Section = "other"
    value: str | None = None
    context: Context | None = None
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "fact": self.fact,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "section": self.section,
        }
        if self.value is not None:
            d["value"] = self.value
        if self.context is not None:
            d["context"] = self.context
            d["cue"] = self.cue
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        return cls(
            fact=str(d["fact"]),
            text=str(d["text"]),
            start=int(d["start"]),
            end=int(d["end"]),
            section=d.get("section", "other"),
            value=d.get("value"),
            context=d.get("context"),
            cue=d.get("cue"),
        )


@dataclass(frozen=True)
class StudyFacts:
    """Everything the coding rules need to know about one report.

    SPECT fields (`areas`, `area_count`, `acquisitions`, `spect_days`) describe the SPECT
    part only and are empty/None when no SPECT was performed. `whole_body_bone` says the
    whole-body planar images are bone imaging: a bone study's, or made with the bone tracer
    beside a study of another family (coded 78306, not 78802/78804). `whole_body_bone_beside`
    says a bone scan's whole-body images stand beside the study's own whole-body images made
    with its other tracer: both are coded (78306 and 78802/78804), and `whole_body_days`
    counts the other tracer's whole-body days only. `modality` is the coding
    modality of the in-scope imaging that was performed: "none" when nothing codable was
    performed or the study is out of scope.
    """

    modality: Modality = "none"
    ct_purpose: CtPurpose | None = None
    areas: tuple[str, ...] = ()
    area_count: int | None = None
    single_field_of_view: bool = False
    acquisitions: int | None = None
    spect_days: int | None = None
    spect_aborted: bool = False
    whole_body_planar: bool = False
    whole_body_days: int | None = None
    whole_body_bone: bool = False
    whole_body_bone_beside: bool = False
    planar_areas: tuple[str, ...] = ()
    planar_days: int | None = None
    flow_imaging: bool = False
    three_phase: bool = False
    quantification: bool = False
    cardiac_studies: int | None = None
    radiopharmaceuticals: tuple[str, ...] = ()
    study_type: StudyType = "other"
    dos: dt.date | None = None
    dos_source: DosSource | None = None
    contradictions: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)

    @property
    def has_spect(self) -> bool:
        return self.modality in ("spect", "spect_ct")

    def with_dos(self, dos: dt.date | None, source: DosSource = "record") -> StudyFacts:
        """The same facts with a date of service from outside the text (an input record)."""
        if dos is None:
            return self
        return replace(self, dos=dos, dos_source=source)

    def evidence_for(self, fact: str, *, asserted_only: bool = True) -> tuple[Evidence, ...]:
        return tuple(
            e for e in self.evidence if e.fact == fact and (e.context is None or not asserted_only)
        )

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "evidence":
                d[f.name] = [e.to_dict() for e in v]
            elif isinstance(v, tuple):
                d[f.name] = list(v)
            elif isinstance(v, dt.date):
                d[f.name] = v.isoformat()
            else:
                d[f.name] = v
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StudyFacts:
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in d:
                continue
            v = d[f.name]
            if f.name == "evidence":
                v = tuple(Evidence.from_dict(e) for e in v)
            elif f.name == "dos":
                v = dt.date.fromisoformat(v) if v else None
            elif isinstance(v, list):
                v = tuple(v)
            kwargs[f.name] = v
        return cls(**kwargs)


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """Parse an ISO date (YYYY-MM-DD, optionally with a time part) from an input record."""
    if value is None or isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if not s:
        return None
    return dt.date.fromisoformat(s[:10])
