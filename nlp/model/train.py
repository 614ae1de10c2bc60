"""Training: corpus -> features -> stage 1 (out of fold) -> stage 2 -> threshold -> artifact.

Data:
- `train`: labeled JSONL files (the synthetic corpus, the gold tuning split, coder
  feedback exported from the review queue); labels are the expected code sets;
- `calib`: a separate labeled file (synthetic, another seed), never trained on, used to
  check calibration and to pick the routing threshold: the lowest confidence at which the
  reports routed `auto` keep a precision of at least `target_precision`. (The suggestion
  shown first is the rules' choice: `nlp.model.ranker.ranked_order` says why.)
- coder feedback alone decides whether stage 2 may overrule the rules' choice: with the
  stage-1 and stage-2 predictions of each feedback report made out of fold, the switch
  margin is the one with the most reports won over the rules' choice, adopted only when it
  wins significantly more than it loses (`choose_switch_margin`). Synthetic text cannot
  decide it (there the classifier wins, since the text says what the generator's facts
  say), nor the gold tuning split (the rules were mended on it).

The gold set's held-out split and the shared dev cases are never read here.
Same inputs, same seed -> the same artifact (the card records the corpus hash).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import KFold

from nlp.coding.edits import run_edits
from nlp.coding.rules import RuleResult, apply_rules
from nlp.evaluation.codes import mcnemar_exact
from nlp.evaluation.splits import gold_split
from nlp.facts import StudyFacts, parse_date
from nlp.model.artifact import code_fingerprint
from nlp.model.classifier import CodeSetClassifier
from nlp.model.features import example
from nlp.model.labels import to_label
from nlp.model.ranker import FEATURES, CandidateRanker, Ranker, candidate_rows, ranked_order

log = logging.getLogger(__name__)

FEEDBACK_WEIGHT = 3.0  # a coder's decision on a real report outweighs a synthetic one
GOLD_WEIGHT = 3.0


@dataclass
class Item:
    """One labeled report, read by the pipeline."""

    id: str
    label: str
    features: tuple[np.ndarray, list[str]]
    facts: StudyFacts
    rules: RuleResult
    weight: float = 1.0
    review: bool = False
    source: str = "corpus"  # "corpus", "gold" or "feedback"


@dataclass
class TrainResult:
    ranker: Ranker
    card: dict[str, Any]
    calib_report: dict[str, Any] = field(default_factory=dict)


def read_labeled(path: Path, *, gold_tune_only: bool = False) -> list[dict[str, Any]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            if "text" not in rec or "expected" not in rec or "codes" not in rec["expected"]:
                raise ValueError(f"{path}:{n}: a labeled record needs text and expected.codes")
            if gold_tune_only and gold_split(str(rec.get("id"))) != "tune":
                continue
            out.append(rec)
    return out


def read_items(
    records: Sequence[dict[str, Any]],
    weight: float = 1.0,
    progress: Callable[[int], None] | None = None,
    source: str = "corpus",
) -> list[Item]:
    """Run the pipeline and the rules over labeled records."""
    from nlp.pipeline import get_pipeline, make_doc

    nlp = get_pipeline()
    dated = ((r, parse_date(r.get("dos"))) for r in records)
    pairs = ((make_doc(nlp, r["text"], dos), (r, dos)) for r, dos in dated)
    items = []
    for doc, (rec, dos) in nlp.pipe(pairs, as_tuples=True, batch_size=128):
        facts: StudyFacts = doc._.facts
        if dos is not None:
            facts = facts.with_dos(dos, "record")
        rules = apply_rules(facts)
        items.append(
            Item(
                id=str(rec.get("id")),
                label=to_label(rec["expected"]["codes"]),
                features=example(doc, facts),
                facts=facts,
                rules=rules,
                weight=weight,
                review=bool(rec["expected"].get("review")),
                source=source,
            )
        )
        if progress:
            progress(1)
    return items


def corpus_hash(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _aligned(proba: np.ndarray, classes: Sequence[str], target: Sequence[str]) -> np.ndarray:
    out = np.zeros((proba.shape[0], len(target)))
    pos = {c: i for i, c in enumerate(target)}
    for j, c in enumerate(classes):
        if c in pos:
            out[:, pos[c]] = proba[:, j]
    return out


Candidates = tuple[list[str], np.ndarray]  # one report's candidate labels and stage-2 rows


def report_candidates(
    items: Sequence[Item], proba: np.ndarray, classes: Sequence[str]
) -> list[Candidates]:
    return [
        candidate_rows(p, classes, item.rules, item.facts)
        for item, p in zip(items, proba, strict=True)
    ]


def stage2_rows(
    items: Sequence[Item], candidates: Sequence[Candidates]
) -> tuple[np.ndarray, np.ndarray]:
    """The stacked stage-2 rows of `items` and whether each candidate is the right one."""
    rows = np.vstack([r for _, r in candidates])
    correct = [
        lab == item.label
        for item, (labels, _) in zip(items, candidates, strict=True)
        for lab in labels
    ]
    return rows, np.asarray(correct)


# how far above the rules' choice stage 2's best must score to be suggested first
SWITCH_MARGINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)
SWITCH_ALPHA = 0.05


@dataclass(frozen=True)
class Decision:
    """One coder decision replayed out of fold: the candidates, their stage-2 scores, the
    rules' choice and the code set the coder kept."""

    labels: tuple[str, ...]
    scores: np.ndarray
    rules_label: str
    label: str


