"""Evidence spans over the report text: segments, overlaps, excluded mentions, legend."""

from __future__ import annotations

from typing import Any

import pytest

from nlp.review.web.highlight import fact_group, highlight
from nlp.review.web.views import parse_codes, suggestion_view

TEXT = "SPECT/CT of the chest. No prior SPECT."


def ev(fact: str, start: int, end: int, **kw: Any) -> dict[str, Any]:
    return {"fact": fact, "text": TEXT[start:end], "start": start, "end": end, **kw}


@pytest.mark.parametrize(
    ("fact", "group"),
    [
        ("modality", "modality"),
        ("spect_excluded", "modality"),
        ("not_performed", "modality"),
        ("ct", "ct"),
        ("ct_purpose", "ct"),
        ("ct_excluded", "ct"),
        ("area", "area"),
        ("planar_area", "area"),
        ("dos", "time"),
        ("spect_day", "time"),
        ("whole_body_day", "time"),
        ("radiopharmaceutical", "tracer"),
        ("study_type", "tracer"),
        ("quantification_excluded", "quant"),
        ("whole_body_planar", "planar"),
        ("three_phase", "planar"),
        ("something_new", "other"),
    ],
)
def test_web_highlight_fact_groups(fact: str, group: str) -> None:
    assert fact_group(fact) == group


def test_web_highlight_cuts_the_text_at_every_span_edge() -> None:
    h = highlight(TEXT, [ev("modality", 0, 8), ev("ct", 6, 8), ev("area", 16, 21)])
    assert "".join(s.text for s in h.segments) == TEXT
    assert [(s.start, s.text, s.facts) for s in h.segments] == [
        (0, "SPECT/", "modality"),
        (6, "CT", "modality ct"),
        (8, " of the ", ""),
        (16, "chest", "area"),
        (21, ". No prior SPECT.", ""),
    ]
    # Overlaps colour by the first group in legend order: a modality, not a CT.
    assert [s.group for s in h.segments if s.marked] == ["modality", "modality", "area"]
    assert [(e.group, e.facts) for e in h.legend] == [
        ("modality", ("modality",)),
        ("ct", ("ct",)),
        ("area", ("area",)),
    ]


def test_web_highlight_strikes_through_excluded_mentions_only() -> None:
    h = highlight(
        TEXT,
        [ev("modality", 0, 5), ev("spect_excluded", 32, 37, context="historical", cue="prior")],
    )
    marked = [(s.text, s.excluded, s.title) for s in h.segments if s.marked]
    assert marked == [
        ("SPECT", False, "modality"),
        ("SPECT", True, "spect excluded (excluded: historical, cue 'prior')"),
    ]
    assert h.has_excluded is True


def test_web_highlight_leaves_out_spans_that_do_not_fit_the_text() -> None:
    h = highlight(
        TEXT,
        [
            ev("modality", 0, 5),
            {"fact": "contradiction", "text": "", "start": 0, "end": 0},
            {"fact": "area", "text": "pelvis", "start": 16, "end": 21},
            {"fact": "area", "start": 30, "end": 99},
            {"fact": "area", "start": "16", "end": 21},
            "not a mapping",
        ],
    )
    assert [s.fact for s in h.spans] == ["modality"]
    assert h.unplaced == 4


def test_web_highlight_of_empty_text_is_empty() -> None:
    h = highlight("", [])
    assert (h.segments, h.legend, h.spans, h.unplaced) == ((), (), (), 0)


def test_web_suggestion_view_reads_a_partial_record() -> None:
    view = suggestion_view(
        {
            "codes": ["78830"],
            "confidence": 0.734,
            "route": "review",
            "candidates": [
                {"codes": ["78831"], "score": 0.2, "rationale": "two areas"},
                {"codes": ["78830"], "score": 0.734, "rationale": "one area"},
                "junk",
            ],
            "edits": [
                {"id": "I", "severity": "info", "message": "fyi"},
                {"id": "E", "severity": "error", "message": "bad", "codes": ["78830"]},
            ],
            "facts": {"modality": "spect_ct", "quantification": False, "areas": ["chest"]},
        },
        TEXT,
    )
    assert (view.primary, view.confidence, view.route) == ("78830", 0.734, "review")
    assert [(c.rank, c.codes, c.chosen) for c in view.candidates] == [
        (1, ("78831",), False),
        (2, ("78830",), True),
    ]
    assert [e.id for e in view.edits] == ["E", "I"]
    assert view.facts == (("Modality", "spect ct"), ("Areas", "chest"), ("Quantification", "no"))
    assert view.steps == () and view.report.segments[0].text == TEXT


@pytest.mark.parametrize(
    ("typed", "codes"),
    [("78830", ["78830"]), ("78830, 78831;78832", ["78830", "78831", "78832"]), ("  ", [])],
)
def test_web_parse_codes(typed: str, codes: list[str]) -> None:
    assert parse_codes(typed) == codes
