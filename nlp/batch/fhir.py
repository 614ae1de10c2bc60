"""FHIR R4 `DiagnosticReport` resources as report records.

Three shapes are read: one resource per `.json` file, a `Bundle` (its entries streamed
with ijson, so a bundle of any size is read in constant memory), and NDJSON (one
resource per line, as FHIR bulk export writes it). Resources of other types in a bundle
or an NDJSON file are skipped: bulk exports and searchsets mix in Patients and
Observations.

The text is the `presentedForm` attachments of the first text content type found
(text/plain first, then any other text/*; HTML loses its tags), base64-decoded with the
attachment's charset; without one, `conclusion`. The date of service is
`effectiveDateTime` or `effectivePeriod.start`; the id is `id` or the first
`identifier.value`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from nlp.batch.records import EncodingErrors, InputRecord, decode_bytes, normalize_dos


class _TextOnly(HTMLParser):
    """Collects the text of an HTML document; block elements become line breaks."""

    BLOCKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip()


def _content_type(attachment: dict[str, Any]) -> tuple[str, str]:
    """(media type, charset) of an attachment; charset defaults to UTF-8."""
    raw = str(attachment.get("contentType") or "")
    media, _, params = raw.partition(";")
    charset = "utf-8"
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media.strip().lower(), charset


def _report_text(
    resource: dict[str, Any], encoding_errors: EncodingErrors
) -> tuple[str | None, str | None, str | None]:
    """(text, error, note) of a DiagnosticReport, from presentedForm or conclusion."""
    forms = [
        a for a in resource.get("presentedForm") or [] if isinstance(a, dict) and a.get("data")
    ]
    typed = [(_content_type(a), a) for a in forms]
    text_types = [t for (t, _), _ in typed if t.startswith("text/")]
    chosen = "text/plain" if "text/plain" in text_types else (text_types[0] if text_types else "")
    if chosen:
        texts: list[str] = []
        notes: list[str] = []
        for (media, charset), attachment in typed:
            if media != chosen:
                continue
            try:
                data = base64.b64decode(str(attachment["data"]), validate=True)
            except (binascii.Error, ValueError):
                return None, "presentedForm data is not valid base64", None
            try:
                text, error, note = decode_bytes(data, charset, encoding_errors)
            except LookupError:
                return None, f"presentedForm has an unknown charset {charset!r}", None
            if text is None:
                return None, error, None
            texts.append(_html_text(text) if media == "text/html" else text)
            if note:
                notes.append(note)
        return "\n\n".join(texts), None, "; ".join(notes) or None
    conclusion = resource.get("conclusion")
    if isinstance(conclusion, str) and conclusion.strip():
        return conclusion, None, "no text presentedForm: scored the conclusion"
    return None, "the DiagnosticReport has no text presentedForm and no conclusion", None


def resource_record(
    resource: object, where: str, fallback_id: str, encoding_errors: EncodingErrors
) -> InputRecord | None:
    """The record of one resource; None for resources that are not DiagnosticReports."""
    if not isinstance(resource, dict):
        return InputRecord(fallback_id, None, None, where, error="the entry is not a JSON object")
    if resource.get("resourceType") != "DiagnosticReport":
        return None
    identifiers = [i for i in resource.get("identifier") or [] if isinstance(i, dict)]
    record_id = str(
        resource.get("id") or next((i["value"] for i in identifiers if i.get("value")), "")
    )
    if not record_id:
        return InputRecord(
            fallback_id,
            None,
            None,
            where,
            error="the DiagnosticReport has no id and no identifier value",
        )
    text, error, note = _report_text(resource, encoding_errors)
    if text is None:
        return InputRecord(record_id, None, None, where, error=error)
    period = resource.get("effectivePeriod")
    raw_date = resource.get("effectiveDateTime") or (
        period.get("start") if isinstance(period, dict) else None
    )
    dos, dos_note = normalize_dos(raw_date)
    notes = tuple(n for n in (note, dos_note) if n)
    return InputRecord(record_id, text, dos, where, notes=notes)


def top_level_type(stream: BinaryIO) -> str | None:
    """The top-level `resourceType` of a JSON document, read without loading it."""
    try:
        for prefix, event, value in ijson.parse(stream):
            if prefix == "resourceType" and event == "string":
                return str(value)
            if prefix == "" and event == "end_map":
                return None
    except ijson.JSONError:
        return None
    return None


def read_fhir_json(
    stream: BinaryIO, path: Path, *, encoding_errors: EncodingErrors = "strict"
) -> Iterator[InputRecord]:
    """Records of a `.json` file holding one DiagnosticReport or a Bundle of them."""
    kind = top_level_type(stream)
    stream.seek(0)
    where = str(path)
    if kind == "Bundle":
        n = 0
        try:
            for n, entry in enumerate(ijson.items(stream, "entry.item", use_float=True), 1):
                resource = entry.get("resource") if isinstance(entry, dict) else entry
                rec = resource_record(
                    resource, f"{path} entry {n}", f"{path}#entry{n}", encoding_errors
                )
                if rec is not None:
                    yield rec
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            yield InputRecord(
                f"{path}#entry{n + 1}",
                None,
                None,
                f"{path} entry {n + 1}",
                error=f"{path.name} is not valid JSON after entry {n} ({_short(exc)}); "
                "the entries before it were read",
            )
        return
    if kind == "DiagnosticReport":
        try:
            resource = json.loads(stream.read())
        except (ValueError, UnicodeDecodeError) as exc:
            yield InputRecord(
                where, None, None, where, error=f"{path.name} is not valid JSON ({_short(exc)})"
            )
            return
        rec = resource_record(resource, where, where, encoding_errors)
        if rec is not None:
            yield rec
        return
    what = (
        f"a {kind} resource" if kind else "not a FHIR resource (no resourceType) or not valid JSON"
    )
    yield InputRecord(
        where,
        None,
        None,
        where,
        error=f"{path.name} is {what}; a .json input must be a DiagnosticReport or a Bundle "
        "(use .jsonl for one record per line)",
    )


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
