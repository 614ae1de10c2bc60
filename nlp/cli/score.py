"""`spectcoder score`: score report archives into JSONL, CSV or Parquet."""

from __future__ import annotations

import inspect
import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from nlp.batch import BatchError, Columns, WorkerCrashedError, score_inputs
from nlp.batch.records import DEFAULT_MAX_CHARS
from nlp.batch.report import write_html
from nlp.batch.scoring import DEFAULT_SCORER_FACTORY
from nlp.batch.summary import Summary
from nlp.cli._common import fail


class InputFormat(StrEnum):
    txt = "txt"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    hl7 = "hl7"
    fhir = "fhir"


class EncodingErrorsOption(StrEnum):
    STRICT = "strict"
    REPLACE = "replace"


class Engine(StrEnum):
    local = "local"
    spark = "spark"


def score(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT",
            exists=True,
            help="Files or directories: a directory of .txt reports, .jsonl/.ndjson, .csv, "
            ".parquet, .hl7 (HL7 v2 ORU^R01) or .json (FHIR DiagnosticReport or Bundle).",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output file: .jsonl, .csv or .parquet (one record per report)."
        ),
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Worker processes (default: one per CPU; 1 scores in this process)."
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue OUT: skip the ids already in it.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace OUT if it exists.")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write a self-contained HTML report: counts by code and route, "
            "confidence histogram, errors.",
        ),
    ] = None,
    format: Annotated[
        InputFormat | None,
        typer.Option("--format", help="Read every input as this format (default: by extension)."),
    ] = None,
    id_column: Annotated[
        str, typer.Option(help="JSONL/CSV/Parquet field holding the report id.")
    ] = "id",
    text_column: Annotated[
        str, typer.Option(help="JSONL/CSV/Parquet field holding the report text.")
    ] = "text",
    dos_column: Annotated[
        str, typer.Option(help="JSONL/CSV/Parquet field holding the date of service (optional).")
    ] = "dos",
    max_chars: Annotated[
        int, typer.Option(min=1, help="Reports longer than this are error records, not scored.")
    ] = DEFAULT_MAX_CHARS,
    encoding_errors: Annotated[
        EncodingErrorsOption,
        typer.Option(
            help="strict: a report with bytes that are not UTF-8 is an error record; "
            "replace: score it with them replaced by U+FFFD (noted in the record)."
        ),
    ] = EncodingErrorsOption.STRICT,
    no_count: Annotated[
        bool,
        typer.Option(
            "--no-count", help="Skip counting the inputs first (the progress bar has no ETA)."
        ),
    ] = False,
    include_text: Annotated[
        bool,
        typer.Option(
            "--include-text", help="Copy each report's text into its record (for a review queue)."
        ),
    ] = False,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")
    ] = True,
    scorer: Annotated[
        str,
        typer.Option(help="Import path of the function that builds the scorer.", hidden=True),
    ] = DEFAULT_SCORER_FACTORY,
    engine: Annotated[
        Engine,
        typer.Option(
            help="local: worker processes on this machine; spark: a Spark job reading "
            "JSONL, CSV or Parquet and writing a Parquet directory (needs spectcoder[spark])."
        ),
    ] = Engine.local,
    master: Annotated[
        str | None,
        typer.Option(
            help="Spark master for --engine spark (default: local[*], or spark-submit's).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Score report archives: one record per report, with codes, confidence, route and evidence.

    Reads every report of every INPUT as a stream and scores them in parallel. A report
    that cannot be read or scored becomes a record with "route": "error" and a message,
    and the run goes on; the exit code is 1 if any did. Output is written as it goes:
    after a crash or Ctrl-C, run the same command with --resume to continue. With
    --engine spark, Spark reads and scores the reports (JSONL, CSV or Parquet) and writes
    OUT as a Parquet directory.

    Example:

        spectcoder score feed/*.hl7 --out scored.parquet --report run.html
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if engine is Engine.spark:
        if resume or workers is not None:
            fail(
                f"{'--resume' if resume else '--workers'} does not apply to --engine spark "
                "(a Spark job writes its whole output or none; its tasks use every core of "
                "--master): leave it out"
            )
        summary = _score_on_spark(
            inputs,
            out,
            master=master,
            progress=progress,
            overwrite=overwrite,
            scorer_factory=scorer,
            format=format.value if format else None,
            columns=Columns(id=id_column, text=text_column, dos=dos_column),
            max_chars=max_chars,
            encoding_errors=encoding_errors.value,
            include_text=include_text,
        )
        if report is not None:
            write_html(summary, report)
        typer.echo(summary.to_text())
        if report is not None:
            typer.echo(f"report: {report}")
        raise typer.Exit(summary.exit_code)
    try:
        summary = score_inputs(
            inputs,
            out,
            workers=workers,
            resume=resume,
            overwrite=overwrite,
            scorer_factory=scorer,
            format=format.value if format else None,
            columns=Columns(id=id_column, text=text_column, dos=dos_column),
            max_chars=max_chars,
            encoding_errors=encoding_errors.value,
            include_text=include_text,
            report_html=report,
            progress=progress,
            count=not no_count,
        )
    except WorkerCrashedError as exc:
        fail(str(exc), code=1)
    except BatchError as exc:
        fail(str(exc))
    typer.echo(summary.to_text())
    if report is not None:
        typer.echo(f"report: {report}")
    if summary.interrupted:
        typer.echo(
            f"interrupted: {summary.records:,} records are in {summary.location}; run the same "
            "command with --resume to continue",
            err=True,
        )
        raise typer.Exit(130)
    raise typer.Exit(summary.exit_code)


def _score_on_spark(
    inputs: list[Path], out: Path, *, master: str | None, progress: bool, **options: Any
) -> Summary:
    """`nlp.spark.score_files` in a Spark session; its errors as one plain sentence."""
    try:
        from nlp.spark import score_files, spark_session
        from nlp.spark.run import check_run
    except ImportError:
        fail("--engine spark needs pyspark: install it with pip install 'spectcoder[spark]'")
    try:
        check_run(
            inputs,
            out,
            format=options["format"],
            overwrite=options["overwrite"],
            scorer_factory=options["scorer_factory"],
        )
    except BatchError as exc:
        fail(str(exc))
    try:
        spark = spark_session(master, progress=progress)
    except Exception as exc:  # the JVM did not start: no Java, a bad --master
        fail(f"cannot start Spark on {master or 'local[*]'}: {_first_line(exc)}")
    try:
        return score_files(spark, inputs, out, **options)
    except BatchError as exc:
        fail(str(exc))
    except Exception as exc:  # a failed job: the executors' error is in the message
        fail(f"the Spark job failed: {_first_line(exc)}; see the executor log above", code=1)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0][:300] if lines else type(exc).__name__


def _reflow(doc: str) -> str:
    """The docstring as help: paragraph lines joined (this Typer keeps single line
    breaks), indented example blocks kept as they are."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(p if p.startswith(" ") else " ".join(p.split("\n")) for p in paragraphs)


def register(app: typer.Typer) -> None:
    app.command("score", help=_reflow(score.__doc__ or ""))(score)
