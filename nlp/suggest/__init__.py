"""Explained code suggestions: the rules' candidates ranked by the model, with a route.

from nlp.suggest import suggest
s = suggest(report_text, dos="2023-04-12")
s.codes, s.confidence, s.route, s.to_record(id="r1")
"""

from __future__ import annotations

from nlp.suggest.record import RankedCandidate, Route, Suggestion
from nlp.suggest.suggester import (
    Suggester,
    decide_route,
    default_model_path,
    default_suggester,
    load_scorer,
    load_suggester,
    suggest,
)

__all__ = [
    "RankedCandidate",
    "Route",
    "Suggester",
    "Suggestion",
    "decide_route",
    "default_model_path",
    "default_suggester",
    "load_scorer",
    "load_suggester",
    "suggest",
]
