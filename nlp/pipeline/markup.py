"""HTML left in exported report text, read as the text it marks up.

EHR exports often carry the report's HTML: "<b>EXAM:</b>&nbsp;NM BONE<br>". spaCy reads
"<br>" as three tokens and "&nbsp;" as a word, which splits headers, terms and cues.
`strip_markup` reads each tag of a known HTML element as a line end (block elements:
br, p, div, li, tr, headings ...) or a space (inline ones: b, span, td ...), and each
character reference ("&amp;", "&#39;") as its character. A tag or reference keeps one
character and drops the rest, so the text gets shorter and an `OffsetMap` maps every
offset back to the report as sent (the usual convention: each dropped character is
recorded at the offset of the character kept before it).

Only tags of known elements are touched, so "SUV <2.5" or "<5 mm" stay as they are.
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
_REF = re.compile(
    r"&(?:#(?P<dec>\d{1,7})|#[xX](?P<hex>[0-9A-Fa-f]{1,6})|(?P<name>[A-Za-z][A-Za-z0-9]{1,31}));"
)


def _reference(m: re.Match[str]) -> str | None:
    try:
        if m.group("dec"):
            return chr(int(m.group("dec")))
        if m.group("hex"):
            return chr(int(m.group("hex"), 16))
    except (ValueError, OverflowError):
        return None
    return html.entities.html5.get(m.group("name") + ";")


def strip_markup(text: str) -> tuple[str, OffsetMap | None]:
    """`text` with HTML tags and character references read (see the module), and the map
    of the shortened offsets; `(text, None)` when there is neither."""
    if "<" not in text and "&" not in text:
        return text, None
    hits: list[tuple[int, int, str]] = []
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
