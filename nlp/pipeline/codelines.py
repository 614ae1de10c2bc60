"""Code, charge and billing lines of a report: never evidence of what was done.

Information systems print the codes an exam was ordered, charged or billed under beside the
report: a "CHARGE DETAIL" table ("78830  NM SPECT/CT SINGLE AREA  1"), a "CPT: 78830 ..."
field, "Procedure code: 78802". Their descriptions name procedures ("SPECT/CT", "WHOLE BODY
1 DAY", "QUANT ADD-ON") that may never have been performed; the codes are ignored, and a
disagreement with the documentation does not by itself send the report to review
(LABELING.md gold J, gold T to X "Printed and ordered codes", gold AW).

`code_line_spans` finds those stretches so that the mentions in them are not read as
facts. Only lines that show they are code lines count: a row opening with a radiology CPT
or a radiopharmaceutical HCPCS code, a field labelled as a code or a charge, and the rows
of a block under a charge header.
"""

from __future__ import annotations

import re

# a radiology CPT (7xxxx) or a radiopharmaceutical supply code (A9xxx), with its modifiers
_CODE = r"(?:7\d{4}|A9\d{3})(?:-(?:26|TC|5[0-9]|7[0-9]|RT|LT))*"
# a row of a code table: the code first, then the code's description or a column bar;
# "CPT 78830 ..." too
_CODE_ROW = re.compile(
    rf"^[ \t]*(?:(?:cpt|hcpcs)[ \t]*(?:code)?[ \t]*[:#]?[ \t]*)?{_CODE}\b"
    r"(?=[ \t]*(?:[|,;:-]|[A-Za-z]|$))"
    # not a count or an activity opening a line: "75000 counts per view"
    r"(?![ \t]*(?:k?counts?\b|k?cts\b|kbq\b|mbq\b|sec\w*\b|s\b|min\w*\b))",
    re.IGNORECASE | re.MULTILINE,
)
_CODE_IN_ROW = re.compile(rf"(?<![\w.]){_CODE}(?![\w.])")
# a field labelled as a code or a charge: "CPT: ...", "Charges: ...", "Procedure code: ...",
# "Billing codes = ..." (to the end of its line)
_CODE_FIELD = re.compile(
    r"(?:^|(?<=[ \t]{2})|(?<=\|)|(?<=[.;][ \t]))[ \t]*"
    r"(?:cpt(?:[ \t]+codes?)?|hcpcs(?:[ \t]+codes?)?|charges?(?:[ \t]+(?:codes?|detail|lines?))?"
    r"|billing(?:[ \t]+codes?)?|billed(?:[ \t]+(?:as|codes?))?|(?:procedure|proc)[ \t]+codes?"
    r"|charge[ \t]*master|cdm)"
    r"(?:\(s\))?[ \t]*[:#=][^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
# a charge header on a line of its own: "CHARGE DETAIL", "Charges", "BILLING CODES:",
# "CPT codes"; the rows under it (to a blank line) are its table
_CHARGE_HEADER = re.compile(
    r"^[ \t]*[-=*#\[ ]*(?:charge(?:s|[ \t]+(?:detail|summary|codes?|lines?|capture))?"
    r"|billing(?:[ \t]+(?:detail|summary|codes?|information|info))?"
    r"|(?:cpt|hcpcs|procedure)[ \t]+codes?|coding(?:[ \t]+summary)?)"
    r"[ \t]*[-=*#\] ]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_KEYS = ("7", "a9", "cpt", "hcpcs", "charge", "bill", "code", "cdm")


def code_line_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every code, charge or billing line of `text`, in order."""
    low = text.lower()
    if not any(k in low for k in _KEYS):
        return []
    spans: list[tuple[int, int]] = []
    for m in _CODE_ROW.finditer(text):
        end = text.find("\n", m.start())
        spans.append((m.start(), len(text) if end < 0 else end))
    spans += [(m.start(), m.end()) for m in _CODE_FIELD.finditer(text)]
    for m in _CHARGE_HEADER.finditer(text):
        # the header and the rows under it that hold a code, in whatever column
        end = m.end()
        while end < len(text):
            nl = text.find("\n", end + 1)
            row = text[end + 1 : len(text) if nl < 0 else nl]
            if not _CODE_IN_ROW.search(row):
                break
            end = len(text) if nl < 0 else nl
        spans.append((m.start(), end))
    spans.sort()
    return spans


def in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)
