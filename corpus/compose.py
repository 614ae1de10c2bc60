"""Turn a sampled `Study` into the true sentences of its report, before any layout.

The composer decides wording (which SPECT synonym, which time words, which tracer
spelling) once per report and writes each section as a list of statements. Styles
(`corpus.styles`) then lay the statements out. Nothing here may state something the
study's facts contradict; trap sentences (negations, recommendations, comparisons) are
written so that they do not change the facts.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
from dataclasses import dataclass, field, replace
from typing import Any

from corpus.bank import chance, exam, load, pick, region_areas, regions, tracer
from corpus.plan import Acq, Study
from corpus.timewords import Clock, join_list


@dataclass
class Statement:
    """One technique fact: prose for narrative styles, label + terse value for templates."""

    key: str
    prose: str
    label: str
    terse: str
    # False when a time-point table row cannot carry the whole statement (own injections
    # on another day, single bed position, aborted, three-phase): the table style then
    # keeps the prose beside the table.
    table_safe: bool = True

    def __post_init__(self) -> None:
        # "... 2 hrs p.i." closing a sentence must not end in "p.i..".
        self.prose = _tidy(self.prose)
        self.terse = _tidy(self.terse)


@dataclass
class Content:
    title: str
    history: str
    comparison: str
    technique: list[Statement] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    impression: list[str] = field(default_factory=list)
    dos_label: str | None = None
    dos_text: str | None = None
    addendum: str | None = None
    addendum_head: str = "ADDENDUM:"
    addendum_date: str | None = None
    addendum_kind: str | None = None
    # Rows of (time, acquisition, region) for tabular styles.
    sessions: list[tuple[str, str, str]] = field(default_factory=list)
    accession: str = ""
    age_sex: str = ""


@dataclass
class Voice:
    """Style-level habits the composer must know before writing."""

    units: str = "mixed"  # "mci", "mbq", "mixed"
    british: bool = False
    terse: bool = False


SIDES = ("left", "right")
BONE_CT = (
    "facet arthropathy",
    "a sclerotic lesion",
    "a healing fracture",
    "a pars interarticularis defect",
    "a degenerative osteophyte",
    "an insufficiency fracture",
    "a lytic lesion",
)
BONE_DX = (
    "degenerative change",
    "osseous metastasis",
    "stress fracture",
    "facet arthropathy",
    "spondylolysis",
    "osteoid osteoma",
    "prosthesis loosening",
)
OUTSIDE_REGIONS = (
    "knees",
    "shoulders",
    "feet",
    "wrists_hands",
    "skull",
    "hips",
    "c_spine",
    "ribs",
    "sternum",
    "elbows",
    "tibiae",
)


def _tidy(text: str) -> str:
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _fmt(template: str, **values: Any) -> str:
    """str.format with capitalized variants ({Spect} -> capitalized {spect})."""
    names = set(re.findall(r"\{(\w+)\}", template))
    filled = dict(values)
    for n in names:
        if n not in filled and n[:1].isupper() and n[:1].lower() + n[1:] in values:
            filled[n] = cap(str(values[n[:1].lower() + n[1:]]))
    text = template.format(**filled)
    # "2 hours p.i." at the end of a sentence must not end in "p.i..".
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    # Region phrases such as "both knees" do not take an article.
    return re.sub(r"\b([Tt])he both\b", lambda m: "Both" if m.group(1) == "T" else "both", text)


def _bank_lines(lines: list[str], ok: set[str]) -> list[str]:
    out = []
    for line in lines:
        m = re.match(r"\[(\w+)\]\s*", line)
        need = m.group(1) if m else "any"
        if need in ok:
            out.append(line[m.end() :] if m else line)
    return out


# Wording that needs both a stress and a rest study: reversibility, TID, summed scores.
_BOTH_PARTS = re.compile(r"reversib|\bTID\b|\bSDS\b|\bSRS\b", re.IGNORECASE)
# Wording that needs a stress study.
_STRESS_PART = re.compile(r"stress|ischemi", re.IGNORECASE)
# a near-miss line that says no quantification was done ("no quantitative analysis")
_DENIES_QUANT = re.compile(r"\bno (?:quantitative|dosimetry)\b", re.IGNORECASE)
# Lines true of a study with only one of its parts, added to what is left of the bank.
_ONE_PART_LINES = {
    "stress_only": {
        "abn": ["Moderate-sized stress perfusion defect in the inferior wall."],
        "norm": ["Normal stress myocardial perfusion."],
    },
    "rest_only": {
        "abn": [
            "Moderate resting perfusion defect in the inferior wall.",
            "Reduced resting perfusion in the apex and anterior wall.",
        ],
        "norm": ["Normal resting myocardial perfusion."],
        "imp_abn": ["Abnormal resting myocardial perfusion, consistent with prior infarction."],
        "imp_norm": ["Normal resting myocardial perfusion."],
        "trap": ["Resting LVEF {ef}%."],
    },
}


def _mpi_bank(bank: dict[str, list[str]], protocol: str) -> dict[str, list[str]]:
    """The myocardial perfusion bank without lines the protocol makes untrue: a stress-only
    or rest-only study says nothing of reversibility, and a rest-only one nothing of stress."""
    if protocol not in _ONE_PART_LINES:
        return bank
    out = {}
    for key, lines in bank.items():
        kept = [x for x in lines if not _BOTH_PARTS.search(x)]
        if protocol == "rest_only":
            kept = [x for x in kept if not _STRESS_PART.search(x)]
        out[key] = kept + _ONE_PART_LINES[protocol].get(key, [])
    return out


ROUTE_OF = {
    "in_dtpa": "intrathecal",
    "y90_spheres": "intra_arterial",
    "tc_dtpa_aerosol": "inhaled",
    "technegas": "inhaled",
    "i123_naI": "oral",
}


class Composer:
    """Writes the sections of one report."""

    def __init__(self, study: Study, rng: random.Random, voice: Voice):
        self.study = study
        self.rng = rng
        self.voice = voice
        self.P = load("phrases")
        dated = study.dos_source in ("record", "header")
        self.clock = Clock(rng, study.dos, dated, british=voice.british)
        self.tracer_names: dict[str, str] = {}
        # The main body describes `shown`: the truth, except where a contradiction or an
        # addendum moves a statement out of the main body.
        self.shown = self._shown_study()
        self.addendum_kind: str | None = None

    # -- names -------------------------------------------------------------------------
    def tracer_name(self, tracer_id: str) -> str:
        if tracer_id in self.tracer_names:
            return self.tracer_names[tracer_id]
        t = tracer(tracer_id)
        iso_names = load("tracers")["isotopes"][t["isotope"]]
        iso = pick(self.rng, iso_names)
        agent = pick(self.rng, t["agents"])
        brand_like = (
            agent[:1].isupper()
            and agent.isalpha()
            and agent
            not in (
                "MDP",
                "HDP",
                "HMDP",
                "MIBG",
                "MAA",
                "PYP",
                "DMSA",
                "DTPA",
                "SC",
                "ECD",
                "HMPAO",
                "MIBI",
                "MAG3",
                "FDG",
            )
        )
        if tracer_id in ("technegas",):
            name = agent
        elif brand_like and chance(self.rng, 0.5):
            name = f"{agent} ({iso})" if chance(self.rng, 0.5) else f"{iso} {agent}"
        else:
            form = pick(self.rng, ["space", "space", "hyphen", "paren"])
            if agent in ("citrate", "chloride", "gas", "thallous chloride") or "(" in agent:
                form = "space"
            if form == "hyphen" and " " not in iso and " " not in agent:
                name = f"{iso}-{agent}"
            elif form == "paren":
                name = f"{agent} ({iso})"
            else:
                name = f"{iso} {agent}"
        self.tracer_names[tracer_id] = name
        return name

    def dose(self, tracer_id: str) -> str:
        mci = self.study.doses.get(tracer_id, 10.0)
        units = self.voice.units
        use_mbq = units == "mbq" or (units == "mixed" and chance(self.rng, 0.3))
        if use_mbq:
            mbq = mci * 37
            if mbq >= 1000 and chance(self.rng, 0.7):
                return f"{mbq / 1000:.2f} GBq"
            return f"{round(mbq):d} MBq"
        if mci < 1 and chance(self.rng, 0.6):
            return f"{round(mci * 1000):d} {pick(self.rng, ['µCi', 'uCi', 'microcuries'])}"
        return f"{mci:g} {pick(self.rng, ['mCi', 'mCi', 'mCi', 'millicuries'])}"

    def route(self, tracer_id: str) -> str:
        key = ROUTE_OF.get(tracer_id, "iv")
        if tracer_id == "tc_maa" and self.study.exam == "maa_liver":
            key = "intra_arterial"
        return pick(self.rng, self.P["routes"][key])

    def phrase(self, rid: str) -> str:
        if rid not in self.study.phrases:
            self.study.phrases[rid] = pick(self.rng, list(regions()[rid]["phrases"]))
        return self.study.phrases[rid]

    def region_list(self, rids: list[str] | tuple[str, ...]) -> str:
        return join_list([self.phrase(r) for r in rids], self.rng)

    # -- the view the main body describes --------------------------------------------------
    def _shown_study(self) -> Study:
        s = self.study
        shown = copy.copy(s)
        shown.acqs = list(s.acqs)
        c = s.contradiction
        if c is None:
            return shown
        kind = c["kind"]
        if kind == "ct_not_acquired":
            shown.ct = "unknown" if chance(self.rng, 0.5) else "localization"
        elif kind == "spect_not_done":
            claimed = c["claimed"]
            assert isinstance(claimed, Acq)
            shown.acqs = [*shown.acqs, claimed]
            shown.ct = str(c["ct"])
        elif kind == "region_not_imaged":
            extra = str(c["claimed_region"])
            shown.acqs = [
                replace(a, regions=(*a.regions, extra)) if a.kind == "spect" else a
                for a in shown.acqs
            ]
        elif kind == "day_not_done":
            claimed = c["claimed"]
            assert isinstance(claimed, Acq)
            shown.acqs = [*shown.acqs, claimed]
        return shown

    def _move_region_to_addendum(self) -> str | None:
        """For an 'add_region' addendum: drop one SPECT region from the main body."""
        rids = self.shown.spect_regions
        if len(rids) < 2 or self.study.single_fov:
            return None
        moved = rids[-1]
        kept_areas = {a for r in rids[:-1] for a in region_areas(r)}
        if set(region_areas(moved)) <= kept_areas:
            # "Additional SPECT of the abdomen was also acquired" after a SPECT of the liver
            # reads as a second acquisition of one area, which the study does not have
            return None
        self.shown.acqs = [
            replace(a, regions=tuple(r for r in a.regions if r != moved))
            if a.kind == "spect"
            else a
            for a in self.shown.acqs
        ]
        return moved

    # -- sections ----------------------------------------------------------------------------
    def compose(self, force_addendum: bool) -> Content:
        s = self.study
        content = Content(title="", history="", comparison="")
        addendum_plan = self._plan_addendum(force_addendum)
        if s.oos is not None:
            self._oos(content)
        elif s.kind == "mpi":
            self._mpi(content)
        else:
            self._generic(content)
        self._dos(content)
        if addendum_plan is not None:
            self._addendum(content, addendum_plan)
        content.accession = f"NM{self.rng.randint(10_000_000, 99_999_999)}"
        content.age_sex = f"{self.rng.randint(18, 89)}-year-old {pick(self.rng, ['man', 'woman', 'male', 'female', 'patient'])}"
        return content

    def _dos(self, content: Content) -> None:
        s = self.study
        show = s.dos_source == "header" or (s.dos_source == "record" and chance(self.rng, 0.35))
        if show:
            content.dos_label = pick(self.rng, self.P["dos_labels"])
            content.dos_text = self.clock.date(s.dos)

    # -- titles, history, comparison ----------------------------------------------------------
    def _title(self, base: str, modality: str) -> str:
        spect_ct_words = [
            "with SPECT/CT",
            "w/ SPECT-CT",
            "and SPECT/CT",
            "+ SPECT/CT",
            "with SPECT CT",
        ]
        spect_words = ["with SPECT", "w/ SPECT", "and SPECT", "+ SPECT"]
        if modality == "spect_ct" and "SPECT" not in base.upper():
            return f"{base} {pick(self.rng, spect_ct_words)}" if chance(self.rng, 0.7) else base
        if modality == "spect" and "SPECT" not in base.upper():
            return f"{base} {pick(self.rng, spect_words)}" if chance(self.rng, 0.6) else base
        return base

    @staticmethod
    def _titles_for(shown: Study, titles: list[str]) -> list[str]:
        """Titles that do not name more than was done (the order-title trap is added apart)."""
        hybrid_word = re.compile(r"SPECT\s*[/-]?\s*CT|SPECTCT", re.I)
        if not shown.has_spect:
            kept = [t for t in titles if "SPECT" not in t.upper()]
        elif not shown.hybrid and shown.ct != "attenuation":
            kept = [t for t in titles if not hybrid_word.search(t)]
        else:
            kept = titles
        if not shown.of_kind("wb"):
            # "Whole body" in a title would suggest a whole-body planar code.
            kept = [t for t in kept if not re.search(r"whole[ -]?body|total body", t, re.I)]
        return kept or [
            re.sub(
                r"\s*(with|w/|and|\+)?\s*SPECT\s*[/-]?\s*(CT)?|\s*whole[ -]?body",
                "",
                titles[0],
                flags=re.I,
            ).strip()
            or "Nuclear medicine study"
        ]

    def _comparison(self) -> str:
        s = self.study
        prior = s.dos - dt.timedelta(days=self.rng.randint(60, 1500))
        values = {
            "date": self.clock.date(prior),
            "mdate": self.clock.month_year(prior),
            "year": str(prior.year),
        }
        if "historical" in s.traps:
            return _fmt(pick(self.rng, self.P["historical"]), **values)
        return _fmt(pick(self.rng, self.P["comparison_plain"]), **values)

    # -- generic (family, bone, parathyroid, blood pool) ------------------------------------------
    def _spect_terms(self, study: Study) -> tuple[str, str, bool]:
        """(procedure noun, image noun, CT named in the noun) for the shown study."""
        hybrid = study.has_spect and study.ct in ("localization", "unknown")
        if hybrid and chance(self.rng, 0.75):
            return (
                pick(self.rng, self.P["spect_proc"]["spect_ct"]),
                pick(self.rng, self.P["spect_imgs"]["spect_ct"]),
                True,
            )
        if study.ct == "attenuation" and chance(self.rng, 0.4):
            return (
                pick(self.rng, self.P["spect_proc"]["spect_ct"]),
                pick(self.rng, self.P["spect_imgs"]["spect_ct"]),
                True,
            )
        proc = pick(self.rng, self.P["spect_proc"]["spect"])
        imgs = pick(self.rng, self.P["spect_imgs"]["spect"])
        return proc, imgs, False

    def _generic(self, content: Content) -> None:
        s, shown = self.study, self.shown
        e = exam(s.exam)
        modality = "spect_ct" if shown.hybrid else ("spect" if shown.has_spect else "planar")
        base_title = pick(
            self.rng, self._titles_for(shown, list(s.flavor.get("titles") or e["titles"]))
        )  # type: ignore[call-overload]
        if "order_title" in s.traps and not shown.has_spect:
            content.title = (
                f"{base_title} {pick(self.rng, ['with SPECT/CT', 'w/ SPECT', 'SPECT/CT'])}"
            )
        else:
            content.title = self._title(base_title, modality)
        indications = list(
            s.flavor.get("indications")  # type: ignore[call-overload]
            or e.get("indications_by_tracer", {}).get(s.tracers[0])
            or e["indications"]
        )
        if not s.quant:
            # An indication asking for dosimetry would imply a measurement that was not made.
            indications = [i for i in indications if "dosimetry" not in i] or indications
        content.history = pick(self.rng, indications)
        content.comparison = self._comparison()
        self.spect_proc, self.spect_imgs, self.ct_in_noun = self._spect_terms(shown)
        content.technique = self._technique(shown, content)
        content.findings, content.impression = self._findings()

    def _inject_statements(self, study: Study) -> list[Statement]:
        out = []
        labeled_tracers = {a.tracer for a in study.acqs if a.own_injection}
        for t in study.tracers:
            if t in labeled_tracers:
                continue  # said with its own acquisition
            if study.exam == "parathyroid" and t != study.tracers[0]:
                prose = pick(
                    self.rng,
                    [
                        f"For thyroid subtraction, {self.dose(t)} {self.tracer_name(t)} was also given {self.route(t)}.",
                        f"Dual-isotope technique: {self.tracer_name(t)} ({self.dose(t)}) administered for thyroid subtraction imaging.",
                    ],
                )
                out.append(
                    Statement(
                        "inject",
                        prose,
                        "Subtraction agent",
                        f"{self.tracer_name(t)} {self.dose(t)}",
                    )
                )
                continue
            d, name, r = self.dose(t), self.tracer_name(t), self.route(t)
            prose = _fmt(pick(self.rng, self.P["inject"]), dose=d, tracer=name, route=r)
            out.append(Statement("inject", cap(prose), "Radiopharmaceutical", f"{name} {d} {r}"))
        return out

    def _technique(self, shown: Study, content: Content) -> list[Statement]:
        s = self.study
        out = self._inject_statements(shown)
        clock = self.clock
        flow = shown.of_kind("flow")
        bp = shown.of_kind("blood_pool")
        wb = shown.of_kind("wb")
        spots = shown.of_kind("spot")
        spects = shown.spect_acqs

        if s.three_phase and flow:
            pts = [(a.day, a.hours) for a in spots + wb] or [(1, 3.0)]
            region = self.region_list(flow[0].regions)
            prose = _fmt(
                pick(self.rng, self.P["three_phase"]), regions=region, times=clock.points(pts)
            )
            out.append(
                Statement(
                    "flow",
                    prose,
                    "Three-phase",
                    f"flow, blood pool, delayed ({region})",
                    table_safe=False,
                )
            )
            content.sessions.append(("0 min", "flow / blood pool", region))
            spots_left = [a for a in spots if a.regions != flow[0].regions]
            spots = spots_left
        elif flow:
            region = self.region_list(flow[0].regions)
            bank = self.P["flow_blood_pool"] if bp else self.P["flow_only"]
            out.append(
                Statement(
                    "flow",
                    _fmt(pick(self.rng, bank), regions=region),
                    "Flow",
                    f"dynamic flow{' + blood pool' if bp else ''}, {region}",
                )
            )
            content.sessions.append(("0 min", "flow" + (" / blood pool" if bp else ""), region))

        by_session = len({(a.day, a.hours) for a in wb + spots + spects}) >= 2 and chance(
            self.rng, 0.3
        )
        if by_session and not any(a.label for a in spects):
            out += self._sessions_prose(wb, spots, spects)
            if s.aborted and spects:
                out.append(self._aborted(spects, self.region_list(spects[0].regions)))
        else:
            if wb:
                pts = [(a.day, a.hours) for a in wb]
                out.append(
                    Statement(
                        "wb",
                        _fmt(pick(self.rng, self.P["wb"]), times=clock.points(pts)),
                        "Whole body",
                        clock.shorts(pts),
                    )
                )
            if spots:
                by_regions: dict[tuple[str, ...], list[tuple[int, float]]] = {}
                for a in spots:
                    by_regions.setdefault(a.regions, []).append((a.day, a.hours))
                for rids, pts in by_regions.items():
                    region = self.region_list(rids)
                    label = "Planar (early/delayed)" if s.exam == "parathyroid" else "Planar views"
                    out.append(
                        Statement(
                            "spot",
                            _fmt(
                                pick(self.rng, self.P["spot"]),
                                regions=region,
                                times=clock.points(pts),
                            ),
                            label,
                            f"{region}, {clock.shorts(pts)}",
                        )
                    )
            if spects:
                out += self._spect_prose(spects, shown, bool(wb or spots or flow))
        for a in wb:
            content.sessions.append((clock.short(a.day, a.hours), "whole-body planar", "-"))
        for a in spots:
            content.sessions.append(
                (clock.short(a.day, a.hours), "planar spot views", self.region_list(a.regions))
            )
        for a in spects:
            what = f"{a.label} {self.spect_proc}" if a.label else self.spect_proc
            when = f"day {a.day}" if a.own_injection else clock.short(a.day, a.hours)
            if a.own_injection and clock.mode == "dates":
                when = clock.date(clock.day_date(a.day))
            content.sessions.append((when, what, self.region_list(a.regions)))

        out += self._ct_statements(shown)
        if spects:
            if "motion" in s.traps:
                out.append(
                    Statement(
                        "motion",
                        pick(self.rng, self.P["motion"]),
                        "Note",
                        "SPECT repeated for motion (one acquisition used)",
                    )
                )
            if "reprojection" in s.traps:
                out.append(
                    Statement(
                        "reproj",
                        pick(self.rng, self.P["reprojection"]),
                        "Processing",
                        "MIP reprojections from SPECT",
                    )
                )
            if s.quant and self.addendum_kind != "add_quant" and chance(self.rng, 0.5):
                q = self._quant_sentence()
                out.append(Statement("quant", q, "Quantification", q))
                self.quant_said = True
        else:
            if "negated_spect" in s.traps:
                out.append(
                    Statement(
                        "negated", pick(self.rng, self.P["negated_spect"]), "SPECT", "not performed"
                    )
                )
            elif "order_title" in s.traps:
                out.append(
                    Statement(
                        "negated",
                        pick(self.rng, self.P["planar_only_note"]),
                        "SPECT",
                        "none (planar only)",
                    )
                )
        return out

    def _sessions_prose(
        self, wb: list[Acq], spots: list[Acq], spects: list[Acq]
    ) -> list[Statement]:
        clock = self.clock
        sessions: dict[tuple[int, float], list[str]] = {}
        for a in wb:
            sessions.setdefault((a.day, a.hours), []).append(
                pick(
                    self.rng,
                    [
                        "anterior and posterior whole-body images",
                        "whole-body planar images",
                        "a whole-body sweep",
                    ],
                )
            )
        for a in spots:
            sessions.setdefault((a.day, a.hours), []).append(
                f"planar views of the {self.region_list(a.regions)}"
            )
        for a in spects:
            sessions.setdefault((a.day, a.hours), []).append(self._spect_phrase_for(a))
        out = []
        for (day, hours), parts in sorted(sessions.items()):
            when = clock.point(day, hours)
            body = join_list(parts)
            prose = pick(
                self.rng,
                [
                    f"{cap(when)}: {body}.",
                    f"{cap(when)}, {body} were obtained.",
                    f"Images {when}: {body}.",
                ],
            )
            kinds = "SPECT" if any(a.day == day and a.hours == hours for a in spects) else "Planar"
            out.append(
                Statement(
                    "session",
                    prose,
                    f"{kinds} ({clock.short(day, hours)})",
                    body,
                    table_safe=not self.study.single_fov,
                )
            )
        return out

    def _spect_phrase_for(self, a: Acq) -> str:
        region = self.region_list(a.regions)
        if self.study.single_fov:
            return f"{self.spect_proc} in a single bed position over the {region}"
        return f"{self.spect_proc} of the {region}"

    def _spect_prose(self, spects: list[Acq], shown: Study, planar_before: bool) -> list[Statement]:
        s = self.study
        clock = self.clock
        out = []
        values = {"spect": self.spect_proc, "spect_imgs": self.spect_imgs}
        plain = [a for a in spects if not a.label]
        labeled = [a for a in spects if a.label]
        if plain:
            rids = plain[0].regions
            pts = [(a.day, a.hours) for a in plain]
            region = self.region_list(rids)
            all_day1 = all(a.day == 1 for a in shown.acqs)
            if s.single_fov:
                text = _fmt(
                    pick(self.rng, self.P["single_fov"]),
                    fov=region,
                    times=clock.points(pts),
                    **values,
                )
            elif all_day1 and len(pts) == 1 and chance(self.rng, 0.35):
                bank = [
                    t
                    for t in self.P["spect_no_time"]
                    if planar_before
                    or ("also" not in t and "Subsequently" not in t and "then" not in t)
                ]
                text = _fmt(pick(self.rng, bank), regions=region, **values)
            else:
                bank = [
                    t for t in self.P["spect"] if planar_before or not t.startswith("Additional")
                ]
                times = clock.points(pts)
                text = _fmt(
                    pick(self.rng, bank),
                    regions=region,
                    times=times,
                    times_cap=cap(times),
                    **values,
                )
            if self.ct_in_noun is False and shown.ct == "localization" and chance(self.rng, 0.5):
                text = (
                    text.rstrip(".")
                    + ", "
                    + pick(self.rng, self.P["ct_sentences"]["localization_separate"])
                    + "."
                )
                self.ct_said = True
            ct_clause = getattr(self, "ct_said", False)
            terse_label = cap(self.spect_proc) if len(self.spect_proc) < 30 else "SPECT"
            out.append(
                Statement(
                    "spect",
                    text,
                    terse_label,
                    f"{region}{' (single bed position)' if s.single_fov else ''}, {clock.shorts(pts)}"
                    + (", with CT for localization" if ct_clause else ""),
                    # The table row cannot carry a single bed position or the CT clause.
                    table_safe=not (s.single_fov or ct_clause),
                )
            )
            if s.aborted:
                out.append(self._aborted(plain, region))
        prev_day = plain[-1].day if plain else None
        for a in labeled:
            out.append(self._labeled_spect(a, prev_day))
            prev_day = a.day
        if s.aborted and not plain:
            out.append(self._aborted(labeled, self.region_list(labeled[0].regions)))
        return out

    def _aborted(self, acqs: list[Acq], region: str) -> Statement:
        values = {"spect": self.spect_proc, "spect_imgs": self.spect_imgs, "regions": region}
        text = _fmt(pick(self.rng, self.P["aborted"]), **values)
        if len(acqs) > 1:
            last = acqs[-1]
            text = (
                f"At the {self.clock.short(last.day, last.hours)} time point: "
                + text[:1].lower()
                + text[1:]
            )
        return Statement(
            "aborted", text, "Note", "SPECT started, aborted before completion", table_safe=False
        )

    def _labeled_spect(self, a: Acq, prev_day: int | None) -> Statement:
        spect = self.spect_proc
        region = self.region_list(a.regions)
        clock = self.clock
        label = a.label or ""
        inj = ""
        if a.tracer is not None and a.own_injection:
            t = a.tracer
            inj = f"{self.dose(t)} {self.tracer_name(t)}"
            if label != "ventilation":
                inj += f" {self.route(t)}"
        if prev_day is not None and a.day == prev_day:
            day_words = pick(self.rng, ["the same day", "on the same day", "later the same day"])
        elif clock.mode == "dates":
            day_words = f"on {clock.date(clock.day_date(a.day))}"
        elif a.day == 2 and prev_day == 1:
            day_words = pick(
                self.rng,
                ["the following day", "on day 2", "on a separate day (day 2)", "the next day"],
            )
        else:
            day_words = f"on day {a.day}"
        after = self.clock._amount(a.hours)
        if label == "ventilation":
            prose = pick(
                self.rng,
                [
                    f"Ventilation {spect} of the {region} was acquired after inhalation of {inj}.",
                    f"Ventilation imaging: {inj}, followed by {spect} of the {region}.",
                ],
            )
        elif label == "perfusion":
            prose = pick(
                self.rng,
                [
                    f"Perfusion {spect} of the {region} was then acquired after {inj}.",
                    f"Perfusion: {inj}; {spect} of the {region}.",
                    f"{cap(inj)} was then injected for perfusion {spect} of the {region}.",
                ],
            )
            if len(self.study.spect_acqs) == 1:
                prose = pick(
                    self.rng,
                    [
                        f"Perfusion-only {spect} of the {region} after {inj}; ventilation imaging was not performed.",
                        f"Perfusion {spect} of the {region} only, after {inj}. No ventilation study.",
                    ],
                )
        elif label in ("ictal", "baseline") and a.day == 1:
            prose = pick(
                self.rng,
                [
                    f"{cap(label)} injection of {inj}; {spect} of the {region} was acquired {after} later.",
                    f"{cap(label)} {spect} of the {region} was performed {after} after {inj}.",
                ],
            )
        elif label in ("interictal", "acetazolamide"):
            what = (
                "after acetazolamide 1 g IV and reinjection"
                if label == "acetazolamide"
                else "after a second injection"
            )
            prose = pick(
                self.rng,
                [
                    f"{cap(label)} {spect} of the {region} was performed {day_words}, {what} ({inj}).",
                    f"{cap(day_words)}, {label} {spect} of the {region} was acquired {what} of {inj}.",
                ],
            )
        elif label == "marrow":
            prose = pick(
                self.rng,
                [
                    f"Marrow imaging: {inj}, with {spect} of the {region} {after} later {day_words}.",
                    f"Then {inj} was given and marrow {spect} of the {region} was acquired {day_words}, {after} after injection.",
                ],
            )
        elif label in ("early", "delayed"):
            prose = f"{cap(label)} {spect} of the {region} {clock.point(a.day, a.hours)}."
        else:
            prose = f"{cap(label)} {spect} of the {region} {clock.point(a.day, a.hours)}."
        prose = prose.replace("later later", "later")
        return Statement(
            "spect",
            prose,
            f"{cap(label)} {spect}",
            f"{region}, {clock.short(a.day, a.hours) if not a.own_injection else day_words}",
            table_safe=False,
        )

    def _ct_statements(self, shown: Study) -> list[Statement]:
        s = self.study
        out = []
        if not shown.has_spect:
            return out
        ct = shown.ct
        P = self.P["ct_sentences"]
        said = getattr(self, "ct_said", False)
        if ct == "localization" and not said:
            if not self.ct_in_noun or chance(self.rng, 0.7):
                # Without "CT" in the SPECT noun, the sentence itself must name the CT:
                # "fused images were reviewed" alone could be a software fusion.
                bank = (
                    P["localization"]
                    if self.ct_in_noun
                    else [t for t in P["localization"] if re.search(r"\bCT\b", t)]
                )
                out.append(
                    Statement(
                        "ct",
                        pick(self.rng, bank),
                        "CT",
                        "low dose, for localization / fused review",
                    )
                )
        elif ct == "unknown" and not self.ct_in_noun:
            out.append(Statement("ct", pick(self.rng, P["unknown"]), "CT", "low dose"))
        elif ct == "attenuation":
            out.append(
                Statement(
                    "ct",
                    pick(self.rng, P["attenuation"]),
                    "CT",
                    "attenuation correction only (not for localization)",
                )
            )
        elif ct == "outside":
            prior = s.dos - dt.timedelta(days=self.rng.randint(5, 200))
            text = _fmt(pick(self.rng, P["outside"]), date=self.clock.date(prior))
            out.append(Statement("ct", text, "CT", "none acquired; software fusion to outside CT"))
        elif ct is None and "ct_not_acquired" in s.traps:
            out.append(Statement("ct", pick(self.rng, P["negated"]), "CT", "not performed"))
        return out

    def _quant_values(self) -> dict[str, str]:
        r = self.rng
        return {
            "suv": f"{r.uniform(3, 28):.1f}",
            "suv2": f"{r.uniform(2, 18):.1f}",
            "kbq": f"{r.uniform(15, 400):.0f}",
            "gy1": f"{r.uniform(2, 6):.1f}",
            "gy2": f"{r.uniform(8, 60):.1f}",
            "gy3": f"{r.uniform(0.1, 0.8):.2f}",
        }

    def _quant_sentence(self) -> str:
        s = self.study
        region = self.phrase(s.spect_regions[0])
        kind = s.quant or "suv"
        bank = self.P["quant"]["spect_only"] if not s.hybrid else self.P["quant"][kind]
        return _fmt(pick(self.rng, bank), region=region, **self._quant_values())

    # -- findings --------------------------------------------------------------------------
    def _findings(self) -> tuple[list[str], list[str]]:
        s = self.study
        bank = load("findings")[s.findings_key]
        ok = {"any"}
        if s.has_spect:
            ok.add("spect")
            if s.hybrid and s.ct == "localization":
                ok.add("ct")
        else:
            ok.add("planar")
        if s.of_kind("wb"):
            ok.add("wb")
        if s.spect_regions:
            rids = s.spect_regions
        else:
            rids = [r for a in s.acqs for r in a.regions] or list(exam(s.exam)["regions"])
        region = self.phrase(pick(self.rng, rids))
        if s.has_spect:
            tomo_key = s.ct if s.hybrid and s.ct in ("localization", "unknown") else "spect"
            tomo = pick(self.rng, self.P["tomo_findings"][tomo_key])
        else:
            tomo = "images"
        values = {
            "region": region,
            "tomo": tomo,
            "side": pick(self.rng, SIDES),
            "bone_ct": pick(self.rng, BONE_CT),
            "bone_dx": pick(self.rng, BONE_DX),
            "size": f"{self.rng.uniform(0.6, 4.5):.1f}",
            "ef": str(self.rng.randint(35, 72)),
        }
        abnormal = chance(self.rng, 0.65)
        lines = self._usable(_bank_lines(bank["abn"] if abnormal else bank["norm"], ok))
        findings = []
        for line in self.rng.sample(lines, k=min(len(lines), self.rng.randint(1, 2))):
            findings.append(cap(_fmt(line, **values)))
        also = _bank_lines(bank.get("also", []), ok)
        if abnormal and also and chance(self.rng, 0.4):
            line = cap(_fmt(pick(self.rng, also), **values))
            if line not in findings:
                findings.append(line)
        if "findings_outside" in s.traps:
            covered = {a for r in s.spect_regions for a in regions()[r]["areas"]}
            candidates = [r for r in OUTSIDE_REGIONS if not set(regions()[r]["areas"]) & covered]
            if candidates:
                orid = pick(self.rng, candidates)
                outside_bank = bank.get("outside") or load("findings")["_outside"]
                findings.append(_fmt(pick(self.rng, outside_bank), oregion=self.phrase(orid)))
        if s.quant and not getattr(self, "quant_said", False) and self.addendum_kind != "add_quant":
            findings.append(self._quant_sentence())
        # a quantified study keeps its near-miss lines but not one denying the quantification
        traps = [x for x in bank.get("trap", []) if not (s.quant and _DENIES_QUANT.search(x))]
        if "quant_trap" in s.traps and traps:
            findings.append(_fmt(pick(self.rng, traps), **values))
        imp_lines = self._usable(_bank_lines(bank["imp_abn"] if abnormal else bank["imp_norm"], ok))
        impression = [cap(_fmt(pick(self.rng, imp_lines), **values))]
        if abnormal and len(imp_lines) > 1 and chance(self.rng, 0.3):
            second = cap(_fmt(pick(self.rng, imp_lines), **values))
            if second != impression[0]:
                impression.append(second)
        if "recommend_spect" in s.traps:
            covered = {a for r in s.spect_regions for a in regions()[r]["areas"]}
            pool = [*exam(s.exam)["regions"], *exam(s.exam).get("spot_regions", {})]
            rec_regions = sorted({r for r in pool if not set(regions()[r]["areas"]) & covered})
            templates = self.P["recommend"]
            if rec_regions or not s.has_spect:
                if not rec_regions:
                    templates = [t for t in templates if "{region}" not in t]
                    rec_regions = ["chest"]
                impression.append(
                    _fmt(pick(self.rng, templates), region=self.phrase(pick(self.rng, rec_regions)))
                )
        return findings, impression

    def _usable(self, lines: list[str]) -> list[str]:
        """Drop lines that would claim an acquisition this study lacks."""
        s = self.study
        if s.exam == "vq_spect" and not any(a.label == "ventilation" for a in s.acqs):
            kept = [x for x in lines if "entilation" not in x and "atched" not in x]
            return kept or ["No segmental perfusion defect."]
        return lines

    # -- myocardial perfusion ---------------------------------------------------------------------
    def _mpi(self, content: Content) -> None:
        s = self.study
        e = exam("mpi")
        c = s.cardiac or {}
        stress = c.get("stress")
        titles = [
            t
            for t in e["titles"]
            if not (
                ("Exercise" in t and stress != "exercise")
                or ("Pharmacologic" in t and stress in (None, "exercise"))
                or ("STRESS" in t.upper() and stress is None)
            )
        ]
        if not s.has_spect:
            titles = [t for t in titles if "SPECT" not in t.upper()]
        content.title = pick(self.rng, titles or ["Myocardial perfusion imaging"])
        indications = [
            i for i in e["indications"] if not ("unable to exercise" in i and stress == "exercise")
        ]
        content.history = pick(self.rng, indications)
        content.comparison = self._comparison()
        planar = not s.has_spect
        gated = bool(c.get("gated")) and not planar
        spect_word = (
            pick(self.rng, ["SPECT", "gated SPECT", "tomographic", "SPECT MPI"])
            if not planar
            else "planar"
        )
        if gated and spect_word == "SPECT":
            spect_word = "ECG-gated SPECT"
        protocol = str(c["protocol"])
        protocol_words = {
            "one_day_rest_stress": [
                "One-day rest/stress protocol.",
                "Same-day rest-stress imaging protocol.",
                "1-day rest/stress study.",
            ],
            "one_day_stress_rest": [
                "One-day stress/rest protocol.",
                "Same-day stress-first protocol with rest imaging afterward.",
            ],
            "two_day_stress_rest": [
                "Two-day protocol: stress imaging on day 1 and rest imaging on day 2.",
                "2-day stress/rest protocol (separate days).",
                "Stress and rest images were acquired on two separate days.",
            ],
            "stress_only": [
                "Stress-only protocol; the stress images were normal and rest imaging was not required.",
                "Stress-first protocol. Rest images were not obtained because stress perfusion was normal.",
            ],
            "rest_only": [
                "Rest-only imaging (no stress portion was performed).",
                "Resting perfusion study only.",
            ],
        }
        out = [
            Statement(
                "protocol",
                pick(self.rng, protocol_words[protocol]),
                "Protocol",
                protocol.replace("_", " "),
            )
        ]
        stress_words = {
            "exercise": f"The patient exercised on a treadmill (Bruce protocol) for {self.rng.randint(4, 12)} minutes, reaching {self.rng.randint(85, 101)}% of maximum predicted heart rate",
            "regadenoson": "Regadenoson 0.4 mg was given IV over 10 seconds",
            "adenosine": "Adenosine was infused at 140 mcg/kg/min for 4 minutes",
            "dipyridamole": "Dipyridamole 0.56 mg/kg was infused over 4 minutes",
            "dobutamine": "Dobutamine was infused in graded stages to 40 mcg/kg/min",
        }
        for a in s.acqs:
            t = a.tracer or s.tracers[0]
            inj = f"{self._mpi_dose(t, a, protocol)} {self.tracer_name(t)}"
            when = ""
            if a.day == 2:
                when = pick(self.rng, ["On day 2, ", "The next day, ", "On the second day, "])
            if a.label == "stress":
                lead = stress_words[str(c["stress"])]
                lead = lead if not when else lead[:1].lower() + lead[1:]
                prose = f"{when}{lead}; {inj} was injected at peak stress, and {spect_word} images were acquired {self.clock._amount(a.hours)} later."
            else:
                rest = "at rest" if when else "At rest"
                prose = f"{when}{rest}, {inj} was injected IV and {spect_word} images were acquired after {self.clock._amount(a.hours)}."
            if planar:
                prose = prose.rstrip(".") + " (anterior, LAO and left lateral planar views)."
            out.append(
                Statement(
                    a.label or "rest",
                    cap(prose),
                    f"{cap(a.label or 'rest')} imaging",
                    f"{inj}, {'planar' if planar else 'SPECT'}, day {a.day}",
                )
            )
        if s.ct == "attenuation":
            out.append(
                Statement(
                    "ct",
                    pick(
                        self.rng,
                        [
                            "A low-dose CT was acquired for attenuation correction.",
                            "CT-based attenuation correction was applied.",
                            "Attenuation correction: low-dose CT transmission scan.",
                        ],
                    ),
                    "AC",
                    "CT attenuation correction",
                )
            )
        elif not planar and chance(self.rng, 0.3):
            out.append(
                Statement(
                    "ct",
                    pick(
                        self.rng,
                        [
                            "No attenuation correction was applied.",
                            "Prone imaging was used to reduce diaphragmatic attenuation.",
                        ],
                    ),
                    "AC",
                    "none",
                )
            )
        if gated:
            out.append(
                Statement(
                    "gating",
                    pick(
                        self.rng,
                        [
                            "Gated images were reviewed for wall motion and ejection fraction.",
                            "ECG gating: 8 frames per cycle.",
                        ],
                    ),
                    "Gating",
                    "yes",
                )
            )
        content.technique = out
        bank = _mpi_bank(load("findings")["mpi"], protocol)
        values = {"ef": str(self.rng.randint(30, 75))}
        abnormal = chance(self.rng, 0.45)
        lines = bank["abn"] if abnormal else bank["norm"]
        content.findings = [
            cap(_fmt(x, **values)) for x in self.rng.sample(lines, k=min(2, len(lines)))
        ]
        if "quant_trap" in s.traps:
            content.findings.append(_fmt(pick(self.rng, bank["trap"]), **values))
        content.impression = [
            _fmt(pick(self.rng, bank["imp_abn"] if abnormal else bank["imp_norm"]), **values)
        ]

    def _mpi_dose(self, tracer_id: str, a: Acq, protocol: str) -> str:
        """One-day technetium protocols use a low first dose and a ~3x second dose."""
        if tracer_id == "tl201":
            return self.dose(tracer_id)
        one_day = protocol.startswith("one_day")
        first = a.label == ("rest" if protocol == "one_day_rest_stress" else "stress")
        mci = self.rng.uniform(8, 12) if one_day and first else self.rng.uniform(24, 33)
        saved = self.study.doses.get(tracer_id)
        self.study.doses[tracer_id] = round(mci * 2) / 2
        try:
            return self.dose(tracer_id)
        finally:
            if saved is not None:
                self.study.doses[tracer_id] = saved

    # -- out of scope -----------------------------------------------------------------------------
    def _oos(self, content: Content) -> None:
        s = self.study
        if s.oos == "not_performed":
            e = exam(s.exam)
            content.title = pick(self.rng, e["titles"])
            content.history = pick(self.rng, e["indications"])
            content.comparison = pick(self.rng, ["None.", "N/A."])
            reason = pick(
                self.rng,
                [
                    "The patient was unable to lie flat and the examination was cancelled before the radiopharmaceutical was administered.",
                    "The patient did not arrive for the appointment.",
                    "Examination cancelled: the patient declined injection after consent discussion.",
                    "The radiopharmaceutical dose was not available; the study was rescheduled.",
                ],
            )
            content.technique = [Statement("note", reason, "Status", "not performed")]
            content.findings = ["No images were obtained."]
            content.impression = [
                pick(
                    self.rng, ["Examination not performed.", "No study performed; see note above."]
                )
            ]
            return
        spec = load("oos")[str(s.oos)]
        t = s.tracers[0]
        r = self.rng
        ret1 = r.randint(30, 90)
        ret2 = r.randint(10, ret1)
        up4 = r.randint(4, 40)
        left = r.randint(25, 75)
        values = {
            "tracer": self.tracer_name(t),
            "dose": self.dose(t),
            "ret1": str(ret1),
            "ret2": str(ret2),
            "ret4": str(r.randint(1, ret2)),
            "up4": str(up4),
            "up24": str(up4 + r.randint(3, 40)),
            "left": str(left),
            "right": str(100 - left),
            "ef": str(r.randint(15, 80)),
            "suv": f"{r.uniform(2.5, 25):.1f}",
        }
        content.title = pick(r, spec["titles"])
        content.history = pick(r, spec["indications"])
        content.comparison = self._comparison()
        tech = _fmt(pick(r, spec["technique"]), **values)
        content.technique = [
            Statement("tech", cap(s_), "Technique", s_)
            for s_ in re.split(r"(?<=\.)\s+", tech)
            if s_
        ]
        content.findings = [_fmt(pick(r, spec["findings"]), **values)]
        content.impression = [_fmt(pick(r, spec["impressions"]), **values)]

    # -- addendum -----------------------------------------------------------------------------------
    def _plan_addendum(self, force: bool) -> str | None:
        s = self.study
        if s.contradiction is not None:
            self.addendum_kind = (
                "contradict_"
                + {
                    "ct_not_acquired": "ct",
                    "spect_not_done": "spect",
                    "region_not_imaged": "region",
                    "day_not_done": "day",
                }[str(s.contradiction["kind"])]
            )
            return self.addendum_kind
        if not (force or "addendum" in s.traps):
            return None
        options = ["comparison"]
        if s.oos is None and s.kind != "mpi":
            if s.has_spect:
                options.append("confirm_spect")
                if s.hybrid and s.ct == "localization":
                    options.append("confirm_ct")
                if (
                    len(s.spect_regions) >= 2
                    and not s.single_fov
                    and not any(a.label for a in s.spect_acqs)
                ):
                    options += ["add_region", "add_region"]
                if s.quant:
                    options += ["add_quant", "add_quant"]
            elif s.acqs:
                options.append("confirm_planar")
        kind = pick(self.rng, options)
        if kind == "add_region":
            self.moved_region = self._move_region_to_addendum()
            if self.moved_region is None:
                kind = "comparison"
        self.addendum_kind = kind
        return kind

    def _addendum(self, content: Content, kind: str) -> None:
        s = self.study
        bank = self.P["addendum"]
        text: str
        if kind == "add_region":
            text = _fmt(
                pick(self.rng, bank["add_region"]),
                spect=getattr(self, "spect_proc", "SPECT"),
                regions=self.phrase(self.moved_region),
            )
        elif kind == "add_quant":
            text = self._quant_sentence()
        elif kind == "contradict_region":
            c = s.contradiction or {}
            text = _fmt(
                pick(self.rng, bank["contradict_region"]),
                kept=self.region_list(s.spect_regions),
                dropped=self.phrase(str(c["claimed_region"])),
            )
        elif kind == "contradict_day":
            c = s.contradiction or {}
            dropped = c["claimed"]
            assert isinstance(dropped, Acq)
            kept = [(a.day, a.hours) for a in s.spect_acqs]
            text = _fmt(
                pick(self.rng, bank["contradict_day"]),
                dropped_time=self.clock.point(dropped.day, dropped.hours),
                dropped_short=self.clock.short(dropped.day, dropped.hours),
                kept_time=self.clock.points(kept),
                kept_short=self.clock.shorts(kept),
            )
        else:
            text = pick(self.rng, bank[kind])
        content.addendum = cap(text)
        content.addendum_kind = kind
        tech_note = kind.startswith("contradict") and chance(self.rng, 0.3)
        content.addendum_head = pick(
            self.rng, self.P["tech_note_heads"] if tech_note else self.P["addendum_heads"]
        )
        if s.dos_source != "unknown" and chance(self.rng, 0.5):
            content.addendum_date = self.clock.date(
                s.dos + dt.timedelta(days=self.rng.randint(0, 3))
            )
