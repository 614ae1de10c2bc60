"""Output writers: round trips through every format, and recovery of interrupted outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from nlp.batch.records import BatchError, error_record
from nlp.batch.writers import (
    flatten,
    open_writer,
    parts_dir,
    read_output,
    unflatten,
)

REPORT = 'SPECT/CT of the "pelvis",\nwith a comma; naïve ✓ and a tab\there'


def scored(id: str, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": id,
        "primary": "78830",
        "codes": ["78830", "78835"],
        "confidence": 0.875,
        "route": "auto",
        "model_version": "fake-1",
        "error": None,
        "dos": "2024-03-05",
        "source": "in.jsonl line 1",
        "notes": ['a note, with "quotes"'],
        "candidates": [{"codes": ["78830"], "score": 0.875, "rationale": "r"}],
        "facts": {"modality": "spect_ct", "areas": ["pelvis"], "dos": None},
        "evidence": [
            {"fact": "modality", "text": "SPECT/CT", "start": 0, "end": 8, "section": "other"}
        ],
        "edits": [{"id": "E1", "severity": "warning", "message": "check"}],
        "text_sha256": "ab" * 32,
        "explanation": {"steps": ["one", "two"]},  # a key the scorer adds: kept in `extra`
    }
    record.update(changes)
    return record


RECORDS = [
    scored("r1"),
    scored('r,2 "quoted"', codes=[], primary=None, confidence=None, route="review"),
    {**error_record("r3", "the report text is empty", source="x line 3"), "text_sha256": None},
    scored("r4", confidence=1.0, facts={}, notes=[]),
]


def write_all(path: Path, records: list[dict[str, Any]], *, include_text: bool = False) -> None:
    writer = open_writer(path, include_text=include_text)
    for record in records:
        writer.write(record)
    writer.close()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_batch_writers_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    write_all(path, RECORDS)

    assert list(read_output(path)) == RECORDS


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_batch_writers_round_trip_with_text(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    records = [{**r, "text": REPORT} for r in RECORDS]
    write_all(path, records, include_text=True)

    assert list(read_output(path)) == records


def test_batch_writers_csv_is_flat(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_all(path, RECORDS[:1])

    header, row = path.read_text(encoding="utf-8").splitlines()
    assert header == (
        "id,primary,codes,confidence,route,model_version,error,dos,source,notes,candidates,"
        "facts,evidence,edits,text_sha256,extra"
    )
    assert row.startswith("r1,78830,78830 78835,0.875,auto,fake-1,,2024-03-05,in.jsonl line 1,")
    assert flatten(RECORDS[0])["evidence"] == (
        '[{"fact":"modality","text":"SPECT/CT","start":0,"end":8,"section":"other"}]'
    )
    assert flatten(RECORDS[0])["extra"] == '{"explanation":{"steps":["one","two"]}}'
    assert unflatten(flatten(RECORDS[0])) == RECORDS[0]


def test_batch_writers_parquet_is_written_in_parts_then_combined(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    writer = open_writer(path)
    for i in range(5):
        writer.write(scored(f"r{i}"))
        if i % 2:
            writer.flush()
    parts = sorted(p.name for p in parts_dir(path).iterdir())
    assert parts == ["part-000000.parquet", "part-000001.parquet"]
    assert not path.exists()
    # An interrupted run's records can be read from the parts as they are.
    assert pq.read_table(parts_dir(path)).column("id").to_pylist() == ["r0", "r1", "r2", "r3"]

    writer.close()

    assert not parts_dir(path).exists()
    table = pq.read_table(path)
    assert table.column("id").to_pylist() == ["r0", "r1", "r2", "r3", "r4"]
    assert table.schema.field("confidence").type == "double"


def test_batch_writers_refuse_to_replace_an_output(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write_all(path, RECORDS[:1])

    with pytest.raises(BatchError) as exc:
        open_writer(path)
    assert str(exc.value) == (
        f"{path} already exists; pass --resume to continue it or --overwrite to replace it"
    )
    open_writer(path, overwrite=True).close()
    assert path.read_bytes() == b""


def test_batch_writers_unknown_output_extension(tmp_path: Path) -> None:
    with pytest.raises(BatchError) as exc:
        open_writer(tmp_path / "out.txt")
    assert str(exc.value) == (
        f"cannot tell the output format of {tmp_path / 'out.txt'}; "
        "end its name in .jsonl, .csv or .parquet"
    )


def resume(path: Path, **kwargs: Any) -> tuple[list[str], Any]:
    seen: list[str] = []
    writer = open_writer(path, resume=True, on_existing=lambda r: seen.append(r["id"]), **kwargs)
    return seen, writer


def test_batch_writers_jsonl_resume_drops_a_partly_written_last_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write_all(path, RECORDS[:2])
    complete = path.read_bytes()
    with open(path, "ab") as f:
        f.write(json.dumps(scored("r9")).encode()[:50])  # what a kill -9 mid-write leaves

    seen, writer = resume(path)
    assert seen == ["r1", 'r,2 "quoted"']
    assert path.read_bytes() == complete
    writer.write(scored("r9"))
    writer.close()

    assert [r["id"] for r in read_output(path)] == ["r1", 'r,2 "quoted"', "r9"]


def test_batch_writers_jsonl_resume_of_a_complete_file_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write_all(path, RECORDS)
    before = path.read_bytes()

    seen, writer = resume(path)
    writer.close()

    assert seen == [r["id"] for r in RECORDS]
    assert path.read_bytes() == before


def test_batch_writers_csv_resume_drops_a_partly_written_row(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_all(path, [{**r, "text": REPORT} for r in RECORDS[:2]], include_text=True)
    complete = path.read_bytes()
    with open(path, "ab") as f:
        # Cut inside the quoted multi-line text: a line ends, but the row does not.
        f.write(b'r9,78830,78830,0.9,auto,fake-1,,,,[],[],{},[],[],,,"SPECT/CT of the\n')

    seen, writer = resume(path, include_text=True)
    assert seen == ["r1", 'r,2 "quoted"']
    assert path.read_bytes() == complete
    writer.write({**scored("r9"), "text": REPORT})
    writer.close()

    assert [r["id"] for r in read_output(path)] == ["r1", 'r,2 "quoted"', "r9"]


def test_batch_writers_csv_resume_needs_the_same_columns(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_all(path, RECORDS[:1])

    with pytest.raises(BatchError) as exc:
        resume(path, include_text=True)
    assert str(exc.value).endswith("was it written with a different --include-text?")


def test_batch_writers_csv_resume_of_a_cut_header_starts_again(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"id,primary,co")

    seen, writer = resume(path)
    writer.write(scored("r1"))
    writer.close()

    assert seen == []
    assert [r["id"] for r in read_output(path)] == ["r1"]


def test_batch_writers_parquet_resume_drops_unfinished_parts_and_keeps_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.parquet"
    writer = open_writer(path)
    writer.write(scored("r1"))
    writer.flush()
    writer.write(scored("r2"))
    writer.close(complete=False)  # interrupted: the parts stay
    (parts_dir(path) / "part-000002.parquet.tmp").write_bytes(b"PAR1 half a file")

    seen, writer = resume(path)
    assert seen == ["r1", "r2"]
    assert not (parts_dir(path) / "part-000002.parquet.tmp").exists()
    writer.write(scored("r3"))
    writer.close()

    assert [r["id"] for r in read_output(path)] == ["r1", "r2", "r3"]
    assert not parts_dir(path).exists()


def test_batch_writers_parquet_resume_of_a_finished_file_adds_to_it(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    write_all(path, RECORDS[:2])

    seen, writer = resume(path)
    writer.write(RECORDS[2])
    writer.close()

    assert seen == ["r1", 'r,2 "quoted"']
    assert list(read_output(path)) == RECORDS[:3]


def test_batch_writers_parquet_combine_skips_parts_already_combined(tmp_path: Path) -> None:
    # A kill between renaming the combined file into place and removing the parts leaves
    # parts whose records the file already holds: they must not appear twice.
    path = tmp_path / "out.parquet"
    writer = open_writer(path)
    writer.write(scored("r1"))
    writer.close(complete=False)
    kept = (parts_dir(path) / "part-000000.parquet").read_bytes()
    open_writer(path, resume=True).close()  # combines and removes the parts
    parts_dir(path).mkdir()
    (parts_dir(path) / "part-000000.parquet").write_bytes(kept)

    assert [r["id"] for r in read_output(path)] == ["r1"]
    seen, writer = resume(path)
    writer.close()

    assert seen == ["r1", "r1"]  # the runner counts each id once
    assert [r["id"] for r in read_output(path)] == ["r1"]
