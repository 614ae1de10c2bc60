"""The CPT code table as data: `codes.json`, validated when loaded.

The table owns what each code means in our own words, when it is valid (dates are data,
so a corrected end date needs no code change), what replaced a deleted code, and which
primaries an add-on needs. A code may have several rows when its meaning changed on a
date (78803 before and from 2020-01-01); the rows of one code must not overlap in time.
A row may also stand for a range of codes (the separate diagnostic CT range), which only
the edits use.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args

Family = Literal[
    "localization",
    "bone",
    "myocardial_perfusion",
    "parathyroid",
    "cardiac_blood_pool",
    "legacy",
    "ct",
]
CodeModality = Literal["planar", "spect", "spect_ct", "any"]

FAMILIES: tuple[str, ...] = get_args(Family)
CODE_MODALITIES: tuple[str, ...] = get_args(CodeModality)
# Studies whose own codes already include SPECT (policy section 6).
OWN_CODE_FAMILIES: tuple[str, ...] = ("myocardial_perfusion", "parathyroid", "cardiac_blood_pool")

ROW_FIELDS: tuple[str, ...] = (
    "code",
    "description",
    "family",
    "modality",
    "extent",
    "effective_from",
    "effective_to",
    "replaced_by",
    "addon",
    "allowed_primaries",
)
_CODE_RE = re.compile(r"^\d{5}$")
_RANGE_RE = re.compile(r"^(\d{5})-(\d{5})$")
_TAG_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class TableError(ValueError):
    """The code table does not match its schema; the message names the row and field."""


@dataclass(frozen=True)
class CodeRow:
    """One meaning of one code (or one range of codes) over a span of dates."""

    code: str
    description: str
    family: Family
    modality: CodeModality
    extent: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    replaced_by: tuple[str, ...]
    addon: bool
    allowed_primaries: tuple[str, ...]

    @property
    def is_range(self) -> bool:
        return _RANGE_RE.match(self.code) is not None

    @property
    def is_current(self) -> bool:
        """Still in force (no end date)."""
        return self.effective_to is None

    def covers(self, code: str) -> bool:
        """True when `code` is this row's code, or falls inside this row's range."""
        m = _RANGE_RE.match(self.code)
        if m is None:
            return code == self.code
        return _CODE_RE.match(code) is not None and m.group(1) <= code <= m.group(2)

    def valid_on(self, dos: dt.date) -> bool:
        if self.effective_from is not None and dos < self.effective_from:
            return False
        return self.effective_to is None or dos <= self.effective_to

    def validity(self) -> str:
        """The dates in force, for people: "2020-01-01 onward", "until 2019-12-31", "always"."""
        start, end = self.effective_from, self.effective_to
        if start is None and end is None:
            return "no end date"
        if start is None:
            return f"until {end}"
        if end is None:
            return f"{start} onward"
        return f"{start} to {end}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "description": self.description,
            "family": self.family,
            "modality": self.modality,
            "extent": self.extent,
            "effective_from": _iso(self.effective_from),
            "effective_to": _iso(self.effective_to),
            "replaced_by": list(self.replaced_by),
            "addon": self.addon,
            "allowed_primaries": list(self.allowed_primaries),
        }


class CodeTable:
    """The validated rows of `codes.json`, looked up by code and date of service.

    An unknown date of service means the current family (policy section 1): `get` and
    `valid_on` with `dos=None` look at the rows still in force.
    """

    def __init__(self, rows: tuple[CodeRow, ...], current_family_from: dt.date) -> None:
        self._rows = rows
        self.current_family_from = current_family_from
        # lookups happen several times per suggestion: index exact codes once, keep the
        # (few) range rows apart, and remember each code's answer
        self._exact: dict[str, tuple[CodeRow, ...]] = {}
        for r in rows:
            if not r.is_range:
                self._exact[r.code] = (*self._exact.get(r.code, ()), r)
        self._ranges = tuple(r for r in rows if r.is_range)
        self._rows_for: dict[str, tuple[CodeRow, ...]] = {}

    def __iter__(self) -> Iterator[CodeRow]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and bool(self.rows_for(code))

    def rows_for(self, code: str) -> tuple[CodeRow, ...]:
        """Every row for `code` at any date (exact rows first, then a covering range)."""
        found = self._rows_for.get(code)
        if found is None:
            found = self._exact.get(code, ()) + tuple(r for r in self._ranges if r.covers(code))
            if len(self._rows_for) < 10_000:
                self._rows_for[code] = found
        return found

    def get(self, code: str, dos: dt.date | None = None) -> CodeRow | None:
        """The row for `code` in force on `dos`, or None when the code is not valid then.

        With `dos=None` (unknown date, current family) the row still in force is returned.
        """
        for row in self.rows_for(code):
            if row.is_current if dos is None else row.valid_on(dos):
                return row
        return None

    def valid_on(self, code: str, dos: dt.date | None) -> bool:
        return self.get(code, dos) is not None

    def for_date(self, dos: dt.date | None) -> tuple[CodeRow, ...]:
        """The rows valid on `dos` (None: the rows still in force), in table order."""
        if dos is None:
            return tuple(r for r in self._rows if r.is_current)
        return tuple(r for r in self._rows if r.valid_on(dos))

    def is_legacy_date(self, dos: dt.date | None) -> bool:
        """True when `dos` falls before the current family (unknown dates are current)."""
        return dos is not None and dos < self.current_family_from

    def predecessors(self, code: str) -> tuple[str, ...]:
        """Codes whose rows name `code` as a replacement (what to use before `code` existed)."""
        seen: dict[str, None] = {}
        for row in self._rows:
            if code in row.replaced_by and row.code not in seen:
                seen[row.code] = None
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "current_family_from": self.current_family_from.isoformat(),
            "codes": [r.to_dict() for r in self._rows],
        }


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _where(index: int, row: Mapping[str, Any]) -> str:
    code = row.get("code")
    return f"row {index}" + (f" ({code})" if isinstance(code, str) else "")


def _date_field(row: Mapping[str, Any], name: str, where: str) -> dt.date | None:
    value = row[name]
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise TableError(f"{where}: field '{name}' must be a date as YYYY-MM-DD or null, got {value!r}")


def _code_list(row: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    value = row[name]
    if not isinstance(value, list) or not all(
        isinstance(c, str) and _CODE_RE.match(c) for c in value
    ):
        raise TableError(
            f"{where}: field '{name}' must be a list of five-digit codes, got {value!r}"
        )
    if len(set(value)) != len(value):
        raise TableError(f"{where}: field '{name}' lists a code twice: {value!r}")
    return tuple(value)


def _choice(row: Mapping[str, Any], name: str, allowed: tuple[str, ...], where: str) -> str:
    value = row[name]
    if value not in allowed:
        raise TableError(
            f"{where}: field '{name}' must be one of {', '.join(allowed)}, got {value!r}"
        )
    return str(value)


def parse_row(row: Any, index: int) -> CodeRow:
    """Validate one row of the table; raise `TableError` naming the row and the field."""
    if not isinstance(row, dict):
        raise TableError(f"row {index}: must be an object, got {type(row).__name__}")
    where = _where(index, row)
    missing = [f for f in ROW_FIELDS if f not in row]
    if missing:
        raise TableError(f"{where}: missing field(s) {', '.join(missing)}")
    extra = sorted(set(row) - set(ROW_FIELDS))
    if extra:
        raise TableError(f"{where}: unknown field(s) {', '.join(extra)}")

    code = row["code"]
    if not isinstance(code, str):
        raise TableError(f"{where}: field 'code' must be a string, got {code!r}")
    m = _RANGE_RE.match(code)
    if not _CODE_RE.match(code) and not (m and m.group(1) < m.group(2)):
        raise TableError(
            f"{where}: field 'code' must be five digits or a range NNNNN-NNNNN, got {code!r}"
        )
    description = row["description"]
    if not isinstance(description, str) or not description.strip():
        raise TableError(f"{where}: field 'description' must be a non-empty string")
    family = _choice(row, "family", FAMILIES, where)
    modality = _choice(row, "modality", CODE_MODALITIES, where)
    extent = row["extent"]
    if not isinstance(extent, str) or not _TAG_RE.match(extent):
        raise TableError(
            f"{where}: field 'extent' must be a short snake_case tag such as "
            f"'one_area_one_day', got {extent!r}"
        )
    start = _date_field(row, "effective_from", where)
    end = _date_field(row, "effective_to", where)
    if start is not None and end is not None and end < start:
        raise TableError(
            f"{where}: field 'effective_to' ({end}) is before 'effective_from' ({start})"
        )
    replaced_by = _code_list(row, "replaced_by", where)
    if replaced_by and end is None:
        raise TableError(f"{where}: field 'replaced_by' is set but the row has no 'effective_to'")
    addon = row["addon"]
    if not isinstance(addon, bool):
        raise TableError(f"{where}: field 'addon' must be true or false, got {addon!r}")
    primaries = _code_list(row, "allowed_primaries", where)
    if addon and not primaries:
        raise TableError(f"{where}: field 'allowed_primaries' must list the primaries of an add-on")
    if primaries and not addon:
        raise TableError(
            f"{where}: field 'allowed_primaries' is only for add-on rows (addon: true)"
        )
    return CodeRow(
        code=code,
        description=description.strip(),
        family=cast(Family, family),
        modality=cast(CodeModality, modality),
        extent=extent,
        effective_from=start,
        effective_to=end,
        replaced_by=replaced_by,
        addon=addon,
        allowed_primaries=primaries,
    )


def _overlap(a: CodeRow, b: CodeRow) -> bool:
    lo = max(a.effective_from or dt.date.min, b.effective_from or dt.date.min)
    hi = min(a.effective_to or dt.date.max, b.effective_to or dt.date.max)
    return lo <= hi


def parse_table(data: Any, source: str = "codes.json") -> CodeTable:
    """Validate the whole table document; raise `TableError` naming the row and field."""
    if not isinstance(data, dict):
        raise TableError(f"{source}: must be a JSON object with a 'codes' list")
    rows_data = data.get("codes")
    if not isinstance(rows_data, list) or not rows_data:
        raise TableError(f"{source}: field 'codes' must be a non-empty list of rows")
    start_value = data.get("current_family_from")
    try:
        family_start = dt.date.fromisoformat(start_value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TableError(
            f"{source}: field 'current_family_from' must be a date as YYYY-MM-DD, "
            f"got {start_value!r}"
        ) from None
    try:
        rows = tuple(parse_row(r, i) for i, r in enumerate(rows_data))
    except TableError as exc:
        raise TableError(f"{source}: {exc}") from None

    for i, row in enumerate(rows):
        for j in range(i):
            other = rows[j]
            if other.code == row.code and _overlap(other, row):
                raise TableError(
                    f"{source}: row {i} ({row.code}): its dates overlap row {j} of the same code"
                )
    known = {r.code for r in rows if not r.is_range}
    for i, row in enumerate(rows):
        for name in ("replaced_by", "allowed_primaries"):
            unknown = [c for c in getattr(row, name) if c not in known]
            if unknown:
                raise TableError(
                    f"{source}: row {i} ({row.code}): field '{name}' names code(s) not in the "
                    f"table: {', '.join(unknown)}"
                )
    return CodeTable(rows, family_start)


@lru_cache(maxsize=8)
def _load(path: Path | None) -> CodeTable:
    if path is None:
        text = resources.files("nlp.coding").joinpath("codes.json").read_text(encoding="utf-8")
        source = "codes.json"
    else:
        text = path.read_text(encoding="utf-8")
        source = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TableError(f"{source}: not valid JSON ({exc})") from None
    return parse_table(data, source)


def load_table(path: str | Path | None = None) -> CodeTable:
    """The code table (the packaged `codes.json` by default), validated and cached."""
    return _load(None if path is None else Path(path))
