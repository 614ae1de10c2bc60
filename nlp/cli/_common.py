"""Helpers shared by the commands: reading the report text argument, plain errors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer


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
