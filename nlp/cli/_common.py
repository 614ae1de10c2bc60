"""Helpers shared by the commands: reading the report text argument, --dos, plain errors."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from nlp.facts import parse_date

# The parameters of the commands that read one report (extract, suggest).
ReportText = Annotated[
    str | None, typer.Argument(help="Report text, or '-' to read standard input.")
]
ReportFile = Annotated[
    Path | None, typer.Option("--file", "-f", help="Read the report from this file.")
]
ReportDos = Annotated[
    str | None,
    typer.Option(help="Date of service (YYYY-MM-DD); overrides a date found in the text."),
]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one plain sentence to stderr and exit (2: usage error, 1: input failed)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def read_report_text(text: str | None, file: Path | None) -> str:
    """The report from TEXT, `-` (standard input) or --file PATH; exactly one of them."""
    if text is not None and file is not None:
        fail("give the report as TEXT, '-' or --file PATH, not both")
    if file is not None:
        try:
            return file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            fail(f"cannot read {file}: {exc.strerror}")
    if text == "-":
        return sys.stdin.read()
    if text is None:
        fail("give the report as TEXT, '-' for standard input, or --file PATH")
    return text


def parse_dos(value: str | None) -> dt.date | None:
    """The date of service given with --dos (None when it is not given); a usage error when
    it is not a date."""
    try:
        return parse_date(value)
    except ValueError:
        fail(f"--dos must be a date as YYYY-MM-DD (for example 2023-04-12), not {value!r}")
