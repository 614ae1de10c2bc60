"""Round trip of the saved pipeline: `build_pipeline().to_disk(path)` -> `load_pipeline(path)`.

The loaded pipeline gives identical facts and evidence, the saved pattern files hold the
bundled rows, and the loaded pipeline really runs the saved rules: editing a saved pattern
file changes what it extracts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from nlp.pipeline import COMPONENTS, build_pipeline, load_pipeline
from nlp.pipeline.patterns import PATTERN_DIR
from tests.pipeline_support import facts_of

P = pytest.param

SAVED_FILES = {
    "spect_sections": "sections.jsonl",
    "spect_mentions": "terms.jsonl",
    "spect_context": "context.jsonl",
}

REPORTS = [
    P(
        "DATE OF SERVICE: 03/04/2022\nEXAM: NM bone SPECT/CT\nTECHNIQUE: 4 h and 24 h SPECT/CT "
        "of the lumbar spine and pelvis after 25 mCi Tc-99m MDP.\nIMPRESSION: Negative.",
        id="bone-two-days",
    ),
    P(
        "INDICATION:,  Carcinoid.,TECHNIQUE:,  Whole body planar images at 4 and 24 hours; "
        "SPECT/CT of the abdomen at 24 hours after In-111 pentetreotide.,IMPRESSION:,  "
        "Krenning 3 hepatic lesion.",
        id="octreotide-glued",
    ),
    P(
        "COMPARISON: SPECT/CT of 3/2021.\nTECHNIQUE: Planar whole body images only. Recommend "
        "SPECT/CT of the spine.",
        id="planar-with-excluded-mentions",
    ),
    P(
        "Single bed position SPECT/CT of the lower chest and upper abdomen; low-dose CT for "
        "attenuation correction only, not fused.",
        id="single-fov-attenuation",
    ),
    P(
        "Ventilation SPECT with Technegas and perfusion SPECT with Tc-99m MAA of the lungs; "
        "lobar perfusion right upper 18%.",
        id="vq",
    ),
    P(
        "Regadenoson stress and rest Tc-99m tetrofosmin gated myocardial perfusion SPECT; LVEF "
        "57%.",
        id="mpi",
    ),
    P(
        "Three-phase bone scan of the right foot with SPECT/CT of both feet. SPECT was aborted "
        "after 12 minutes due to pain.",
        id="three-phase-aborted",
    ),
    P(
        "Lu-177 DOTATATE SPECT/CT of the abdomen at 4, 24 and 96 hours with voxel dosimetry.",
        id="lu-177-dosimetry",
    ),
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "nlp"
    build_pipeline().to_disk(path)
    return path


@pytest.fixture(scope="module")
def built() -> Language:
    return build_pipeline()


@pytest.fixture(scope="module")
def loaded(saved: Path) -> Language:
    return load_pipeline(saved)


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _edited_copy(saved: Path, tmp_path: Path, component: str, drop) -> Path:
    """A copy of the saved pipeline with the rows matching `drop` removed from one file."""
    copy = tmp_path / "edited"
    shutil.copytree(saved, copy)
    target = copy / component / SAVED_FILES[component]
    rows = _rows(target)
    kept = [r for r in rows if not drop(r)]
    assert 0 < len(kept) < len(rows), "the edit must remove some rows, not all"
    target.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    return copy


def test_pipeline_serialization_loaded_pipeline_has_the_components(loaded):
    assert tuple(loaded.pipe_names) == COMPONENTS


@pytest.mark.parametrize("text", REPORTS)
def test_pipeline_serialization_round_trip_gives_identical_facts(built, loaded, text):
    before = facts_of(built, text)
    after = facts_of(loaded, text)
    assert after == before
    assert after.evidence == before.evidence


@pytest.mark.parametrize(("component", "filename"), sorted(SAVED_FILES.items()))
def test_pipeline_serialization_saved_patterns_equal_bundled(saved, component, filename):
    assert _rows(saved / component / filename) == _rows(PATTERN_DIR / filename)


def test_pipeline_serialization_removed_term_is_not_matched_after_load(saved, tmp_path):
    text = "SPECTCT of the abdomen was performed at 4 hours."
    assert facts_of(load_pipeline(saved), text).modality == "spect_ct"
    edited = _edited_copy(saved, tmp_path, "spect_mentions", lambda r: r["pattern"] == "spectct")
    assert facts_of(load_pipeline(edited), text).modality == "none"


def test_pipeline_serialization_removed_context_cue_is_not_applied_after_load(saved, tmp_path):
    text = "Planar images of the abdomen. SPECT/CT of the abdomen was deferred."
    assert facts_of(load_pipeline(saved), text).modality == "planar"
    edited = _edited_copy(
        saved, tmp_path, "spect_context", lambda r: "deferred" in r["pattern"].lower()
    )
    facts = facts_of(load_pipeline(edited), text)
    assert (facts.modality, facts.areas) == ("spect_ct", ("abdomen",))


def test_pipeline_serialization_relabelled_section_header_is_used_after_load(saved, tmp_path):
    text = "COMPARISON: SPECT/CT of the pelvis.\nTECHNIQUE: Planar images of the pelvis."
    start = text.index("SPECT/CT")

    def section_of_mention(nlp: Language) -> set[str]:
        facts = facts_of(nlp, text)
        return {e.section for e in facts.evidence if e.start == start and e.text == "SPECT/CT"}

    assert section_of_mention(load_pipeline(saved)) == {"comparison"}
    copy = tmp_path / "relabelled"
    shutil.copytree(saved, copy)
    target = copy / "spect_sections" / "sections.jsonl"
    rows = _rows(target)
    for row in rows:
        if row["header"] == "comparison":
            row["label"] = "technique"
    target.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    relabelled = load_pipeline(copy)
    assert section_of_mention(relabelled) == {"technique"}
    assert facts_of(relabelled, text).modality == "spect_ct"
