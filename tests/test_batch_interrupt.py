"""Killing a run (kill -9, Ctrl-C) and resuming it leaves every id in the output once.

The command runs in a subprocess, through the real `spectcoder` entry point, on 3,000
reports with the fake scorer slowed to 4 ms a report, so it is stopped well before the
end; the rerun with --resume must score exactly the rest.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from nlp.batch.writers import parts_dir, read_output
from tests.fakes import FAKE_SCORER_FACTORY

N = 3_000
TEXTS = ["SPECT/CT chest", "Myocardial perfusion", "whole body bone scan", "Equivocal", "raise"]
CODES = [["78830"], ["78452"], ["78306"], ["78803"], []]


def make_input(path: Path) -> list[str]:
    ids = [f"r{i:05d}" for i in range(N)]
    with open(path, "w", encoding="utf-8") as f:
        for i, id in enumerate(ids):
            f.write(json.dumps({"id": id, "text": TEXTS[i % 5], "dos": "2024-01-02"}) + "\n")
    return ids


def command(src: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from nlp.cli import main; main()",
        "score",
        str(src),
        "--out",
        str(out),
        "--workers",
        "2",
        "--no-progress",
        "--scorer",
        FAKE_SCORER_FACTORY,
        *extra,
    ]


def start(src: Path, out: Path, delay: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SPECTCODER_FAKE_DELAY": delay}
    return subprocess.Popen(
        command(src, out),
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so the test can clean up after it
    )


def written(out: Path) -> int:
    """Records made durable so far (lines, or rows in finished Parquet parts)."""
    if out.suffix == ".parquet":
        return 1_000 * len(list(parts_dir(out).glob("part-*.parquet")))
    if not out.exists():
        return 0
    return max(out.read_bytes().count(b"\n") - (out.suffix == ".csv"), 0)


def wait_for(out: Path, at_least: int, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while written(out) < at_least:
        assert proc.poll() is None, f"the run ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "the run wrote nothing in time"
        time.sleep(0.05)


def live_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies do not count)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


def group_gone(pgid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while live_in_group(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def stop_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def resume_and_check(src: Path, out: Path, ids: list[str]) -> None:
    done = subprocess.run(
        command(src, out, "--resume"),
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr  # the "raise" reports are error records
    records = list(read_output(out))
    counts = Counter(r["id"] for r in records)
    assert sorted(counts) == ids
    assert set(counts.values()) == {1}
    for r in records:
        i = int(r["id"][1:])
        assert r["codes"] == CODES[i % 5]
        assert r["route"] == ("error" if i % 5 == 4 else r["route"])
    assert f"{N:,} records in {out}" in done.stdout
    assert sum(r["route"] == "error" for r in records) == N // 5


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_batch_interrupt_kill_9_then_resume(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / "in.jsonl"
    ids = make_input(src)
    out = tmp_path / f"out{suffix}"
    proc = start(src, out, delay="0.004")
    try:
        wait_for(out, 500, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        # Orphaned workers notice their parent is gone and exit on their own.
        assert group_gone(proc.pid, within=15)
    finally:
        stop_group(proc)
    assert proc.returncode == -signal.SIGKILL
    before = written(out)
    assert 0 < before < N
    if suffix != ".parquet":
        with open(out, "ab") as f:
            f.write(b'{"id": "r02999", "codes": ["788')  # a write torn by the kill

    resume_and_check(src, out, ids)
    assert not parts_dir(out).exists()


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_batch_interrupt_ctrl_c_stops_cleanly_then_resume(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / "in.jsonl"
    ids = make_input(src)
    out = tmp_path / f"out{suffix}"
    proc = start(src, out, delay="0.004")
    try:
        wait_for(out, 500, proc)
        os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
        _, stderr = proc.communicate(timeout=60)
    finally:
        stop_group(proc)

    assert proc.returncode == 130, stderr
    assert "stopping: finishing the reports in flight" in stderr
    location = parts_dir(out) if suffix == ".parquet" else out
    match = re.search(
        rf"interrupted: ([\d,]+) records are in {re.escape(str(location))}; run the same "
        r"command with --resume to continue",
        stderr,
    )
    assert match, stderr
    kept = list(read_output(out))
    assert len(kept) == int(match[1].replace(",", "")) < N
    assert "Traceback" not in stderr

    resume_and_check(src, out, ids)


@pytest.mark.slow
def test_batch_interrupt_second_ctrl_c_stops_at_once(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    ids = make_input(src)
    out = tmp_path / "out.jsonl"
    # 50 ms a report: the chunks in flight would take about 13 s to finish.
    proc = start(src, out, delay="0.05")
    try:
        wait_for(out, 64, proc)
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.5)
        stopped = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        took = time.monotonic() - stopped
    finally:
        stop_group(proc)

    assert proc.returncode == 130, stderr
    assert took < 5, f"the second Ctrl-C took {took:.1f} s to stop the run"
    assert "run the same command with --resume to continue" in stderr
    assert group_gone(proc.pid, within=5)

    resume_and_check(src, out, ids)
