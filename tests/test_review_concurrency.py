"""Coders in separate processes claiming at once: every item is decided exactly once."""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter

import pytest

from nlp.review import AuditFilter, Page
from tests.review_support import claim_until_empty, open_store, scoring_record


@pytest.mark.slow
@pytest.mark.parametrize(
    ("db_url", "workers", "items"),
    [
        pytest.param("postgresql", 8, 500, id="postgresql", marks=pytest.mark.postgres),
        pytest.param("sqlite", 4, 120, id="sqlite"),
    ],
    indirect=["db_url"],
)
def test_review_concurrent_claims_decide_every_item_once(
    db_url: str, workers: int, items: int
) -> None:
    store = open_store(db_url)
    coders = [f"w{n}" for n in range(workers)]
    for coder in coders:
        store.add_user(coder, "worker password")
    summary = store.load(
        [scoring_record(f"C-{n:04d}", confidence=(n % 97) / 100) for n in range(items)]
    )
    assert summary.enqueued["review"] == items

    ctx = mp.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=claim_until_empty, args=(db_url, c, ready, go, results)) for c in coders
    ]
    for p in procs:
        p.start()
    assert sorted(ready.get(timeout=120) for _ in procs) == coders
    go.set()  # every worker has its engine: start claiming at the same moment
    decided = dict(results.get(timeout=600) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0

    # Every item was decided by exactly one worker, and none was lost.
    all_ids = [i.id for i in store.list_items(page=Page(limit=items)).items]
    per_item = Counter(i for ids in decided.values() for i in ids)
    assert sorted(per_item) == sorted(all_ids)
    assert set(per_item.values()) == {1}
    assert sum(1 for ids in decided.values() if ids) >= 2  # the work really was shared

    # The audit trail and the final statuses agree with what the workers reported.
    claims = store.audit(AuditFilter(actions=("claim",)))
    decisions = store.audit(AuditFilter(actions=("accept", "correct")))
    assert len(claims) == items and len(decisions) == items
    assert store.audit(AuditFilter(actions=("expire", "release"))) == []
    by_worker = {i: c for c, ids in decided.items() for i in ids}
    assert {e.item_id: e.actor for e in claims} == by_worker
    assert {e.item_id: e.actor for e in decisions} == by_worker
    assert Counter(e.action for e in decisions) == {
        "correct": sum(1 for i in all_ids if i % 3 == 0),
        "accept": sum(1 for i in all_ids if i % 3 != 0),
    }
    assert store.list_items().total == items
    assert store.metrics().backlog == {"done": items}
    store.close()
