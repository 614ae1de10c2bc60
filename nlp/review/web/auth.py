"""Who is asking, and may they: signed session cookies, roles, CSRF tokens.

Design:

- The session lives in a cookie signed with the app's secret key (Starlette's
  `SessionMiddleware`, itsdangerous underneath). It holds the username, a random session
  id and the CSRF token, never a password or a role: the user's role and active flag are
  read from the store on every request, so disabling a user or changing a role takes
  effect at once.
- Signing in replaces the whole session (a new id and a new CSRF token: no fixation);
  signing out clears it and revokes its id in this process (`SessionRegistry`), so a
  copied cookie dies with the logout.
- Every POST (every method but GET/HEAD/OPTIONS) carries the session's CSRF token, as the
  form field `csrf_token` or the header `X-CSRF-Token`; a missing or wrong token is 403.
  The only exception is `POST /api/login`, which accepts JSON bodies only: a cross-site
  form cannot send `application/json`, and without CORS a script on another origin
  cannot either.
- Pages send a signed-out visitor to `/login?next=...`; API routes answer 401.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request
from starlette.datastructures import FormData

from nlp.review import NotFoundError, ReviewStore
from nlp.review.types import Role

SESSION_USER = "user"
SESSION_ID = "sid"
SESSION_CSRF = "csrf"
SESSION_STARTED = "started"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LEAD_ROLES: tuple[Role, ...] = ("lead", "admin")
ADMIN_ROLES: tuple[Role, ...] = ("admin",)


@dataclass(frozen=True)
class CurrentUser:
    username: str
    role: Role

    @property
    def is_lead(self) -> bool:
        return self.role in LEAD_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES


class NotAuthenticated(Exception):
    """No signed-in, active user: pages redirect to the login page, the API answers 401."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this (403)."""


class CsrfError(Exception):
    """A state-changing request without the session's CSRF token (403)."""


class SessionRegistry:
    """Session ids revoked by logout, kept until the cookie could have expired anyway."""

    def __init__(self, max_age: int) -> None:
        self.max_age = max_age
        self._revoked: dict[str, float] = {}
        self._lock = threading.Lock()

    def revoke(self, sid: str) -> None:
        now = time.time()
        with self._lock:
            self._revoked = {k: t for k, t in self._revoked.items() if t > now}
            self._revoked[sid] = now + self.max_age

    def is_revoked(self, sid: str) -> bool:
        with self._lock:
            expiry = self._revoked.get(sid)
        return expiry is not None and expiry > time.time()


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login page needs one too)."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


def start_session(request: Request, username: str) -> str:
    """Replace the session with a fresh one for `username`; the new CSRF token."""
    request.session.clear()
    request.session[SESSION_USER] = username
    request.session[SESSION_ID] = secrets.token_urlsafe(16)
    request.session[SESSION_STARTED] = int(time.time())
    return csrf_token(request)


def end_session(request: Request, registry: SessionRegistry) -> None:
    sid = request.session.get(SESSION_ID)
    if isinstance(sid, str):
        registry.revoke(sid)
    request.session.clear()


async def _submitted_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form: FormData = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request) -> None:
    """Raise `CsrfError` unless a state-changing request carries the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_CSRF)
    given = await _submitted_token(request)
    if not isinstance(expected, str) or not expected or given is None:
        raise CsrfError("this form has no valid CSRF token: reload the page and try again")
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise CsrfError("this form has no valid CSRF token: reload the page and try again")


def session_user(request: Request, store: ReviewStore, registry: SessionRegistry) -> CurrentUser:
    """The signed-in user, checked against the store (active, current role)."""
    username = request.session.get(SESSION_USER)
    sid = request.session.get(SESSION_ID)
    if not isinstance(username, str) or not isinstance(sid, str) or registry.is_revoked(sid):
        raise NotAuthenticated("sign in first")
    try:
        user = store.get_user(username)
    except NotFoundError:
        user = None
    if user is None or not user.active:
        request.session.clear()
        raise NotAuthenticated("your account is no longer active: ask an admin")
    return CurrentUser(username=user.username, role=user.role)


def login_redirect_target(request: Request) -> str:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return "/login?next=" + quote(target, safe="")


def safe_next(value: str | None) -> str:
    """A post-login destination on this site only (no open redirects)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def authorize(
    request: Request,
    store: ReviewStore,
    registry: SessionRegistry,
    roles: tuple[Role, ...] | None = None,
) -> CurrentUser:
    """The signed-in user, after checking the session (401 / login redirect), then for a
    state-changing method the CSRF token (403), then the role (403): an anonymous POST is
    told to sign in, not that its token is wrong."""
    user = session_user(request, store, registry)
    request.state.user = user
    await check_csrf(request)
    if roles is not None and user.role not in roles:
        raise Forbidden(f"this page is for {' and '.join(r + 's' for r in roles)} only")
    return user
