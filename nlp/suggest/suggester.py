"""Rules + model -> ranked, explained code suggestions and a route.

    text -> spaCy pipeline (facts + evidence) -> rules (candidate code sets, steps)
         -> edits on each candidate -> ranker (calibrated probability per candidate)
         -> route: auto | review | out_of_scope

Routing (policy section 10 and the issue's definition of `auto`):
- `out_of_scope`: the top candidate is "no code" and the rules say the study is out of
  scope or nothing was performed, and the model agrees;
- `review`: a grey zone (the rules' review reasons), the model's top code set differs
  from the rules', the confidence is under the threshold chosen on held-out data, an
  error edit fires on the suggested set, or no model is loaded;
- `auto`: everything else.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nlp.coding.edits import EditResult, has_errors, run_edits
from nlp.coding.rules import RuleResult, apply_rules
from nlp.facts import StudyFacts, parse_date
from nlp.suggest.record import RankedCandidate, Route, Suggestion

log = logging.getLogger(__name__)

NO_MODEL_REASON = "no model loaded: rules only"


def rules_candidates(rules: RuleResult) -> list[RankedCandidate]:
    return [RankedCandidate(c.codes, None, c.rationale, "rules") for c in rules.candidates]


class Suggester:
    """Suggests codes for reports. Build once (pipeline and model load), call many times."""

    def __init__(self, ranker: Any | None = None, pipeline: Any | None = None) -> None:
        from nlp.pipeline import get_pipeline

        self.nlp = pipeline if pipeline is not None else get_pipeline()
        self.ranker = ranker

    @property
    def model_version(self) -> str | None:
        return getattr(self.ranker, "version", None)

    # -- one report ------------------------------------------------------------------
    def suggest(self, text: str, dos: str | dt.date | None = None) -> Suggestion:
        from nlp.pipeline import make_doc

        when = parse_date(dos)
        doc = self.nlp(make_doc(self.nlp, text, when))
        return self._from_doc(doc, when)

    def suggest_many(
        self, items: Iterable[tuple[str, str | dt.date | None]], batch_size: int = 64
    ) -> Iterator[Suggestion]:
        """Suggestions for (text, dos) pairs, streaming through `nlp.pipe`."""
        from nlp.pipeline import make_doc

        dated = ((text, parse_date(dos)) for text, dos in items)
        pairs = ((make_doc(self.nlp, text, when), when) for text, when in dated)
        for doc, when in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self._from_doc(doc, when)

    def score(self, id: str, text: str, dos: str | None = None) -> dict[str, Any]:
        """The batch scorer protocol (`nlp.batch`): one scoring record per report."""
        return self.suggest(text, dos).to_record(id=id)

    # -- the decision ----------------------------------------------------------------
    def _from_doc(self, doc: Any, dos: dt.date | None) -> Suggestion:
        facts: StudyFacts = doc._.facts
        if dos is not None:
            facts = facts.with_dos(dos, "record")
        rules = apply_rules(facts)
        if self.ranker is None:
            candidates = rules_candidates(rules)
            confidence = None
            model_top: tuple[str, ...] | None = None
        else:
            ranked = self.ranker.rank(doc, facts, rules)
            candidates, model_top = ranked.candidates, ranked.model_top
            confidence = candidates[0].score if candidates else None
        top = candidates[0].codes if candidates else ()
        edits = tuple(run_edits(top, rules.dos, facts)) if top else ()
        threshold = None if self.ranker is None else self.ranker.threshold
        route, reasons = decide_route(rules, candidates, confidence, model_top, edits, threshold)
        return Suggestion(
            candidates=tuple(candidates),
            route=route,
            confidence=confidence,
            facts=facts,
            rules=rules,
            edits=edits,
            route_reasons=tuple(reasons),
            model_version=self.model_version,
            model_top=model_top,
        )


def decide_route(
    rules: RuleResult,
    candidates: list[RankedCandidate],
    confidence: float | None,
    model_top: tuple[str, ...] | None,
    edits: tuple[EditResult, ...],
    threshold: float | None,
) -> tuple[Route, list[str]]:
    """The route of a suggestion and the reasons for it (shared with training, which
    picks the threshold with exactly this logic)."""
    reasons: list[str] = []
    top = candidates[0].codes if candidates else ()
    if rules.review_reasons:
        reasons += [f"grey zone: {r}" for r in rules.review_reasons]
    if threshold is None:
        reasons.append(NO_MODEL_REASON)
    else:
        if model_top is not None and tuple(model_top) != tuple(rules.codes):
            reasons.append("the model and the rules disagree")
        elif candidates and tuple(top) != tuple(rules.codes):
            reasons.append("the suggestion is not the rules' choice")
        if confidence is None or confidence < threshold:
            reasons.append(f"confidence under {threshold:.2f}")
    if has_errors(list(edits)):
        reasons.append("an edit fails on the suggested codes")
    if not top and not reasons and (rules.out_of_scope or rules.primary == "NONE"):
        return "out_of_scope", ["no code applies: " + _why_none(rules)]
    if reasons:
        return "review", reasons
    return "auto", []


def _why_none(rules: RuleResult) -> str:
    for step in rules.steps:
        if step.rule_id in ("OUT-OF-SCOPE", "NOT-PERFORMED"):
            return step.message
    return "the rules suggest no code"


# -- loading -------------------------------------------------------------------------
def default_model_path() -> Path:
    """`$SPECTCODER_MODEL` (a directory or a .joblib file), else the bundled `models/`."""
    env = os.environ.get("SPECTCODER_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "models"


def load_suggester(model: str | Path | None = None, *, require_model: bool = False) -> Suggester:
    """A suggester with the model at `model` (default: `default_model_path()`).

    Without a model file the suggester runs on the rules alone and routes every report
    to review; `require_model=True` makes that an error instead.
    """
    from nlp.model.artifact import ModelNotFoundError, load_ranker

    path = Path(model) if model is not None else default_model_path()
    try:
        ranker = load_ranker(path)
    except ModelNotFoundError:
        if require_model:
            raise
        log.warning("no model at %s: suggestions come from the rules alone and go to review", path)
        ranker = None
    return Suggester(ranker)


_DEFAULT: Suggester | None = None


def default_suggester() -> Suggester:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_suggester()
    return _DEFAULT


def suggest(text: str, dos: str | dt.date | None = None) -> Suggestion:
    """Suggest codes for one report with the default (bundled) model."""
    return default_suggester().suggest(text, dos)


def load_scorer() -> Suggester:
    """The batch scorer factory (`nlp.suggest:load_scorer`): one per worker process."""
    return load_suggester()
