"""Readers and the runner hold a record at a time, not the archive: measured with tracemalloc.

Each input below is about 50 MB as a file (50,000 reports of about 1 KB). Loading it
whole would take at least that much Python memory; reading it as a stream stays in the
low megabytes, and scoring it adds only the per-id bookkeeping (about 150 bytes an id).
"""

from __future__ import annotations

import base64
import inspect
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from nlp.batch import score_inputs
from nlp.batch.readers import read_inputs
from nlp.batch.writers import read_output
from tests.batch_support import fhir_report, hl7_message

N = 50_000
FILLER = "Tracer distribution is physiologic in the visualized skeleton. " * 16  # ~1 KB


def report(i: int) -> str:
    return f"SPECT/CT report {i}. {FILLER}"


def write_jsonl(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(N):
            f.write(json.dumps({"id": f"r{i}", "text": report(i), "dos": "2024-01-02"}) + "\n")


def write_csv(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,text,dos\n")
        for i in range(N):
            f.write(f'r{i},"{report(i)}\nsecond line",2024-01-02\n')


def write_hl7(path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        for i in range(N):
            f.write(hl7_message(f"M{i}", f"r{i}", [report(i)]))


def write_fhir_bundle(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"resourceType": "Bundle", "type": "collection", "entry": [')
        for i in range(N):
            f.write(("," if i else "") + json.dumps({"resource": fhir_report(f"r{i}", report(i))}))
        f.write("]}")


def peak_while(fn: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "writer"),
    [
        ("in.jsonl", write_jsonl),
        ("in.csv", write_csv),
        ("in.hl7", write_hl7),
        ("bundle.json", write_fhir_bundle),
    ],
)
def test_batch_readers_stream_50k_records_in_bounded_memory(
    tmp_path: Path, name: str, writer: Callable[[Path], None]
) -> None:
    path = tmp_path / name
    writer(path)
    assert path.stat().st_size > 50_000_000
    records = read_inputs([path])
    assert inspect.isgenerator(records)
    count = 0

    def consume() -> None:
        nonlocal count
        for record in records:
            assert record.error is None
            count += 1

    peak = peak_while(consume)

    assert count == N
    assert peak < 5_000_000, f"reading {name} peaked at {peak:,} bytes"


@pytest.mark.slow
def test_batch_runner_memory_stays_bounded_over_50k_records(
    tmp_path: Path, scorer_factory: str
) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src)
    out = tmp_path / "out.parquet"
    # Warm up: the first Parquet write imports pyarrow's pandas shims (~25 MB, once).
    warm = tmp_path / "warm.jsonl"
    warm.write_text(json.dumps({"id": "w", "text": "SPECT"}) + "\n", encoding="utf-8")
    score_inputs(
        [warm], tmp_path / "warm.parquet", workers=1, progress=False, scorer_factory=scorer_factory
    )

    peak = peak_while(
        lambda: (
            score_inputs(
                [src], out, workers=1, progress=False, scorer_factory=scorer_factory
            ).exit_code
        )
    )

    assert sum(1 for _ in read_output(out)) == N
    # ~150 bytes an id for resume/repeat checks, plus a flush batch of 1,000 records.
    assert peak < 15_000_000, f"scoring peaked at {peak:,} bytes"


def test_batch_fhir_base64_is_decoded_lazily(tmp_path: Path) -> None:
    # Sanity for the bundle writer above: the report survives the base64 round trip.
    data = fhir_report("x", "héllo")["presentedForm"][0]["data"]
    assert base64.b64decode(data).decode("utf-8") == "héllo"
