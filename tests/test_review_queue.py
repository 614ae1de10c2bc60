"""Leases and decisions: claim, expiry, holder-only actions, and the exact audit rows of
accept, correct, hold, release and unhold."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.review import (
    AuditEntry,
    AuditFilter,
    ItemFilter,
    LeaseError,
    NotFoundError,
    PermissionDeniedError,
    ReviewStore,
    StateError,
    ValidationError,
)
from tests.review_support import FACTS, START, Clock, scoring_record

LEASE_END = START + dt.timedelta(seconds=900)


def _rows(store: ReviewStore, item_id: int) -> list[AuditEntry]:
    return [e for e in store.audit(AuditFilter(item_id=item_id)) if e.action != "load"]


def _load_two(store: ReviewStore) -> None:
    store.load(
        [
            scoring_record("R-1", confidence=0.40, codes=("78830",)),
            scoring_record("R-2", confidence=0.60, codes=("78803",)),
        ]
    )


def test_review_claim_leases_an_item_to_one_coder(store: ReviewStore) -> None:
    _load_two(store)
    a = store.claim("alice")
    b = store.claim("bob")
    assert a is not None and b is not None
    assert (a.report_id, a.status, a.claimed_by, a.lease_expires_at) == (
        "R-1",
        "claimed",
        "alice",
        LEASE_END,
    )
    assert (b.report_id, b.claimed_by) == ("R-2", "bob")
    # Asking again returns the item already held, without a second claim row.
    again = store.claim("Alice")
    assert again is not None and again.id == a.id
    assert store.claim("lee") is None
    (claim,) = _rows(store, a.id)
    assert (claim.actor, claim.action, claim.at, claim.before_codes, claim.after_codes) == (
        "alice",
        "claim",
        START,
        None,
        None,
    )
    assert (claim.reason, claim.model_version, claim.client) == (
        None,
        "m-2024.06",
        {"app": "tests"},
    )


def test_review_claim_filters_and_refuses_status_filters(store: ReviewStore) -> None:
    store.load(
        [scoring_record("R-1", confidence=0.1), scoring_record("A-1", route="auto")],
        audit_sample=1.0,
    )
    item = store.claim("alice", filters=ItemFilter(kind="audit"))
    assert item is not None and item.report_id == "A-1"
    with pytest.raises(ValidationError, match="claim filters cannot name a status or a holder"):
        store.claim("bob", filters=ItemFilter(status="done"))
    with pytest.raises(ValidationError, match="a lease lasts 1 to 86400 seconds"):
        store.claim("bob", lease_seconds=0)


def test_review_expired_lease_is_claimable_again_and_audited(
    store: ReviewStore, clock: Clock
) -> None:
    store.load([scoring_record("R-1")])
    first = store.claim("alice", lease_seconds=60)
    assert first is not None
    clock.advance(59)
    assert store.claim("bob") is None  # still alice's
    clock.advance(2)
    taken = store.claim("bob")
    assert taken is not None and taken.id == first.id and taken.claimed_by == "bob"

    at = START + dt.timedelta(seconds=61)
    rows = [(e.actor, e.action, e.at, e.reason) for e in _rows(store, first.id)]
    assert rows == [
        ("alice", "claim", START, None),
        ("system", "expire", at, "lease of alice expired at 2024-06-03T09:01:00+00:00"),
        ("bob", "claim", at, None),
    ]
    with pytest.raises(
        LeaseError, match=f"item {first.id} is not claimed by alice: claim it first"
    ):
        store.accept(first, "alice")


def test_review_holder_cannot_act_after_the_lease_ran_out(store: ReviewStore, clock: Clock) -> None:
    store.load([scoring_record("R-1")])
    item = store.claim("alice", lease_seconds=60)
    assert item is not None
    clock.advance(60)
    with pytest.raises(
        LeaseError,
        match=f"the lease of alice on item {item.id} expired at 2024-06-03T09:01:00\\+00:00: claim it again",
    ):
        store.accept(item, "alice")
    assert store.expire_leases() == 1
    assert store.get_item(item.id).status == "pending"
    assert [e.action for e in _rows(store, item.id)] == ["claim", "expire"]
    assert store.expire_leases() == 0


def test_review_only_the_lease_holder_can_act(store: ReviewStore) -> None:
    _load_two(store)
    item = store.claim("alice")
    assert item is not None
    message = f"item {item.id} is not claimed by bob: claim it first"
    with pytest.raises(LeaseError, match=message):
        store.accept(item, "bob")
    with pytest.raises(LeaseError, match=message):
        store.correct(item, "bob", ["78803"], "no CT")
    with pytest.raises(LeaseError, match=message):
        store.hold(item, "bob", "unsure")
    with pytest.raises(LeaseError, match=message):
        store.release(item, "bob")
    pending = store.find_item("R-2")
    assert pending is not None
    with pytest.raises(LeaseError, match=f"item {pending.id} is not claimed by alice"):
        store.accept(pending, "alice")
    with pytest.raises(PermissionDeniedError, match="'mallory' is not an active user"):
        store.accept(item, "mallory")
    with pytest.raises(NotFoundError, match="there is no item 999"):
        store.accept(999, "alice")
    # Nothing above changed the item or wrote a row.
    assert store.get_item(item.id).claimed_by == "alice"
    assert [e.action for e in _rows(store, item.id)] == ["claim"]


def test_review_disabled_user_cannot_claim(store: ReviewStore) -> None:
    _load_two(store)
    store.set_active("bob", False)
    with pytest.raises(PermissionDeniedError, match="'bob' is not an active user"):
        store.claim("bob")


def test_review_accept_writes_one_exact_audit_row(store: ReviewStore, clock: Clock) -> None:
    _load_two(store)
    item = store.claim("alice")
    assert item is not None
    clock.advance(30)
    done = store.accept(item, "alice")
    assert (done.status, done.claimed_by, done.lease_expires_at) == ("done", None, None)
    claim, accept = _rows(store, item.id)
    assert (claim.actor, claim.action, claim.at) == ("alice", "claim", START)
    assert (accept.actor, accept.action, accept.at) == (
        "alice",
        "accept",
        START + dt.timedelta(seconds=30),
    )
    assert (accept.report_id, accept.item_id) == ("R-1", item.id)
    assert accept.before_codes == ("78830",)
    assert accept.after_codes == ("78830",)
    assert accept.reason is None
    assert accept.model_version == "m-2024.06"
    assert accept.expected == {
        "codes": ["78830"],
        "primary": "78830",
        "modality": "spect_ct",
        "area_count": 1,
        "spect_days": 1,
        "quantification": False,
        "review": False,
    }
    assert accept.edits == ()  # the edits find nothing wrong with 78830 here
    assert accept.client == {"app": "tests"}
    assert store.final_decision(item) == accept
    # Done is final: the item cannot be claimed or decided again.
    with pytest.raises(LeaseError):
        store.accept(item, "alice")
    assert store.claim("alice") is not None  # R-2, not R-1
    assert store.claim("bob") is None


def test_review_correct_writes_one_exact_audit_row(store: ReviewStore, clock: Clock) -> None:
    _load_two(store)
    item = store.claim("alice")
    assert item is not None
    clock.advance(45)
    store.correct(
        item,
        "alice",
        ["78832", "78835"],
        "  Chest and abdomen were both acquired; SUV reported.  ",
        facts={"area_count": 2, "quantification": True},
        client={"ip": "10.0.0.7"},
    )
    claim, correct = _rows(store, item.id)
    assert (claim.actor, claim.action, claim.at) == ("alice", "claim", START)
    assert (correct.actor, correct.action, correct.at) == (
        "alice",
        "correct",
        START + dt.timedelta(seconds=45),
    )
    assert correct.before_codes == ("78830",)
    assert correct.after_codes == ("78832", "78835")
    assert correct.reason == "Chest and abdomen were both acquired; SUV reported."
    assert correct.expected == {
        "codes": ["78832", "78835"],
        "primary": "78832",
        "modality": "spect_ct",
        "area_count": 2,
        "spect_days": 1,
        "quantification": True,
        "review": False,
    }
    assert correct.edits == ()
    assert correct.client == {"app": "tests", "ip": "10.0.0.7"}
    assert store.get_item(item.id).status == "done"


def test_review_correct_keeps_the_edits_findings(store: ReviewStore) -> None:
    _load_two(store)
    item = store.claim("alice")
    assert item is not None
    store.correct(item, "alice", ["78830", "78803"], "both were billed")
    _, correct = _rows(store, item.id)
    assert [(e["id"], e["severity"], e["codes"]) for e in correct.edits] == [
        ("SPECT-AND-SPECT-CT", "error", ["78803", "78830"])
    ]


def test_review_correct_to_no_code(store: ReviewStore) -> None:
    _load_two(store)
    item = store.claim("alice")
    assert item is not None
    store.correct(
        item, "alice", [], "Gastric emptying study: out of scope", facts={"modality": "none"}
    )
    decision = store.final_decision(item)
    assert decision is not None
    assert decision.after_codes == ()
    assert decision.expected is not None
    assert (
        decision.expected["codes"],
        decision.expected["primary"],
        decision.expected["modality"],
    ) == (
        [],
        "NONE",
        "none",
    )


@pytest.mark.parametrize(
    ("codes", "reason", "facts", "message"),
    [
        (["78832"], "", None, "a correction needs a reason"),
        (["78832"], "   ", None, "a correction needs a reason"),
        (["99999"], "why", None, "unknown code\\(s\\) 99999"),
        (["7883"], "why", None, "codes must be five digits; fix 7883"),
        (["78832", "78832"], "why", None, "a code is listed twice"),
        (
            ["78832"],
            "why",
            {"modality": "pet"},
            "modality must be one of spect_ct, spect, planar, none",
        ),
        (["78832"], "why", {"area_count": 0}, "area_count must be a whole number of at least 1"),
        (
            ["78832"],
            "why",
            {"study_type": "brain"},
            "only modality, area_count, spect_days, quantification",
        ),
    ],
)
def test_review_correct_rejects_bad_input_and_writes_nothing(
    store: ReviewStore, codes: list[str], reason: str, facts: dict[str, object] | None, message: str
) -> None:
    _load_two(store)
    item = store.claim("alice")
    assert item is not None
    with pytest.raises(ValidationError, match=message):
        store.correct(item, "alice", codes, reason, facts=facts)
    assert store.get_item(item.id).status == "claimed"
    assert [e.action for e in _rows(store, item.id)] == ["claim"]


def test_review_review_flag_follows_the_rules_unless_the_coder_says(store: ReviewStore) -> None:
    grey = dict(FACTS, three_phase=True, flow_imaging=True)  # three-phase bone + SPECT
    store.load(
        [
            scoring_record("G-1", confidence=0.1, facts=grey),
            scoring_record("G-2", confidence=0.2, facts=grey),
            scoring_record("P-1", confidence=0.3),
        ]
    )
    flags = []
    for review in (None, False, True):
        item = store.claim("alice")
        assert item is not None
        store.accept(item, "alice", review=review)
        decision = store.final_decision(item)
        assert decision is not None and decision.expected is not None
        flags.append((item.report_id, decision.expected["review"]))
    assert flags == [("G-1", True), ("G-2", False), ("P-1", True)]


def test_review_error_items_must_be_corrected(store: ReviewStore) -> None:
    store.load([scoring_record("E-1", route="error", confidence=None, codes=(), facts={})])
    item = store.claim("alice")
    assert item is not None and item.kind == "error"
    with pytest.raises(StateError, match=f"item {item.id} has no suggestion to accept"):
        store.accept(item, "alice")
    store.correct(item, "alice", ["78803"], "Liver SPECT without CT")
    decision = store.final_decision(item)
    assert decision is not None and decision.expected == {
        "codes": ["78803"],
        "primary": "78803",
        "modality": None,
        "area_count": None,
        "spect_days": None,
        "quantification": None,
        "review": False,
    }


def test_review_hold_release_unhold_write_exact_rows(store: ReviewStore, clock: Clock) -> None:
    _load_two(store)
    item = store.claim("alice")
    assert item is not None
    released = store.release(item, "alice")
    assert (released.status, released.claimed_by) == ("pending", None)

    clock.advance(10)
    again = store.claim("bob")
    assert again is not None and again.id == item.id
    with pytest.raises(ValidationError, match="a hold needs a reason"):
        store.hold(again, "bob", " ")
    held = store.hold(again, "bob", "Addendum says the CT was not acquired")
    assert (held.status, held.claimed_by, held.lease_expires_at) == ("held", None, None)
    nxt = store.claim("bob")
    assert nxt is not None and nxt.report_id == "R-2"  # a held item is out of the queue

    with pytest.raises(
        PermissionDeniedError, match="alice is a coder; this needs the role lead or admin"
    ):
        store.unhold(item, "alice")
    clock.advance(10)
    back = store.unhold(item, "lee", reason="Addendum confirmed: SPECT only")
    assert back.status == "pending"
    with pytest.raises(StateError, match=f"item {item.id} is pending, not held"):
        store.unhold(item, "lee")

    t10, t20 = START + dt.timedelta(seconds=10), START + dt.timedelta(seconds=20)
    rows = [
        (e.actor, e.action, e.at, e.before_codes, e.after_codes, e.reason)
        for e in _rows(store, item.id)
    ]
    assert rows == [
        ("alice", "claim", START, None, None, None),
        ("alice", "release", START, None, None, None),
        ("bob", "claim", t10, None, None, None),
        ("bob", "hold", t10, ("78830",), None, "Addendum says the CT was not acquired"),
        ("lee", "unhold", t20, None, None, "Addendum confirmed: SPECT only"),
    ]


def test_review_get_item_of_a_missing_id(store: ReviewStore) -> None:
    with pytest.raises(NotFoundError, match="there is no item 41"):
        store.get_item(41)
    assert store.find_item("nope") is None


def test_review_renew_extends_a_live_lease_only(store: ReviewStore, clock: Clock) -> None:
    store.load([scoring_record("R-1")])
    item = store.claim("alice", lease_seconds=60)
    assert item is not None
    clock.advance(50)
    renewed = store.renew(item, "alice", lease_seconds=600)
    assert renewed.lease_expires_at == START + dt.timedelta(seconds=650)
    clock.advance(100)  # past the first lease, inside the renewed one
    assert store.claim("bob") is None
    with pytest.raises(LeaseError, match=f"item {item.id} is not claimed by bob"):
        store.renew(item, "bob")
    clock.advance(500)
    with pytest.raises(LeaseError, match="expired at 2024-06-03T09:10:50\\+00:00: claim it again"):
        store.renew(item, "alice")
    rows = [(e.actor, e.action, e.reason) for e in _rows(store, item.id)]
    assert rows == [
        ("alice", "claim", None),
        ("alice", "renew", "lease until 2024-06-03T09:10:50+00:00"),
    ]
