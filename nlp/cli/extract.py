"""`spectcoder extract` and `spectcoder evaluate-facts`: the facts of a report, with evidence."""

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

# Colours of evidence in the terminal, by fact.
FACT_STYLES = {
    "modality": "bold green",
    "ct": "green",
    "ct_purpose": "green",
    "area": "bold blue",
    "planar_area": "blue",
    "spect_day": "magenta",
    "whole_body_day": "magenta",
    "planar_day": "magenta",
    "whole_body_planar": "cyan",
    "whole_body_bone": "cyan",
    "whole_body_bone_beside": "cyan",
    "quantification": "bold yellow",
    "three_phase": "yellow",
    "study_type": "bold white",
    "dos": "cyan",
    "acquisitions": "magenta",
    "single_field_of_view": "red",
}
EXCLUDED_STYLE = "dim red strike"


def facts_payload(facts: Any) -> dict[str, Any]:
    """The JSON shape printed by `extract --json`: facts without evidence, then evidence."""
    d = facts.to_dict()
    evidence = d.pop("evidence")
    return {"facts": d, "evidence": evidence}


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        text: ReportText = None,
        file: ReportFile = None,
        dos: ReportDos = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the facts and evidence as JSON.")
        ] = False,
    ) -> None:
        """Read the facts of one report (modality, CT purpose, areas, days, quantification, ...)
        and show the text that proves each.

        Example: spectcoder extract --file report.txt --json
        """
        from nlp.pipeline import extract as run_extract

        report = read_report_text(text, file)
        when = parse_dos(dos)
        facts = run_extract(report, when)
        if as_json:
            typer.echo(json.dumps(facts_payload(facts), indent=2))
            return
        render_facts(report, facts)

    @app.command("evaluate-facts")
    def evaluate_facts_cmd(
        labeled: Annotated[Path, typer.Argument(help="Labeled JSONL (policy section 11 format).")],
        json_out: Annotated[
            Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
        ] = None,
        show_misses: Annotated[
            bool, typer.Option("--misses/--no-misses", help="List each miss by id.")
        ] = True,
    ) -> None:
        """Compare the extracted facts with each case's `expected` facts and print the accuracy
        of modality, area_count, spect_days and quantification.

        Example: spectcoder evaluate-facts ../shared/eval/dev-cases.jsonl
        """
        from nlp.evaluation.facts import FACTS, evaluate_facts, read_labeled

        if not labeled.exists():
            fail(f"{labeled} does not exist")
        try:
            report = evaluate_facts(read_labeled(labeled))
        except (ValueError, KeyError) as exc:
            fail(f"{labeled}: {exc}", code=1)
        if show_misses:
            for miss in report.misses:
                parts = [
                    f"{k} expected {v['expected']} got {v['got']}"
                    for k, v in miss.items()
                    if k != "id"
                ]
                typer.echo(f"  {miss['id']}: " + "; ".join(parts))
        figures = ", ".join(f"{f} {report.accuracy(f):.3f}" for f in FACTS)
        typer.echo(f"{labeled.name}: {report.n} reports; {figures}")
        if json_out is not None:
            json_out.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")


def render_facts(report: str, facts: Any) -> None:
    """Facts as a table and the report with every evidence span highlighted."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(title="Facts", show_lines=False)
    table.add_column("fact")
    table.add_column("value")
    table.add_column("evidence")
    d = facts.to_dict()
    evidence = d.pop("evidence")
    by_fact: dict[str, list[str]] = {}
    for e in evidence:
        if e.get("context") is None and e["text"]:
            by_fact.setdefault(e["fact"], []).append(e["text"])
    related = {
        "modality": ("modality", "ct"),
        "ct_purpose": ("ct_purpose",),
        "areas": ("area",),
        "area_count": ("area", "single_field_of_view"),
        "spect_days": ("spect_day",),
        "whole_body_planar": ("whole_body_planar",),
        "whole_body_days": ("whole_body_day",),
        "whole_body_bone": ("whole_body_bone",),
        "whole_body_bone_beside": ("whole_body_bone_beside",),
        "quantification": ("quantification",),
        "three_phase": ("three_phase",),
        "study_type": ("study_type",),
        "dos": ("dos",),
        "acquisitions": ("acquisitions",),
        "radiopharmaceuticals": ("radiopharmaceutical",),
        "cardiac_studies": ("cardiac_study",),
    }
    for key, value in d.items():
        if value in (None, [], False) and key not in ("modality", "quantification"):
            continue
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        spans = [t for f in related.get(key, ()) for t in by_fact.get(f, [])]
        table.add_row(key, shown, "; ".join(dict.fromkeys(spans))[:120])
    console.print(table)
    text = Text(report)
    for e in evidence:
        if not e["text"]:
            continue
        style = EXCLUDED_STYLE if e.get("context") else FACT_STYLES.get(e["fact"], "underline")
        text.stylize(style, e["start"], e["end"])
    console.print(text)
    excluded = [e for e in evidence if e.get("context")]
    for e in excluded:
        console.print(f"[dim]not counted:[/dim] {e['text']!r} ({e['context']}: {e.get('cue')})")
