"""The `spectcoder` command line: every command documents itself; suggest and extract work."""

from __future__ import annotations

import json

import click
import pytest
import typer
from typer.testing import CliRunner

from nlp.cli import app

runner = CliRunner()
REPORT = (
    "EXAM: NM BONE SPECT/CT LUMBAR SPINE\nTECHNIQUE: Tc-99m MDP. SPECT/CT of the lumbar spine at "
    "3 hours; the CT was fused for anatomic localization.\nIMPRESSION: Facet arthropathy at L4-L5."
)


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append(((*prefix, name), cmd))
        if hasattr(cmd, "commands"):
            out += _commands(cmd, (*prefix, name))
    return out


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_cli_has_the_documented_commands() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {
        "extract",
        "suggest",
        "score",
        "codes",
        "check",
        "train",
        "evaluate",
        "evaluate-facts",
        "serve",
        "queue",
        "users",
    } <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_cli_every_command_has_help(path: tuple[str, ...], command: click.Command) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    if not hasattr(command, "commands"):
        assert "Example:" in command.help, f"{' '.join(path)}'s help has no example"


def test_cli_suggest_json_is_the_scoring_record() -> None:
    result = runner.invoke(app, ["suggest", "--json", "--dos", "2023-05-02", REPORT])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["codes"] == ["78830"]
    assert record["facts"]["modality"] == "spect_ct"
    assert record["family"] == "current"
    assert record["route"] in ("auto", "review")


def test_cli_suggest_shows_codes_steps_and_evidence() -> None:
    result = runner.invoke(app, ["suggest", REPORT])
    assert result.exit_code == 0, result.output
    assert "78830" in result.output
    assert "SPECT-CT" in result.output  # the rule step
    assert "Facts" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["suggest", "--dos", "12/2023", REPORT],
            "error: --dos must be a date as YYYY-MM-DD (for example 2023-04-12), not '12/2023'\n",
        ),
        (["suggest", "   "], "the report is empty"),
        (["suggest"], "give the report as TEXT"),
    ],
)
def test_cli_suggest_usage_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_extract_json(tmp_path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = runner.invoke(app, ["extract", "--json", "--file", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["facts"]["areas"] == ["abdomen"]
    assert data["facts"]["area_count"] == 1
    for e in data["evidence"]:
        assert REPORT[e["start"] : e["end"]] == e["text"]


def test_cli_extract_bad_dos_is_a_usage_error() -> None:
    result = runner.invoke(app, ["extract", "--dos", "yesterday", REPORT])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --dos must be a date as YYYY-MM-DD (for example 2023-04-12), not 'yesterday'\n"
    )
