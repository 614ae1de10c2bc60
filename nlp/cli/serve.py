"""`spectcoder serve`: the review queue's web app (see `nlp.review.web`).

The web modules (FastAPI, uvicorn) are imported when the command runs, so the rest of
the command line starts without them.
"""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from nlp.cli.queue import Db, open_store, shown_url
from nlp.review.database import DB_ENV, resolve_url

WEB_CLIENT = {"app": "spectcoder-web"}
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: Db = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback unless you mean otherwise.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    reload: Annotated[
        bool, typer.Option("--reload/--no-reload", help="Restart when the code changes (dev).")
    ] = False,
    https_only: Annotated[
        bool,
        typer.Option(
            "--https-only/--no-https-only",
            help="Mark the session cookie Secure (when served behind TLS).",
        ),
    ] = False,
) -> None:
    """Serve the review web app: paste a report, work the queue, audit, metrics, users.

    Sign in with a user from 'spectcoder users add'. The session key comes from
    $SPECTCODER_SECRET_KEY (else a new one per start, which signs everyone out).

    Example: spectcoder serve --db var/spectcoder.db --port 8000
    """
    from nlp.review.web.app import HTTPS_ONLY_ENV, SECRET_ENV, create_app
    from nlp.review.web.server import is_loopback, run, url_of

    url = resolve_url(db)
    shown = shown_url(url)
    store = open_store(url, client=WEB_CLIENT)
    if not store.list_users():
        typer.echo(
            "warning: there are no users yet: add one with "
            "'spectcoder users add NAME --role admin'",
            err=True,
        )
    if not is_loopback(host):
        typer.echo(
            f"warning: listening on {host} makes the queue reachable from the network: "
            "put it behind TLS and use --https-only",
            err=True,
        )
    key = os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)
    typer.echo(f"spectcoder review on {url_of(host, port)} (database {shown}); Ctrl-C stops it")
    if reload:
        store.close()
        # The reloading child builds its own app from the environment.
        os.environ[DB_ENV] = url
        os.environ[SECRET_ENV] = key
        os.environ[HTTPS_ONLY_ENV] = "1" if https_only else "0"
        run("nlp.review.web.app:app_from_env", host, port, factory=True, reload=True)
        return
    try:
        run(create_app(store, secret_key=key, https_only=https_only, warm=True), host, port)
    finally:
        store.close()
