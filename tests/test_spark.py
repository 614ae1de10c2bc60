"""`nlp.spark` on a real local Spark session: for every id, the record a single machine writes.

One session (`local[2]`, the system's Java) serves the module. Each test scores the same
input with `score_inputs` (one worker, in this process) and with Spark, then compares the
records field by field after parsing Spark's JSON columns. `source` is the one field
compared apart: Spark gives the file, the single-machine readers add the line or row.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)

from pyspark.sql import SparkSession
from typer.testing import CliRunner

from corpus.generate import generate
from nlp.batch import Columns, score_inputs
from nlp.batch.writers import read_output
from nlp.cli import score
from nlp.spark import record_from_row, score_dataframe, score_files, spark_session
from tests.fakes import FakeScorer

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    # pyspark 4.x warns on every Arrow job that it is not tested with pandas 3; we pass it
    # Arrow batches, never pandas frames.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

REPO = Path(__file__).resolve().parent.parent
N_REPORTS = 2000
SEED = 20261122
ROWS_PER_BATCH = 100


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = spark_session(
        "local[2]",
        progress=False,
        conf={
            "spark.sql.shuffle.partitions": "4",
            "spark.sql.execution.arrow.maxRecordsPerBatch": str(ROWS_PER_BATCH),
            # Executors import the fake scorer from tests/, like pytest's pythonpath.
            "spark.executorEnv.PYTHONPATH": str(REPO),
        },
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def reports() -> list[dict[str, Any]]:
    return [{"id": r["id"], "text": r["text"], "dos": r["dos"]} for r in generate(N_REPORTS, SEED)]


def write_input(rows: list[dict[str, Any]], path: Path) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["id", "text", "dos"])
            writer.writeheader()
            writer.writerows(rows)
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def single_machine(path: Path, tmp_path: Path, factory: str, **kwargs: Any) -> dict[str, dict]:
    out = tmp_path / f"single-{path.stem}.jsonl"
    score_inputs([path], out, workers=1, progress=False, scorer_factory=factory, **kwargs)
    return unique_by_id(read_output(out))


def on_spark(
    spark: SparkSession, path: Path, tmp_path: Path, factory: str, **kwargs: Any
) -> dict[str, dict]:
    out = tmp_path / f"spark-{path.stem}.parquet"
    score_files(spark, [path], out, scorer_factory=factory, **kwargs)
    # Read with pyarrow, not Spark: the Parquet files are what a user gets.
    return unique_by_id(record_from_row(row) for row in pq.read_table(out).to_pylist())


def unique_by_id(records: Iterator[dict[str, Any]] | Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for record in records:
        assert record["id"] not in out, f"id {record['id']!r} is in the output twice"
        out[record["id"]] = record
    return out


def assert_same_records(
    spark_records: dict[str, dict[str, Any]],
    local_records: dict[str, dict[str, Any]],
    ids: set[str],
    path: Path,
) -> None:
    for id in sorted(ids):
        got, want = spark_records[id], local_records[id]
        assert got["source"] == str(path)
        assert want["source"].startswith(f"{path} ")
        assert sorted(got) == sorted(want), id
        for field in sorted(want):
            if field != "source":
                assert got[field] == want[field], f"{id}: {field}"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_spark_records_equal_the_single_machine_records(
    spark: SparkSession,
    reports: list[dict[str, Any]],
    scorer_factory: str,
    tmp_path: Path,
    suffix: str,
) -> None:
    path = write_input(reports, tmp_path / f"reports{suffix}")

    local = single_machine(path, tmp_path, scorer_factory)
    got = on_spark(spark, path, tmp_path, scorer_factory)

    assert len(local) == N_REPORTS
    assert set(got) == set(local)
    assert_same_records(got, local, set(local), path)
    # The comparison is not vacuous: the corpus spans routes, codes and unknown dates.
    assert {r["route"] for r in got.values()} == {"auto", "review", "out_of_scope"}
    assert len({r["primary"] for r in got.values()}) >= 4
    assert sum(r["dos"] is None for r in got.values()) > 100


REAL_SCORER = "nlp.suggest:load_scorer"


def test_spark_with_the_real_scorer_equals_the_single_machine_scorer(
    spark: SparkSession, reports: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The product path itself (pipeline, rules, model) on 2,000 reports, not a stand-in."""
    path = write_input(reports, tmp_path / "reports.jsonl")

    local = single_machine(path, tmp_path, REAL_SCORER)
    got = on_spark(spark, path, tmp_path, REAL_SCORER)

    assert len(local) == N_REPORTS
    assert set(got) == set(local)
    assert_same_records(got, local, set(local), path)
    versions = {r["model_version"] for r in got.values()}
    assert len(versions) == 1 and next(iter(versions)).startswith("ranker-")
    assert {r["route"] for r in got.values()} >= {"auto", "review", "out_of_scope"}
    assert len({r["primary"] for r in got.values()}) >= 10


