"""The code table: the packaged rows, lookups by date, and schema validation."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from nlp.coding.table import ROW_FIELDS, CodeTable, TableError, load_table, parse_table

D = dt.date
PACKAGED = Path(__file__).resolve().parents[1] / "nlp" / "coding" / "codes.json"

POLICY_CODES = [
    "78800",
    "78801",
    "78802",
    "78803",
    "78804",
    "78830",
    "78831",
    "78832",
    "78835",
    "78300",
    "78305",
    "78306",
    "78315",
    "78320",
    "78451",
    "78452",
    "78453",
    "78454",
    "78070",
    "78071",
    "78072",
    "78494",
    "78807",
    "78607",
    "78205",
    "78206",
    "78710",
    "78647",
]
DELETED_2020 = ("78320", "78807", "78607", "78205", "78206", "78710", "78647")
NEW_2020 = ("78830", "78831", "78832", "78835")


@pytest.fixture(scope="module")
def table() -> CodeTable:
    return load_table()


def _doc() -> dict[str, Any]:
    return json.loads(PACKAGED.read_text(encoding="utf-8"))


def test_coding_table_has_every_policy_code_and_the_ct_range(table: CodeTable) -> None:
    codes = [r.code for r in table]
    assert sorted(set(codes)) == sorted({*POLICY_CODES, "70450-74178"})
    assert codes.count("78803") == 2
    assert len(table) == 30
    assert table.current_family_from == D(2020, 1, 1)


def test_coding_table_load_is_cached(table: CodeTable) -> None:
    assert load_table() is table
    assert load_table(PACKAGED) is load_table(str(PACKAGED))


@pytest.mark.parametrize(
    ("code", "dos", "family", "modality", "extent"),
    [
        ("78803", D(2019, 12, 31), "legacy", "spect", "any"),
        ("78803", D(2020, 1, 1), "localization", "spect", "one_area_one_day"),
        ("78803", None, "localization", "spect", "one_area_one_day"),
        ("78830", D(2020, 1, 1), "localization", "spect_ct", "one_area_one_day"),
        ("78832", D(2024, 5, 1), "localization", "spect_ct", "multi"),
        ("78831", D(2024, 5, 1), "localization", "spect", "multi"),
        ("78802", D(2015, 1, 1), "localization", "planar", "whole_body_one_day"),
        ("78804", D(2025, 1, 1), "localization", "planar", "whole_body_multi_day"),
        ("78306", D(2019, 1, 1), "bone", "planar", "whole_body"),
        ("78315", D(2021, 1, 1), "bone", "planar", "three_phase"),
        ("78320", D(2019, 12, 31), "legacy", "spect", "any"),
        ("78452", D(2021, 1, 1), "myocardial_perfusion", "spect", "multiple_studies"),
        ("78072", D(2021, 1, 1), "parathyroid", "spect_ct", "any"),
        ("78494", D(2021, 1, 1), "cardiac_blood_pool", "spect", "any"),
        ("71250", D(2021, 1, 1), "ct", "any", "any"),
    ],
)
def test_coding_table_get_returns_the_row_in_force(
    table: CodeTable, code: str, dos: dt.date | None, family: str, modality: str, extent: str
) -> None:
    row = table.get(code, dos)
    assert row is not None
    assert (row.family, row.modality, row.extent) == (family, modality, extent)


@pytest.mark.parametrize("code", DELETED_2020)
def test_coding_table_deleted_codes_end_2019(table: CodeTable, code: str) -> None:
    assert table.valid_on(code, D(2019, 12, 31))
    assert not table.valid_on(code, D(2020, 1, 1))
    assert not table.valid_on(code, None)
    (row,) = table.rows_for(code)
    assert row.effective_to == D(2019, 12, 31)
    assert row.replaced_by == ("78803", "78830", "78831", "78832")


@pytest.mark.parametrize("code", NEW_2020)
def test_coding_table_new_codes_start_2020(table: CodeTable, code: str) -> None:
    assert not table.valid_on(code, D(2019, 12, 31))
    assert table.valid_on(code, D(2020, 1, 1))
    assert table.valid_on(code, None)


def test_coding_table_addon_78835_needs_78830_or_78832(table: CodeTable) -> None:
    row = table.get("78835")
    assert row is not None
    assert row.addon is True
    assert row.allowed_primaries == ("78830", "78832")
    assert [r.code for r in table if r.addon] == ["78835"]


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("70450", True),
        ("74178", True),
        ("72193", True),
        ("70449", False),
        ("74179", False),
        ("78999", False),
        ("7045", False),
        ("", False),
    ],
)
def test_coding_table_knows_codes_and_the_ct_range(
    table: CodeTable, code: str, known: bool
) -> None:
    assert (code in table) is known


def test_coding_table_for_date_lists_the_codes_valid_then(table: CodeTable) -> None:
    before = {r.code for r in table.for_date(D(2019, 12, 31))}
    after = {r.code for r in table.for_date(D(2020, 1, 1))}
    assert before - after == set(DELETED_2020)
    assert after - before == set(NEW_2020)
    assert {r.code for r in table.for_date(None)} == after
    # 78803 is listed once per date, with the meaning in force then
    assert [r.family for r in table.for_date(D(2019, 12, 31)) if r.code == "78803"] == ["legacy"]
    assert [r.family for r in table.for_date(D(2020, 1, 1)) if r.code == "78803"] == [
        "localization"
    ]


def test_coding_table_predecessors_name_the_legacy_codes(table: CodeTable) -> None:
    assert table.predecessors("78832") == (
        "78803",
        "78320",
        "78807",
        "78607",
        "78205",
        "78206",
        "78710",
        "78647",
    )
    assert table.predecessors("78835") == ()


def test_coding_table_is_legacy_date(table: CodeTable) -> None:
    assert table.is_legacy_date(D(2019, 12, 31)) is True
    assert table.is_legacy_date(D(2020, 1, 1)) is False
    assert table.is_legacy_date(None) is False


def test_coding_table_round_trips_through_to_dict(table: CodeTable) -> None:
    again = parse_table(json.loads(json.dumps(table.to_dict())))
    assert list(again) == list(table)
    assert again.current_family_from == table.current_family_from


def test_coding_table_rows_have_exactly_the_schema_fields() -> None:
    for row in _doc()["codes"]:
        assert tuple(row) == ROW_FIELDS


def _with_row_change(index: int, **change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(_doc())
    for key, value in change.items():
        if value is _DROP:
            del doc["codes"][index][key]
        else:
            doc["codes"][index][key] = value
    return doc


_DROP = object()


@pytest.mark.parametrize(
    ("index", "change", "message"),
    [
        (0, {"code": "7880"}, "row 0 (7880): field 'code' must be five digits"),
        (0, {"code": "74178-70450"}, "field 'code' must be five digits or a range"),
        (0, {"code": 78800}, "row 0: field 'code' must be a string"),
        (1, {"description": " "}, "row 1 (78801): field 'description' must be a non-empty"),
        (2, {"family": "tumour"}, "row 2 (78802): field 'family' must be one of localization"),
        (3, {"modality": "pet"}, "row 3 (78804): field 'modality' must be one of planar"),
        (0, {"extent": "One Area"}, "row 0 (78800): field 'extent' must be a short snake_case"),
        (4, {"effective_to": "2019-13-31"}, "row 4 (78803): field 'effective_to' must be a date"),
        (
            5,
            {"effective_from": "2021-01-01", "effective_to": "2020-01-01"},
            "row 5 (78803): field 'effective_to' (2020-01-01) is before 'effective_from'",
        ),
        (5, {"effective_from": "2019-06-01"}, "row 5 (78803): its dates overlap row 4"),
        (
            0,
            {"replaced_by": ["78830"]},
            "row 0 (78800): field 'replaced_by' is set but the row has no",
        ),
        (
            4,
            {"replaced_by": ["78999"]},
            "row 4 (78803): field 'replaced_by' names code(s) not in the table: 78999",
        ),
        (
            4,
            {"replaced_by": "78830"},
            "row 4 (78803): field 'replaced_by' must be a list of five-digit",
        ),
        (9, {"addon": "yes"}, "row 9 (78835): field 'addon' must be true or false"),
        (
            9,
            {"allowed_primaries": []},
            "row 9 (78835): field 'allowed_primaries' must list the primaries",
        ),
        (
            0,
            {"allowed_primaries": ["78830"]},
            "row 0 (78800): field 'allowed_primaries' is only for add-on",
        ),
        (0, {"effective_from": _DROP}, "row 0 (78800): missing field(s) effective_from"),
        (0, {"colour": "red"}, "row 0 (78800): unknown field(s) colour"),
    ],
)
def test_coding_table_validation_rejects_bad_rows(
    index: int, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(TableError) as info:
        parse_table(_with_row_change(index, **change))
    assert message in str(info.value)
    assert str(info.value).startswith("codes.json: ")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "codes.json: must be a JSON object with a 'codes' list"),
        (
            {"current_family_from": "2020-01-01", "codes": []},
            "field 'codes' must be a non-empty list",
        ),
        (
            {"current_family_from": "2020", "codes": [{}]},
            "field 'current_family_from' must be a date",
        ),
        (
            {"current_family_from": "2020-01-01", "codes": ["78800"]},
            "row 0: must be an object, got str",
        ),
    ],
)
def test_coding_table_validation_rejects_bad_documents(doc: Any, message: str) -> None:
    with pytest.raises(TableError, match=message):
        parse_table(doc)


def test_coding_table_load_names_the_file_of_a_bad_table(tmp_path: Path) -> None:
    bad = tmp_path / "codes.json"
    bad.write_text(json.dumps(_with_row_change(2, family="tumour")), encoding="utf-8")
    with pytest.raises(TableError, match="^" + re.escape(f"{bad}: row 2 (78802): field 'family'")):
        load_table(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(TableError, match="not valid JSON"):
        load_table(broken)
