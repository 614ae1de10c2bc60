"""Deterministic coding rules: from one report's `StudyFacts` to candidate code sets.

This module implements coding-policy.md sections 1-8 and the code decisions of
corpus/LABELING.md, and nothing else: the date of service picks the family, the
modality and the SPECT extent (areas, acquisitions, days) pick the SPECT code, and
planar, bone, own-code, legacy and out-of-scope rules add or replace codes. Every
decision is recorded as a `Step` a coder can read, with the facts and evidence used.

Pure functions over typed values: the only data read is the cached code table (for the
date the current family starts and which legacy codes are valid on a date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from nlp.coding.table import CodeTable, load_table
from nlp.facts import CONTEXTS, Evidence, StudyFacts

FamilyName = Literal["current", "legacy"]
DosSource = Literal["record", "text"]

# Current family SPECT codes by (CT used for localization, 2+ areas/acquisitions/days).
FAMILY_SPECT: dict[tuple[bool, bool], str] = {
    (False, False): "78803",
    (False, True): "78831",
    (True, False): "78830",
    (True, True): "78832",
}
QUANT_ADDON = "78835"
PLANAR_ONE_AREA, PLANAR_MULTI = "78800", "78801"
WB_ONE_DAY, WB_MULTI_DAY = "78802", "78804"
BONE_LIMITED, BONE_MULTI, BONE_WHOLE_BODY, BONE_THREE_PHASE = "78300", "78305", "78306", "78315"
MPI_SPECT_ONE, MPI_SPECT_MULTI, MPI_PLANAR_ONE, MPI_PLANAR_MULTI = (
    "78451",
    "78452",
    "78453",
    "78454",
)
PARATHYROID_PLANAR, PARATHYROID_SPECT, PARATHYROID_SPECT_CT = "78070", "78071", "78072"
BLOOD_POOL_SPECT = "78494"

# LABELING.md "Legacy": one SPECT code by study type whatever the areas, days or CT.
LEGACY_SPECT: dict[str, tuple[str, str, str]] = {
    # study type: (code, rule id, what it is for people)
    "bone": ("78320", "LEGACY-BONE", "bone SPECT"),
    "brain": ("78607", "LEGACY-BRAIN", "brain SPECT"),
    "liver": ("78205", "LEGACY-LIVER", "liver SPECT"),
    "kidney": ("78710", "LEGACY-KIDNEY", "kidney SPECT"),
    "csf": ("78647", "LEGACY-CSF", "cerebrospinal fluid SPECT"),
    "infection": ("78807", "LEGACY-INFECTION", "infection / inflammation SPECT"),
}
LEGACY_LIVER_WITH_FLOW = "78206"
LEGACY_LOCALIZATION = ("78803", "LEGACY-LOCALIZATION", "SPECT localization")

OWN_CODE_STUDIES: tuple[str, ...] = ("myocardial_perfusion", "parathyroid", "cardiac_blood_pool")
# LABELING.md "Out of scope": planar-only forms of these studies have codes outside the
# policy's tables; with SPECT they are coded in the family by facts.
PLANAR_OUT_OF_SCOPE: dict[str, str] = {
    "lung_vq": "planar lung ventilation/perfusion imaging",
    "csf": "planar cisternography",
    "kidney": "planar renal imaging (renography or cortical DMSA imaging)",
    "cardiac_blood_pool": "planar blood-pool imaging (MUGA or first pass)",
}
# Policy section 10: the grey zones that route a report to a coder, by rule id.
REVIEW_RULES: tuple[str, ...] = (
    "BONE-3PHASE",
    "SINGLE-FOV",
    "CT-ATTENUATION-ONLY",
    "ABORTED",
    "CONTRADICTION",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Step:
    """One reasoning step a coder or auditor can read."""

    rule_id: str
    message: str
    facts: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "message": self.message,
            "facts": dict(self.facts),
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Step:
        return cls(
            rule_id=str(d["rule_id"]),
            message=str(d["message"]),
            facts=dict(d.get("facts", {})),
            evidence=tuple(Evidence.from_dict(e) for e in d.get("evidence", ())),
        )


@dataclass(frozen=True)
class CandidateSet:
    """A code set billed together: primary first, then companions / add-ons."""

    codes: tuple[str, ...]
    rationale: str
    steps: tuple[Step, ...] = ()

    @property
    def primary(self) -> str:
        return self.codes[0] if self.codes else "NONE"

    def to_dict(self) -> dict[str, Any]:
        return {
            "codes": list(self.codes),
            "rationale": self.rationale,
            "steps": [s.to_dict() for s in self.steps],
        }


@dataclass(frozen=True)
class RuleResult:
    """What the rules suggest for one report, and why."""

    candidates: tuple[CandidateSet, ...]
    steps: tuple[Step, ...]
    family: FamilyName
    dos: dt.date | None
    dos_source: DosSource | None
    review_reasons: tuple[str, ...] = ()
    out_of_scope: bool = False
    equivalents: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        """The suggested code set (`candidates[0]`); () when no code applies."""
        return self.candidates[0].codes if self.candidates else ()

    @property
    def primary(self) -> str:
        return self.candidates[0].primary if self.candidates else "NONE"

    @property
    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        return tuple(c.codes for c in self.candidates[1:])

    @property
    def review(self) -> bool:
        return bool(self.review_reasons)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(s.rule_id for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; candidates name their steps by rule id (each id occurs once)."""
        return {
            "codes": list(self.codes),
            "primary": self.primary,
            "alternatives": [list(a) for a in self.alternatives],
            "family": self.family,
            "dos": None if self.dos is None else self.dos.isoformat(),
            "dos_source": self.dos_source,
            "review": self.review,
            "review_reasons": list(self.review_reasons),
            "out_of_scope": self.out_of_scope,
            "equivalents": {k: list(v) for k, v in self.equivalents.items()},
            "candidates": [
                {
                    "codes": list(c.codes),
                    "rationale": c.rationale,
                    "step_ids": [s.rule_id for s in c.steps],
                }
                for c in self.candidates
            ],
            "steps": [s.to_dict() for s in self.steps],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RuleResult:
        steps = tuple(Step.from_dict(s) for s in d["steps"])
        by_id = {s.rule_id: s for s in steps}
        candidates = tuple(
            CandidateSet(
                codes=tuple(c["codes"]),
                rationale=str(c["rationale"]),
                steps=tuple(by_id[i] for i in c["step_ids"]),
            )
            for c in d["candidates"]
        )
        return cls(
            candidates=candidates,
            steps=steps,
            family=d["family"],
            dos=dt.date.fromisoformat(d["dos"]) if d.get("dos") else None,
            dos_source=d.get("dos_source"),
            review_reasons=tuple(d.get("review_reasons", ())),
            out_of_scope=bool(d.get("out_of_scope", False)),
            equivalents={k: tuple(v) for k, v in d.get("equivalents", {}).items()},
        )


class _Trace:
    """Collects the steps, codes and review reasons while the rules run."""

    def __init__(self, facts: StudyFacts, family: FamilyName) -> None:
        self.facts = facts
        self.family: FamilyName = family
        self.steps: list[Step] = []
        self.review: list[str] = []
        self.codes: list[str] = []
        self.phrases: list[str] = []
        self.alternatives: list[CandidateSet] = []
        self.equivalents: dict[str, tuple[str, ...]] = {}

    @property
    def legacy(self) -> bool:
        return self.family == "legacy"

    def step(
        self,
        rule_id: str,
        message: str,
        facts: dict[str, Any],
        *,
        evidence_of: Iterable[str] | None = None,
        contexts: tuple[str | None, ...] = (None,),
        review: bool = False,
    ) -> Step:
        """Record a step with the evidence of the facts it names (or of `evidence_of`).

        Only asserted evidence is attached unless `contexts` admits others (an aborted
        SPECT, or the negated mention behind a contradiction).
        """
        if any(s.rule_id == rule_id for s in self.steps):
            raise AssertionError(f"rule {rule_id} recorded twice")  # a bug in this module
        names = set(facts if evidence_of is None else evidence_of)
        if "area_count" in names:
            names.add("areas")
        evidence = tuple(
            e for e in self.facts.evidence if e.fact in names and e.context in contexts
        )
        s = Step(rule_id, message, {k: _jsonable(v) for k, v in facts.items()}, evidence)
        self.steps.append(s)
        if review:
            assert rule_id in REVIEW_RULES, rule_id  # only policy section 10 grey zones
            self.review.append(rule_id)
        return s

    def add(self, code: str, phrase: str) -> None:
        self.codes.append(code)
        self.phrases.append(phrase)

    def result(
        self, dos: dt.date | None, source: DosSource | None, *, out_of_scope: bool = False
    ) -> RuleResult:
        if self.codes:
            rationale = "; ".join(self.phrases) + "."
        else:
            rationale = (self.phrases[0] if self.phrases else "No code applies") + "."
        first = CandidateSet(tuple(self.codes), rationale, tuple(self.steps))
        return RuleResult(
            candidates=(first, *self.alternatives),
            steps=tuple(self.steps),
            family=self.family,
            dos=dos,
            dos_source=source,
            review_reasons=tuple(self.review),
            out_of_scope=out_of_scope,
            equivalents=dict(self.equivalents),
        )


def _resolve_dos(facts: StudyFacts, dos: dt.date | None) -> tuple[dt.date | None, DosSource | None]:
    if dos is not None:
        return dos, "record"
    if facts.dos is not None:
        return facts.dos, facts.dos_source or "text"
    return None, None


def _dos_step(t: _Trace, dos: dt.date | None, source: DosSource | None, start: dt.date) -> None:
    facts = {"dos": dos, "dos_source": source, "family": t.family}
    if dos is None:
        msg = (
            "No date of service in the record or the report header: the current family "
            f"(from {start}) is applied (policy section 1)."
        )
    elif t.legacy:
        msg = (
            f"Date of service {dos} (from the {source}) is before {start}: legacy codes "
            "apply (policy sections 1 and 7)."
        )
    else:
        msg = (
            f"Date of service {dos} (from the {source}) is on or after {start}: the current "
            "family applies (policy sections 1 and 2)."
        )
    t.step("DOS-FAMILY", msg, facts, evidence_of=("dos",))


def _uses_localization_ct(facts: StudyFacts) -> bool:
    # A CT stated to serve only attenuation correction does not make SPECT/CT (policy 3).
    return facts.modality == "spect_ct" and facts.ct_purpose != "attenuation"


def _modality_step(t: _Trace) -> bool:
    """SPECT vs SPECT/CT; returns True when the CT counts for localization."""
    f = t.facts
    facts = {"modality": f.modality, "ct_purpose": f.ct_purpose}
    ct = _uses_localization_ct(f)
    if ct:
        why = (
            "with no purpose stated, which counts as SPECT/CT by project policy"
            if f.ct_purpose in (None, "unknown")
            else "used for anatomic localization / review"
        )
        msg = f"SPECT with a CT acquired in the same session, {why} (policy section 3)."
    elif f.ct_purpose == "attenuation":
        msg = (
            "The CT is stated to be for attenuation correction only: the study is coded as "
            "SPECT without CT (policy section 3)."
        )
    else:
        msg = "SPECT without a CT in this study (policy section 3)."
    if t.legacy:
        msg += " Before 2020 the CT does not change the legacy code; it decides the equivalent."
    t.step("SPECT-CT", msg, facts)
    if f.ct_purpose == "attenuation":
        t.step(
            "CT-ATTENUATION-ONLY",
            "CT for attenuation correction only is a grey zone: route to a coder (policy "
            "section 10, item 3).",
            {"ct_purpose": f.ct_purpose},
            review=True,
        )
    return ct


def _single_fov(t: _Trace) -> bool:
    """Contiguous areas explicitly in one field of view: one area, one acquisition, review."""
    f = t.facts
    listed = max(len(set(f.areas)), f.area_count or 0)
    if not (f.single_field_of_view and listed >= 2):
        return False
    t.step(
        "SINGLE-FOV",
        f"Contiguous areas ({', '.join(f.areas) or listed}) were acquired in one field of view "
        "/ bed position: counted as one area and one acquisition, single-area code suggested, "
        "and routed to a coder (policy sections 3 and 10, item 2).",
        {"single_field_of_view": True, "areas": f.areas, "area_count": f.area_count},
        review=True,
    )
    return True


def _extent_step(t: _Trace) -> bool:
    """Single vs multiple: 2+ areas, 2+ acquisitions or 2+ days (policy sections 2-3)."""
    f = t.facts
    sfov = _single_fov(t)
    assumed: list[str] = []
    if sfov:
        areas, acquisitions = 1, 1
    else:
        areas = f.area_count if f.area_count is not None else len(set(f.areas))
        if not areas:
            areas = 1
            assumed.append("area count")
        acquisitions = f.acquisitions or 1
        if f.acquisitions is None:
            assumed.append("acquisitions")
    days = f.spect_days or 1
    if f.spect_days is None:
        assumed.append("SPECT days")
    reasons = [
        label
        for label, n in (("areas", areas), ("acquisitions", acquisitions), ("days", days))
        if n >= 2
    ]
    multi = bool(reasons)
    if multi:
        msg = (
            f"SPECT covers 2+ {' and 2+ '.join(reasons)} ({areas} area(s), {acquisitions} "
            f"acquisition(s), {days} day(s)): the multiple code applies, replacing the single "
            "one (policy section 2)."
        )
    else:
        msg = (
            "SPECT covers one area, one acquisition, one day: the single code applies "
            "(policy section 2)."
        )
    if assumed and not multi:
        msg += f" Not stated, taken as 1: {', '.join(assumed)}."
    if t.legacy:
        msg = "For the current-family equivalent only: " + msg
    t.step(
        "SPECT-EXTENT",
        msg,
        {
            "area_count": areas,
            "acquisitions": acquisitions,
            "spect_days": days,
            "areas": f.areas,
            "single_field_of_view": sfov,
        },
    )
    return multi


def _planar_companions(t: _Trace) -> None:
    """Whole-body planar with a family SPECT is coded too; limited planar is not (section 4)."""
    f = t.facts
    if f.whole_body_planar and f.whole_body_bone and f.study_type != "bone":
        # a bone scan beside a gallium, leukocyte or tumor SPECT in one document: its
        # whole-body images are bone imaging, whatever the study type (LABELING.md, gold R);
        # 78306 existed before 2020 and the legacy infection exception is about the
        # infection study's own whole-body imaging, not a bone scan's
        t.step(
            "WB-PLANAR",
            "Whole-body planar images made with the bone tracer beside the "
            f"{f.study_type} SPECT: whole-body bone imaging, 78306 is reported with the SPECT "
            "code, not the family whole-body code (policy section 5; LABELING.md, gold R).",
            {"whole_body_planar": True, "whole_body_bone": True, "study_type": f.study_type},
            evidence_of=("whole_body_planar", "whole_body_bone"),
        )
        t.add(BONE_WHOLE_BODY, "whole-body planar bone 78306")
    elif f.whole_body_planar and t.legacy and f.study_type == "infection":
        t.step(
            "WB-PLANAR-LEGACY-INFECTION",
            "Before 2020 whole-body planar imaging of an infection study had a code of its "
            "own that lies outside the policy's tables, so no whole-body companion is "
            "suggested with the infection SPECT code; a coder adds that code if it is billed "
            "(LABELING.md, decisions for gold M).",
            {"whole_body_planar": True, "study_type": f.study_type, "family": "legacy"},
        )
    elif f.whole_body_planar:
        if f.study_type == "bone":
            t.step(
                "WB-PLANAR",
                "Whole-body planar bone imaging in the same study: 78306 is reported with the "
                "SPECT code (policy section 5).",
                {"whole_body_planar": True, "study_type": f.study_type},
            )
            t.add(BONE_WHOLE_BODY, "whole-body planar bone 78306")
        else:
            days = f.whole_body_days or 1
            code = WB_MULTI_DAY if days >= 2 else WB_ONE_DAY
            t.step(
                "WB-PLANAR",
                f"Whole-body planar imaging on {days} day(s) in the same study: {code} is "
                "reported with the SPECT code (policy section 4).",
                {"whole_body_planar": True, "whole_body_days": days},
            )
            t.add(code, f"whole-body planar on {days} day(s) {code}")
    if f.whole_body_planar and f.whole_body_bone_beside:
        _bone_whole_body_beside(t)
    elif f.planar_areas and not f.whole_body_planar:
        t.step(
            "LIMITED-PLANAR",
            "Limited planar views in a SPECT study are not coded separately: SPECT code only "
            "(policy sections 4 and 5; LABELING.md).",
            {"planar_areas": f.planar_areas},
        )


def _bone_whole_body_beside(t: _Trace) -> None:
    """A bone scan's whole-body images beside the study's own whole body of another tracer:
    both whole-body blocks are coded, the bone scan's as 78306 (policy sections 4 and 5;
    LABELING.md, two studies in one report). 78306 existed before 2020, and the legacy
    infection exception is about the infection study's own whole-body imaging."""
    f = t.facts
    t.step(
        "WB-PLANAR-BONE-BESIDE",
        "Whole-body planar images were also made with the bone tracer, beside the "
        f"{f.study_type} study's own whole-body images: whole-body bone imaging 78306 is "
        "reported as well (policy sections 4 and 5; LABELING.md, two studies in one report).",
        {"whole_body_bone_beside": True, "study_type": f.study_type},
        evidence_of=("whole_body_bone_beside",),
    )
    t.add(BONE_WHOLE_BODY, "whole-body planar bone 78306")


def _quantification(t: _Trace, ct: bool) -> None:
    f = t.facts
    if not f.quantification:
        return
    facts = {"quantification": True, "modality": f.modality, "ct_purpose": f.ct_purpose}
    if t.legacy:
        t.step(
            "QUANT-ADDON",
            "Quantification stated, but the add-on 78835 did not exist before 2020: not added "
            "(LABELING.md, legacy).",
            facts,
            evidence_of=("quantification",),
        )
    elif ct:
        t.step(
            "QUANT-ADDON",
            "Explicit quantification of uptake from the SPECT/CT data: add-on 78835 after the "
            "primary (policy section 3).",
            facts,
            evidence_of=("quantification",),
        )
        t.add(QUANT_ADDON, "quantification add-on 78835")
    else:
        t.step(
            "QUANT-NO-CT",
            "Warning: quantification on SPECT without a localization CT gets no add-on; 78835 "
            "is reported only with 78830 or 78832 (policy sections 2 and 3).",
            facts,
            evidence_of=("quantification",),
        )


def _three_phase_with_spect(t: _Trace) -> None:
    f = t.facts
    # a combined bone + leukocyte/gallium document with a three-phase bone part is the
    # same grey zone (decisions for gold AX, GAX-007)
    if not (f.study_type in ("bone", "infection") and f.three_phase):
        return
    s = t.step(
        "BONE-3PHASE",
        "Three-phase bone imaging with SPECT is reported as one or the other: the SPECT code "
        "set is suggested, 78315 is the next-ranked alternative, and a coder decides (policy "
        "sections 5 and 10, item 1).",
        {"three_phase": True, "study_type": f.study_type},
        evidence_of=("three_phase", "flow_imaging"),
        review=True,
    )
    t.alternatives.append(
        CandidateSet(
            (BONE_THREE_PHASE,),
            "Three-phase bone imaging 78315 reported instead of the SPECT (policy section 5).",
            (s,),
        )
    )


def _family_spect(t: _Trace, table: CodeTable, dos: dt.date | None) -> None:
    f = t.facts
    ct = _modality_step(t)
    multi = _extent_step(t)
    current = FAMILY_SPECT[(ct, multi)]
    kind = ("SPECT/CT" if ct else "SPECT") + (", 2+ areas/acquisitions/days" if multi else "")
    if t.legacy:
        code, rule_id, what = LEGACY_SPECT.get(f.study_type, LEGACY_LOCALIZATION)
        if f.study_type == "liver" and f.flow_imaging:
            code, what = LEGACY_LIVER_WITH_FLOW, "liver SPECT with flow imaging"
        fallback = ""
        if dos is not None and not table.valid_on(code, dos):
            fallback = (
                f" The code table does not list {code} as valid on {dos}, so the old-meaning "
                "78803 is used instead."
            )
            code = LEGACY_LOCALIZATION[0]
        equivalent = (current, QUANT_ADDON) if ct and f.quantification else (current,)
        t.equivalents[code] = equivalent
        t.step(
            rule_id,
            f"Before 2020 a {what} is one code whatever the areas, days or CT: {code}. The "
            f"current-family equivalent for these facts is {' + '.join(equivalent)} "
            f"(policy section 7; LABELING.md, legacy).{fallback}",
            {"study_type": f.study_type, "flow_imaging": f.flow_imaging, "legacy_code": code},
            evidence_of=("study_type", "flow_imaging"),
        )
        t.add(code, f"legacy {what} {code} (current equivalent {' + '.join(equivalent)})")
    else:
        t.add(current, f"{kind}: {current}")
    _quantification(t, ct)
    _planar_companions(t)
    _three_phase_with_spect(t)


def _planar_only(t: _Trace) -> None:
    f = t.facts
    note = (
        " Before 2020 the same planar numbers are used; study-specific legacy planar codes lie "
        "outside the policy's tables."
        if t.legacy
        else ""
    )
    t.step(
        "PLANAR-ONLY",
        "Only planar imaging was performed: no SPECT code applies; the planar code is "
        f"suggested (policy section 4).{note}",
        {"modality": f.modality},
    )
    if f.study_type == "bone":
        if f.three_phase:
            extra = (
                " Whole-body planar is not added (LABELING.md, policy)."
                if f.whole_body_planar
                else ""
            )
            t.step(
                "BONE-3PHASE",
                f"Three-phase bone imaging without SPECT: 78315 (policy section 5).{extra}",
                {"three_phase": True, "whole_body_planar": f.whole_body_planar},
            )
            t.add(BONE_THREE_PHASE, "planar three-phase bone 78315")
        elif f.whole_body_planar:
            t.step(
                "WB-PLANAR",
                "Whole-body planar bone imaging: 78306 (policy section 5).",
                {"whole_body_planar": True, "study_type": f.study_type},
            )
            t.add(BONE_WHOLE_BODY, "planar whole-body bone 78306")
        else:
            n = len(set(f.planar_areas))
            code = BONE_MULTI if n >= 2 else BONE_LIMITED
            t.step(
                "BONE-PLANAR",
                f"Planar bone imaging of {max(n, 1)} area(s): {code} (policy section 5).",
                {"planar_areas": f.planar_areas},
            )
            t.add(code, f"planar bone, {max(n, 1)} area(s) {code}")
        return
    if f.whole_body_planar:
        days = f.whole_body_days or 1
        code = WB_MULTI_DAY if days >= 2 else WB_ONE_DAY
        t.step(
            "WB-PLANAR",
            f"Whole-body planar imaging on {days} day(s): {code} (policy section 2).",
            {"whole_body_planar": True, "whole_body_days": days},
        )
        t.add(code, f"planar whole body on {days} day(s) {code}")
        if f.whole_body_bone_beside:
            _bone_whole_body_beside(t)
        return
    n = len(set(f.planar_areas)) or 1
    days = f.planar_days or 1
    code = PLANAR_MULTI if n >= 2 or days >= 2 else PLANAR_ONE_AREA
    t.step(
        "PLANAR-EXTENT",
        f"Planar imaging of {n} area(s) on {days} day(s): {code} (policy section 2).",
        {"planar_areas": f.planar_areas, "planar_days": f.planar_days},
    )
    t.add(code, f"planar, {n} area(s) on {days} day(s) {code}")


def _own_code_extras(t: _Trace) -> None:
    """Own-code studies never get a family SPECT code, 78835 or a whole-body companion."""
    f = t.facts
    dropped = [
        name
        for name, present in (
            ("the quantification add-on 78835", f.quantification),
            ("a whole-body planar companion", f.whole_body_planar),
        )
        if present
    ]
    if dropped:
        t.step(
            "OWN-CODE-ONLY",
            f"The study's own code already covers it: {' and '.join(dropped)} not added "
            "(policy section 6; LABELING.md).",
            {"quantification": f.quantification, "whole_body_planar": f.whole_body_planar},
        )


def _own_code(t: _Trace) -> None:
    f = t.facts
    if f.study_type == "myocardial_perfusion":
        n, source = f.cardiac_studies, "cardiac_studies"
        if n is None:
            n, source = (f.acquisitions or f.spect_days or 1), "assumed (count not stated)"
        if f.has_spect:
            code = MPI_SPECT_MULTI if n >= 2 else MPI_SPECT_ONE
            ct_note = (
                " The CT acquired with it (attenuation correction) is part of the code and "
                "not a grey zone."
                if f.ct_purpose is not None or f.modality == "spect_ct"
                else ""
            )
            kind = "SPECT"
        else:
            code = MPI_PLANAR_MULTI if n >= 2 else MPI_PLANAR_ONE
            ct_note, kind = "", "planar"
        studies = "2+ studies (reported once)" if n >= 2 else "one study"
        t.step(
            "OWN-CODE-MPI",
            f"Myocardial perfusion {kind}, {studies}: {code}; its own code includes the SPECT, "
            f"so no family SPECT code is added (policy section 6).{ct_note}",
            {
                "study_type": f.study_type,
                "modality": f.modality,
                "cardiac_studies": n,
                "count_source": source,
            },
            evidence_of=("study_type", "modality", "cardiac_studies"),
        )
        t.add(code, f"myocardial perfusion {kind}, {studies} {code}")
    elif f.study_type == "parathyroid":
        ct = _uses_localization_ct(f)
        if not f.has_spect:
            code, kind = PARATHYROID_PLANAR, "planar only"
        elif ct:
            code, kind = PARATHYROID_SPECT_CT, "planar with SPECT and CT"
        else:
            code, kind = PARATHYROID_SPECT, "planar with SPECT"
        t.step(
            "OWN-CODE-PARATHYROID",
            f"Parathyroid imaging, {kind}: {code}; the areas never change its own code and no "
            "family SPECT code is added (policy section 6; LABELING.md).",
            {"study_type": f.study_type, "modality": f.modality, "ct_purpose": f.ct_purpose},
        )
        t.add(code, f"parathyroid {kind} {code}")
        if f.has_spect and f.ct_purpose == "attenuation":
            t.step(
                "CT-ATTENUATION-ONLY",
                "CT for attenuation correction only: coded as SPECT without CT and routed to a "
                "coder (policy sections 3 and 10, item 3).",
                {"ct_purpose": f.ct_purpose},
                review=True,
            )
    else:
        t.step(
            "OWN-CODE-BLOOD-POOL",
            "Gated SPECT of the cardiac blood pool: 78494, its own code; no family SPECT code "
            "is added (policy section 6).",
            {"study_type": f.study_type, "modality": f.modality},
        )
        t.add(BLOOD_POOL_SPECT, "gated blood-pool SPECT 78494")
    if f.has_spect:
        _single_fov(t)
    _own_code_extras(t)


def apply_rules(
    facts: StudyFacts, dos: dt.date | None = None, *, table: CodeTable | None = None
) -> RuleResult:
    """The rules' code suggestion for one report's facts, with every step explained.

    `dos` (from the input record) overrides `facts.dos`. `table` defaults to the packaged
    code table; it supplies the date the current family starts and the legacy end dates.
    """
    table = table or load_table()
    when, source = _resolve_dos(facts, dos)
    family: FamilyName = "legacy" if table.is_legacy_date(when) else "current"
    t = _Trace(facts, family)
    _dos_step(t, when, source, table.current_family_from)

    if facts.contradictions:
        t.step(
            "CONTRADICTION",
            "The report contradicts itself about what was performed ("
            + "; ".join(facts.contradictions)
            + "): route to a coder (policy section 10, item 5).",
            {"contradictions": facts.contradictions},
            evidence_of=("contradictions", *facts.contradictions),
            contexts=(None, *CONTEXTS),
            review=True,
        )

    if facts.study_type == "out_of_scope":
        t.step(
            "OUT-OF-SCOPE",
            "The study's own codes lie outside the policy's tables: no code is suggested "
            "(LABELING.md, out of scope).",
            {"study_type": facts.study_type},
        )
        t.phrases.append("Out of scope: no code from the policy's tables applies")
        return t.result(when, source, out_of_scope=True)

    if not facts.has_spect and facts.study_type in PLANAR_OUT_OF_SCOPE:
        what = PLANAR_OUT_OF_SCOPE[facts.study_type]
        t.step(
            "OUT-OF-SCOPE",
            f"No SPECT was performed, and {what} has its own codes outside the policy's tables: "
            "no code is suggested (LABELING.md, out of scope).",
            {"study_type": facts.study_type, "modality": facts.modality},
        )
        t.phrases.append(f"Out of scope: {what} without SPECT")
        return t.result(when, source, out_of_scope=True)

    if facts.spect_aborted:
        if facts.modality == "none":
            how = "but the facts record nothing performed, so no code can be derived"
        elif facts.has_spect:
            how = "and it is coded as if it had been completed"
        else:
            how = "and only the planar part is coded from the facts"
        t.step(
            "ABORTED",
            f"A SPECT was started but aborted or left incomplete, {how}: route to a coder "
            "(policy sections 8 and 10, item 4).",
            {"spect_aborted": True, "modality": facts.modality},
            contexts=(None, "aborted"),
            review=True,
        )

    if facts.modality == "none":
        t.step(
            "NOT-PERFORMED",
            "No codable imaging was performed: no code applies (LABELING.md, out of scope).",
            {"modality": facts.modality},
        )
        t.phrases.append("Nothing codable was performed: no code applies")
        return t.result(when, source)

    if facts.study_type in OWN_CODE_STUDIES:
        _own_code(t)
    elif facts.has_spect:
        _family_spect(t, table, when)
    else:
        _planar_only(t)
    return t.result(when, source)
