"""The synthetic corpus generator: determinism, label format, labels from the rules, and
texts that are true to the facts they were rendered from."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from functools import cache

import pytest

from corpus import generate as gen
from corpus.bank import load, regions, tracer
from corpus.compose import Composer, Voice
from corpus.generate import STYLE_NAMES, Built, build, generate, main, resolve_styles
from corpus.plan import Acq, Study
from corpus.styles import STYLES
from nlp.coding.rules import apply_rules
from nlp.facts import CANONICAL_AREAS, MODALITIES, STUDY_TYPES, StudyFacts

SEED = 11
N = 2000


@cache
def corpus() -> tuple[Built, ...]:
    return tuple(build(SEED, i) for i in range(N))


def norm(text: str) -> str:
    """Lower case, commas dropped, whitespace collapsed, dictation shorthand undone."""
    t = text.lower().replace(",", " ")
    t = re.sub(r"\bbilat\b", "bilateral", t)
    t = re.sub(r"\bimgs\b", "images", t)
    return re.sub(r"\s+", " ", t).strip()


def flat(text: str) -> str:
    """Whitespace collapsed (transcription glitches double some spaces)."""
    return re.sub(r"\s+", " ", text)


def of(pred) -> list[Built]:
    return [b for b in corpus() if pred(b)]


# -- determinism -----------------------------------------------------------------------------


def test_corpus_generate_same_seed_gives_identical_records():
    first = [json.dumps(r, sort_keys=True) for r in generate(300, 5)]
    second = [json.dumps(r, sort_keys=True) for r in generate(300, 5)]
    assert first == second


def test_corpus_generate_different_seed_gives_different_records():
    a = [r["text"] for r in generate(200, 5)]
    b = [r["text"] for r in generate(200, 6)]
    assert sum(x != y for x, y in zip(a, b, strict=True)) == 200


def test_corpus_generate_record_does_not_depend_on_n():
    assert list(generate(10, 3)) == list(generate(40, 3))[:10]


def test_corpus_generate_style_filter_keeps_the_sampled_study():
    full = list(generate(100, 4))
    only = list(generate(100, 4, styles=["key_value"]))
    assert [r["facts"] for r in full] == [r["facts"] for r in only]
    assert [r["expected"] for r in full] == [r["expected"] for r in only]
    assert {r["style"] for r in only} == {"key_value"}


def test_corpus_generate_cli_output_is_byte_identical(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "sub" / "b.jsonl"
    assert main(["--n", "150", "--seed", "9", "--out", str(a)]) == 0
    assert main(["--n", "150", "--seed", "9", "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    lines = a.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 150
    assert json.loads(lines[0])["id"] == "GEN-9-000000"


def test_corpus_generate_cli_styles_and_exclusions(tmp_path):
    out = tmp_path / "x.jsonl"
    assert (
        main(
            [
                "--n",
                "300",
                "--seed",
                "2",
                "--out",
                str(out),
                "--exclude-styles",
                "one_line,comma_glued",
            ]
        )
        == 0
    )
    styles = {json.loads(line)["style"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert styles == set(STYLE_NAMES) - {"one_line", "comma_glued"}
    assert (
        main(["--n", "50", "--seed", "2", "--out", str(out), "--styles", "british,narrative"]) == 0
    )
    styles = {json.loads(line)["style"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert styles == {"british", "narrative"}


def test_corpus_generate_cli_rejects_unknown_style(tmp_path, capsys):
    assert (
        main(["--n", "5", "--seed", "1", "--out", str(tmp_path / "y.jsonl"), "--styles", "gothic"])
        == 2
    )
    assert "unknown style(s) gothic" in capsys.readouterr().err


def test_corpus_generate_resolve_styles():
    assert resolve_styles(None) == STYLE_NAMES
    assert resolve_styles(["narrative", "classic"]) == ("classic", "narrative")
    assert resolve_styles(None, ["classic"]) == tuple(s for s in STYLE_NAMES if s != "classic")
    with pytest.raises(ValueError, match="no style left"):
        resolve_styles(["classic"], ["classic"])


# -- styles and mix ----------------------------------------------------------------------------------


def test_corpus_generate_has_at_least_twelve_styles_and_all_appear_in_2000():
    assert len(STYLES) == 15
    counts = {s: 0 for s in STYLE_NAMES}
    for b in corpus():
        counts[b.record["style"]] += 1
    assert min(counts.values()) > 0, counts


def test_corpus_generate_class_mix_is_near_the_data():
    mix = load("mix")
    total = sum(mix["scenarios"].values())
    got = {k: 0 for k in mix["scenarios"]}
    for b in corpus():
        got[b.record["tags"][0]] += 1
    for k, w in mix["scenarios"].items():
        assert abs(got[k] / N - w / total) < 0.045, (k, got[k])
    legacy = sum("legacy" in b.record["tags"] for b in corpus()) / N
    assert abs(legacy - mix["legacy_share"]) < 0.03


def test_corpus_generate_catalogs_are_consistent():
    bank = regions()
    exams = {k: v for k, v in load("exams").items() if not k.startswith("_")}
    findings = load("findings")
    for name, e in exams.items():
        for key in ("regions", "spot_regions", "three_phase_regions"):
            for rid in e.get(key, {}):
                assert rid in bank, (name, rid)
                assert set(bank[rid]["areas"]) <= set(CANONICAL_AREAS)
        for t in e["tracers"]:
            tracer(t)
        assert e["findings"] in findings, name
        assert e["study_type"] in STUDY_TYPES
    mix = load("mix")
    oos = load("oos")
    for block in ("family_exams", "grey_zone_exams"):
        assert set(mix[block]) <= set(exams)
    assert set(mix["planar_exams"]) <= set(exams) | {"bone_three_phase"}
    assert set(mix["out_of_scope"]) <= set(oos) | {"not_performed"}


# -- record format and labels ---------------------------------------------------------------------------

EXPECTED_KEYS = {
    "codes",
    "primary",
    "modality",
    "area_count",
    "spect_days",
    "quantification",
    "review",
}
RECORD_KEYS = {"id", "dos", "text", "expected", "why", "tags", "facts", "style"}


def test_corpus_generate_record_format_is_valid():
    ids = set()
    for b in corpus():
        r = b.record
        assert set(r) - {"alternatives"} == RECORD_KEYS
        assert isinstance(r["id"], str) and r["id"] not in ids
        ids.add(r["id"])
        assert r["dos"] is None or dt.date.fromisoformat(r["dos"]).year in range(2015, 2027)
        assert isinstance(r["text"], str) and r["text"].strip()
        e = r["expected"]
        assert set(e) == EXPECTED_KEYS
        assert all(isinstance(c, str) and re.fullmatch(r"\d{5}", c) for c in e["codes"])
        assert e["primary"] == (e["codes"][0] if e["codes"] else "NONE")
        assert e["modality"] in MODALITIES
        spect = e["modality"] in ("spect", "spect_ct")
        assert (e["area_count"] is not None) == spect
        assert (e["spect_days"] is not None) == spect
        if spect:
            assert isinstance(e["area_count"], int) and e["area_count"] >= 1
            assert isinstance(e["spect_days"], int) and e["spect_days"] >= 1
        assert isinstance(e["quantification"], bool) and isinstance(e["review"], bool)
        if "alternatives" in r:
            assert r["alternatives"] and all(isinstance(a, list) and a for a in r["alternatives"])
        assert isinstance(r["why"], str) and len(r["why"]) > 20
        assert r["tags"] and all(isinstance(t, str) for t in r["tags"])
        assert "evidence" not in r["facts"]
        assert r["style"] in STYLES
    assert len(ids) == N


def test_corpus_generate_labels_equal_the_rules_on_the_facts():
    for b in corpus()[:600]:
        r = b.record
        facts = StudyFacts.from_dict(r["facts"])
        dos = dt.date.fromisoformat(r["dos"]) if r["dos"] else None
        result = apply_rules(facts, dos=dos)
        assert r["expected"]["codes"] == list(result.codes), r["id"]
        assert r["expected"]["review"] == result.review, r["id"]
        assert r.get("alternatives", []) == [list(a) for a in result.alternatives], r["id"]
        assert r["expected"]["modality"] == facts.modality
        assert r["expected"]["area_count"] == facts.area_count
        assert r["expected"]["spect_days"] == facts.spect_days
        assert r["expected"]["quantification"] == facts.quantification


def test_corpus_generate_out_of_scope_records_have_no_codes():
    oos = of(lambda b: b.study.oos is not None)
    assert len(oos) > 100
    for b in oos:
        assert b.record["expected"]["codes"] == [] and b.record["expected"]["primary"] == "NONE"
        assert b.record["expected"]["modality"] == "none"


def test_corpus_generate_grey_zones_and_nothing_else_are_routed_to_review():
    for b in corpus():
        grey = any(t.startswith("grey:") for t in b.record["tags"])
        assert b.record["expected"]["review"] == grey, b.record["id"]


def test_corpus_generate_three_phase_with_spect_has_78315_alternative():
    recs = of(lambda b: "grey:three_phase_spect" in b.record["tags"])
    assert recs
    for b in recs:
        assert b.record["alternatives"] == [["78315"]]


# -- texts are true to the facts ---------------------------------------------------------------------

NEGATED = re.compile(
    r"not performed|could not tolerate|deferred|no tomographic|cancell?ed|not obtained|declined|planar (images|technique|imaging) only|only planar",
    re.I,
)
HYBRID = re.compile(
    r"SPECT\s*[/-]?\s*(low-dose\s+)?CT|SPECTCT|xSPECT|hybrid (SPECT|imaging)|fused|low-dose CT|SPECT and low-dose",
    re.I,
)
CT_NEGATION = re.compile(
    r"\bno (accompanying )?CT\b|(?<![A-Za-z])CT was not|(?<![A-Za-z])CT (portion|component) was not|not acquired on the camera|\bSPECT[ -]only",
    re.I,
)
LATER_DAY = re.compile(
    r"\b(24|48|72|96|144|168)\s*-?(h|hr|hrs|hours?)\b|\b(24|48|72|96)(,| and)|next (day|morning)|following (day|morning)|second day|\bday [2-9]\b|separate day|\b\d+ days (post|after|p\.i)",
    re.I,
)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def dates_in(text: str) -> set[dt.date]:
    """Calendar dates written in any of the generator's formats."""
    found = set()
    t = text.lower()
    for m in re.finditer(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", t):
        y = int(m.group(3))
        found.add(dt.date(y + 2000 if y < 100 else y, int(m.group(1)), int(m.group(2))))
    for m in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", t):
        found.add(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for i, name in enumerate(MONTHS):
        for m in re.finditer(rf"\b{name} (\d{{1,2}}), (\d{{4}})", t):
            found.add(dt.date(int(m.group(2)), i + 1, int(m.group(1))))
        for m in re.finditer(rf"\b(\d{{1,2}})[ -]({name}|{name[:3]})[ -](\d{{4}})", t):
            found.add(dt.date(int(m.group(3)), i + 1, int(m.group(1))))
    return found


def test_corpus_generate_hard_wrapped_reports_keep_their_words_within_one_column(monkeypatch):
    wrapped = of(lambda b: "hard-wrapped" in b.record["tags"])
    styles = {b.record["style"] for b in wrapped}
    assert 0.08 * N < len(wrapped) < 0.25 * N
    assert not styles & {"one_line", "comma_glued", "sessions_table"}
    monkeypatch.setattr(gen, "WRAP_RATE", 0.0)
    for b in wrapped[:50]:
        text = b.record["text"]
        plain = build(SEED, int(b.record["id"].rsplit("-", 1)[1])).record["text"]
        assert text != plain and flat(text) == flat(plain)  # only line breaks were added
        widths = [len(line) for line in text.split("\n")]
        longest_word = max(len(w) for w in plain.split())
        assert max(widths) <= max(80, longest_word)


def test_corpus_generate_no_empty_text_and_unique_ids():
    texts = [b.record["text"] for b in corpus()]
    assert all(len(t) > 80 for t in texts)
    assert len({b.record["id"] for b in corpus()}) == N


def test_corpus_generate_multi_day_spect_mentions_a_later_day_and_two_time_points():
    recs = of(lambda b: (b.facts.spect_days or 0) >= 2)
    assert len(recs) > 100
    for b in recs:
        text = flat(b.record["text"])
        dos = b.study.dos
        later_dates = {
            d for d in dates_in(text) if dt.timedelta(days=1) <= d - dos <= dt.timedelta(days=8)
        }
        assert LATER_DAY.search(text) or later_dates, b.record["id"]
        times = re.findall(
            r"\b\d+(?:\.\d+)?(?=\s*(?:,|and\b|-?(?:min|minutes|mins|h|hr|hrs|hours?)\b))|\b\d+ days\b|second day|next|following|day \d|separate day|same day|\d+/\d+/\d+|\d{4}-\d{2}-\d{2}",
            text,
            re.I,
        )
        study_dates = {
            d for d in dates_in(text) if dt.timedelta(0) <= d - dos <= dt.timedelta(days=8)
        }
        assert len(times) + len(study_dates) >= 2, b.record["id"]


def test_corpus_generate_negated_spect_says_not_performed_and_is_planar():
    recs = of(lambda b: "trap:negated_spect" in b.record["tags"])
    assert len(recs) > 50
    for b in recs:
        assert NEGATED.search(flat(b.record["text"])), b.record["id"]
        assert b.record["expected"]["modality"] == "planar"
        assert b.record["expected"]["area_count"] is None


def test_corpus_generate_planar_only_text_without_traps_never_names_spect():
    quiet = {
        "trap:negated_spect",
        "trap:order_title",
        "trap:recommend_spect",
        "trap:historical",
        "trap:quant_trap",
        "addendum:confirm_planar",
    }
    recs = of(
        lambda b: (
            b.facts.modality == "planar"
            and not quiet & set(b.record["tags"])
            and b.study.contradiction is None
        )
    )
    assert len(recs) > 20
    for b in recs:
        assert not re.search(r"\bspect", b.record["text"], re.I), b.record["id"]
        assert "tomograph" not in b.record["text"].lower(), b.record["id"]


def test_corpus_generate_spect_ct_text_names_the_ct_and_never_negates_it():
    recs = of(lambda b: b.facts.modality == "spect_ct")
    assert len(recs) > 300
    for b in recs:
        text = b.record["text"]
        assert re.search(r"\bCT\b|SPECTCT", text, re.I), b.record["id"]
        assert not CT_NEGATION.search(text), b.record["id"]


def test_corpus_generate_spect_without_ct_text_has_no_hybrid_wording():
    quiet = {"trap:recommend_spect", "trap:historical", "trap:outside_ct"}
    recs = of(
        lambda b: (
            b.facts.modality == "spect"
            and b.facts.ct_purpose is None
            and b.study.contradiction is None
            and b.facts.study_type != "myocardial_perfusion"
            and not quiet & set(b.record["tags"])
        )
    )
    assert len(recs) > 100
    for b in recs:
        assert not HYBRID.search(b.record["text"]), b.record["id"]


def test_corpus_generate_attenuation_only_ct_is_stated():
    recs = of(
        lambda b: (
            b.facts.ct_purpose == "attenuation" and b.facts.study_type != "myocardial_perfusion"
        )
    )
    assert recs
    for b in recs:
        assert re.search(
            r"attenuation correction only|solely for attenuation|AC purposes only|strictly for attenuation|only to correct for attenuation",
            norm(b.record["text"]),
            re.I,
        ), b.record["id"]
        assert b.record["expected"]["modality"] == "spect"


def test_corpus_generate_every_spect_region_is_named_in_the_text():
    # Myocardial perfusion names the heart by what it is, not by a region phrase.
    recs = of(lambda b: b.facts.has_spect and b.facts.study_type != "myocardial_perfusion")
    assert len(recs) > 800
    for b in recs:
        text = norm(b.record["text"])
        for rid in b.study.spect_regions:
            phrase = norm(b.study.phrases[rid])
            if b.record["style"] == "british":
                phrase = phrase.replace("tumor", "tumour")
            assert phrase in text, (b.record["id"], phrase)


def test_corpus_generate_areas_follow_the_region_mapping():
    for b in of(lambda b: b.facts.has_spect):
        covered = {a for r in b.study.spect_regions for a in regions()[r]["areas"]}
        assert set(b.facts.areas) == covered
        expected = 1 if b.facts.single_field_of_view else len(covered)
        assert b.facts.area_count == expected


def test_corpus_generate_single_field_of_view_is_stated():
    recs = of(lambda b: b.facts.single_field_of_view)
    assert recs
    for b in recs:
        assert re.search(
            r"single bed position|one bed position|one field of view|single-field-of-view",
            norm(b.record["text"]),
            re.I,
        ), b.record["id"]
        assert b.record["expected"]["area_count"] == 1 and len(b.facts.areas) == 2


def test_corpus_generate_aborted_spect_is_stated():
    recs = of(lambda b: b.facts.spect_aborted)
    assert recs
    for b in recs:
        assert re.search(r"aborted|terminated early|stopped|incomplete", b.record["text"], re.I), (
            b.record["id"]
        )


def test_corpus_generate_contradiction_has_a_correcting_note():
    recs = of(lambda b: b.study.contradiction is not None)
    assert recs
    for b in recs:
        text = flat(b.record["text"])
        head = re.search(
            r"addendum|technologist note|tech comment|technologist comments", text, re.I
        )
        assert head, b.record["id"]
        assert re.search(r"\bnot\b|\bno\b|never|only", text[head.end() :], re.I), b.record["id"]


def test_corpus_generate_three_phase_says_flow_and_blood_pool():
    recs = of(lambda b: b.facts.three_phase)
    assert recs
    for b in recs:
        text = norm(b.record["text"])
        assert ("flow" in text or "perfusion images" in text) and "blood pool" in text, b.record[
            "id"
        ]


def test_corpus_generate_quantification_text_matches_the_fact():
    measured = re.compile(r"SUV|kBq/mL|(?<!no )dosimetry|absorbed dose", re.I)
    for b in of(lambda b: b.study.oos is None):
        if b.facts.quantification:
            assert measured.search(flat(b.record["text"])), b.record["id"]
        else:
            assert not measured.search(flat(b.record["text"])), b.record["id"]


def test_corpus_generate_quantified_text_never_denies_the_quantification():
    # a quantified study's near-miss findings line may not say no quantification was done
    denial = re.compile(r"\bno (?:quantitative|dosimetry)\b", re.I)
    assert of(lambda b: b.facts.quantification and "quant_trap" in b.study.traps)
    for b in of(lambda b: b.facts.quantification):
        assert not denial.search(flat(b.record["text"])), b.record["id"]


def test_corpus_generate_multi_acquisition_studies_name_both_acquisitions():
    for b in of(lambda b: b.study.exam == "vq_spect" and b.facts.acquisitions == 2):
        text = b.record["text"].lower()
        assert "ventilation" in text and "perfusion" in text
    for b in of(
        lambda b: b.facts.study_type == "myocardial_perfusion" and b.facts.cardiac_studies == 2
    ):
        text = b.record["text"].lower()
        assert "rest" in text and "stress" in text


def test_corpus_generate_date_of_service_placement():
    label = re.compile(
        r"(DATE\s+OF\s+SERVICE|EXAM\s+DATE|DATE\s+OF\s+EXAM|STUDY\s+DATE|\bDOS\b)\s*[:=\-\t]", re.I
    )
    for b in corpus():
        text, source = b.record["text"], b.study.dos_source
        if source == "unknown":
            assert not label.search(text), b.record["id"]
            assert b.record["dos"] is None and b.facts.dos is None
        elif source == "header":
            m = label.search(text)
            assert m, b.record["id"]
            line = text[m.end() : m.end() + 40]
            assert str(b.study.dos.year) in line or f"/{b.study.dos.year % 100:02d}" in line, (
                b.record["id"]
            )
            assert b.record["dos"] is None and b.facts.dos == b.study.dos
        else:
            assert b.record["dos"] == b.study.dos.isoformat()


def test_corpus_generate_glitches_keep_negations_intact():
    recs = of(
        lambda b: "trap:glitches" in b.record["tags"] and "trap:negated_spect" in b.record["tags"]
    )
    assert recs
    for b in recs:
        assert not re.search(r"\b(no|not),", b.record["text"], re.I), b.record["id"]


def test_corpus_generate_glitches_keep_names_whole():
    # a stray comma inside a name the banks render would unsay a fact: "Total, body planar
    # images" names no whole body, "Renal, function study" no renogram
    from corpus.noise import add_glitches

    text = (
        "Renal function study. Total body planar images were obtained. Planar technique only. "
        "Patient tolerated it well."
    )
    split = re.compile(r"\b(?:renal, function|function, study|total, body|body, planar)\b", re.I)
    glitched = [add_glitches(text, random.Random(seed)) for seed in range(300)]
    assert any(re.search(r"[a-z], [a-z]", g) for g in glitched)  # stray commas still land
    for g in glitched:
        assert not split.search(g), g
        assert "planar, technique" not in g.lower() and "technique, only" not in g.lower(), g


def test_corpus_generate_whole_body_is_named_only_when_acquired():
    wb = re.compile(r"whole[ -]?body|total body", re.I)
    for b in of(lambda b: b.study.oos is None):
        if b.facts.whole_body_planar:
            assert wb.search(norm(b.record["text"])), b.record["id"]
        else:
            assert not wb.search(norm(b.record["text"])), b.record["id"]


@pytest.mark.parametrize(
    ("wording", "fact"),
    [
        (
            r"single bed position|one bed position|one field of view|single-field-of-view",
            lambda f: f.single_field_of_view,
        ),
        (
            r"aborted|terminated early|incomplete|stopped before completion",
            lambda f: f.spect_aborted,
        ),
        (
            r"attenuation correction only|solely for attenuation|ac purposes only|strictly for attenuation|only to correct for attenuation",
            lambda f: f.ct_purpose == "attenuation" and f.study_type != "myocardial_perfusion",
        ),
        (r"three-phase|triple-phase", lambda f: f.three_phase),
    ],
)
def test_corpus_generate_grey_zone_wording_appears_only_with_its_fact(wording, fact):
    pattern = re.compile(wording, re.I)
    said = [b for b in of(lambda b: b.study.oos is None) if pattern.search(norm(b.record["text"]))]
    held = of(lambda b: b.study.oos is None and fact(b.facts))
    assert held
    assert {b.record["id"] for b in said} == {b.record["id"] for b in held}


def test_corpus_generate_added_region_addendum_adds_an_area():
    # "Additional SPECT of the abdomen was also acquired" after a SPECT of the liver would
    # read as a second acquisition of one area, which the study does not have: an addendum
    # adds a region only when the region brings an area of its own.
    recs = of(lambda b: "addendum:add_region" in b.record["tags"])
    assert recs
    for b in recs:
        *kept, moved = b.study.spect_regions
        kept_areas = {a for r in kept for a in regions()[r]["areas"]}
        assert set(regions()[moved]["areas"]) - kept_areas, b.record["id"]


def test_corpus_generate_no_added_region_addendum_within_one_area():
    def composer(rids: tuple[str, ...]) -> Composer:
        spect = Acq("spect", 1, 1.5, regions=rids)
        study = Study("s", "liver_rbc", "liver", "generic", ["tc_rbc"], {}, acqs=[spect])
        return Composer(study, random.Random(1), Voice())

    assert composer(("liver", "abdomen"))._move_region_to_addendum() is None
    assert composer(("chest", "abdomen"))._move_region_to_addendum() == "abdomen"


def test_corpus_generate_time_points_joined_without_a_stray_article():
    # "at 4 hours as well as the on March 2, 2023" reads as no second time point
    stray = re.compile(
        r"as well as the (?:on|at|the|\d+(?:\.\d+)? ?(?:h|hrs?|hours?|min|mins|minutes|days)\b)",
        re.I,
    )
    for b in corpus():
        assert not stray.search(flat(b.record["text"])), b.record["id"]
