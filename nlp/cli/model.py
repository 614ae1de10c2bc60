"""`spectcoder train` and `spectcoder evaluate`: build the ranking model, measure it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from nlp.cli._common import fail

DEFAULT_TRAIN = Path("corpus/generated/train.jsonl")
DEFAULT_CALIB = Path("corpus/generated/calib.jsonl")
GOLD_DIR = Path("corpus/gold")  # every gold-*.jsonl in it, as `make train` reads them


def register(app: typer.Typer) -> None:
    @app.command()
    def train(
        corpus: Annotated[
            list[Path] | None,
            typer.Option("--corpus", help="Labeled JSONL to train on (repeatable)."),
        ] = None,
        calib: Annotated[
            Path, typer.Option(help="Labeled JSONL held out to calibrate and set the threshold.")
        ] = (DEFAULT_CALIB),
        gold: Annotated[
            list[Path] | None,
            typer.Option(
                "--gold", help="Gold files; only their tuning split is used (repeatable)."
            ),
        ] = None,
        feedback: Annotated[
            list[Path] | None,
            typer.Option(
                "--feedback",
                help="Coder decisions from `spectcoder queue export` (repeatable). They are "
                "trained on, and only they can let another code set come before the rules' "
                "choice: when, replayed out of fold, that was right significantly more often "
                "than wrong (the card's switch_evidence).",
            ),
        ] = None,
        out: Annotated[Path, typer.Option(help="Directory for the model and its card.")] = Path(
            "models"
        ),
        seed: Annotated[
            int, typer.Option(help="Seed for the folds (same inputs + seed = same model).")
        ] = 13,
        target_precision: Annotated[
            float,
            typer.Option(
                help="Precision the auto-routed reports must keep on the calibration set."
            ),
        ] = 0.99,
    ) -> None:
        """Train the classifier and candidate ranker, pick the routing threshold on held-out
        data, and write models/spectcoder-ranker.joblib with its JSON card.

        Example: spectcoder train --feedback decisions.jsonl
        """
        from nlp.model.artifact import save_ranker
        from nlp.model.train import train as run_train

        corpus_files = corpus or [DEFAULT_TRAIN]
        gold_files = gold if gold is not None else sorted(GOLD_DIR.glob("gold-*.jsonl"))
        for f in [*corpus_files, calib, *gold_files, *(feedback or [])]:
            if not f.exists():
                hint = " (run `make corpus` first)" if f in (DEFAULT_TRAIN, DEFAULT_CALIB) else ""
                fail(f"{f} does not exist{hint}")
        try:
            result = run_train(
                corpus_files,
                calib,
                gold_files=gold_files,
                feedback_files=feedback or [],
                seed=seed,
                target_precision=target_precision,
                progress=lambda msg: typer.echo(msg, err=True),
            )
        except ValueError as exc:
            fail(str(exc), code=1)
        card = save_ranker(result.ranker, out, result.card)
        m = card["metrics"]["calibration_set"]
        typer.echo(
            f"{card['version']}: threshold {card['threshold']}; on the calibration set "
            f"codes {m['codes_combined']:.3f} (rules alone {m['codes_rules_alone']:.3f}, "
            f"model alone {m['codes_model_alone']:.3f}), auto {m['auto_rate']:.3f} at precision "
            f"{m['auto_precision']:.4f}, ECE {m['ece']:.4f}; wrote {out}/{card['artifact']}"
        )

    @app.command()
    def evaluate(
        labeled: Annotated[Path, typer.Argument(help="Labeled JSONL (policy section 11 format).")],
        json_out: Annotated[
            Path | None, typer.Option("--json", help="Also write all figures as JSON here.")
        ] = None,
        model: Annotated[
            Path | None, typer.Option(help="Model directory or .joblib (default: bundled).")
        ] = None,
        misses: Annotated[
            bool, typer.Option("--misses/--no-misses", help="List every wrong code set.")
        ] = True,
        gold_split: Annotated[
            str | None,
            typer.Option(
                help="Only the gold set's 'heldout' or 'tune' split (by id hash, as in training)."
            ),
        ] = None,
    ) -> None:
        """Score labeled reports and print primary accuracy, exact code-set match, fact
        accuracies, auto-rate and precision among auto, review recall, calibration error,
        and the rules alone and the model alone for comparison.

        Example: spectcoder evaluate ../shared/eval/dev-cases.jsonl --json dev-figures.json
        """
        from nlp.evaluation.codes import evaluate_suggester
        from nlp.evaluation.facts import read_labeled
        from nlp.suggest import load_suggester

        if not labeled.exists():
            fail(f"{labeled} does not exist")
        from nlp.evaluation.splits import gold_split as split_of

        if gold_split not in (None, "heldout", "tune"):
            fail("--gold-split must be 'heldout' or 'tune'")
        suggester = load_suggester(model, require_model=True)
        try:
            cases = [
                c
                for c in read_labeled(labeled)
                if gold_split is None or split_of(str(c["id"])) == gold_split
            ]
            result = evaluate_suggester(cases, suggester)
        except (ValueError, KeyError) as exc:
            fail(f"{labeled}: {exc}", code=1)
        figures = result.figures()
        if misses:
            for c in result.misses():
                typer.echo(
                    f"  {c.id}: expected {list(c.expected_codes)} got {list(c.codes)} "
                    f"route={c.route} confidence={c.confidence}"
                )
        f = figures
        typer.echo(
            f"{labeled.name}: {f['n']} reports; primary {f['primary_accuracy']:.3f}, "
            f"codes {f['codes_exact']:.3f} (rules alone {f['codes_rules_alone']:.3f}, "
            f"model alone {f['codes_model_alone']:.3f}); "
            f"auto-rate {f['auto_rate']:.3f}, auto-precision {_fmt(f['auto_precision'])}, "
            f"review-recall {_fmt(f['review_recall'])}, ECE {_fmt(f['ece'])}"
        )
        typer.echo("facts: " + ", ".join(f"{k} {_fmt(v)}" for k, v in f["facts"].items()))
        typer.echo(
            "paired: "
            + "; ".join(
                f"combined vs {part}: right only with the combination {d['only_combined']}, "
                f"only with the {part} {d[f'only_{part}']} (McNemar p={d['p_value']:.2f})"
                for part, d in ((k.removeprefix("combined_vs_"), v) for k, v in f["paired"].items())
            )
        )
        if json_out is not None:
            json_out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"
