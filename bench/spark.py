"""Spark local-mode throughput against the single-machine scorer, on the same reports.

    python -m bench.spark --reports 10000

Both engines score the same generated JSONL file into Parquet with the same scorer and
the same number of cores: `score_inputs` with one worker process per core, and
`score_files` on `local[N]`. Each time covers what a user waits for, model loading in
the workers included; Spark's session start is reported apart, and Spark is run twice
(the second run finds its Python workers and models already loaded, as every job after
the first does in a long-lived session). The ratio is Spark's reports/s over the single
machine's: on one machine Spark adds JVM-Python transfer and a shuffle, so expect it
below 1; what Spark buys is running the same code on many machines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--scorer", default="nlp.suggest:load_scorer", help="scorer factory path")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="spectcoder-bench-spark-") as tmp:
        return _run(args, Path(tmp))


def _run(args: argparse.Namespace, work: Path) -> int:
    from corpus.generate import generate
    from nlp.batch import score_inputs
    from nlp.spark import score_files, spark_session

    src = work / "reports.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for r in generate(args.reports, args.seed):
            f.write(json.dumps({"id": r["id"], "text": r["text"], "dos": r["dos"]}) + "\n")

    t0 = time.perf_counter()
    local = score_inputs(
        [src],
        work / "single.parquet",
        workers=args.cores,
        scorer_factory=args.scorer,
        progress=False,
    )
    single_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    # Executors need the repository on their path only for a scorer under tests/.
    conf = {"spark.executorEnv.PYTHONPATH": str(Path.cwd())}
    spark = spark_session(f"local[{args.cores}]", progress=False, conf=conf)
    session_s = time.perf_counter() - t0
    runs = []
    for n in (1, 2):
        t0 = time.perf_counter()
        summary = score_files(spark, [src], work / f"spark-{n}.parquet", scorer_factory=args.scorer)
        runs.append(time.perf_counter() - t0)
        if summary.records != local.records:
            print(
                f"error: Spark wrote {summary.records} records, the single machine {local.records}",
                file=sys.stderr,
            )
            return 1
    spark.stop()

    n = local.records
    figures = {
        "reports": n,
        "cores": args.cores,
        "scorer": args.scorer,
        "single_machine_s": round(single_s, 2),
        "single_machine_reports_per_s": round(n / single_s, 1),
        "spark_session_start_s": round(session_s, 2),
        "spark_first_run_s": round(runs[0], 2),
        "spark_first_run_reports_per_s": round(n / runs[0], 1),
        "spark_warm_run_s": round(runs[1], 2),
        "spark_warm_run_reports_per_s": round(n / runs[1], 1),
        "ratio_first_run": round(single_s / runs[0], 3),
        "ratio_warm_run": round(single_s / runs[1], 3),
    }
    print(f"{n:,} reports, {args.cores} cores, scorer {args.scorer}")
    print(
        f"single machine (score_inputs, {args.cores} workers): {single_s:7.1f} s "
        f"{n / single_s:8.1f} reports/s"
    )
    print(f"spark local[{args.cores}] session start:            {session_s:7.1f} s")
    print(
        f"spark local[{args.cores}] first run:                  {runs[0]:7.1f} s "
        f"{n / runs[0]:8.1f} reports/s  (ratio {single_s / runs[0]:.2f})"
    )
    print(
        f"spark local[{args.cores}] warm run:                   {runs[1]:7.1f} s "
        f"{n / runs[1]:8.1f} reports/s  (ratio {single_s / runs[1]:.2f})"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