BROKEN_JSONL = [
    {"id": "ok", "text": "Myocardial perfusion SPECT", "dos": "2024-03-05"},
    {"id": "empty", "text": "", "dos": "2024-03-05"},
    {"id": "blank", "text": "  \n\t ", "dos": "2024-03-05"},
    {"id": "missing", "dos": "2024-03-05"},
    {"id": "null", "text": None},
    {"id": "long", "text": "SPECT " * 50},
    {"id": "raises", "text": "please raise here"},
    {"id": "bad-date", "text": "SPECT/CT of the pelvis", "dos": "2024-13-45"},
    {"id": "hl7-date", "text": "whole body SPECT", "dos": 20240305},
    {"id": 17, "text": "equivocal uptake"},
    {"id": "  padded  ", "text": "SPECT"},
    {"id": "dup", "text": "", "dos": "2024-01-01"},
    {"id": "dup", "text": "SPECT"},
    {"id": "dup", "text": "SPECT/CT"},
]


def test_spark_broken_inputs_give_the_single_machine_error_records(
    spark: SparkSession, scorer_factory: str, tmp_path: Path
) -> None:
    path = write_input(BROKEN_JSONL, tmp_path / "broken.jsonl")
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"text": "SPECT, but no id"}) + "\n")
        f.write('{"id": "cut", "text": "SPE')  # a last line cut short

    local = single_machine(path, tmp_path, scorer_factory, max_chars=200)
    got = on_spark(spark, path, tmp_path, scorer_factory, max_chars=200)

    keyed = {"ok", "empty", "blank", "missing", "null", "long", "raises", "bad-date"}
    keyed |= {"hl7-date", "17", "padded", "dup"}
    assert_same_records(got, local, keyed, path)
    assert {id: got[id]["error"] for id in sorted(keyed) if got[id]["error"]} == {
        "blank": "the report text is empty",
        "dup": "the report text is empty",
        "empty": "the report text is empty",
        "long": "the report is 300 characters long, over the limit of 200; "
        "raise --max-chars to score it",
        "missing": "the report text is empty",
        "null": "the report text is empty",
        "raises": "the scorer raised ValueError: fake scorer cannot read report raises",
    }
    assert got["bad-date"]["notes"] == [
        "date of service '2024-13-45' is not a valid date; scored with the date unknown"
    ]
    assert got["hl7-date"]["dos"] == "2024-03-05"

    # Records keyed by position: Spark has no line numbers, so the ids differ, not the rest.
    repeat_error = "the id 'dup' was already read from the inputs; only its first record was scored"
    assert {id: r["error"] for id, r in local.items() if id not in keyed} == {
        f"dup (repeated at {path} line 13)": repeat_error,
        f"dup (repeated at {path} line 14)": repeat_error,
        f"{path}:15": "line 15 has no 'id' value",
        f"{path}:16": "line 16 is not valid JSON (Unterminated string starting at: column 23); "
        "the file ends inside this line: was it truncated?",
    }
    by_position = {id: r for id, r in got.items() if id not in keyed}
    assert sorted(by_position) == sorted(
        [
            f"dup (repeat 1 at {path})",
            f"dup (repeat 2 at {path})",
            *(id for id in by_position if id.startswith(f"{path}#")),
        ]
    )
    assert sorted(r["error"] for r in by_position.values()) == sorted(
        [
            repeat_error,
            repeat_error,
            "the row has no 'id' value",
            "a line is not valid JSON (Unterminated string starting at: column 23)",
        ]
    )
    assert all(r["route"] == "error" and r["codes"] == [] for r in by_position.values())
    assert len(got) == len(local) == 16


