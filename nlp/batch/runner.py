"""Scoring archives: inputs in, one output record per input record, across processes.

`score_inputs` reads the inputs as a stream, hands chunks of records to worker processes
(each builds its own scorer once, from an import path) and writes the results as they
come back. At most `IN_FLIGHT_PER_WORKER` chunks per worker are out at a time, so
memory stays flat on millions of records. Output is flushed and fsynced in batches;
`resume=True` skips the ids already in the output, so a killed run picks up where it
stopped and the output holds every id once.

Memory that grows with the run: one dict entry per id (about 150 bytes), used to skip
done ids on resume and to catch ids repeated in the inputs (the repeat becomes an error
record; only the first is scored).

Ctrl-C (or SIGTERM) stops reading, lets the chunks in flight finish, writes them and
returns a summary marked interrupted; a second Ctrl-C stops at once, losing only the
chunks in flight. Either way `resume=True` continues.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, Final, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from nlp.batch import readers, scoring
from nlp.batch.records import (
    DEFAULT_MAX_CHARS,
    BatchError,
    Columns,
    EncodingErrors,
    InputRecord,
)
from nlp.batch.report import write_html
from nlp.batch.summary import Summary
from nlp.batch.writers import Writer, open_writer, output_format

CHUNK_SIZE: Final = 64
IN_FLIGHT_PER_WORKER: Final = 4
FLUSH_EVERY: Final = 1000
FLUSH_SECONDS: Final = 2.0

log = logging.getLogger(__name__)

_DONE: Final = 1  # the id is in the output
_READ: Final = 2  # the id was read from the inputs by this run


class WorkerCrashedError(BatchError):
    """A worker process died; what was written is kept and `--resume` continues."""


class _Executor(Protocol):
    def submit(
        self,
        fn: Callable[[list[scoring.Task]], list[dict[str, Any]]],
        tasks: list[scoring.Task],
        /,
    ) -> Future[list[dict[str, Any]]]: ...


class _InlineExecutor:
    """Scores in this process (workers <= 1): no start-up cost, plain tracebacks."""

    def __init__(self, factory: str, include_text: bool) -> None:
        self.scorer = scoring.load_scorer(factory)
        self.include_text = include_text

    def submit(
        self,
        fn: Callable[[list[scoring.Task]], list[dict[str, Any]]],
        tasks: list[scoring.Task],
        /,
    ) -> Future[list[dict[str, Any]]]:
        future: Future[list[dict[str, Any]]] = Future()
        future.set_result(
            [
                scoring.score_one(self.scorer, InputRecord(*t), include_text=self.include_text)
                for t in tasks
            ]
        )
        return future


class _StopRequest:
    """First Ctrl-C/SIGTERM: set `requested` (the run winds down); second: KeyboardInterrupt."""

    def __init__(self, announce: Callable[[str], None]) -> None:
        self.requested = False
        self.announce = announce

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        self.announce(
            "stopping: finishing the reports in flight (press Ctrl-C again to stop at once)"
        )


@contextmanager
def _handle_stop_signals(stop: _StopRequest) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "?/s", style="progress.data.speed")


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def score_inputs(
    inputs: Iterable[Path | str],
    out: Path | str,
    *,
    workers: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    scorer_factory: str = scoring.DEFAULT_SCORER_FACTORY,
    format: str | None = None,
    columns: Columns = Columns(),
    max_chars: int = DEFAULT_MAX_CHARS,
    encoding_errors: EncodingErrors = "strict",
    include_text: bool = False,
    report_html: Path | str | None = None,
    progress: bool = True,
    count: bool = True,
    chunk_size: int = CHUNK_SIZE,
) -> Summary:
    """Score every record of `inputs` into `out` (.jsonl, .csv or .parquet).

    `workers` processes (default: one per CPU; 1 scores in this process) each build a
    scorer with `scorer_factory`, an import path `"module:function"`. A record that
    cannot be read or scored becomes an error record and the run goes on. `resume`
    skips the ids already in `out`; without it an existing `out` is an error unless
    `overwrite`. `report_html` writes the HTML report. Workers are started with spawn: a
    script calls this under `if __name__ == "__main__":`. Raises `BatchError` for problems
    that stop the run before it starts (unknown format, output in the way, no scorer)
    and `WorkerCrashedError` when a worker dies.
    """
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # A worker being started re-imports the caller's main module: a script that calls
        # score_inputs at top level would start a second run on the same output.
        raise BatchError(
            "score_inputs was called while a worker process was starting; in a script, call "
            "it under `if __name__ == '__main__':` (workers are started with spawn)"
        )
    paths = [Path(p) for p in inputs]
    out = Path(out)
    try:
        for path in paths:
            readers.format_of(path, format)
    except readers.UnknownFormatError as exc:
        raise BatchError(str(exc)) from exc
    output_format(out)
    scoring.resolve_factory(scorer_factory)
    n_workers = max(1, workers if workers is not None else (os.cpu_count() or 1))

    summary = Summary(out=out)
    ids: dict[str, int] = {}

    def on_existing(record: dict[str, Any]) -> None:
        rid = str(record.get("id"))
        if rid not in ids:
            ids[rid] = _DONE
            summary.add(record, resumed=True)

    writer = open_writer(
        out, resume=resume, overwrite=overwrite, include_text=include_text, on_existing=on_existing
    )
    started = time.monotonic()
    bar = _progress(progress)
    stop = _StopRequest(lambda message: bar.console.print(message))
    completed = False
    try:
        with bar, _handle_stop_signals(stop):
            total = None
            if progress and count:
                total = max(readers.count_records(paths, format=format) - len(ids), 0)
            task = bar.add_task("scoring", total=total)
            records = readers.read_inputs(
                paths,
                format=format,
                columns=columns,
                encoding_errors=encoding_errors,
                max_chars=max_chars,
            )
            _run(
                records,
                writer,
                summary,
                ids,
                stop=stop,
                advance=lambda n: bar.advance(task, n),
                workers=n_workers,
                factory=scorer_factory,
                include_text=include_text,
                max_chars=max_chars,
                encoding_errors=encoding_errors,
                chunk_size=chunk_size,
            )
        completed = not stop.requested
    except KeyboardInterrupt:
        stop.requested = True
    finally:
        summary.elapsed = time.monotonic() - started
        summary.interrupted = stop.requested
        summary.location = writer.location if not completed else out
        writer.close(complete=completed)
    if report_html is not None:
        write_html(summary, Path(report_html))
    return summary


def _run(
    records: Iterator[InputRecord],
    writer: Writer,
    summary: Summary,
    ids: dict[str, int],
    *,
    stop: _StopRequest,
    advance: Callable[[int], None],
    workers: int,
    factory: str,
    include_text: bool,
    max_chars: int,
    encoding_errors: EncodingErrors,
    chunk_size: int,
) -> None:
    last_flush = time.monotonic()

    def emit(record: dict[str, Any]) -> None:
        nonlocal last_flush
        writer.write(record)
        summary.add(record)
        if writer.pending >= FLUSH_EVERY or time.monotonic() - last_flush >= FLUSH_SECONDS:
            writer.flush()
            last_flush = time.monotonic()

    pending: set[Future[list[dict[str, Any]]]] = set()

    def collect(block: bool) -> None:
        nonlocal pending
        while pending:
            done, pending = wait(pending, timeout=0.5 if block else 0, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    results = future.result()
                except BrokenProcessPool as exc:
                    raise WorkerCrashedError(
                        "a worker process died (out of memory, killed, or the scorer could not "
                        "be built: see the messages above); the records written so far are "
                        "kept: run the same command with --resume to continue"
                    ) from exc
                for record in results:
                    emit(record)
                advance(len(results))
            if done or not block:
                return

    max_in_flight = workers * IN_FLIGHT_PER_WORKER
    with _executor(workers, factory, include_text) as executor:
        chunk: list[scoring.Task] = []
        for record in records:
            if stop.requested:
                break
            flags = ids.get(record.id, 0)
            if flags & _READ:
                _repeated(record, ids, emit, include_text)
                continue
            ids[record.id] = flags | _READ
            if flags & _DONE:
                continue
            ids[record.id] |= _DONE
            record = scoring.prepare(record, max_chars=max_chars, encoding_errors=encoding_errors)
            if record.error:
                emit(scoring.score_one(_NO_SCORER, record, include_text=include_text))
                advance(1)
                continue
            chunk.append(
                (record.id, record.text, record.dos, record.source, record.error, record.notes)
            )
            if len(chunk) >= chunk_size:
                pending.add(executor.submit(scoring.score_chunk, chunk))
                chunk = []
                collect(block=False)
                while len(pending) >= max_in_flight and not stop.requested:
                    collect(block=True)
        if chunk and not stop.requested:
            pending.add(executor.submit(scoring.score_chunk, chunk))
        while pending:
            collect(block=True)
    writer.flush()


class _NoScorer:
    """Stands in for the scorer when a record is an error before scoring."""

    def score(self, id: str, text: str, dos: str | None = None) -> dict[str, Any]:
        raise AssertionError("error records are never scored")


_NO_SCORER: Final = _NoScorer()


def _repeated(
    record: InputRecord,
    ids: dict[str, int],
    emit: Callable[[dict[str, Any]], None],
    include_text: bool,
) -> None:
    """An id read twice: the repeat is an error record of its own (keyed by where it is)."""
    repeat_id = f"{record.id} (repeated at {record.source})"
    if ids.get(repeat_id, 0) & _DONE:
        return
    ids[repeat_id] = _DONE | _READ
    error = InputRecord(
        repeat_id,
        record.text,
        record.dos,
        record.source,
        error=f"the id {record.id!r} was already read from the inputs; only its first "
        "record was scored",
    )
    emit(scoring.score_one(_NO_SCORER, error, include_text=include_text))


@contextmanager
def _executor(workers: int, factory: str, include_text: bool) -> Iterator[_Executor]:
    if workers <= 1:
        yield _InlineExecutor(factory, include_text)
        return
    # "spawn": workers start clean, not as forks of a process that runs the progress
    # bar's thread; each imports the scorer module itself.
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=scoring.init_worker,
        initargs=(factory, include_text),
    )
    try:
        yield pool
    except BaseException:
        # Stopping at once (a second Ctrl-C, a crash): do not wait for chunks in flight.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        raise
    else:
        pool.shutdown(wait=True)
