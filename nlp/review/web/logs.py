"""Request logging that cannot leak a report: method, path, status and time, nothing more.

uvicorn's own access log prints the query string and its error log prints exception
messages, either of which could quote a report. The server runs with uvicorn's access log
off and this middleware in its place; an exception escaping the app is logged by type
and traceback frames only, and answered with a plain 500.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("nlp.review.web.access")
error_log = logging.getLogger("nlp.review.web.error")

_PLAIN_500 = b"Internal Server Error: the failure is logged by type; tell an admin the time."


class AccessLogMiddleware:
    """Log `METHOD /path STATUS ms` per request (never the query or the body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 500
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            # The message is left out on purpose: exceptions may quote their input.
            error_log.error(
                "unhandled %s in %s %s\n%s",
                type(exc).__name__,
                scope.get("method"),
                scope.get("path"),
                frames,
            )
            status = 500
            if not started:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": _PLAIN_500})
        finally:
            access_log.info(
                "%s %s %d %.0fms",
                scope.get("method"),
                scope.get("path"),
                status,
                (time.perf_counter() - t0) * 1000,
            )


def uvicorn_log_config(level: str = "info") -> dict[str, Any]:
    """A `logging.dictConfig` for uvicorn: our access lines, uvicorn's startup lines, no
    uvicorn access log (run uvicorn with `access_log=False` as well)."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {
                "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
                "datefmt": "%Y-%m-%dT%H:%M:%S",
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "nlp": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }
