"""Streaming readers: every input format as one iterator of `InputRecord`.

Readers are generators that hold one record (a line, a CSV row, a Parquet batch, an HL7
message, a FHIR entry) at a time, so an archive of any size is read in constant memory.
The format comes from the extension (a trailing `.gz` is read through gzip) or from
`format=`:

    directory      its .txt files, recursively, in sorted order; id = relative path
    .jsonl         one JSON object per line (`.ndjson` too); FHIR resources detected
    .csv           a header row, then one report per row (quoted multi-line text is fine)
    .parquet       read one row batch at a time
    .hl7           HL7 v2 ORU^R01 messages (nlp.batch.hl7)
    .json          a FHIR DiagnosticReport or Bundle (nlp.batch.fhir)

A reader never raises for bad content: a record it cannot read becomes an `InputRecord`
with `error` set and the file goes on. A problem with a whole file (a CSV without the
text column, an unreadable file) becomes one error record named after the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, Literal, cast

import pyarrow as pa
import pyarrow.parquet as pq

from nlp.batch import fhir, hl7
from nlp.batch.records import (
    DEFAULT_MAX_CHARS,
    Columns,
    EncodingErrors,
    InputRecord,
    decode_bytes,
    normalize_dos,
)

Format = Literal["txt", "jsonl", "csv", "parquet", "hl7", "fhir"]
FORMATS: Final[tuple[str, ...]] = ("txt", "jsonl", "csv", "parquet", "hl7", "fhir")
EXTENSIONS: Final[dict[str, Format]] = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".hl7": "hl7",
    ".json": "fhir",
}
# Extensions a directory walk picks up for each format.
_WALK_SUFFIXES: Final[dict[str, tuple[str, ...]]] = {
    "txt": (".txt",),
    "jsonl": (".jsonl", ".ndjson"),
    "csv": (".csv",),
    "parquet": (".parquet",),
    "hl7": (".hl7",),
    "fhir": (".json", ".ndjson"),
}
PARQUET_BATCH_ROWS: Final = 1024


class UnknownFormatError(ValueError):
    """An input whose format cannot be told from its name; `--format` says it."""


def format_of(path: Path, format: str | None = None) -> Format:
    """The reader for a path: `format` if given, else by extension (a directory is txt)."""
    if format:
        if format not in FORMATS:
            raise UnknownFormatError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        return cast(Format, format)
    if path.is_dir():
        return "txt"
    suffix = _suffix(path)
    if suffix not in EXTENSIONS:
        raise UnknownFormatError(
            f"cannot tell the format of {path} from its extension; "
            f"name it with --format ({', '.join(FORMATS)})"
        )
    return EXTENSIONS[suffix]


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


@contextmanager
def _open_binary(path: Path) -> Iterator[BinaryIO]:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as gz:
            yield cast(BinaryIO, gz)
    else:
        with open(path, "rb") as f:
            yield f


def read_inputs(
    paths: Iterable[Path],
    *,
    format: str | None = None,
    columns: Columns = Columns(),
    encoding_errors: EncodingErrors = "strict",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[InputRecord]:
    """Every record of every input, in order; see the module docstring for the formats."""
    for path in paths:
        fmt = format_of(path, format)
        if path.is_dir():
            yield from _walk(path, fmt, columns, encoding_errors, max_chars)
        else:
            yield from read_file(
                path,
                fmt,
                columns=columns,
                encoding_errors=encoding_errors,
                max_chars=max_chars,
            )


def _walk(
    root: Path, fmt: Format, columns: Columns, encoding_errors: EncodingErrors, max_chars: int
) -> Iterator[InputRecord]:
    for path in _walk_files(root, fmt):
        if fmt == "txt":
            try:
                yield read_txt(path, root, encoding_errors=encoding_errors, max_chars=max_chars)
            except OSError as exc:  # removed or unreadable since the walk listed it
                rid = path.relative_to(root).as_posix()
                reason = exc.strerror or str(exc)
                yield InputRecord(rid, None, None, str(path), error=f"cannot read {path}: {reason}")
        else:
            yield from read_file(
                path, fmt, columns=columns, encoding_errors=encoding_errors, max_chars=max_chars
            )


def _walk_files(root: Path, fmt: Format) -> Iterator[Path]:
    suffixes = _WALK_SUFFIXES[fmt]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()  # os.walk descends in this order: sorted means reproducible runs
        for name in sorted(filenames):
            if _suffix(Path(name)) in suffixes and not name.startswith("."):
                yield Path(dirpath) / name


def read_file(
    path: Path,
    fmt: Format,
    *,
    columns: Columns = Columns(),
    encoding_errors: EncodingErrors = "strict",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[InputRecord]:
    """The records of one file; an unreadable file is one error record named after it."""
    try:
        if fmt == "txt":
            yield read_txt(path, path.parent, encoding_errors=encoding_errors, max_chars=max_chars)
        elif fmt == "parquet":
            yield from read_parquet(path, columns=columns, encoding_errors=encoding_errors)
        else:
            with _open_binary(path) as stream:
                if fmt == "jsonl":
                    yield from read_jsonl(
                        stream,
                        path,
                        columns=columns,
                        encoding_errors=encoding_errors,
                        max_chars=max_chars,
                    )
                elif fmt == "csv":
                    yield from read_csv(
                        stream, path, columns=columns, encoding_errors=encoding_errors
                    )
                elif fmt == "hl7":
                    yield from hl7.read_hl7(stream, path, encoding_errors=encoding_errors)
                elif _suffix(path) in (".jsonl", ".ndjson"):
                    yield from read_jsonl(
                        stream,
                        path,
                        columns=columns,
                        encoding_errors=encoding_errors,
                        max_chars=max_chars,
                    )
                else:
                    yield from fhir.read_fhir_json(stream, path, encoding_errors=encoding_errors)
    except (OSError, EOFError, pa.ArrowException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield InputRecord(str(path), None, None, str(path), error=f"cannot read {path}: {reason}")


def read_txt(
    path: Path,
    root: Path,
    *,
    encoding_errors: EncodingErrors = "strict",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> InputRecord:
    """One report per text file; the id is its path relative to the directory given."""
    record_id = path.relative_to(root).as_posix()
    where = str(path)
    note = "no date of service was given; scored with the date unknown"
    size = path.stat().st_size
    # UTF-8 takes at most 4 bytes a character: a larger file is surely over the limit,
    # and is not read at all.
    if size > 4 * max_chars:
        return InputRecord(
            record_id,
            None,
            None,
            where,
            error=f"the report file is {size:,} bytes, over the limit of {max_chars:,} "
            "characters; raise --max-chars to score it",
        )
    text, error, enc_note = decode_bytes(path.read_bytes(), "utf-8-sig", encoding_errors)
    notes = tuple(n for n in (enc_note, note) if n)
    return InputRecord(record_id, text, None, where, error=error, notes=notes if text else ())


def _line_limit(max_chars: int) -> int:
    # JSON may spell each character as a 12-byte surrogate pair escape; anything longer
    # than that (plus room for the other fields) cannot hold a report within the limit.
    return 12 * max_chars + (1 << 20)


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of a stream; None for a line over `limit`, which is skipped."""
    line_no = 0
    while True:
        line = stream.readline(limit)
        if not line:
            return
        line_no += 1
        if len(line) >= limit and not line.endswith(b"\n"):
            while (more := stream.readline(limit)) and not more.endswith(b"\n"):
                pass
            yield line_no, None
            continue
        yield line_no, line


def read_jsonl(
    stream: BinaryIO,
    path: Path,
    *,
    columns: Columns = Columns(),
    encoding_errors: EncodingErrors = "strict",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[InputRecord]:
    """One record per JSON line; FHIR NDJSON (lines with a resourceType) is detected.

    A line that is not valid JSON (a truncated last line, say) becomes an error record
    whose id is `<file>:<line>`; the lines after it are read as usual.
    """
    limit = _line_limit(max_chars)
    is_fhir: bool | None = None
    for line_no, raw in _lines(stream, limit):
        where = f"{path} line {line_no}"
        fallback = f"{path}:{line_no}"
        if raw is None:
            yield InputRecord(
                fallback,
                None,
                None,
                where,
                error=f"line {line_no} is over {limit:,} bytes, too long for a report of at "
                "most --max-chars characters",
            )
            continue
        if not raw.strip():
            continue
        text, error, note = decode_bytes(
            raw, "utf-8-sig" if line_no == 1 else "utf-8", encoding_errors, f"line {line_no}"
        )
        if text is None:
            yield InputRecord(fallback, None, None, where, error=error)
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            ending = (
                "" if raw.endswith(b"\n") else "; the file ends inside this line: was it truncated?"
            )
            yield InputRecord(
                fallback,
                None,
                None,
                where,
                error=f"line {line_no} is not valid JSON ({exc.msg}: column {exc.colno}){ending}",
            )
            continue
        if is_fhir is None:
            is_fhir = isinstance(obj, dict) and "resourceType" in obj
        if is_fhir:
            rec = fhir.resource_record(obj, where, fallback, encoding_errors)
            if rec is not None:
                yield _with_note(rec, note)
            continue
        if not isinstance(obj, dict):
            yield InputRecord(
                fallback, None, None, where, error=f"line {line_no} is not a JSON object"
            )
            continue
        yield _with_note(_from_mapping(obj, columns, where, fallback, f"line {line_no}"), note)


def _with_note(rec: InputRecord, note: str | None) -> InputRecord:
    if not note or rec.error:
        return rec
    return InputRecord(rec.id, rec.text, rec.dos, rec.source, rec.error, (note, *rec.notes))


def _from_mapping(
    obj: dict[str, Any], columns: Columns, where: str, fallback: str, what: str
) -> InputRecord:
    """A record from a JSON object or a CSV row keyed by column name."""
    raw_id = obj.get(columns.id)
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        return InputRecord(fallback, None, None, where, error=f"{what} has no {columns.id!r} value")
    record_id = str(raw_id).strip()
    text = obj.get(columns.text)
    if text is not None and not isinstance(text, str):
        return InputRecord(
            record_id,
            None,
            None,
            where,
            error=f"{what}: {columns.text!r} is a {type(text).__name__}, not a string",
        )
    dos, note = normalize_dos(obj.get(columns.dos))
    return InputRecord(record_id, text, dos, where, notes=(note,) if note else ())


def _decoded_lines(
    stream: BinaryIO, bad_lines: list[int], encoding_errors: EncodingErrors
) -> Iterator[str]:
    """The lines of a CSV file as text, noting (not raising for) undecodable ones."""
    for line_no, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
        except UnicodeDecodeError:
            bad_lines.append(line_no)
            yield raw.decode("utf-8", "replace")


def missing_column_error(
    columns: Columns,
    present: Sequence[str],
    source: str,
    *,
    plural: bool = False,
    shown: Sequence[str] | None = None,
) -> str | None:
    """The message for inputs that lack the id or text column, or None when both are there.

    `source` names the inputs ("bad.csv", or "the inputs" with `plural`); `present` are
    their columns, listed in the message unless `shown` lists others.
    """
    missing = [c for c in (columns.id, columns.text) if c not in present]
    if not missing:
        return None
    option = "--text-column" if columns.text in missing else "--id-column"
    has, its = ("have", "their") if plural else ("has", "its")
    return (
        f"{source} {has} no {' or '.join(repr(m) for m in missing)} column "
        f"({its} columns: {', '.join(present if shown is None else shown)}); "
        f"name it with {option}"
    )


def read_csv(
    stream: BinaryIO,
    path: Path,
    *,
    columns: Columns = Columns(),
    encoding_errors: EncodingErrors = "strict",
) -> Iterator[InputRecord]:
    """One record per CSV row after the header; reports may span lines inside quotes.

    A file without the id or text column is one error record named after the file.
    Each physical line is decoded on its own, so bad bytes spoil only their own row.
    """
    _raise_field_limit()
    bad_lines: list[int] = []
    lines = _decoded_lines(stream, bad_lines, encoding_errors)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        yield InputRecord(str(path), None, None, str(path), error=f"{path.name} is empty")
        return
    except csv.Error as exc:
        yield InputRecord(str(path), None, None, str(path), error=f"{path.name}: {exc}")
        return
    header = [h.strip() for h in header]
    missing = missing_column_error(columns, header, path.name)
    if missing:
        yield InputRecord(str(path), None, None, str(path), error=missing)
        return
    first_line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputRecord(
                f"{path}:{first_line}",
                None,
                None,
                f"{path} line {first_line}",
                error=f"the CSV row at line {first_line} cannot be read: {exc}",
            )
            first_line = reader.line_num + 1
            continue
        start, end = first_line, reader.line_num
        first_line = end + 1
        if not row or row == [""]:
            bad_lines.clear()
            continue
        where = f"{path} line {start}"
        fallback = f"{path}:{start}"
        if len(row) != len(header):
            yield InputRecord(
                fallback,
                None,
                None,
                where,
                error=f"the CSV row at line {start} has {len(row)} fields, the header "
                f"{len(header)}",
            )
            continue
        spoiled = [n for n in bad_lines if start <= n <= end]
        bad_lines.clear()  # csv reads no further than the row's last line
        rec = _from_mapping(
            dict(zip(header, row, strict=True)),
            columns,
            where,
            fallback,
            f"the row at line {start}",
        )
        if spoiled and not rec.error:
            if encoding_errors == "strict":
                rec = InputRecord(
                    rec.id,
                    None,
                    None,
                    where,
                    error=f"the row at line {start} is not valid UTF-8; rerun with "
                    "--encoding-errors replace to score it with the bad bytes replaced",
                )
            else:
                bad = ", ".join(map(str, spoiled))
                note = f"invalid UTF-8 bytes on line(s) {bad} were replaced with U+FFFD"
                rec = _with_note(rec, note)
        yield rec


def _raise_field_limit() -> None:
    # The csv module refuses fields over 128 KiB by default; the report length is checked
    # against --max-chars after reading, with a clear message, so lift the csv limit.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def read_parquet(
    path: Path,
    *,
    columns: Columns = Columns(),
    encoding_errors: EncodingErrors = "strict",
) -> Iterator[InputRecord]:
    """One record per row, read `PARQUET_BATCH_ROWS` rows at a time."""
    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    missing = missing_column_error(columns, names, path.name)
    if missing:
        yield InputRecord(str(path), None, None, str(path), error=missing)
        return
    wanted = [columns.id, columns.text] + ([columns.dos] if columns.dos in names else [])
    row = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
        ids = batch.column(columns.id).to_pylist()
        texts = batch.column(columns.text).to_pylist()
        dates = batch.column(columns.dos).to_pylist() if columns.dos in names else [None] * len(ids)
        for raw_id, raw_text, raw_dos in zip(ids, texts, dates, strict=True):
            row += 1
            where = f"{path} row {row}"
            fallback = f"{path}#row{row}"
            note: str | None = None
            text = raw_text
            if isinstance(raw_text, bytes):
                text, error, note = decode_bytes(raw_text, "utf-8", encoding_errors)
                if text is None:
                    yield InputRecord(
                        str(raw_id) if raw_id is not None else fallback,
                        None,
                        None,
                        where,
                        error=error,
                    )
                    continue
            obj = {columns.id: raw_id, columns.text: text, columns.dos: _date_value(raw_dos)}
            yield _with_note(_from_mapping(obj, columns, where, fallback, f"row {row}"), note)


