"""Features of one report, computed from arrays spaCy already holds (no Python loop
over tokens, no second tokenizer): hashed word unigrams and bigrams of the lower-cased
text, and one-hot features of the extracted facts.

Hashing keeps the artifact small and the vocabulary open (a misspelling in a new report
simply lands in some bucket). The classifier sees what the pipeline read, never what the
rules decided from it: it learns the step from facts to codes on its own, so where it
disagrees with the rules the two are independent readings, and the ranker that combines
them (stage 2) learns which to trust.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER
from spacy.tokens import Doc

from nlp.facts import StudyFacts

_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)


def text_hashes(doc: Doc) -> np.ndarray:
    """64-bit hashes of the unigrams and bigrams of a Doc's words (spaCy's LOWER ids)."""
    arr = doc.to_array([LOWER, IS_PUNCT, IS_SPACE])
    if arr.size == 0:
        return np.zeros(0, dtype=np.uint64)
    words = arr[(arr[:, 1] == 0) & (arr[:, 2] == 0), 0].astype(np.uint64)
    if words.size > 1:
        with np.errstate(over="ignore"):
            bi = (words[:-1] * _BIGRAM_MIX) ^ words[1:]
        return np.concatenate([words, bi])
    return words


def text_columns(hashes: np.ndarray, bits: int) -> np.ndarray:
    """The hashed text columns (0 .. 2**bits - 1) present in a report."""
    return np.unique((hashes & np.uint64((1 << bits) - 1)).astype(np.int64))


def _bucket(n: int | None, cap: int) -> str:
    return "none" if n is None else str(min(int(n), cap))


def fact_tokens(facts: StudyFacts) -> list[str]:
    """The categorical features of one report's facts (the date of service by year)."""
    toks = [
        f"modality={facts.modality}",
        f"ct_purpose={facts.ct_purpose}",
        f"area_count={_bucket(facts.area_count, 4)}",
        f"spect_days={_bucket(facts.spect_days, 3)}",
        f"acquisitions={_bucket(facts.acquisitions, 3)}",
        f"wb={facts.whole_body_planar}",
        f"wb_days={_bucket(facts.whole_body_days, 2)}",
        f"wb_bone={facts.whole_body_bone}",
        f"planar_areas={_bucket(len(facts.planar_areas), 2)}",
        f"planar_days={_bucket(facts.planar_days, 2)}",
        f"three_phase={facts.three_phase}",
        f"flow={facts.flow_imaging}",
        f"quant={facts.quantification}",
        f"study={facts.study_type}",
        f"cardiac_studies={_bucket(facts.cardiac_studies, 2)}",
        f"aborted={facts.spect_aborted}",
        f"single_fov={facts.single_field_of_view}",
        f"contradiction={bool(facts.contradictions)}",
        f"dos_source={facts.dos_source}",
        f"dos_year={_year(facts)}",
    ]
    toks += [f"{k}={v}" for k, v in evidence_signals(facts).items()]
    toks += [f"area={a}" for a in facts.areas]
    toks += [f"tracer={t}" for t in facts.radiopharmaceuticals]
    toks += [f"{a}&{b}" for a, b in _crosses(facts)]
    return toks


def _year(facts: StudyFacts) -> str:
    return "none" if facts.dos is None else str(facts.dos.year)


def evidence_signals(facts: StudyFacts) -> dict[str, bool]:
    """Whether the facts that decide the code were read from the text or defaulted, and
    whether the report holds traps; the ranker learns how far to trust the rules then."""
    kinds = {e.fact for e in facts.evidence if e.context is None}
    excluded = {e.fact for e in facts.evidence if e.context is not None}
    return {
        "areas_read": "area" in kinds,
        "days_read": "spect_day" in kinds,
        "ct_read": "ct" in kinds or "ct_excluded" in kinds,
        "spect_excluded": "spect_excluded" in kinds or "spect_excluded" in excluded,
        "study_read": "study_type" in kinds,
        "dos_read": "dos" in kinds,
    }


def _crosses(facts: StudyFacts) -> Iterable[tuple[str, str]]:
    study = f"study={facts.study_type}"
    modality = f"modality={facts.modality}"
    yield study, modality
    yield f"dos_year={_year(facts)}", study
    yield f"dos_year={_year(facts)}", modality
    yield modality, f"area_count={_bucket(facts.area_count, 2)}"
    yield modality, f"ct_purpose={facts.ct_purpose}"


class FactVocabulary:
    """Maps fact tokens to columns after the hashed text columns (learned in `fit`)."""

    def __init__(self) -> None:
        self.index_: dict[str, int] = {}

    def fit(self, token_lists: Iterable[Sequence[str]]) -> FactVocabulary:
        for toks in token_lists:
            for t in toks:
                if t not in self.index_:
                    self.index_[t] = len(self.index_)
        return self

    @property
    def size(self) -> int:
        return len(self.index_)

    def columns(self, toks: Sequence[str], offset: int) -> list[int]:
        return [offset + self.index_[t] for t in toks if t in self.index_]


def build_matrix(
    rows: Sequence[tuple[np.ndarray, list[str]]], vocab: FactVocabulary, bits: int
) -> sp.csr_matrix:
    """A CSR matrix: 2**bits hashed text columns weighted 1/sqrt(n) (unit norm), then one
    column per known fact token."""
    text_dim = 1 << bits
    indptr = [0]
    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    for hashes, toks in rows:
        text_idx = text_columns(hashes, bits)
        cols = np.asarray(vocab.columns(toks, text_dim), dtype=np.int64)
        w_text = 1.0 / np.sqrt(max(1, text_idx.size))
        indices.append(text_idx)
        indices.append(cols)
        data.append(np.full(text_idx.size, w_text))
        data.append(np.ones(cols.size))
        indptr.append(indptr[-1] + text_idx.size + cols.size)
    n_cols = text_dim + vocab.size
    if not rows:
        return sp.csr_matrix((0, n_cols))
    return sp.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), np.asarray(indptr)),
        shape=(len(rows), n_cols),
    )


def example(doc: Doc, facts: StudyFacts) -> tuple[np.ndarray, list[str]]:
    return text_hashes(doc), fact_tokens(facts)
