"""Fixtures and helpers for the batch scoring tests (re-exported by tests/conftest.py).

`scorer_factory` names the scorer every batch test runs with: the keyword fake from
tests/fakes.py. When `nlp.suggest` lands, end-to-end tests against the real scorer
swap this one fixture (or parametrize it over both).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import FAKE_SCORER_FACTORY


@pytest.fixture()
def scorer_factory() -> str:
    return FAKE_SCORER_FACTORY


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {r["id"]: r for r in records}
    assert len(out) == len(records), "ids must be unique in an output"
    return out


def fhir_report(
    id: str | None,
    text: str | None = None,
    *,
    date: str | None = "2024-03-05T10:15:00Z",
    content_type: str = "text/plain",
    conclusion: str | None = None,
    identifier: str | None = None,
) -> dict[str, Any]:
    """A FHIR R4 DiagnosticReport with the report as a base64 presentedForm."""
    resource: dict[str, Any] = {"resourceType": "DiagnosticReport", "status": "final"}
    if id is not None:
        resource["id"] = id
    if identifier is not None:
        resource["identifier"] = [{"system": "urn:acc", "value": identifier}]
    if date is not None:
        resource["effectiveDateTime"] = date
    if text is not None:
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        resource["presentedForm"] = [{"contentType": content_type, "data": data}]
    if conclusion is not None:
        resource["conclusion"] = conclusion
    return resource


def hl7_message(
    control_id: str,
    accession: str,
    lines: list[str],
    *,
    date: str = "20240305101500",
    value_type: str = "TX",
    message_type: str = "ORU^R01",
) -> str:
    """An HL7 v2.5 ORU^R01 message (segments joined with \\r), one OBX per report line."""
    segments = [
        f"MSH|^~\\&|RIS|HOSP|CODER|HOSP|20240305120000||{message_type}|{control_id}|P|2.5",
        "PID|1||MRN123^^^HOSP||DOE^JANE",
        f"OBR|1|PLACER1|{accession}|78830^SPECT CT^CPT|||{date}",
    ]
    segments += [
        f"OBX|{i}|{value_type}|RPT^Report||{line}||||||F" for i, line in enumerate(lines, 1)
    ]
    return "\r".join(segments) + "\r"
