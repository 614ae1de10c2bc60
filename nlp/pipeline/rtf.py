"""A report exported as RTF, read as the text it formats.

Some EHR exports hand over the report's RTF source: "{\\rtf1\\ansi ... \\b TECHNIQUE:\\b0
... was not acquired.\\par". Read literally, "\\par" glues itself to the last word of each
paragraph ("acquired.\\par"), "\\tab" and "\\rtf1" are taken for escaped tabs and carriage
returns, and the font and colour tables read as words. `read_rtf` reads such a text as the
RTF reader would show it:

- a paragraph or line mark ("\\par", "\\line", "\\row") is a line end; the file's own line
  breaks are not (RTF ignores them), but for one that a re-wrap put in place of a space
  between two words, which is read as that space;
- "\\tab" (and "\\cell") is a tab; "\\~" a space; an escaped "\\\\", "\\{" or "\\}" its character;
  a hex escape ("\\'e9") or a Unicode one ("\\u8211?") its character; "\\endash", "\\emdash",
  "\\bullet" and the quote words their characters;
- every other control word ("\\b0", "\\fs20", "\\pard") is formatting and reads as nothing,
  and so are the braces of a group;
- the groups that hold no text of the report (the font, colour, style and revision tables,
  document information, any "{\\*\\...}" destination) read as nothing, and so does text a
  reviewer deleted with tracked changes ("{\\deleted ... and pelvis}", LABELING.md: struck
  text was not performed).

Only a text holding an RTF file ("{\\rtf" at the start of one of its first lines, in any
case) is read this way, from that brace to the file's closing one: lines an export put
before or after the file stay as they are. Every replacement is
shorter than what it replaces, and an `OffsetMap` maps every offset back to the report as
sent.
"""

from __future__ import annotations

import re

from nlp.pipeline.offsets import OffsetMap, replace_spans

# the file's opening brace, at a line start (a line the export put above it, a patient
# banner or a print stamp, stays as it is)
_START = re.compile(r"^[ \t]*(?P<brace>\{)\\rtf", re.IGNORECASE | re.MULTILINE)
_START_REACH = 600  # the opening is among the first lines
_TOKEN = re.compile(
    r"\\(?P<word>[A-Za-z]{1,32})(?P<num>-?\d{1,10})?(?P<delim> )?"
    r"|\\'(?P<hex>[0-9A-Fa-f]{2})"
    r"|\\(?P<sym>[^A-Za-z'])"
    r"|(?P<brace>[{}])"
    r"|(?P<nl>\r\n|[\r\n])"
)
# control words that stand for a character
_WORD_CHARS = {
    "par": "\n",
    "line": "\n",
    "row": "\n",
    "sect": "\n",
    "page": "\n",
    "tab": "\t",
    "cell": "\t",
    "endash": "\u2013",
    "emdash": "\u2014",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "emspace": " ",
    "enspace": " ",
}
_SYM_CHARS = {"\\": "\\", "{": "{", "}": "}", "~": " ", "-": "", "_": "-", "\n": "\n", "\r": "\n"}
# destinations whose group holds no report text
_SKIPPED = frozenset(
    {
        "fonttbl",
        "colortbl",
        "stylesheet",
        "info",
        "revtbl",
        "listtable",
        "listoverridetable",
        "rsidtbl",
        "generator",
        "pict",
        "object",
        "filetbl",
        "themedata",
        "colorschememapping",
        "latentstyles",
        "datastore",
        "xmlnstbl",
        "header",
        "footer",
        "headerl",
        "headerr",
        "footerl",
        "footerr",
    }
)


def read_rtf(text: str) -> tuple[str, OffsetMap | None]:
    """`text` read as the RTF it is (see the module), and the map of the shortened
    offsets; `(text, None)` when the text is no RTF file."""
    start = _START.search(text, 0, _START_REACH)
    if start is None:
        return text, None
    hits: list[tuple[int, int, str]] = []
    # per open group: does it hide its text (a skipped destination, a tracked deletion)?
    stack: list[bool] = []
    hidden = False
    group_open = -1  # where the group opened last starts, while its first word is unread
    pos = start.start("brace")
    # was the last token a formatting word with no space to end it ("\b0" right before a
    # line break a re-wrap put in place of its delimiting space)?
    word_open = False
    for m in _TOKEN.finditer(text, pos):
        if hidden and m.start() > pos:
            hits.append((pos, m.start(), ""))  # the hidden group's plain text
        between = m.start() > pos and not text[m.start() - 1].isspace()
        pos = m.end()
        repl = ""
        if m.group("brace") == "{":
            stack.append(hidden)
            group_open = m.end()
        elif m.group("brace") == "}":
            hidden = stack.pop() if stack else False
            group_open = -1
            if not stack:
                # the file's closing brace: what an export put after it stays as it is
                hits.append((m.start(), m.end(), ""))
                break
        elif m.group("nl") is not None:
            # RTF's own line breaks are no text; one that a re-wrap put between two words
            # ("could not" / "tolerate") stands for the space it took
            after = text[m.end() : m.end() + 1]
            if (between or word_open) and after and after not in " \t\r\n\\{}":
                repl = " "
        elif m.group("sym") is not None:
            sym = m.group("sym")
            if sym == "*" and m.start() == group_open:
                hidden = True  # "{\*\revtbl ...}": a destination a reader may skip
            else:
                repl = _SYM_CHARS.get(sym, "")
        elif m.group("hex") is not None:
            repl = bytes([int(m.group("hex"), 16)]).decode("cp1252", errors="replace")
        else:
            # (an export that upper-cased the whole file upper-cased its control words)
            word = m.group("word").lower()
            if word in _SKIPPED and m.start() == group_open:
                hidden = True
            elif word == "deleted":
                # "{\deleted\revauthdel1 and pelvis}": struck by a reviewer (to "\deleted0")
                hidden = m.group("num") != "0"
            elif word == "u" and m.group("num") is not None:
                n = int(m.group("num"))
                repl = chr(n + 65536 if n < 0 else n)
                if text[m.end() : m.end() + 1] == "?":
                    # "\u8211?": the "?" is the fallback for readers without Unicode
                    hits.append((m.start(), m.end(), repl))
                    hits.append((m.end(), m.end() + 1, ""))
                    continue
            else:
                repl = _WORD_CHARS.get(word, "")
        if m.group("brace") is None:
            # only a group's first word can name its destination
            group_open = -1
        word_open = m.group("word") is not None and m.group("delim") is None and not repl
        if hidden:
            repl = ""
        if repl != m.group(0):
            hits.append((m.start(), m.end(), repl))
    if hidden and pos < len(text):
        hits.append((pos, len(text), ""))
    return replace_spans(text, hits)
