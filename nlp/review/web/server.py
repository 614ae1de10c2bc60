"""Running the app under uvicorn with logging that never shows a report."""

from __future__ import annotations

import ipaddress
from typing import Any

from fastapi import FastAPI

from nlp.review.web.logs import uvicorn_log_config

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1"
    return f"http://{shown}:{port}/"


def uvicorn_options(log_level: str = "info") -> dict[str, Any]:
    """uvicorn.run keywords shared by `spectcoder serve`, the demo and the tests."""
    return {
        "access_log": False,
        "log_config": uvicorn_log_config(log_level),
        "server_header": False,
        "proxy_headers": False,
    }


def run(app: FastAPI | str, host: str, port: int, **kwargs: Any) -> None:
    """Serve until Ctrl-C. `app` may be an import string (with factory=True) for reload."""
    import uvicorn

    options = {**uvicorn_options(), **kwargs}
    uvicorn.run(app, host=host, port=port, **options)