def _date_value(value: object) -> object:
    return value.date() if isinstance(value, dt.datetime) else value


def count_records(paths: Iterable[Path], *, format: str | None = None) -> int:
    """About how many records the inputs hold, cheaply, for a progress bar's total.

    Lines for JSONL, MSH segments for HL7, Parquet row counts from the footer, files for a
    directory; CSV rows are counted with quotes balanced so multi-line reports count once.
    A FHIR .json file counts as one (a bundle's entries are not counted ahead).
    """
    total = 0
    for path in paths:
        fmt = format_of(path, format)
        files = _walk_files(path, fmt) if path.is_dir() else iter([path])
        for file in files:
            try:
                total += _count_file(file, fmt)
            except (OSError, EOFError, ValueError, pa.ArrowException):
                total += 1
    return total


def _count_file(path: Path, fmt: Format) -> int:
    if fmt == "txt":
        return 1
    if fmt == "parquet":
        return int(pq.ParquetFile(path).metadata.num_rows)
    with _open_binary(path) as stream:
        if fmt == "hl7":
            return hl7.count_hl7(stream)
        if fmt == "csv":
            return max(_count_csv_rows(stream) - 1, 0)
        if fmt == "fhir" and _suffix(path) == ".json":
            return 1
        return sum(1 for line in stream if line.strip())


def _count_csv_rows(stream: IO[bytes]) -> int:
    rows = 0
    quotes = 0
    for line in stream:
        quotes += line.count(b'"')
        if quotes % 2 == 0 and line.strip():
            rows += 1
            quotes = 0
    return rows
