"""Scoring a Spark DataFrame of reports into the records `nlp.batch` writes, on executors.

`score_dataframe` runs two Python passes over Arrow batches (`mapInArrow`):

1. *read*: each row becomes an `InputRecord` by the rules the file readers apply to a
   JSONL object, CSV row or Parquet row (`nlp.batch.readers`), then the text checks of
   `nlp.batch.scoring.prepare` (empty, too long). Nothing is scored yet.
2. *score*: rows arrive hash-partitioned and sorted by id, so a repeated id is caught
   as in `score_inputs` (only the first is scored, each repeat is an error record);
   every row is then scored by `nlp.batch.scoring.score_one`, so an error record or a
   scorer exception gives the record the single-machine run gives.

Arrow rather than pandas batches: `to_pylist()` gives the Python values the file readers
see (pandas would turn an integer id column with nulls into floats and null dates into
NaT), which the equal-records guarantee depends on.

The scorer is built once per executor Python process from its import path and kept in
`_SCORERS`; Spark reuses Python workers across tasks (`spark.python.worker.reuse`, on
by default), so a model is loaded once per worker process, not per task or batch.

The output columns are `RECORD_KEYS` in order, then `extra`, then `text` when asked:
`codes` and `notes` are array<string>, `confidence` double, `candidates`, `facts`,
`evidence` and `edits` JSON strings (their shape belongs to the scorer and changes with
it; JSON keeps every value exact, where a struct schema would have to be fixed here),
`extra` the JSON of any keys a scorer adds beyond `RECORD_KEYS`, the rest strings.
`record_from_row` turns a row back into the record.

Where a Spark record differs from the single-machine one, it is because Spark does not
number lines: `source` is the file a row was read from (no line or row number; '' for a
DataFrame not read from files), a row without an id gets the id `<file>#<n>` with `n`
unique in the run, a repeated id's record is keyed `<id> (repeat <k> at <file>)`, and
messages that name a line or row ("line 7 has no 'id' value") say "the row" instead.
A repeat is "first" in (file path, position in file) order, where `score_inputs` takes
the inputs in the order given.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any, Final
from urllib.parse import unquote, urlparse

import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from nlp.batch import scoring
from nlp.batch.readers import _date_value, _from_mapping, _with_note
from nlp.batch.records import (
    DEFAULT_MAX_CHARS,
    RECORD_KEYS,
    BatchError,
    Columns,
    EncodingErrors,
    InputRecord,
    decode_bytes,
)
from nlp.batch.writers import flatten

# Spark's name for the raw text of a JSON line or CSV row it could not parse
# (`columnNameOfCorruptRecord`); `read_reports` asks for it.
CORRUPT_COLUMN: Final = "_corrupt_record"
ARRAY_COLUMNS: Final = ("codes", "notes")
JSON_COLUMNS: Final = ("candidates", "facts", "evidence", "edits")
FLOAT_COLUMNS: Final = ("confidence",)

# Columns between the two passes; prefixed so they cannot clash with the input's.
_ID, _TEXT, _DOS, _SOURCE, _CORRUPT, _POS = (
    "__sc_id",
    "__sc_text",
    "__sc_dos",
    "__sc_source",
    "__sc_corrupt",
    "__sc_pos",
)
_ERROR, _NOTES = "__sc_error", "__sc_notes"
_PREPARED = pa.schema(
    [
        (_ID, pa.string()),
        (_TEXT, pa.string()),
        (_DOS, pa.string()),
        (_SOURCE, pa.string()),
        (_ERROR, pa.string()),
        (_NOTES, pa.list_(pa.string())),
        (_POS, pa.int64()),
    ]
)
_PREPARED_DDL = (
    f"{_ID} string, {_TEXT} string, {_DOS} string, {_SOURCE} string, {_ERROR} string, "
    f"{_NOTES} array<string>, {_POS} bigint"
)


def output_columns(include_text: bool = False) -> list[str]:
    """The columns `score_dataframe` returns, in order."""
    return [*RECORD_KEYS, "extra", *(["text"] if include_text else [])]


def output_schema(include_text: bool = False) -> pa.Schema:
    """The Arrow schema of the scored rows (Spark: `output_ddl`)."""
    fields = []
    for name in output_columns(include_text):
        if name in ARRAY_COLUMNS:
            fields.append(pa.field(name, pa.list_(pa.string())))
        elif name in FLOAT_COLUMNS:
            fields.append(pa.field(name, pa.float64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def output_ddl(include_text: bool = False) -> str:
    """The Spark schema of the scored rows, as DDL."""
    types = {pa.string(): "string", pa.float64(): "double", pa.list_(pa.string()): "array<string>"}
    return ", ".join(f"`{f.name}` {types[f.type]}" for f in output_schema(include_text))


def record_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The record a scored row was made from: JSON columns parsed, `extra` merged back.

    Accepts a `pyspark.sql.Row` (`row.asDict()`) or a dict read from the Parquet output.
    """
    record: dict[str, Any] = {}
    for key in RECORD_KEYS:
        value = row[key]
        if key in ARRAY_COLUMNS:
            record[key] = list(value or [])
        elif key in JSON_COLUMNS:
            record[key] = None if value is None else json.loads(value)
        else:
            record[key] = value
    if (extra := row.get("extra")) is not None:
        record.update(json.loads(extra))
    if "text" in row:
        record["text"] = row["text"]
    return record


