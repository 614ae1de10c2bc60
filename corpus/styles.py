"""Institutional report styles: how composed content is laid out and voiced.

Each style is a real difference in layout and voice (section headers or none, one line or
many, prose or key-value, bullets, numbered impressions, a metadata export, British
spelling, dictation shorthand, a time-point table, ...). A style never adds or removes a
fact: it receives `Content` whose statements are already true and only arranges them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from corpus.bank import chance, pick
from corpus.compose import Content, Voice, cap

Layout = Callable[[Content, random.Random], str]


@dataclass(frozen=True)
class Style:
    name: str
    description: str
    layout: Layout
    voice: Voice
    force_addendum: bool = False
    # may come hard-wrapped at a fixed column, as RIS exports do (not tables or one-liners)
    wraps: bool = True


# -- shared pieces ---------------------------------------------------------------------------


def _tech(c: Content) -> str:
    return " ".join(s.prose for s in c.technique)


def _sentences(items: list[str]) -> str:
    return " ".join(i if i.endswith((".", "!", "?")) else i + "." for i in items)


def _numbered(items: list[str], rng: random.Random) -> str:
    fmt = pick(rng, ["{n}. {t}", "{n}) {t}", "{n}.  {t}", "({n}) {t}"])
    return "\n".join(fmt.format(n=i + 1, t=t) for i, t in enumerate(items))


def _addendum_block(c: Content, rng: random.Random, upper: bool = False) -> str:
    if not c.addendum:
        return ""
    head = c.addendum_head
    date = f" {c.addendum_date}" if c.addendum_date else ""
    sign = pick(
        rng, ["", "", "\nAddendum electronically signed by [RADIOLOGIST].", "\n[Addendum signed]"]
    )
    block = (
        f"{head}{date}\n{c.addendum}{sign}"
        if chance(rng, 0.6)
        else f"{head}{date} {c.addendum}{sign}"
    )
    return block.upper() if upper else block


def _dos_line(c: Content) -> str | None:
    if c.dos_text is None:
        return None
    return f"{c.dos_label}: {c.dos_text}"


def _join_blocks(blocks: list[str | None], sep: str) -> str:
    return sep.join(b for b in blocks if b)


# -- 1. classic ---------------------------------------------------------------------------------


def classic(c: Content, rng: random.Random) -> str:
    h = {
        "exam": pick(rng, ["Exam", "Examination", "Procedure", "Study"]),
        "hist": pick(
            rng,
            ["Clinical History", "History", "Indication", "Reason for exam", "Clinical indication"],
        ),
        "cmp": pick(rng, ["Comparison", "Comparison studies"]),
        "tech": pick(rng, ["Technique", "Procedure", "Method"]),
        "find": "Findings",
        "imp": pick(rng, ["Impression", "Conclusion", "Interpretation"]),
    }
    own_line = chance(rng, 0.35)

    def sec(name: str, body: str) -> str:
        return f"{name}:\n{body}" if own_line else f"{name}: {body}"

    imp = (
        _sentences(c.impression)
        if len(c.impression) == 1 or chance(rng, 0.5)
        else _numbered(c.impression, rng)
    )
    blocks = [
        sec(h["exam"], c.title),
        _dos_line(c),
        sec(h["hist"], c.history),
        sec(h["cmp"], c.comparison),
        sec(h["tech"], _tech(c)),
        sec(h["find"], " ".join(c.findings)),
        sec(h["imp"], imp),
        _addendum_block(c, rng),
    ]
    return _join_blocks(blocks, pick(rng, ["\n\n", "\n"]))


# -- 2. ALL CAPS ------------------------------------------------------------------------------------


def all_caps(c: Content, rng: random.Random) -> str:
    imp = _numbered(c.impression, rng) if chance(rng, 0.5) else _sentences(c.impression)
    blocks = [
        f"{pick(rng, ['EXAMINATION', 'EXAM', 'NM PROCEDURE'])}: {c.title}",
        _dos_line(c),
        f"{pick(rng, ['HISTORY', 'CLINICAL INFORMATION', 'INDICATION'])}: {c.history}",
        f"COMPARISON: {c.comparison}",
        f"{pick(rng, ['PROCEDURE', 'TECHNIQUE'])}:\n{_tech(c)}",
        f"FINDINGS:\n{' '.join(c.findings)}",
        f"IMPRESSION:\n{imp}",
        _addendum_block(c, rng),
    ]
    return _join_blocks(blocks, "\n\n").upper()


# -- 3. comma-glued transcription ------------------------------------------------------------------


def comma_glued(c: Content, rng: random.Random) -> str:
    parts = [("EXAM", c.title)]
    if c.dos_text:
        parts.append((str(c.dos_label).upper(), c.dos_text))
    parts += [
        (pick(rng, ["INDICATION", "HISTORY"]), c.history),
        ("COMPARISON", c.comparison),
        ("TECHNIQUE", _tech(c)),
        ("FINDINGS", " ".join(c.findings)),
        ("IMPRESSION", _sentences(c.impression)),
    ]
    if c.addendum:
        parts.append(("ADDENDUM", c.addendum))
    gap = pick(rng, ["  ", " ", "  "])
    chunks = []
    for head, body in parts:
        body = body.rstrip()
        if not body.endswith("."):
            body += "."
        chunks.append(f"{head}:,{gap}{body}")
    return ",".join(chunks)


# -- 4. narrative ------------------------------------------------------------------------------------


def narrative(c: Content, rng: random.Random) -> str:
    hist = c.history.rstrip(".")
    opener = pick(
        rng,
        [
            f"This {c.age_sex} was referred for {c.title} for the following indication: {hist}.",
            f"{c.title} was requested ({hist.lower() if hist[:1].isupper() and hist[1:2].islower() else hist}).",
            f"Indication for this {c.title}: {hist}.",
        ],
    )
    cmp_text = re.sub(r"^Comparison:\s*", "", c.comparison).rstrip(".")
    comparison = (
        ""
        if cmp_text.lower().startswith("none")
        else f" Comparison was made with the following: {cmp_text}."
    )
    paragraphs = [
        _dos_line(c),
        opener + comparison,
        _tech(c),
        " ".join(c.findings),
        pick(rng, ["In summary: ", "Overall: ", "In conclusion: ", "Impression: "])
        + _sentences(c.impression),
    ]
    text = _join_blocks(paragraphs, "\n\n")
    if c.addendum:
        text += "\n\n" + _addendum_block(c, rng)
    return text


# -- 5. bullet lists -----------------------------------------------------------------------------------


def bullets(c: Content, rng: random.Random) -> str:
    mark = pick(rng, ["- ", "* ", "• ", "-- "])

    def lst(items: list[str]) -> str:
        return "\n".join(mark + i for i in items)

    blocks = [
        f"PROCEDURE: {c.title}",
        _dos_line(c),
        f"INDICATION:\n{lst([c.history])}",
        f"COMPARISON:\n{lst([c.comparison])}",
        f"TECHNIQUE:\n{lst([s.prose for s in c.technique])}",
        f"FINDINGS:\n{lst(c.findings)}",
        f"IMPRESSION:\n{lst(c.impression)}",
        _addendum_block(c, rng),
    ]
    return _join_blocks(blocks, pick(rng, ["\n\n", "\n"]))


# -- 6. numbered ------------------------------------------------------------------------------------------


def numbered(c: Content, rng: random.Random) -> str:
    blocks = [
        f"{pick(rng, ['EXAM', 'Exam'])}: {c.title}",
        _dos_line(c),
        f"{pick(rng, ['HISTORY', 'History'])}: {c.history}",
        f"{pick(rng, ['COMPARISON', 'Comparison'])}: {c.comparison}",
        f"{pick(rng, ['TECHNIQUE', 'Technique'])}: {_tech(c)}",
        f"{pick(rng, ['FINDINGS', 'Findings'])}:\n{_numbered(c.findings, rng) if chance(rng, 0.5) else ' '.join(c.findings)}",
        f"{pick(rng, ['IMPRESSION', 'Impression'])}:\n{_numbered(c.impression, rng)}",
        _addendum_block(c, rng),
    ]
    return _join_blocks(blocks, "\n\n")


# -- 7. academic ----------------------------------------------------------------------------------------------


def academic(c: Content, rng: random.Random) -> str:
    inject = [s for s in c.technique if s.key == "inject"]
    acq = [s for s in c.technique if s.key != "inject"]
    radio = "; ".join(s.terse for s in inject) if inject else "see acquisition"
    blocks = [
        f"Exam: {c.title}",
        _dos_line(c),
        f"Clinical: {c.history}",
        f"Radiopharmaceutical: {radio}",
        f"Acquisition: {' '.join(s.prose for s in acq)}",
        f"Comparison: {c.comparison}",
        f"Findings: {' '.join(c.findings)}",
        f"Conclusion: {_sentences(c.impression)}",
        _addendum_block(c, rng),
    ]
    return _join_blocks(blocks, "\n")


# -- 8. one line -------------------------------------------------------------------------------------------------


def one_line(c: Content, rng: random.Random) -> str:
    imp = " ".join(f"{i + 1}. {t}" for i, t in enumerate(c.impression))
    blocks = [
        f"EXAM: {c.title}.",
        _dos_line(c),
        f"HISTORY: {c.history}",
        f"COMPARISON: {c.comparison}",
        f"TECHNIQUE: {_tech(c)}",
        f"FINDINGS: {' '.join(c.findings)}",
        f"IMPRESSION: {imp}",
        (f"{c.addendum_head} {c.addendum}" if c.addendum else None),
    ]
    return _join_blocks(blocks, pick(rng, [" ", "  ", " "]))


# -- 9. terse key-value template ----------------------------------------------------------------------------------


def key_value(c: Content, rng: random.Random) -> str:
    sep = pick(rng, [": ", "= ", " - ", ":\t"])
    rows = [("Study", c.title)]
    if c.dos_text:
        rows.append((str(c.dos_label), c.dos_text))
    rows.append(("Indication", c.history.rstrip(".")))
    rows += [(s.label, s.terse) for s in c.technique]
    rows.append(("Comparison", c.comparison.rstrip(".")))
    rows.append(("Findings", " ".join(c.findings)))
    rows.append(("Impression", _sentences(c.impression)))
    if c.addendum:
        rows.append(("Addendum", c.addendum))
    return "\n".join(f"{k}{sep}{v}" for k, v in rows)


# -- 10. addendum ----------------------------------------------------------------------------------------------------


def with_addendum(c: Content, rng: random.Random) -> str:
    body = numbered(c, rng) if chance(rng, 0.4) else classic(c, rng)
    if c.addendum and c.addendum not in body:
        body += "\n\n" + _addendum_block(c, rng)
    return body


# -- 11. EHR export ---------------------------------------------------------------------------------------------------


def ehr_export(c: Content, rng: random.Random) -> str:
    meta = [
        f"Accession #: {c.accession}",
        "MRN: [REDACTED]",
        pick(rng, ["Patient: [PATIENT NAME]", "Patient Name: [REDACTED]", "Pt: [NAME]"]),
        pick(
            rng,
            [
                "Ordering Provider: [ORDERING PROVIDER]",
                "Ordered by: [ORDERING PHYSICIAN]",
                "Referring: [REFERRING MD]",
            ],
        ),
        f"Procedure: {c.title}",
    ]
    if c.dos_text:
        meta.append(f"{c.dos_label}: {c.dos_text}")
    meta += [
        pick(rng, ["Status: Final", "Result status: Final result", "Report Status: FINAL"]),
        pick(rng, ["Modality: NM", "Dept: Nuclear Medicine", "Performing location: NM Main"]),
    ]
    body = [
        pick(rng, ["--- Report Text ---", "Narrative", "REPORT:", "=== Result ==="]),
        f"History: {c.history}",
        f"Comparison: {c.comparison}",
        f"Technique: {_tech(c)}",
        f"Findings: {' '.join(c.findings)}",
        f"Impression: {_sentences(c.impression)}",
    ]
    tail = [
        _addendum_block(c, rng) or None,
        pick(
            rng,
            [
                "Electronically signed by: [RADIOLOGIST], MD",
                "Signed: [READING PHYSICIAN]",
                "Dictated by: [RADIOLOGIST]  Transcribed by: [TRANSCRIPTIONIST]",
            ],
        ),
    ]
    return _join_blocks(["\n".join(meta), "\n".join(body), *tail], "\n")


# -- 12. structured procedure-details block ------------------------------------------------------------------------------


def procedure_block(c: Content, rng: random.Random) -> str:
    indent = pick(rng, ["  ", "    ", "\t", ""])
    details = [f"{indent}{s.label}: {s.terse}" for s in c.technique]
    blocks = [
        c.title.upper(),
        _dos_line(c),
        f"CLINICAL INDICATION: {c.history}",
        pick(rng, ["PROCEDURE DETAILS:", "PROCEDURE:", "Procedure details"])
        + "\n"
        + "\n".join(details),
        f"COMPARISON: {c.comparison}",
        f"FINDINGS: {' '.join(c.findings)}",
        f"IMPRESSION: {_sentences(c.impression)}",
        _addendum_block(c, rng),
    ]
    return _join_blocks(blocks, "\n\n")


# -- 13. dictation shorthand ------------------------------------------------------------------------------------------------

_SHORTHAND = (
    (r"\bpatient\b", "pt"),
    (r"\bhistory\b", "hx"),
    (r"\bwithout\b", "w/o"),
    (r"\bwith\b", "w/"),
    (r"\bbilateral\b", "bilat"),
    (r"\bexamination\b", "exam"),
    (r"\bintravenously\b", "iv"),
    (r"\bapproximately\b", "approx"),
    (r"\bimages\b", "imgs"),
    (r"\bfollowing\b", "following"),
    (r"\bconsistent with\b", "c/w"),
    (r"\bevaluate\b", "eval"),
)


def telegraphic(c: Content, rng: random.Random) -> str:
    parts = [f"{c.title}."]
    if c.dos_text:
        parts.append(f"{c.dos_label}: {c.dos_text}.")
    parts += [
        f"hx: {c.history}",
        f"comp: {c.comparison}",
        "technique: " + "; ".join(s.prose.rstrip(".") for s in c.technique) + ".",
        "findings: " + " ".join(c.findings),
        "imp: " + "; ".join(i.rstrip(".") for i in c.impression) + ".",
    ]
    if c.addendum:
        parts.append(f"addendum: {c.addendum}")
    text = "\n".join(parts).lower()
    for pattern, repl in _SHORTHAND:
        text = re.sub(pattern, repl, text)
    return text


# -- 14. British voice -----------------------------------------------------------------------------------------------------------

_BRITISH = (
    ("localization", "localisation"),
    ("localize", "localise"),
    ("characterization", "characterisation"),
    ("characterize", "characterise"),
    ("hemangioma", "haemangioma"),
    ("tumor", "tumour"),
    ("esophag", "oesophag"),
    ("anemia", "anaemia"),
    ("centered", "centred"),
    ("pediatric", "paediatric"),
    ("color", "colour"),
    ("gray", "grey"),
)


def british(c: Content, rng: random.Random) -> str:
    blocks = [
        f"Investigation: {c.title}",
        _dos_line(c),
        f"Clinical details: {c.history}",
        f"Previous imaging: {c.comparison}",
        f"Technique: {_tech(c)}",
        f"Report: {' '.join(c.findings)}",
        f"Conclusion: {_sentences(c.impression)}",
        _addendum_block(c, rng),
        pick(
            rng,
            [
                "Reported by: [CONSULTANT RADIOLOGIST]",
                "Dr [NAME], Consultant in Nuclear Medicine",
                "",
            ],
        ),
    ]
    text = _join_blocks(blocks, "\n\n")
    for us, uk in _BRITISH:
        text = re.sub(us, uk, text)
        text = re.sub(cap(us), cap(uk), text)
    return text


# -- 15. time-point table ---------------------------------------------------------------------------------------------------------


def sessions_table(c: Content, rng: random.Random) -> str:
    rows = c.sessions
    tabled = ("wb", "spot", "spect", "session", "flow")
    blocks = [
        f"EXAM: {c.title}",
        _dos_line(c),
        f"INDICATION: {c.history}",
    ]
    if rows:
        width = max(len(r[0]) for r in [*rows, ("Time point", "", "")])
        table = [f"{'Time point'.ljust(width)} | Acquisition | Region", "-" * (width + 25)]
        table += [f"{t.ljust(width)} | {what} | {region}" for t, what, region in rows]
        blocks.append(
            pick(rng, ["ACQUISITION LOG:", "IMAGING PERFORMED:", "Acquisitions:"])
            + "\n"
            + "\n".join(table)
        )
        # Statements a table row cannot hold whole stay in prose beside the table.
        notes = [s.prose for s in c.technique if s.key not in tabled or not s.table_safe]
    else:
        notes = [s.prose for s in c.technique]
    if notes:
        blocks.append("NOTES: " + " ".join(notes))
    blocks += [
        f"COMPARISON: {c.comparison}",
        f"FINDINGS: {' '.join(c.findings)}",
        f"IMPRESSION:\n{_numbered(c.impression, rng)}",
        _addendum_block(c, rng),
    ]
    return _join_blocks(blocks, "\n\n")


STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        Style("classic", "section headers in mixed case, prose sections", classic, Voice()),
        Style(
            "all_caps",
            "every character upper case, headers on their own lines",
            all_caps,
            Voice(units="mci"),
        ),
        Style(
            "comma_glued",
            "transcription export: headers glued to text with commas, no newlines",
            comma_glued,
            Voice(),
            wraps=False,
        ),
        Style("narrative", "paragraphs of prose with no section headers", narrative, Voice()),
        Style("bullets", "headers with bulleted statements", bullets, Voice()),
        Style("numbered", "numbered findings and impressions", numbered, Voice()),
        Style(
            "academic",
            "Exam / Clinical / Radiopharmaceutical / Acquisition / Conclusion",
            academic,
            Voice(),
        ),
        Style(
            "one_line",
            "whole report on one line, newlines lost",
            one_line,
            Voice(),
            wraps=False,
        ),
        Style(
            "key_value", "terse key-value template, one fact per line", key_value, Voice(terse=True)
        ),
        Style(
            "addendum",
            "signed report followed by an addendum that confirms, adds or corrects",
            with_addendum,
            Voice(),
            force_addendum=True,
        ),
        Style(
            "ehr_export",
            "EHR export with accession, placeholder names and status lines",
            ehr_export,
            Voice(),
        ),
        Style(
            "procedure_block",
            "structured procedure-details block of labelled fields",
            procedure_block,
            Voice(terse=True),
        ),
        Style(
            "telegraphic",
            "lower-case dictation shorthand (pt, hx, w/, imgs)",
            telegraphic,
            Voice(units="mci"),
        ),
        Style(
            "british",
            "UK voice: MBq/GBq, British spelling, Investigation/Report/Conclusion",
            british,
            Voice(units="mbq", british=True),
        ),
        Style(
            "sessions_table",
            "time-point acquisition table with notes",
            sessions_table,
            Voice(),
            wraps=False,
        ),
    )
}
