"""A Spark scoring run over files: read JSONL, CSV or Parquet, score, write Parquet, summarise.

What `spectcoder score --engine spark` calls. Inputs are files, directories or URIs
(`s3a://`, `hdfs://`) that Spark reads itself, split across tasks: any size works.
Every column is read as written except that JSONL and CSV fields are read as strings
(a JSONL `"id": 17` is the id "17", as the single-machine reader makes it).

The output is a Parquet *directory* (one part file per task), written in one Spark job
that either completes or leaves nothing: there is no `--resume`; a failed task is
retried by Spark. The summary (`nlp.batch.Summary`) is computed from the written output.

Differences from the single-machine readers, besides those of `nlp.spark.scoring`: a
JSONL `text` that is a number or an object is scored as its JSON text (Spark reads it
as a string), and bytes that are not UTF-8 in JSONL or CSV become U+FFFD without an
error (Spark decodes them before spectcoder sees them).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from nlp.batch import scoring
from nlp.batch.readers import EXTENSIONS, missing_column_error
from nlp.batch.records import DEFAULT_MAX_CHARS, BatchError, Columns, EncodingErrors
from nlp.batch.summary import CONFIDENCE_BINS, MAX_ERRORS_KEPT, NO_CODE, Summary
from nlp.spark.scoring import CORRUPT_COLUMN, score_dataframe

SPARK_FORMATS: Final = {"jsonl": "json", "csv": "csv", "parquet": "parquet"}


def input_format(inputs: Sequence[str], format: str | None = None) -> str:
    """The one format (jsonl, csv or parquet) of `inputs`: `format`, else by extension;
    a local directory by the extensions of the files in it."""
    if format:
        if format not in SPARK_FORMATS:
            raise BatchError(
                f"--engine spark reads jsonl, csv or parquet, not {format}; "
                "score other formats with --engine local"
            )
        return format
    found: set[str] = set()
    for item in inputs:
        path = Path(item)
        if "://" not in item and path.is_dir():
            names = [
                p.name for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))
            ]
        else:
            names = [path.name]
        for name in names:
            suffixes = [s.lower() for s in Path(name).suffixes if s.lower() != ".gz"]
            found.add(EXTENSIONS.get(suffixes[-1], "?") if suffixes else "?")
    known = found & set(SPARK_FORMATS)
    if len(found) == 1 and known:
        return known.pop()
    raise BatchError(
        f"cannot tell one input format (jsonl, csv or parquet) from {', '.join(inputs)}; "
        "name it with --format"
    )


def read_reports(
    spark: SparkSession,
    inputs: Sequence[str],
    *,
    format: str | None = None,
    columns: Columns = Columns(),
) -> DataFrame:
    """The inputs as a DataFrame for `score_dataframe`, with `_corrupt_record` for JSONL
    and CSV rows Spark cannot parse."""
    fmt = input_format(inputs, format)
    paths = list(inputs)
    if fmt == "parquet":
        return spark.read.parquet(*paths)
    corrupt = T.StructField(CORRUPT_COLUMN, T.StringType())
    if fmt == "jsonl":
        # A schema of strings: no pass over the data to infer one, and numbers arrive as
        # their JSON text ("17"), as the single-machine reader's str() makes them.
        names = dict.fromkeys((columns.id, columns.text, columns.dos))
        schema = T.StructType([*(T.StructField(n, T.StringType()) for n in names), corrupt])
        return spark.read.schema(schema).json(paths, mode="PERMISSIVE")
    # CSV: RFC 4180 quoting ("" inside quotes), reports spanning lines, every field a
    # string. The header is read first so a short or long row can be flagged as corrupt.
    options: dict[str, bool | str] = {
        "header": True,
        "multiLine": True,
        "escape": '"',
        "mode": "PERMISSIVE",
    }
    header = spark.read.options(**options).csv(paths).columns
    schema = T.StructType([*(T.StructField(h, T.StringType()) for h in header), corrupt])
    return spark.read.options(**options).schema(schema).csv(paths)


def check_run(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    format: str | None = None,
    overwrite: bool = False,
    scorer_factory: str = scoring.DEFAULT_SCORER_FACTORY,
) -> str:
    """The input format, once the run is known to be able to start: a `BatchError` for an
    output that is not .parquet or is in the way, an unknown input format or a scorer
    factory that cannot be imported. Needs no Spark session, so a command can check
    before starting one."""
    target = str(out)
    if not target.lower().endswith(".parquet"):
        raise BatchError(
            f"--engine spark writes Parquet: end the output name in .parquet, not {out}"
        )
    if "://" not in target and Path(target).exists() and not overwrite:
        raise BatchError(f"{out} exists; pass --overwrite to replace it")
    scoring.resolve_factory(scorer_factory)
    return input_format([str(i) for i in inputs], format)


def score_files(
    spark: SparkSession,
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    format: str | None = None,
    columns: Columns = Columns(),
    scorer_factory: str = scoring.DEFAULT_SCORER_FACTORY,
    max_chars: int = DEFAULT_MAX_CHARS,
    encoding_errors: EncodingErrors = "strict",
    include_text: bool = False,
    overwrite: bool = False,
    partitions: int | None = None,
) -> Summary:
    """Score every report of `inputs` into the Parquet directory `out`; its summary.

    Raises `BatchError` before any job runs for what `check_run` checks and for a
    missing id or text column.
    """
    fmt = check_run(inputs, out, format=format, overwrite=overwrite, scorer_factory=scorer_factory)
    target = str(out)
    frame = read_reports(spark, [str(i) for i in inputs], format=fmt, columns=columns)
    shown = [c for c in frame.columns if c != CORRUPT_COLUMN]
    missing = missing_column_error(columns, frame.columns, "the inputs", plural=True, shown=shown)
    if missing:
        raise BatchError(missing)
    scored = score_dataframe(
        frame,
        id_col=columns.id,
        text_col=columns.text,
        dos_col=columns.dos,
        scorer_factory=scorer_factory,
        max_chars=max_chars,
        encoding_errors=encoding_errors,
        include_text=include_text,
        partitions=partitions,
    )
    start = time.perf_counter()
    scored.write.mode("overwrite" if overwrite else "errorifexists").parquet(target)
    elapsed = time.perf_counter() - start
    summary = summarize(spark.read.parquet(target))
    summary.out = Path(target)
    summary.location = Path(target)
    summary.elapsed = elapsed
    return summary


def summarize(scored: DataFrame) -> Summary:
    """The `Summary` of scored rows, counted as `Summary.add` counts them: one job over
    the route, primary, confidence and model_version columns, one for the errors."""
    summary = Summary()
    route = F.coalesce(F.col("route"), F.lit("error"))
    is_error = route == "error"
    primary = (
        F.when(is_error, F.lit(None))
        .when(F.col("primary").isNull() | (F.col("primary") == ""), F.lit(NO_CODE))
        .otherwise(F.col("primary"))
    )
    confidence = F.col("confidence")
    bin_index = F.when(
        ~is_error & confidence.isNotNull() & ~F.isnan(confidence),
        F.least(
            F.greatest(F.floor(confidence * CONFIDENCE_BINS), F.lit(0)),
            F.lit(CONFIDENCE_BINS - 1),
        ),
    )
    version = F.when(~is_error & (F.col("model_version") != ""), F.col("model_version"))
    groups = scored.groupBy(
        route.alias("route"),
        primary.alias("primary"),
        bin_index.alias("bin"),
        version.alias("model_version"),
    ).count()
    for row in groups.collect():
        n = row["count"]
        summary.by_route[row["route"]] += n
        if row["primary"] is not None:
            summary.by_code[row["primary"]] += n
        if row["bin"] is not None:
            summary.confidence_bins[int(row["bin"])] += n
        if row["model_version"] is not None:
            summary.model_versions[row["model_version"]] += n
    summary.records = summary.scored = sum(summary.by_route.values())
    summary.error_count = summary.by_route.get("error", 0)
    if summary.error_count:
        errors = scored.where(is_error).select("id", "error").orderBy("id")
        summary.errors = [
            (str(r["id"]), str(r["error"] or "")) for r in errors.limit(MAX_ERRORS_KEPT).collect()
        ]
    return summary
