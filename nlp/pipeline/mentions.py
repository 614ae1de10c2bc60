"""Mentions: every procedure, body area, tracer, study-type cue and day phrase in a report.

One `PhraseMatcher` (case-insensitive) over the term list `nlp/patterns/terms.jsonl`, plus
spine levels ("T10", "L4-L5") matched by shape. Overlaps are resolved within a group
(longest match wins, so "SPECT/CT camera" is a camera and not a SPECT/CT), never across
groups ("quantitative SPECT/CT" is both a quantification cue and a SPECT/CT mention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.pipeline import extensions  # noqa: F401
from nlp.pipeline.arrays import DocArrays, arrays_of, text_of
from nlp.pipeline.patterns import PatternComponent
from nlp.pipeline.sections import SectionIndex
from nlp.pipeline.sentences import dictated
from nlp.pipeline.signoff import own_text

PATTERN_FILE = "terms.jsonl"
REQUIRED = ("id", "label", "pattern")

GROUPS: dict[str, str] = {
    "SPECT_CT": "procedure",
    "SPECT": "procedure",
    "CT": "procedure",
    "PET": "procedure",
    "CAMERA": "procedure",
    "NO_CT_CAMERA": "procedure",
    "PLANAR": "procedure",
    "REPROJECTED": "procedure",
    "WHOLE_BODY": "procedure",
    "FLOW": "procedure",
    "BLOOD_POOL": "procedure",
    "THREE_PHASE": "procedure",
    "QUANT": "quant",
    "QUANT_NOT": "quant",
    "AREA": "area",
    "SPINE": "area",
    "LEVEL": "area",
    "NOT_AREA": "area",  # "per head", "dual-head": claims the words so they are not an area
    # "mediastinal blood pool": a PET reference region, not blood-pool imaging
    "NOT_PROCEDURE": "procedure",
    "NOT_STUDY": "study",  # "G-CSF" (a drug), not the cerebrospinal-fluid study
    "OTHER_IMAGING": "procedure",  # MRI, radiographs, ...: takes the cues meant for it
    "STUDY": "study",
    "RADIOPHARM": "tracer",
    "DAY": "day",
}
# Procedure mentions: what was (or was not) done. Context cues attach to the nearest one.
PROCEDURES = frozenset(k for k, g in GROUPS.items() if g in ("procedure", "quant"))

_LEVEL_IN_TEXT = re.compile(r"[CTLS](?:1[0-2]|[1-9])")
# in a report typed all in lower case, "t10" is the level too
_LEVEL_ANY_CASE = re.compile(r"[CTLSctls](?:1[0-2]|[1-9])")
# "Symbia T6", "T2-weighted": shaped like a spine level, but a camera model or an MRI sequence
_NOT_LEVEL_BEFORE = frozenset(
    {
        "symbia",
        "intevo",
        "discovery",
        "infinia",
        "optima",
        "ventri",
        "brightview",
        "precedence",
        "skylight",
        "evolution",
        "nm/ct",
        "model",
        "type",
        "series",
        "stage",
        "grade",
        "class",
        # "the 3D T1 MRI": an MRI sequence
        "3d",
        "volumetric",
    }
)
# "at l5 minutes": OCR's "l" for a "1" in a time, once the report is in one case (a level
# is never counted in minutes or hours)
_NOT_LEVEL_AFTER = frozenset(
    {"weighted", "-weighted", "signal", "hyperintense", "hypointense", "stage", "tumor"}
    # "registered to the T1 MRI", "T2 sequence": an MRI sequence
    | {"mri", "mr", "sequence", "sequences", "mprage"}
    | {"min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "sec", "seconds"}
)
_LEVEL_AREA = {"C": "neck", "T": "chest", "L": "abdomen", "S": "pelvis"}
# The words before "colon" that make it the bowel in speech-recognition text ("the sigmoid
# colon", "activity in colon"); after anything else ("bed 1 colon thoracic spine",
# "Pelvis colon new focus") the dictated word is the punctuation mark.
_BOWEL_BEFORE = frozenset(
    {
        "the",
        "a",
        "sigmoid",
        "ascending",
        "descending",
        "transverse",
        "rectosigmoid",
        "right",
        "left",
        "proximal",
        "distal",
        "entire",
        "whole",
        "large",
        "in",
        "within",
        "into",
        "of",
        "and",
        "or",
        "to",
        "from",
        "through",
        "throughout",
        "/",
        # a list of bowel segments: "cecum comma colon and rectum"
        "comma",
    }
)


# words written several ways: a term with the first spelling also matches the others
# ("SPECT-CT" and "SPECT CT" are common spellings of "SPECT/CT", "Tc99m" of "Tc-99m")
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "spect/ct": ("spect-ct", "spect ct"),
    "tc-99m": ("tc99m",),
}


def _spellings(pattern: str, terms: set[str]) -> list[str]:
    """A term and its other spellings: "SPECT/CT system" also as "SPECT-CT system" and
    "SPECT CT system", unless the term list has that spelling as a term of its own."""
    low = pattern.lower()
    out = [pattern]
    for word, others in _SPELLINGS.items():
        if word in low:
            out += [x for s in others if (x := low.replace(word, s)) not in terms]
    return out


# labels that only claim their words for the group, so no shorter term inside them is read
_CLAIM_ONLY = frozenset({"NOT_AREA", "NOT_PROCEDURE", "NOT_STUDY"})
# "uptake less than blood pool", "similar to the blood pool": the blood pool as the reference
# a tracer's uptake is graded against (FDG, PSMA), not the blood-pool images of a study
_COMPARED_BEFORE = frozenset({"than", "above", "below", "exceeding", "versus", "vs", "vs."})
_COMPARED_TO = frozenset({"similar", "equal", "relative", "compared", "comparable", "close"})
# ... unless the words go on to name images: "brighter on delayed than blood pool images"
_IMAGES_AFTER = frozenset({"image", "images", "imaging", "phase", "phases", "view", "views"})

# A somatostatin analogue is a drug as well as (radiolabelled) a tracer: "despite MCT
# formula and octreotide", "on octreotide LAR", "octreotide 100 mcg tid" name the patient's
# medication, no tracer and no tumor study; "In-111 octreotide", "octreotide scan" stay
_DRUG_ROWS = frozenset({"study:octreotide", "radiopharm:octreotide"})
_DRUG_BEFORE = re.compile(
    r"(?:\bon\s+"
    r"|\b(?:despite|started|starting|continu(?:e|ed|es|ing)|receiv(?:e|es|ed|ing)"
    r"|(?:treated|treatment|therapy|managed)\s+with|stopp(?:ed|ing)|held|hold(?:ing)?"
    r"|taking|takes|off|failed|trial\s+of)\b"
    # a list of treatments before it: "despite MCT formula and octreotide"
    r"(?:[^.;:\n]{0,40}?(?:\band|\bor|\bplus|,))?\s*)"
    r"(?:(?:long[- ]acting|short[- ]acting|subcutaneous|sc|iv|continuous)\s+)?$",
    re.IGNORECASE,
)
_DRUG_AFTER = re.compile(
    r"\s*(?:lar\b|depot\b|acetate\b|infusion\b|drip\b|therapy\b|treatment\b"
    r"|\d+(?:\.\d+)?\s*(?:mcg|\u00b5g|ug|mg)\b)",
    re.IGNORECASE,
)
# ... but not where the words go on to name imaging ("based on octreotide scan") or an
# isotope comes first ("on In-111 octreotide")
_IMAGING_AFTER = re.compile(
    r"\s*(?:scan|scans|scintigraphy|imaging|images|study|spect|uptake|avid|positive|negative)\b",
    re.IGNORECASE,
)
_ISOTOPE_BEFORE = re.compile(r"(?:in-?111|111-?in|indium(?:-111)?)[\s-]*$", re.IGNORECASE)

# the rest of a code name after its first part: "-QUANT-01" in "NAF-QUANT-01" (a letter-led
# part, then hyphen-joined parts ending in a number, the end of the word)
_CODE_NAME_AFTER = re.compile(r"-([A-Za-z][A-Za-z0-9]*)(?:-[A-Za-z0-9]+)*-\d+(?![\w-])")

# "SPECT - CT": the dash set off by spaces, which may list two things rather than join them
_SPACED_DASH = re.compile(r"\s[-\u2013\u2014]\s")
# a numbered room or camera whose kind is glossed in brackets: "Room 1 (SPECT/CT) down",
# "Camera 2 (SPECT)": the equipment's name, no acquisition
_NUMBERED_ROOM_BEFORE = re.compile(
    r"\b(?:room|rm|camera|cam|scanner|gantry|unit)[ \t]*#?[ \t]*[A-Za-z]?\d{1,3}[A-Za-z]?[ \t]*"
    r"\([ \t]*\Z",
    re.IGNORECASE,
)
_BRACKET_CLOSES = re.compile(r"[ \t]*\)")
# a denial of the CT right after it: "not acquired", "was not performed", "omitted"
_CT_DENIED_AFTER = re.compile(
    r"[ \t]+(?:(?:was|were|is)[ \t]+)?(?:not|never)[ \t]+"
    r"(?:acquired|performed|obtained|done|available|possible)\b"
    r"|[ \t]+(?:omitted|deferred|cancel+ed|unavailable|declined|refused)\b",
    re.IGNORECASE,
)

# "radius 13 cm", "radius < 15 cm", "radius of rotation 14 cm": the camera's radius of
# rotation in an acquisition's parameters, not the forearm bone ("distal radius fracture"
# gives no length after the word, "the radius 2 cm from the wrist" places a finding)
_RADIUS_ROW = "area:radius"
_CAMERA_RADIUS_AFTER = re.compile(
    r"[ \t]*(?:of[ \t]+rotation\b"
    r"|(?:[<>\u2264\u2265=~\u2248:][ \t]*)?\d+(?:\.\d+)?[ \t]*(?:cm|mm)\b"
    r"(?![ \t]+(?:from|proximal|distal|above|below|beyond)\b))",
    re.IGNORECASE,
)
# "cortex" is the brain's unless a bone or an organ owns it: "the plantar cortex of the
# cuboid", "dorsal cortex", "renal cortex", "anterior cortex of the mid tibia" (a brain's
# cortex is named by its lobe or gyrus: "left frontal cortex", "cingulate cortex")
_CORTEX_ROW = "area:cortex"
_NOT_BRAIN_CORTEX_BEFORE = re.compile(
    r"\b(?:plantar|dorsal|volar|palmar|anterior|posterior|medial|lateral|inner|outer|near|far"
    r"|endosteal|periosteal|bone|bony|osseous|cortical|renal|adrenal|kidney|kidneys|ovarian"
    r"|thymic|tibial|femoral|fibular|humeral|radial|ulnar|vertebral|iliac|sacral|mandibular"
    r"|calcaneal|metatarsal|diaphyseal|metaphyseal|intact|thickened|thinned|breached)"
    r"[ \t]+\Z",
    re.IGNORECASE,
)
_BRAIN_AFTER_CORTEX = re.compile(
    r"[ \t]+of[ \t]+(?:the[ \t]+)?(?:(?:left|right|both)[ \t]+)?"
    r"(?:brain|cerebrum|cerebral|cerebellum|cerebellar|hemispheres?|frontal|parietal|temporal"
    r"|occipital|lobes?|insula|cingulate)\b",
    re.IGNORECASE,
)
_OF_AFTER_CORTEX = re.compile(r"[ \t]+of[ \t]+", re.IGNORECASE)
# "arms extended above the head", "hands behind the head": the patient's position for the
# acquisition, not the head imaged
_HEAD_ROW = "area:head"
_ARMS_BY_HEAD_BEFORE = re.compile(
    r"\b(?:arms?|hands?|elbows?)\b[^.;:\n]{0,30}?\b(?:above|over|behind|beside|alongside)"
    r"[ \t]+(?:the|his|her|their)?[ \t]*\Z",
    re.IGNORECASE,
)
_MR_ROW = "other_imaging:mr"
# "gray" is the unit of absorbed dose only with its value: "3.2 Gray", "a 40-gray dose", a
# column's "(Gray)" or "Gray/GBq"; a name ("Patient: GRAY, Alistair", "Dr Anna Gray") or
# the brain's "gray matter" measures nothing
_GRAY_ROW = "quant:gray"
_VALUE_BEFORE_UNIT = re.compile(r"\d[ \t]*-?[ \t]*$")
_BRACKET_BEFORE_UNIT = re.compile(r"[(\[][ \t]*$")
_UNIT_CLOSES = re.compile(r"[ \t]*[)\]]|/")
# words after "MR" that name the imaging, not a person
_MR_IMAGING_NEXT = frozenset(
    {"imaging", "images", "scan", "scans", "study", "exam", "examination", "angiography"}
    | {"angiogram", "enterography", "arthrogram", "arthrography", "spectroscopy", "perfusion"}
    | {"sequences", "findings", "correlation", "report", "dated", "from", "of", "and", "or"}
)
# "SPECT bed 1 (T1-T12)", "SPECT bed position 2", "SPECT bed #2": the camera-bed term
# followed by a number names one of an acquisition's bed positions, not the couch
_ACQUISITION_BED = re.compile(
    r"[ \t]*(?:#[ \t]*|no\.?[ \t]*)?\d|[ \t]+positions?\b",
    re.IGNORECASE,
)
# the projections of planar views, and what joins a list of them
_PROJECTIONS = frozenset(
    {
        "anterior",
        "posterior",
        "lateral",
        "oblique",
        "ant",
        "post",
        "lat",
        "lao",
        "rao",
        "lpo",
        "rpo",
    }
    | {"vertex", "plantar", "palmar", "dorsal"}
)
_PROJECTION_JOINS = frozenset({"/", "and", ",", "&", "+"})
_PROJECTION_SIDES = frozenset({"left", "right", "bilateral"})
_VIEW_NOUNS = frozenset({"views", "view", "images", "image", "projections"})
# what may open a row of a table of views before its projection: a bullet, a number, a
# time point's cell ("48 h | Anterior chest")
_VIEW_ROW = re.compile(r"[ \t]*(?:[-*\u2022]|\d{1,2}[.)]|[^|\n]{1,20}\|)?[ \t]*")
# what ends a row's projection and area: the line's end, a cell separator, a dash or colon
# before the row's values ("Anterior chest | 10 min", "Anterior chest - 500k counts")
_VIEW_ROW_END = re.compile(r"[ \t]*(?:$|\||\t|  |[-:\u2013,][ \t]|\()", re.MULTILINE)
# sections that read the images rather than list how they were made
_READING_SECTIONS = frozenset({"findings", "impression", "history", "comparison"})


@dataclass(slots=True)
class Mention:
    label: str
    value: str | None
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    sent: int  # index into the sentence table
    section: str
    pattern_id: str
    hint: str | None = None
    weight: float | None = None  # study cues: 0.5 for a clinical question, else the default
    context: str | None = None  # set by spect_context: negated/recommended/historical/aborted
    cue: str | None = None
    cue_id: str | None = None

    @property
    def asserted(self) -> bool:
        return self.context is None

    @property
    def areas(self) -> tuple[str, ...]:
        """Canonical areas of an AREA/LEVEL mention ("chest+abdomen" -> two areas)."""
        return tuple(self.value.split("+")) if self.value else ()


def sentence_starts(doc: Doc) -> list[int]:
    return arrays_of(doc).sent_starts


class MentionFinder(PatternComponent):
    """The `spect_mentions` component: sets `doc._.mentions`, sorted by position."""

    pattern_file = PATTERN_FILE
    required = REQUIRED

    def __init__(self, nlp: Language, name: str = "spect_mentions") -> None:
        self.name = name
        self.nlp = nlp
        self._load_default_rows()

    def _compile(self) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.by_key: dict[int, dict[str, Any]] = {}
        terms = {row["pattern"].lower() for row in self.rows}
        self.terms = frozenset(terms)
        for row in self.rows:
            if row["label"] not in GROUPS:
                raise ValueError(
                    f"{PATTERN_FILE}: row {row['id']} has unknown label {row['label']!r}"
                )
            key = self.nlp.vocab.strings.add(row["id"])
            self.by_key[key] = row
            spellings = _spellings(row["pattern"], terms)
            self.matcher.add(row["id"], [self.nlp.make_doc(p) for p in spellings])

    def __call__(self, doc: Doc) -> Doc:
        sections = SectionIndex(doc._.sections or [])
        a = arrays_of(doc)
        text = text_of(doc)
        raw: list[tuple[int, int, dict[str, Any]]] = []
        for key, start, end in self.matcher(doc):
            raw.append((start, end, self.by_key[key]))
        raw += self._levels(text, a)
        raw += self._projection_views(text, a, raw)
        raw += self._projection_list_rows(text, a, raw, sections)
        mentions: list[Mention] = []
        n_tokens = len(doc)
        term_starts = {start for start, _, _ in raw}
        taken: dict[str, bytearray] = {}
        # longest first within a group, then leftmost
        for start, end, row in sorted(raw, key=lambda r: (-(r[1] - r[0]), r[0])):
            if row["label"] == "SPECT_CT" and self._ct_half_denied(text, a, start, end):
                continue  # "SPECT - CT not acquired": the SPECT, then its CT denied
            if (
                row["label"] == "CAMERA"
                and text[a.idx[end - 1] : a.end[end - 1]].lower() == "bed"
                and _ACQUISITION_BED.match(text, int(a.end[end - 1]))
            ):
                continue  # "SPECT bed 2 (L1-L5)": a numbered bed position, not the couch
            group = GROUPS[row["label"]]
            occupied = taken.get(group)
            if occupied is None:
                occupied = taken[group] = bytearray(n_tokens)
            if any(occupied[start:end]):
                continue
            occupied[start:end] = b"\x01" * (end - start)
            if row["label"] in _CLAIM_ONLY:
                continue
            if row["label"] in ("SPECT", "SPECT_CT") and self._room_name(text, a, start, end):
                continue  # "Room 1 (SPECT/CT) DOWN": the room, not an acquisition
            if row["label"] == "BLOOD_POOL" and self._reference_region(text, a, start, end):
                continue
            if row["id"] == "area:colon" and self._spoken_colon(doc, start, text, a):
                continue
            if row["id"] == _MR_ROW and self._title_of_name(text, a, start, term_starts):
                continue
            if row["id"] in _DRUG_ROWS and self._named_as_drug(
                text, int(a.idx[start]), int(a.end[end - 1])
            ):
                continue
            if row["label"] == "RADIOPHARM" and self._opens_code_name(text, int(a.end[end - 1])):
                continue  # "NAF-QUANT-01": a trial protocol's name, no tracer given
            if row["id"] == _RADIUS_ROW and _CAMERA_RADIUS_AFTER.match(text, int(a.end[end - 1])):
                continue  # "radius < 15 cm": the camera's orbit, no area
            if row["id"] == _HEAD_ROW and _ARMS_BY_HEAD_BEFORE.search(
                text, max(0, int(a.idx[start]) - 60), int(a.idx[start])
            ):
                continue  # "arms extended above the head": a position, no head area
            if row["id"] == _CORTEX_ROW and self._owned_cortex(
                text, int(a.idx[start]), int(a.end[end - 1])
            ):
                continue  # "the plantar cortex of the cuboid": a bone's cortex, no head
            if row["id"] == _GRAY_ROW and not self._dose_unit(
                text, int(a.idx[start]), int(a.end[end - 1])
            ):
                continue
            start_char = int(a.idx[start])
            mentions.append(
                Mention(
                    label=row["label"],
                    value=row.get("value"),
                    start=start,
                    end=end,
                    start_char=start_char,
                    end_char=int(a.end[end - 1]),
                    sent=a.sentence_of_token(start),
                    section=sections.label_at(start_char),
                    pattern_id=row["id"],
                    hint=row.get("hint"),
                    weight=row.get("weight"),
                )
            )
        mentions.sort(key=lambda m: (m.start, -m.end))
        doc._.mentions = mentions
        return doc

    @staticmethod
    def _ct_half_denied(text: str, a: DocArrays, start: int, end: int) -> bool:
        """ "Acquisition type: SPECT - CT not acquired (tube down)": a free-standing dash
        between SPECT and CT, and the CT denied right after it, list what was done and what
        was not; it names no SPECT/CT."""
        words = text[a.idx[start] : a.end[end - 1]]
        return (
            _SPACED_DASH.search(words) is not None
            and _CT_DENIED_AFTER.match(text, int(a.end[end - 1])) is not None
        )

    def _opens_code_name(self, text: str, end: int) -> bool:
        """Does the tracer word ending at `end` open a code name of hyphen-joined parts
        ending in a number ("NAF-QUANT-01", "DPD-HEART-2"), its next part no term of ours?
        That is a trial protocol or cohort named after a tracer, not the tracer given
        (a subject of "NAF-QUANT-01" may have had an MDP bone scan); a tracer's own name
        ("PSMA-617", "Tc-99m-MDP") goes on with a number or a term, so it stays."""
        hit = _CODE_NAME_AFTER.match(text, end)
        return hit is not None and hit.group(1).lower() not in self.terms

    @staticmethod
    def _room_name(text: str, a: DocArrays, start: int, end: int) -> bool:
        """Is the procedure at `start:end` the bracketed kind of a numbered room or camera
        ("Room 1 (SPECT/CT) out of service")?"""
        s, e = int(a.idx[start]), int(a.end[end - 1])
        return (
            _NUMBERED_ROOM_BEFORE.search(text, max(0, s - 24), s) is not None
            and _BRACKET_CLOSES.match(text, e) is not None
        )

    @staticmethod
    def _spoken_colon(doc: Doc, i: int, text: str, a: DocArrays) -> bool:
        """ "colon" dictated as the punctuation mark, not the bowel: in speech-recognition
        text (punctuation spelled out), not opening a sentence, after a word that does not
        name or place the bowel."""
        if i == 0 or doc[i].is_sent_start:
            return False
        # (punctuation spelled out: "period"s, or "comma"s in text whose stops are typed:
        # "Indication colon Shortness of breath comma CT angiogram contraindicated.")
        if not dictated(text) and text.count(" comma ") + text.count(" COMMA ") < 2:
            return False
        return text[a.idx[i - 1] : a.end[i - 1]].lower() not in _BOWEL_BEFORE

    @staticmethod
    def _named_as_drug(text: str, start: int, end: int) -> bool:
        """Is the somatostatin analogue at `start:end` the patient's medication ("despite
        octreotide", "octreotide LAR 30 mg"), not a tracer or the scan named after it?"""
        if _IMAGING_AFTER.match(text, end) or _ISOTOPE_BEFORE.search(
            text, max(0, start - 16), start
        ):
            return False
        return bool(
            _DRUG_BEFORE.search(text, max(0, start - 80), start) or _DRUG_AFTER.match(text, end)
        )

    @staticmethod
    def _owned_cortex(text: str, start: int, end: int) -> bool:
        """Is the "cortex" at `start:end` a bone's or an organ's ("dorsal cortex", "the
        cortex of the cuboid", "renal cortex"), not the brain's?"""
        if _NOT_BRAIN_CORTEX_BEFORE.search(text, max(0, start - 16), start):
            return True
        return bool(_OF_AFTER_CORTEX.match(text, end)) and not _BRAIN_AFTER_CORTEX.match(text, end)

    @staticmethod
    def _dose_unit(text: str, start: int, end: int) -> bool:
        """Is "gray" at `start:end` the unit of a dose: after its value ("3.2 Gray"), as a
        column's unit ("Dose (Gray)") or a ratio's ("Gray/GBq")?"""
        before = text[max(0, start - 12) : start]
        if _VALUE_BEFORE_UNIT.search(before) is not None:
            return True
        if text[end : end + 1] == "/":
            return True
        return (
            _BRACKET_BEFORE_UNIT.search(before) is not None
            and _UNIT_CLOSES.match(text, end) is not None
        )

    @staticmethod
    def _title_of_name(text: str, a: DocArrays, i: int, term_starts: set[int]) -> bool:
        """ "Mr Jones", "Mr Patel", "MR. SMITH": the title before a person's name, not MR
        imaging. "Mr" so written, or "MR." with its stop, then a capitalised word that names
        nothing the term list knows ("MR. SPINE", "MR Lumbar spine" stay imaging); a
        capitalised word after an upper-case "MR." must be upper-case too ("prior MR. The
        SPECT ..." ends a sentence with the imaging)."""
        n = len(a.idx)
        word = text[a.idx[i] : a.end[i]]
        j = i + 1
        stop = j < n and text[a.idx[j] : a.end[j]] == "." and a.idx[j] == a.end[i]
        if stop:
            j += 1
        if word != "Mr" and not (word == "MR" and stop):
            return False
        if j >= n or j in term_starts:
            return False
        name = text[a.idx[j] : a.end[j]]
        if not name[:1].isupper() or not name.isalpha() or name.lower() in _MR_IMAGING_NEXT:
            return False
        if "\n" in text[a.end[i] : a.idx[j]]:
            return False
        return word == "Mr" or name.isupper()

    @staticmethod
    def _reference_region(text: str, a: DocArrays, start: int, end: int) -> bool:
        """Is the blood pool at tokens `start:end` the reference uptake is compared with
        ("less than (the) blood pool", "similar to blood pool activity")?"""

        def word(i: int) -> str:
            return text[a.idx[i] : a.end[i]].lower() if 0 <= i < len(a.idx) else ""

        if word(end) in _IMAGES_AFTER:
            return False
        i = start - 1
        if word(i) == "the":
            i -= 1
        return word(i) in _COMPARED_BEFORE or (word(i) == "to" and word(i - 1) in _COMPARED_TO)

    @staticmethod
    def _projection_views(
        text: str, a: DocArrays, raw: list[tuple[int, int, dict[str, Any]]]
    ) -> list[tuple[int, int, dict[str, Any]]]:
        """Planar views named by their projections and the area they show: "lateral skull
        views", "anterior/posterior/lateral skull views", "anterior and posterior pelvis
        images". The area words between the projection and "views" do not stop it being a
        set of planar views (the term list names "lateral views", "anterior images")."""
        area_ends: dict[int, int] = {}
        for start, end, row in raw:
            if row["label"] == "AREA":
                area_ends[end] = min(start, area_ends.get(end, start))
        if not area_ends:
            return []

        def word(i: int) -> str:
            return text[a.idx[i] : a.end[i]].lower() if 0 <= i < len(a.idx) else ""

        out: list[tuple[int, int, dict[str, Any]]] = []
        # the tokens right after an area (in text order): only there can a view noun end one
        for i in sorted(area_ends):
            if not 1 <= i < len(a.idx) or word(i) not in _VIEW_NOUNS:
                continue
            j = area_ends[i]  # the area words right before the noun
            if word(j - 1) not in _PROJECTIONS:
                continue
            k = j - 1
            # the rest of the projection list: "anterior/posterior/lateral", "ant and post"
            while word(k - 1) in _PROJECTION_JOINS and word(k - 2) in _PROJECTIONS:
                k -= 2
            while word(k - 1) in _PROJECTION_SIDES:
                k -= 1
            row = {"id": "planar:projection-area-views", "label": "PLANAR", "value": "planar"}
            # the mention is the projections: the area after them is its area, read forward
            out.append((k, j, row))
        return out

    @staticmethod
    def _projection_list_rows(
        text: str, a: DocArrays, raw: list[tuple[int, int, dict[str, Any]]], sections: SectionIndex
    ) -> list[tuple[int, int, dict[str, Any]]]:
        """Planar views listed as a protocol row, two or more projections and the area with
        no noun after it: " - Anterior and posterior chest, 10 min each", "ant/post pelvis
        (500k counts)". The area ends the row or its clause (punctuation, a number or the
        line's end follows), outside the reading sections, where "the anterior and
        posterior chest" places a finding instead."""

        def word(i: int) -> str:
            return text[a.idx[i] : a.end[i]].lower() if 0 <= i < len(a.idx) else ""

        out: list[tuple[int, int, dict[str, Any]]] = []
        n = len(a.idx)
        # one projection per row ("Anterior whole body | 20 min" / "Anterior chest | 10 min"):
        # rows of one projection, by the character their line starts at
        single: list[tuple[int, int, int]] = []
        row_lines: set[int] = set()
        for start, end, row in raw:
            if row["label"] not in ("AREA", "WHOLE_BODY") or word(start - 1) not in _PROJECTIONS:
                continue
            if sections.label_at(int(a.idx[start])) in _READING_SECTIONS:
                continue
            k = start - 1
            while word(k - 1) in _PROJECTION_JOINS and word(k - 2) in _PROJECTIONS:
                k -= 2
            if "\n" in text[a.idx[k] : a.idx[start]]:
                continue
            if end < n and (
                word(end)[:1].isalpha() and "\n" not in text[a.end[end - 1] : a.idx[end]]
            ):
                continue  # "anterior and posterior chest wall": the area goes on
            while word(k - 1) in _PROJECTION_SIDES:
                k -= 1
            if k == start - 1 or (k == start - 2 and word(k) in _PROJECTION_SIDES):
                # one projection: "posterior pelvis" may be anatomy, unless it is a row of
                # its own in a list of such rows (a table of the views acquired)
                line = text.rfind("\n", 0, int(a.idx[k])) + 1
                if _VIEW_ROW.fullmatch(text, line, int(a.idx[k])) and _VIEW_ROW_END.match(
                    text, int(a.end[end - 1])
                ):
                    row_lines.add(line)
                    if row["label"] == "AREA":
                        single.append((k, start, line))
                continue
            if row["label"] != "AREA":
                continue  # "anterior and posterior whole body": the term list's own
            out.append(
                (
                    k,
                    start,
                    {"id": "planar:projection-list-row", "label": "PLANAR", "value": "planar"},
                )
            )
        for k, start, line in single:
            prev_line = text.rfind("\n", 0, line - 1) + 1 if line else -1
            nl = text.find("\n", line)
            next_line = nl + 1 if nl >= 0 else -1
            if prev_line in row_lines or next_line in row_lines:
                out.append(
                    (k, start, {"id": "planar:view-row", "label": "PLANAR", "value": "planar"})
                )
        return out

    @staticmethod
    def _levels(text: str, a: DocArrays) -> list[tuple[int, int, dict[str, Any]]]:
        """Spine levels ("T10", "L4") that are whole tokens and not a camera or MRI name."""
        out = []
        n = len(a.idx)
        own = own_text(text)
        pattern = _LEVEL_ANY_CASE if own.lower() == own else _LEVEL_IN_TEXT
        for m in pattern.finditer(text):
            i = a.token_at_char(m.start())
            if i < 0 or a.idx[i] != m.start() or a.end[i] != m.end():
                continue
            before = text[a.idx[i - 1] : a.end[i - 1]].lower() if i > 0 else ""
            after = text[a.idx[i + 1] : a.end[i + 1]].lower() if i + 1 < n else ""
            after2 = text[a.idx[i + 2] : a.end[i + 2]].lower() if i + 2 < n else ""
            if before in _NOT_LEVEL_BEFORE or after in _NOT_LEVEL_AFTER:
                continue
            if after == "-" and after2 == "weighted":
                continue
            level = m.group(0).upper()
            out.append(
                (
                    i,
                    i + 1,
                    {"id": "level:" + level, "label": "LEVEL", "value": _LEVEL_AREA[level[0]]},
                )
            )
        return out


@Language.factory(
    "spect_mentions",
    requires=["doc._.sections", "token.is_sent_start"],
    assigns=["doc._.mentions"],
)
def make_mention_finder(nlp: Language, name: str) -> MentionFinder:
    return MentionFinder(nlp, name)