def choose_switch_margin(
    decisions: Sequence[Decision], alpha: float = SWITCH_ALPHA
) -> tuple[float, dict[str, Any]]:
    """The switch margin coder decisions support, and the evidence for it.

    For each margin, a report is won when switching made the suggestion right where the
    rules' choice was wrong, and lost the other way round. The margin with the most won
    minus lost (of equals, the largest: the rules keep the say) is adopted only when it
    wins more than it loses with an exact McNemar p-value under `alpha`; otherwise the
    margin is infinite and the rules' choice always comes first.
    """
    best: tuple[int, float, int, int] | None = None
    for margin in SWITCH_MARGINS:
        won = lost = 0
        for d in decisions:
            top = d.labels[ranked_order(d.labels, d.scores, d.rules_label, margin)[0]]
            won += top == d.label and d.rules_label != d.label
            lost += top != d.label and d.rules_label == d.label
        key = (won - lost, margin, won, lost)
        if best is None or key[:2] > best[:2]:
            best = key
    evidence: dict[str, Any] = {"reports": len(decisions), "alpha": alpha}
    if best is None:
        return math.inf, evidence
    gain, margin, won, lost = best
    p = mcnemar_exact(won, lost)
    evidence.update({"best_margin": margin, "won": won, "lost": lost, "p": round(p, 6)})
    return (margin if gain > 0 and p < alpha else math.inf), evidence


@dataclass
class Outcome:
    """One report's result under the combined model, for thresholds and metrics."""

    label: str
    top: str
    confidence: float
    blocked: bool  # routed to review whatever the confidence (grey zone, disagreement, edit)
    rules_label: str
    model_label: str
    review_label: bool


def outcomes(
    ranker: Ranker, items: Sequence[Item], proba: np.ndarray | None = None
) -> list[Outcome]:
    from nlp.suggest.suggester import decide_route

    if proba is None:
        proba = ranker.classifier.predict_proba([it.features for it in items])
    out = []
    for item, p in zip(items, proba, strict=True):
        ranked = ranker.rank_from_proba(p, item.facts, item.rules)
        top = ranked.candidates[0]
        edits = tuple(run_edits(top.codes, item.rules.dos, item.facts)) if top.codes else ()
        _, reasons = decide_route(item.rules, ranked.candidates, 1.0, ranked.model_top, edits, 0.0)
        out.append(
            Outcome(
                label=item.label,
                top=to_label(top.codes),
                confidence=float(top.score or 0.0),
                blocked=bool(reasons),
                rules_label=to_label(item.rules.codes),
                model_label=to_label(ranked.model_top or ()),
                review_label=item.review,
            )
        )
    return out


def choose_threshold(
    results: Sequence[Outcome], target_precision: float, floor: float = 0.5
) -> float:
    """The lowest threshold whose auto-routed reports keep precision >= target."""
    eligible = sorted((o for o in results if not o.blocked), key=lambda o: -o.confidence)
    best = 1.0
    right = 0
    for n, o in enumerate(eligible, 1):
        right += o.top == o.label
        if right / n >= target_precision:
            best = o.confidence  # everything at or above this confidence keeps the target
    return max(floor, min(1.0, best))


