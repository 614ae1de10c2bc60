"""The edits: each bad code set fires the right edit id, good sets fire none."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from nlp.coding.edits import (
    EditResult,
    EditsError,
    has_errors,
    load_edit_rules,
    normalize_code,
    parse_edit_rules,
    run_edits,
)
from nlp.coding.rules import apply_rules
from nlp.coding.table import load_table
from nlp.facts import STUDY_TYPES, StudyFacts

D = dt.date
CUR = D(2023, 4, 2)
OLD = D(2019, 6, 30)
EDITS_JSON = Path(__file__).resolve().parents[1] / "nlp" / "coding" / "edits.json"


def _ids(results: list[EditResult]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.id, r.severity, r.codes) for r in results]


@pytest.mark.parametrize(
    ("codes", "dos"),
    [
        (["78803"], CUR),
        (["78831"], CUR),
        (["78830", "78835"], CUR),
        (["78832", "78835", "78306"], CUR),
        (["78832", "78804"], CUR),
        (["78830", "78802"], None),
        (["78800"], CUR),
        (["78801"], CUR),
        (["78315"], CUR),
        (["78300"], OLD),
        (["78305"], CUR),
        (["78306"], CUR),
        (["78451"], CUR),
        (["78452"], OLD),
        (["78454"], CUR),
        (["78070"], CUR),
        (["78072"], OLD),
        (["78494"], CUR),
        (["78320", "78306"], OLD),
        (["78320"], D(2019, 12, 31)),
        (["78803", "78802"], OLD),
        (["78807", "78804"], OLD),
        (["78607"], OLD),
        (["78205"], OLD),
        (["78206"], OLD),
        (["78710"], OLD),
        (["78647"], OLD),
        (["78803"], D(2020, 1, 1)),
        (["78830", "+78835"], CUR),
        ([" 78832 "], CUR),
        (["70450", "78803"], CUR),
        ([], CUR),
    ],
)
def test_coding_edits_good_sets_fire_nothing(codes: list[str], dos: dt.date | None) -> None:
    assert run_edits(codes, dos) == []


@pytest.mark.parametrize(
    ("codes", "dos", "expected"),
    [
        # unknown and duplicate codes
        (["99999"], CUR, [("UNKNOWN-CODE", "error", ("99999",))]),
        (["74179", "78830"], CUR, [("UNKNOWN-CODE", "error", ("74179",))]),
        (["78830", "78830"], CUR, [("DUPLICATE-CODE", "warning", ("78830",))]),
        # mutually exclusive pairs (policy section 2)
        (["78803", "78830"], CUR, [("SPECT-AND-SPECT-CT", "error", ("78803", "78830"))]),
        (["78831", "78832"], CUR, [("SPECT-AND-SPECT-CT", "error", ("78831", "78832"))]),
        (["78803", "78831"], CUR, [("SINGLE-AND-MULTI", "error", ("78803", "78831"))]),
        (["78830", "78832", "78835"], CUR, [("SINGLE-AND-MULTI", "error", ("78830", "78832"))]),
        # two SPECT codes not covered by a pair
        (["78803", "78832"], CUR, [("TWO-SPECT-CODES", "error", ("78803", "78832"))]),
        (["78830", "78831"], CUR, [("TWO-SPECT-CODES", "error", ("78830", "78831"))]),
        (["78320", "78803"], OLD, [("TWO-SPECT-CODES", "error", ("78320", "78803"))]),
        (
            ["78803", "78830", "78832"],
            CUR,
            [
                ("SPECT-AND-SPECT-CT", "error", ("78803", "78830")),
                ("SINGLE-AND-MULTI", "error", ("78830", "78832")),
                ("TWO-SPECT-CODES", "error", ("78803", "78832")),
            ],
        ),
        # three-phase with SPECT (policy section 5)
        (["78315", "78830"], CUR, [("THREE-PHASE-WITH-SPECT", "error", ("78315", "78830"))]),
        (["78832", "78315"], CUR, [("THREE-PHASE-WITH-SPECT", "error", ("78315", "78832"))]),
        (["78320", "78315"], OLD, [("THREE-PHASE-WITH-SPECT", "error", ("78315", "78320"))]),
        # own-code studies with a family SPECT code (policy section 6)
        (["78451", "78803"], CUR, [("OWN-CODE-WITH-SPECT", "error", ("78451", "78803"))]),
        (["78452", "78830"], CUR, [("OWN-CODE-WITH-SPECT", "error", ("78452", "78830"))]),
        (["78072", "78832"], CUR, [("OWN-CODE-WITH-SPECT", "error", ("78072", "78832"))]),
        (["78494", "78831"], CUR, [("OWN-CODE-WITH-SPECT", "error", ("78494", "78831"))]),
        (["78071", "78803"], OLD, [("OWN-CODE-WITH-SPECT", "error", ("78071", "78803"))]),
        (["78451", "78802"], CUR, [("OWN-CODE-WITH-WHOLE-BODY", "error", ("78451", "78802"))]),
        # limited planar with SPECT (policy sections 4-5)
        (["78300", "78803"], CUR, [("LIMITED-PLANAR-WITH-SPECT", "error", ("78300", "78803"))]),
        (["78830", "78305"], CUR, [("LIMITED-PLANAR-WITH-SPECT", "error", ("78305", "78830"))]),
        (["78830", "78800"], CUR, [("LIMITED-PLANAR-WITH-SPECT", "error", ("78800", "78830"))]),
        (["78320", "78300"], OLD, [("LIMITED-PLANAR-WITH-SPECT", "error", ("78300", "78320"))]),
        # add-on without its primary
        (["78835"], CUR, [("ADDON-WITHOUT-PRIMARY", "error", ("78835",))]),
        (["78803", "78835"], CUR, [("ADDON-WITHOUT-PRIMARY", "error", ("78835",))]),
        (
            ["78451", "78835"],
            CUR,
            [("ADDON-WITHOUT-PRIMARY", "error", ("78835",))],
        ),
        # code not valid on the date of service
        (["78320"], D(2020, 1, 1), [("CODE-DELETED", "error", ("78320",))]),
        (["78607"], CUR, [("CODE-DELETED", "error", ("78607",))]),
        (["78807", "78804"], None, [("CODE-DELETED", "error", ("78807",))]),
        (["78830"], D(2019, 12, 31), [("CODE-NOT-YET-VALID", "error", ("78830",))]),
        (
            ["78830", "78835"],
            OLD,
            [
                ("CODE-NOT-YET-VALID", "error", ("78830",)),
                ("CODE-NOT-YET-VALID", "error", ("78835",)),
            ],
        ),
        # separate diagnostic CT beside a SPECT/CT code (policy section 3)
        (["78830", "71250"], CUR, [("SEPARATE-CT-WITH-SPECT-CT", "error", ("71250", "78830"))]),
        (["74178", "78832"], CUR, [("SEPARATE-CT-WITH-SPECT-CT", "error", ("74178", "78832"))]),
        (["78072", "70490"], CUR, [("SEPARATE-CT-WITH-SPECT-CT", "error", ("70490", "78072"))]),
        # one code per extent group
        (["78802", "78804"], CUR, [("PLANAR-EXTENT-CONFLICT", "error", ("78802", "78804"))]),
        (["78800", "78801"], CUR, [("PLANAR-EXTENT-CONFLICT", "error", ("78800", "78801"))]),
        (["78315", "78306"], CUR, [("BONE-PLANAR-CONFLICT", "error", ("78315", "78306"))]),
        (["78300", "78305"], CUR, [("BONE-PLANAR-CONFLICT", "error", ("78300", "78305"))]),
        (["78451", "78452"], CUR, [("MPI-CODE-CONFLICT", "error", ("78451", "78452"))]),
        (["78071", "78072"], CUR, [("PARATHYROID-CODE-CONFLICT", "error", ("78071", "78072"))]),
    ],
)
def test_coding_edits_bad_sets_fire_the_right_edit(
    codes: list[str], dos: dt.date | None, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    results = run_edits(codes, dos)
    assert _ids(results) == expected
    assert has_errors(results) is any(sev == "error" for _, sev, _ in expected)


@pytest.mark.parametrize(
    ("codes", "dos", "message"),
    [
        (
            ["78803", "78830"],
            CUR,
            "78803 and 78830 are the same SPECT without and with a localization CT: keep one, "
            "78830 when the CT was used for localization, else 78803 (policy section 2).",
        ),
        (
            ["78320"],
            D(2020, 1, 1),
            "78320 was valid only until 2019-12-31, before the date of service 2020-01-01: use "
            "its replacement chosen by the facts (78803, 78830, 78831, 78832) (policy section 7).",
        ),
        (
            ["78320"],
            None,
            "78320 was valid only until 2019-12-31, and with no date of service the current "
            "family applies (policy section 1): use its replacement chosen by the facts (78803, "
            "78830, 78831, 78832); or give the date of service if it was earlier (policy "
            "section 7).",
        ),
        (
            ["78835"],
            OLD,
            "78835 exists only from 2020-01-01, after the date of service 2019-06-30: it has no "
            "earlier equivalent, so remove it (policy section 7).",
        ),
        (
            ["78830"],
            OLD,
            "78830 exists only from 2020-01-01, after the date of service 2019-06-30: use the "
            "legacy code of the study type instead (78803, 78320, 78807, 78607, 78205, 78206, "
            "78710, 78647) (policy section 7).",
        ),
        (
            ["78835", "78831"],
            CUR,
            "Add-on 78835 is reported only with 78830 or 78832: remove it, or correct the primary "
            "if the study was SPECT/CT (policy section 2).",
        ),
        (
            ["78315", "78831"],
            CUR,
            "Three-phase bone imaging 78315 and SPECT 78831 are reported as one or the other: "
            "keep the SPECT code set and offer 78315 as the alternative, for a coder to decide "
            "(policy section 5).",
        ),
    ],
)
def test_coding_edits_messages_say_what_to_do(
    codes: list[str], dos: dt.date | None, message: str
) -> None:
    assert run_edits(codes, dos)[0].message == message


@pytest.mark.parametrize(
    ("facts", "codes", "expected"),
    [
        (
            StudyFacts(modality="spect", study_type="tumor", quantification=True),
            ["78803"],
            [("QUANT-NO-CT", "warning", ())],
        ),
        (
            StudyFacts(
                modality="spect_ct",
                ct_purpose="attenuation",
                study_type="bone",
                quantification=True,
            ),
            ["78803"],
            [("QUANT-NO-CT", "warning", ())],
        ),
        (
            StudyFacts(modality="spect", study_type="tumor", quantification=True),
            ["78803", "78835"],
            [("ADDON-WITHOUT-PRIMARY", "error", ("78835",)), ("QUANT-NO-CT", "warning", ())],
        ),
        (
            StudyFacts(modality="spect_ct", study_type="tumor", quantification=True),
            ["78830", "78835"],
            [],
        ),
        (StudyFacts(modality="spect", study_type="tumor", quantification=False), ["78803"], []),
        (
            StudyFacts(modality="spect", study_type="myocardial_perfusion", quantification=True),
            ["78451"],
            [],
        ),
        (StudyFacts(modality="planar", study_type="tumor", quantification=True), ["78800"], []),
    ],
)
def test_coding_edits_quantification_without_ct_warns_when_facts_are_given(
    facts: StudyFacts, codes: list[str], expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    results = run_edits(codes, CUR, facts)
    assert _ids(results) == expected
    assert has_errors(results) is any(sev == "error" for _, sev, _ in expected)


def test_coding_edits_take_the_dos_from_the_facts() -> None:
    facts = StudyFacts(modality="spect_ct", study_type="bone", dos=OLD, dos_source="text")
    assert _ids(run_edits(["78830"], None, facts)) == [("CODE-NOT-YET-VALID", "error", ("78830",))]
    assert run_edits(["78320"], None, facts) == []
    # an explicit date wins over the facts'
    assert run_edits(["78830"], CUR, facts) == []


def test_coding_edits_result_to_dict() -> None:
    (r,) = run_edits(["78835"], CUR)
    assert r.to_dict() == {
        "id": "ADDON-WITHOUT-PRIMARY",
        "severity": "error",
        "message": r.message,
        "codes": ["78835"],
    }
    assert json.loads(json.dumps(r.to_dict()))["codes"] == ["78835"]


@pytest.mark.parametrize(
    ("raw", "code"), [("+78835", "78835"), (" 78830\n", "78830"), ("78306", "78306")]
)
def test_coding_edits_normalize_code(raw: str, code: str) -> None:
    assert normalize_code(raw) == code


def test_coding_edits_accept_every_rule_suggestion() -> None:
    """Whatever the rules suggest (first set and alternatives) passes the edits without error."""
    for study, modality, purpose, areas, days, wb, quant, three, dos in itertools.product(
        STUDY_TYPES,
        ("spect_ct", "spect", "planar", "none"),
        (None, "attenuation"),
        (1, 2),
        (1, 2),
        (False, True),
        (False, True),
        (False, True),
        (D(2019, 12, 31), D(2020, 1, 1), None),
    ):
        kinds: dict[str, Any] = {"study_type": study, "modality": modality, "ct_purpose": purpose}
        facts = StudyFacts(
            **kinds,
            area_count=areas,
            spect_days=days,
            whole_body_planar=wb,
            whole_body_days=days,
            quantification=quant,
            three_phase=three,
            planar_areas=("chest", "pelvis")[:areas],
        )
        r = apply_rules(facts, dos)
        for cand in r.candidates:
            results = run_edits(cand.codes, dos, facts)
            assert not has_errors(results), (facts, dos, cand.codes, results)
            warnings = [e.id for e in results]
            assert warnings in ([], ["QUANT-NO-CT"]), (facts, dos, cand.codes, results)


def _edits_doc() -> dict[str, Any]:
    return json.loads(EDITS_JSON.read_text(encoding="utf-8"))


def _changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(_edits_doc())
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "edits.json: must be a JSON object"),
        (_changed(("groups",), {}), "field 'groups' must be an object defining 'spect'"),
        (
            _changed(("groups", "three_phase", "codes"), ["78999"]),
            "group 'three_phase' names unknown code(s)",
        ),
        (_changed(("groups", "spect"), {"families": ["nope"]}), "group 'spect' selects no code"),
        (_changed(("groups", "spect"), {"colour": "red"}), "group 'spect' must be an object with"),
        (
            _changed(("pairs", 0, "codes"), ["78803"]),
            "pairs[0]: field 'codes' must be two known codes",
        ),
        (
            _changed(("pairs", 1, "message"), ""),
            "pairs[1]: field 'message' must be a non-empty string",
        ),
        (
            _changed(("conflicts", 2, "left"), "nope"),
            "conflicts[2]: field 'left' must name a group",
        ),
        (
            _changed(("one_of", 0, "codes"), ["78800"]),
            "one_of[0]: field 'codes' must list 2+ known codes",
        ),
        (_changed(("one_of", 3, "id"), None), "one_of[3]: field 'id' must be a non-empty string"),
    ],
)
def test_coding_edits_data_is_validated(doc: Any, message: str) -> None:
    with pytest.raises(EditsError) as info:
        parse_edit_rules(doc, load_table())
    assert message in str(info.value)


def test_coding_edits_data_loads_and_is_cached() -> None:
    rules = load_edit_rules()
    assert load_edit_rules() is rules
    assert rules.spect == frozenset(
        {
            "78803",
            "78830",
            "78831",
            "78832",
            "78320",
            "78807",
            "78607",
            "78205",
            "78206",
            "78710",
            "78647",
        }
    )
    assert {(p.a, p.b) for p in rules.pairs} == {
        ("78803", "78830"),
        ("78831", "78832"),
        ("78803", "78831"),
        ("78830", "78832"),
    }
