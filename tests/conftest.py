"""Fixtures shared by the test suite."""

from tests.batch_support import scorer_factory  # noqa: F401
from tests.pipeline_support import nlp  # noqa: F401
from tests.review_support import clock, db_url, pg_database, store  # noqa: F401
from tests.web_support import web_app, web_store  # noqa: F401
