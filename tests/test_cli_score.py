"""`spectcoder score`, driven through Typer's test runner with the fake scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nlp.cli import score
from tests.batch_support import by_id, read_jsonl


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    # An app of our own, so these tests do not depend on the other command modules.
    app = typer.Typer(add_completion=False)
    score.register(app)

    @app.command("other")
    def other() -> None:  # a second command keeps "score" a subcommand, as in spectcoder
        """Unused."""

    return app


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"id": "a", "text": "SPECT/CT pelvis", "dos": "2024-01-02"},
                {"id": "b", "text": "whole body bone scan"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return src


def invoke(app: typer.Typer, scorer_factory: str, *args: str) -> object:
    return CliRunner().invoke(app, ["score", *args, "--scorer", scorer_factory, "--no-progress"])


def test_cli_score_help_ends_with_an_example(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["score", "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    assert "Score report archives" in result.output
    assert "spectcoder score feed/*.hl7 --out scored.parquet --report run.html" in result.output
    for option in (
        "--resume",
        "--workers",
        "--format",
        "--text-column",
        "--max-chars",
        "--encoding-errors",
        "--no-count",
        "--include-text",
        "--report",
    ):
        assert option in result.output


def test_cli_score_scores_and_prints_the_summary(
    app: typer.Typer, scorer_factory: str, inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    report = tmp_path / "run.html"

    result = CliRunner().invoke(
        app,
        [
            "score",
            str(inputs),
            "--out",
            str(out),
            "--workers",
            "1",
            "--report",
            str(report),
            "--include-text",
            "--no-progress",
            "--scorer",
            scorer_factory,
        ],
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        f"2 records in {out}",
        result.stdout.splitlines()[1],  # timing varies
        "by route: auto 2",
        "by primary code: 78830 1, 78306 1",
    ]
    assert result.stdout.splitlines()[1].startswith("scored 2 in ")
    assert result.stdout.splitlines()[-1] == f"report: {report}"
    records = by_id(read_jsonl(out))
    assert records["a"]["text"] == "SPECT/CT pelvis"
    assert records["b"]["codes"] == ["78306"]
    assert report.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_cli_score_exit_1_when_a_record_failed(
    app: typer.Typer, scorer_factory: str, inputs: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\nx,SPECT\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    result = CliRunner().invoke(
        app,
        [
            "score",
            str(bad),
            str(inputs),
            "--out",
            str(out),
            "--workers",
            "1",
            "--no-progress",
            "--scorer",
            scorer_factory,
        ],
    )

    assert result.exit_code == 1
    assert (
        f"  {bad}: bad.csv has no 'text' column (its columns: id, body); name it with --text-column"
        in result.stdout
    )
    assert sorted(r["id"] for r in read_jsonl(out)) == sorted(["a", "b", str(bad)])


def test_cli_score_usage_errors_exit_2(
    app: typer.Typer, scorer_factory: str, inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("", encoding="utf-8")
    runner = CliRunner()
    common = ["--workers", "1", "--no-progress", "--scorer", scorer_factory]

    exists = runner.invoke(app, ["score", str(inputs), "--out", str(out), *common])
    unknown = runner.invoke(app, ["score", str(inputs), "--out", str(tmp_path / "o.xml"), *common])
    missing = runner.invoke(
        app, ["score", str(tmp_path / "nope.jsonl"), "--out", str(out), *common]
    )

    assert exists.exit_code == 2
    assert exists.stderr == (
        f"error: {out} already exists; pass --resume to continue it or --overwrite to replace it\n"
    )
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        f"error: cannot tell the output format of {tmp_path / 'o.xml'}; "
        "end its name in .jsonl, .csv or .parquet\n"
    )
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr


def test_cli_score_options_reach_the_readers(
    app: typer.Typer, scorer_factory: str, tmp_path: Path
) -> None:
    src = tmp_path / "in.txt"  # a CSV under another name
    src.write_bytes(b"acc,body,when\nk1,SPECT/CT \xff,2024-02-03\nk2,x,2024-02-03\n")
    out = tmp_path / "out.csv"

    result = CliRunner().invoke(
        app,
        [
            "score",
            str(src),
            "--out",
            str(out),
            "--format",
            "csv",
            "--id-column",
            "acc",
            "--text-column",
            "body",
            "--dos-column",
            "when",
            "--encoding-errors",
            "replace",
            "--max-chars",
            "5",
            "--no-count",
            "--workers",
            "1",
            "--no-progress",
            "--scorer",
            scorer_factory,
        ],
    )

    assert result.exit_code == 1  # k2 is fine, but k1 is over --max-chars 5
    from nlp.batch.writers import read_output

    records = by_id(list(read_output(out)))
    assert records["k1"]["error"] == (
        "the report is 10 characters long, over the limit of 5; raise --max-chars to score it"
    )
    assert records["k2"]["route"] == "review"
    assert records["k2"]["dos"] == "2024-02-03"
