"""Scoring report archives on Spark: the records of `nlp.batch`, computed on a cluster.

`score_dataframe` adds the suggestion records to a DataFrame of reports (executors build
the scorer once per Python process); `score_files` is the whole run behind
`spectcoder score --engine spark` (read JSONL/CSV/Parquet, score, write Parquet,
summarise); `spark_session` starts a local session or joins spark-submit's.

Needs the `spark` extra: `pip install 'spectcoder[spark]'` (pyspark, pandas).
"""

from __future__ import annotations

try:
    import pyspark  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "nlp.spark needs pyspark: install it with pip install 'spectcoder[spark]'"
    ) from exc

from nlp.spark.run import read_reports, score_files, summarize
from nlp.spark.scoring import output_columns, record_from_row, score_dataframe
from nlp.spark.session import spark_session

__all__ = [
    "output_columns",
    "read_reports",
    "record_from_row",
    "score_dataframe",
    "score_files",
    "spark_session",
    "summarize",
]
