"""The ranking model: training is deterministic, the artifact is checked before loading,
and the ranked candidates carry calibrated scores."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from pathlib import Path

import numpy as np
import pytest

from corpus.generate import generate
from nlp.model.artifact import (
    ModelIntegrityError,
    ModelNotFoundError,
    code_fingerprint,
    load_ranker,
    read_card,
    save_ranker,
    sha256_file,
)
from nlp.model.labels import from_label, to_label
from nlp.model.ranker import ranked_order
from nlp.model.train import (
    Decision,
    Outcome,
    choose_switch_margin,
    choose_threshold,
    expected_calibration_error,
    outcomes,
    read_items,
    train,
)


@pytest.mark.parametrize(
    ("codes", "label"),
    [
        ([], "NONE"),
        (["78830"], "78830"),
        (["78832", "78835", "78804"], "78832+78804+78835"),
        (["78830", "+78835"], "78830+78835"),
    ],
)
def test_model_labels_are_canonical(codes: list[str], label: str) -> None:
    assert to_label(codes) == label
    assert to_label(from_label(label)) == label


# a narrow hashing space keeps the tests' training fast; production uses 2**15 columns
SMALL = {"text_bits": 11, "max_iter": 25}


def _corpus(tmp: Path) -> tuple[Path, Path]:
    train_file, calib_file = tmp / "train.jsonl", tmp / "calib.jsonl"
    train_file.write_text("".join(json.dumps(r) + "\n" for r in generate(400, 5)), encoding="utf-8")
    calib_file.write_text("".join(json.dumps(r) + "\n" for r in generate(150, 6)), encoding="utf-8")
    return train_file, calib_file


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("model")
    train_file, calib_file = _corpus(tmp)
    result = train([train_file], calib_file, seed=7, jobs=1, classifier_params=SMALL)
    out = tmp / "m1"
    save_ranker(result.ranker, out, result.card)
    return out, train_file, calib_file


@pytest.mark.slow
def test_model_training_is_deterministic(
    small_model: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    first, train_file, calib_file = small_model
    result = train([train_file], calib_file, seed=7, jobs=1, classifier_params=SMALL)
    save_ranker(result.ranker, tmp_path / "m2", result.card)
    card1 = json.loads((first / "spectcoder-ranker.card.json").read_text())
    card2 = json.loads((tmp_path / "m2" / "spectcoder-ranker.card.json").read_text())
    assert card1["artifact_sha256"] == card2["artifact_sha256"]
    assert card1["corpus"]["sha256"] == card2["corpus"]["sha256"]
    assert card1["threshold"] == card2["threshold"]


def test_model_card_records_versions_corpus_and_metrics(
    small_model: tuple[Path, Path, Path],
) -> None:
    out, _, _ = small_model
    card = json.loads((out / "spectcoder-ranker.card.json").read_text())
    assert card["artifact_sha256"] == sha256_file(out / "spectcoder-ranker.joblib")
    assert set(card["libraries"]) >= {"python", "scikit-learn", "numpy", "scipy", "spacy", "joblib"}
    assert card["corpus"]["train_reports"] == 400
    assert card["corpus"]["calib_reports"] == 150
    assert len(card["corpus"]["sha256"]) == 64
    metrics = card["metrics"]["calibration_set"]
    assert {
        "codes_combined",
        "codes_rules_alone",
        "codes_model_alone",
        "auto_rate",
        "auto_precision",
        "ece",
    } <= set(metrics)
    assert 0.5 <= card["threshold"] <= 1.0
    assert card["first"] == "rules"
    # the version names both the training data and the code that turns reports into features
    expected = hashlib.sha256((card["corpus"]["sha256"] + card["code_sha256"]).encode()).hexdigest()
    assert card["version"] == "ranker-" + expected[:10]


def test_model_loading_refuses_a_changed_artifact(
    small_model: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    out, _, _ = small_model
    for f in out.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    assert load_ranker(tmp_path).version.startswith("ranker-")
    artifact = tmp_path / "spectcoder-ranker.joblib"
    data = bytearray(artifact.read_bytes())
    data[-1] ^= 0xFF
    artifact.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="refusing to load"):
        load_ranker(tmp_path)


def test_model_trained_on_other_code_loads_with_a_warning(
    small_model: tuple[Path, Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out, _, _ = small_model
    for f in out.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    with caplog.at_level(logging.WARNING, logger="nlp.model.artifact"):
        load_ranker(tmp_path)
    assert not [r for r in caplog.records if "other pipeline" in r.getMessage()]
    card_path = tmp_path / "spectcoder-ranker.card.json"
    card = json.loads(card_path.read_text())
    card["code_sha256"] = "0" * 64
    card_path.write_text(json.dumps(card))
    with caplog.at_level(logging.WARNING, logger="nlp.model.artifact"):
        load_ranker(tmp_path)
    warned = [r.getMessage() for r in caplog.records if "other pipeline" in r.getMessage()]
    assert len(warned) == 1 and "make train" in warned[0] and "000000000000" in warned[0]


def test_model_bundled_was_trained_on_the_code_installed() -> None:
    """A change to the pipeline, patterns, rules or features needs `make train` before it
    lands: the bundled model's features would otherwise not mean what they meant."""
    card = read_card(Path(__file__).resolve().parents[1] / "models")
    assert card["code_sha256"] == code_fingerprint()