def test_spark_reads_parquet_types_as_the_single_machine_reader(
    spark: SparkSession, scorer_factory: str, tmp_path: Path
) -> None:
    table = pa.table(
        {
            "accession": pa.array([101, 102, 103, None, 105], pa.int64()),
            "body": pa.array(
                [b"SPECT/CT abdomen", b"bad \xff byte", b"", b"SPECT", b"whole body"],
                pa.binary(),
            ),
            "exam_date": pa.array(
                [dt.date(2024, 3, 5), None, dt.date(2023, 1, 2), None, dt.date(2020, 2, 29)]
            ),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    columns = Columns(id="accession", text="body", dos="exam_date")

    local = single_machine(path, tmp_path, scorer_factory, columns=columns)
    got = on_spark(spark, path, tmp_path, scorer_factory, columns=columns)

    assert_same_records(got, local, {"101", "102", "103", "105"}, path)
    assert got["101"]["dos"] == "2024-03-05"
    assert got["102"]["error"] == (
        "the report is not valid UTF-8 (byte 0xff at offset 4); "
        "rerun with --encoding-errors replace to score it with the bad bytes replaced"
    )
    assert [r["error"] for id, r in got.items() if id.startswith(f"{path}#")] == [
        "the row has no 'accession' value"
    ]


def invoke(*args: str) -> Any:
    # An app of our own, as in test_cli_score: these tests need only the score command.
    app = typer.Typer(add_completion=False)
    score.register(app)
    app.command("other")(lambda: None)  # a second command keeps "score" a subcommand
    return CliRunner().invoke(app, ["score", "--engine", "spark", "--no-progress", *args])


BUILDS = 0


def counting_scorer() -> Any:
    """A fake scorer whose records say which process built it and how many it has built."""
    global BUILDS
    BUILDS += 1
    scorer, builds = FakeScorer(), BUILDS

    class Counting:
        def score(self, id: str, text: str, dos: str | None = None) -> dict[str, Any]:
            return {**scorer.score(id, text, dos), "pid": os.getpid(), "builds": builds}

    return Counting()


def test_spark_builds_the_scorer_once_per_python_process(
    spark: SparkSession, reports: list[dict[str, Any]]
) -> None:
    frame = spark.createDataFrame(reports, "id string, text string, dos string")

    scored = score_dataframe(frame, scorer_factory="tests.test_spark:counting_scorer", partitions=8)
    records = [record_from_row(row.asDict()) for row in scored.collect()]

    assert len(records) == N_REPORTS
    assert {r["builds"] for r in records} == {1}  # no process built a second scorer
    per_process = [sum(r["pid"] == pid for r in records) for pid in {r["pid"] for r in records}]
    # 8 tasks of 100-row batches ran in at most 2 worker processes at a time: a scorer
    # served many batches and tasks, not one each.
    assert len(per_process) <= 4
    assert min(per_process) > ROWS_PER_BATCH
    assert records[0]["source"] == ""  # not read from a file


def test_spark_cli_scores_into_a_parquet_directory(
    spark: SparkSession, scorer_factory: str, tmp_path: Path
) -> None:
    path = write_input(BROKEN_JSONL[:3], tmp_path / "few.jsonl")
    out = tmp_path / "scored.parquet"
    report = tmp_path / "run.html"

    result = invoke(
        str(path), "--out", str(out), "--report", str(report), "--scorer", scorer_factory
    )

    assert result.exit_code == 1, result.output  # two records are errors
    lines = result.stdout.splitlines()
    assert lines[0] == f"3 records in {out}"
    assert lines[2:] == [
        "by route: error 2, auto 1",
        "by primary code: 78452 1",
        "2 errors:",
        "  blank: the report text is empty",
        "  empty: the report text is empty",
        f"report: {report}",
    ]
    assert out.is_dir()
    assert sorted(r["id"] for r in pq.read_table(out).to_pylist()) == ["blank", "empty", "ok"]
    assert "78452" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--resume"], "error: --resume does not apply to --engine spark"),
        (["--workers", "2"], "error: --workers does not apply to --engine spark"),
        (["--format", "hl7"], "error: --engine spark reads jsonl, csv or parquet, not hl7"),
    ],
)
def test_spark_cli_usage_errors_exit_2(
    spark: SparkSession, scorer_factory: str, tmp_path: Path, args: list[str], message: str
) -> None:
    path = write_input(BROKEN_JSONL[:1], tmp_path / "one.jsonl")

    result = invoke(
        str(path), "--out", str(tmp_path / "o.parquet"), "--scorer", scorer_factory, *args
    )

    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_spark_cli_refuses_an_output_that_is_not_parquet(
    spark: SparkSession, scorer_factory: str, tmp_path: Path
) -> None:
    path = write_input(BROKEN_JSONL[:1], tmp_path / "one.jsonl")

    result = invoke(str(path), "--out", str(tmp_path / "o.jsonl"), "--scorer", scorer_factory)

    assert result.exit_code == 2
    assert result.stderr == (
        f"error: --engine spark writes Parquet: end the output name in .parquet, not "
        f"{tmp_path / 'o.jsonl'}\n"
    )
