"""HTML left in exported report text, read as the text it marks up.

EHR exports often carry the report's HTML: "<b>EXAM:</b>&nbsp;NM BONE<br>". spaCy reads
"<br>" as three tokens and "&nbsp;" as a word, which splits headers, terms and cues.
`strip_markup` reads each tag of a known HTML element as a line end (block elements:
br, p, div, li, tr, headings ...) or a space (inline ones: b, span, td ...), and each
character reference ("&amp;", "&#39;", upper-cased "&NBSP;" too) as its character. A tag
or reference keeps one character and drops the rest (a reference escaped twice,
"&amp;amp;", is read as its character too), so the text gets shorter and an `OffsetMap`
maps every offset back to the report as sent (the usual convention: each dropped
character is recorded at the offset of the character kept before it).

Only tags of known elements are touched, so "SUV <2.5" or "<5 mm" stay as they are.

Exports written in Markdown are read the same way: a heading's "#" marks ("## Findings")
and the asterisks of bold or italic text ("**Exam date:**", "*SPECT/CT:*") are dropped, so
the heading or bold line on its own is the header line it stands for, and a bullet glyph
at a line start ("▪", "►") is read as "-", the bullet the sentence splitter knows.
Asterisks count only in pairs on one line around text, so "SUV 4.1*" or "* Note" stay.
"""

from __future__ import annotations

import html.entities
import re

from nlp.pipeline.offsets import OffsetMap, replace_spans

_BLOCK = (
    "address|article|blockquote|body|br|caption|center|dd|div|dl|dt|footer|h[1-6]|head"
    "|header|hr|html|li|ol|p|pre|section|table|tbody|tfoot|thead|title|tr|ul"
)
_INLINE = "a|abbr|b|big|cite|code|em|font|i|img|label|mark|small|span|strong|sub|sup|td|th|u"
_ATTRS = r"""(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=]+))?)*\s*/?"""
_TAG = re.compile(
    rf"<(?P<block>/?(?:{_BLOCK})\b{_ATTRS})>|<(?P<inline>/?(?:{_INLINE})\b{_ATTRS})>",
    re.IGNORECASE,
)
# Markdown: an ATX heading's opening and closing "#" marks, bold or italic asterisks around
# text on one line (a lone "*" is a footnote or a bullet), and bullet glyphs at a line start.
# A heading may be indented any depth: an export that indents every line keeps its "## "
# headings (a report holds no Markdown code block that four spaces would open).
_MD_HEADING = re.compile(
    r"^[ \t]*(?P<open>#{1,6}[ \t]+)(?=\S)[^\n]*?(?P<close>[ \t]+#+)?[ \t]*$", re.M
)
_MD_EMPHASIS = re.compile(r"(?<![*\w])(?P<m>\*{1,2})(?=[^\s*])[^*\n]*?[^\s*](?P=m)(?![*\w])")
_MD_BULLET = re.compile(r"^[ \t]*(?P<b>[▪▫■□●○◆◇►▸▹➢➤❖⁃∙])(?=[ \t])", re.M)
_MD_KEYS = ("*", "#", *"▪▫■□●○◆◇►▸▹➢➤❖⁃∙")
# a character reference, also escaped twice over ("&amp;amp;", "&amp;#39;": an export that
# escaped a report already holding references)
_REF = re.compile(
    r"&(?:amp;)?(?:#(?P<dec>\d{1,7})|#[xX](?P<hex>[0-9A-Fa-f]{1,6})|(?P<name>[A-Za-z][A-Za-z0-9]{1,31}));"
)


def _reference(m: re.Match[str]) -> str | None:
    try:
        if m.group("dec"):
            return chr(int(m.group("dec")))
        if m.group("hex"):
            return chr(int(m.group("hex"), 16))
    except (ValueError, OverflowError):
        return None
    name = m.group("name")
    # a reference an export in capitals wrote upper-cased ("&NBSP;") is read by its name in
    # lower case where no reference has the name as written ("&AMP;" has)
    found = html.entities.html5.get(name + ";")
    if found is None and name.isupper():
        found = html.entities.html5.get(name.lower() + ";")
    return found


def strip_markup(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with HTML tags and character references read (see the module), and the map
    of the shortened offsets; `(text, None)` when there is neither."""
    markdown = any(k in text for k in _MD_KEYS)
    if "<" not in text and "&" not in text and not markdown:
        return text, None
    hits: list[tuple[int, int, str]] = _markdown(text) if markdown else []
    for m in _TAG.finditer(text):
        # a block tag is a line end, unless the source already breaks the line there
        # ("<br>\n" is one line end, not a blank line)
        beside_newline = (
            text[m.end() : m.end() + 1] == "\n" or text[m.start() - 1 : m.start()] == "\n"
        )
        hits.append((m.start(), m.end(), "\n" if m.group("block") and not beside_newline else " "))
    for m in _REF.finditer(text):
        ch = _reference(m)
        if ch and len(ch) < len(m.group(0)):
            hits.append((m.start(), m.end(), ch))
    return replace_spans(text, sorted(hits))


def _markdown(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of the Markdown marks of `text` (see the module)."""
    hits: list[tuple[int, int, str]] = []
    if "#" in text:
        for m in _MD_HEADING.finditer(text):
            hits.append((m.start("open"), m.end("open"), ""))
            if m.group("close"):
                hits.append((m.start("close"), m.end("close"), ""))
    if "*" in text:
        for m in _MD_EMPHASIS.finditer(text):
            n = len(m.group("m"))
            hits += [(m.start(), m.start() + n, ""), (m.end() - n, m.end(), "")]
    hits += [(m.start("b"), m.end("b"), "-") for m in _MD_BULLET.finditer(text)]
    return hits
