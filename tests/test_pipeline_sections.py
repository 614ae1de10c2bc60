"""Sections, transcription formats and the date of service.

Transcription formats (policy section 9): all-caps headers, headers glued to text with
commas, missing newlines, bullet lists, numbered impressions, CRLF line ends. The date of
service comes from labelled header dates only (policy section 1, LABELING.md "Date of
service"), never from injection, comparison or history dates; the record's date wins.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.pipeline import extract
from nlp.pipeline.unwrap import unwrap
from tests.pipeline_support import assert_facts, assert_offsets, facts_of

P = pytest.param


D = dt.date

FORMATS = [
    P(
        "EXAM: NM BONE SPECT/CT\nTECHNIQUE: SPECT/CT OF THE LUMBAR SPINE AND PELVIS WAS "
        "PERFORMED 3 HOURS AFTER INJECTION OF 24 MCI TC-99M MDP.\nFINDINGS: NO FOCAL "
        "ABNORMALITY.\nIMPRESSION: NEGATIVE.",
        {
            "modality": "spect_ct",
            "areas": ("abdomen", "pelvis"),
            "area_count": 2,
            "spect_days": 1,
            "study_type": "bone",
        },
        id="all-caps-report",
    ),
    P(
        "INDICATION:,  Hip pain.,TECHNIQUE:,  Planar images of the pelvis 3 hours after "
        "Tc-99m MDP.,FINDINGS:,  Mild uptake in the left hip.,IMPRESSION:,  1. Degenerative "
        "change.,  2. Recommend SPECT/CT if symptoms persist.",
        {"modality": "planar", "area_count": None, "spect_days": None},
        id="comma-glued-recommendation",
    ),
    P(
        "COMPARISON:,  SPECT/CT 4/2/2021.,TECHNIQUE:,  Planar whole body images 3 hours "
        "after Tc-99m MDP.,IMPRESSION:,  Stable.",
        {"modality": "planar", "area_count": None, "whole_body_planar": True},
        id="comma-glued-comparison",
    ),
    P(
        "HISTORY:, Lung cancer., FINDINGS:, SPECT/CT of the chest shows a hypermetabolic "
        "right hilar focus., IMPRESSION:, Hilar uptake.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1},
        id="glued-findings-header",
    ),
    P(
        "EXAM: NM bone SPECT TECHNIQUE: SPECT of the cervical spine 3 hours post injection "
        "FINDINGS: Facet uptake at C5-C6 on the left IMPRESSION: Facet arthropathy",
        {"modality": "spect", "areas": ("neck",), "area_count": 1},
        id="missing-newlines",
    ),
    P(
        "TECHNIQUE:\n- Whole body planar images at 3 hours\n- SPECT/CT of the thoracic spine"
        "\nFINDINGS:\n- Uptake at T7",
        {
            "modality": "spect_ct",
            "areas": ("chest",),
            "area_count": 1,
            "whole_body_planar": True,
        },
        id="dash-bullets",
    ),
    P(
        "Procedure:\n\u2022 Flow and blood pool images of the left foot\n\u2022 Delayed planar "
        "images\n\u2022 SPECT/CT of both ankles and feet",
        {"modality": "spect_ct", "areas": ("lower_extremities",), "area_count": 1},
        id="round-bullets",
    ),
    P(
        "TECHNIQUE: Whole body planar images 3 hours after Tc-99m MDP.\nIMPRESSION:\n"
        "1. No osseous metastases.\n2. Mild degenerative uptake in the knees.\n3. SPECT/CT "
        "could be considered for the indeterminate rib focus.",
        {"modality": "planar", "area_count": None, "whole_body_planar": True},
        id="numbered-impression-recommendation",
    ),
    P(
        "TECHNIQUE:\n1) Planar whole body images at 3 hours.\n2) SPECT/CT of the chest and "
        "abdomen.\nFINDINGS: No abnormal uptake.",
        {
            "modality": "spect_ct",
            "areas": ("chest", "abdomen"),
            "area_count": 2,
            "whole_body_planar": True,
        },
        id="numbered-technique",
    ),
    P(
        "technique: spect/ct of the sacroiliac joints after 3 hours.\nimpression: "
        "sacroiliitis on the right.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="lowercase-headers",
    ),
    P(
        "EXAM: NM bone scan\r\nTECHNIQUE: SPECT of the lumbar spine at 3 hours.\r\n"
        "COMPARISON: SPECT/CT of 2021.\r\nIMPRESSION: Stable.\r\n",
        {"modality": "spect", "areas": ("abdomen",), "area_count": 1},
        id="crlf-line-ends",
    ),
    P(
        "TECHNIQUE\nSPECT/CT of the pelvis was performed 4 hours after injection.\n"
        "FINDINGS\nNo abnormal uptake.",
        {"modality": "spect_ct", "areas": ("pelvis",), "area_count": 1},
        id="headers-without-colons",
    ),
    P(
        "TECHNIQUE: WHOLE BODY PLANAR IMAGES. SPECT WAS NOT PERFORMED.",
        {"modality": "planar", "area_count": None, "whole_body_planar": True},
        id="all-caps-negation",
    ),
    P(
        "TECHNIQUE:\tSPECT/CT   of the    right knee\twas acquired.",
        {"modality": "spect_ct", "areas": ("lower_extremities",), "area_count": 1},
        id="tabs-and-extra-spaces",
    ),
]

DATES = [
    # delimited exports: the value under the DOS column of the header line
    P(
        "ACC|MRN|DOS|EXAM_DESC|RESULT_TEXT\n5501|*****|2018-11-02|NM BONE SPECT|SPECT of the "
        "pelvis, no CT.",
        D(2018, 11, 2),
        id="pipe-export-dos-column",
    ),
    P(
        "accession; study_date; report\n88; 03/04/2019; Bone SPECT of the lumbar spine.",
        D(2019, 3, 4),
        id="semicolon-export-study-date-column",
    ),
    P(
        "ACC|MRN|DOS|TEXT\n5501|*****|pending|SPECT of the pelvis on 2018-11-02.",
        None,
        id="export-dos-column-without-a-date",
    ),
    P(
        "DATE OF SERVICE: 03/04/2022\nTECHNIQUE: SPECT/CT of the pelvis.",
        D(2022, 3, 4),
        id="date-of-service",
    ),
    P("Exam date: 2021-11-15\nSPECT of the chest.", D(2021, 11, 15), id="exam-date-iso"),
    P("EXAM DATE: 12/31/2019\nSPECT of the skull.", D(2019, 12, 31), id="exam-date-caps"),
    P(
        "Date of exam: January 5, 2019\nSPECT/CT of the neck.",
        D(2019, 1, 5),
        id="date-of-exam-month-name",
    ),
    P("Study date: 02/05/2020\nSPECT of the lumbar spine.", D(2020, 2, 5), id="study-date"),
    P("DOS: 7/9/2023\nSPECT/CT of the abdomen.", D(2023, 7, 9), id="dos-label"),
    P(
        "Injection date: 2/2/2022. SPECT/CT of the pelvis at 3 hours.",
        None,
        id="injection-date-is-not-dos",
    ),
    P(
        "COMPARISON: Bone scan 5/6/2020.\nTECHNIQUE: SPECT of the pelvis.",
        None,
        id="comparison-date-is-not-dos",
    ),
    P(
        "HISTORY: Fall on 4/4/2018 with hip pain.\nTECHNIQUE: SPECT/CT of the pelvis.",
        None,
        id="history-date-is-not-dos",
    ),
    P("TECHNIQUE: SPECT/CT of the pelvis.\nFINDINGS: Normal.", None, id="no-date"),
    P(
        "DATE OF SERVICE: 03/04/2022\nCOMPARISON: SPECT/CT 01/02/2021.\nTECHNIQUE: "
        "SPECT/CT of the chest.",
        D(2022, 3, 4),
        id="dos-before-comparison-date",
    ),
    P(
        "Radiopharmaceutical injected 8/1/2023 at 09:10.\nExam date: 8/2/2023\nSPECT/CT of "
        "the chest at 24 hours.",
        D(2023, 8, 2),
        id="injection-date-before-exam-date",
    ),
    P(
        "COMPARISON: SPECT/CT 3/3/2021.\nDATE OF SERVICE: 4/4/2022\nTECHNIQUE: SPECT of the skull.",
        D(2022, 4, 4),
        id="comparison-date-before-dos",
    ),
    P(
        "DATE OF SERVICE:, 06/07/2021,EXAM:, NM bone SPECT,TECHNIQUE:, SPECT of the sacrum.",
        D(2021, 6, 7),
        id="comma-glued-dos",
    ),
]


# Fixed-width exports wrap lines at a column; a wrapped line goes on in the next one.
WRAPPED = (
    "PROCEDURE: 21 mCi Tc-99m MDP. Anterior and posterior planar images of the pelvis\n"
    "and both hips were taken at 3 hours after injection. Bone SPECT/CT of the pelvis\n"
    "was not obtained because the patient could not lie still for the acquisition.\n"
    "IMPRESSION: Mild degenerative uptake in both hips, no fracture."
)
HARD_WRAPPED = [
    P(WRAPPED, {"modality": "planar", "area_count": None}, id="negation-wraps"),
    P(
        "TECHNIQUE: Following 24.5 mCi Tc-99m HDP, SPECT/CT was performed at 3 hours over\n"
        "the thoracic spine and the pelvis with a low-dose CT for anatomic localization.\n"
        "FINDINGS: Focal uptake at T9, which corresponds to a sclerotic lesion on the CT.",
        {"modality": "spect_ct", "areas": ("chest", "pelvis"), "area_count": 2},
        id="areas-wrap",
    ),
    P(
        "SCHEDULE:\n"
        "time      | acquisition                  | region\n"
        "4 h       | whole-body planar            | -\n"
        "day 2     | SPECT/CT with localizing CT  | abdomen\n",
        {"modality": "spect_ct", "spect_days": 1, "area_count": 1},
        id="table-rows-stay-apart",
    ),
]

SENTENCES = [
    P(
        WRAPPED,
        [
            "PROCEDURE:",
            "21 mCi Tc-99m MDP.",
            "Anterior and posterior planar images of the pelvis and both hips were taken at "
            "3 hours after injection.",
            "Bone SPECT/CT of the pelvis was not obtained because the patient could not lie "
            "still for the acquisition.",
            "IMPRESSION:",
            "Mild degenerative uptake in both hips, no fracture.",
        ],
        id="wrapped-lines-join",
    ),
    P(
        "TECHNIQUE: 22 mCi Tc-99m MDP in the left antecubital vein, imaging began at 3 hours.\n"
        "whole body planar images\n"
        "spect of the lumbar spine\n",
        [
            "TECHNIQUE:",
            "22 mCi Tc-99m MDP in the left antecubital vein, imaging began at 3 hours.",
            "whole body planar images",
            "spect of the lumbar spine",
        ],
        id="short-list-lines-are-not-wrapped",
    ),
    P(
        "Findings: there is intense uptake in the right calcaneus on the delayed images at 24 "
        "hours which persists on the next morning and is consistent with infection\n"
        "no other abnormal focus of labeled leukocytes is seen in the feet.",
        [
            "Findings:",
            "there is intense uptake in the right calcaneus on the delayed images at 24 hours "
            "which persists on the next morning and is consistent with infection",
            "no other abnormal focus of labeled leukocytes is seen in the feet.",
        ],
        id="paragraph-lines-are-not-wrapped",
    ),
    P(
        "TECHNIQUE: Anterior and posterior planar images of the pelvis were taken at 3 h:\n"
        "lateral views of both hips were added for the orthopaedic surgeon at the request.",
        [
            "TECHNIQUE:",
            "Anterior and posterior planar images of the pelvis were taken at 3 h:",
            "lateral views of both hips were added for the orthopaedic surgeon at the request.",
        ],
        id="a-line-ending-a-clause-is-not-wrapped",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HARD_WRAPPED)
def test_pipeline_sections_hard_wrapped_lines(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_pipeline_sentences_join_only_wrapped_lines(nlp, text, expected):
    """Sentences of the report as read: a wrap's line break is read as a space."""
    sentences = [s.text.strip() for s in nlp(text).sents if s.text.strip()]
    assert sentences == expected


