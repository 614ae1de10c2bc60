"""Scoring one record at a time: the scorer contract, its factory, and the checks around it.

The scorer is built from an import path (`"package.module:factory"`), so each worker
process builds its own once, in its initializer, instead of pickling one per task. Any
exception the scorer raises for a record becomes that record's error and the run goes
on; its message is kept only if it does not quote the report.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, Final, Protocol

from nlp.batch.records import (
    DEFAULT_MAX_CHARS,
    BatchError,
    EncodingErrors,
    InputRecord,
    check_text,
    error_record,
    normalize,
    normalize_dos,
    text_sha256,
)

DEFAULT_SCORER_FACTORY: Final = "nlp.suggest:load_scorer"

log = logging.getLogger(__name__)


class Scorer(Protocol):
    """What the batch code needs of a scorer: one scoring record per report."""

    def score(self, id: str, text: str, dos: str | None = None) -> dict[str, Any]: ...


def resolve_factory(path: str) -> Callable[[], Scorer]:
    """The factory function an import path `"module:function"` names."""
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr:
        raise BatchError(f"scorer factory {path!r} is not of the form 'package.module:function'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise BatchError(f"cannot import the scorer factory module {module_name!r}: {exc}") from exc
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise BatchError(f"{module_name} has no scorer factory function {attr!r}")
    return factory


def load_scorer(path: str = DEFAULT_SCORER_FACTORY) -> Scorer:
    """Build the scorer an import path names; a failure is one plain BatchError."""
    factory = resolve_factory(path)
    try:
        return factory()
    except Exception as exc:
        raise BatchError(f"the scorer factory {path} failed: {type(exc).__name__}: {exc}") from exc


def prepare(record: InputRecord, *, max_chars: int, encoding_errors: EncodingErrors) -> InputRecord:
    """The record with its text checked (empty, too long, unwritable): error or noted."""
    if record.error:
        return record
    text, error, note = check_text(
        record.text, max_chars=max_chars, encoding_errors=encoding_errors
    )
    if error:
        return replace(record, error=error)
    if note:
        return replace(record, text=text, notes=(*record.notes, note))
    return record


def error_output(record: InputRecord, *, include_text: bool = False) -> dict[str, Any]:
    """The output record of an input that was not scored (its `error` is set)."""
    out = error_record(
        record.id,
        record.error or "the record could not be scored",
        source=record.source,
        dos=record.dos,
        notes=record.notes,
    )
    out["text_sha256"] = text_sha256(record.text)
    if include_text:
        out["text"] = record.text
    return out


_WORDS = re.compile(r"\w+")


def safe_exception_message(exc: BaseException, text: str) -> str:
    """`Type: message` of a scorer's exception, without the message if it quotes the report.

    Any four consecutive words of the message found in the report count as a quote
    (exceptions that echo a sentence or a span back are common).
    """
    name = type(exc).__name__
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    words = _WORDS.findall(message)
    quoted = message.strip() and message.strip() in text
    for i in range(len(words) - 3):
        if quoted:
            break
        quoted = re.search(r"\W+".join(words[i : i + 4]), text) is not None
    if not message or quoted:
        return f"the scorer raised {name}"
    return f"the scorer raised {name}: {message}"


def score_one(scorer: Scorer, record: InputRecord, *, include_text: bool = False) -> dict[str, Any]:
    """Score one prepared record; a record in error, or a scorer exception, is an error
    record. Logs ids and text hashes, never text."""
    if record.error or record.text is None:
        out = error_output(record, include_text=include_text)
    else:
        try:
            scored = scorer.score(record.id, record.text, record.dos)
        except Exception as exc:
            record = replace(record, error=safe_exception_message(exc, record.text))
            out = error_output(record, include_text=include_text)
        else:
            out = normalize(scored, record, include_text=include_text)
    if out["route"] == "error":
        log.info(
            "record %s (sha256 %s) failed: %s",
            out["id"],
            (out["text_sha256"] or "-")[:12],
            out["error"],
        )
    return out


def score_records(
    records: Iterable[dict[str, Any] | InputRecord],
    *,
    scorer: Scorer | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    encoding_errors: EncodingErrors = "strict",
    include_text: bool = False,
) -> Iterator[dict[str, Any]]:
    """Score records one by one in this process, as a stream: one output record each.

    `records` are `InputRecord`s or dicts with `id`, `text` and optional `dos`. The
    scorer defaults to `nlp.suggest.load_scorer()`. Bad records (no id, empty text, text
    over `max_chars`) and scorer exceptions give records with `"route": "error"`.

    >>> for out in score_records([{"id": "A1", "text": report, "dos": "2024-03-05"}]):
    ...     print(out["id"], out["codes"], out["route"])
    """
    active = scorer if scorer is not None else load_scorer()
    for n, item in enumerate(records, start=1):
        record = item if isinstance(item, InputRecord) else _from_dict(item, n)
        record = prepare(record, max_chars=max_chars, encoding_errors=encoding_errors)
        yield score_one(active, record, include_text=include_text)


def _from_dict(item: dict[str, Any], n: int) -> InputRecord:
    source = f"record {n}"
    if not isinstance(item, dict):
        return InputRecord(f"#{n}", None, None, source, error=f"record {n} is not a dict")
    raw_id = item.get("id")
    if raw_id is None or not str(raw_id).strip():
        return InputRecord(f"#{n}", None, None, source, error=f"record {n} has no 'id'")
    text = item.get("text")
    if text is not None and not isinstance(text, str):
        return InputRecord(
            str(raw_id), None, None, source, error=f"record {n}: 'text' is not a string"
        )
    dos, note = normalize_dos(item.get("dos"))
    return InputRecord(str(raw_id), text, dos, source, notes=(note,) if note else ())


# --- worker processes -----------------------------------------------------------------

_worker_scorer: Scorer | None = None
_worker_include_text = False

# What a worker is sent per record: (id, text, dos, source, error, notes).
Task = tuple[str, str | None, str | None, str, str | None, tuple[str, ...]]


def init_worker(factory: str, include_text: bool) -> None:
    """Build this process's scorer once. Ctrl-C is left to the parent, which stops the
    run cleanly; a worker interrupted mid-record would only lose work."""
    global _worker_scorer, _worker_include_text
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _worker_scorer = load_scorer(factory)
    _worker_include_text = include_text


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    # After a kill -9 of the run, nothing tells a worker: its task queue's pipe stays open
    # (each worker holds both ends). Without this, workers and their loaded models would
    # linger until killed by hand.
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def score_chunk(tasks: list[Task]) -> list[dict[str, Any]]:
    """Score a chunk of records in a worker built by `init_worker`."""
    if _worker_scorer is None:
        raise RuntimeError("score_chunk runs in a worker started with init_worker")
    return [
        score_one(_worker_scorer, InputRecord(*task), include_text=_worker_include_text)
        for task in tasks
    ]
