"""`spectcoder codes` and `spectcoder check`, driven through Typer's test runner."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from nlp.cli import coding


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    # An app of our own, so these tests do not depend on the other command modules.
    app = typer.Typer(add_completion=False)
    coding.register(app)
    return app


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_cli_coding_commands_have_help_with_an_example(app: typer.Typer, runner: CliRunner) -> None:
    for name, example in (
        ("codes", "spectcoder codes --dos 2019-06-30"),
        ("check", "spectcoder check 78832 78835 78306 --dos 2023-04-02"),
    ):
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert example in result.output
        assert "--dos" in result.output and "--json" in result.output


def test_cli_coding_registered_on_the_main_app() -> None:
    from nlp.cli import app as main_app

    names = {c.name for c in main_app.registered_commands}
    assert {"codes", "check"} <= names


@pytest.mark.parametrize(
    ("args", "count", "first", "has", "lacks"),
    [
        ([], 30, "78800", {"78320", "78830", "70450-74178"}, set()),
        (["--dos", "2019-12-31"], 25, "78800", {"78320", "78607", "78803"}, {"78830", "78835"}),
        (["--dos", "2020-01-01"], 22, "78800", {"78830", "78835", "78803"}, {"78320", "78607"}),
    ],
)
def test_cli_coding_codes_json_lists_the_table(
    app: typer.Typer,
    runner: CliRunner,
    args: list[str],
    count: int,
    first: str,
    has: set[str],
    lacks: set[str],
) -> None:
    result = runner.invoke(app, ["codes", "--json", *args])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    codes = [r["code"] for r in payload["codes"]]
    assert len(codes) == count
    assert codes[0] == first
    assert has <= set(codes)
    assert not lacks & set(codes)
    assert payload["current_family_from"] == "2020-01-01"
    assert payload["dos"] == (args[1] if args else None)


def test_cli_coding_codes_text_shows_one_line_per_row(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["codes", "--dos", "2019-06-30"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 25
    (legacy_78803,) = [line for line in lines if line.startswith(" 78803")]
    assert "until 2019-12-31" in legacy_78803
    assert "legacy" in legacy_78803


def test_cli_coding_codes_text_marks_the_addon(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["codes", "--dos", "2024-01-01"])
    (addon,) = [line for line in result.stdout.splitlines() if "78835" in line.split()[0]]
    assert addon.startswith("+78835")
    assert "2020-01-01 onward" in addon


@pytest.mark.parametrize(
    ("args", "exit_code", "ids"),
    [
        (["78830", "78835", "--dos", "2023-04-02"], 0, []),
        (["78832", "+78835", "78306"], 0, []),
        (["78320", "--dos", "2019-05-01"], 0, []),
        (["78803", "78830"], 1, ["SPECT-AND-SPECT-CT"]),
        (["78320", "--dos", "2020-01-01"], 1, ["CODE-DELETED"]),
        (["78835"], 1, ["ADDON-WITHOUT-PRIMARY"]),
        (["78830", "71250"], 1, ["SEPARATE-CT-WITH-SPECT-CT"]),
        (["78830", "78830"], 0, ["DUPLICATE-CODE"]),
        (["12345"], 1, ["UNKNOWN-CODE"]),
    ],
)
def test_cli_coding_check_json_and_exit_code(
    app: typer.Typer, runner: CliRunner, args: list[str], exit_code: int, ids: list[str]
) -> None:
    result = runner.invoke(app, ["check", "--json", *args])
    assert result.exit_code == exit_code, result.output
    payload = json.loads(result.stdout)
    assert [e["id"] for e in payload["edits"]] == ids
    assert payload["ok"] is (exit_code == 0)


def test_cli_coding_check_text_output(app: typer.Typer, runner: CliRunner) -> None:
    ok = runner.invoke(app, ["check", "78830", "+78835", "--dos", "2023-04-02"])
    assert ok.exit_code == 0
    assert ok.stdout == "ok: no edit fired for 78830 78835.\n"
    bad = runner.invoke(app, ["check", "78451", "78803"])
    assert bad.exit_code == 1
    assert bad.stdout == (
        "error OWN-CODE-WITH-SPECT: 78451 already includes its SPECT: remove 78803 (policy "
        "section 6).\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check", "78830", "--dos", "2020-13-01"],
        ["check", "78830", "--dos", "yesterday"],
        ["codes", "--dos", "01/02/2020"],
    ],
)
def test_cli_coding_bad_date_is_a_usage_error(
    app: typer.Typer, runner: CliRunner, args: list[str]
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: --dos must be a date as YYYY-MM-DD (for example 2023-04-12), not {args[-1]!r}\n"
    )


def test_cli_coding_check_needs_a_code(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
