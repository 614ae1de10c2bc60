"""The review queue in a browser: paste a report, work the queue, audit, metrics, users.

    from nlp.review import ReviewStore
    from nlp.review.web import create_app
    app = create_app(ReviewStore.open("var/spectcoder.db"), secret_key="...")

Every page and API route needs a signed-in user (except `/login` and `/healthz`); every
state-changing request carries the session's CSRF token. Report text is never logged.
"""

from __future__ import annotations

from nlp.review.web.app import create_app

__all__ = ["create_app"]
