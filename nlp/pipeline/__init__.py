"""The spaCy pipeline that reads a report's facts, with the text that proves each.

    spacy.blank("en") + report tokenizer rules
      -> spect_sections   (technique, findings, impression, comparison, history, addendum)
      -> spect_sentences  (boundaries that survive lists and glued headers)
      -> spect_mentions   (procedures, areas, tracers, study cues, day phrases)
      -> spect_context    (negated, aborted, recommended, historical: cue and scope)
      -> spect_facts      (StudyFacts with evidence)

No model is downloaded: every component is rules and data (`nlp/patterns/*.jsonl`), and
the whole pipeline saves and loads with `to_disk` / `spacy.load`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlp.facts import StudyFacts, parse_date
from nlp.pipeline import context, facts, mentions, sections, sentences  # noqa: F401  (register factories)
from nlp.pipeline.tokenizer import customize_tokenizer

COMPONENTS = ("spect_sections", "spect_sentences", "spect_mentions", "spect_context", "spect_facts")
# Reports longer than this are refused rather than silently truncated (spaCy's own limit).
MAX_CHARS = 1_000_000


def build_pipeline() -> Language:
    """A fresh pipeline from the bundled pattern files."""
    nlp = customize_tokenizer(spacy.blank("en"))
    nlp.max_length = MAX_CHARS
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def load_pipeline(path: str | Path) -> Language:
    """A pipeline saved with `nlp.to_disk(path)`, with the patterns it was saved with."""
    nlp = spacy.load(path)
    return customize_tokenizer(nlp)


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """The process-wide pipeline (built once)."""
    return build_pipeline()


def make_doc(nlp: Language, text: str, dos: dt.date | None) -> Doc:
    """The report tokenized for `nlp`, with the date of service of its input record (the
    day its images' dates count from when the text states none)."""
    doc = nlp.make_doc(text)
    doc._.record_dos = dos
    return doc


def extract(text: str, dos: str | dt.date | None = None) -> StudyFacts:
    """The facts of one report. `dos` (from the input record) overrides a date in the text."""
    nlp = get_pipeline()
    doc = nlp(make_doc(nlp, text, parse_date(dos)))
    result: StudyFacts = doc._.facts
    return result.with_dos(parse_date(dos))


def extract_many(texts: Iterable[str], batch_size: int = 64) -> Iterator[StudyFacts]:
    for doc in get_pipeline().pipe(texts, batch_size=batch_size):
        yield doc._.facts
