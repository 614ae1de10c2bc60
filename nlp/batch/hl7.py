"""HL7 v2 result messages (ORU^R01, also MDM document messages) as report records.

A file holds one or many messages; segments end with \\r, \\n or \\r\\n; batch and file
headers (FHS/BHS/BTS/FTS) and MLLP framing bytes are tolerated. One message makes one
record: its report text is the text OBX segments (value types TX, FT, ST, CE/CWE) in
order, one line per OBX-5 repetition; the date of service is OBR-7; the id is OBR-3
(filler order number, usually the accession) or else MSH-10 (message control id).

The file is read in blocks and one message is held at a time, so memory stays flat
however many messages a file has. A message with an invalid segment or no text OBX
becomes an error record; the messages after it are read as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from nlp.batch.records import EncodingErrors, InputRecord, decode_bytes, normalize_dos

TEXT_VALUE_TYPES = frozenset({"TX", "FT", "ST", "CE", "CWE"})
BATCH_SEGMENTS = frozenset({b"FHS", b"BHS", b"BTS", b"FTS"})
REPORT_MESSAGE_TYPES = frozenset({"ORU", "MDM"})
_SEGMENT_NAME = re.compile(rb"[A-Z][A-Z0-9]{2}")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# MLLP frames messages with 0x0b ... 0x1c 0x0d; the frame bytes carry no content.
_MLLP_BYTES = b"\x0b\x1c"
# MSH-18 character sets we can decode (anything unlisted is read as UTF-8).
_CHARSETS = {
    "UNICODE UTF-8": "utf-8",
    "ISO IR192": "utf-8",
    "UTF-8": "utf-8",
    "ISO IR100": "latin-1",
    "ASCII": "ascii",
    "8859/1": "latin-1",
    "8859/15": "iso-8859-15",
    "CP1252": "cp1252",
    "WINDOWS-1252": "cp1252",
}


@dataclass
class _Message:
    number: int
    line: int
    segments: list[bytes] = field(default_factory=list)
    bad_line: int | None = None


def _lines(stream: BinaryIO, block_size: int = 1 << 16) -> Iterator[bytes]:
    """Segments of a byte stream, split on any of \\r, \\n, \\r\\n, read block by block."""
    rest = b""
    while block := stream.read(block_size):
        data = rest + block
        # A block ending in \r may be the first half of \r\n: hold it for the next block.
        held = b"\r" if data.endswith(b"\r") else b""
        pieces = _LINE_BREAK.split(data[: len(data) - len(held)])
        rest = pieces.pop() + held
        yield from pieces
    if rest:
        yield rest.removesuffix(b"\r")


def _messages(stream: BinaryIO) -> Iterator[_Message]:
    """Group segments into messages; anything outside a message is its own bad message."""
    current: _Message | None = None
    number = 0
    stray: _Message | None = None
    for line_no, raw in enumerate(_lines(stream), start=1):
        seg = raw.translate(None, _MLLP_BYTES).strip(b" \t")
        if not seg:
            continue
        name = seg[:3]
        if name in BATCH_SEGMENTS:
            continue
        if name == b"MSH":
            if stray is not None:
                yield stray
                stray = None
            if current is not None:
                yield current
            number += 1
            current = _Message(number, line_no, [seg])
            continue
        valid = _SEGMENT_NAME.fullmatch(name) is not None and (len(seg) == 3 or seg[3:4] == b"|")
        if current is None:
            # Lines before the first MSH (or after a bad header) cannot belong to a message.
            if stray is None:
                number += 1
                stray = _Message(number, line_no, [], bad_line=line_no)
            continue
        if not valid and current.bad_line is None:
            current.bad_line = line_no
        current.segments.append(seg)
    if stray is not None:
        yield stray
    if current is not None:
        yield current


def _field_sep(msh: bytes) -> tuple[bytes, bytes]:
    """The field separator and encoding characters a message declares in MSH-1/MSH-2."""
    sep = msh[3:4] or b"|"
    enc = msh[4:].split(sep, 1)[0] or b"^~\\&"
    return sep, enc.ljust(4, b"\x00")


def _unescape(value: str, enc: str, sep: str) -> str:
    """Undo HL7 escapes (\\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\.br\\ \\Xhh\\ ...) in a text value."""
    esc = enc[2]
    if esc not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        end = value.find(esc, i + 1) if c == esc else -1
        if end == -1:
            out.append(c)
            i += 1
            continue
        code = value[i + 1 : end]
        i = end + 1
        if code == "F":
            out.append(sep)
        elif code == "S":
            out.append(enc[0])
        elif code == "R":
            out.append(enc[1])
        elif code == "E":
            out.append(esc)
        elif code == "T":
            out.append(enc[3])
        elif code == ".br":
            out.append("\n")
        elif code.startswith(".sp"):
            n = code[3:].strip().lstrip("+")
            out.append("\n" * (int(n) if n.isdigit() else 1))
        elif code.startswith("X") and re.fullmatch(r"(?:[0-9A-Fa-f]{2})+", code[1:]):
            out.append(bytes.fromhex(code[1:]).decode("latin-1"))
        # \H\ \N\ (highlighting), \.in\ \.ti\ \.ce\ \.fi\ \.nf\ \.sk\ (formatting), \Zxx\,
        # \Cxxyy\ and \Mxxyyzz\ (character sets) carry no words: dropped.
    return "".join(out)


def _obx_text(fields: list[str], enc: str, sep: str) -> list[str] | None:
    """The text lines of one OBX segment, or None when its value type is not text."""
    value_type = fields[2].split(enc[0], 1)[0].strip().upper() if len(fields) > 2 else ""
    if value_type not in TEXT_VALUE_TYPES:
        return None
    value = fields[5] if len(fields) > 5 else ""
    lines: list[str] = []
    for rep in value.split(enc[1]):
        if value_type in ("CE", "CWE"):
            comps = rep.split(enc[0])
            # The text (component 2) reads better than the code; fall back to the code.
            rep = comps[1] if len(comps) > 1 and comps[1] else comps[0]
        # TX/FT/ST carry no components: an unescaped ^ is part of the words, so the field is
        # kept whole rather than split.
        lines.append(_unescape(rep, enc, sep))
    return lines


def _component(value: str, enc: str) -> str:
    return value.split(enc[0], 1)[0].strip()


def _message_record(msg: _Message, path: Path, encoding_errors: EncodingErrors) -> InputRecord:
    where = f"{path} message {msg.number} (line {msg.line})"
    fallback_id = f"{path}:{msg.line}"
    if not msg.segments:
        return InputRecord(
            fallback_id,
            None,
            None,
            where,
            error=f"line {msg.line} is not part of an HL7 message (no MSH segment before it)",
        )
    sep_b, enc_b = _field_sep(msg.segments[0])
    msh_fields_raw = msg.segments[0].split(sep_b)
    charset_raw = msh_fields_raw[17] if len(msh_fields_raw) > 17 else b""
    charset = charset_raw.split(enc_b[1:2])[0].decode("ascii", "replace").strip().upper()
    encoding = _CHARSETS.get(charset, "utf-8")
    raw = b"\n".join(msg.segments)
    text, decode_error, note = decode_bytes(raw, encoding, encoding_errors, f"message {msg.number}")
    if text is None:
        # Still name the record by its accession: the ids are ASCII even when the text is not.
        text = raw.decode(encoding, "replace")
    sep = sep_b.decode("latin-1")
    enc = enc_b.decode("latin-1")
    segments = [s.split(sep) for s in text.split("\n")]
    # MSH-1 is the separator itself, so MSH field n sits at index n - 1.
    msh = ["MSH", sep, *segments[0][1:]]
    control_id = _component(msh[10], enc) if len(msh) > 10 else ""
    message_type = msh[9].split(enc[0]) if len(msh) > 9 else []
    obr = next((s for s in segments if s[0] == "OBR"), None)
    accession = _component(obr[3], enc) if obr is not None and len(obr) > 3 else ""
    record_id = accession or control_id or fallback_id
    if decode_error is not None:
        return InputRecord(record_id, None, None, where, error=decode_error)
    if msg.bad_line is not None:
        return InputRecord(
            record_id,
            None,
            None,
            where,
            error=f"message {msg.number} has an invalid segment at line {msg.bad_line} "
            "(it does not start with a 3-character segment name and a field separator)",
        )
    kind = "^".join(message_type[:2]) or "(no MSH-9)"
    if not message_type or message_type[0] not in REPORT_MESSAGE_TYPES:
        return InputRecord(
            record_id,
            None,
            None,
            where,
            error=f"message {msg.number} is {kind}, not a report message (ORU^R01)",
        )
    lines: list[str] = []
    for seg in segments:
        if seg[0] == "OBX" and (obx := _obx_text(seg, enc, sep)) is not None:
            lines.extend(obx)
    if not lines:
        return InputRecord(
            record_id,
            None,
            None,
            where,
            error=f"message {msg.number} ({kind}) has no OBX text segment "
            "(value type TX, FT, ST or CE)",
        )
    raw_date = obr[7].split(enc[0])[0].strip() if obr is not None and len(obr) > 7 else ""
    dos, dos_note = normalize_dos(raw_date)
    if dos_note and not raw_date:
        dos_note = "OBR-7 (observation date) is empty; scored with the date unknown"
    notes = tuple(n for n in (note, dos_note) if n)
    return InputRecord(record_id, "\n".join(lines), dos, where, notes=notes)


def read_hl7(
    stream: BinaryIO, path: Path, *, encoding_errors: EncodingErrors = "strict"
) -> Iterator[InputRecord]:
    """One `InputRecord` per message in an HL7 v2 file (see the module docstring)."""
    for msg in _messages(stream):
        yield _message_record(msg, path, encoding_errors)


def count_hl7(stream: BinaryIO, block_size: int = 1 << 20) -> int:
    """About how many messages a file holds (MSH segments), for a progress bar."""
    n = 0
    tail = b""
    while block := stream.read(block_size):
        data = tail + block
        n += data.count(b"MSH|")
        # Three bytes cannot hold a whole match, so none is counted twice.
        tail = data[-3:]
    return n