# --- pass 1: rows to checked input records -------------------------------------------


def source_name(uri: str | None) -> str:
    """A row's file as `input_file_name()` gives it, as a local path for `file:` URIs."""
    if not uri:
        return ""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def input_record(
    raw_id: object,
    raw_text: object,
    raw_dos: object,
    source: str,
    corrupt: str | None,
    position: int,
    *,
    columns: Columns,
    encoding_errors: EncodingErrors,
) -> InputRecord:
    """One DataFrame row as the file readers would read it (`read_parquet`'s row rules)."""
    fallback = f"{source}#{position}"
    if corrupt is not None:
        return InputRecord(fallback, None, None, source, error=_corrupt_error(corrupt, source))
    note: str | None = None
    text = raw_text
    if isinstance(raw_text, bytes | bytearray):
        text, error, note = decode_bytes(bytes(raw_text), "utf-8", encoding_errors)
        if text is None:
            rid = str(raw_id) if raw_id is not None else fallback
            return InputRecord(rid, None, None, source, error=error)
    obj = {columns.id: raw_id, columns.text: text, columns.dos: _date_value(raw_dos)}
    return _with_note(_from_mapping(obj, columns, source, fallback, "the row"), note)


def _corrupt_error(raw: str, source: str) -> str:
    """Why Spark could not parse a JSON line or CSV row (never quoting it)."""
    if source.lower().removesuffix(".gz").endswith(".csv"):
        return "a CSV row cannot be read: its fields do not match the header"
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        return f"a line is not valid JSON ({exc.msg}: column {exc.colno})"
    return "a line is not a JSON object"


