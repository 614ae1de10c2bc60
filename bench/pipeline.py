"""Pipeline throughput against spaCy's blank English tokenizer, on the same synthetic reports.

    python -m bench.pipeline --reports 10000

Both are timed in this process, interleaved (tokenizer, pipeline, tokenizer, pipeline) and
the faster run of each is kept, so a busy machine slows both alike. Target: ratio >= 0.5.
It also prints how fast the corpus generator wrote those reports (target: 20,000 in under
a minute, i.e. >= 333 reports/s).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable

import spacy


def _time(fn: Callable[[Iterable[str]], object], texts: list[str]) -> float:
    t0 = time.perf_counter()
    fn(texts)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args(argv)

    from corpus.generate import generate
    from nlp.pipeline import build_pipeline

    t0 = time.perf_counter()
    texts = [r["text"] for r in generate(args.reports, args.seed)]
    generate_s = time.perf_counter() - t0
    chars = sum(map(len, texts))
    blank = spacy.blank("en")
    pipeline = build_pipeline()

    def run_blank(ts: Iterable[str]) -> None:
        for _ in blank.pipe(ts, batch_size=256):
            pass

    def run_pipeline(ts: Iterable[str]) -> None:
        for _ in pipeline.pipe(ts, batch_size=256):
            pass

    run_pipeline(texts[:200])  # warm caches (vocab, matchers) before timing either
    run_blank(texts[:200])
    blank_s = pipe_s = float("inf")
    for _ in range(args.rounds):
        blank_s = min(blank_s, _time(run_blank, texts))
        pipe_s = min(pipe_s, _time(run_pipeline, texts))
    n = len(texts)
    figures = {
        "reports": n,
        "mean_chars": round(chars / n),
        "blank_tokenizer_reports_per_s": round(n / blank_s, 1),
        "pipeline_reports_per_s": round(n / pipe_s, 1),
        "ratio": round(blank_s / pipe_s, 3),
        "target_ratio": 0.5,
        "generator_reports_per_s": round(n / generate_s, 1),
        "target_generator_reports_per_s": round(20_000 / 60, 1),
    }
    print(
        f"pipeline: {figures['pipeline_reports_per_s']} reports/s; blank tokenizer: "
        f"{figures['blank_tokenizer_reports_per_s']} reports/s; ratio {figures['ratio']} "
        f"(target >= 0.5) on {n} synthetic reports, mean {figures['mean_chars']} chars, one process"
    )
    print(
        f"corpus generator: {figures['generator_reports_per_s']} reports/s "
        f"(target >= {figures['target_generator_reports_per_s']}: 20,000 in under a minute)"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
