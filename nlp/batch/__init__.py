"""Scoring report archives: streaming readers, parallel scoring, resumable writers.

`score_inputs` is what `spectcoder score` runs; `score_records` scores an iterable of
records in this process, as a stream. Input formats are in `nlp.batch.readers`, output
formats and how a killed run resumes in `nlp.batch.writers`.
"""

from __future__ import annotations

from nlp.batch.records import BatchError, Columns, InputRecord
from nlp.batch.runner import WorkerCrashedError, score_inputs
from nlp.batch.scoring import DEFAULT_SCORER_FACTORY, Scorer, score_records
from nlp.batch.summary import Summary

__all__ = [
    "DEFAULT_SCORER_FACTORY",
    "BatchError",
    "Columns",
    "InputRecord",
    "Scorer",
    "Summary",
    "WorkerCrashedError",
    "score_inputs",
    "score_records",
]
