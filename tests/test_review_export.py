"""Export of decisions as labeled JSONL (round trip) and the queue metrics."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nlp.review import AuditFilter, CoderMetrics, ReviewStore, RouteMetrics
from tests.review_support import START, Clock, scoring_record

LABEL_KEYS = {
    "codes",
    "primary",
    "modality",
    "area_count",
    "spect_days",
    "quantification",
    "review",
}


def _at(seconds: int) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


def _work_the_queue(store: ReviewStore, clock: Clock) -> None:
    """alice: accept R-1 (60 s), correct R-2 (120 s); bob: correct R-3 (120 s), accept the
    audit sample A-1 (60 s), hold R-4 (60 s). R-5 stays pending."""
    store.load(
        [
            scoring_record("R-1", confidence=0.10, dos="2023-01-05"),
            scoring_record("R-2", confidence=0.20, codes=("78803",), dos=None),
            scoring_record("R-3", confidence=0.30),
            scoring_record("A-1", route="auto", confidence=0.35),
            scoring_record("R-4", confidence=0.40),
            scoring_record("R-5", confidence=0.50),
        ],
        audit_sample=1.0,
    )

    def claim(coder: str, report_id: str) -> int:
        item = store.claim(coder)
        assert item is not None and item.report_id == report_id
        return item.id

    r1 = claim("alice", "R-1")
    clock.advance(60)
    store.accept(r1, "alice")
    r2 = claim("alice", "R-2")
    clock.advance(120)
    store.correct(r2, "alice", ["78830"], "two areas", facts={"modality": "spect_ct"})
    r3 = claim("bob", "R-3")
    clock.advance(120)
    store.correct(r3, "bob", ["78832"], "two areas", facts={"area_count": 2})
    a1 = claim("bob", "A-1")
    clock.advance(60)
    store.accept(a1, "bob")
    r4 = claim("bob", "R-4")
    clock.advance(60)
    store.hold(r4, "bob", "needs a lead")


def test_review_export_round_trip_equals_the_decisions(
    store: ReviewStore, clock: Clock, tmp_path: Path
) -> None:
    _work_the_queue(store, clock)
    out = tmp_path / "feedback" / "labels.jsonl"
    assert store.export(out) == 4
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]

    decisions = store.audit(AuditFilter(actions=("accept", "correct")))
    assert [d.report_id for d in decisions] == ["R-1", "R-2", "R-3", "A-1"]
    rebuilt = []
    for d in decisions:
        assert d.item_id is not None
        item = store.get_item(d.item_id)
        rebuilt.append(
            {
                "id": d.report_id,
                "dos": None if item.dos is None else item.dos.isoformat(),
                "text": item.text,
                "expected": d.expected,
                "why": d.reason or "accepted suggestion",
                "coder": d.actor,
                "decided_at": d.at.isoformat(),
                "model_version": d.model_version,
            }
        )
    assert [{k: v for k, v in line.items() if k != "tags"} for line in lines] == rebuilt
    assert all(set(line["expected"]) == LABEL_KEYS for line in lines)

    assert lines[0] == {
        "id": "R-1",
        "dos": "2023-01-05",
        "text": "SPECT/CT report R-1.",
        "expected": {
            "codes": ["78830"],
            "primary": "78830",
            "modality": "spect_ct",
            "area_count": 1,
            "spect_days": 1,
            "quantification": False,
            "review": False,
        },
        "why": "accepted suggestion",
        "tags": ["feedback", "accepted", "queue-review", "bone"],
        "coder": "alice",
        "decided_at": "2024-06-03T09:01:00+00:00",
        "model_version": "m-2024.06",
    }
    assert lines[2]["why"] == "two areas"
    assert lines[2]["expected"]["codes"] == ["78832"]
    assert lines[2]["expected"]["area_count"] == 2
    assert lines[2]["tags"] == ["feedback", "corrected", "queue-review", "bone"]
    assert lines[3]["tags"] == ["feedback", "accepted", "queue-audit", "bone"]


def test_review_export_since_keeps_later_decisions(
    store: ReviewStore, clock: Clock, tmp_path: Path
) -> None:
    _work_the_queue(store, clock)
    out = tmp_path / "later.jsonl"
    assert store.export(out, since=_at(300)) == 2
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["R-3", "A-1"]
    assert store.export(out, since=_at(10_000)) == 0
    assert out.read_text() == ""


def test_review_metrics_count_throughput_agreement_and_reasons(
    store: ReviewStore, clock: Clock
) -> None:
    _work_the_queue(store, clock)
    m = store.metrics()
    assert (m.accepted, m.corrected, m.held, m.decided) == (2, 2, 1, 4)
    assert m.agreement == pytest.approx(0.5)
    assert m.coders == (
        CoderMetrics(
            "alice", accepted=1, corrected=1, held=0, active_seconds=180.0, items_per_hour=40.0
        ),
        CoderMetrics(
            "bob", accepted=1, corrected=1, held=1, active_seconds=240.0, items_per_hour=30.0
        ),
    )
    assert m.routes == (
        RouteMetrics("auto", accepted=1, corrected=0, held=0, agreement=1.0),
        RouteMetrics("review", accepted=1, corrected=2, held=1, agreement=pytest.approx(1 / 3)),
    )
    assert m.override_reasons == (("two areas", 2),)
    assert m.backlog == {"done": 4, "held": 1, "pending": 1}
    assert m.until == _at(420)


def test_review_metrics_since_counts_only_the_window(store: ReviewStore, clock: Clock) -> None:
    _work_the_queue(store, clock)
    m = store.metrics(since=_at(200))
    # bob's R-3 claim (at 180 s) falls before the window: its time is not counted.
    assert m.coders == (
        CoderMetrics(
            "bob", accepted=1, corrected=1, held=1, active_seconds=120.0, items_per_hour=60.0
        ),
    )
    assert m.agreement == pytest.approx(0.5)
    assert m.override_reasons == (("two areas", 1),)


def test_review_metrics_of_an_empty_queue(store: ReviewStore) -> None:
    m = store.metrics()
    assert (m.decided, m.agreement, m.coders, m.routes, m.override_reasons) == (0, None, (), (), ())
    assert m.backlog == {}
