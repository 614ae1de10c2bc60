"""Suggestions and the scoring record: shape, routes and the rules/model agreement."""

from __future__ import annotations

import pytest

from nlp.suggest import Suggester, load_suggester
from nlp.suggest.suggester import NO_MODEL_REASON

RECORD_KEYS = {
    "id",
    "codes",
    "primary",
    "confidence",
    "route",
    "route_reasons",
    "candidates",
    "facts",
    "evidence",
    "edits",
    "steps",
    "review_reasons",
    "family",
    "dos",
    "dos_source",
    "equivalents",
    "model_version",
}
BONE_SPECT_CT = (
    "EXAM: NM BONE SPECT/CT LUMBAR SPINE\nTECHNIQUE: 22 mCi Tc-99m MDP. SPECT/CT of the lumbar spine "
    "at 3 hours; the CT was fused for anatomic localization.\nFINDINGS: Facet uptake at L4-L5.\n"
    "IMPRESSION: Facet arthropathy."
)


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    return load_suggester(require_model=True)


def test_suggest_record_has_every_field(suggester: Suggester) -> None:
    rec = suggester.score("r1", BONE_SPECT_CT, "2023-05-02")
    assert set(rec) >= RECORD_KEYS
    assert rec["id"] == "r1"
    assert rec["codes"] == ["78830"]
    assert rec["primary"] == "78830"
    assert rec["facts"]["modality"] == "spect_ct"
    assert rec["facts"]["area_count"] == 1
    assert rec["dos"] == "2023-05-02" and rec["dos_source"] == "record"
    assert rec["family"] == "current"
    assert 0.0 <= rec["confidence"] <= 1.0
    assert rec["candidates"][0]["codes"] == ["78830"]
    assert rec["candidates"][0]["score"] == rec["confidence"]
    assert [c["score"] for c in rec["candidates"]] == sorted(
        (c["score"] for c in rec["candidates"]), reverse=True
    )
    assert rec["model_version"].startswith("ranker-")
    for e in rec["evidence"]:
        assert BONE_SPECT_CT[e["start"] : e["end"]] == e["text"]


def test_suggest_legacy_date_names_current_equivalent(suggester: Suggester) -> None:
    rec = suggester.score("r2", BONE_SPECT_CT, "2019-06-01")
    assert rec["codes"] == ["78320"]
    assert rec["family"] == "legacy"
    assert rec["equivalents"] == {"78320": ["78830"]}


def test_suggest_grey_zone_goes_to_review(suggester: Suggester) -> None:
    text = (
        "TECHNIQUE: Tc-99m HDP. SPECT of the head; a low-dose CT was acquired solely for "
        "attenuation correction and was not fused or reviewed."
    )
    s = suggester.suggest(text, "2024-01-10")
    assert s.codes == ("78803",)
    assert s.route == "review"
    assert "grey zone: CT-ATTENUATION-ONLY" in s.route_reasons


def test_suggest_out_of_scope_study(suggester: Suggester) -> None:
    text = "SOLID GASTRIC EMPTYING STUDY. Egg meal with Tc-99m sulfur colloid; anterior and posterior images of the abdomen at 0, 1, 2 and 4 hours."
    s = suggester.suggest(text)
    assert s.codes == ()
    assert s.primary == "NONE"
    assert s.route == "out_of_scope"


def test_suggest_without_a_model_uses_rules_and_routes_to_review(tmp_path) -> None:
    s = load_suggester(tmp_path).suggest(BONE_SPECT_CT, "2023-05-02")
    assert s.codes == ("78830",)
    assert s.confidence is None
    assert s.route == "review"
    assert NO_MODEL_REASON in s.route_reasons


def test_suggest_many_matches_one_at_a_time(suggester: Suggester) -> None:
    texts = [
        (BONE_SPECT_CT, "2023-05-02"),
        (BONE_SPECT_CT, "2019-06-01"),
        ("SPECT was not performed.", None),
    ]
    batch = [s.to_record("x") for s in suggester.suggest_many(texts)]
    single = [suggester.suggest(t, d).to_record("x") for t, d in texts]
    assert batch == single
