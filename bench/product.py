"""The whole product path against spaCy's blank tokenizer, in one run.

    python -m bench.product --reports 20000 --workers 2

Prints, for the same synthetic reports:
- scoring throughput of `spectcoder score` (readers, pipeline, rules, model, edits,
  writer) with N worker processes, against blank-tokenizer throughput in one process,
  and their ratio (target >= 0.4);
- peak resident memory summed over the scoring process and its workers, sampled every
  50 ms from /proc (target < 1.5 GB), for runs of 5,000 and of all reports (streaming
  target: within 15 %);
- warm single-report `suggest` latency, p50 and p99 over 1,000 calls (target p99 < 25 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import spacy


def _rss_tree(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


class PeakSampler:
    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_tree(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _score(path: Path, out: Path, workers: int) -> tuple[float, int, int]:
    from nlp.batch import score_inputs

    t0 = time.perf_counter()
    with PeakSampler(os.getpid()) as sampler:
        summary = score_inputs(
            [path], out, workers=workers, progress=False, count=False, overwrite=True
        )
    elapsed = time.perf_counter() - t0
    return elapsed, sampler.peak, summary.records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--reports", type=int, default=20_000)
    ap.add_argument("--small", type=int, default=5_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=424242)
    ap.add_argument("--latency-calls", type=int, default=1000)
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args(argv)

    from corpus.generate import generate

    records = [
        {"id": r["id"], "text": r["text"], "dos": r["dos"]}
        for r in generate(args.reports, args.seed)
    ]
    texts = [r["text"] for r in records]
    tmp = Path(tempfile.mkdtemp(prefix="spectcoder-bench-"))
    full, small = tmp / "reports.jsonl", tmp / "small.jsonl"
    full.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    small.write_text("".join(json.dumps(r) + "\n" for r in records[: args.small]), encoding="utf-8")

    blank = spacy.blank("en")
    for _ in blank.pipe(texts[:500]):
        pass
    t0 = time.perf_counter()
    for _ in blank.pipe(texts, batch_size=256):
        pass
    blank_rate = len(texts) / (time.perf_counter() - t0)

    _, small_peak, small_n = _score(small, tmp / "small-out.jsonl", args.workers)
    full_s, full_peak, full_n = _score(full, tmp / "out.jsonl", args.workers)
    rate = full_n / full_s

    from nlp.suggest import load_suggester

    suggester = load_suggester(require_model=True)
    sample = texts[: min(len(texts), 200)]
    for t in sample[:50]:
        suggester.suggest(t)
    latencies = []
    for i in range(args.latency_calls):
        t = sample[i % len(sample)]
        s0 = time.perf_counter()
        suggester.suggest(t)
        latencies.append((time.perf_counter() - s0) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(0.99 * (len(latencies) - 1))]

    figures = {
        "reports": full_n,
        "workers": args.workers,
        "blank_tokenizer_reports_per_s": round(blank_rate, 1),
        "scoring_reports_per_s": round(rate, 1),
        "ratio": round(rate / blank_rate, 3),
        "peak_rss_mb": round(full_peak / 2**20),
        "peak_rss_mb_small": round(small_peak / 2**20),
        "small_reports": small_n,
        "memory_growth": round(full_peak / small_peak - 1, 3) if small_peak else None,
        "suggest_ms_p50": round(p50, 2),
        "suggest_ms_p99": round(p99, 2),
    }
    f = figures
    print(
        f"scoring with {args.workers} workers: {f['scoring_reports_per_s']} reports/s; "
        f"blank tokenizer: {f['blank_tokenizer_reports_per_s']} reports/s; "
        f"ratio {f['ratio']} (target >= 0.4)\n"
        f"peak resident memory, all processes: {f['peak_rss_mb']} MB for {full_n} reports, "
        f"{f['peak_rss_mb_small']} MB for {small_n} (growth {f['memory_growth']:+.1%}; "
        f"targets < 1536 MB and within 15 %)\n"
        f"warm single-report suggest: p50 {f['suggest_ms_p50']} ms, p99 {f['suggest_ms_p99']} ms "
        f"(target p99 < 25 ms) over {args.latency_calls} calls"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
