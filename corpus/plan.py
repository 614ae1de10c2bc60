"""The sampled study behind one synthetic report, and the `StudyFacts` it implies.

A `Study` is richer than `StudyFacts`: it keeps what the renderer needs to write a true
report (which region phrase, which time points, which traps to mention). `to_facts()` is
the only place where a study becomes facts; labels are then computed from those facts by
the coding rules, never from the rendered text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from corpus.bank import region_areas, tracer_canonical
from nlp.facts import CANONICAL_AREAS, StudyFacts

# Acquisition kinds. "wb" whole-body planar, "spot" limited planar views, "flow" and
# "blood_pool" the dynamic/early planar phases, "spect" a tomographic acquisition.
ACQ_KINDS = ("wb", "spot", "flow", "blood_pool", "spect")


@dataclass(frozen=True)
class Acq:
    """One acquisition at one time point.

    `day` counts the injection day as day 1; `hours` is the time after the injection
    that this acquisition images (its own injection when `own_injection`).
    """

    kind: str
    day: int
    hours: float
    regions: tuple[str, ...] = ()
    label: str | None = None
    tracer: str | None = None
    own_injection: bool = False


@dataclass
class Study:
    """Everything decided before any text is written."""

    scenario: str
    exam: str
    study_type: str
    kind: str
    tracers: list[str]
    doses: dict[str, float]
    acqs: list[Acq] = field(default_factory=list)
    # "localization" | "unknown" | "attenuation" | "outside" | None (no CT in this study)
    ct: str | None = None
    single_fov: bool = False
    quant: str | None = None
    aborted: bool = False
    three_phase: bool = False
    # Myocardial perfusion: protocol, stress mode, number of studies, planar or SPECT.
    cardiac: dict[str, object] | None = None
    traps: list[str] = field(default_factory=list)
    # Grey zone 5: {"kind": ..., ...}; the addendum's version is the fact.
    contradiction: dict[str, object] | None = None
    addendum: str | None = None
    dos: dt.date = dt.date(2023, 1, 1)
    dos_source: str = "record"
    findings_key: str = ""
    # Region id -> the phrase this report uses for it (stable between sections).
    phrases: dict[str, str] = field(default_factory=dict)
    # Scheme-level overrides of the exam's titles, indications and findings key.
    flavor: dict[str, object] = field(default_factory=dict)
    # Out-of-scope exam id, or "not_performed".
    oos: str | None = None
    tags: list[str] = field(default_factory=list)

    # -- views -----------------------------------------------------------------------
    def of_kind(self, kind: str) -> list[Acq]:
        return [a for a in self.acqs if a.kind == kind]

    @property
    def spect_acqs(self) -> list[Acq]:
        return self.of_kind("spect")

    @property
    def has_spect(self) -> bool:
        return bool(self.spect_acqs)

    @property
    def hybrid(self) -> bool:
        """A CT acquired in this session that makes the study SPECT/CT for coding."""
        return self.has_spect and self.ct in ("localization", "unknown")

    @property
    def spect_regions(self) -> list[str]:
        seen: list[str] = []
        for a in self.spect_acqs:
            for r in a.regions:
                if r not in seen:
                    seen.append(r)
        return seen

    @property
    def legacy(self) -> bool:
        return self.dos < dt.date(2020, 1, 1)


def _areas_of(regions: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    covered = {a for r in regions for a in region_areas(r)}
    return tuple(a for a in CANONICAL_AREAS if a in covered)


def _days(acqs: list[Acq]) -> int | None:
    return len({a.day for a in acqs}) or None


def to_facts(study: Study) -> StudyFacts:
    """The facts a perfect reader would extract from a true rendering of `study`."""
    radiopharmaceuticals = tuple(tracer_canonical(t) for t in study.tracers)
    dos = study.dos if study.dos_source in ("record", "header") else None
    dos_source = {"record": "record", "header": "text"}.get(study.dos_source)
    base = {
        "radiopharmaceuticals": radiopharmaceuticals,
        "dos": dos,
        "dos_source": dos_source,
    }
    if study.oos is not None:
        study_type = "out_of_scope" if study.oos != "not_performed" else study.study_type
        return StudyFacts(modality="none", study_type=study_type, **base)  # type: ignore[arg-type]

    spect = study.spect_acqs
    wb = study.of_kind("wb")
    limited = [a for a in study.acqs if a.kind in ("spot", "flow", "blood_pool")]
    if spect:
        modality = "spect_ct" if study.hybrid else "spect"
    elif study.acqs:
        modality = "planar"
    else:
        modality = "none"

    ct_purpose = None
    if spect and study.ct in ("localization", "unknown", "attenuation"):
        ct_purpose = study.ct

    areas = _areas_of(study.spect_regions) if spect else ()
    area_count = (1 if study.single_fov else len(areas)) if spect else None
    acquisitions = None
    if spect:
        per_day: dict[int, int] = {}
        for a in spect:
            per_day[a.day] = per_day.get(a.day, 0) + 1
        acquisitions = max(per_day.values())

    cardiac_studies = None
    if study.cardiac is not None:
        cardiac_studies = int(study.cardiac["studies"])  # type: ignore[call-overload]

    contradictions: tuple[str, ...] = ()
    if study.contradiction is not None:
        contradictions = (str(study.contradiction["fact"]),)

    return StudyFacts(
        modality=modality,  # type: ignore[arg-type]
        ct_purpose=ct_purpose,  # type: ignore[arg-type]
        areas=areas,
        area_count=area_count,
        single_field_of_view=study.single_fov,
        acquisitions=acquisitions,
        spect_days=_days(spect) if spect else None,
        spect_aborted=study.aborted,
        whole_body_planar=bool(wb),
        whole_body_days=_days(wb),
        whole_body_bone=bool(wb) and study.study_type == "bone",
        planar_areas=_areas_of([r for a in limited for r in a.regions]),
        planar_days=_days(limited),
        flow_imaging=bool(study.of_kind("flow")),
        three_phase=study.three_phase,
        quantification=study.quant is not None,
        cardiac_studies=cardiac_studies,
        study_type=study.study_type,  # type: ignore[arg-type]
        contradictions=contradictions,
        **base,  # type: ignore[arg-type]
    )
