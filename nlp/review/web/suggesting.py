"""The paste page's link to `nlp.suggest`: one scoring record per pasted report.

`nlp.suggest` is imported on first use, so the queue pages keep working while it is
missing or broken; the paste page then says so. Calls are serialised with a lock: the
spaCy pipeline behind it is not documented as thread-safe, and scoring is CPU-bound under
the GIL anyway, so the lock costs no throughput.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

# (text, date of service, record id) -> scoring record (see `nlp.suggest`'s to_record).
Suggester = Callable[[str, dt.date | None, str], Mapping[str, Any]]

MAX_TEXT_CHARS = 200_000


class SuggestUnavailable(RuntimeError):
    """The suggestion engine cannot be loaded; the message says what to do."""


def engine_suggester(text: str, dos: dt.date | None, report_id: str) -> Mapping[str, Any]:
    """The real thing: `nlp.suggest.suggest(text, dos).to_record(id=report_id)`.

    The engine imports its model code on first use, so an ImportError can come from the
    call as well as from the import; either means the engine is not installed whole."""
    try:
        from nlp.suggest import suggest

        record: Mapping[str, Any] = suggest(text, dos).to_record(id=report_id)
    except ImportError as exc:
        raise SuggestUnavailable(
            f"the suggestion engine cannot be loaded (missing module {exc.name}): install "
            "spectcoder whole, then restart the server"
        ) from None
    return record


def text_digest(text: str) -> str:
    """A short hash that names a report in the log without quoting it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class SuggestService:
    """Serialised, timed calls to a `Suggester`; logs ids and hashes, never text."""

    def __init__(self, suggester: Suggester | None = None) -> None:
        self._suggest = suggester or engine_suggester
        self._lock = threading.Lock()
        self._counter = 0

    def warm(self) -> None:
        """Score a one-line report once, so the pipeline is built before the first paste."""
        try:
            self("SPECT of the chest.", None, "warm-up")
        except Exception as exc:  # the paste page reports it properly when someone uses it
            log.warning("the suggestion engine did not warm up: %s", type(exc).__name__)

    def next_id(self) -> str:
        with self._lock:
            self._counter += 1
            return f"paste-{self._counter}"

    def __call__(self, text: str, dos: dt.date | None, report_id: str) -> dict[str, Any]:
        t0 = time.perf_counter()
        with self._lock:
            record = dict(self._suggest(text, dos, report_id))
        log.info(
            "suggested %s for %s (sha256 %s, %d chars) in %.0f ms",
            " ".join(record.get("codes") or []) or "no code",
            report_id,
            text_digest(text),
            len(text),
            (time.perf_counter() - t0) * 1000,
        )
        return record