def test_model_missing_artifact_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="make train"):
        load_ranker(tmp_path)


def _o(conf: float, right: bool, blocked: bool = False) -> Outcome:
    return Outcome("A", "A" if right else "B", conf, blocked, "A", "A", False)


def test_model_threshold_keeps_the_target_precision() -> None:
    # 0.99, 0.98 right; 0.97 wrong; 0.96 .. 0.90 right -> precision >= 0.9 holds down to 0.90
    results = [_o(0.99, True), _o(0.98, True), _o(0.97, False)] + [
        _o(0.9 + i / 100, True) for i in range(7)
    ]
    assert choose_threshold(results, 0.9) == pytest.approx(0.90)
    # a stricter target stops before the miss
    assert choose_threshold(results, 0.999) == pytest.approx(0.98)
    # reports routed to review for other reasons never count
    assert choose_threshold(
        [_o(0.99, False, blocked=True), _o(0.95, True)], 0.999
    ) == pytest.approx(0.95)


def test_model_ranked_order_puts_the_rules_choice_first_then_the_scores() -> None:
    labels = ["A", "B", "C"]
    scores = np.array([0.2, 0.9, 0.5])
    assert ranked_order(labels, scores, "A") == [0, 1, 2]
    assert ranked_order(labels, scores, "C") == [2, 1, 0]
    # no rules' choice among the candidates, or none at all: by score
    assert ranked_order(labels, scores, "Z") == [1, 2, 0]
    assert ranked_order(labels, scores, None) == [1, 2, 0]
    # a finite switch margin lets a candidate scoring more than it above the rules' first
    assert ranked_order(labels, scores, "A", 0.5) == [1, 2, 0]
    assert ranked_order(labels, scores, "A", 0.75) == [0, 1, 2]
    assert ranked_order(labels, scores, "C", 0.3) == [1, 2, 0]


def _d(rules_right: bool, other_right: bool, gap: float) -> Decision:
    """A replayed coder decision: the rules' choice "R" and one other candidate "O" that
    scores `gap` above it; the coder kept whichever is right (or a third code set)."""
    label = "R" if rules_right else "O" if other_right else "X"
    return Decision(("R", "O"), np.array([0.4, 0.4 + gap]), "R", label)


def test_model_switch_margin_needs_significant_wins_on_coder_decisions() -> None:
    # switching wins 9 reports where the other candidate led by 0.3 and loses none there;
    # it would lose 4 where the lead was only 0.08: the margin 0.2 wins 9, loses 0
    decisions = (
        [_d(False, True, 0.3)] * 9 + [_d(True, False, 0.08)] * 4 + [_d(True, False, 0.0)] * 5
    )
    margin, evidence = choose_switch_margin(decisions)
    assert margin == 0.2
    assert (evidence["won"], evidence["lost"], evidence["reports"]) == (9, 0, 18)
    assert evidence["p"] < 0.05
    # 4 won, 1 lost: better, but not significantly (p = 0.375): the rules keep the say
    margin, evidence = choose_switch_margin([_d(False, True, 0.3)] * 4 + [_d(True, False, 0.3)])
    assert margin == math.inf and (evidence["won"], evidence["lost"]) == (4, 1)
    # coders who always kept the rules' choice, or no decisions at all: never switch
    assert choose_switch_margin([_d(True, False, 0.6)] * 30)[0] == math.inf
    assert choose_switch_margin([])[0] == math.inf
    # where every margin does as well, the largest is kept
    assert choose_switch_margin([_d(False, True, 0.9)] * 8)[0] == 0.5


