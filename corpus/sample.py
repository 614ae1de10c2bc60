"""Sample a plausible study (what was done, when, where, and what the report will mention).

The mix of scenarios, exams, date sources and trap rates is data (`templates/mix.json`);
the exam catalog (`templates/exams.json`) says which tracers, regions and time points fit
each exam. Every choice draws from the `random.Random` passed in, so one seed gives one
study.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from corpus.bank import chance, exam, load, pick, pick_weighted, regions, single_fov_ids, tracer
from corpus.plan import Acq, Study

LEGACY_END = 2019
SPECT_STUDY_TYPES_WITH_GREY_SINGLE_FOV = (
    "bone",
    "octreotide",
    "mibg",
    "wbc_in111",
    "gallium_infection",
    "lu177",
)


def mix() -> dict[str, Any]:
    return load("mix")


def sample_study(rng: random.Random) -> Study:
    """One study drawn from the corpus mix."""
    m = mix()
    scenario = pick_weighted(rng, m["scenarios"])
    if scenario == "bone_spect":
        study = _spect_study(rng, "bone", scenario)
    elif scenario == "family_spect":
        study = _spect_study(rng, pick_weighted(rng, m["family_exams"]), scenario)
    elif scenario == "planar_only":
        study = _planar_study(rng, pick_weighted(rng, m["planar_exams"]))
    elif scenario == "own_code":
        study = _own_code_study(rng, pick_weighted(rng, m["own_code"]))
    elif scenario == "out_of_scope":
        study = _oos_study(rng, pick_weighted(rng, m["out_of_scope"]))
    else:
        study = _grey_study(rng, pick_weighted(rng, m["grey_zones"]))
    _add_common_traps(rng, study)
    study.tags.insert(0, scenario)
    return study


# -- dates ---------------------------------------------------------------------------


def _sample_dos(rng: random.Random, study: Study, min_year: int, max_year: int) -> None:
    m = mix()
    source = pick_weighted(rng, m["dos_source"])
    lo, hi = m["years"]
    lo, hi = max(lo, min_year), min(hi, max_year)
    if source == "unknown":
        year_lo, year_hi = lo, hi
    else:
        known = sum(w for k, w in m["dos_source"].items() if k != "unknown")
        total = sum(m["dos_source"].values())
        legacy = chance(rng, m["legacy_share"] / (known / total))
        if legacy and lo > LEGACY_END:
            legacy = False
        if not legacy and hi <= LEGACY_END:
            legacy = True
        year_lo, year_hi = (lo, min(hi, LEGACY_END)) if legacy else (max(lo, LEGACY_END + 1), hi)
    year = rng.randint(year_lo, year_hi)
    month = rng.randint(1, 12)
    # Multi-day studies must not cross 1 January (the code family would be ambiguous).
    day = rng.randint(1, 20 if month == 12 else 28)
    study.dos = dt.date(year, month, day)
    study.dos_source = source


def _year_bounds(exam_id: str, tracer_ids: list[str]) -> tuple[int, int]:
    e = exam(exam_id)
    lo = int(e.get("min_year", 0))
    hi = int(e.get("max_year", 9999))
    # If every candidate tracer is recent, the exam is too.
    tracer_mins = [int(tracer(t).get("min_year", 0)) for t in tracer_ids]
    if tracer_mins:
        lo = max(lo, min(tracer_mins))
    return lo, hi


def _pick_tracer(rng: random.Random, candidates: list[str], year: int) -> str:
    usable = [t for t in candidates if int(tracer(t).get("min_year", 0)) <= year]
    return pick(rng, usable or candidates)


def _dose(rng: random.Random, tracer_id: str) -> float:
    lo, hi = tracer(tracer_id)["mci"]
    step = 0.1 if hi < 12 else 0.5
    return round(round(rng.uniform(lo, hi) / step) * step, 2)


# -- regions and schemes -----------------------------------------------------------------


def _pick_regions(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """Up to `k` regions; later ones must not overlap the areas already covered (mostly)."""
    bank = regions()
    chosen: list[str] = []
    covered: set[str] = set()
    pool = dict(weights)
    while len(chosen) < k and pool:
        rid = pick_weighted(rng, pool)
        del pool[rid]
        areas = set(bank[rid]["areas"])
        overlap = areas & covered
        if overlap and not (len(areas) == 1 and len(covered) == 1 and chance(rng, 0.25)) and chosen:
            continue
        chosen.append(rid)
        covered |= areas
    return chosen


def _region_count(rng: random.Random, weights: dict[str, float]) -> int:
    if len(weights) == 1:
        return 1
    return rng.choices([1, 2, 3], weights=[70, 25, 5])[0]


def _phrase(rng: random.Random, study: Study, rid: str) -> None:
    if rid not in study.phrases:
        study.phrases[rid] = pick(rng, list(regions()[rid]["phrases"]))


def _jitter(rng: random.Random, e: dict[str, Any]) -> dict[str, float]:
    return {k: float(pick(rng, v)) for k, v in sorted(e.get("jitter", {}).items())}


def _hour(value: float, jitter: dict[str, float]) -> float:
    return jitter.get(f"{value:g}", float(value))


def _day_of(hours: float) -> int:
    return 1 + int(hours // 24)


def _pick_scheme(rng: random.Random, schemes: list[dict[str, Any]]) -> dict[str, Any]:
    weights = {str(i): float(s.get("w", 1)) for i, s in enumerate(schemes)}
    return schemes[int(pick_weighted(rng, weights))]


def _build_acqs(
    rng: random.Random,
    study: Study,
    scheme: dict[str, Any],
    spect_regions: list[str],
    spot_regions: list[str],
    flow_regions: list[str],
    jitter: dict[str, float],
) -> None:
    acqs: list[Acq] = []
    for kind in ("flow", "blood_pool"):
        for h in scheme.get(kind, []):
            acqs.append(Acq(kind, 1, float(h), tuple(flow_regions)))
    for h in scheme.get("wb", []):
        hh = _hour(h, jitter)
        acqs.append(Acq("wb", _day_of(hh), hh))
    for key in ("spot", "spot_multi"):
        for h in scheme.get(key, []):
            hh = _hour(h, jitter)
            acqs.append(Acq("spot", _day_of(hh), hh, tuple(spot_regions)))
    for entry in scheme.get("spect", []):
        if isinstance(entry, dict):
            hh = _hour(entry["h"], jitter)
            day = int(entry.get("day", _day_of(hh)))
            tracer_id = entry.get("tracer")
            if tracer_id in ("vent", "same"):
                # The exam's first tracer: the ventilation agent, or a reinjection.
                tracer_id = study.tracers[0]
            acqs.append(
                Acq(
                    "spect",
                    day,
                    hh,
                    tuple(spect_regions),
                    label=entry.get("label"),
                    tracer=tracer_id,
                    own_injection=tracer_id is not None,
                )
            )
        else:
            hh = _hour(entry, jitter)
            acqs.append(Acq("spect", _day_of(hh), hh, tuple(spect_regions)))
    study.acqs = acqs
    study.flavor = {k: scheme[k] for k in ("titles", "indications") if k in scheme}
    if "findings" in scheme:
        study.findings_key = str(scheme["findings"])
    for a in acqs:
        for r in a.regions:
            _phrase(rng, study, r)


def _new_study(rng: random.Random, exam_id: str, scenario: str) -> Study:
    e = exam(exam_id)
    study = Study(
        scenario=scenario,
        exam=exam_id,
        study_type=e["study_type"],
        kind=e["kind"],
        tracers=[],
        doses={},
        findings_key=e["findings"],
    )
    lo, hi = _year_bounds(exam_id, e["tracers"] if exam_id != "vq_spect" else ["tc_maa"])
    _sample_dos(rng, study, lo, hi)
    return study


def _choose_tracers(rng: random.Random, study: Study) -> None:
    e = exam(study.exam)
    year = study.dos.year
    if study.exam == "vq_spect":
        vent = _pick_tracer(rng, ["tc_dtpa_aerosol", "technegas"], year)
        tracers = [vent, "tc_maa"]
    elif study.exam == "wbc_marrow":
        tracers = ["in_wbc", "tc_sc"]
    else:
        tracers = [_pick_tracer(rng, e["tracers"], year)]
    study.tracers = tracers
    study.doses = {t: _dose(rng, t) for t in tracers}


def _hybrid(rng: random.Random, study: Study, p: float) -> None:
    if chance(rng, p):
        study.ct = "localization" if chance(rng, 0.55) else "unknown"
    else:
        study.ct = None


# -- scenarios -----------------------------------------------------------------------------


def _spect_study(
    rng: random.Random, exam_id: str, scenario: str, *, force_regions: list[str] | None = None
) -> Study:
    study = _new_study(rng, exam_id, scenario)
    _choose_tracers(rng, study)
    e = exam(exam_id)
    jitter = _jitter(rng, e)
    scheme = _pick_scheme(rng, e["schemes"])
    if study.exam == "vq_spect" and len(scheme["spect"]) == 1:
        study.tracers = ["tc_maa"]
        study.doses = {"tc_maa": study.doses["tc_maa"]}
    spect_regions = force_regions or _pick_regions(
        rng, e["regions"], _region_count(rng, e["regions"])
    )
    spot_regions = spect_regions
    if "spot_regions" in e and not chance(rng, 0.7):
        spot_regions = _pick_regions(rng, e["spot_regions"], 1)
    _build_acqs(rng, study, scheme, spect_regions, spot_regions, spect_regions, jitter)
    _hybrid(rng, study, float(e["spect_ct"]))
    if study.hybrid and chance(rng, float(e["quant"])):
        study.quant = (
            "dosimetry"
            if exam_id == "lu177" and chance(rng, 0.6)
            else pick(rng, ["suv", "suv", "kbq"])
        )
    study.tags.append(exam_id)
    return study


def _planar_study(rng: random.Random, exam_id: str) -> Study:
    three_phase = exam_id == "bone_three_phase"
    if three_phase:
        exam_id = "bone"
    study = _new_study(rng, exam_id, "planar_only")
    _choose_tracers(rng, study)
    e = exam(exam_id)
    jitter = _jitter(rng, e)
    if three_phase:
        scheme = _pick_scheme(rng, e["three_phase_schemes"])
        region = _pick_regions(rng, e["three_phase_regions"], 1)
        _build_acqs(rng, study, scheme, [], region, region, jitter)
        study.three_phase = True
        study.tags.append("three-phase")
    else:
        scheme = _pick_scheme(rng, e.get("planar_schemes") or e["schemes"])
        spot_weights = e.get("spot_regions") or e["regions"]
        k = rng.choice([2, 2, 3]) if "spot_multi" in scheme else 1
        spot = _pick_regions(rng, spot_weights, k)
        _build_acqs(rng, study, scheme, [], spot, [], jitter)
    study.tags.append(exam_id)
    return study


MPI_PROTOCOLS = {
    # name: (studies, SPECT days, order of phases)
    "one_day_rest_stress": (2, 1, ("rest", "stress")),
    "one_day_stress_rest": (2, 1, ("stress", "rest")),
    "two_day_stress_rest": (2, 2, ("stress", "rest")),
    "stress_only": (1, 1, ("stress",)),
    "rest_only": (1, 1, ("rest",)),
}


def _mpi_study(rng: random.Random) -> Study:
    study = _new_study(rng, "mpi", "own_code")
    m = mix()["own_code_modality"]["mpi"]
    modality = pick_weighted(rng, m)
    protocol = pick_weighted(
        rng,
        {
            "one_day_rest_stress": 40,
            "one_day_stress_rest": 10,
            "two_day_stress_rest": 15,
            "stress_only": 22,
            "rest_only": 8,
        },
    )
    studies, days, phases = MPI_PROTOCOLS[protocol]
    tracer_id = pick_weighted(rng, {"tc_sestamibi": 50, "tc_tetrofosmin": 35, "tl201": 15})
    tracers = [tracer_id]
    dual = tracer_id != "tl201" and protocol == "one_day_rest_stress" and chance(rng, 0.12)
    if dual:
        tracers = ["tl201", tracer_id]
    study.tracers = tracers
    study.doses = {t: _dose(rng, t) for t in tracers}
    stress = pick_weighted(
        rng,
        {"exercise": 40, "regadenoson": 35, "adenosine": 10, "dipyridamole": 5, "dobutamine": 5},
    )
    kind = "spect" if modality == "spect" else "spot"
    acqs = []
    for i, phase in enumerate(phases):
        day = 2 if (days == 2 and i == 1) else 1
        tracer_for_phase = tracers[0] if (dual and phase == "rest") else tracers[-1]
        acqs.append(
            Acq(
                kind,
                day,
                0.75,
                ("heart",),
                label=phase,
                tracer=tracer_for_phase,
                own_injection=True,
            )
        )
    study.acqs = acqs
    _phrase(rng, study, "heart")
    if kind == "spect" and chance(rng, 0.35):
        study.ct = "attenuation"
    study.cardiac = {
        "protocol": protocol,
        "studies": studies,
        "stress": stress if "stress" in phases else None,
        "gated": chance(rng, 0.85),
        "dual": dual,
        "prone": chance(rng, 0.15),
    }
    study.tags += ["mpi", protocol]
    return study


def _parathyroid_study(rng: random.Random, modality: str) -> Study:
    study = _spect_study(rng, "parathyroid", "own_code")
    if modality == "planar":
        e = exam("parathyroid")
        scheme = _pick_scheme(rng, e["planar_schemes"])
        spot = _pick_regions(rng, e["spot_regions"], 1)
        _build_acqs(rng, study, scheme, [], spot, [], {})
        study.ct = None
    elif modality == "spect":
        study.ct = None
    else:
        study.ct = "localization" if chance(rng, 0.6) else "unknown"
    if chance(rng, 0.2):
        extra = pick(rng, ["i123_naI", "tc_pertechnetate"])
        study.tracers.append(extra)
        study.doses[extra] = _dose(rng, extra)
        study.tags.append("dual-isotope")
    study.quant = None
    return study


def _own_code_study(rng: random.Random, which: str) -> Study:
    if which == "mpi":
        return _mpi_study(rng)
    if which == "parathyroid":
        modality = pick_weighted(rng, mix()["own_code_modality"]["parathyroid"])
        return _parathyroid_study(rng, modality)
    study = _spect_study(rng, "blood_pool", "own_code")
    study.ct = None
    return study


def _oos_study(rng: random.Random, which: str) -> Study:
    if which == "not_performed":
        planned = pick_weighted(
            rng, {"bone": 3, "octreotide": 1, "wbc_in111": 1, "datscan": 1, "vq_spect": 1}
        )
        study = _new_study(rng, planned, "out_of_scope")
        _choose_tracers(rng, study)
        study.oos = "not_performed"
        study.tags.append("not-performed")
        return study
    spec = load("oos")[which]
    study = Study(
        scenario="out_of_scope",
        exam=which,
        study_type="out_of_scope",
        kind="oos",
        tracers=[],
        doses={},
        oos=which,
        findings_key=which,
    )
    tracer_ids = spec["tracers"]
    lo = max(int(tracer(t).get("min_year", 0)) for t in tracer_ids)
    _sample_dos(rng, study, lo, 9999)
    chosen = _pick_tracer(rng, tracer_ids, study.dos.year)
    study.tracers = [chosen]
    study.doses = {chosen: _dose(rng, chosen)}
    study.tags.append(which)
    return study


def _grey_study(rng: random.Random, which: str) -> Study:
    weights = dict(mix()["grey_zone_exams"])
    if which == "three_phase_spect":
        study = _new_study(rng, "bone", "grey_zone")
        _choose_tracers(rng, study)
        e = exam("bone")
        scheme = dict(_pick_scheme(rng, e["three_phase_schemes"]))
        scheme["spect"] = [3]
        region = _pick_regions(rng, e["three_phase_regions"], 1)
        _build_acqs(rng, study, scheme, region, region, region, _jitter(rng, e))
        study.three_phase = True
        _hybrid(rng, study, 0.7)
        study.tags.append("bone")
    elif which == "single_fov":
        exam_id = pick_weighted(
            rng, {k: v for k, v in weights.items() if k in SPECT_STUDY_TYPES_WITH_GREY_SINGLE_FOV}
        )
        study = _spect_study(rng, exam_id, "grey_zone", force_regions=[pick(rng, single_fov_ids())])
        study.single_fov = True
        study.quant = None
        if study.ct is None and chance(rng, 0.7):
            study.ct = "localization"
    elif which == "attenuation_ct":
        exam_id = pick_weighted(rng, weights)
        study = _spect_study(rng, exam_id, "grey_zone")
        study.ct = "attenuation"
        study.quant = "suv" if chance(rng, 0.15) else None
    elif which == "aborted":
        exam_id = pick_weighted(rng, weights)
        study = _spect_study(rng, exam_id, "grey_zone")
        study.aborted = True
        study.quant = None
    else:
        study = _contradiction_study(rng, weights)
    study.tags.append(f"grey:{which}")
    return study


def _contradiction_study(rng: random.Random, weights: dict[str, float]) -> Study:
    exam_id = pick_weighted(rng, {k: v for k, v in weights.items() if k != "parathyroid"})
    study = _spect_study(rng, exam_id, "grey_zone")
    study.quant = None
    options = ["ct_not_acquired", "spect_not_done"]
    if len(study.spect_regions) == 1 and not regions()[study.spect_regions[0]]["single"]:
        options.append("region_not_imaged")
    if len({a.day for a in study.spect_acqs}) >= 2:
        options.append("day_not_done")
    kind = pick(rng, options)
    if kind == "ct_not_acquired":
        # The report claims SPECT/CT; the addendum says the CT was never acquired.
        study.ct = None
        study.contradiction = {"kind": kind, "fact": "modality"}
    elif kind == "spect_not_done":
        claimed = study.spect_acqs[0]
        study.acqs = [a for a in study.acqs if a.kind != "spect"]
        if not study.acqs:
            study.acqs = [Acq("wb", claimed.day, claimed.hours)]
        claimed_ct = study.ct or "unknown"
        study.ct = None
        study.contradiction = {
            "kind": kind,
            "fact": "modality",
            "claimed": claimed,
            "ct": claimed_ct,
        }
    elif kind == "region_not_imaged":
        e = exam(exam_id)
        extra = [
            r
            for r in _pick_regions(rng, e["regions"], 3)
            if not set(regions()[r]["areas"]) & set(regions()[study.spect_regions[0]]["areas"])
        ]
        if not extra:
            study.ct = None
            study.contradiction = {"kind": "ct_not_acquired", "fact": "modality"}
        else:
            _phrase(rng, study, extra[0])
            study.contradiction = {"kind": kind, "fact": "areas", "claimed_region": extra[0]}
    else:
        last = max(a.day for a in study.spect_acqs)
        dropped = [a for a in study.spect_acqs if a.day == last]
        study.acqs = [a for a in study.acqs if not (a.kind == "spect" and a.day == last)]
        study.contradiction = {"kind": kind, "fact": "spect_days", "claimed": dropped[0]}
    if study.contradiction is not None and study.contradiction["kind"] == "ct_not_acquired":
        study.tags.append("claimed-ct")
    return study


# -- traps that do not change the facts ----------------------------------------------------


def _add_common_traps(rng: random.Random, study: Study) -> None:
    rates = mix()["traps"]
    traps = study.traps
    in_scope = study.oos is None
    # A contradiction's main body describes a claimed acquisition, so traps that key on
    # what was (not) performed would not be rendered as tagged.
    if in_scope and study.kind != "mpi" and study.contradiction is None:
        if not study.has_spect and study.acqs:
            if chance(rng, rates["negated_spect"]):
                traps.append("negated_spect")
            if chance(rng, rates["order_title"]):
                traps.append("order_title")
            if chance(rng, rates["recommend_spect_planar"]):
                traps.append("recommend_spect")
        elif study.has_spect:
            if chance(rng, rates["recommend_spect"]):
                traps.append("recommend_spect")
            if study.ct is None and study.contradiction is None:
                if study.study_type not in ("parathyroid", "cardiac_blood_pool") and chance(
                    rng, rates["outside_ct"]
                ):
                    study.ct = "outside"
                    traps.append("outside_ct")
                elif chance(rng, rates["ct_not_acquired"]):
                    traps.append("ct_not_acquired")
            if not study.aborted and chance(rng, rates["motion"]):
                traps.append("motion")
            if chance(rng, rates["reprojection"]):
                traps.append("reprojection")
        if study.of_kind("wb") and chance(rng, rates["findings_outside"]):
            traps.append("findings_outside")
    if in_scope and chance(rng, rates["historical"]):
        traps.append("historical")
    if chance(rng, rates["quant_trap"]):
        traps.append("quant_trap")
    if chance(rng, rates["glitches"]):
        traps.append("glitches")
    if study.contradiction is None and chance(rng, rates["addendum_any"]):
        traps.append("addendum")
    study.tags.extend(f"trap:{t}" for t in traps)
