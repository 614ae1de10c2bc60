"""The records a batch run reads and writes, and the checks every input passes before scoring.

An `InputRecord` is one report as a reader found it. A reader never raises for a bad
record: it yields an `InputRecord` with `error` set, and the runner writes that as an
output record with `"route": "error"`. Output records share one shape whatever the
scorer returns (`normalize`), so the writers can rely on their keys.

Nothing here puts report text into a message: errors and notes name the problem, the
size, the byte offset or the field, never the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Final, Literal

EncodingErrors = Literal["strict", "replace"]
ROUTES: Final = ("auto", "review", "out_of_scope", "error")
DEFAULT_MAX_CHARS: Final = 200_000

# Keys every output record has, in the order the flat writers lay them out.
RECORD_KEYS: Final = (
    "id",
    "primary",
    "codes",
    "confidence",
    "route",
    "model_version",
    "error",
    "dos",
    "source",
    "notes",
    "candidates",
    "facts",
    "evidence",
    "edits",
    "text_sha256",
)


class BatchError(Exception):
    """A run cannot start or go on (an output in the way, an unknown format): a usage error."""


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One report as read from an input, before scoring.

    `source` says where it came from (`reports.jsonl line 17`, `feed.hl7 message 3`);
    `error`, when set, is why it cannot be scored; `notes` are things the reader had to
    work around (an invalid date, replaced bytes) that the output record should carry.
    """

    id: str
    text: str | None
    dos: str | None
    source: str
    error: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Columns:
    """Which fields of a JSONL, CSV or Parquet input hold the id, the text and the date."""

    id: str = "id"
    text: str = "text"
    dos: str = "dos"


def text_sha256(text: str | None) -> str | None:
    """Hex SHA-256 of the text's UTF-8 bytes: how logs and outputs refer to a report."""
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\d{2,6}(?:\.\d+)?)?(?:[+-]\d{4})?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: [0-9:]+(?: ?[AaPp][Mm])?)?")


def normalize_dos(value: object) -> tuple[str | None, str | None]:
    """An input's date of service as ISO `YYYY-MM-DD`, or None and a note saying why.

    Accepts ISO dates and datetimes, HL7 `YYYYMMDD[HHMM[SS]]`, US `MM/DD/YYYY` and date
    objects. A missing or unreadable date is never an error: the report is scored with
    the date unknown, and the note goes into the output record.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "no date of service was given; scored with the date unknown"
    s = str(value).strip()
    parts: tuple[str, str, str] | None = None
    if (m := _ISO_DATE.fullmatch(s)) or (m := _COMPACT_DATE.fullmatch(s)):
        parts = (m[1], m[2], m[3])
    elif m := _US_DATE.fullmatch(s):
        parts = (m[3], m[1], m[2])
    shown = s if len(s) <= 40 else s[:40] + "..."
    if parts is not None:
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat(), None
        except ValueError:
            pass
    return None, f"date of service {shown!r} is not a valid date; scored with the date unknown"


def check_text(
    text: str | None, *, max_chars: int, encoding_errors: EncodingErrors
) -> tuple[str | None, str | None, str | None]:
    """Check a report's text before scoring: (text to score, error, note).

    Empty text and text over `max_chars` are errors. Lone surrogates (from `\\udcxx`
    escapes in JSON) cannot be written as UTF-8: an error, or replaced with U+FFFD and
    noted under `--encoding-errors replace`.
    """
    if text is None or not text.strip():
        return None, "the report text is empty", None
    if len(text) > max_chars:
        return (
            None,
            f"the report is {len(text):,} characters long, over the limit of {max_chars:,}; "
            "raise --max-chars to score it",
            None,
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        n = sum(1 for c in text if 0xD800 <= ord(c) <= 0xDFFF)
        if encoding_errors == "strict":
            return (
                None,
                f"the report text has {n} invalid Unicode escape(s) (lone surrogates); "
                "rerun with --encoding-errors replace to score it with them replaced",
                None,
            )
        fixed = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
        return fixed, None, f"{n} invalid Unicode escape(s) were replaced with U+FFFD"
    return text, None, None


def decode_bytes(
    data: bytes, encoding: str, encoding_errors: EncodingErrors, what: str = "the report"
) -> tuple[str | None, str | None, str | None]:
    """Decode a report's bytes: (text, error, note).

    Under "strict" undecodable bytes make the record an error naming the first bad byte;
    under "replace" they become U+FFFD and the output record notes how many.
    """
    try:
        return data.decode(encoding), None, None
    except UnicodeDecodeError as exc:
        name = _encoding_label(encoding)
        if encoding_errors == "strict":
            bad = data[exc.start : exc.start + 1].hex()
            return (
                None,
                f"{what} is not valid {name} (byte 0x{bad} at offset {exc.start}); "
                "rerun with --encoding-errors replace to score it with the bad bytes replaced",
                None,
            )
        text = data.decode(encoding, "replace")
        n = text.count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")
        return text, None, f"{n} invalid {name} byte sequence(s) were replaced with U+FFFD"


def _encoding_label(encoding: str) -> str:
    key = encoding.lower().replace("-", "").replace("_", "")
    return "UTF-8" if key in ("utf8", "utf8sig") else encoding


def error_record(
    id: str, message: str, *, source: str = "", dos: str | None = None, notes: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The output record of a report that could not be scored."""
    return {
        "id": id,
        "primary": None,
        "codes": [],
        "confidence": None,
        "route": "error",
        "model_version": None,
        "error": message,
        "dos": dos,
        "source": source,
        "notes": list(notes),
        "candidates": [],
        "facts": {},
        "evidence": [],
        "edits": [],
        "text_sha256": None,
    }


def normalize(
    scored: object,
    record: InputRecord,
    *,
    include_text: bool = False,
) -> dict[str, Any]:
    """The scorer's record in the batch output shape: every key of `RECORD_KEYS` present.

    The id is the input's (a scorer cannot rename a report); keys the scorer adds beyond
    `RECORD_KEYS` are kept. `text` is added only when asked for (`--include-text`).
    """
    if not isinstance(scored, dict):
        out = error_record(
            record.id,
            f"the scorer returned {type(scored).__name__}, not a record (dict)",
            source=record.source,
            dos=record.dos,
            notes=record.notes,
        )
    else:
        out = {
            "id": record.id,
            "primary": scored.get("primary"),
            "codes": list(scored.get("codes") or []),
            "confidence": scored.get("confidence"),
            "route": scored.get("route") or "review",
            "model_version": scored.get("model_version"),
            "error": scored.get("error"),
            "dos": record.dos,
            "source": record.source,
            "notes": [*record.notes, *(scored.get("notes") or [])],
            "candidates": list(scored.get("candidates") or []),
            "facts": scored.get("facts") or {},
            "evidence": list(scored.get("evidence") or []),
            "edits": list(scored.get("edits") or []),
        }
        for key, value in scored.items():
            if key not in out and key != "text":
                out[key] = value
    out["text_sha256"] = text_sha256(record.text)
    if include_text:
        out["text"] = record.text
    return out
