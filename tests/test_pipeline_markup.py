"""HTML left in exported reports: tags and character references read as the text they
mark up, evidence still quoting the export."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.pipeline.markup import strip_markup
from tests.pipeline_support import assert_facts, assert_maps_back, facts_of

P = pytest.param


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("<b>EXAM:</b>&nbsp;NM BONE<br>", " EXAM: \u00a0NM BONE\n", id="inline-tags-entity-br"),
        P(
            "<p>Technique</p>\n<p>SPECT</p>",
            "\nTechnique \n SPECT\n",
            id="block-tags-beside-newlines",
        ),
        P("R &amp; L knees", "R & L knees", id="named-reference"),
        P("patient&#39;s pelvis &#x2013; left", "patient's pelvis \u2013 left", id="numeric"),
        P('<span style="font-weight:bold">SPECT/CT</span>', " SPECT/CT ", id="attributes"),
        P("SUV <2.5, lesion <5 mm, a<b", "SUV <2.5, lesion <5 mm, a<b", id="not-tags"),
        P("AT&T &unknown; &amp", "AT&T &unknown; &amp", id="not-references"),
        P("## Technique\n**Dose:** 20 mCi", "Technique\nDose: 20 mCi", id="md-heading-bold"),
        P("### Impression ###\n*CT:* none", "Impression\nCT: none", id="md-closed-heading-italic"),
        P("  ▪ knees\n► ankles", "  - knees\n- ankles", id="md-bullet-glyphs"),
        P(
            "SUV 4.1* (*see note)\n* planar only\n2*3",
            "SUV 4.1* (*see note)\n* planar only\n2*3",
            id="md-lone-asterisks",
        ),
        P("Accession # 4471\n#5 rib", "Accession # 4471\n#5 rib", id="md-not-headings"),
    ],
)
def test_strip_markup(text: str, expected: str) -> None:
    read, offsets = strip_markup(text)
    assert read == expected
    # every kept character maps back onto the character (or the markup) it came from; a
    # bullet glyph is read as "-"
    assert_maps_back(
        text, read, offsets, lambda src, ch: src == ch or src in "<&" or (ch == "-" and src in "▪►")
    )


MARKDOWN = [
    P(
        "## Bone scan, whole body and SPECT/CT\n**Date of exam:** 02/03/2022\n\n"
        "**TECHNIQUE**\n- Whole-body planar imaging 3 h after Tc-99m MDP.\n"
        "- SPECT/CT of the pelvis; CT used for localization.\n\n## Findings\n"
        "▪ *Planar images:* a focus in the left 5th rib; no CT of the ribs.\n"
        "▪ *SPECT/CT:* sacral insufficiency fracture.",
        {
            "modality": "spect_ct",
            "areas": ("pelvis",),
            "area_count": 1,
            "whole_body_planar": True,
            "has_contradiction": False,
        },
        {"pelvis"},
        id="md-findings-heading-scopes-ct-denial",
    ),
    P(
        "**Comparison**\nSPECT/CT of the chest, 2020.\n\n**Technique**\n"
        "Planar spot views of both knees after Tc-99m MDP.",
        {"modality": "planar", "area_count": None, "has_contradiction": False},
        set(),
        id="md-bold-line-comparison-header",
    ),
]


@pytest.mark.parametrize(
    "change",
    [lambda t: t.replace(" ", "\u00a0"), str.lower],
    ids=["no-break-spaces", "lower-case"],
)
def test_pipeline_markdown_headings_survive_spaces_and_case(nlp: Language, change) -> None:
    """A Markdown export with no-break spaces, or typed in lower case, has the same sections.
    (In capitals, "- PLANAR IMAGES:" still opens a technique section: an all-caps label
    inside a line is a header, as "COMPARISON: NONE TECHNIQUE: ..." needs.)"""
    text = str(MARKDOWN[0].values[0])
    assert [s.label for s in nlp(change(text))._.sections] == [
        s.label for s in nlp(text)._.sections
    ]


@pytest.mark.parametrize(("text", "expected", "quotes"), MARKDOWN)
def test_pipeline_reads_markdown_exports(
    nlp: Language, text: str, expected: dict, quotes: set[str]
) -> None:
    facts = facts_of(nlp, text)
    assert_facts(facts, expected)
    assert quotes <= {e.text for e in facts.evidence if e.fact == "area"}
    for e in facts.evidence:
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    ("text", "expected", "quotes"),
    [
        P(
            "<html><body><b>EXAM:</b>&nbsp;NM BONE SCAN<br><b>TECHNIQUE:</b>&nbsp;Whole"
            "&nbsp;body planar at 3&nbsp;h. SPECT/CT of the lumbar spine &amp; pelvis.<br>"
            "<b>COMPARISON:</b>&nbsp;SPECT/CT of the chest 2021.<br></body></html>",
            {"modality": "spect_ct", "areas": ("abdomen", "pelvis"), "whole_body_planar": True},
            {"lumbar spine", "pelvis"},
            id="html-export",
        ),
        P(
            "<p><b>TECHNIQUE:</b> SPECT of the neck.</p><p><b>CT:</b> not&nbsp;performed.</p>",
            {"modality": "spect", "areas": ("neck",)},
            {"neck"},
            id="paragraphs",
        ),
    ],
)
def test_pipeline_reads_html_exports(
    nlp: Language, text: str, expected: dict, quotes: set[str]
) -> None:
    facts = facts_of(nlp, text)
    assert_facts(facts, expected)
    area_quotes = {e.text for e in facts.evidence if e.fact == "area"}
    assert quotes <= area_quotes
    for e in facts.evidence:
        assert text[e.start : e.end] == e.text