def _prepare_batches(
    batches: Iterable[pa.RecordBatch],
    *,
    columns: Columns,
    max_chars: int,
    encoding_errors: EncodingErrors,
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        out: dict[str, list[Any]] = {name: [] for name in _PREPARED.names}
        cols = [batch.column(name).to_pylist() for name in (_ID, _TEXT, _DOS, _SOURCE, _CORRUPT)]
        positions = batch.column(_POS).to_pylist()
        for raw_id, raw_text, raw_dos, uri, corrupt, position in zip(*cols, positions, strict=True):
            record = input_record(
                raw_id,
                raw_text,
                raw_dos,
                source_name(uri),
                corrupt,
                position,
                columns=columns,
                encoding_errors=encoding_errors,
            )
            record = scoring.prepare(record, max_chars=max_chars, encoding_errors=encoding_errors)
            out[_ID].append(record.id)
            out[_TEXT].append(record.text)
            out[_DOS].append(record.dos)
            out[_SOURCE].append(record.source)
            out[_ERROR].append(record.error)
            out[_NOTES].append(list(record.notes))
            out[_POS].append(position)
        yield pa.RecordBatch.from_pydict(out, schema=_PREPARED)


# --- pass 2: checked records to output rows ------------------------------------------

_SCORERS: dict[str, scoring.Scorer] = {}
_SCORERS_LOCK = threading.Lock()


def executor_scorer(factory: str) -> scoring.Scorer:
    """This process's scorer for `factory`, built on first use and then kept."""
    with _SCORERS_LOCK:
        scorer = _SCORERS.get(factory)
        if scorer is None:
            scorer = _SCORERS[factory] = scoring.load_scorer(factory)
        return scorer


def repeat_record(record: InputRecord, repeat: int) -> InputRecord:
    """The error record of the `repeat`-th extra copy of an id (as `score_inputs` makes it)."""
    return InputRecord(
        f"{record.id} (repeat {repeat} at {record.source})",
        record.text,
        record.dos,
        record.source,
        error=f"the id {record.id!r} was already read from the inputs; only its first "
        "record was scored",
    )


def output_row(record: dict[str, Any], include_text: bool) -> dict[str, Any]:
    """A scored record as a row of `output_schema` (what `record_from_row` reverses)."""
    row = flatten(record, include_text)
    row["codes"] = [str(c) for c in record.get("codes") or []]
    row["notes"] = [str(n) for n in record.get("notes") or []]
    return row


def _score_batches(
    batches: Iterable[pa.RecordBatch],
    *,
    factory: str,
    include_text: bool,
    mark_repeats: bool,
) -> Iterator[pa.RecordBatch]:
    schema = output_schema(include_text)
    previous: str | None = None
    repeats = 0
    for batch in batches:
        scorer = executor_scorer(factory)
        cols = [batch.column(name).to_pylist() for name in (_ID, _TEXT, _DOS, _SOURCE, _ERROR)]
        notes = batch.column(_NOTES).to_pylist()
        rows = []
        for id, text, dos, source, error, note_list in zip(*cols, notes, strict=True):
            record = InputRecord(id, text, dos, source, error, tuple(note_list or ()))
            # Rows come sorted by (id, source, position): a repeat follows its first copy,
            # also across batch boundaries of the partition.
            if mark_repeats and id == previous:
                repeats += 1
                record = repeat_record(record, repeats)
            else:
                previous, repeats = id, 0
            rows.append(
                output_row(
                    scoring.score_one(scorer, record, include_text=include_text), include_text
                )
            )
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


# --- the DataFrame transformation ----------------------------------------------------


def _col(name: str) -> Column:
    # Backticks: an input column may be named `report.text`, which is not a struct field.
    return F.col("`" + name.replace("`", "``") + "`")


def default_partitions(df: DataFrame) -> int:
    """`spark.sql.shuffle.partitions` if set explicitly, else four tasks per core: scoring
    is CPU-bound per row, and small tasks keep every core busy to the end."""
    spark = df.sparkSession
    try:
        conf = spark.sparkContext.getConf()
    except Exception:  # Spark Connect has no SparkContext
        return int(spark.conf.get("spark.sql.shuffle.partitions") or 200)
    if conf.contains("spark.sql.shuffle.partitions"):
        return int(spark.conf.get("spark.sql.shuffle.partitions") or 200)
    return 4 * spark.sparkContext.defaultParallelism


def score_dataframe(
    df: DataFrame,
    *,
    id_col: str = "id",
    text_col: str = "text",
    dos_col: str = "dos",
    scorer_factory: str = scoring.DEFAULT_SCORER_FACTORY,
    max_chars: int = DEFAULT_MAX_CHARS,
    encoding_errors: EncodingErrors = "strict",
    include_text: bool = False,
    source_col: str | None = None,
    partitions: int | None = None,
    mark_repeats: bool = True,
) -> DataFrame:
    """Score every row of `df`: one output row per input row, as `spectcoder score` would.

    `df` needs `id_col` and `text_col`; `dos_col` is optional. Text may be string or
    binary (UTF-8, decoded under `encoding_errors`). A `_corrupt_record` column (Spark's
    unparsed JSON line or CSV row) makes that row an error record. `source_col` names a
    column saying where each row came from; by default it is the file Spark read it from.

    The rows are hash-partitioned by id into `partitions` tasks (default:
    `default_partitions`) and, with `mark_repeats`, a repeated id is scored once: the
    first copy in (file, position) order, each other copy an error record. The columns
    and how they differ from the single-machine records are in the module docstring.

    Lazy, like any transformation: nothing runs until the result is written or collected.

        scored = score_dataframe(spark.read.parquet("s3a://lake/reports/"), text_col="body")
        scored.write.parquet("s3a://lake/scored/")
    """
    missing = [c for c in (id_col, text_col) if c not in df.columns]
    if missing:
        raise BatchError(
            f"the input has no {' or '.join(repr(m) for m in missing)} column "
            f"(its columns: {', '.join(df.columns)}); name the "
            f"{'text' if text_col in missing else 'id'} column"
        )
    # Fail on the driver, before any task, if the factory cannot be imported; the scorer
    # itself is only built on executors.
    scoring.resolve_factory(scorer_factory)
    columns = Columns(id=id_col, text=text_col, dos=dos_col)
    source = _col(source_col) if source_col else F.input_file_name()
    rows = df.select(
        _col(id_col).alias(_ID),
        _col(text_col).alias(_TEXT),
        (_col(dos_col) if dos_col in df.columns else F.lit(None).cast("string")).alias(_DOS),
        source.cast("string").alias(_SOURCE),
        (
            _col(CORRUPT_COLUMN) if CORRUPT_COLUMN in df.columns else F.lit(None).cast("string")
        ).alias(_CORRUPT),
        F.monotonically_increasing_id().alias(_POS),
    )
    prepare: Callable[[Iterable[pa.RecordBatch]], Iterator[pa.RecordBatch]] = partial(
        _prepare_batches, columns=columns, max_chars=max_chars, encoding_errors=encoding_errors
    )
    prepared = rows.mapInArrow(prepare, _PREPARED_DDL)
    n = partitions or default_partitions(df)
    if mark_repeats:
        prepared = prepared.repartition(n, _ID).sortWithinPartitions(_ID, _SOURCE, _POS)
    else:
        prepared = prepared.repartition(n)
    score: Callable[[Iterable[pa.RecordBatch]], Iterator[pa.RecordBatch]] = partial(
        _score_batches,
        factory=scorer_factory,
        include_text=include_text,
        mark_repeats=mark_repeats,
    )
    return prepared.mapInArrow(score, output_ddl(include_text))
