"""Every `Doc`/`Span` extension attribute the pipeline sets, declared in one place."""

from __future__ import annotations

from spacy.tokens import Doc


def register_extensions() -> None:
    # Set by spect_sections: list[SectionSpan] in text order.
    if not Doc.has_extension("sections"):
        Doc.set_extension("sections", default=None)
    # Set by spect_mentions: list[Mention] (procedure, area, tracer, study and day mentions).
    if not Doc.has_extension("mentions"):
        Doc.set_extension("mentions", default=None)
    # Set by spect_context: list[Cue] found in the document.
    if not Doc.has_extension("cues"):
        Doc.set_extension("cues", default=None)
    # Set by spect_sentences (read by every later component): DocArrays, token attributes
    # as numpy arrays plus the sentence table.
    if not Doc.has_extension("arrays"):
        Doc.set_extension("arrays", default=None)
    # The report text, built once: spaCy's `doc.text` joins every token on each access.
    if not Doc.has_extension("text"):
        Doc.set_extension("text", default=None)
    # The report exactly as given, when the tokenizer read it unwrapped (nlp.pipeline.unwrap:
    # hard-wrap line breaks as spaces, same length); evidence quotes this text.
    if not Doc.has_extension("source_text"):
        Doc.set_extension("source_text", default=None)
    # Offsets into `doc._.text` of the line breaks a hard-wrapped export may have put at a
    # sentence end (nlp.pipeline.unwrap.read_wrapped): a label there starts no line
    # of its own for the sections.
    if not Doc.has_extension("soft_breaks"):
        Doc.set_extension("soft_breaks", default=())
    # An `nlp.pipeline.offsets.OffsetMap` when reading the report shortened its text
    # (markup, runs of spaces, OCR's "rn" for "m"), else None: evidence offsets go
    # through it to index `source_text`.
    if not Doc.has_extension("source_offsets"):
        Doc.set_extension("source_offsets", default=None)
    # The date of service from the input record (a column or field), set before the
    # pipeline runs (`nlp.pipeline.make_doc`), else None: with no date of service in the
    # text it is the injection day that image dates count from.
    if not Doc.has_extension("record_dos"):
        Doc.set_extension("record_dos", default=None)
    # Set by spect_facts: the StudyFacts of the report.
    if not Doc.has_extension("facts"):
        Doc.set_extension("facts", default=None)


register_extensions()
