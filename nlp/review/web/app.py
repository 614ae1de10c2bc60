"""`create_app`: the FastAPI application over one `ReviewStore`.

Middleware, outermost first: request logging (`logs.AccessLogMiddleware`), security
headers (a strict Content-Security-Policy: our own scripts and styles only), the signed
session cookie. Routes: `pages` (HTML) and `api` (JSON under /api, documented at /docs).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nlp import __version__
from nlp.review import DEFAULT_LEASE_SECONDS, ReviewError, ReviewStore
from nlp.review.web import api, pages
from nlp.review.web.auth import (
    CsrfError,
    Forbidden,
    NotAuthenticated,
    SessionRegistry,
    is_api,
    login_redirect_target,
)
from nlp.review.web.context import STATIC_DIR, WebContext, make_templates, status_of
from nlp.review.web.logs import AccessLogMiddleware
from nlp.review.web.suggesting import Suggester, SuggestService, SuggestUnavailable

SECRET_ENV = "SPECTCODER_SECRET_KEY"
HTTPS_ONLY_ENV = "SPECTCODER_HTTPS_ONLY"
SESSION_COOKIE = "spectcoder_session"
DEFAULT_SESSION_SECONDS = 8 * 3600

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

API_DESCRIPTION = """\
The review queue and the suggestion engine as JSON.

**Authentication.** Sign in with `POST /api/login` (a JSON body `{"username", "password"}`)
or the login page: both set the signed session cookie `spectcoder_session`. The response
(and `GET /api/session`) carries `csrf_token`: send it as the `X-CSRF-Token` header on
every POST. Without a session the API answers 401; with the wrong role, 403; without the
CSRF token, 403.

**Errors.** `{"detail": "one plain sentence"}`; 404 no such item, 409 the lease or the
item's state does not allow the action, 422 malformed input, 503 the suggestion engine
is not available.
"""


class SecurityHeadersMiddleware:
    """CSP and friends on every response; pages (which may show reports) are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)


def create_app(
    store: ReviewStore,
    *,
    secret_key: str | None = None,
    suggester: Suggester | None = None,
    session_max_age: int = DEFAULT_SESSION_SECONDS,
    https_only: bool = False,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
    warm: bool = False,
) -> FastAPI:
    """The web app over `store` (any backend the store supports).

    `secret_key` signs the session cookie; None takes $SPECTCODER_SECRET_KEY, else a random
    key (sessions then end when the process does). `suggester` scores pasted reports
    (default: `nlp.suggest`). `https_only` marks the cookie Secure (set it behind TLS).
    `warm` loads the suggestion engine in the background at startup, so the first pasted
    report does not wait for the pipeline to build.
    """
    key = secret_key or os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)
    sessions = SessionRegistry(session_max_age)
    ctx = WebContext(
        store=store,
        templates=make_templates(),
        suggest=SuggestService(suggester),
        sessions=sessions,
        lease_seconds=lease_seconds,
    )
    service = ctx.suggest

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=service.warm, name="suggest-warm", daemon=True).start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="spectcoder review",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.web = ctx
    app.include_router(api.router(ctx))
    app.include_router(pages.router(ctx))
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    _add_error_handlers(app, ctx)

    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=SESSION_COOKIE,
        max_age=session_max_age,
        same_site="lax",
        https_only=https_only,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessLogMiddleware)
    return app


def _add_error_handlers(app: FastAPI, ctx: WebContext) -> None:
    def page_error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
        return ctx.render(
            request, "error.html", {"title": title, "message": message}, status_code=status
        )

    async def not_authenticated(request: Request, exc: Exception) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=401)
        return RedirectResponse(login_redirect_target(request), status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return page_error(request, 403, "Not allowed", str(exc))

    async def unavailable(request: Request, exc: Exception) -> Response:
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=503)
        return page_error(request, 503, "Suggestions unavailable", str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if is_api(request) or request.url.path.startswith("/static/"):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        titles = {404: "Not found", 405: "Method not allowed"}
        return page_error(
            request, exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail)
        )

    async def review_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ReviewError)
        status = status_of(exc)
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return page_error(request, status, "Cannot do that", str(exc))

    handlers: dict[Any, Any] = {
        ReviewError: review_error,
        NotAuthenticated: not_authenticated,
        Forbidden: forbidden,
        CsrfError: forbidden,
        SuggestUnavailable: unavailable,
        StarletteHTTPException: http_error,
    }
    for exc_class, handler in handlers.items():
        app.add_exception_handler(exc_class, handler)


def app_from_env() -> FastAPI:
    """The app `spectcoder serve --reload` runs: the store at $SPECTCODER_DB and the key at
    $SPECTCODER_SECRET_KEY (the serve command sets both for the reloading child)."""
    return create_app(
        ReviewStore.open(),
        secret_key=os.environ.get(SECRET_ENV),
        https_only=os.environ.get(HTTPS_ONLY_ENV) == "1",
        warm=True,
    )
