"""The `spectcoder` command line: thin Typer wrappers over the library.

Exit codes: 0 ok, 1 some inputs failed, 2 usage error.
"""

from __future__ import annotations

import typer

from nlp.cli import coding, extract, model, queue, score, serve, suggest

app = typer.Typer(
    name="spectcoder",
    help="Suggest CPT codes for SPECT and nuclear-medicine imaging reports, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

extract.register(app)
coding.register(app)
model.register(app)
suggest.register(app)
score.register(app)
queue.register(app)
serve.register(app)


def main() -> None:
    app()
