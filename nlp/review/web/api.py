"""The JSON API under /api: every action of the pages, for scripts and tests.

Authentication is the session cookie (from `POST /api/login` or the login page) plus the
`X-CSRF-Token` header on every POST; see `nlp.review.web.auth`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from nlp.review import AuditFilter, ItemFilter, Page, ValidationError
from nlp.review.types import Role
from nlp.review.web.auth import (
    CurrentUser,
    csrf_token,
    end_session,
    start_session,
)
from nlp.review.web.context import AdminUser, AnyUser, LeadUser, WebContext
from nlp.review.web.suggesting import MAX_TEXT_CHARS
from nlp.review.web.views import audit_json, item_json, metrics_json, user_json

Status = Literal["pending", "claimed", "done", "held"]
Kind = Literal["review", "audit", "error"]


# -- bodies and responses ----------------------------------------------------------------


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    username: str | None
    role: Role | None
    csrf_token: str


class SuggestIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="The report text.")
    dos: dt.date | None = Field(default=None, description="Date of service (YYYY-MM-DD), if known.")
    id: str | None = Field(default=None, max_length=200, description="An id for the record.")


class ClaimIn(BaseModel):
    route: str | None = Field(default=None, description="Only items of this scoring route.")
    kind: Kind | None = Field(default=None, description="Only review, audit or error items.")
    lease_seconds: int | None = Field(default=None, ge=1, le=24 * 3600)


class CorrectIn(BaseModel):
    codes: list[str] = Field(description="The right codes, primary first; [] for no code.")
    reason: str = Field(min_length=1, max_length=2000)
    review: bool | None = Field(default=None, description="Mark the report as a grey zone.")


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class UnholdIn(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    role: Role = "coder"


class RoleIn(BaseModel):
    role: Role


class ActiveIn(BaseModel):
    active: bool


class ItemOut(BaseModel):
    id: int
    report_id: str
    kind: str
    route: str
    status: str
    confidence: float | None
    dos: dt.date | None
    suggested_codes: list[str]
    model_version: str | None
    text_sha256: str
    claimed_by: str | None
    lease_expires_at: dt.datetime | None
    batch: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class AuditEntryOut(BaseModel):
    id: int
    item_id: int | None
    report_id: str | None
    actor: str
    action: str
    at: dt.datetime
    before_codes: list[str] | None
    after_codes: list[str] | None
    expected: dict[str, Any] | None
    reason: str | None
    model_version: str | None
    edits: list[dict[str, Any]] | None
    client: dict[str, Any] | None


class ItemDetailOut(ItemOut):
    text: str
    record: dict[str, Any]
    decision: AuditEntryOut | None = Field(description="The latest accept or correct.")


class ItemPageOut(BaseModel):
    items: list[ItemOut]
    total: int
    limit: int
    offset: int


class ClaimOut(BaseModel):
    item: ItemDetailOut | None = Field(description="The claimed item; null when none is free.")


class AuditPageOut(BaseModel):
    entries: list[AuditEntryOut]
    limit: int
    offset: int


class CoderMetricsOut(BaseModel):
    coder: str
    accepted: int
    corrected: int
    held: int
    decided: int
    active_seconds: float
    items_per_hour: float | None


class RouteMetricsOut(BaseModel):
    route: str
    accepted: int
    corrected: int
    held: int
    agreement: float | None


class ReasonCountOut(BaseModel):
    reason: str
    count: int


class MetricsOut(BaseModel):
    since: dt.datetime | None
    until: dt.datetime
    accepted: int
    corrected: int
    held: int
    decided: int
    agreement: float | None
    coders: list[CoderMetricsOut]
    routes: list[RouteMetricsOut]
    override_reasons: list[ReasonCountOut]
    backlog: dict[str, int]


class UserOut(BaseModel):
    id: int
    username: str
    role: Role
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def refuse_self(user: CurrentUser, username: str, what: str) -> None:
    """Admins cannot lock themselves out: another admin has to do it."""
    if username.strip().lower() == user.username:
        raise ValidationError(f"you cannot {what}: ask another admin")


# -- routes -------------------------------------------------------------------------------


def router(ctx: WebContext) -> APIRouter:
    r = APIRouter(prefix="/api")
    store = ctx.store

    def detail(item_id: int) -> dict[str, Any]:
        item = store.get_item(item_id)
        d = item_json(item, detail=True)
        decision = store.final_decision(item)
        d["decision"] = audit_json(decision) if decision is not None else None
        return d

    @r.post("/login", response_model=SessionOut, tags=["session"])
    def login(request: Request, body: LoginIn) -> Any:
        """Sign in; sets the session cookie and returns the CSRF token for later POSTs.

        Takes a JSON body only (that is its CSRF defence: see the description above)."""
        user = store.verify_password(body.username, body.password)
        if user is None:
            return JSONResponse(
                {"detail": "unknown user or wrong password: check both"}, status_code=401
            )
        token = start_session(request, user.username)
        return {"username": user.username, "role": user.role, "csrf_token": token}

    @r.get("/session", response_model=SessionOut, tags=["session"])
    def session(request: Request, user: AnyUser) -> Any:
        """Who is signed in, and the CSRF token to send as `X-CSRF-Token`."""
        return {"username": user.username, "role": user.role, "csrf_token": csrf_token(request)}

    @r.post("/logout", status_code=204, tags=["session"])
    def logout(request: Request, user: AnyUser) -> None:
        """End the session (its cookie stops working at once)."""
        end_session(request, ctx.sessions)

    @r.post("/suggest", tags=["suggest"])
    def suggest(request: Request, user: AnyUser, body: SuggestIn) -> dict[str, Any]:
        """Score one report: the scoring record (codes, confidence, candidates, evidence
        with character offsets into `text`, rule steps, edits). Nothing is stored."""
        report_id = body.id or ctx.suggest.next_id()
        return ctx.suggest(body.text, body.dos, report_id)

    @r.get("/queue", response_model=ItemPageOut, tags=["queue"])
    def queue(
        user: AnyUser,
        status: Status | None = None,
        kind: Kind | None = None,
        route: str | None = None,
        batch: str | None = None,
        coder: Annotated[str | None, Query(description="Items this user holds.")] = None,
        report_id: str | None = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        dos_from: dt.date | None = None,
        dos_to: dt.date | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Any:
        """Queue items in priority order (lowest confidence first), without report text."""
        found = store.list_items(
            ItemFilter(
                status=status,
                kind=kind,
                route=route,
                batch=batch,
                claimed_by=coder,
                report_id=report_id,
                min_confidence=min_confidence,
                max_confidence=max_confidence,
                dos_from=dos_from,
                dos_to=dos_to,
            ),
            Page(limit=limit, offset=offset),
        )
        return {
            "items": [item_json(i) for i in found.items],
            "total": found.total,
            "limit": limit,
            "offset": offset,
        }

    @r.post("/items/claim", response_model=ClaimOut, tags=["items"])
    def claim(request: Request, user: AnyUser, body: ClaimIn | None = None) -> Any:
        """Lease the next item by priority (or the one you already hold)."""
        body = body or ClaimIn()
        filters = ItemFilter(route=body.route, kind=body.kind) if body.route or body.kind else None
        item = store.claim(
            user.username,
            lease_seconds=body.lease_seconds or ctx.lease_seconds,
            filters=filters,
            client=ctx.client(request),
        )
        return {"item": detail(item.id) if item is not None else None}

    @r.get("/items/{item_id}", response_model=ItemDetailOut, tags=["items"])
    def get_item(user: AnyUser, item_id: int) -> Any:
        """One item with its report text, scoring record and final decision."""
        return detail(item_id)

    @r.post("/items/{item_id}/accept", response_model=ItemDetailOut, tags=["items"])
    def accept(request: Request, user: AnyUser, item_id: int) -> Any:
        """Accept the suggested codes (you must hold the item's lease)."""
        store.accept(item_id, user.username, client=ctx.client(request))
        return detail(item_id)

    @r.post("/items/{item_id}/correct", response_model=ItemDetailOut, tags=["items"])
    def correct(request: Request, user: AnyUser, item_id: int, body: CorrectIn) -> Any:
        """Replace the suggestion with the right codes, saying why."""
        store.correct(
            item_id,
            user.username,
            body.codes,
            body.reason,
            review=body.review,
            client=ctx.client(request),
        )
        return detail(item_id)

    @r.post("/items/{item_id}/hold", response_model=ItemDetailOut, tags=["items"])
    def hold(request: Request, user: AnyUser, item_id: int, body: ReasonIn) -> Any:
        """Set the item aside for a lead, saying why."""
        store.hold(item_id, user.username, body.reason, client=ctx.client(request))
        return detail(item_id)

    @r.post("/items/{item_id}/release", response_model=ItemDetailOut, tags=["items"])
    def release(request: Request, user: AnyUser, item_id: int) -> Any:
        """Give the item back to the queue undecided."""
        store.release(item_id, user.username, client=ctx.client(request))
        return detail(item_id)

    @r.post("/items/{item_id}/renew", response_model=ItemDetailOut, tags=["items"])
    def renew(request: Request, user: AnyUser, item_id: int) -> Any:
        """Extend your live lease on the item."""
        store.renew(
            item_id, user.username, lease_seconds=ctx.lease_seconds, client=ctx.client(request)
        )
        return detail(item_id)

    @r.post("/items/{item_id}/unhold", response_model=ItemDetailOut, tags=["items"])
    def unhold(
        request: Request,
        user: LeadUser,
        item_id: int,
        body: Annotated[UnholdIn | None, Body()] = None,
    ) -> Any:
        """Put a held item back in the queue (leads and admins)."""
        reason = body.reason if body is not None else None
        store.unhold(item_id, user.username, reason=reason, client=ctx.client(request))
        return detail(item_id)

    @r.get("/audit", response_model=AuditPageOut, tags=["audit"])
    def audit(
        user: LeadUser,
        item_id: int | None = None,
        report_id: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Any:
        """Audit rows, oldest first (leads and admins)."""
        entries = store.audit(
            AuditFilter(
                item_id=item_id,
                report_id=report_id,
                actor=actor.strip().lower() if actor else None,
                actions=(action,) if action else None,
                since=_aware(since),
                until=_aware(until),
            ),
            Page(limit=limit, offset=offset),
        )
        return {"entries": [audit_json(e) for e in entries], "limit": limit, "offset": offset}

    @r.get("/metrics", response_model=MetricsOut, tags=["audit"])
    def metrics(
        user: LeadUser, since: dt.datetime | None = None, until: dt.datetime | None = None
    ) -> Any:
        """Throughput per coder, agreement with the suggestions, override reasons, backlog."""
        return metrics_json(store.metrics(_aware(since), _aware(until)))

    @r.get("/users", response_model=list[UserOut], tags=["users"])
    def users(user: AdminUser) -> Any:
        """Everyone who can sign in (admins)."""
        return [user_json(u) for u in store.list_users()]

    @r.post("/users", response_model=UserOut, status_code=201, tags=["users"])
    def add_user(request: Request, user: AdminUser, body: UserIn) -> Any:
        """Add a user (admins)."""
        added = store.add_user(
            body.username,
            body.password,
            body.role,
            actor=user.username,
            client=ctx.client(request),
        )
        return user_json(added)

    @r.post("/users/{username}/role", response_model=UserOut, tags=["users"])
    def set_role(request: Request, user: AdminUser, username: str, body: RoleIn) -> Any:
        """Change a user's role (admins; not your own)."""
        refuse_self(user, username, "change your own role")
        changed = store.set_role(
            username, body.role, actor=user.username, client=ctx.client(request)
        )
        return user_json(changed)

    @r.post("/users/{username}/active", response_model=UserOut, tags=["users"])
    def set_active(request: Request, user: AdminUser, username: str, body: ActiveIn) -> Any:
        """Enable or disable a user (admins; not yourself)."""
        refuse_self(user, username, "disable or enable yourself")
        changed = store.set_active(
            username, body.active, actor=user.username, client=ctx.client(request)
        )
        return user_json(changed)

    @r.get("/openapi.json", include_in_schema=False)
    def openapi(request: Request, user: AnyUser) -> Any:
        """The OpenAPI description of this API (behind login, like everything else)."""
        return request.app.openapi()

    return r
