"""The Spark session `spectcoder score --engine spark` runs in.

Under `spark-submit` the session it configured is used as it is (master, executors,
Python, `--conf` settings). Started from the command line with a `local` master, the
session is set up for one machine: executors run this Python (`sys.executable`, so the
venv with spectcoder in it), the driver binds to 127.0.0.1 and the web UI is off (a
scoring run over patient reports should not open a port on every interface).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Final

from pyspark.sql import SparkSession

DEFAULT_MASTER: Final = "local[*]"
APP_NAME: Final = "spectcoder score"

LOCAL_CONF: Final = {
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    # A timestamp date of service becomes a date in UTC, as pyarrow gives it to the
    # single-machine Parquet reader.
    "spark.sql.session.timeZone": "UTC",
}


def spark_session(
    master: str | None = None, *, progress: bool = True, conf: dict[str, Any] | None = None
) -> SparkSession:
    """The active session if there is one, else a new one on `master`.

    `master` None: the one `spark-submit` was given, else `local[*]`. `conf` settings
    are applied over the local defaults (`LOCAL_CONF`, for a `local` master only).
    """
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(APP_NAME)
    if "PYSPARK_GATEWAY_PORT" in os.environ and master is None:
        # Started by spark-submit: its JVM holds the master and every --conf already.
        spark = builder.config(map=conf or {}).getOrCreate()
    else:
        master = master or DEFAULT_MASTER
        settings: dict[str, Any] = {"spark.ui.showConsoleProgress": "true" if progress else "false"}
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            settings.update(LOCAL_CONF)
        spark = builder.master(master).config(map={**settings, **(conf or {})}).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
