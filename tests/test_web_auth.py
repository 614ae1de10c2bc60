"""Sign-in, roles and CSRF: who can reach what, and which requests are refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from nlp.review import ReviewStore
from nlp.review.web.app import CSP, SESSION_COOKIE
from tests.review_support import PASSWORD
from tests.web_support import form_token, sign_in

PAGES = ["/", "/paste", "/queue", "/items/1", "/audit", "/metrics", "/users", "/docs"]
API_GETS = [
    "/api/session",
    "/api/queue",
    "/api/items/1",
    "/api/audit",
    "/api/metrics",
    "/api/users",
    "/api/openapi.json",
]
LEAD_PAGES = ["/audit", "/metrics"]
ADMIN_PAGES = ["/users"]
LEAD_API = ["/api/audit", "/api/metrics"]
ADMIN_API = ["/api/users"]
# Every state-changing route; a new one must be added here (and so to the CSRF test).
ALL_POSTS = [
    "/api/items/1/accept",
    "/api/items/1/correct",
    "/api/items/1/hold",
    "/api/items/1/release",
    "/api/items/1/renew",
    "/api/items/1/unhold",
    "/api/items/claim",
    "/api/login",
    "/api/logout",
    "/api/suggest",
    "/api/users",
    "/api/users/bob/active",
    "/api/users/bob/role",
    "/items/1/accept",
    "/items/1/correct",
    "/items/1/hold",
    "/items/1/release",
    "/items/1/renew",
    "/items/1/unhold",
    "/login",
    "/logout",
    "/paste",
    "/queue/claim",
    "/users",
    "/users/bob/active",
    "/users/bob/role",
]


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router (FastAPI >= 0.13x)
            yield from _routes(route.original_router.routes)


def _post_routes(app: FastAPI) -> list[str]:
    """Every POST path of the app, with path parameters filled in."""
    paths = []
    for route in _routes(app.routes):
        if "POST" in route.methods:
            path = route.path.replace("{item_id}", "1").replace("{username}", "bob")
            paths.append(path)
    return sorted(paths)


@pytest.mark.parametrize("path", PAGES)
def test_web_pages_redirect_anonymous_visitors_to_login(web_app: FastAPI, path: str) -> None:
    r = TestClient(web_app).get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=" + path.replace("/", "%2F")


@pytest.mark.parametrize("path", API_GETS)
def test_web_api_refuses_anonymous_requests_with_401(web_app: FastAPI, path: str) -> None:
    r = TestClient(web_app).get(path)
    assert (r.status_code, r.json()) == (401, {"detail": "sign in first"})


def test_web_every_post_route_needs_a_session(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    for path in _post_routes(web_app):
        if path in ("/login", "/api/login"):
            continue
        r = client.post(path, data={"csrf_token": "x"}, follow_redirects=False)
        if path.startswith("/api/"):
            assert r.status_code == 401, path
        else:
            assert (r.status_code, r.headers["location"].split("?")[0]) == (303, "/login"), path


def test_web_login_page_and_health_check_are_open(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    assert client.get("/healthz").json() == {"status": "ok"}
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="username">Username</label>' in page.text
    assert '<label for="password">Password</label>' in page.text


def test_web_login_next_is_kept_and_open_redirects_refused(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    page = client.get("/login?next=%2Fqueue%3Fstatus%3Dheld").text
    assert 'name="next" value="/queue?status=held"' in page
    token = form_token(page)
    for target, expected in (("//evil.example/x", "/"), ("https://evil.example", "/")):
        r = client.post(
            "/login",
            data={"username": "alice", "password": PASSWORD, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert (r.status_code, r.headers["location"]) == (303, expected)
        token = client.get("/api/session").json()["csrf_token"]


def test_web_login_with_a_wrong_password_is_refused(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    token = form_token(client.get("/login").text)
    r = client.post(
        "/login", data={"username": "alice", "password": "wrong pass", "csrf_token": token}
    )
    assert r.status_code == 401
    assert "Unknown user or wrong password: check both and try again." in r.text
    assert client.get("/api/session").status_code == 401


def test_web_login_form_without_csrf_token_is_refused(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    client.get("/login")
    r = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert r.status_code == 403
    assert "this form has no valid CSRF token" in r.text
    assert client.get("/api/session").status_code == 401


@pytest.mark.parametrize("role_user", ["alice", "lee"])
def test_web_coder_and_lead_cannot_reach_higher_pages(web_app: FastAPI, role_user: str) -> None:
    s = sign_in(web_app, role_user)
    forbidden_pages = (LEAD_PAGES + ADMIN_PAGES) if role_user == "alice" else ADMIN_PAGES
    forbidden_api = (LEAD_API + ADMIN_API) if role_user == "alice" else ADMIN_API
    for path in forbidden_pages:
        r = s.client.get(path)
        assert r.status_code == 403, path
        assert "Not allowed" in r.text
    for path in forbidden_api:
        assert s.client.get(path).status_code == 403, path
    allowed = [p for p in PAGES if p not in forbidden_pages]
    for path in allowed:
        assert s.client.get(path).status_code == 200, path


def test_web_admin_reaches_every_page(web_app: FastAPI) -> None:
    s = sign_in(web_app, "ada")
    for path in PAGES:
        assert s.client.get(path).status_code == 200, path
    for path in API_GETS:
        assert s.client.get(path).status_code == 200, path


def test_web_coder_cannot_post_to_admin_and_lead_routes(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    assert s.post("/users", {"username": "eve", "password": "long enough"}).status_code == 403
    assert s.post("/users/bob/active", {"active": "0"}).status_code == 403
    assert s.post("/items/1/unhold").status_code == 403
    assert s.api("POST", "/api/users", {"username": "eve", "password": "x" * 9}).status_code == 403


def test_web_every_post_route_refuses_a_missing_or_wrong_csrf_token(web_app: FastAPI) -> None:
    s = sign_in(web_app, "ada")
    paths = _post_routes(web_app)
    assert paths == ALL_POSTS
    for path in paths:
        if path == "/api/login":
            continue
        missing = s.client.post(path, data={"x": "1"}, follow_redirects=False)
        assert missing.status_code == 403, path
        wrong = s.client.post(path, data={"csrf_token": "wrong"}, follow_redirects=False)
        assert wrong.status_code == 403, path
        header = s.client.post(
            path, json={}, headers={"X-CSRF-Token": "wrong"}, follow_redirects=False
        )
        assert header.status_code == 403, path
    # Nothing happened: no user was added, no item claimed.
    assert [u.username for u in s.client.app.state.web.store.list_users()] == [  # type: ignore[attr-defined]
        "ada",
        "alice",
        "bob",
        "lee",
    ]


def test_web_api_login_takes_json_only(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    form = client.post("/api/login", data={"username": "alice", "password": PASSWORD})
    assert form.status_code == 422
    bad = client.post("/api/login", json={"username": "alice", "password": "nope nope"})
    assert (bad.status_code, bad.json()) == (
        401,
        {"detail": "unknown user or wrong password: check both"},
    )
    ok = client.post("/api/login", json={"username": "Alice", "password": PASSWORD})
    assert ok.status_code == 200
    body = ok.json()
    assert (body["username"], body["role"]) == ("alice", "coder")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", body["csrf_token"])
    assert client.get("/api/session").json() == body


def test_web_login_starts_a_new_session(web_app: FastAPI) -> None:
    client = TestClient(web_app)
    anonymous_token = form_token(client.get("/login").text)
    client.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "csrf_token": anonymous_token},
        follow_redirects=False,
    )
    token = client.get("/api/session").json()["csrf_token"]
    assert token != anonymous_token
    stale = client.post("/api/items/claim", headers={"X-CSRF-Token": anonymous_token})
    assert stale.status_code == 403


def test_web_logout_kills_the_cookie(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    cookie = s.client.cookies[SESSION_COOKIE]
    r = s.post("/logout")
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    replay = TestClient(web_app)
    replay.cookies.set(SESSION_COOKIE, cookie)
    assert replay.get("/api/session").status_code == 401
    assert s.client.get("/queue", follow_redirects=False).status_code == 303


def test_web_disabled_user_is_signed_out_at_once(web_app: FastAPI, web_store: ReviewStore) -> None:
    s = sign_in(web_app, "bob")
    assert s.client.get("/queue").status_code == 200
    web_store.set_active("bob", False)
    r = s.client.get("/queue", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login?next=%2Fqueue")


def test_web_role_change_takes_effect_at_once(web_app: FastAPI, web_store: ReviewStore) -> None:
    s = sign_in(web_app, "bob")
    assert s.client.get("/audit").status_code == 403
    web_store.set_role("bob", "lead")
    assert s.client.get("/audit").status_code == 200


def test_web_tampered_cookie_is_not_a_session(web_app: FastAPI) -> None:
    s = sign_in(web_app, "ada")
    cookie = s.client.cookies[SESSION_COOKIE]
    forged = TestClient(web_app)
    forged.cookies.set(SESSION_COOKIE, cookie[:-3] + ("AAA" if cookie[-3:] != "AAA" else "BBB"))
    assert forged.get("/api/session").status_code == 401


def test_web_responses_carry_security_headers(web_app: FastAPI) -> None:
    s = sign_in(web_app, "alice")
    r = s.client.get("/queue")
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    cookie = TestClient(web_app).post(
        "/api/login", json={"username": "alice", "password": PASSWORD}
    )
    set_cookie = cookie.headers["set-cookie"]
    assert set_cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie


def test_web_pages_use_no_outside_assets(web_app: FastAPI) -> None:
    s = sign_in(web_app, "ada")
    for path in PAGES:
        html = s.client.get(path).text
        assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == [], path
