"""spectcoder: CPT code suggestions for SPECT and nuclear-medicine imaging reports.

The package follows a report's journey: `nlp.pipeline` reads facts with evidence,
`nlp.coding` turns facts into candidate codes and checks them, `nlp.model` ranks them,
`nlp.suggest` combines both into an explained suggestion, `nlp.batch` scores archives,
`nlp.review` runs the coder review queue, and `nlp.cli` is the command line.
"""

from __future__ import annotations

__version__ = "0.1.0"
