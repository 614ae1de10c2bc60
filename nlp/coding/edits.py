"""Edits: checks of any code set (from the rules, the model or a coder).

The checks that depend only on the code table (unknown codes, dates of service, add-ons
without their primary) are written here; the pairs and groups of codes that may not be
reported together are data in `edits.json`, validated against the table when loaded.
Every edit has a stable id, a severity and a message that says what to do.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

from nlp.coding.rules import OWN_CODE_STUDIES
from nlp.coding.table import CodeRow, CodeTable, load_table
from nlp.facts import StudyFacts

Severity = Literal["error", "warning"]

# Edits written in code (the data-driven ones take their ids from edits.json).
UNKNOWN_CODE = "UNKNOWN-CODE"
DUPLICATE_CODE = "DUPLICATE-CODE"
CODE_DELETED = "CODE-DELETED"
CODE_NOT_YET_VALID = "CODE-NOT-YET-VALID"
ADDON_WITHOUT_PRIMARY = "ADDON-WITHOUT-PRIMARY"
TWO_SPECT_CODES = "TWO-SPECT-CODES"
QUANT_NO_CT = "QUANT-NO-CT"


class EditsError(ValueError):
    """`edits.json` does not match its schema or names codes missing from the table."""


@dataclass(frozen=True)
class EditResult:
    """One edit that fired on a code set."""

    id: str
    severity: Severity
    message: str
    codes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "message": self.message,
            "codes": list(self.codes),
        }


@dataclass(frozen=True)
class _Pair:
    id: str
    a: str
    b: str
    message: str


@dataclass(frozen=True)
class _Conflict:
    id: str
    left: frozenset[str]
    right: frozenset[str]
    message: str


@dataclass(frozen=True)
class _OneOf:
    id: str
    codes: frozenset[str]
    message: str


@dataclass(frozen=True)
class EditRules:
    """The data-driven edits, with their code groups resolved against the table."""

    spect: frozenset[str]
    pairs: tuple[_Pair, ...]
    conflicts: tuple[_Conflict, ...]
    one_of: tuple[_OneOf, ...]


def _group_codes(name: str, spec: Any, table: CodeTable) -> frozenset[str]:
    if not isinstance(spec, dict) or not spec or set(spec) - {"codes", "families", "modalities"}:
        raise EditsError(
            f"edits.json: group '{name}' must be an object with 'codes', 'families' and/or "
            "'modalities'"
        )
    if "codes" in spec:
        codes = spec["codes"]
        unknown = [c for c in codes if c not in table]
        if unknown:
            raise EditsError(f"edits.json: group '{name}' names unknown code(s) {unknown}")
        return frozenset(codes)
    families = spec.get("families")
    modalities = spec.get("modalities")

    def selected(row: CodeRow) -> bool:
        return (
            not row.addon
            and (families is None or row.family in families)
            and (modalities is None or row.modality in modalities)
        )

    codes = frozenset(r.code for r in table if selected(r))
    if not codes:
        raise EditsError(f"edits.json: group '{name}' selects no code in the table")
    return codes


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EditsError(f"edits.json: {where}: field '{key}' must be a non-empty string")
    return value


def parse_edit_rules(data: Any, table: CodeTable) -> EditRules:
    """Validate `edits.json` against the table; raise `EditsError` naming the entry."""
    if not isinstance(data, dict):
        raise EditsError("edits.json: must be a JSON object")
    groups_data = data.get("groups", {})
    if not isinstance(groups_data, dict) or "spect" not in groups_data:
        raise EditsError("edits.json: field 'groups' must be an object defining 'spect'")
    groups = {name: _group_codes(name, spec, table) for name, spec in groups_data.items()}

    pairs = []
    for i, e in enumerate(data.get("pairs", [])):
        where = f"pairs[{i}]"
        codes = e.get("codes")
        if not (isinstance(codes, list) and len(codes) == 2 and all(c in table for c in codes)):
            raise EditsError(f"edits.json: {where}: field 'codes' must be two known codes")
        pairs.append(_Pair(_text(e, "id", where), codes[0], codes[1], _text(e, "message", where)))

    conflicts = []
    for i, e in enumerate(data.get("conflicts", [])):
        where = f"conflicts[{i}]"
        for side in ("left", "right"):
            if e.get(side) not in groups:
                raise EditsError(f"edits.json: {where}: field '{side}' must name a group")
        conflicts.append(
            _Conflict(
                _text(e, "id", where),
                groups[e["left"]],
                groups[e["right"]],
                _text(e, "message", where),
            )
        )

    one_of = []
    for i, e in enumerate(data.get("one_of", [])):
        where = f"one_of[{i}]"
        codes = e.get("codes")
        if not (isinstance(codes, list) and len(codes) >= 2 and all(c in table for c in codes)):
            raise EditsError(f"edits.json: {where}: field 'codes' must list 2+ known codes")
        one_of.append(_OneOf(_text(e, "id", where), frozenset(codes), _text(e, "message", where)))
    return EditRules(groups["spect"], tuple(pairs), tuple(conflicts), tuple(one_of))


@lru_cache(maxsize=8)
def _load(path: Path | None, table: CodeTable) -> EditRules:
    if path is None:
        text = resources.files("nlp.coding").joinpath("edits.json").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EditsError(f"edits.json: not valid JSON ({exc})") from None
    return parse_edit_rules(data, table)


def load_edit_rules(path: str | Path | None = None, table: CodeTable | None = None) -> EditRules:
    """The data-driven edits (the packaged `edits.json` by default), validated and cached."""
    return _load(None if path is None else Path(path), table or load_table())


def normalize_code(code: str) -> str:
    """ "+78835" and " 78835 " are 78835 (add-ons are often written with a plus)."""
    return code.strip().lstrip("+").strip()


def _ordered(
    codes: Sequence[str], selected: set[str] | frozenset[str], table: CodeTable
) -> tuple[str, ...]:
    """The codes in `selected`, in input order; a code inside a listed range counts too."""
    return tuple(
        dict.fromkeys(
            c for c in codes if c in selected or any(r.code in selected for r in table.rows_for(c))
        )
    )


def _date_edits(code: str, dos: dt.date | None, table: CodeTable) -> EditResult | None:
    if table.valid_on(code, dos):
        return None
    rows = table.rows_for(code)
    ended = [
        r for r in rows if r.effective_to is not None and (dos is None or r.effective_to < dos)
    ]
    if ended:
        last = max(ended, key=lambda r: r.effective_to or dt.date.min)
        instead = ", ".join(last.replaced_by) or "no replacement"
        if dos is None:
            when = (
                f"{code} was valid only until {last.effective_to}, and with no date of service "
                "the current family applies (policy section 1)"
            )
            tail = "; or give the date of service if it was earlier"
        else:
            when = (
                f"{code} was valid only until {last.effective_to}, before the date of service {dos}"
            )
            tail = ""
        return EditResult(
            CODE_DELETED,
            "error",
            f"{when}: use its replacement chosen by the facts ({instead}){tail} (policy "
            "section 7).",
            (code,),
        )
    start = min(r.effective_from for r in rows if r.effective_from is not None)
    before = table.predecessors(code)
    instead = (
        f"use the legacy code of the study type instead ({', '.join(before)})"
        if before
        else "it has no earlier equivalent, so remove it"
    )
    return EditResult(
        CODE_NOT_YET_VALID,
        "error",
        f"{code} exists only from {start}, after the date of service {dos}: {instead} (policy "
        "section 7).",
        (code,),
    )


def _addon_edit(
    code: str, present: set[str], dos: dt.date | None, table: CodeTable
) -> EditResult | None:
    row = table.get(code, dos) or next(iter(table.rows_for(code)), None)
    if row is None or not row.addon or present & set(row.allowed_primaries):
        return None
    return EditResult(
        ADDON_WITHOUT_PRIMARY,
        "error",
        f"Add-on {code} is reported only with {' or '.join(row.allowed_primaries)}: remove it, "
        "or correct the primary if the study was SPECT/CT (policy section 2).",
        (code,),
    )


def _facts_edits(facts: StudyFacts) -> list[EditResult]:
    own = facts.study_type in OWN_CODE_STUDIES
    localization_ct = facts.modality == "spect_ct" and facts.ct_purpose != "attenuation"
    if facts.quantification and facts.has_spect and not localization_ct and not own:
        return [
            EditResult(
                QUANT_NO_CT,
                "warning",
                "The report quantifies uptake, but the SPECT has no localization CT: no "
                "quantification add-on applies (78835 only with 78830 or 78832) (policy "
                "section 3).",
                (),
            )
        ]
    return []


def run_edits(
    codes: Sequence[str],
    dos: dt.date | None = None,
    facts: StudyFacts | None = None,
    *,
    table: CodeTable | None = None,
    rules: EditRules | None = None,
) -> list[EditResult]:
    """Check a code set for one study; `dos` defaults to the facts' date when facts are given.

    An unknown date of service means the current family (policy section 1).
    """
    table = table or load_table()
    rules = rules or load_edit_rules(table=table)
    if dos is None and facts is not None:
        dos = facts.dos
    results: list[EditResult] = []
    normalized = [normalize_code(c) for c in codes]

    known: list[str] = []
    for code in dict.fromkeys(normalized):
        if code in table:
            known.append(code)
        else:
            results.append(
                EditResult(
                    UNKNOWN_CODE,
                    "error",
                    f"{code or repr(code)} is not in the code table: check the number "
                    "(`spectcoder codes` lists the table).",
                    (code,),
                )
            )
    for code in dict.fromkeys(c for c in normalized if normalized.count(c) > 1 and c in table):
        results.append(
            EditResult(
                DUPLICATE_CODE,
                "warning",
                f"{code} is listed more than once: list each code once per study.",
                (code,),
            )
        )
    for code in known:
        edit = _date_edits(code, dos, table)
        if edit is not None:
            results.append(edit)
    present = set(known)
    for code in known:
        edit = _addon_edit(code, present, dos, table)
        if edit is not None:
            results.append(edit)

    covered: set[frozenset[str]] = set()
    for pair in rules.pairs:
        if pair.a in present and pair.b in present:
            covered.add(frozenset((pair.a, pair.b)))
            results.append(
                EditResult(
                    pair.id,
                    "error",
                    pair.message.format(a=pair.a, b=pair.b),
                    (pair.a, pair.b),
                )
            )
    spect = _ordered(known, rules.spect, table)
    uncovered = [p for p in combinations(spect, 2) if frozenset(p) not in covered]
    if uncovered:
        involved = _ordered(spect, {c for p in uncovered for c in p}, table)
        results.append(
            EditResult(
                TWO_SPECT_CODES,
                "error",
                f"{', '.join(involved)} are SPECT codes for one study: report one SPECT code per "
                "study and date of service, chosen by CT, areas, acquisitions and days "
                "(policy section 2).",
                involved,
            )
        )
    for conflict in rules.conflicts:
        left = _ordered(known, conflict.left, table)
        right = tuple(c for c in _ordered(known, conflict.right, table) if c not in left)
        if left and right:
            results.append(
                EditResult(
                    conflict.id,
                    "error",
                    conflict.message.format(left=", ".join(left), right=", ".join(right)),
                    left + right,
                )
            )
    for group in rules.one_of:
        found = _ordered(known, group.codes, table)
        if len(found) >= 2:
            results.append(
                EditResult(group.id, "error", group.message.format(codes=", ".join(found)), found)
            )
    if facts is not None:
        results.extend(_facts_edits(facts))
    return results


def has_errors(results: Sequence[EditResult]) -> bool:
    return any(r.severity == "error" for r in results)