def test_pipeline_unwrap_keeps_offsets_and_evidence_quotes_the_report(nlp):
    read = unwrap(WRAPPED)
    assert len(read) == len(WRAPPED)
    assert [i for i, (a, b) in enumerate(zip(WRAPPED, read, strict=True)) if a != b] == [
        WRAPPED.index("pelvis\nand") + 6,
        WRAPPED.index("pelvis\nwas") + 6,
    ]
    lumbar = (
        "TECHNIQUE: Three hours after 23 mCi Tc-99m MDP, SPECT/CT was acquired of the lumbar\n"
        "spine with a low-dose CT for anatomic localization of the uptake in the lower back.\n"
        "IMPRESSION: Degenerative facet uptake at L4-L5 on the left."
    )
    facts = facts_of(nlp, lumbar)
    assert_offsets(lumbar, facts)  # evidence quotes the report as sent, breaks included
    assert [e.text for e in facts.evidence if e.fact == "area"] == ["lumbar\nspine"]
    assert facts.areas == ("abdomen",)


@pytest.mark.parametrize(("text", "expected"), FORMATS)
def test_pipeline_sections_transcription_formats(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_pipeline_sections_date_of_service_from_header_label(nlp, text, expected):
    facts = facts_of(nlp, text)
    assert (facts.dos, facts.dos_source) == (expected, "text" if expected else None)


@pytest.mark.parametrize(
    ("text", "record_dos", "expected"),
    [
        P(
            "DATE OF SERVICE: 03/04/2022\nSPECT of the pelvis.",
            "2019-06-01",
            D(2019, 6, 1),
            id="record-beats-text",
        ),
        P("SPECT of the pelvis.", "2021-02-03", D(2021, 2, 3), id="record-only"),
        P("SPECT of the pelvis.", D(2020, 1, 1), D(2020, 1, 1), id="record-date-object"),
    ],
)
def test_pipeline_sections_record_date_of_service_wins(text, record_dos, expected):
    facts = extract(text, dos=record_dos)
    assert (facts.dos, facts.dos_source) == (expected, "record")


@pytest.mark.parametrize(
    ("text", "needle", "section"),
    [
        P(
            "EXAM: NM bone scan\nTECHNIQUE: SPECT/CT of the pelvis.",
            "SPECT/CT",
            "technique",
            id="technique",
        ),
        P(
            "INDICATION:,  Pain.,TECHNIQUE:,  SPECT/CT of the knees.,IMPRESSION:,  Normal.",
            "SPECT/CT",
            "technique",
            id="glued-technique",
        ),
        P(
            "FINDINGS: SPECT of the chest shows no focal uptake.",
            "SPECT",
            "findings",
            id="findings",
        ),
        P("EXAM: SPECT/CT ABDOMEN\nFINDINGS: Normal.", "SPECT/CT", "header", id="header"),
        P(
            "IMPRESSION:\n1. Normal SPECT/CT of the pelvis.",
            "SPECT/CT",
            "impression",
            id="impression",
        ),
        P(
            "TECHNIQUE: SPECT of the pelvis.\nADDENDUM: SPECT/CT of the chest was also acquired.",
            "SPECT/CT",
            "addendum",
            id="addendum",
        ),
    ],
)
def test_pipeline_sections_modality_evidence_carries_section(nlp, text, needle, section):
    facts = facts_of(nlp, text)
    start = text.index(needle)
    ev = [e for e in facts.evidence_for("modality") if e.start == start]
    assert [(e.text, e.section) for e in ev] == [(needle, section)]


@pytest.mark.parametrize(
    ("text", "needle", "section"),
    [
        P(
            "COMPARISON: SPECT/CT of 3/2021.\nTECHNIQUE: Planar whole body images.",
            "SPECT/CT",
            "comparison",
            id="comparison",
        ),
        P(
            "HISTORY: Prior SPECT showed hip uptake.\nTECHNIQUE: Planar pelvis images.",
            "SPECT",
            "history",
            id="history",
        ),
    ],
)
def test_pipeline_sections_excluded_mentions_carry_section(nlp, text, needle, section):
    facts = facts_of(nlp, text)
    start = text.index(needle)
    ev = [e for e in facts.evidence if e.start == start and e.text == needle]
    assert ev and {e.section for e in ev} == {section}
    assert facts.modality == "planar"


# Abbreviated headers ("Tech:", "Imp:", "Comp:", "Acq:") are known labels, so they open
# their sections even inside a line, as in a report exported without its line ends.
ABBREVIATED_HEADERS = [
    P(
        "Bone scan. Hx: breast ca, back pain. Tech: 25 mCi Tc-99m MDP, WB at 3 h, SPECT/CT "
        "L-spine. Imp: L2 met.",
        {"modality": "spect_ct", "areas": ("abdomen",), "whole_body_planar": True},
        id="one-line-tech-after-hx",
    ),
    P(
        "Gallium scan. Comp: SPECT/CT of the chest and abdomen 2021. Acq: SPECT of the chest "
        "at 48 h, no CT. Impr: stable.",
        {"modality": "spect", "areas": ("chest",), "area_count": 1, "contradictions": ()},
        id="one-line-comp-acq",
    ),
]


# "Amended <date>:" opens a correction of the report like "Amended report:" (LABELING.md,
# gold G: a correction that changes what was performed is coded, with review).
AMENDED_HEADERS = [
    P(
        "Technique: Ga-67 SPECT/CT of the chest at 48 h.\nImpression: sarcoid.\n\nAmended "
        "06/12: the SPECT/CT also covered the abdomen.",
        {
            "modality": "spect_ct",
            "areas": ("chest", "abdomen"),
            "area_count": 2,
            "has_contradiction": True,
        },
        id="amended-with-date-changes-areas",
    ),
    P(
        "Technique: Ga-67 SPECT/CT of the chest at 48 h.\nImpression: sarcoid.\n\nAMENDED: "
        "left hilar node, not right.",
        {"modality": "spect_ct", "area_count": 1, "contradictions": ()},
        id="amended-impression-only",
    ),
]


@pytest.mark.parametrize(("text", "expected"), AMENDED_HEADERS)
def test_pipeline_sections_amended_header_corrects(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


@pytest.mark.parametrize(("text", "expected"), ABBREVIATED_HEADERS)
def test_pipeline_sections_abbreviated_headers(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A title field with its value on the same line ("Order: ...", "Exam: ...") holds that
# line only: the free text on the next lines (no blank line between) is the report's own,
# so a "no images were acquired" there says the study was not performed (LABELING.md gold
# M), and an order for SPECT is not a SPECT that was done.
FIELD_LINE_HEADERS = [
    P(
        "GALLIUM SCAN\nOrder: Ga-67 whole-body imaging with SPECT/CT of the chest.\n"
        "8 mCi Ga-67 citrate given on Monday. The patient was admitted the next day and "
        "never came back to the department; no images were acquired.",
        {"modality": "none", "area_count": None, "spect_days": None},
        id="order-line-then-no-images",
    ),
    # contrast: the value of an exam field is the study when nothing below contradicts it
    P(
        "Exam: Tc-99m MDP SPECT/CT of the lumbar spine\nFindings: L3 compression fracture.",
        {"modality": "spect_ct", "areas": ("abdomen",)},
        id="exam-line-alone-still-names-the-study",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FIELD_LINE_HEADERS)
def test_pipeline_sections_field_line_header(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A known header on a line of its own may carry a bracket ("TECHNIQUE (today)"): the
# prior study's "no SPECT" below such a comparison header is not about this study.
QUALIFIED_BARE_HEADERS = [
    P(
        "PRIOR STUDIES (two outside reports)\n1. Bone scan: planar images, no SPECT.\n\n"
        "TECHNIQUE (today)\nSPECT/CT of the chest 3 h after Tc-99m MDP.",
        {"modality": "spect_ct", "areas": ("chest",), "area_count": 1, "contradictions": ()},
        id="caps-headers-with-brackets",
    ),
]


@pytest.mark.parametrize(("text", "expected"), QUALIFIED_BARE_HEADERS)
def test_pipeline_sections_bare_header_with_bracket(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# Follow-up reports list their priors under short labels ("Priors:", "Prior:", "Previous
# exams:"): what those studies had (a "planar only" one, a SPECT/CT of another area) is
# not this study's technique.
PRIOR_LABELS = [
    P(
        "Octreotide scan\nPriors: 2021 planar WB only; 2022 SPECT/CT of the chest.\n"
        "Technique: whole-body planar at 24 h, then SPECT/CT of the abdomen.\nFindings: stable.",
        {
            "modality": "spect_ct",
            "areas": ("abdomen",),
            "whole_body_planar": True,
            "contradictions": (),
        },
        id="priors-planar-only-and-other-area",
    ),
    P(
        "MIBG scan\nPrior: 03/2020 MIBG (planar only).\nSPECT/CT of the chest and abdomen "
        "at 24 h after whole-body planar imaging.\nImpression: response.",
        {"modality": "spect_ct", "area_count": 2, "contradictions": ()},
        id="prior-singular-planar-only",
    ),
    P(
        "Gallium scan\nPrevious exams: 2019 SPECT of the pelvis, no CT.\nPlanar images of the "
        "chest only today.",
        {"modality": "planar", "area_count": None, "contradictions": ()},
        id="previous-exams-spect-not-today",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PRIOR_LABELS)
def test_pipeline_sections_prior_study_labels(nlp, text, expected):
    assert_facts(facts_of(nlp, text), expected)


# A template row of several aligned fields ends with a field's value, not a wrapped phrase:
# "CT: --" then the next line is no "CT: -- Mild uptake ..." (LABELING.md, gold Q).
FORM_ROWS = [
    P(
        "Tc-99m ECD brain perfusion, 25 mCi injected at rest with the eyes open.\n"
        "Brain SPECT at 45 min after the injection.   SPECT/CT: N/A   CT: --\n"
        "Reduced perfusion of the right parietal cortex, otherwise a normal pattern.",
        True,
        id="aligned-fields-keep-their-line-end",
    ),
    # contrast: an indented field line of prose still wraps
    P(
        "Tc-99m ECD brain perfusion, 25 mCi injected at rest with the eyes open, then\n"
        "        Brain SPECT: acquired at 45 min after the injection of the tracer and\n"
        "reconstructed with attenuation correction by the calculated method here.",
        False,
        id="indented-field-still-wraps",
    ),
]


@pytest.mark.parametrize(("text", "keeps_second_break"), FORM_ROWS)
def test_pipeline_unwrap_keeps_form_rows(text, keeps_second_break):
    second = text.index("\n", text.index("\n") + 1)
    assert (unwrap(text)[second] == "\n") is keeps_second_break


# Exports wrap at 60 to 80 columns, re-wrap a report already wrapped, indent every line,
# and cut table rows. `joins` are the numbers of the line breaks read as spaces (0 = the
# break after the first line); every other break stays.
EXPORT_WRAPS = [
    P(
        # a report exported in lower case: an export's header fields ("result status:",
        # "imaging date:", dot leaders before the colon) start lines of their own
        "result: nm gallium w spect/ct of the chest and abdomen      result status: final\n"
        "collected/injected: 05/02/2022 09:10   resulted: 05/05/2022 08:51\n"
        "exam date..: 05/04/2022\n"
        "ga-67 citrate 5 mci. spect/ct of the chest and abdomen at 48 hours after injection.",
        [],
        id="lower-case-export-header-fields",
    ),
    P(
        # contrast: in the same lower-case report a sentence wrapped at the column goes on
        "ga-67 citrate 5 mci iv. whole body planar images and spect/ct of the chest and the\n"
        "upper abdomen were acquired at 48 hours after the injection, fused with low-dose ct\n"
        "exam date..: 05/04/2022",
        [0],
        id="lower-case-wrapped-sentence-goes-on",
    ),
    P(
        # the short rest of a wrapped line ending in "of" goes on into a one-word line
        "NOTE: The patient's weight exceeds the limit of the imaging table, so after\n"
        "discussion planar views were acquired instead of\n"
        "SPECT.\n"
        "Rest: Tc-99m tetrofosmin 12 mCi, planar images in three projections.",
        [0, 1],
        id="short-rest-ending-in-of-goes-on",
    ),
    P(
        # contrast: a short rest that ends its clause stays apart from the next line
        "NOTE: The patient's weight exceeds the limit of the imaging table, so after\n"
        "discussion planar views were acquired instead.\n"
        "SPECT: not performed.\n"
        "Rest: Tc-99m tetrofosmin 12 mCi, planar images in three projections.",
        [0],
        id="short-rest-ending-its-clause-stays",
    ),
    P(
        # a clause opened by "No" at the wrap column goes on into a line that would read as
        # a field ("CT was acquired with this study:")
        "Technique: Tc-99m denatured red cells. Planar abdomen at 1 h. SPECT of the left\n"
        "upper quadrant was acquired on the same dual-head camera as the planar ones. No\n"
        "CT was acquired with this study: the outside CT was loaded for comparison.\n"
        "Impression: Splenule.",
        [0, 1],
        id="clause-opened-by-no-goes-on",
    ),
    P(
        # contrast: a field whose value is "No" at the line end ends there
        "SPECT performed: Yes        CT acquired with this study for fusion: No\n"
        "CT was acquired elsewhere:   the outside CT was loaded for comparison.\n"
        "Impression: Splenule in the left upper quadrant, no other finding of note.",
        [],
        id="field-value-no-ends-its-line",
    ),
    P(
        # rule lines and a banner drawn wider than the column the text was wrapped at
        "=========================================================================\n"
        "ST. ALBAN MEDICAL CENTER         NUCLEAR MEDICINE        ACC: 55-0193-NM\n"
        "TECHNIQUE: In-111 pentetreotide. SPECT/CT of the abdomen was taken at\n"
        "4 hours and again at 24 hours, both with a low-dose CT for fusion.\n"
        "=========================================================================",
        [2],
        id="rule-lines-do-not-set-the-wrap-column",
    ),
    P(
        # an export that numbers its lines: the numbers are a margin
        "0011 TECHNIQUE: 22 mCi Tc-99m MDP. Delayed planar images of both\n"
        "0012 ankles and feet at 3 hours in the plantar and lateral views.\n"
        "0013 IMPRESSION: Stress reaction of the left second metatarsal.\n"
        "0014 Electronically signed by Dr. Imogen Castellanos-Whitby on 03/04/2022 16:41",
        [0],
        id="line-numbers-are-a-margin",
    ),
    P(
        "    TECHNIQUE: 21 mCi Tc-99m MDP. Anterior and posterior planar images of\n"
        "    the pelvis were taken at 3 hours; SPECT/CT of the lumbar spine was\n"
        "    added for the pain in the lower back.\n"
        "    IMPRESSION: No fracture.",
        [0, 1],
        id="an-indent-on-every-line-is-a-margin",
    ),
    P(
        "TECHNIQUE: Bone scan after 20 mCi Tc-99m MDP given on the ninth of\n"
        "March at 14:30, planar images of the whole skeleton at three hours.",
        [0],
        id="a-clock-time-is-no-field",
    ),
    P(
        # a report wrapped at 76 columns, wrapped again at 66: short rests between
        "TECHNIQUE: 20 mCi Tc-99m MDP given at 09:10. Anterior and posterior\n"
        "whole\n"
        "body images at 3 hours and a SPECT of the lumbar spine were obtained\n"
        "and\n"
        "reviewed with the radiograph of the spine from the same morning.",
        [0, 1, 2, 3],
        id="a-re-wrapped-rest-goes-on",
    ),
    P(
        "NORTHFIELD REGIONAL HOSPITAL - NUCLEAR MEDICINE\n"
        "Westbrook Campus\n"
        "TECHNIQUE: Anterior and posterior planar images of the pelvis were\n"
        "taken three hours after the injection of the tracer in the arm.",
        [2],
        id="a-break-the-next-word-would-have-fit-is-the-writers",
    ),
    P(
        "Uptake ratios\n"
        "  Site                    Before          After\n"
        "  Left femoral neck       3.1             2.2\n"
        "Interpretation of the ratios was limited by the motion of the patient.",
        [],
        id="a-tables-last-row-stays-apart",
    ),
    P(
        "TECHNIQUE: 22 mCi Tc-99m MDP, anterior and posterior whole body images;\n"
        "SPECT/CT of the thoracic spine with a low-dose CT for localization.",
        [0],
        id="a-semicolon-at-the-wrap-column",
    ),
    P(
        "DOSIMETRY: The planned activity from the SPECT/CT of the liver (about 1.4\n"
        "GBq): the tumour dose is high and the liver dose is within limits.",
        [0],
        id="an-open-bracket-goes-on",
    ),
    P(
        "HISTORY: Knee arthroplasty of 2020, pain and swelling since spring. CRP\n"
        "38.\n"
        "TECHNIQUE: Three phase bone scan of both knees with 25 mCi Tc-99m MDP.",
        [0],
        id="a-number-alone-ends-a-sentence-not-a-list-item",
    ),
    P(
        "WHOLE BODY BONE SCAN WITH SPECT/CT OF THE THORACIC SPINE AND THE LUMBAR\n"
        "SPINE AND PELVIS\n"
        "HISTORY: Breast cancer, pain in the back for two months, rising markers.",
        [0],
        id="a-title-in-capitals-wrapped",
    ),
    P(
        "Day | Agent | Images | Camera\n"
        "1 | Tc-99m MDP 20 mCi | anterior and posterior planar views |\n"
        "dual head\n"
        "2 | none | SPECT/CT of the pelvis with a low-dose CT | hybrid",
        [1],
        id="a-table-row-cut-by-the-wrap",
    ),
    P(
        # a colon where the next word would not have fit, going on in lower case, in a
        # report whose other lines show the wrap (one such break alone is no wrap:
        # `a-line-ending-a-clause-is-not-wrapped`)
        "TECHNIQUE: 23 mCi Tc-99m HDP was given in the left arm. Images at 3 hours\n"
        "were acquired on the dual-head camera, with these views at each session:\n"
        "anterior and posterior planar views of the chest and a SPECT of the spine.",
        [0, 1],
        id="a-colon-at-the-wrap-column-goes-on",
    ),
    P(
        "TECHNIQUE: 22 mCi Tc-99m MDP. Blood pool images of both feet, then a 3-hour\n"
        "SPECT/CT: of the left ankle and the hindfoot, with a low-dose CT for fusion.",
        [0],
        id="a-time-left-open-goes-on-into-a-label",
    ),
    P(
        "tech: 5 mCi Ga-67 citrate on 6/11, whole body planar at 72 hrs, SPECT/CT of the\n"
        "-- corrected: SPECT/CT of the neck -- the next day with a low-dose CT, done.",
        [0],
        id="a-dash-the-wrap-put-at-the-line-start",
    ),
    P(
        "- whole body planar views at 3 hours after the injection of the tracer today\n"
        "- SPECT of the pelvis with the patient supine and the arms above the head too\n",
        [],
        id="contrast-a-list-of-dashed-items",
    ),
    P(
        "Perfusion: Tc-99m MAA 4.2 mCi, supine          Imaging mode:\n"
        "[x] SPECT  [ ] planar only\n"
        "Ventilation: Tc-99m DTPA aerosol, 30 mCi in the nebulizer, then\n"
        "good deposition in both lungs on the check image.",
        [0, 2],
        id="a-form-row-cut-after-its-label",
    ),
    # Session 11 (movers helper): a worksheet row closed by its tick box after a dot
    # leader is a row of its own, in any case; no wrap goes on from it or into it
    P(
        "diagnostic i-131 survey, 4 mci given, neck and body imaged at 48 hours\n"
        "  neck views with a marker .................. [x]\n"
        "  spect/ct of the chest if uptake is seen ... [ ]\n"
        "tg level on the day of imaging: 0.2 ng/ml.",
        [],
        id="lower-case-leader-box-rows-stay-apart",
    ),
    P(
        "MIBI parathyroid, Tc-99m sestamibi 20 mCi iv. Acquisition: ( ) SPECT  (X) Planar\n"
        "Early neck planar views, anterior ......... (X)\n"
        "Delayed neck planar views at two hours ..... (X)\n"
        "Findings: No focus.",
        [],
        id="leader-box-row-after-a-filled-line",
    ),
    # a "No" the wrap left alone on a line goes on into the words it denies
    P(
        "Tc-99m MDP, SPECT of the skull and jaw (both TMJs) 3 hours after the injection.\n"
        "No\n"
        "planar whole body images. No CT.\n"
        "Findings: Uptake in the left condyle.",
        [1],
        id="a-lone-no-goes-on",
    ),
    P(
        "Was the CT acquired for localization at the time of the SPECT imaging study?\n"
        "No\n"
        "Findings: Normal uptake in the skull and jaw of the patient.",
        [],
        id="contrast-a-lone-no-answer",
    ),
    # a pipe table's header row cut before its last cell: the word or two left over go on
    P(
        " Time | Date     | WB planar | SPECT/CT abdomen | Quantitative\n"
        "recon\n"
        " 4 h  | 01/02/23 | yes       | yes              | -\n"
        " 24 h | 01/03/23 | yes       | yes              | yes",
        [0],
        id="pipe-header-row-cut-before-its-last-cell",
    ),
    P(
        " Time | Date     | WB planar | SPECT/CT abdomen | Quantitative\n"
        "recon was done with the vendor software at the second time\n"
        " 4 h  | 01/02/23 | yes       | yes              |\n"
        " 24 h | 01/03/23 | yes       | yes              |",
        [],
        id="contrast-a-sentence-after-a-pipe-header-row",
    ),
]


# A line filled to the wrap column that ends a sentence where the next word would not have
# fit may be the wrap's: a label opening the next line there is no line's own label (an
# unknown one, "Pre-scan review:", counts only at a line start), as in the report exported
# whole. A break the next word would have fit before is the writer's line end.
SOFT_LABELS = [
    P(
        "TECHNIQUE: 24 mCi Tc-99m MDP was given in the right arm at 08:40 this morning.\n"
        "Pre-scan review: no metal, no recent barium; the images were taken at 3 hours\n"
        "over the whole skeleton with SPECT of the lumbar spine added for the pain.",
        False,
        id="a-label-after-a-sentence-at-the-wrap-column",
    ),
    P(
        "TECHNIQUE: 24 mCi Tc-99m MDP was given in the right arm at 08:40.\n"
        "Review: no metal, no recent barium; the images were taken at 3 hours over the\n"
        "whole skeleton with SPECT of the lumbar spine added for the pain in the back.",
        True,
        id="contrast-a-label-the-line-had-room-for",
    ),
]


@pytest.mark.parametrize(("text", "own_line"), SOFT_LABELS)
def test_pipeline_sections_label_after_a_wrap_at_a_sentence_end(nlp, text, own_line):
    second = text.index("\n") + 1
    starts = [s.start for s in nlp(text)._.sections]
    assert (second in starts) is own_line


@pytest.mark.parametrize(("text", "joins"), EXPORT_WRAPS)
def test_pipeline_unwrap_export_wraps(text: str, joins: list[int]) -> None:
    ends = [i for i, c in enumerate(text) if c == "\n"]
    read = unwrap(text)
    assert len(read) == len(text)
    assert [k for k, e in enumerate(ends) if read[e] == " "] == joins