def expected_calibration_error(
    conf: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    conf_a = np.asarray(conf, dtype=float)
    corr_a = np.asarray(correct, dtype=float)
    if conf_a.size == 0:
        return 0.0
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (conf_a > lo) & (conf_a <= hi) if lo > 0 else (conf_a >= lo) & (conf_a <= hi)
        if mask.any():
            ece += mask.mean() * abs(conf_a[mask].mean() - corr_a[mask].mean())
    return float(ece)


def summarize(results: Sequence[Outcome], threshold: float) -> dict[str, Any]:
    n = len(results)
    auto = [o for o in results if not o.blocked and o.confidence >= threshold]
    reviews = [o for o in results if o.review_label]
    return {
        "n": n,
        "codes_combined": _acc(o.top == o.label for o in results),
        "codes_rules_alone": _acc(o.rules_label == o.label for o in results),
        "codes_model_alone": _acc(o.model_label == o.label for o in results),
        "auto_rate": len(auto) / n if n else 0.0,
        "auto_precision": _acc(o.top == o.label for o in auto),
        "review_recall": _acc(not (not o.blocked and o.confidence >= threshold) for o in reviews),
        "ece": expected_calibration_error(
            [o.confidence for o in results], [o.top == o.label for o in results]
        ),
    }


def _acc(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def train(
    train_files: Sequence[Path],
    calib_file: Path,
    *,
    gold_files: Sequence[Path] = (),
    feedback_files: Sequence[Path] = (),
    seed: int = 13,
    folds: int = 3,
    target_precision: float = 0.99,
    jobs: int = 2,
    classifier_params: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> TrainResult:
    say = progress or (lambda _msg: None)
    sources: list[tuple[str, float, list[dict[str, Any]]]] = [
        ("corpus", 1.0, [r for f in train_files for r in read_labeled(f)]),
        (
            "gold",
            GOLD_WEIGHT,
            [r for f in gold_files for r in read_labeled(f, gold_tune_only=True)],
        ),
        ("feedback", FEEDBACK_WEIGHT, [r for f in feedback_files for r in read_labeled(f)]),
    ]
    n_records = sum(len(recs) for _, _, recs in sources)
    if not n_records:
        raise ValueError("no training records")
    say(f"reading {n_records} training reports")
    items: list[Item] = []
    for source, weight, recs in sources:
        items += read_items(recs, weight, source=source)
    items.sort(key=lambda it: it.id)  # a fixed order whatever the file order
    calib = read_items(read_labeled(calib_file))
    X = [it.features for it in items]
    y = [it.label for it in items]
    w = [it.weight for it in items]

    params = dict(classifier_params or {})
    say(f"stage 1: {folds}-fold out-of-fold predictions")
    final = CodeSetClassifier(**params).fit(X, y, sample_weight=w)
    classes = [str(c) for c in final.classes_]
    oof = np.zeros((len(items), len(classes)))
    splits = list(KFold(folds, shuffle=True, random_state=seed).split(X))

    def fold(
        train_idx: np.ndarray, test_idx: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        clf = CodeSetClassifier(**params).fit(
            [X[i] for i in train_idx],
            [y[i] for i in train_idx],
            sample_weight=[w[i] for i in train_idx],
        )
        return test_idx, clf.predict_proba([X[i] for i in test_idx]), [str(c) for c in clf.classes_]

    for test_idx, proba, fold_classes in Parallel(n_jobs=min(folds, jobs))(
        delayed(fold)(tr, te) for tr, te in splits
    ):
        oof[test_idx] = _aligned(proba, fold_classes, classes)

    say("stage 2: candidate ranker")
    candidates = report_candidates(items, oof, classes)
    rows, correct = stage2_rows(items, candidates)
    stage2 = CandidateRanker().fit(rows, correct)
    ranker = Ranker(final, stage2, version="pending")

    switch_evidence: dict[str, Any] | None = None
    if any(it.source == "feedback" for it in items):
        say("switch margin: stage 2 out of fold on the coder decisions")
        decisions = _feedback_decisions(items, candidates, splits)
        stage2.switch_margin, switch_evidence = choose_switch_margin(decisions)

    say("threshold and calibration on the calibration set")
    results = outcomes(ranker, calib)
    threshold = choose_threshold(results, target_precision)
    stage2.threshold = threshold
    calib_summary = summarize(results, threshold)
    paths = [*train_files, *gold_files, *feedback_files, calib_file]
    digest = corpus_hash(paths)
    code = code_fingerprint()
    ranker.version = "ranker-" + hashlib.sha256((digest + code).encode()).hexdigest()[:10]
    card = {
        "version": ranker.version,
        "seed": seed,
        "code_sha256": code,
        "threshold": round(threshold, 4),
        "first": "rules" if math.isinf(stage2.switch_margin) else "stage2 above the switch margin",
        "switch_margin": None if math.isinf(stage2.switch_margin) else stage2.switch_margin,
        "switch_evidence": switch_evidence,
        "target_precision": target_precision,
        "corpus": {
            "sha256": digest,
            "files": [str(p) for p in paths],
            "train_reports": len(items),
            "calib_reports": len(calib),
            "classes": len(classes),
        },
        "metrics": {
            "calibration_set": {
                k: round(v, 4) if isinstance(v, float) else v for k, v in calib_summary.items()
            }
        },
        "model": {"stage1": final.describe(), "stage2_features": list(FEATURES)},
    }
    if not math.isfinite(threshold):
        raise ValueError("no usable threshold")
    return TrainResult(ranker, card, calib_summary)


def _feedback_decisions(
    items: Sequence[Item],
    candidates: Sequence[Candidates],
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
) -> list[Decision]:
    """Each coder decision with stage-2 scores from a ranker that never saw it (and
    stage-1 probabilities, in `candidates`, from a classifier that never saw it)."""
    decisions: list[Decision] = []
    for train_idx, test_idx in splits:
        held = [i for i in test_idx if items[i].source == "feedback"]
        if not held:
            continue
        fold_ranker = CandidateRanker().fit(
            *stage2_rows([items[i] for i in train_idx], [candidates[i] for i in train_idx])
        )
        for i in held:
            labels, r = candidates[i]
            decisions.append(
                Decision(
                    tuple(labels),
                    fold_ranker.score_rows(r),
                    to_label(items[i].rules.codes),
                    items[i].label,
                )
            )
    return decisions
