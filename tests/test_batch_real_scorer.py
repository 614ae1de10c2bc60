"""Bulk scoring end to end with the real scorer (pipeline, rules, model), not a stand-in:
every input format, broken records among good ones, and every good record scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.batch import score_inputs
from tests.batch_support import by_id, fhir_report, hl7_message, read_jsonl

REAL = "nlp.suggest:load_scorer"
BONE = (
    "TECHNIQUE: 22 mCi Tc-99m MDP. Whole-body planar images at 3 hours, then SPECT/CT of the "
    "lumbar spine; the CT was fused for anatomic localization. IMPRESSION: L4 facet arthropathy."
)
GASTRIC = (
    "SOLID GASTRIC EMPTYING. Anterior and posterior images of the abdomen at 0, 1, 2 and 4 hours."
)

pytestmark = pytest.mark.slow


def _score(inputs: list[Path], out: Path) -> dict[str, dict]:
    summary = score_inputs(inputs, out, workers=1, progress=False, scorer_factory=REAL)
    records = by_id(read_jsonl(out))
    assert summary.records == len(records)
    return records


def test_batch_real_scorer_jsonl_with_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "bone-2024", "text": BONE, "dos": "2024-02-01"}),
        json.dumps({"id": "bone-2019", "text": BONE, "dos": "2019-02-01"}),
        json.dumps({"id": "gastric", "text": GASTRIC}),
        json.dumps({"id": "empty", "text": ""}),
        '{"id": "truncated", "text": "SPECT of the',
        json.dumps({"id": "huge", "text": "SPECT of the chest. " * 60_000}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = _score([path], tmp_path / "out.jsonl")
    assert got["bone-2024"]["codes"] == ["78830", "78306"]
    assert got["bone-2024"]["model_version"].startswith("ranker-")
    assert got["bone-2019"]["codes"] == ["78320", "78306"]
    assert got["bone-2019"]["equivalents"] == {"78320": ["78830"]}
    assert got["gastric"]["route"] == "out_of_scope" and got["gastric"]["codes"] == []
    assert got["empty"]["route"] == "error" and "empty" in got["empty"]["error"]
    truncated = [
        r for r in got.values() if r["route"] == "error" and "line 5" in r.get("source", "")
    ]
    assert len(truncated) == 1
    assert got["huge"]["route"] == "error" and "--max-chars" in got["huge"]["error"]


def test_batch_real_scorer_hl7_and_fhir(tmp_path: Path) -> None:
    hl7 = tmp_path / "feed.hl7"
    hl7.write_text(
        hl7_message("MSG1", "ACC1", BONE.split(". "), date="20240305101500")
        + hl7_message("MSG2", "ACC2", ["no OBX here"], message_type="ORU^R01").replace(
            "OBX|", "ZZZ|"
        ),
        encoding="utf-8",
    )
    fhir = tmp_path / "reports.ndjson"
    fhir.write_text(json.dumps(fhir_report("F1", BONE, date="2018-06-01")) + "\n", encoding="utf-8")
    got = _score([hl7, fhir], tmp_path / "out.jsonl")
    assert got["ACC1"]["codes"] == ["78830", "78306"]
    assert got["ACC1"]["dos"] == "2024-03-05"
    assert got["ACC2"]["route"] == "error"
    assert got["F1"]["codes"] == ["78320", "78306"]
    assert got["F1"]["dos"] == "2018-06-01"
