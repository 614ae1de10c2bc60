"""Users: bcrypt passwords, roles, enabling and disabling, and their audit rows."""

from __future__ import annotations

import pytest

from nlp.review import (
    AuditFilter,
    NotFoundError,
    PermissionDeniedError,
    ReviewStore,
    ValidationError,
)
from tests.review_support import PASSWORD, START


def test_review_users_store_bcrypt_hashes_and_verify(store: ReviewStore) -> None:
    user = store.add_user("Carol", "s3cret-enough", "lead")
    assert (user.username, user.role, user.active, user.created_at) == (
        "carol",
        "lead",
        True,
        START,
    )
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT password_hash FROM users WHERE username = 'carol'"
        ).scalar_one()
    assert stored.startswith("$2b$04$") and len(stored) == 60
    assert "s3cret-enough" not in stored

    assert store.verify_password("carol", "s3cret-enough") == user
    assert store.verify_password("CAROL", "s3cret-enough") == user
    assert store.verify_password("carol", "s3cret-enougH") is None
    assert store.verify_password("nobody", "s3cret-enough") is None
    assert store.verify_password("carol", "x" * 100) is None


def test_review_users_password_change_and_disable(store: ReviewStore) -> None:
    store.set_password("alice", "a brand new one")
    assert store.verify_password("alice", PASSWORD) is None
    assert store.verify_password("alice", "a brand new one") is not None

    disabled = store.set_active("alice", False)
    assert disabled.active is False
    assert store.verify_password("alice", "a brand new one") is None
    store.set_active("alice", True)
    assert store.verify_password("alice", "a brand new one") is not None

    assert store.set_role("alice", "lead").role == "lead"
    assert [(u.username, u.role) for u in store.list_users()] == [
        ("ada", "admin"),
        ("alice", "lead"),
        ("bob", "coder"),
        ("lee", "lead"),
    ]
    rows = store.audit(
        AuditFilter(actor="system", actions=("user_password", "user_active", "user_role"))
    )
    assert [(r.action, r.reason, r.item_id) for r in rows] == [
        ("user_password", "alice", None),
        ("user_active", "alice disabled", None),
        ("user_active", "alice enabled", None),
        ("user_role", "alice is now lead", None),
    ]


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("alice", PASSWORD, "coder", "user alice already exists"),
        ("system", PASSWORD, "coder", "'system' is reserved"),
        ("bad name", PASSWORD, "coder", "a username is 1-64 letters"),
        ("", PASSWORD, "coder", "a username is 1-64 letters"),
        ("dora", "short", "coder", "a password needs at least 8 characters"),
        ("dora", "é" * 40, "coder", "a password can be at most 72 bytes long"),
        ("dora", PASSWORD, "boss", "a role is one of coder, lead, admin"),
    ],
)
def test_review_users_reject_bad_input(
    store: ReviewStore, username: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        store.add_user(username, password, role)  # type: ignore[arg-type]
    assert len(store.list_users()) == 4


def test_review_users_only_admins_manage_users(store: ReviewStore) -> None:
    with pytest.raises(PermissionDeniedError, match="lee is a lead; this needs the role admin"):
        store.add_user("dora", PASSWORD, actor="lee")
    dora = store.add_user("dora", PASSWORD, actor="ada")
    assert dora.role == "coder"
    (row,) = store.audit(AuditFilter(actor="ada"))
    assert (row.action, row.reason, row.at) == ("user_add", "dora as coder", START)
    # Users may change their own password; others' only as an admin.
    store.set_password("dora", "dora's own pw", actor="dora")
    with pytest.raises(PermissionDeniedError, match="bob is a coder; this needs the role admin"):
        store.set_password("dora", "bob was here", actor="bob")
    with pytest.raises(NotFoundError, match="there is no user 'zed'"):
        store.get_user("zed")
