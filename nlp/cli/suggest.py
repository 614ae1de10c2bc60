"""`spectcoder suggest`: codes for one pasted report, with their reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from nlp.cli._common import (
    ReportDos,
    ReportFile,
    ReportText,
    fail,
    parse_dos,
    read_report_text,
)


def register(app: typer.Typer) -> None:
    @app.command()
    def suggest(
        text: ReportText = None,
        file: ReportFile = None,
        dos: ReportDos = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the scoring record as JSON.")
        ] = False,
        model: Annotated[
            Path | None, typer.Option(help="Model directory or .joblib (default: bundled).")
        ] = None,
    ) -> None:
        """Suggest CPT codes for one report: ranked code sets with their confidence, the route
        (auto / review / out_of_scope) and why, the rule steps, the edits, and the facts with
        the words that prove them highlighted.

        Example: spectcoder suggest --file report.txt --dos 2023-04-12
        """
        from nlp.suggest import load_suggester

        report = read_report_text(text, file)
        if not report.strip():
            fail("the report is empty")
        when = parse_dos(dos)
        suggestion = load_suggester(model).suggest(report, when)
        if as_json:
            typer.echo(json.dumps(suggestion.to_record(id=None), indent=2))
            return
        render_suggestion(report, suggestion)


def render_suggestion(report: str, s: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from nlp.cli.extract import render_facts

    console = Console()
    route_style = {"auto": "bold green", "review": "bold yellow", "out_of_scope": "bold cyan"}
    codes = " + ".join(s.codes) if s.codes else "no code"
    conf = "n/a" if s.confidence is None else f"{s.confidence:.3f}"
    style = route_style.get(s.route, "bold")
    console.print(f"[bold]{codes}[/bold]  confidence {conf}  route [{style}]{s.route}[/]")
    for reason in s.route_reasons:
        console.print(f"  - {reason}")
    if s.rules.equivalents:
        for legacy, current in s.rules.equivalents.items():
            now = " + ".join(current)
            console.print(f"  {legacy} (before 2020) corresponds to {now} in the current family")
    table = Table(title="Candidates", show_lines=False)
    table.add_column("codes")
    table.add_column("score")
    table.add_column("source")
    table.add_column("rationale")
    for c in s.candidates:
        table.add_row(
            " + ".join(c.codes) or "no code",
            "" if c.score is None else f"{c.score:.3f}",
            c.source,
            c.rationale[:140],
        )
    console.print(table)
    steps = Table(title="Rule steps")
    steps.add_column("rule")
    steps.add_column("why")
    for step in s.rules.steps:
        steps.add_row(step.rule_id, step.message)
    console.print(steps)
    if s.edits:
        for e in s.edits:
            colour = "red" if e.severity == "error" else "yellow"
            console.print(f"[{colour}]{e.severity} {e.id}[/]: {e.message}")
    else:
        console.print("[green]no edit fires on the suggested codes[/green]")
    render_facts(report, s.facts)