def test_model_expected_calibration_error() -> None:
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([1.0] * 4, [True, True, False, False]) == pytest.approx(0.5)


def test_model_fast_probabilities_match_scikit_learn(small_model: tuple[Path, Path, Path]) -> None:
    import numpy as np

    from nlp.model.features import build_matrix

    out, train_file, _ = small_model
    ranker = load_ranker(out)
    clf = ranker.classifier
    from nlp.model.train import read_items, read_labeled

    items = read_items(read_labeled(train_file)[:50])
    X = [it.features for it in items]
    ours = clf.predict_proba(X)
    theirs = clf.lr_.predict_proba(build_matrix(X, clf.vocab_, clf.text_bits))
    assert np.allclose(ours, theirs, atol=1e-12)


def test_model_weights_copy_is_made_once_and_not_saved(
    small_model: tuple[Path, Path, Path],
) -> None:
    """Scoring one report at a time reads a row-major double copy of the weights, made on
    the first call: the probabilities are the very numbers of `coef_.T`, the copy is reused,
    and it is not pickled into the artifact (which would double its size)."""
    import pickle

    from nlp.model.features import build_matrix
    from nlp.model.train import read_items, read_labeled

    out, train_file, _ = small_model
    clf = load_ranker(out).classifier
    X = [it.features for it in read_items(read_labeled(train_file)[:20])]
    assert "_weights_cache" not in clf.__dict__
    one_by_one = np.vstack([clf.predict_proba([x]) for x in X])
    weights = clf.__dict__["_weights_cache"]
    assert weights.flags["C_CONTIGUOUS"] and weights.dtype == np.float64
    clf.predict_proba(X[:1])
    assert clf.__dict__["_weights_cache"] is weights
    logits = np.asarray(build_matrix(X, clf.vocab_, clf.text_bits) @ clf.lr_.coef_.T)
    logits = logits + clf.lr_.intercept_
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.array_equal(one_by_one, expected)
    restored = pickle.loads(pickle.dumps(clf))
    assert "_weights_cache" not in restored.__dict__
    assert np.array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_model_single_precision_weights_keep_the_probabilities(
    small_model: tuple[Path, Path, Path],
) -> None:
    """The stage-1 weights are stored as float32 (they are most of the committed
    artifact); the probabilities stay within 1e-6 of a double-precision fit."""
    from collections import Counter

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from nlp.model.classifier import OTHER, CodeSetClassifier
    from nlp.model.features import build_matrix
    from nlp.model.train import read_items, read_labeled

    _, train_file, _ = small_model
    items = read_items(read_labeled(train_file)[:200])
    X = [it.features for it in items]
    y = [it.label for it in items]
    clf = CodeSetClassifier(**SMALL).fit(X, y)
    assert clf.lr_.coef_.dtype == np.float32
    counts = Counter(y)
    pooled = [lab if counts[lab] >= clf.min_class_count else OTHER for lab in y]
    matrix = build_matrix(X, clf.vocab_, clf.text_bits)
    double = LogisticRegression(C=clf.C, max_iter=clf.max_iter, tol=clf.tol).fit(matrix, pooled)
    assert double.coef_.dtype == np.float64
    assert np.abs(clf.predict_proba(X) - double.predict_proba(matrix)).max() < 1e-6


def test_model_fast_trees_match_scikit_learn(small_model: tuple[Path, Path, Path]) -> None:
    import numpy as np

    out, _, _ = small_model
    stage2 = load_ranker(out).ranker
    rng = np.random.default_rng(0)
    rows = rng.random((200, stage2.model_.n_features_in_)) * 2
    rows[::7, 3] = np.nan  # missing values take the trained branch
    assert np.allclose(stage2.score_rows(rows), stage2.model_.predict_proba(rows)[:, 1], atol=1e-12)


