"""The web app under load: concurrent clients against POST /api/suggest on loopback.

    python -m bench.web --clients 20 --seconds 30

Starts `spectcoder serve` in a subprocess on a free 127.0.0.1 port over a scratch SQLite
queue with one bench user, signs each client in, then lets every client post synthetic
reports until the time is up or the request cap is reached. Prints the request count,
errors, throughput and the p50/p99 latency. Suggestions are serialised in the server (one
pipeline, one lock), so throughput is about one core's worth and latency grows with the
number of clients; the figure to watch is errors (target: 0).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

BENCH_USER = "bench"
BENCH_PASSWORD = "bench password"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _reports(n: int, seed: int) -> list[str]:
    from corpus.generate import generate

    return [str(r["text"]) for r in generate(n, seed)]


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def _start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from nlp.cli import main; main()",
                "serve",
                "--db",
                str(db),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited early; its log:\n{log.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 120 s")


class Client(threading.Thread):
    """One signed-in client posting reports until `stop_at` or the shared cap."""

    def __init__(
        self, url: str, texts: list[str], offset: int, stop_at: float, budget: Budget
    ) -> None:
        super().__init__(daemon=True)
        self.url, self.texts, self.offset = url, texts, offset
        self.stop_at, self.budget = stop_at, budget
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}

    def _error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as http:
            login = http.post(
                "/api/login", json={"username": BENCH_USER, "password": BENCH_PASSWORD}
            )
            if login.status_code != 200:
                self._error(f"login {login.status_code}")
                return
            headers = {"X-CSRF-Token": login.json()["csrf_token"]}
            i = self.offset
            while time.monotonic() < self.stop_at and self.budget.take():
                text = self.texts[i % len(self.texts)]
                i += 1
                t0 = time.perf_counter()
                try:
                    r = http.post("/api/suggest", json={"text": text}, headers=headers)
                except httpx.HTTPError as exc:
                    self._error(type(exc).__name__)
                    continue
                elapsed = time.perf_counter() - t0
                if r.status_code == 200 and r.json().get("codes") is not None:
                    self.latencies.append(elapsed)
                else:
                    self._error(f"HTTP {r.status_code}")


class Budget:
    """A request cap shared by all clients."""

    def __init__(self, total: int) -> None:
        self._left = total
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=100_000, help="Cap over all clients.")
    ap.add_argument("--reports", type=int, default=500, help="Synthetic reports to cycle.")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--json", help="Also write the figures here.")
    args = ap.parse_args(argv)

    from nlp.review import ReviewStore

    texts = _reports(args.reports, args.seed)
    with tempfile.TemporaryDirectory(prefix="spectcoder-bench-") as tmp:
        db, log = Path(tmp) / "bench.db", Path(tmp) / "server.log"
        with ReviewStore.open(str(db), password_rounds=4) as store:
            store.add_user(BENCH_USER, BENCH_PASSWORD, "coder")
        proc, url = _start_server(db, log)
        try:
            # One request first, so the clients time suggestions, not the pipeline's build.
            Client(url, texts[:1], 0, time.monotonic() + 120, Budget(1)).run()
            budget = Budget(args.max_requests)
            t0 = time.monotonic()
            stop_at = t0 + args.seconds
            clients = [Client(url, texts, n * 7, stop_at, budget) for n in range(args.clients)]
            for c in clients:
                c.start()
            for c in clients:
                c.join()
            wall = time.monotonic() - t0
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        server_log = log.read_text(encoding="utf-8", errors="replace")

    latencies = sorted(x for c in clients for x in c.latencies)
    errors: dict[str, int] = {}
    for c in clients:
        for what, n in c.errors.items():
            errors[what] = errors.get(what, 0) + n
    leaked = sum(1 for t in set(texts) if len(t) > 40 and t[:40] in server_log)
    figures: dict[str, Any] = {
        "clients": args.clients,
        "seconds": round(wall, 1),
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "requests_per_s": round(len(latencies) / wall, 1) if wall else None,
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
        "reports_in_server_log": leaked,
    }
    print(
        f"web: {figures['requests']} requests from {args.clients} clients in "
        f"{figures['seconds']} s ({figures['requests_per_s']} ok/s); errors {figures['errors']}"
        f"{' ' + json.dumps(errors) if errors else ''}; latency p50 {figures['p50_ms']} ms, "
        f"p99 {figures['p99_ms']} ms; report text in the server log: {leaked}"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, indent=2)
    return 0 if figures["errors"] == 0 and leaked == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
