"""`spectcoder queue` and `spectcoder users`: a coder's day from the shell, on both backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from nlp.cli import queue as queue_cli
from nlp.review.database import resolve_url
from tests.review_support import scoring_record

app = typer.Typer()
queue_cli.register(app)
runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_review_cli_every_command_has_help_text() -> None:
    group: Any = typer.main.get_command(app)
    names = []
    for sub_name, sub in group.commands.items():
        assert sub.help, sub_name
        for name, command in sub.commands.items():
            names.append(f"{sub_name} {name}")
            example = command.help.splitlines()[-1]
            assert example.startswith("Example: ") and " spectcoder " in f" {example}", name
            assert all(p.help for p in command.params), name
    assert sorted(names) == [
        "queue accept",
        "queue audit",
        "queue claim",
        "queue correct",
        "queue export",
        "queue hold",
        "queue init",
        "queue list",
        "queue load",
        "queue release",
        "queue show",
        "queue stats",
        "queue unhold",
        "users add",
        "users disable",
        "users enable",
        "users list",
        "users passwd",
        "users role",
    ]


def test_review_cli_a_coders_day(db_url: str, tmp_path: Path) -> None:
    db = ("--db", db_url)
    assert run("queue", "init", *db).stdout.endswith("is at schema 0001\n")

    added = run("users", "add", "alice", "--password-stdin", *db, stdin="alice's password\n")
    assert (added.exit_code, added.stdout) == (0, "added alice as coder\n")
    run("users", "add", "lee", "--role", "lead", "--password-stdin", *db, stdin="lee password!\n")
    listed = run("users", "list", *db)
    assert (
        listed.stdout == "alice                coder  active\nlee                  lead   active\n"
    )

    scored = _jsonl(
        tmp_path / "scored.jsonl",
        [
            scoring_record("R-1", confidence=0.2),
            scoring_record("R-2", confidence=0.3, text=None),
            scoring_record("A-1", route="auto", confidence=0.99),
            scoring_record("E-1", route="error", confidence=None, codes=(), text=None),
        ],
    )
    texts = _jsonl(tmp_path / "texts.jsonl", [{"id": "R-2", "text": "Joined text."}])
    loaded = run("queue", "load", str(scored), "--texts", str(texts), "--audit-sample", "0", *db)
    assert loaded.exit_code == 1  # E-1 had no text
    assert loaded.stdout.splitlines() == [
        "read 4 record(s); queued 2 (review 2, audit sample 0, error 0)",
        "already queued 0, auto not sampled 1, out of scope 0, repeated in the input 0",
        "scoring errors: 1 (E-1): queued for manual coding when their text was there",
        "skipped, no text: 1 (E-1): score with --include-text or pass --texts FILE.jsonl",
    ]
    again = run("queue", "load", str(scored), "--texts", str(texts), "--audit-sample", "0", *db)
    assert again.stdout.splitlines()[:2] == [
        "read 4 record(s); queued 0 (review 0, audit sample 0, error 0)",
        "already queued 2, auto not sampled 1, out of scope 0, repeated in the input 0",
    ]

    claimed = run("queue", "claim", "--coder", "alice", "--json", "--text", *db)
    item = json.loads(claimed.stdout)
    assert (item["report_id"], item["claimed_by"], item["text"]) == (
        "R-1",
        "alice",
        "SPECT/CT report R-1.",
    )
    other = run("queue", "accept", str(item["id"]), "--coder", "lee", *db)
    assert other.exit_code == 1
    assert other.stderr == f"error: item {item['id']} is not claimed by lee: claim it first\n"
    bad = run(
        "queue", "correct", str(item["id"]), "--coder", "alice", "--codes", "99999",
        "--reason", "x", *db,
    )  # fmt: skip
    assert (bad.exit_code, bad.stderr) == (
        2,
        "error: unknown code(s) 99999: use codes from the table\n",
    )
    fixed = run(
        "queue", "correct", str(item["id"]), "--coder", "alice", "--codes", "78832, 78835",
        "--reason", "chest and abdomen; SUV measured", "--area-count", "2",
        "--quantification", *db,
    )  # fmt: skip
    assert fixed.exit_code == 0
    assert fixed.stdout.splitlines()[0] == f"item {item['id']} corrected: 78832 78835"

    second = run("queue", "claim", "--coder", "alice", *db)
    assert second.stdout.splitlines()[0].endswith("report R-2  (review, route review)")
    second_id = second.stdout.split()[1]
    assert run("queue", "accept", second_id, "--coder", "alice", *db).stdout == (
        f"item {second_id} accepted: 78830\n"
    )
    empty = run("queue", "claim", "--coder", "alice", *db)
    assert (empty.exit_code, empty.stderr) == (1, "no item is waiting\n")

    out = tmp_path / "feedback.jsonl"
    assert run("queue", "export", str(out), *db).stdout == f"wrote 2 decision(s) to {out}\n"
    labels = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(x["id"], x["expected"]["codes"], x["why"]) for x in labels] == [
        ("R-1", ["78832", "78835"], "chest and abdomen; SUV measured"),
        ("R-2", ["78830"], "accepted suggestion"),
    ]
    assert labels[0]["expected"]["area_count"] == 2
    assert labels[0]["expected"]["quantification"] is True
    assert labels[1]["text"] == "Joined text."

    stats = json.loads(run("queue", "stats", "--json", *db).stdout)
    assert (stats["accepted"], stats["corrected"], stats["decided"]) == (1, 1, 2)
    assert stats["agreement"] == 0.5
    assert stats["override_reasons"] == [["chest and abdomen; SUV measured", 1]]
    assert stats["backlog"] == {"done": 2}

    history = run("queue", "audit", "--item", str(item["id"]), "--json", *db)
    assert [(e["actor"], e["action"]) for e in json.loads(history.stdout)] == [
        ("system", "load"),
        ("alice", "claim"),
        ("alice", "correct"),
    ]
    listed_items = run("queue", "list", "--status", "done", *db)
    assert listed_items.stdout.splitlines() == [
        "     1  R-1                  review done    conf 0.20  dos 2024-05-01  78830",
        "     2  R-2                  review done    conf 0.30  dos 2024-05-01  78830",
        "2 of 2 item(s) from 0",
    ]


def test_review_cli_refuses_a_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = run("queue", "list", "--db", str(missing))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: there is no queue database at {missing}: run 'spectcoder queue init' first\n"
    )
    assert not missing.exists()


def test_review_cli_default_database_is_var_under_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SPECTCODER_DB", raising=False)
    assert run("queue", "init").exit_code == 0
    assert (tmp_path / "var" / "spectcoder.db").is_file()
    monkeypatch.setenv("SPECTCODER_DB", str(tmp_path / "other.db"))
    assert run("queue", "init").exit_code == 0
    assert (tmp_path / "other.db").is_file()


@pytest.mark.parametrize(
    ("given", "url"),
    [
        (None, "sqlite:///var/spectcoder.db"),
        ("queue.db", "sqlite:///queue.db"),
        ("/srv/q.db", "sqlite:////srv/q.db"),
        ("sqlite:///q.db", "sqlite:///q.db"),
        ("postgresql://coder@db:5432/spect", "postgresql+psycopg://coder@db:5432/spect"),
        ("postgres://coder@db/spect", "postgresql+psycopg://coder@db/spect"),
        ("postgresql+psycopg://coder@db/spect", "postgresql+psycopg://coder@db/spect"),
    ],
)
def test_review_database_url_resolution(
    given: str | None, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPECTCODER_DB", raising=False)
    assert resolve_url(given) == url


def test_review_cli_load_reports_unreadable_lines_on_stderr(db_url: str, tmp_path: Path) -> None:
    scored = tmp_path / "scored.jsonl"
    scored.write_text(
        json.dumps(scoring_record("R-1"))
        + "\n{oops\n\n"
        + json.dumps(scoring_record("R-2", confidence=7))
        + "\n",
        encoding="utf-8",
    )
    assert run("queue", "init", "--db", db_url).exit_code == 0
    result = run("queue", "load", str(scored), "--db", db_url)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "read 2 record(s); queued 1 (review 1, audit sample 0, error 0)"
    )
    assert result.stderr.splitlines() == [
        "invalid: scored.jsonl line 2: not JSON (Expecting property name enclosed in double quotes)",
        "invalid: record 2 (R-2): confidence must be a number from 0 to 1, got 7",
    ]
