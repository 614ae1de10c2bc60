"""Queue metrics from the audit trail: throughput per coder, agreement, override reasons."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from nlp.review.types import AuditEntry, CoderMetrics, Metrics, RouteMetrics

# The actions that end a coder's lease (and so close a span of working time).
_LEASE_ENDS = ("accept", "correct", "hold", "release")


def _agreement(accepted: int, corrected: int) -> float | None:
    decided = accepted + corrected
    return accepted / decided if decided else None


def compute_metrics(
    entries: Iterable[AuditEntry],
    routes: Mapping[int, str],
    *,
    since: dt.datetime | None,
    until: dt.datetime,
    backlog: Mapping[str, int],
) -> Metrics:
    """Metrics of the audit `entries` (in id order); `routes` maps item id to route."""
    opened: dict[tuple[str, int | None], dt.datetime] = {}
    active: dict[str, float] = defaultdict(float)
    by_coder: dict[str, Counter[str]] = defaultdict(Counter)
    by_route: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    for e in entries:
        if e.action == "claim":
            opened[(e.actor, e.item_id)] = e.at
        elif e.action == "expire":
            for key in [k for k in opened if k[1] == e.item_id]:
                del opened[key]
        elif e.action in _LEASE_ENDS:
            start = opened.pop((e.actor, e.item_id), None)
            if start is not None:
                active[e.actor] += (e.at - start).total_seconds()
            if e.action == "release":
                continue
            by_coder[e.actor][e.action] += 1
            route = routes.get(e.item_id, "unknown") if e.item_id is not None else "unknown"
            by_route[route][e.action] += 1
            if e.action == "correct" and e.reason:
                reasons[e.reason.strip()] += 1

    coders = []
    for coder in sorted(by_coder):
        c = by_coder[coder]
        decided = c["accept"] + c["correct"]
        seconds = active.get(coder, 0.0)
        coders.append(
            CoderMetrics(
                coder=coder,
                accepted=c["accept"],
                corrected=c["correct"],
                held=c["hold"],
                active_seconds=seconds,
                items_per_hour=decided * 3600 / seconds if seconds > 0 else None,
            )
        )
    route_metrics = tuple(
        RouteMetrics(
            route=r,
            accepted=by_route[r]["accept"],
            corrected=by_route[r]["correct"],
            held=by_route[r]["hold"],
            agreement=_agreement(by_route[r]["accept"], by_route[r]["correct"]),
        )
        for r in sorted(by_route)
    )
    accepted = sum(c.accepted for c in coders)
    corrected = sum(c.corrected for c in coders)
    return Metrics(
        since=since,
        until=until,
        accepted=accepted,
        corrected=corrected,
        held=sum(c.held for c in coders),
        agreement=_agreement(accepted, corrected),
        coders=tuple(coders),
        routes=route_metrics,
        override_reasons=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        backlog=dict(backlog),
    )
