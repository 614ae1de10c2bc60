"""The paired comparison of the combination with the rules alone and the model alone."""

from __future__ import annotations

import math

import pytest

from nlp.evaluation.codes import CaseResult, Evaluation, mcnemar_exact
from nlp.evaluation.facts import FACTS


def _case(n: int, expected: str, combined: str, rules: str, model: str | None = None) -> CaseResult:
    return CaseResult(
        id=f"C{n}",
        expected_codes=(expected,),
        expected_primary=expected,
        codes=(combined,),
        primary=combined,
        route="review",
        confidence=0.5,
        review_label=False,
        rules_codes=(rules,),
        model_codes=None if model is None else (model,),
        facts_ok=dict.fromkeys(FACTS, True),
    )


def test_paired_counts_only_the_reports_where_the_two_differ() -> None:
    ev = Evaluation(
        [
            _case(1, "78830", "78830", "78830", "78830"),  # all right: not discordant
            _case(2, "78830", "78830", "78803", "78830"),  # only combined vs rules
            _case(3, "78830", "78830", "78803", "78803"),  # only combined vs both
            _case(4, "78832", "78830", "78832", "78832"),  # only the parts
            _case(5, "78832", "78830", "78831", None),  # everyone wrong; no model
            _case(6, "78832", "78832", "78832", None),  # model gave nothing: combined only
        ]
    )
    paired = ev.figures()["paired"]
    assert paired["combined_vs_rules"]["only_combined"] == 2
    assert paired["combined_vs_rules"]["only_rules"] == 1
    assert paired["combined_vs_model"]["only_combined"] == 2
    assert paired["combined_vs_model"]["only_model"] == 1


@pytest.mark.parametrize(
    ("b", "c", "expected"),
    [
        (0, 0, 1.0),
        (1, 0, 1.0),  # one discordant report can never be significant
        (5, 0, 2 / 32),
        (0, 5, 2 / 32),
        (6, 1, 2 * (1 + 7) / 128),
        (3, 3, 1.0),
        (10, 2, 2 * (1 + 12 + 66) / 4096),
    ],
)
def test_exact_mcnemar_p_value(b: int, c: int, expected: float) -> None:
    assert math.isclose(mcnemar_exact(b, c), expected)
