"""Stage 1: a linear classifier from a report's features to a code set.

Follows the scikit-learn estimator contract: `__init__` stores parameters, `fit` returns
self, learned attributes end in `_`, prediction checks that the model is fitted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from nlp.model.features import FactVocabulary, build_matrix

OTHER = "__OTHER__"
Example = tuple[np.ndarray, list[str]]


class CodeSetClassifier(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression over hashed text and one-hot fact features.

    Code sets seen fewer than `min_class_count` times are pooled as `__OTHER__`.
    """

    def __init__(
        self,
        C: float = 4.0,
        min_class_count: int = 3,
        max_iter: int = 200,
        tol: float = 1e-4,
        text_bits: int = 15,
    ) -> None:
        self.C = C
        self.text_bits = text_bits
        self.min_class_count = min_class_count
        self.max_iter = max_iter
        self.tol = tol

    def fit(
        self, X: Sequence[Example], y: Sequence[str], sample_weight: Sequence[float] | None = None
    ) -> CodeSetClassifier:
        counts = Counter(y)
        labels = [lab if counts[lab] >= self.min_class_count else OTHER for lab in y]
        self.vocab_ = FactVocabulary().fit(toks for _, toks in X)
        matrix = build_matrix(X, self.vocab_, self.text_bits)
        self.lr_ = LogisticRegression(C=self.C, max_iter=self.max_iter, tol=self.tol)
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.lr_.fit(matrix, labels, sample_weight=weights)
        # kept in single precision: the weights are most of the artifact, which is
        # committed with every retrain; the probabilities move by well under 1e-6
        self.lr_.coef_ = self.lr_.coef_.astype(np.float32)
        self.__dict__.pop("_weights_cache", None)  # made from the new weights when asked
        self.classes_ = self.lr_.classes_
        return self

    def predict_proba(self, X: Sequence[Example]) -> np.ndarray:
        """Class probabilities: the softmax of the linear scores, as scikit-learn's
        multinomial model computes them, without its per-call input validation (which
        cost more than the prediction on one report)."""
        check_is_fitted(self, "lr_")
        matrix = build_matrix(X, self.vocab_, self.text_bits)
        scores = np.asarray(matrix @ self._weights()) + self.lr_.intercept_
        if scores.shape[1] == 1:  # two classes: a single logit
            p1 = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - p1, p1])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        result: np.ndarray = scores
        return result

    def _weights(self) -> np.ndarray:
        """The weights as the sparse product reads them: features by classes, row-major, in
        double precision. `coef_.T` is neither, so scipy copied and widened the whole matrix
        (some 13 MB) on every call, most of the cost of scoring one report; the copy is now
        made once (and left out of the saved artifact). The products are the same numbers."""
        weights: np.ndarray | None = self.__dict__.get("_weights_cache")
        if weights is None:
            weights = np.ascontiguousarray(self.lr_.coef_.T, dtype=np.float64)
            self.__dict__["_weights_cache"] = weights
        return weights

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        state = dict(state)
        state.pop("_weights_cache", None)
        return state

    def predict(self, X: Sequence[Example]) -> np.ndarray:
        proba = self.predict_proba(X)
        result: np.ndarray = self.classes_[np.argmax(proba, axis=1)]
        return result

    def describe(self) -> dict[str, Any]:
        check_is_fitted(self, "lr_")
        return {
            "classes": len(self.classes_),
            "fact_features": self.vocab_.size,
            "text_columns": 1 << self.text_bits,
            "C": self.C,
        }
