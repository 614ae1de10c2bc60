"""What every route shares: the store, the templates, the auth dependencies, page helpers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from nlp import __version__
from nlp.review import (
    LeaseError,
    NotFoundError,
    PermissionDeniedError,
    ReviewError,
    ReviewStore,
    StateError,
    ValidationError,
)
from nlp.review.web.auth import (
    ADMIN_ROLES,
    LEAD_ROLES,
    CurrentUser,
    SessionRegistry,
    authorize,
    csrf_token,
)
from nlp.review.web.suggesting import SuggestService

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
FLASH_KEY = "flash"
WEB_CLIENT_APP = "spectcoder-web"


def status_of(exc: ReviewError) -> int:
    """The HTTP status of a store refusal."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, LeaseError | StateError):
        return 409
    if isinstance(exc, ValidationError):
        return 422
    if isinstance(exc, PermissionDeniedError):
        return 403
    return 400


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return value.isoformat()


_CODE_RE = re.compile(r"`([^`]+)`")
_STRONG_RE = re.compile(r"\*\*([^*]+)\*\*")


def _inline_markdown(value: str) -> Markup:
    """`code` and **bold** from our own docstrings, on escaped text (nothing else)."""
    html = str(escape(value))
    html = _CODE_RE.sub(r"<code>\1</code>", html)
    return Markup(_STRONG_RE.sub(r"<strong>\1</strong>", html))


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters["percent"] = _percent
    env.filters["when"] = _when
    env.filters["inline_md"] = _inline_markdown
    env.globals["version"] = __version__
    env.trim_blocks = True
    env.lstrip_blocks = True
    return templates


@dataclass
class WebContext:
    store: ReviewStore
    templates: Jinja2Templates
    suggest: SuggestService
    sessions: SessionRegistry
    lease_seconds: int

    @staticmethod
    def client(request: Request) -> dict[str, Any]:
        """What the audit row records about where an action came from."""
        return {
            "app": WEB_CLIENT_APP,
            "ip": request.client.host if request.client is not None else None,
        }

    @staticmethod
    def flash(request: Request, message: str, level: str = "info") -> None:
        messages = list(request.session.get(FLASH_KEY, []))
        messages.append([level, message])
        request.session[FLASH_KEY] = messages[-5:]

    @staticmethod
    def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        *,
        status_code: int = 200,
    ) -> HTMLResponse:
        user: CurrentUser | None = getattr(request.state, "user", None)
        flashes = request.session.pop(FLASH_KEY, []) if FLASH_KEY in request.session else []
        full = {
            "user": user,
            "csrf_token": csrf_token(request),
            "flashes": flashes,
            "path": request.url.path,
            **(context or {}),
        }
        return self.templates.TemplateResponse(request, name, full, status_code=status_code)


def web_context(request: Request) -> WebContext:
    web: WebContext = request.app.state.web
    return web


async def _any_user(request: Request) -> CurrentUser:
    web = web_context(request)
    return await authorize(request, web.store, web.sessions)


async def _lead(request: Request) -> CurrentUser:
    web = web_context(request)
    return await authorize(request, web.store, web.sessions, LEAD_ROLES)


async def _admin(request: Request) -> CurrentUser:
    web = web_context(request)
    return await authorize(request, web.store, web.sessions, ADMIN_ROLES)


# Route parameters: any signed-in user, leads and admins, admins only.
AnyUser = Annotated[CurrentUser, Depends(_any_user)]
LeadUser = Annotated[CurrentUser, Depends(_lead)]
AdminUser = Annotated[CurrentUser, Depends(_admin)]
