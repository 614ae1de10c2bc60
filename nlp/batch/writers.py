"""Output writers (`.jsonl`, `.csv`, `.parquet`) that survive being killed mid-run.

Every writer buffers records and makes them durable in `flush()` (write, flush, fsync),
which the runner calls after each batch. `--resume` reopens the output, hands every
record already there to `on_existing` (the runner skips those ids) and repairs what an
interrupted run may have left:

- JSONL and CSV are appended to. A kill -9 can leave a partly written last line (or CSV
  row): recovery truncates the file after the last complete record, and the records
  lost with it are scored again.
- Parquet keeps no footer until it is closed, so one file written as it goes would be
  unreadable after a kill. Instead each flush writes one complete part file,
  `OUT.parquet.parts/part-NNNNNN.parquet`, under a temporary name that is renamed into
  place once written: a part is either whole or absent. The run's end combines
  `OUT.parquet` (if resuming) and the parts into a new `OUT.parquet` in row groups of
  `PARQUET_ROW_GROUP` rows, then removes the parts. An interrupted run leaves the parts,
  which pyarrow reads as one dataset (`pq.read_table("OUT.parquet.parts")`).

CSV and Parquet are flat: `codes` is space-joined; `notes`, `candidates`, `facts`,
`evidence`, `edits` are JSON strings, and any keys a scorer adds beyond `RECORD_KEYS`
go together into an `extra` JSON column. `read_output` turns them back into records.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from nlp.batch.records import RECORD_KEYS, BatchError

OutputFormat = Literal["jsonl", "csv", "parquet"]
OUTPUT_FORMATS: Final[dict[str, OutputFormat]] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
}
JSON_COLUMNS: Final = ("notes", "candidates", "facts", "evidence", "edits")
FLOAT_COLUMNS: Final = ("confidence",)
PARQUET_ROW_GROUP: Final = 16_384

log = logging.getLogger(__name__)

OnExisting = Callable[[dict[str, Any]], None]


def output_format(path: Path) -> OutputFormat:
    """The output format an output path asks for by its extension."""
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BatchError(
            f"cannot tell the output format of {path}; end its name in .jsonl, .csv or .parquet"
        )
    return fmt


def flat_columns(include_text: bool) -> list[str]:
    return [*RECORD_KEYS, "extra", *(["text"] if include_text else [])]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def flatten(record: dict[str, Any], include_text: bool = False) -> dict[str, Any]:
    """One output record as a flat row of strings and numbers (CSV, Parquet)."""
    row: dict[str, Any] = {}
    for key in RECORD_KEYS:
        value = record.get(key)
        if key == "codes":
            row[key] = " ".join(str(c) for c in value or [])
        elif key in JSON_COLUMNS:
            row[key] = None if value is None else _dumps(value)
        elif key in FLOAT_COLUMNS:
            row[key] = None if value is None else float(value)
        else:
            row[key] = None if value is None else str(value)
    extra = {k: v for k, v in record.items() if k not in RECORD_KEYS and k != "text"}
    row["extra"] = _dumps(extra) if extra else None
    if include_text:
        row["text"] = record.get("text")
    return row


def unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """The record a flat row was made from (`flatten`'s inverse). CSV's "" reads as None."""

    def get(key: str) -> Any:
        value = row.get(key)
        return None if value == "" else value

    record: dict[str, Any] = {}
    for key in RECORD_KEYS:
        value = get(key)
        if key == "codes":
            record[key] = value.split() if value else []
        elif key in JSON_COLUMNS:
            record[key] = None if value is None else json.loads(value)
        elif key in FLOAT_COLUMNS:
            record[key] = None if value is None else float(value)
        else:
            record[key] = value
    if row.get("id") == "":
        record["id"] = ""
    if (extra := get("extra")) is not None:
        record.update(json.loads(extra))
    if "text" in row:
        record["text"] = row["text"]
    return record


def _fsync_dir(path: Path) -> None:
    # A rename is durable once its directory is: without this a crash can lose the part.
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Writer:
    """Buffers records; `flush()` makes them durable; `close()` ends the output."""

    def __init__(self, path: Path, include_text: bool) -> None:
        self.path = path
        self.include_text = include_text
        self.pending = 0

    def write(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        raise NotImplementedError

    def close(self, *, complete: bool = True) -> None:
        """Flush and close; `complete=False` (an interrupted run) leaves it resumable."""
        raise NotImplementedError

    @property
    def location(self) -> Path:
        """Where the records written so far are (the parts folder for an unfinished Parquet)."""
        return self.path


class TextFileWriter(Writer):
    """A writer that appends UTF-8 text to one open file (JSONL, CSV).

    Subclasses buffer records as text and hand the buffer over in `_take_buffered`;
    `flush` writes it, flushes and fsyncs the file, `close` flushes and closes it.
    """

    def __init__(self, path: Path, include_text: bool, *, append: bool) -> None:
        super().__init__(path, include_text)
        self._file = open(path, "ab" if append else "wb")  # noqa: SIM115 (closed in close())

    def _take_buffered(self) -> str:
        """The text buffered since the last flush, with the buffer cleared: cleared before
        it is written, so that a Ctrl-C between the two cannot write it twice."""
        raise NotImplementedError

    def flush(self) -> None:
        data = self._take_buffered()
        if data:
            # backslashreplace turns a stray lone surrogate into a valid JSON \u escape.
            self._file.write(data.encode("utf-8", "backslashreplace"))
        self._file.flush()
        os.fsync(self._file.fileno())
        self.pending = 0

    def close(self, *, complete: bool = True) -> None:
        self.flush()
        self._file.close()


class JsonlWriter(TextFileWriter):
    def __init__(self, path: Path, include_text: bool, *, append: bool) -> None:
        self._buffer: list[str] = []
        super().__init__(path, include_text, append=append)

    def write(self, record: dict[str, Any]) -> None:
        self._buffer.append(_dumps(record))
        self.pending += 1

    def _take_buffered(self) -> str:
        if not self._buffer:
            return ""
        data = "\n".join(self._buffer) + "\n"
        self._buffer.clear()
        return data


class CsvWriter(TextFileWriter):
    def __init__(self, path: Path, include_text: bool, *, append: bool) -> None:
        self.columns = flat_columns(include_text)
        self._buffer = io.StringIO()
        self._csv = csv.DictWriter(self._buffer, fieldnames=self.columns, lineterminator="\n")
        super().__init__(path, include_text, append=append)
        if not append:
            self._csv.writeheader()
            self.flush()

    def write(self, record: dict[str, Any]) -> None:
        self._csv.writerow(flatten(record, self.include_text))
        self.pending += 1

    def _take_buffered(self) -> str:
        data = self._buffer.getvalue()
        if data:
            self._buffer.seek(0)
            self._buffer.truncate()
        return data


def parquet_schema(include_text: bool) -> pa.Schema:
    return pa.schema(
        [
            pa.field(name, pa.float64() if name in FLOAT_COLUMNS else pa.string())
            for name in flat_columns(include_text)
        ]
    )


def parts_dir(path: Path) -> Path:
    return path.with_name(path.name + ".parts")


class ParquetWriter(Writer):
    def __init__(self, path: Path, include_text: bool, *, next_part: int = 0) -> None:
        super().__init__(path, include_text)
        self.schema = parquet_schema(include_text)
        self.parts = parts_dir(path)
        self.parts.mkdir(parents=True, exist_ok=True)
        self._rows: list[dict[str, Any]] = []
        self._next_part = next_part

    def write(self, record: dict[str, Any]) -> None:
        self._rows.append(flatten(record, self.include_text))
        self.pending += 1

    def flush(self) -> None:
        if not self._rows:
            return
        rows, self._rows = self._rows, []  # taken first, as in TextFileWriter.flush
        final = self.parts / f"part-{self._next_part:06d}.parquet"
        self._next_part += 1
        table = pa.Table.from_pylist(rows, schema=self.schema)
        tmp = final.with_name(final.name + ".tmp")
        with open(tmp, "wb") as f:
            pq.write_table(table, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
        _fsync_dir(self.parts)
        self.pending = 0

    @property
    def location(self) -> Path:
        return self.parts

    def close(self, *, complete: bool = True) -> None:
        self.flush()
        if complete:
            combine_parquet(self.path, self.schema)


def _part_files(parts: Path) -> list[Path]:
    return sorted(parts.glob("part-*.parquet")) if parts.is_dir() else []


def combine_parquet(path: Path, schema: pa.Schema) -> None:
    """Merge `path` (if any) and its parts into a new `path`, each id once, then drop the parts.

    The new file is written beside and renamed over the old one, so a kill at any point
    leaves either the old file and the parts, or the new file (and parts whose ids it
    already holds, which the next combine skips).
    """
    parts = parts_dir(path)
    sources = ([path] if path.exists() else []) + _part_files(parts)
    tmp = path.with_name(path.name + ".tmp")
    seen: set[str] = set()
    with pq.ParquetWriter(tmp, schema) as out:
        pending: list[pa.RecordBatch] = []
        rows = 0
        for source in sources:
            for batch in pq.ParquetFile(source).iter_batches(batch_size=PARQUET_ROW_GROUP):
                ids = batch.column("id").to_pylist()
                keep = [i not in seen for i in ids]
                seen.update(ids)
                if not all(keep):
                    batch = batch.filter(pa.array(keep))
                pending.append(batch.select(schema.names))
                rows += batch.num_rows
                if rows >= PARQUET_ROW_GROUP:
                    out.write_table(pa.Table.from_batches(pending, schema=schema))
                    pending, rows = [], 0
        if pending or not sources:
            out.write_table(pa.Table.from_batches(pending, schema=schema))
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    if parts.exists():
        shutil.rmtree(parts)


def open_writer(
    path: Path,
    *,
    resume: bool = False,
    overwrite: bool = False,
    include_text: bool = False,
    on_existing: OnExisting | None = None,
) -> Writer:
    """A writer for `path`; with `resume`, first hands each record already there to
    `on_existing` and repairs a partly written end.

    Without `resume` or `overwrite`, an existing output is an error: a long run is not
    thrown away by a repeated command.
    """
    fmt = output_format(path)
    exists = path.exists() or (fmt == "parquet" and parts_dir(path).exists())
    if exists and not resume and not overwrite:
        raise BatchError(
            f"{path} already exists; pass --resume to continue it or --overwrite to replace it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    callback = on_existing or (lambda record: None)
    if exists and overwrite and not resume:
        path.unlink(missing_ok=True)
        if fmt == "parquet" and parts_dir(path).exists():
            shutil.rmtree(parts_dir(path))
        exists = False
    if fmt == "jsonl":
        append = exists and _recover_jsonl(path, callback)
        return JsonlWriter(path, include_text, append=append)
    if fmt == "csv":
        append = exists and _recover_csv(path, flat_columns(include_text), callback)
        return CsvWriter(path, include_text, append=append)
    next_part = _recover_parquet(path, parquet_schema(include_text), callback) if exists else 0
    return ParquetWriter(path, include_text, next_part=next_part)


def _truncate(path: Path, good_end: int, size: int, first_bad_line: int) -> None:
    if good_end < size:
        log.warning(
            "dropping %d bytes from the end of %s (from line %d: written partly when the "
            "last run stopped); those records are scored again",
            size - good_end,
            path,
            first_bad_line,
        )
        with open(path, "r+b") as f:
            f.truncate(good_end)
            os.fsync(f.fileno())


def _recover_jsonl(path: Path, on_existing: OnExisting) -> bool:
    """Read the complete records of a JSONL output; drop a partial end. True: append."""
    good_end = 0
    line_no = 0
    with open(path, "rb") as f:
        for line_no, line in enumerate(f, start=1):  # noqa: B007 (used after the loop)
            if not line.endswith(b"\n"):
                break
            try:
                record = json.loads(line)
            except ValueError:
                break
            if not isinstance(record, dict) or "id" not in record:
                break
            on_existing(record)
            good_end += len(line)
        else:
            line_no += 1
        size = f.seek(0, os.SEEK_END)
    _truncate(path, good_end, size, line_no)
    return True


def _recover_csv(path: Path, columns: list[str], on_existing: OnExisting) -> bool:
    """Like `_recover_jsonl` for CSV, where a quoted field may span lines. False: the
    file had no complete header and is started again."""
    good_end = 0
    pending: list[bytes] = []
    quotes = 0
    header: list[str] | None = None
    line_no = first_line = 0
    with open(path, "rb") as f:
        for line_no, line in enumerate(f, start=1):
            pending.append(line)
            quotes += line.count(b'"')
            if quotes % 2 or not line.endswith(b"\n"):
                continue  # inside a quoted field, or the very end of a partial file
            chunk = b"".join(pending)
            try:
                rows = list(csv.reader(io.StringIO(chunk.decode("utf-8"), newline="")))
            except (UnicodeDecodeError, csv.Error):
                break
            if len(rows) != 1:
                break
            if header is None:
                header = rows[0]
                if header != columns:
                    raise BatchError(
                        f"{path} has the columns {', '.join(header)}, not those this run "
                        f"writes ({', '.join(columns)}); was it written with a different "
                        "--include-text?"
                    )
            elif len(rows[0]) == len(columns):
                on_existing(unflatten(dict(zip(columns, rows[0], strict=True))))
            else:
                break
            good_end += len(chunk)
            pending, quotes = [], 0
            first_line = line_no + 1
        size = f.seek(0, os.SEEK_END)
    if header is None:
        return False
    _truncate(path, good_end, size, first_line)
    return True


def _recover_parquet(path: Path, schema: pa.Schema, on_existing: OnExisting) -> int:
    """Read the ids of a Parquet output and its parts; drop unfinished parts. Returns the
    number the next part takes."""
    parts = parts_dir(path)
    for tmp in [*parts.glob("*.tmp"), path.with_name(path.name + ".tmp")]:
        tmp.unlink(missing_ok=True)
    wanted = ["id", "primary", "codes", "route", "confidence", "error"]
    next_part = 0
    for source in ([path] if path.exists() else []) + _part_files(parts):
        try:
            pf = pq.ParquetFile(source)
        except (pa.ArrowException, OSError):
            log.warning("dropping %s: it is not a complete Parquet file", source)
            source.unlink()
            continue
        if pf.schema_arrow.names != schema.names:
            raise BatchError(
                f"{source} has the columns {', '.join(pf.schema_arrow.names)}, not those this "
                f"run writes ({', '.join(schema.names)}); was it written with a different "
                "--include-text?"
            )
        for batch in pf.iter_batches(columns=wanted):
            for row in batch.to_pylist():
                row["codes"] = row["codes"].split() if row["codes"] else []
                on_existing(row)
        if source != path:
            next_part = max(next_part, int(source.stem.split("-")[1]) + 1)
    return next_part


def read_output(path: Path) -> Iterator[dict[str, Any]]:
    """Every record of an output written by a run, whatever its format.

    An unfinished Parquet output is read from its parts as well.
    """
    fmt = output_format(path)
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)
    elif fmt == "csv":
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                yield unflatten(row)
    else:
        parts = _part_files(parts_dir(path))
        sources = ([path] if path.exists() else []) + parts
        # After an interrupted combine, parts may repeat ids the file already holds.
        seen: set[str] | None = set() if parts else None
        for source in sources:
            for batch in pq.ParquetFile(source).iter_batches():
                for row in batch.to_pylist():
                    if seen is not None:
                        if row["id"] in seen:
                            continue
                        seen.add(row["id"])
                    yield unflatten(row)
