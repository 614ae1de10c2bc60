"""Commands over the code table and the edits: `spectcoder codes` and `spectcoder check`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from nlp.cli._common import fail, parse_dos
from nlp.coding.edits import EditsError, has_errors, normalize_code, run_edits
from nlp.coding.table import CodeRow, TableError, load_table

DosOption = Annotated[
    str | None,
    typer.Option(
        "--dos",
        metavar="DATE",
        help="Date of service as YYYY-MM-DD; codes are judged by the table valid on it.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _row_line(row: CodeRow) -> str:
    addon = "+" if row.addon else " "
    return (
        f"{addon}{row.code:<11} {row.validity():<24} {row.family:<20} {row.modality:<9} "
        f"{row.extent:<22} {row.description}"
    )


def codes_command(dos: DosOption = None, as_json: JsonOption = False) -> None:
    """List the code table: every row, or only the codes valid on a date of service.

    Descriptions are our own words. A code whose meaning changed on a date (78803) has
    one row per meaning.

    Example: spectcoder codes --dos 2019-06-30
    """
    when = parse_dos(dos)
    try:
        table = load_table()
    except TableError as exc:
        fail(f"the code table is invalid: {exc}", 1)
    rows = tuple(table) if when is None else table.for_date(when)
    if as_json:
        payload = {
            "dos": None if when is None else when.isoformat(),
            "current_family_from": table.current_family_from.isoformat(),
            "codes": [r.to_dict() for r in rows],
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    for row in rows:
        typer.echo(_row_line(row))


def check_command(
    codes: Annotated[
        list[str],
        typer.Argument(
            metavar="CODE...",
            help="The codes billed together for one study, e.g. 78830 78835 (a leading + is "
            "accepted).",
            show_default=False,
        ),
    ],
    dos: DosOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the edits on one study's code set; exit 1 when any error-severity edit fires.

    Without --dos the date of service is unknown and the current family applies.

    Example: spectcoder check 78832 78835 78306 --dos 2023-04-02
    """
    when = parse_dos(dos)
    try:
        results = run_edits(codes, when)
    except (TableError, EditsError) as exc:
        fail(f"the coding data is invalid: {exc}", 1)
    failed = has_errors(results)
    if as_json:
        payload = {
            "codes": [normalize_code(c) for c in codes],
            "dos": None if when is None else when.isoformat(),
            "ok": not failed,
            "edits": [r.to_dict() for r in results],
        }
        typer.echo(json.dumps(payload, indent=2))
    elif not results:
        typer.echo(f"ok: no edit fired for {' '.join(normalize_code(c) for c in codes)}.")
    else:
        for r in results:
            typer.echo(f"{r.severity} {r.id}: {r.message}")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `codes` and `check` to the `spectcoder` command line."""
    app.command("codes")(codes_command)
    app.command("check")(check_command)