@pytest.mark.slow
def test_model_learns_from_exported_coder_decisions(
    small_model: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """score -> queue -> a coder corrects -> export -> train --feedback: the loop closes."""
    from nlp.review import ReportText, ReviewStore
    from nlp.suggest import load_suggester

    _, train_file, calib_file = small_model
    text = (
        "TECHNIQUE: Tc-99m MDP. SPECT/CT of the lumbar spine; the low-dose CT was fused for "
        "localization. A separate SPECT/CT of the knees followed."
    )
    record = load_suggester().suggest(text, "2024-02-01").to_record(id="fb-1")
    record["route"] = "review"  # make sure it is queued
    store = ReviewStore.open(f"sqlite:///{tmp_path / 'q.db'}", password_rounds=4)
    store.add_user("cora", "a long enough password", role="coder")
    store.load([record], texts={"fb-1": ReportText(text=text, dos=None)})
    item = store.claim("cora")
    assert item is not None and item.report_id == "fb-1"
    store.correct(item, "cora", ["78832"], "two areas: lumbar spine and knees")
    export = tmp_path / "decisions.jsonl"
    assert store.export(export) == 1
    exported = json.loads(export.read_text().splitlines()[0])
    assert exported["expected"]["codes"] == ["78832"] and exported["text"] == text

    result = train(
        [train_file], calib_file, feedback_files=[export], seed=7, jobs=1, classifier_params=SMALL
    )
    assert str(export) in result.card["corpus"]["files"]
    assert result.card["corpus"]["train_reports"] == 401


# A site phrase the pipeline does not read, after which coders always add the
# quantification add-on: a systematic rules error that only the text tells.
SITE_PHRASE = "\nReconstruction per site protocol QZ7 (see physics worksheet)."


def _site_reports(n: int, seed: int) -> list[dict]:
    out = []
    for r in generate(n, seed):
        if r["expected"]["codes"] == ["78830"]:
            r = dict(r, id=f"site-{seed}-{r['id']}", text=r["text"] + SITE_PHRASE)
            r["expected"] = dict(r["expected"], codes=["78830", "78835"], quantification=True)
            out.append(r)
    return out


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.slow
def test_model_overrules_the_rules_only_when_coder_decisions_show_it_right(
    small_model: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Coders correct the same rules error again and again in the review queue: training
    on their exported decisions adopts a switch margin, and on new reports of that kind the
    combination is right where the rules alone are wrong. Coders who confirm the rules'
    choice on the same reports leave the rules first."""
    _, train_file, calib_file = small_model
    corrected = _site_reports(2500, 31)
    assert len(corrected) >= 120
    feedback = _write(tmp_path / "corrected.jsonl", corrected)
    result = train(
        [train_file], calib_file, feedback_files=[feedback], seed=7, jobs=1, classifier_params=SMALL
    )
    card = result.card
    assert card["first"] == "stage2 above the switch margin"
    assert card["switch_evidence"]["reports"] == len(corrected)
    assert card["switch_evidence"]["won"] > card["switch_evidence"]["lost"]
    assert card["switch_margin"] == result.ranker.ranker.switch_margin < math.inf

    fresh = read_items(_site_reports(1200, 77))
    assert len(fresh) >= 40
    results = outcomes(result.ranker, fresh)
    rules_right = sum(o.rules_label == o.label for o in results)
    combined_right = sum(o.top == o.label for o in results)
    assert rules_right == 0  # the rules cannot see the site phrase
    assert combined_right >= 0.8 * len(results)
    # a suggestion that is not the rules' choice is never routed automatically
    assert all(o.blocked for o in results if o.top != o.rules_label)

    # the control: coders kept the rules' own choice on every one of these reports
    confirmed = [
        dict(r, expected=dict(r["expected"], codes=list(item.rules.codes)))
        for r, item in zip(corrected, read_items(corrected), strict=True)
    ]
    control = train(
        [train_file],
        calib_file,
        feedback_files=[_write(tmp_path / "confirmed.jsonl", confirmed)],
        seed=7,
        jobs=1,
        classifier_params=SMALL,
    )
    assert control.card["first"] == "rules" and control.card["switch_margin"] is None
    assert control.card["switch_evidence"]["won"] == 0
