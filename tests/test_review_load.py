"""Loading scoring records into the queue: what is queued, the audit sample, idempotence,
texts joined by id, and the priority order."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from nlp.review import AuditFilter, ItemFilter, Page, ReviewStore
from nlp.review.intake import ReportText, audit_sampled, read_texts
from tests.review_support import START, Clock, add_team, open_store, scoring_record

AUTO_IDS = [f"A-{n:04d}" for n in range(1000)]


def _expected_sample(ids: list[str], rate: float, seed: int) -> set[str]:
    """The audit sample computed here from its definition, independently of the store."""
    picked = set()
    for rid in ids:
        digest = hashlib.sha256(f"{seed}\x00{rid}".encode()).digest()
        if int.from_bytes(digest[:8], "big") / 2**64 < rate:
            picked.add(rid)
    return picked


def _mixed_records() -> list[dict[str, object]]:
    records = [scoring_record(rid, route="auto", confidence=0.97) for rid in AUTO_IDS]
    records += [scoring_record(f"R-{n}", confidence=0.4 + n / 100) for n in range(10)]
    records += [scoring_record(f"O-{n}", route="out_of_scope", codes=()) for n in range(3)]
    records.append(scoring_record("E-1", route="error", confidence=None, codes=()))
    records.append(scoring_record("E-2", route="error", confidence=None, codes=(), text=None))
    return records


@pytest.mark.parametrize(
    ("rate", "seed", "sampled"),
    [(0.05, 7, 41), (0.05, 0, 39), (0.2, 7, 185), (0.0, 7, 0), (1.0, 7, 1000)],
)
def test_review_audit_sample_is_a_fixed_hash_of_the_id(
    rate: float, seed: int, sampled: int
) -> None:
    picked = {rid for rid in AUTO_IDS if audit_sampled(rid, rate, seed)}
    assert len(picked) == sampled
    assert picked == _expected_sample(AUTO_IDS, rate, seed)


def test_review_load_queues_review_errors_and_the_audit_sample(store: ReviewStore) -> None:
    summary = store.load(_mixed_records(), audit_sample=0.05, seed=7, batch="b1")

    assert summary.read == 1015
    assert summary.enqueued == {"review": 10, "audit": 41, "error": 1}
    assert summary.total_enqueued == 52
    assert summary.already_queued == 0
    assert summary.not_sampled == 959
    assert summary.out_of_scope == 3
    assert summary.duplicates == 0
    assert summary.missing_text == ["E-2"]
    assert summary.error_ids == ["E-1", "E-2"]
    assert summary.invalid == []
    assert summary.ok is False

    audit_items = store.list_items(ItemFilter(kind="audit"), Page(limit=100))
    assert {i.report_id for i in audit_items.items} == _expected_sample(AUTO_IDS, 0.05, 7)
    assert store.list_items().total == 52
    assert store.list_items(ItemFilter(kind="error")).items[0].report_id == "E-1"
    assert len(store.audit(AuditFilter(actions=("load",)))) == 52


def test_review_reload_never_duplicates_an_item(store: ReviewStore) -> None:
    store.load(_mixed_records(), audit_sample=0.05, seed=7)
    again = store.load(_mixed_records(), audit_sample=0.05, seed=7)
    assert again.enqueued == {"review": 0, "audit": 0, "error": 0}
    assert again.already_queued == 52
    assert again.missing_text == ["E-2"]
    assert store.list_items().total == 52
    assert len(store.audit(AuditFilter(actions=("load",)))) == 52

    # A larger rate with the same seed keeps the first sample and adds to it.
    wider = store.load(_mixed_records(), audit_sample=0.2, seed=7)
    assert wider.enqueued == {"review": 0, "audit": 144, "error": 0}
    assert wider.already_queued == 52
    assert store.list_items(ItemFilter(kind="audit")).total == 185


def test_review_load_counts_a_report_repeated_in_the_input_once(store: ReviewStore) -> None:
    summary = store.load([scoring_record("R-1"), scoring_record("R-1"), scoring_record("R-2")])
    assert summary.enqueued["review"] == 2
    assert summary.duplicates == 1
    assert store.list_items().total == 2


def test_review_load_stores_the_item_and_writes_a_load_row(store: ReviewStore) -> None:
    record = scoring_record("R-7", confidence=0.61, codes=("78832", "78835"), dos="2021-02-03")
    store.load([record], batch="june")
    item = store.find_item("R-7")
    assert item is not None
    assert (item.kind, item.route, item.status, item.batch) == (
        "review",
        "review",
        "pending",
        "june",
    )
    assert item.confidence == 0.61
    assert item.dos == dt.date(2021, 2, 3)
    assert item.suggested_codes == ("78832", "78835")
    assert item.primary == "78832"
    assert item.model_version == "m-2024.06"
    assert item.text == "SPECT/CT report R-7."
    assert item.text_sha256 == hashlib.sha256(b"SPECT/CT report R-7.").hexdigest()
    assert "text" not in item.record
    assert item.record["candidates"] == record["candidates"]
    assert item.created_at == START

    (row,) = store.audit(AuditFilter(actions=("load",)))
    assert (row.item_id, row.report_id, row.actor, row.action, row.at) == (
        item.id,
        "R-7",
        "system",
        "load",
        START,
    )
    assert row.before_codes is None
    assert row.after_codes == ("78832", "78835")
    assert row.reason == "queued as review in batch june"
    assert row.model_version == "m-2024.06"
    assert row.client == {"app": "tests"}
    assert row.expected is None and row.edits is None


def test_review_load_joins_texts_by_id(store: ReviewStore, tmp_path: Path) -> None:
    texts_file = tmp_path / "texts.jsonl"
    texts_file.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "R-1", "text": "Bone SPECT/CT of the spine.", "dos": "2019-11-30"}
                ),
                json.dumps({"id": "R-3", "text": "Planar only."}),
                "not json",
                json.dumps({"id": "R-4"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    texts, problems = read_texts(texts_file)
    assert texts == {
        "R-1": ReportText("Bone SPECT/CT of the spine.", dt.date(2019, 11, 30)),
        "R-3": ReportText("Planar only.", None),
    }
    assert problems == [
        "texts.jsonl line 3: not JSON (Expecting value)",
        "texts.jsonl line 4: needs a string 'id' and 'text'",
    ]

    records = [
        scoring_record("R-1", text=None, dos=None),
        scoring_record("R-2", text=None),
        scoring_record("R-3", text="Own text wins.", dos="2024-01-02"),
    ]
    summary = store.load(records, texts=texts)
    assert summary.enqueued["review"] == 2
    assert summary.missing_text == ["R-2"]
    r1, r3 = store.find_item("R-1"), store.find_item("R-3")
    assert r1 is not None and r3 is not None
    assert (r1.text, r1.dos) == ("Bone SPECT/CT of the spine.", dt.date(2019, 11, 30))
    assert (r3.text, r3.dos) == ("Own text wins.", dt.date(2024, 1, 2))
    assert store.find_item("R-2") is None


def test_review_load_reports_unreadable_records(store: ReviewStore) -> None:
    summary = store.load(
        [
            {"route": "review"},
            scoring_record("R-1", route="maybe"),
            scoring_record("R-2", confidence=1.5),
            scoring_record("R-3", dos="03/04/2024"),
            scoring_record("R-4"),
        ]
    )
    assert summary.invalid == [
        "record 1: no string 'id' (got None)",
        "record 2 (R-1): route must be one of auto, review, out_of_scope, error, got 'maybe'",
        "record 3 (R-2): confidence must be a number from 0 to 1, got 1.5",
        "record 4 (R-3): dos must be a date as YYYY-MM-DD, got '03/04/2024'",
    ]
    assert summary.enqueued["review"] == 1
    assert [i.report_id for i in store.list_items().items] == ["R-4"]


def _priority_records() -> list[dict[str, object]]:
    return [
        scoring_record("P-high", confidence=0.90, dos="2024-01-01"),
        scoring_record("P-low-new", confidence=0.30, dos="2024-03-01"),
        scoring_record("P-low-old", confidence=0.30, dos="2023-03-01"),
        scoring_record("P-low-nodate", confidence=0.30, dos=None),
        scoring_record("P-mid", confidence=0.55, dos="2020-01-01"),
        scoring_record("P-error", route="error", confidence=None, codes=(), dos="2024-02-02"),
    ]


def test_review_priority_is_lowest_confidence_then_oldest_dos(store: ReviewStore) -> None:
    store.load(_priority_records())
    order = ["P-error", "P-low-old", "P-low-new", "P-low-nodate", "P-mid", "P-high"]
    assert [i.report_id for i in store.list_items().items] == order
    claimed = []
    for coder in ("alice", "bob", "alice", "bob", "alice", "bob"):
        item = store.claim(coder)
        assert item is not None
        claimed.append(item.report_id)
        store.hold(item, coder, "set aside to reach the next")
    assert claimed == order
    assert store.claim("alice") is None


@pytest.mark.parametrize(
    ("priority", "order"),
    [
        (("dos",), ["P-mid", "P-low-old", "P-high", "P-error", "P-low-new", "P-low-nodate"]),
        (
            ("-confidence", "-dos"),
            ["P-high", "P-mid", "P-low-new", "P-low-old", "P-low-nodate", "P-error"],
        ),
        (("created",), ["P-high", "P-low-new", "P-low-old", "P-low-nodate", "P-mid", "P-error"]),
    ],
)
def test_review_priority_keys_are_configurable(
    db_url: str, clock: Clock, priority: tuple[str, ...], order: list[str]
) -> None:
    store = open_store(db_url, clock, priority=priority)
    add_team(store)
    for record in _priority_records():  # one load per record: distinct created_at times
        store.load([record])
        clock.advance(1)
    assert [i.report_id for i in store.list_items().items] == order
    assert (store.claim("alice") or pytest.fail("nothing claimed")).report_id == order[0]
    store.close()
