"""`spectcoder serve` and the `make run` demo helper."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import typer
from typer.testing import CliRunner

from nlp.cli import serve as serve_cli
from nlp.review import ReviewStore
from nlp.review.intake import audit_sampled
from nlp.review.web import demo
from nlp.review.web.server import is_loopback, url_of
from tests.review_support import add_team, open_store
from tests.web_support import NO_MODEL, start_server, stop_server

app = typer.Typer()
serve_cli.register(app)
app.command("noop")(lambda: None)  # keeps `serve` a named subcommand
runner = CliRunner()


def test_web_cli_serve_has_help_text_and_an_example() -> None:
    group: Any = typer.main.get_command(app)
    command = group.commands["serve"]
    assert command.help.splitlines()[-1] == (
        "Example: spectcoder serve --db var/spectcoder.db --port 8000"
    )
    assert all(p.help for p in command.params)
    assert [p.name for p in command.params] == ["db", "host", "port", "reload", "https_only"]


def test_web_cli_serve_refuses_a_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    result = runner.invoke(app, ["serve", "--db", str(missing)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: there is no queue database at {missing}: run 'spectcoder queue init' first"
    )


@pytest.mark.slow
def test_web_cli_serve_listens_on_loopback_and_prints_the_url(tmp_path: Path) -> None:
    db = tmp_path / "serve.db"
    store = open_store(f"sqlite:///{quote(str(db))}")
    add_team(store)
    store.close()
    server = start_server(db, tmp_path / "serve.log")
    try:
        port = int(server.url.rsplit(":", 1)[1])
        assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
        login = httpx.get(server.url + "/queue")
        assert (login.status_code, login.headers["location"]) == (303, "/login?next=%2Fqueue")
    finally:
        stop_server(server)
    first = server.log().splitlines()[0]
    assert first == (
        f"spectcoder review on http://127.0.0.1:{port}/ (database sqlite:///{db}); Ctrl-C stops it"
    )
    assert re.search(r"GET /queue 303 \d+ms", server.log())


@pytest.mark.parametrize(
    ("host", "loopback", "url"),
    [
        ("127.0.0.1", True, "http://127.0.0.1:8000/"),
        ("localhost", True, "http://localhost:8000/"),
        ("::1", True, "http://[::1]:8000/"),
        ("0.0.0.0", False, "http://127.0.0.1:8000/"),
        ("10.1.2.3", False, "http://10.1.2.3:8000/"),
    ],
)
def test_web_server_host_helpers(host: str, loopback: bool, url: str) -> None:
    assert (is_loopback(host), url_of(host, 8000)) == (loopback, url)


# -- the demo ------------------------------------------------------------------------------


def test_web_demo_reads_an_archive(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    archive.write_text(
        "\n".join(
            [
                json.dumps({"id": "a1", "text": "SPECT of the chest.", "dos": "2024-01-02"}),
                "not json",
                json.dumps({"id": "a2", "text": 7}),
                json.dumps({"text": "SPECT/CT of the pelvis."}),
            ]
        ),
        encoding="utf-8",
    )
    assert demo.archive_reports(archive) == [
        {"id": "a1", "text": "SPECT of the chest.", "dos": "2024-01-02"},
        {"id": "sample-2", "text": "SPECT/CT of the pelvis.", "dos": None},
    ]
    assert [r["id"] for r in demo.archive_reports(archive, limit=1)] == ["a1"]
    assert demo.archive_reports(tmp_path / "missing.jsonl") == [
        dict(r) for r in demo.BUILTIN_REPORTS
    ]


@pytest.mark.slow
def test_web_demo_seeds_the_queue_and_makes_one_admin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "demo.db"
    monkeypatch.delenv(demo.ADMIN_PASSWORD_ENV, raising=False)
    args = ["--db", str(db), "--archive", str(tmp_path / "none.jsonl"), "--no-serve"]
    args += ["--model", str(NO_MODEL)]
    assert demo.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    records = list(demo.score_reports(demo.BUILTIN_REPORTS, NO_MODEL))
    wanted = [
        r["id"]
        for r in records
        if r["route"] == "review" or (r["route"] == "auto" and audit_sampled(r["id"], 0.25, 0))
    ]
    assert out[0] == (
        f"scored 5 report(s) from the built-in demo reports; queued {len(wanted)} new, "
        "0 already queued"
    )
    assert out[1] == "spectcoder review: http://127.0.0.1:8000/"
    found = re.fullmatch(r"first login: user admin, password (\S+) \(shown once\)", out[2])
    assert found is not None
    with ReviewStore.open(str(db)) as store:
        assert store.verify_password("admin", found.group(1)) is not None
        assert sorted(i.report_id for i in store.list_items().items) == sorted(wanted)
    # A second run queues nothing new and makes no second admin.
    assert demo.main(args) == 0
    again = capsys.readouterr().out.splitlines()
    assert again[0].endswith(f"queued 0 new, {len(wanted)} already queued")
    assert again[2] == "sign in with an existing user ('spectcoder users list --db ...')"


def test_web_demo_takes_the_admin_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(demo.ADMIN_PASSWORD_ENV, "demo password 1")
    store = open_store(f"sqlite:///{quote(str(tmp_path / 'env.db'))}")
    try:
        assert demo.first_admin(store) == ("admin", "demo password 1")
        assert store.get_user("admin").role == "admin"
        assert demo.first_admin(store) is None
    finally:
        store.close()


def test_web_demo_reports_a_broken_engine_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(reports: Any, model: Any = None) -> Any:
        raise RuntimeError("model file is half written")

    monkeypatch.setattr(demo, "score_reports", broken)
    assert demo.main(["--db", str(tmp_path / "d.db"), "--no-serve"]) == 1
    assert capsys.readouterr().err == (
        "error: scoring the demo reports failed (RuntimeError): check the model (make train) "
        "or pass --model DIR without one to use the rules alone\n"
    )
