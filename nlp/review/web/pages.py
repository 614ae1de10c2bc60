"""The HTML pages: login, paste a report, queue, item, audit, metrics, users, API docs.

Every form POSTs with the session's CSRF token and answers with a redirect (so a reload
never repeats an action), except the paste form, which only computes and renders.
Query-string filters are read leniently: a blank or malformed field is ignored and said
so, never a 422 page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nlp.review import (
    AuditFilter,
    Item,
    ItemFilter,
    Page,
    ReviewError,
    ValidationError,
)
from nlp.review.tables import ITEM_KINDS, ITEM_STATUSES, ROLES
from nlp.review.types import Action, Role
from nlp.review.web.api import refuse_self
from nlp.review.web.auth import (
    CurrentUser,
    NotAuthenticated,
    check_csrf,
    end_session,
    safe_next,
    session_user,
    start_session,
)
from nlp.review.web.context import AdminUser, AnyUser, LeadUser, WebContext
from nlp.review.web.suggesting import MAX_TEXT_CHARS
from nlp.review.web.views import parse_codes, suggestion_view

ROUTES = ("review", "auto", "error")
AUDIT_ACTIONS: tuple[str, ...] = get_args(Action)
PAGE_SIZES = (25, 50, 100)
AUDIT_PAGE = 50
METRIC_WINDOWS = (("1", "Last 24 hours"), ("7", "Last 7 days"), ("30", "Last 30 days"))
# Reasons offered as suggestions in the correction form (free text is always allowed).
COMMON_REASONS = (
    "CT was used for localization",
    "CT was for attenuation correction only",
    "Two or more areas were imaged",
    "SPECT was acquired on more than one day",
    "Quantification was not performed",
    "Study was not performed as described",
)


@dataclass
class Filters:
    """Query-string filters as typed values, the raw strings to refill the form, and
    one sentence per field that could not be read."""

    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def text(self, params: Any, name: str, allowed: tuple[str, ...] | None = None) -> None:
        value = (params.get(name) or "").strip()
        self.raw[name] = value
        if not value:
            return
        if allowed is not None and value not in allowed:
            self.problems.append(f"{name} must be one of {', '.join(allowed)}")
            return
        self.values[name] = value

    def number(self, params: Any, name: str, lo: float, hi: float) -> None:
        value = (params.get(name) or "").strip()
        self.raw[name] = value
        if not value:
            return
        try:
            number = float(value)
        except ValueError:
            self.problems.append(f"{name.replace('_', ' ')} must be a number")
            return
        if not lo <= number <= hi:
            self.problems.append(f"{name.replace('_', ' ')} must be from {lo:g} to {hi:g}")
            return
        self.values[name] = number

    def integer(self, params: Any, name: str, lo: int = 0) -> None:
        value = (params.get(name) or "").strip()
        self.raw[name] = value
        if not value:
            return
        if not value.isdigit() or int(value) < lo:
            self.problems.append(f"{name.replace('_', ' ')} must be a whole number")
            return
        self.values[name] = int(value)

    def date(self, params: Any, name: str) -> None:
        value = (params.get(name) or "").strip()
        self.raw[name] = value
        if not value:
            return
        try:
            self.values[name] = dt.date.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{name.replace('_', ' ')} must be a date (YYYY-MM-DD)")

    def query(self, **extra: Any) -> str:
        """The filters as a query string (for paging links), plus `extra`."""
        pairs = {k: v for k, v in self.raw.items() if v}
        pairs.update({k: str(v) for k, v in extra.items()})
        return urlencode(pairs)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def router(ctx: WebContext) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    store = ctx.store

    # -- sign in and out -------------------------------------------------------------------

    @r.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @r.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str | None = None) -> Response:
        try:
            session_user(request, store, ctx.sessions)
        except NotAuthenticated:
            return ctx.render(request, "login.html", {"next": safe_next(next), "error": None})
        return ctx.redirect(safe_next(next))

    @r.post("/login", response_class=HTMLResponse)
    async def login(
        request: Request,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/",
    ) -> Response:
        await check_csrf(request)
        user = store.verify_password(username, password) if username and password else None
        if user is None:
            return ctx.render(
                request,
                "login.html",
                {
                    "next": safe_next(next),
                    "error": "Unknown user or wrong password: check both and try again.",
                    "username": username,
                },
                status_code=401,
            )
        start_session(request, user.username)
        return ctx.redirect(safe_next(next))

    @r.post("/logout")
    def logout(request: Request, user: AnyUser) -> RedirectResponse:
        end_session(request, ctx.sessions)
        ctx.flash(request, "You are signed out.")
        return ctx.redirect("/login")

    @r.get("/")
    def home(user: AnyUser) -> RedirectResponse:
        return ctx.redirect("/queue")

    # -- paste a report ----------------------------------------------------------------

    @r.get("/paste", response_class=HTMLResponse)
    def paste_page(request: Request, user: AnyUser) -> Response:
        return ctx.render(request, "paste.html", {"text": "", "dos": "", "view": None})

    @r.post("/paste", response_class=HTMLResponse)
    def paste(
        request: Request,
        user: AnyUser,
        text: Annotated[str, Form()] = "",
        dos: Annotated[str, Form()] = "",
    ) -> Response:
        error = None
        day: dt.date | None = None
        if dos.strip():
            try:
                day = dt.date.fromisoformat(dos.strip())
            except ValueError:
                error = "The date of service must be a date (YYYY-MM-DD)."
        if not text.strip():
            error = "Paste the text of a report first."
        elif len(text) > MAX_TEXT_CHARS:
            error = f"A report can be at most {MAX_TEXT_CHARS:,} characters long."
        if error is not None:
            return ctx.render(
                request,
                "paste.html",
                {"text": text, "dos": dos, "view": None, "error": error},
                status_code=422,
            )
        record = ctx.suggest(text, day, ctx.suggest.next_id())
        return ctx.render(
            request,
            "paste.html",
            {"text": text, "dos": dos, "view": suggestion_view(record, text), "record": record},
        )

    # -- the queue ---------------------------------------------------------------------

    @r.get("/queue", response_class=HTMLResponse)
    def queue_page(request: Request, user: AnyUser) -> Response:
        params = request.query_params
        f = Filters()
        f.text(params, "status", ITEM_STATUSES)
        f.text(params, "route", ROUTES)
        f.text(params, "kind", ITEM_KINDS)
        f.text(params, "coder")
        f.number(params, "min_confidence", 0, 1)
        f.number(params, "max_confidence", 0, 1)
        f.date(params, "dos_from")
        f.date(params, "dos_to")
        size = int(params["size"]) if params.get("size", "") in {str(s) for s in PAGE_SIZES} else 50
        page_no = int(params["page"]) if params.get("page", "").isdigit() else 1
        page_no = max(page_no, 1)
        v = f.values
        found = store.list_items(
            ItemFilter(
                status=v.get("status"),
                route=v.get("route"),
                kind=v.get("kind"),
                claimed_by=v["coder"].lower() if "coder" in v else None,
                min_confidence=v.get("min_confidence"),
                max_confidence=v.get("max_confidence"),
                dos_from=v.get("dos_from"),
                dos_to=v.get("dos_to"),
            ),
            Page(limit=size, offset=(page_no - 1) * size),
        )
        pages = max(1, -(-found.total // size))
        return ctx.render(
            request,
            "queue.html",
            {
                "found": found,
                "filters": f,
                "statuses": ITEM_STATUSES,
                "routes": ROUTES,
                "kinds": ITEM_KINDS,
                "size": size,
                "sizes": PAGE_SIZES,
                "page_no": page_no,
                "pages": pages,
                "prev_query": f.query(page=page_no - 1, size=size) if page_no > 1 else None,
                "next_query": f.query(page=page_no + 1, size=size) if page_no < pages else None,
            },
        )

    @r.post("/queue/claim")
    def claim(
        request: Request,
        user: AnyUser,
        kind: Annotated[str, Form()] = "",
        route: Annotated[str, Form()] = "",
    ) -> RedirectResponse:
        filters = None
        if kind in ITEM_KINDS or route in ROUTES:
            filters = ItemFilter(
                kind=kind if kind in ITEM_KINDS else None,  # type: ignore[arg-type]
                route=route if route in ROUTES else None,
            )
        item = store.claim(
            user.username,
            lease_seconds=ctx.lease_seconds,
            filters=filters,
            client=ctx.client(request),
        )
        if item is None:
            ctx.flash(request, "Nothing left to claim: the queue is empty.", "info")
            return ctx.redirect("/queue")
        return ctx.redirect(f"/items/{item.id}")

    # -- one item ----------------------------------------------------------------------

    def item_page(
        request: Request,
        user: CurrentUser,
        item: Item,
        *,
        form: dict[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        now = dt.datetime.now(dt.UTC)
        mine = (
            item.status == "claimed"
            and item.claimed_by == user.username
            and item.lease_expires_at is not None
            and item.lease_expires_at > now
        )
        history = store.audit(AuditFilter(item_id=item.id)) if user.is_lead else []
        return ctx.render(
            request,
            "item.html",
            {
                "item": item,
                "view": suggestion_view(item.record, item.text),
                "mine": mine,
                "decision": store.final_decision(item),
                "history": history,
                "form": form or {},
                "error": error,
                "reasons": COMMON_REASONS,
            },
            status_code=status_code,
        )

    @r.get("/items/{item_id}", response_class=HTMLResponse)
    def item_view(request: Request, user: AnyUser, item_id: int) -> Response:
        return item_page(request, user, store.get_item(item_id))

    def act(
        request: Request,
        user: CurrentUser,
        item_id: int,
        done: str,
        action: Any,
        *,
        form: dict[str, str] | None = None,
        level: str = "success",
    ) -> Response:
        """Run `action` on the item, then go back to it with `done` flashed at `level`, or
        with the review error flashed. With `form` (what the posted form held), a
        ValidationError re-renders the item page with the form and the error, status 422,
        so that what was typed can be fixed."""
        try:
            action()
        except ReviewError as exc:
            if form is not None and isinstance(exc, ValidationError):
                item = store.get_item(item_id)
                return item_page(request, user, item, form=form, error=str(exc), status_code=422)
            ctx.flash(request, str(exc), "error")
        else:
            ctx.flash(request, done, level)
        return ctx.redirect(f"/items/{item_id}")

    @r.post("/items/{item_id}/accept")
    def accept(request: Request, user: AnyUser, item_id: int) -> Response:
        return act(
            request,
            user,
            item_id,
            f"Item {item_id} accepted. Press n for the next one.",
            lambda: store.accept(item_id, user.username, client=ctx.client(request)),
        )

    @r.post("/items/{item_id}/correct", response_class=HTMLResponse)
    def correct(
        request: Request,
        user: AnyUser,
        item_id: int,
        codes: Annotated[str, Form()] = "",
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        picked = parse_codes(codes)
        return act(
            request,
            user,
            item_id,
            f"Item {item_id} corrected to {' '.join(picked) or 'no code'}. "
            "Press n for the next one.",
            lambda: store.correct(
                item_id, user.username, picked, reason, client=ctx.client(request)
            ),
            form={"codes": codes, "reason": reason, "open": "correct"},
            level="info",
        )

    @r.post("/items/{item_id}/hold", response_class=HTMLResponse)
    def hold(
        request: Request,
        user: AnyUser,
        item_id: int,
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        return act(
            request,
            user,
            item_id,
            f"Item {item_id} is on hold for a lead. Press n for the next one.",
            lambda: store.hold(item_id, user.username, reason, client=ctx.client(request)),
            form={"hold_reason": reason, "open": "hold"},
            level="info",
        )

    @r.post("/items/{item_id}/release")
    def release(request: Request, user: AnyUser, item_id: int) -> Response:
        return act(
            request,
            user,
            item_id,
            f"Item {item_id} is back in the queue.",
            lambda: store.release(item_id, user.username, client=ctx.client(request)),
        )

    @r.post("/items/{item_id}/renew")
    def renew(request: Request, user: AnyUser, item_id: int) -> Response:
        return act(
            request,
            user,
            item_id,
            f"Your lease on item {item_id} is renewed.",
            lambda: store.renew(
                item_id,
                user.username,
                lease_seconds=ctx.lease_seconds,
                client=ctx.client(request),
            ),
        )

    @r.post("/items/{item_id}/unhold")
    def unhold(
        request: Request,
        user: LeadUser,
        item_id: int,
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        return act(
            request,
            user,
            item_id,
            f"Item {item_id} is back in the queue.",
            lambda: store.unhold(
                item_id, user.username, reason=reason.strip() or None, client=ctx.client(request)
            ),
        )

    # -- audit, metrics ------------------------------------------------------------------

    @r.get("/audit", response_class=HTMLResponse)
    def audit_page(request: Request, user: LeadUser) -> Response:
        params = request.query_params
        f = Filters()
        f.integer(params, "item", lo=1)
        f.text(params, "actor")
        f.text(params, "action", AUDIT_ACTIONS)
        f.date(params, "date_from")
        f.date(params, "date_to")
        page_no = max(int(params["page"]) if params.get("page", "").isdigit() else 1, 1)
        v = f.values
        rows = store.audit(
            AuditFilter(
                item_id=v.get("item"),
                actor=v["actor"].lower() if "actor" in v else None,
                actions=(v["action"],) if "action" in v else None,
                since=_day_start(v["date_from"]) if "date_from" in v else None,
                until=_day_start(v["date_to"] + dt.timedelta(days=1)) if "date_to" in v else None,
            ),
            Page(limit=AUDIT_PAGE + 1, offset=(page_no - 1) * AUDIT_PAGE),
        )
        more = len(rows) > AUDIT_PAGE
        return ctx.render(
            request,
            "audit.html",
            {
                "rows": rows[:AUDIT_PAGE],
                "filters": f,
                "actions": AUDIT_ACTIONS,
                "page_no": page_no,
                "prev_query": f.query(page=page_no - 1) if page_no > 1 else None,
                "next_query": f.query(page=page_no + 1) if more else None,
            },
        )

    @r.get("/metrics", response_class=HTMLResponse)
    def metrics_page(request: Request, user: LeadUser, days: str = "7") -> Response:
        windows = dict(METRIC_WINDOWS)
        chosen = days if days in windows or days == "all" else "7"
        since = (
            None if chosen == "all" else dt.datetime.now(dt.UTC) - dt.timedelta(days=int(chosen))
        )
        return ctx.render(
            request,
            "metrics.html",
            {"m": store.metrics(since), "days": chosen, "windows": METRIC_WINDOWS},
        )

    # -- users -------------------------------------------------------------------------

    @r.get("/users", response_class=HTMLResponse)
    def users_page(request: Request, user: AdminUser) -> Response:
        return ctx.render(request, "users.html", {"users": store.list_users(), "roles": ROLES})

    def user_action(request: Request, done: str, action: Any) -> RedirectResponse:
        try:
            action()
        except ReviewError as exc:
            ctx.flash(request, str(exc), "error")
        else:
            ctx.flash(request, done, "success")
        return ctx.redirect("/users")

    @r.post("/users")
    def add_user(
        request: Request,
        user: AdminUser,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "coder",
    ) -> Response:
        return user_action(
            request,
            f"Added {username.strip().lower()} as {role}.",
            lambda: store.add_user(
                username,
                password,
                _role(role),
                actor=user.username,
                client=ctx.client(request),
            ),
        )

    @r.post("/users/{username}/role")
    def set_role(
        request: Request, user: AdminUser, username: str, role: Annotated[str, Form()] = ""
    ) -> Response:
        def change() -> None:
            refuse_self(user, username, "change your own role")
            store.set_role(username, _role(role), actor=user.username, client=ctx.client(request))

        return user_action(request, f"{username} is now a {role}.", change)

    @r.post("/users/{username}/active")
    def set_active(
        request: Request, user: AdminUser, username: str, active: Annotated[str, Form()] = ""
    ) -> Response:
        on = active == "1"

        def change() -> None:
            refuse_self(user, username, "disable or enable yourself")
            store.set_active(username, on, actor=user.username, client=ctx.client(request))

        return user_action(request, f"{username} is {'enabled' if on else 'disabled'}.", change)

    # -- API docs ----------------------------------------------------------------------

    @r.get("/docs", response_class=HTMLResponse)
    def docs(request: Request, user: AnyUser) -> Response:
        spec = request.app.openapi()
        return ctx.render(request, "docs.html", {"spec": spec, "ops": _operations(spec)})

    return r


def _role(value: str) -> Role:
    if value not in ROLES:
        raise ValidationError(f"a role is one of {', '.join(ROLES)}, not {value!r}")
    return value  # type: ignore[return-value]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    tag: str
    params: tuple[tuple[str, str, bool, str], ...]
    body: str | None
    response: str | None


def _schema_name(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        inner = _schema_name(schema.get("items"))
        return f"list of {inner}" if inner else "list"
    if "anyOf" in schema:
        names = [n for n in (_schema_name(s) for s in schema["anyOf"]) if n]
        return " or ".join(names) or None
    t = schema.get("type")
    return str(t) if t else None


def _operations(spec: dict[str, Any]) -> list[Operation]:
    """The spec's operations in path order, flattened for the docs page."""
    out: list[Operation] = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = tuple(
                (
                    p.get("name", ""),
                    p.get("in", ""),
                    bool(p.get("required")),
                    _schema_name(p.get("schema")) or "",
                )
                for p in op.get("parameters", [])
            )
            content = op.get("requestBody", {}).get("content", {})
            body = _schema_name(content.get("application/json", {}).get("schema"))
            responses: dict[str, Any] = op.get("responses", {})
            ok: dict[str, Any] = next((v for k, v in responses.items() if k.startswith("2")), {})
            response = _schema_name(ok.get("content", {}).get("application/json", {}).get("schema"))
            doc = op.get("description", "")
            out.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=doc,
                    tag=(op.get("tags") or ["other"])[0],
                    params=params,
                    body=body,
                    response=response,
                )
            )
    return out
