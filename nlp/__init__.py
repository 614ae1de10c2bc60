"""spectcoder: CPT code suggestions for SPECT and nuclear-medicine imaging reports.

The package follows a report's journey: `nlp.pipeline` reads facts with evidence,
`nlp.coding` turns facts into candidate codes and checks them, `nlp.model` ranks them,
`nlp.suggest` combines both into an explained suggestion, `nlp.batch` scores archives,
`nlp.review` runs the coder review queue, and `nlp.cli` is the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.batch import score_records as score_records

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # `nlp.score_records` loads the batch code (pyarrow, readers) on first use only, so
    # `import nlp` stays light.
    if name == "score_records":
        from nlp.batch import score_records

        return score_records
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
