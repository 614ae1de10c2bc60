"""Time expressions and dates in report text: when was each image taken?

Imaging days are counted from time points after injection ("at 4 h and 24 h", "24-hr",
"45 minutes later"), day phrases ("Day 2:", "the next morning" — the latter are term-list
mentions, see `terms.jsonl`) and explicit dates ("on 04/20/2021", "(02/06)"). Durations
("over 30 minutes", "for 4 weeks") are not time points.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from nlp.pipeline.idlines import own_start
from nlp.pipeline.prescan import opening_finditer, opening_search
from nlp.pipeline.signoff import own_text

_NUM = r"\d{1,3}(?:\.\d+)?"
_HOUR_UNIT = r"(?:hours?|hrs?|h)\b"
_MIN_UNIT = r"(?:minutes?|mins?)\b"
# "4, 24 and 48", "4- and 24-hour"
_SEP = r"(?:\s*-?\s*,\s*(?:and\s+)?|\s*-?\s+and\s+|\s*-?\s*&\s*|\s+or\s+)"
# "4, 24 and 48 hours", "4 and 24 h", "18-24 hrs", "24-hour", "4hrs"
_HOURS = re.compile(
    rf"(?P<list>{_NUM}(?:\s*(?:-|–|to)\s*{_NUM})?(?:{_SEP}{_NUM}(?:\s*(?:-|–|to)\s*{_NUM})?)*)"
    rf"\s*-?\s*(?P<unit>{_HOUR_UNIT}|{_MIN_UNIT})(?P<later>\s+(?:later|afterwards|thereafter))?",
    re.IGNORECASE,
)
# "OCTREOTIDE SPECT 4/24 HR", "24/48h images": two time points written with a slash, the
# later second; not a month and a day (`_slash_hours`)
_SLASH_HOURS = re.compile(
    r"(?P<a>\d{1,3})/(?P<b>\d{1,3})\s*-?\s*(?:hours?|hrs?|h)\b(?!/)", re.IGNORECASE
)
# "3 h 50 min after injection", "2 hrs 15 minutes later"
_COMPOUND = re.compile(
    r"(?P<h>\d{1,2})\s*(?:hours?|hrs?|h)\.?\s*(?:and\s+)?(?P<m>\d{1,2})\s*(?:minutes?|mins?)\b"
    r"(?P<later>\s+(?:later|afterwards|thereafter))?",
    re.IGNORECASE,
)
# "2 days after injection", "three days later"
_DAYS_AFTER = re.compile(
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven)\s+days?\s+"
    r"(?P<rel>after\s+(?:the\s+)?(?:(?:radio)?tracer\s+|radiopharmaceutical\s+)?"
    r"(?:injection|administration|infusion|dosing|therapy|treatment)"
    r"|post[- ]?(?:injection|infusion|therapy)"
    r"|p\.?i\.?|later|afterwards)\b",
    re.IGNORECASE,
)
# "day 8" is the day a week after the injection (Lu-177's 168 h time point: "7 days post
# injection" counted from day 1); a bare "D8" is more often the dorsal vertebra (T8)
_DAY_INDEX = re.compile(
    r"(?:day|(?-i:D)(?![\s-]*[89]))[\s-]*(?P<n>[0-9]|one|two|three|four|five)\b"
    r"(?!\s*(?:receptors?|-?like))"
    r"(?!\s*-?\s*(?:protocol|study|imaging protocol))",
    re.IGNORECASE,
)
# French notation, also in translated reports: "H4" / "H+24" hours after injection, "J0" the
# day of injection, "J1" / "J+1" the day after (upper case only: "h4" is not a time point,
# unless the whole report is in lower case, where case tells nothing)
_FRENCH = re.compile(r"(?<![A-Za-z0-9])(?P<unit>[HJ])\+?(?P<n>\d{1,3})(?![A-Za-z0-9])")
_FRENCH_CASELESS = re.compile(_FRENCH.pattern, re.IGNORECASE)
# "Day 0" names the day of injection or therapy: the report numbers days from 0 ("Day 0,
# 4 h", "Day 1, 24 h", "Day 7"), so "Day N" is N days after it, not the N-th imaging day
_DAY_ZERO = re.compile(r"(?:\bday|(?<![A-Za-z0-9])(?-i:D))[\s-]*0(?![\d.:/])", re.IGNORECASE)
# "post-injection day 1 (Tue 06/22) and day 3": days counted after the injection or
# therapy, the injection's own day being day 0, so "day 1" is the day after it
_DAY_AFTER_INJECTION = re.compile(
    r"\bpost[- ]?(?:injection|infusion|therapy|treatment|administration)[ \t]+day[ \t]*[1-9]\b",
    re.IGNORECASE,
)
# a number right after "Day" / "D" is the day's index, not the first of a list of hours
# ("Day 1, 24 h" is day 1 at 24 h, not 1 h and 24 h)
_DAY_BEFORE = re.compile(r"(?:\b[Dd]ay|\bDAY|(?<![A-Za-z0-9])D)[\s-]*$")
# a weekday and the date beside it ("Thursday 05/12", "05/12 (Thu)") are one day
_BESIDE = re.compile(r"[\s,()]{0,3}")
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
# Numbers written as words ("at four hours", "at twenty-four hours", "forty-five minutes
# later"), as dictated reports have them.
_UNIT_WORDS = {
    **_WORDS,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "ninety": 90,
}
_NUMBER_WORD = (
    rf"(?:(?:{'|'.join(_TENS_WORDS)})(?:[- ](?:{'|'.join(_WORDS)}|eight|nine))?"
    rf"|{'|'.join(sorted(_UNIT_WORDS, key=len, reverse=True))})"
)
# between the numbers of a list: "four, eight and twenty-four", "eighteen to twenty-four"
_WORD_LIST_SEP = r"\s*,\s*(?:and\s+)?|\s+and\s+|\s+to\s+"
_WORD_HOURS = re.compile(
    rf"\b(?P<list>{_NUMBER_WORD}(?:(?:{_WORD_LIST_SEP}){_NUMBER_WORD})*)"
    rf"[- ](?P<unit>hours?|minutes?)\b(?P<later>\s+(?:later|afterwards|thereafter))?",
    re.IGNORECASE,
)
# "at four and at twenty-four hours", "at 4 and at 24 h": a list whose time points each
# take their own "at" and only the last its unit
_AT_EACH_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)at\s+"
_AT_EACH = re.compile(
    rf"\bat\s+(?P<list>(?:{_NUM}|{_NUMBER_WORD})(?:{_AT_EACH_SEP}(?:{_NUM}|{_NUMBER_WORD}))+)"
    rf"\s*-?\s*(?P<unit>{_HOUR_UNIT}|{_MIN_UNIT})",
    re.IGNORECASE,
)
_AT_EACH_SPLIT = re.compile(_AT_EACH_SEP, re.IGNORECASE)
# ("seizure-free 26 h", "pain free 3 hours": how long a state lasted, no time point)
_DURATION_BEFORE = re.compile(
    r"(?:\bfree|\bover|\bfor|\blasting|\bduring|\bwithin|\bevery|\bper|\beach|\bx|\bof|\bhalf-life|\bapproximately\s+every|\bpast"
    r"|\bup\s+to|\bfirst|\blast|\bnext|\btotal\s+of|[<>≤≥±]|\+/?-"
    # "metoprolol held 24 hrs", "NPO 4 hours": how long a drug or food was stopped
    r"|\b(?:with)?held|\bnpo|\bfasted|\bfasting)\s*$",
    re.IGNORECASE,
)
# minutes an acquisition ran before it stopped, and minutes it was meant to run: "SPECT
# stopped after ~8 min of a planned 20 min" (hours there stay time points: "the planned
# 48 h SPECT was cancelled" names the time point cancelled)
_MINUTES_RUN_BEFORE = re.compile(
    r"(?:\b(?:stopped|terminated|aborted|discontinued|halted|interrupted|ended)\s+after"
    r"|\b(?:a|an|the)\s+(?:planned|intended|scheduled|expected))"
    r"\s*(?:~|≈|\bapprox(?:imately|\.)?\s*|\babout\s*|\broughly\s*)?$",
    re.IGNORECASE,
)
# minutes into an acquisition that the patient then interrupted: "SPECT/CT was started with
# the patient awake; after about 6 minutes she woke up and moved" (no time after injection)
_INTERRUPTED_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:the[ \t]+(?:patient|child|infant|boy|girl)|patient|pt|she|he|they)"
    r"[ \t]+(?:[a-z]+[ \t]+){0,2}?(?:woke|awoke|moved|became|coughed|cried|vomited|could[ \t]+not"
    r"|was[ \t]+unable|asked|requested|complained|got[ \t]+up|sat[ \t]+up)\b",
    re.IGNORECASE,
)
# "a 2-minute anterior neck static": how long one static view was counted, no time point
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
_STATIC_AFTER = re.compile(r"\s+(?:[A-Za-z/]+\s+){0,3}?statics?\b", re.IGNORECASE)
_DURATION_AFTER = re.compile(
    r"^\s*(?:per\b|/|acquisition\b|duration|long\b|frames?\b|each\b|ago\b|old\b|of\s+(?:exercise|stress|imaging|acquisition|age))",
    re.IGNORECASE,
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}
# a month's name, in full or cut short: "March", "Sept.", "jan"
MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE_RE = re.compile(
    r"(?:"
    # year first: ISO "2021-03-04", and "2019.12.31" / "2019/12/31" as some systems export it
    r"(?P<iso>(?P<iy>(?:19|20)\d\d)(?P<isep>[-./])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2}))"
    rf"|(?P<dmy>(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?[\s-]+(?P<dmon>{MONTH_RE})[\s,-]+(?P<dy>(?:19|20)\d\d))"
    rf"|(?P<mdy>(?P<mmon>{MONTH_RE})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>(?:19|20)\d\d))"
    r"|(?P<num>(?P<n1>\d{1,2})[/.-](?P<n2>\d{1,2})[/.-](?P<ny>(?:19|20)?\d\d))"
    r"|(?P<short>(?P<s1>\d{1,2})/(?P<s2>\d{1,2}))"
    rf"|(?P<dm>(?P<dmd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dmm>{MONTH_RE})(?![a-z]))"
    rf"|(?P<md2>(?P<mdm>{MONTH_RE})\s+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:]))"
    r")(?![\d/])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time point. kind: "hours" (after injection), "later" (hours after the previous
    time point), "day" (explicit day number, 0-based: "Day 2" and "J1" are both 1), "date"
    (ISO date or "MM/DD")."""

    kind: str
    value: float | str
    start: int
    end: int
    text: str


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LIST_SEP = re.compile(r"\s*(?:,|\band\b|&|\bor\b)\s*", re.IGNORECASE)


def _split_numbers(s: str) -> list[float]:
    """ "4, 24 AND 48" -> [4, 24, 48]; "18-24" -> [24] (the later bound decides the day)."""
    out: list[float] = []
    for part in _LIST_SEP.split(s):
        bounds = [float(x) for x in _NUMBER.findall(part)]
        if bounds:
            out.append(max(bounds))
    return out


_DIGITS = re.compile(r"\d+")
# weekday names count as dates ("on Monday and again on Tuesday")
_WEEKDAY = re.compile(r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_UPPER_D = re.compile(r"D(?=[\s-]*[0-7])")
_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _triggers(text: str, low: str, start: int, end: int) -> tuple[list[int], list[int], list[int]]:
    """Where a time expression can start: digit runs, month words, "day" words and "D2".

    The regular expressions are anchored at these positions only (`.match`), which keeps
    the scan at C speed; the checks on the preceding character below replace the
    look-behinds a whole-text scan would need.
    """
    digits = [m.start() for m in _DIGITS.finditer(text, start, end)]
    words: list[int] = []
    for key in _MONTH_KEYS:
        i = low.find(key, start, end)
        while i >= 0:
            if i == 0 or not low[i - 1].isalpha():
                words.append(i)
            i = low.find(key, i + 3, end)
    days: list[int] = []
    i = low.find("day", start, end)
    while i >= 0:
        days.append(i)
        i = low.find("day", i + 3, end)
    for m in _UPPER_D.finditer(text, start, end):
        days.append(m.start())
    return digits, sorted(words), sorted(set(days))


def _prev(text: str, i: int, n: int = 1) -> str:
    return text[i - n] if i - n >= 0 else ""


# a date of birth in a patient banner ("DOB: 12/02/1958", "Date of birth 3/4/61"), or the
# date a report or order was signed, dictated or placed, is no time point of the study
_NO_IMAGING_DATE_BEFORE = re.compile(
    r"(?:\bd\.?o\.?b\.?|\bdate[ \t]+of[ \t]+birth|\bborn(?:[ \t]+on)?|\bbirth[ \t]*date)"
    r"[ \t]*[:#=-]?[ \t]*$"
    # the report's and the order's own events: "signed 01/03/2020", "Dictated: 01/03/20",
    # "transcribed on", an export's "ORDER DTTM:", "ARRIVAL DTTM:", "SIGN DTTM:"
    r"|\b(?:e-?signed|signed|sign|dictated|transcribed|finali[sz]ed|printed|ordered|order"
    r"|arrival|arrived|resulted)(?:[ \t]+(?:dttm|date/time|date|time|dt))?(?:[ \t]+on)?"
    r"[ \t]*[:#=-]?[ \t]*$"
    # a reconstruction's iterations and subsets: "OSEM 8/8", "OSEM 3D 4/8", "iterations/
    # subsets: 6/8" (no day of the study)
    r"|\b(?:osem|mlem|iter(?:ation)?s?(?:[ \t]*/[ \t]*subsets?)?|subsets?)"
    r"(?:[ \t]+(?:[23]d|recon\w*))?[ \t]*[:#=,-]?[ \t]*$",
    re.IGNORECASE,
)


def find_times(text: str, start: int = 0, end: int | None = None) -> list[TimeExpr]:
    """Time points in text[start:end], with offsets into `text`."""
    end = len(text) if end is None else end
    low = text.lower()
    digits, months, days = _triggers(text, low, start, end)
    out: list[TimeExpr] = []

    compound_spans: list[tuple[int, int]] = []
    last = -1
    for pos in digits:
        if pos < last or (_prev(text, pos) in "0123456789:." and pos > 0):
            continue
        m = _COMPOUND.match(text, pos, end)
        if m:
            last = m.end()
            hours = float(m.group("h")) + float(m.group("m")) / 60
            kind = "later" if m.group("later") else "hours"
            out.append(TimeExpr(kind, hours, m.start(), m.end(), m.group(0)))
            compound_spans.append((m.start(), m.end()))

    # "4/24 HR": two time points, not a month and a day
    for pos in digits:
        if (pos > 0 and _prev(text, pos) in "0123456789:./") or (
            m := _slash_hours(text, pos, end)
        ) is None:
            continue
        for value in (float(m.group("a")), float(m.group("b"))):
            out.append(TimeExpr("hours", value, m.start(), m.end(), m.group(0)))
        compound_spans.append((m.start(), m.end()))

    # a date's numbers are no hours: "on 2020-08-11, 24 hours after" is not 11 and 24 h
    date_matches = _iter_dates(text, digits, months, end)
    in_date = {p for m in date_matches for p in range(m.start(), m.end())}
    last = -1
    for pos in digits:
        if pos < last or (pos > 0 and _prev(text, pos) in "0123456789:."):
            continue
        if _prev(text, pos) == "/" and _prev(text, pos, 2).isdigit():
            continue
        if pos in in_date:
            continue
        if _DAY_BEFORE.search(text, max(0, pos - 8), pos):
            continue
        m = _HOURS.match(text, pos, end)
        if m is None:
            continue
        last = m.end()
        if any(s <= m.start() < e for s, e in compound_spans):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if _is_duration(text, before, m.end(), end):
            continue
        unit = m.group("unit").lower()
        if unit.startswith("m") and (
            _MINUTES_RUN_BEFORE.search(before)
            or _INTERRUPTED_AFTER.match(text, m.end(), min(end, m.end() + 60))
        ):
            continue
        if (
            unit.startswith("m")
            and _ARTICLE_BEFORE.search(before)
            and _STATIC_AFTER.match(text, m.end(), min(end, m.end() + 40))
        ):
            continue
        scale = 1 / 60 if unit.startswith("m") else 1.0
        later = m.group("later") is not None
        for value in _split_numbers(m.group("list")):
            out.append(
                TimeExpr(
                    "later" if later else "hours", value * scale, m.start(), m.end(), m.group(0)
                )
            )

    if "hour" in low or "minute" in low:
        out += _word_times(text, low, start, end)
    if " and at " in low or ", at " in low:
        # the list's last time point was read alone ("twenty-four hours"): the whole list
        # replaces it
        each = _at_each_times(text, start, end)
        spans = [(t.start, t.end) for t in each]
        out = [t for t in out if not any(a <= t.start < b for a, b in spans)] + each

    last = -1
    for pos in days:
        if low.startswith("day", pos):
            # the word before "days": "2 days after injection", "three days later"
            j = pos - 1
            while j >= start and text[j] == " ":
                j -= 1
            k = j
            while k >= start and text[k].isalnum():
                k -= 1
            wstart = k + 1
            if wstart <= j and wstart >= last and not (wstart > 0 and text[wstart - 1].isalnum()):
                m = _DAYS_AFTER.match(text, wstart, end)
                if m:
                    last = m.end()
                    n = m.group("n").lower()
                    num = _WORDS.get(n) or int(n)
                    rel = m.group("rel").lower()
                    kind = "later" if rel.startswith(("later", "afterwards")) else "hours"
                    out.append(TimeExpr(kind, float(num * 24), m.start(), m.end(), m.group(0)))

    last = -1
    indexed: list[tuple[re.Match[str], int]] = []
    for pos in days:
        if pos < last or (pos > 0 and text[pos - 1].isalnum()):
            continue
        if low.endswith("vitamin ", 0, pos):
            continue
        m = _DAY_INDEX.match(text, pos, end)
        if m:
            n = m.group("n").lower()
            indexed.append((m, _WORDS.get(n) or int(n)))
            last = m.end()
    zero_based = (
        ("0" in text and opening_search(_DAY_ZERO, text, low) is not None)
        or (bool(indexed) and "post" in low and _DAY_AFTER_INJECTION.search(text) is not None)
        or _numbered_from_zero(text, indexed, out)
    )
    for m, num in indexed:
        if num == 0 and not zero_based:
            continue
        if _counted_elsewhere(text, m, num, out):
            continue
        index = float(num if zero_based else num - 1)
        out.append(TimeExpr("day", index, m.start(), m.end(), m.group(0)))

    own = own_text(text)  # the sign-off lines after the report tell no style
    french = _FRENCH_CASELESS if own.lower() == own else _FRENCH
    for m in french.finditer(text, start, end):
        n = int(m.group("n"))
        unit = m.group("unit").upper()
        if unit == "H" and 0 < n <= 168:
            out.append(TimeExpr("hours", float(n), m.start(), m.end(), m.group(0)))
        elif unit == "J" and n <= 7:
            out.append(TimeExpr("day", float(n), m.start(), m.end(), m.group(0)))

    dates: list[TimeExpr] = []
    for m in date_matches:
        key = date_key(m)
        # a birth date, or the date the report was dictated or signed, is no imaging day
        reach = max(0, m.start() - 20)
        if key is not None and not _NO_IMAGING_DATE_BEFORE.search(text, reach, m.start()):
            date = TimeExpr("date", key, m.start(), m.end(), m.group(0))
            dates += _with_paired_day(text, m, date)
    for m in opening_finditer(_WEEKDAY, low, low, start, end):
        if m.start() == 0 or not low[m.start() - 1].isalpha():
            if any(_beside(text, m.start(), m.end(), d) for d in dates):
                continue  # "Thursday 05/12": the date says which day
            word = text[m.start() : m.end()]
            out.append(TimeExpr("date", "wd-" + m.group(1)[:3], m.start(), m.end(), word))
    out += dates
    out.sort(key=lambda t: t.start)
    return out


# a second day of the month given by its number alone: "Feb 15 and 16, 2023", "March 3-4"
_PAIR_AFTER = re.compile(
    r"[ \t]*(?:and|&|,|-|\u2013|to)[ \t]*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d/:]|\.\d)"
    r"(?![ \t]*(?:h\b|hrs?\b|hours?\b|min|mci|mbq|mg\b|ml\b|%|days?\b|am\b|pm\b|x\b))"
    r"(?:,?[ \t]+(?P<y>(?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
# ... and the first day before a day-month date: "15 and 16 February 2023"
_PAIR_BEFORE = re.compile(
    r"(?<![\d/.:])(?P<d>\d{1,2})(?:st|nd|rd|th)?[ \t]*(?:and|&|-|\u2013)[ \t]*$", re.IGNORECASE
)


def _with_paired_day(text: str, m: re.Match[str], date: TimeExpr) -> list[TimeExpr]:
    """The date, plus the other day of a pair written with the month once."""
    key = str(date.value)  # "MM-DD" for a day-month or month-day date without a year
    if m.group("md2"):
        p = _PAIR_AFTER.match(text, m.end())
        if p is None or not int(m.group("mdd")) < int(p.group("d")) <= 31:
            return [date]
        year = p.group("y") + "-" if p.group("y") else ""
        first = year + key
        second = f"{year}{key[:2]}-{int(p.group('d')):02d}"
        return [
            TimeExpr("date", first, date.start, date.end, date.text),
            TimeExpr("date", second, p.start("d"), p.end(), text[p.start("d") : p.end()]),
        ]
    if m.group("dm") or m.group("dmy"):
        day = int(m.group("dmd") or m.group("dd"))
        p = _PAIR_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if p is None or not 1 <= int(p.group("d")) < day:
            return [date]
        earlier = key[:-2] + f"{int(p.group('d')):02d}"
        before = TimeExpr("date", earlier, p.start("d"), p.end("d"), p.group("d"))
        return [before, date]
    return [date]


def _numbered_from_zero(
    text: str, indexed: list[tuple[re.Match[str], int]], times: list[TimeExpr]
) -> bool:
    """Does the report number its days from the injection or therapy day, as its own
    pairs of a day and a time point show? "Day 1 (24 h)", "96 h (day 4)": the day's number
    is the hours' day after injection (the hours are unambiguous), so "Day 7" is 168 h and
    not the seventh imaging day. "Day 1, 4 h" / "Day 2 (24 h)" number imaging days from 1
    (the default). Any pair of the second kind keeps the default."""
    if not any(t.kind == "hours" for t in times):
        return False
    votes: set[bool] = set()
    for m, num in indexed:
        paired = _paired_hours(text, m, times)
        if paired is None:
            continue  # "Day 2, 4 and 24 h": no one time point to compare with
        day = day_of_hours(paired)
        if day == num:
            votes.add(True)
        elif day == num - 1:
            votes.add(False)
    return votes == {True}


def _paired_hours(
    text: str, m: re.Match[str], times: list[TimeExpr], bracketed: bool = False
) -> float | None:
    """The hours of the one time point written right beside the day number `m` ("Day 1
    (24 h", "96 h (day 4", and unless `bracketed` "Day 1, 24 h"), or None. The day's date
    may stand between the day and its hours ("Day 4 (19-Feb-2021, 96 h)"): the hours are
    still the day's own."""
    gap, gap_before = (_GLOSS, _GLOSS_BEFORE) if bracketed else (_PAIR_GAP, _PAIR_GAP_BEFORE)
    after = gap.match(text, m.end())
    if after is not None and (date := match_date(text, after.end())) is not None:
        after = _DATE_GAP.match(text, date.end()) or after
    before = gap_before.search(text, max(0, m.start() - 4), m.start())
    for at, key in ((after, "start"), (before, "end")):
        if at is None:
            continue
        pos = at.end() if key == "start" else at.start()
        paired = [t for t in times if t.kind == "hours" and getattr(t, key) == pos]
        if paired:
            return float(paired[0].value) if len(paired) == 1 else None
    return None


def _counted_elsewhere(text: str, m: re.Match[str], num: int, times: list[TimeExpr]) -> bool:
    """Is the day number `m` restated by the hours after the dose beside it, numbered from
    another first day than the injection's? "Day 4 (24 hours after the dose)" in a protocol
    that counts from its preparation (rhTSH on days 1 and 2, the dose on day 3): the hours
    after the dose are unambiguous, and day 4 is their day 1, one time point, not a second
    imaging day. A day that fits the hours either way ("Day 1 (24 h)", "Day 2 (24 h)") is
    the report's own numbering of imaging days (`_numbered_from_zero`), and a day and an
    hour listed apart ("4 h, day 2") are two time points."""
    hours = _paired_hours(text, m, times, bracketed=True)
    return hours is not None and day_of_hours(hours) not in (num, num - 1)


# between a day number and the time point that restates it: "Day 1 (24 h", "96 h (day 4"
_PAIR_GAP = re.compile(r"[ \t]*[,(/\u2013\u2014-]?[ \t]*")
_PAIR_GAP_BEFORE = re.compile(r"[ \t]*[,(/\u2013\u2014-]?[ \t]*$")
# ... in a bracket only: "Day 4 (24 hours after the dose", "24 h (day 4"
_GLOSS = re.compile(r"[ \t]*\([ \t]*")
_GLOSS_BEFORE = re.compile(r"[ \t]*\([ \t]*$")
# after a date between a day number and its hours: "Day 4 (19-Feb-2021, 96 h)"
_DATE_GAP = re.compile(r"[ \t]*[,;][ \t]*")


def _beside(text: str, start: int, end: int, d: TimeExpr) -> bool:
    """Is date `d` right after or right before the word at text[start:end]?"""
    if d.start >= end:
        gap = _BESIDE.match(text, end, d.start)
        return gap is not None and gap.end() == d.start
    if d.end <= start:
        gap = _BESIDE.match(text, d.end, start)
        return gap is not None and gap.end() == start
    return False


_WORD_LIST_SPLIT = re.compile(_WORD_LIST_SEP, re.IGNORECASE)
_WORD_PARTS = re.compile(r"[- ]")


def _word_value(word: str) -> float:
    """ "twenty-four" -> 24, "four" -> 4."""
    total = 0
    for part in _WORD_PARTS.split(word.lower()):
        total += _TENS_WORDS.get(part, 0) + _UNIT_WORDS.get(part, 0)
    return float(total)


def _is_duration(text: str, before: str, after: int, end: int) -> bool:
    """Is the time written before `after` how long something lasted ("pain free 3 hours",
    "for 24 h", "20 minutes per view") rather than a time point? `before` is the text just
    before it."""
    return bool(
        _DURATION_BEFORE.search(before) or _DURATION_AFTER.match(text, after, min(end, after + 30))
    )


def _word_times(text: str, low: str, start: int, end: int) -> list[TimeExpr]:
    """Time points written in words, with the same duration checks as the digit forms."""
    out: list[TimeExpr] = []
    for m in opening_finditer(_WORD_HOURS, text, low, start, end):
        before = text[max(0, m.start() - 40) : m.start()]
        if _is_duration(text, before, m.end(), end):
            continue
        minutes = m.group("unit").lower().startswith("m")
        if minutes and (
            _MINUTES_RUN_BEFORE.search(before)
            or _INTERRUPTED_AFTER.match(text, m.end(), min(end, m.end() + 60))
        ):
            continue
        scale = 1 / 60 if minutes else 1.0
        kind = "later" if m.group("later") else "hours"
        parts = _WORD_LIST_SPLIT.split(m.group("list"))
        values = [_word_value(p) for p in parts]
        if " to " in m.group("list").lower():
            values = [max(values)]  # "eighteen to twenty-four hours": the later bound
        for value in values:
            out.append(TimeExpr(kind, value * scale, m.start(), m.end(), m.group(0)))
    return out


def _at_each_times(text: str, start: int, end: int) -> list[TimeExpr]:
    """Time points of an "at A and at B hours" list, with the duration checks of the other
    forms: "imaged at four and at twenty-four hours" is two time points, 4 h and 24 h."""
    out: list[TimeExpr] = []
    for m in _AT_EACH.finditer(text, start, end):
        before = text[max(0, m.start() - 40) : m.start()]
        if _is_duration(text, before, m.end(), end):
            continue
        scale = 1 / 60 if m.group("unit").lower().startswith("m") else 1.0
        said = text[m.start("list") : m.end()]
        for part in _AT_EACH_SPLIT.split(m.group("list")):
            value = float(part) if part[:1].isdigit() else _word_value(part)
            out.append(TimeExpr("hours", value * scale, m.start("list"), m.end(), said))
    return out


def _iter_dates(text: str, digits: list[int], months: list[int], end: int) -> list[re.Match[str]]:
    """DATE_RE matches, non-overlapping, that do not continue a number or a date."""
    found: list[re.Match[str]] = []
    last = -1
    for pos in sorted(set(digits) | set(months)):
        if pos < last:
            continue
        if pos > 0 and (text[pos - 1].isdigit() or text[pos - 1] == "/"):
            continue
        if pos > 0 and text[pos].isdigit() and text[pos - 1].isalpha():
            # "C5/6", "L4/5": a spinal level written with a slash is no month and day
            continue
        m = DATE_RE.match(text, pos, end)
        if m is None:
            continue
        if m.end() < len(text) and (text[m.end()].isdigit() or text[m.end()] == "/"):
            continue
        if m.group("short") and _slash_hours(text, pos, end) is not None:
            continue  # "SPECT 4/24 HR": two time points
        if m.group("short") and _PAIN_SCORE.search(text, max(0, pos - 40), m.end()):
            continue  # "chest tightness 3/10 at peak": a symptom's score out of ten
        found.append(m)
        last = m.end()
    return found


# a symptom rated out of ten right before the score: "chest tightness 3/10", "pain rated
# 6/10", "angina 2/10"
_PAIN_SCORE = re.compile(
    r"\b(?:pain|tightness|pressure|discomfort|angina|heaviness|burning|dyspnea|symptoms?"
    r"|rated|score[ds]?|severity|intensity)\b[^.;\n/]{0,20}?\b(?:10|[0-9](?:\.5)?)/10\Z",
    re.IGNORECASE,
)


def _slash_hours(text: str, pos: int, end: int) -> re.Match[str] | None:
    """Two time points written with a slash before an hour unit ("4/24 HR", "24/48h"), the
    first earlier than the second and both within a week, starting at `pos`."""
    m = _SLASH_HOURS.match(text, pos, end)
    if m is None or not 0 < int(m.group("a")) < int(m.group("b")) <= 168:
        return None
    return m


def match_date(text: str, pos: int) -> re.Match[str] | None:
    """A date starting exactly at `pos` (used after a label such as "Exam date:")."""
    m = DATE_RE.match(text, pos)
    if m is None or (m.end() < len(text) and (text[m.end()].isdigit() or text[m.end()] == "/")):
        return None
    return m


def day_of_hours(hours: float) -> int:
    """0-based imaging day of a time point after injection.

    4 h is day 0; 24 h day 1; 48 h day 2. Images from 20 h on are taken the next day in
    practice (an evening injection), so the day turns four hours early.
    """
    return int((hours + 4) // 24)


def _year(y: str) -> int:
    n = int(y)
    if n < 100:
        n += 2000 if n <= 69 else 1900
    return n


def parse_date_match(m: re.Match[str]) -> dt.date | None:
    """A full date (day, month, year) from a DATE_RE match; None for partial or invalid dates.

    Numeric dates are read month first (US), unless the first number cannot be a month.
    """
    try:
        if m.group("iso"):
            return dt.date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        if m.group("dmy"):
            mon = _MONTHS[m.group("dmon").lower().rstrip(".")]
            return dt.date(int(m.group("dy")), mon, int(m.group("dd")))
        if m.group("mdy"):
            mon = _MONTHS[m.group("mmon").lower().rstrip(".")]
            return dt.date(int(m.group("my")), mon, int(m.group("md")))
        if m.group("num"):
            a, b, y = int(m.group("n1")), int(m.group("n2")), _year(m.group("ny"))
            if a > 12 >= b:
                a, b = b, a
            return dt.date(y, a, b)
    except (ValueError, KeyError):
        return None
    return None


def date_key(m: re.Match[str]) -> str | None:
    """A comparable key for a date used as a time point: ISO when complete, else "MM-DD"."""
    full = parse_date_match(m)
    if full is not None:
        return full.isoformat()
    if m.group("dm") or m.group("md2"):
        word = m.group("dmm") or m.group("mdm")
        if word == "may":  # the verb, not the month ("may 5 mg", "may be")
            return None
        mon = _MONTHS.get(word.lower().rstrip("."))
        day = int(m.group("dmd") or m.group("mdd"))
        if mon and 1 <= day <= 31:
            return f"{mon:02d}-{day:02d}"
        return None
    if m.group("short"):
        a, b = int(m.group("s1")), int(m.group("s2"))
        if 1 <= a <= 12 and 1 <= b <= 31:
            return f"{a:02d}-{b:02d}"
        if 1 <= b <= 12 and 1 <= a <= 31:
            return f"{b:02d}-{a:02d}"
    return None


def same_day(a: str, b: str) -> bool:
    """Date keys name the same day ("2021-04-20" and "04-20" do)."""
    return a == b or a.endswith("-" + b) or b.endswith("-" + a)


def days_between(a: str, b: str) -> int | None:
    """Days from date key `a` to date key `b` ("09-08" to "09-09" is 1); None for weekday
    keys. Keys without a year are read in one (non-leap) year, as they come from one study."""
    if len(a) != len(b):  # one key has a year, the other not: compare month and day
        a, b = a[-5:], b[-5:]
    da, db = _key_date(a), _key_date(b)
    if da is None or db is None:
        return None
    return (db - da).days


def _key_date(key: str) -> dt.date | None:
    try:
        if len(key) == 10:
            return dt.date.fromisoformat(key)
        if len(key) == 5 and key[2] == "-":
            return dt.date(2001, int(key[:2]), int(key[3:]))
    except ValueError:
        return None
    return None


# ---- date of service ------------------------------------------------------------------
_DOS_LABEL = re.compile(
    r"(?:date\s+of\s+service|service\s+date|\bdos\b|exam(?:ination)?\s+date|date\s+of\s+(?:the\s+)?exam(?:ination)?"
    # VistA radiology's header abbreviates it: "Exm Date: OCT 09, 2019@11:45" (LABELING.md
    # gold BR to BY)
    r"|\bexm\s+date"
    r"|study\s+date|date\s+of\s+(?:the\s+)?study|procedure\s+date|date\s+of\s+(?:the\s+)?procedure|scan\s+date"
    r"|date\s+of\s+(?:the\s+)?scan|imaging\s+date|date\s+of\s+imaging|date\s+performed|performed\s+date|visit\s+date"
    r"|date\s+of\s+visit|acquisition\s+date|date\s+of\s+acquisition"
    # the short forms of a system export: "EXAM DT", "SVC DT", "STUDY DT"
    r"|(?:exam(?:ination)?|study|service|svc|scan|procedure|imaging)\s+dt\b"
    # the keys of an export or a JSON/XML wrapper, written as one word ("StudyDate",
    # "exam_date", "EXAM_DT", "date_of_service", "examDateTime"): labelled dates too
    # (LABELING.md gold AH, AW)
    r"|\b(?:exam(?:ination)?|study|service|svc|scan|procedure|imaging|acquisition)_?(?:date|dt)"
    r"(?:_?time)?(?![a-z])"
    r"|\bdate_?of_?(?:service|exam(?:ination)?|study|procedure)\b)"
    # a header naming the dates of a study on several days: "Exam dates: A - B", "Study
    # date(s)": the first is the date of service (LABELING.md gold F). A key-value export
    # parts the label from its value with a pipe: "Date of Service|December 3, 2019"
    r"(?:\(s\)|(?<=date)s\b)?(?:\s*/\s*time\b)?"
    # a wrapper's key closes with a quote or a tag: '"StudyDate":"', "<ExamDate>"
    r"(?:[\"']?\s*:\s*[\"']|>)?"
    r"\s*(?:[:#=|-]|\bwas\b|\bis\b|\bwere\b)?[\s,]*",
    re.IGNORECASE,
)
# the part of a study a date under a dates label is of: "Study dates: ictal 10/03/2017;
# interictal 10/05/2017", "Exam dates: stress 03/02/2021, rest 03/03/2021"
_PART_BEFORE_DATE = re.compile(
    r"(?:ictal|inter-?ictal|peri-?ictal|stress|rest|baseline|(?:acetazolamide|diamox)"
    r"|ventilation|perfusion|early|delayed|initial|first|day[ \t]*[0-9])[ \t]*[:=-]?[ \t]*",
    re.IGNORECASE,
)
_PLAIN_DATE_LABEL = re.compile(r"^[ \t]*date\s*:[\s,]*", re.IGNORECASE | re.MULTILINE)
# the same as a field of a line after another ("Exam: NM bone SPECT/CT  Date: 03/02/2021"),
# not a date another word before it qualifies ("Birth date:", "Order date:")
_DATE_FIELD = re.compile(r"(?<=[ \t|;,])date[ \t]*:[ \t]*", re.IGNORECASE)
_DATE_QUALIFIER = re.compile(
    r"birth|order(?:ed)?|report(?:ed)?|dictat(?:ed|ion)|transcri(?:bed|ption)|print(?:ed)?"
    r"|sign(?:ed)?|verif(?:ied|ication)|admi(?:t|ssion)|discharge|request(?:ed)?|referral"
    r"|result|final|fax(?:ed)?|schedul(?:ed)?|injection|prior|comparison",
    re.IGNORECASE,
)


def _qualified_date(text: str, start: int) -> bool:
    """Does the word before the "Date:" at `start` qualify it ("Birth date:", "Order date:")?"""
    words = text[max(0, start - 30) : start].split()
    return bool(words) and _DATE_QUALIFIER.fullmatch(words[-1].strip("|;,")) is not None


# An erratum, corrected report or addendum block (to the next blank line) that restates
# the date of service: "ERRATUM: the header date is the order date; the examination was
# performed on 01/07/2020", "Corrected report - date of service should read 2/3/2021".
# A corrected date of service replaces the header's (LABELING.md gold G, no review).
_CORRECTION_BLOCK = re.compile(
    r"^[ \t]*(?:errat\w*|correct(?:ed|ion)\b|revised\b|amend\w*|addend\w*)"
    r"(?:(?!\n[ \t]*\n).)*",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_CORRECTION_KEYS = ("errat", "correct", "revised", "amend", "addend")
# the block must be about the date of service, not about a finding or a comparison
_DOS_TOPIC = re.compile(
    r"date\s+of\s+(?:service|(?:the\s+)?(?:exam(?:ination)?|study|scan|procedure))|\bdos\b"
    r"|(?:exam(?:ination)?|study|service|scan|procedure|header)\s+date"
    r"|date\s+(?:in|on|of)\s+the\s+(?:header|title)|(?:wrong|incorrect)\s+date",
    re.IGNORECASE,
)
_DOS_RESTATED = re.compile(
    r"(?:\b(?:exam(?:ination)?|study|scan|procedure|imaging)\s+(?:was\s+|were\s+)?"
    r"(?:actually\s+|in\s+fact\s+)?(?:performed|done|acquired|obtained|carried\s+out)\s+on"
    r"|(?:date\s+of\s+service|service\s+date|\bdos\b|exam(?:ination)?\s+date|study\s+date)"
    r"\s+(?:is|was|should\s+(?:read|be)|(?:is\s+|has\s+been\s+)?(?:corrected|changed|amended)\s+to"
    r"(?:\s+read)?)"
    r"|\bcorrect(?:ed)?\s+(?:date\s+of\s+service|dos|exam(?:ination)?\s+date|study\s+date"
    r"|date)\s*(?:is\b|:|=)?)[\s,:]*",
    re.IGNORECASE,
)
# "the comparison study was performed on ...": another study's date
_OTHER_STUDY_BEFORE_DATE = re.compile(
    r"\b(?:prior|previous|comparison|outside|earlier|last|index)\s+$", re.IGNORECASE
)


def _corrected_dos(text: str) -> tuple[dt.date, int, int] | None:
    """The date of service an erratum, corrected report or addendum restates, if any (the
    last such statement wins)."""
    found: tuple[dt.date, int, int] | None = None
    for block in _CORRECTION_BLOCK.finditer(text):
        if not _DOS_TOPIC.search(block.group(0)):
            continue
        for m in _DOS_RESTATED.finditer(text, block.start(), block.end()):
            if _OTHER_STUDY_BEFORE_DATE.search(text, max(0, m.start() - 20), m.start()):
                continue
            d = match_date(text, m.end())
            if d is None:
                continue
            full = parse_date_match(d)
            if full is not None:
                found = (full, d.start(), d.end())
    return found


def find_dos(text: str) -> tuple[dt.date, int, int] | None:
    """The labelled date of service in the report text, with its offsets, or None.

    Only labelled dates count ("DATE OF SERVICE:", "Exam date", "Study date", or a bare
    "Date:" line near the top); injection, comparison and history dates never do. A date
    of service restated by an erratum or corrected report replaces the header's.
    """
    if any(k in text.lower() for k in _CORRECTION_KEYS):
        corrected = _corrected_dos(text)
        if corrected is not None:
            return corrected
    low = text.lower()
    hits = sorted({i for key in ("date", "dos", " dt", "_dt") for i in _all(low, key)})
    seen_end = -1
    for i in hits:
        pos, stop = max(0, i - 30, seen_end), min(len(text), i + 60)
        while (m := opening_search(_DOS_LABEL, text, low, pos, stop)) is not None:
            found = _labelled_date(text, m.end())
            part = _PART_BEFORE_DATE.match(text, m.end()) if found is None else None
            if part is not None:
                # "Study dates: ictal 10/03/2017; interictal 10/05/2017": per-part dates
                # under one label, the first part's date the first (LABELING.md gold X)
                found = _labelled_date(text, part.end())
            if found is not None:
                return found
            # a label with no date after it may hold the start of one that has: "NEUROLOGY &
            # IMAGING   DATE OF SERVICE: 10/03/2017" reads "IMAGING DATE" first
            pos = seen_end = m.start() + 1
    column = _dos_column(text) or _dos_label_row(text)
    if column is not None:
        return column
    head = text[:400]
    # a "Date:" field beside the exam title or among the identification lines above it
    # ("Exam: NM bone SPECT/CT   Date: 03/02/2021")
    first = own_start(text)
    top = text.find("\n", first)
    fields = (
        m
        for m in _DATE_FIELD.finditer(text, 0, len(head) if top < 0 else min(top, len(head)))
        if not _qualified_date(text, m.start())
    )
    for m in itertools.chain(_PLAIN_DATE_LABEL.finditer(head), fields):
        d = match_date(text, m.end())
        if d is not None:
            full = parse_date_match(d)
            if full is not None:
                return full, d.start(), d.end()
    return _bare_date_line(text)


# a numeric date with its year, written as a word of its own ("14/03/2021", "03.04.21")
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](?:19|20)?\d\d(?![\d/])")


def day_first_dos(
    text: str, found: tuple[dt.date, int, int] | None
) -> tuple[dt.date, int, int] | None:
    """The labelled date of service `found` read day first when it is a numeric date both
    ways ("DATE: 03/04/2021") and the report's other numeric dates prove the day-first
    convention: one has a day over 12 in the first place ("signed 14/04/2021") and none a
    day over 12 in the second. Otherwise month first, as `parse_date_match` reads it."""
    if found is None:
        return None
    d = match_date(text, found[1])
    if d is None or not d.group("num"):
        return found
    a, b = int(d.group("n1")), int(d.group("n2"))
    if a == b or a > 12 or b > 12:
        return found  # the same either way, or only one reading is a date
    day_first = month_first = False
    for m in _NUMERIC_DATE.finditer(text):
        if m.start() == d.start():
            continue
        x, y = int(m.group(1)), int(m.group(2))
        if 12 < x <= 31 and 1 <= y <= 12:
            day_first = True
        elif 12 < y <= 31 and 1 <= x <= 12:
            month_first = True
    if not day_first or month_first:
        return found
    try:
        return dt.date(found[0].year, b, a), found[1], found[2]
    except ValueError:
        return found


# the compact DICOM/HL7 form of a date, year-month-day with no separator ("20181119"),
# with an optional time ("201811190930"); read only right after a date label (LABELING.md
# gold AH), never as a time point
_COMPACT_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])?(?:[0-5]\d){0,2}(?!\d)"
)


def _labelled_date(text: str, pos: int) -> tuple[dt.date, int, int] | None:
    """The full date written right after a date label at `pos`, in any of the forms
    `match_date` reads or the compact year-month-day form."""
    d = match_date(text, pos)
    if d is not None:
        full = parse_date_match(d)
        return None if full is None else (full, d.start(), d.end())
    c = _COMPACT_DATE.match(text, pos)
    if c is None:
        return None
    try:
        return dt.date(int(c.group("y")), int(c.group("m")), int(c.group("d"))), c.start(), c.end()
    except ValueError:
        return None


# the lines of a terse note's top that may hold its bare date line: the title, then the
# date on a line of its own (LABELING.md gold N), after at most one more title line
_BARE_DATE_TOP_LINES = 3
_BARE_DATE_TAIL = re.compile(r"[ \t.,;:)\]]*$")


def _bare_date_line(text: str) -> tuple[dt.date, int, int] | None:
    """A terse report's date written alone on a line right under its title ("LIVER SPECT"
    then "11/05/2014"), with no label: the date of service. A line holding anything beside
    the date ("Dictated 11/06/2014", "inj 11/04") is not bare, and the title line itself
    (the first written line below any identification lines) is never the date line."""
    pos = own_start(text)
    written = 0
    while pos < len(text) and written < _BARE_DATE_TOP_LINES:
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        if line.strip():
            written += 1
            lead = pos + len(line) - len(line.lstrip())
            d = match_date(text, lead)
            if d is not None and d.end() <= end:
                if written == 1:
                    return None  # a date opening the report: no title above it
                if _BARE_DATE_TAIL.match(text[d.end() : end]):
                    full = parse_date_match(d)
                    if full is not None:
                        return full, d.start(), d.end()
        pos = end + 1
    return None


# A second opinion / over-read of another facility's study: "SECOND OPINION", "outside
# study over-read". Its date of service is the outside acquisition date (LABELING.md gold
# R), written in the study line: "bone scan performed at an outside center on 11/20/2019".
_OVER_READ_REPORT = re.compile(r"\bsecond[- ]opinion\b|\bover-?read(?:ing)?\b", re.IGNORECASE)
_ACQUIRED_ON = re.compile(
    r"\b(?:performed|acquired|obtained|done|imaged)\b(?P<where>[^.;\n]{0,60}?)\bon[ \t]+",
    re.IGNORECASE,
)
# "no new imaging was performed at our institution on ...": this facility's own
_OWN_FACILITY = re.compile(r"\b(?:our|this)\s+(?:institution|facility|department|hospital)\b", re.I)


def find_over_read_dos(text: str) -> tuple[dt.date, int, int] | None:
    """The outside acquisition date of an over-read with no labelled date of service (the
    interpretation date is not one; None when only that is known)."""
    if not opening_search(_OVER_READ_REPORT, text):
        return None
    for m in _ACQUIRED_ON.finditer(text):
        if _OWN_FACILITY.search(m.group("where")):
            continue
        d = match_date(text, m.end())
        if d is None:
            continue
        full = parse_date_match(d)
        if full is not None:
            return full, d.start(), d.end()
    return None


def _all(low: str, key: str) -> list[int]:
    out = []
    i = low.find(key)
    while i >= 0:
        out.append(i)
        i = low.find(key, i + 1)
    return out


_COLUMN_LABEL = re.compile(
    r"(?:date[\s_]*of[\s_]*service|service[\s_]*date|dos|exam(?:ination)?[\s_]*date"
    r"|study[\s_]*date|procedure[\s_]*date|scan[\s_]*date"
    # the short forms: "EXAM_DT", "SVC DT", "STUDY_DT"
    r"|(?:exam(?:ination)?|study|service|svc|scan|procedure|imaging)[\s_]*dt)",
    re.IGNORECASE,
)


# a line of date labels only, each with its colon and no value ("DOS: TRANSCRIBED: SIGNED:"),
# as a scanned form's columns come out of OCR with their values on the next line
_LABEL_ROW = re.compile(r"[ \t]*(?:[A-Za-z][A-Za-z .#/_-]{0,30}?:[ \t]*){2,}")
_ROW_LABEL = re.compile(r"([A-Za-z][A-Za-z .#/_-]{0,30}?):")
# what may follow each date of the value line: its time ("01/06/2020 07:12")
_ROW_TIME = re.compile(r"[ \t]+\d{1,2}:\d{2}(?::\d{2})?\b")


def _dos_label_row(text: str) -> tuple[dt.date, int, int] | None:
    """The date under the DOS label of a row of labels whose values stand on the next
    written line ("DOS: TRANSCRIBED: SIGNED:" then "12/30/2019 01/02/2020 01/02/2020"):
    each value goes with the label at its position, so the date of service is the value
    in the DOS label's place. The value line must hold dates only, one for each label."""
    if "\n" not in text:
        return None
    head = text[:4000]
    lines = head.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for i, line in enumerate(lines[:-1]):
        if ":" not in line or not _LABEL_ROW.fullmatch(line):
            continue
        labels = [x.strip() for x in _ROW_LABEL.findall(line)]
        idx = next((k for k, x in enumerate(labels) if _COLUMN_LABEL.fullmatch(x)), None)
        if idx is None:
            continue
        j = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
        if j is None:
            return None
        pos, end = starts[j], starts[j] + len(lines[j])
        found: list[tuple[dt.date, int, int] | None] = []
        while True:
            while pos < end and text[pos] in " \t":
                pos += 1
            if pos >= end:
                break
            d = match_date(text, pos)
            if d is None or d.end() > end:
                found = []
                break
            found.append(_labelled_date(text, pos))
            pos = d.end()
            t = _ROW_TIME.match(text, pos, end)
            pos = t.end() if t is not None else pos
        if len(found) == len(labels):
            return found[idx]
    return None


def _dos_column(text: str) -> tuple[dt.date, int, int] | None:
    """The date under a DOS column of a delimited export: a header line such as
    "ACC|MRN|DOS|EXAM_DESC|RESULT_TEXT" and, on the next written line holding the
    delimiter, the value in that column (a line of prose typed between the header row and
    its row, "Clinical history: ...", is no row)."""
    if "|" not in text and ";" not in text:
        return None
    lines = text[:4000].split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for i, line in enumerate(lines):
        for sep in ("|", ";"):
            if line.count(sep) < 2:
                continue
            # the next written row: a double-spaced export puts a blank line between them
            j = next((j for j in range(i + 1, len(lines)) if sep in lines[j]), None)
            if j is None:
                continue
            nxt = lines[j]
            fields = [f.strip() for f in line.split(sep)]
            idx = next((i for i, f in enumerate(fields) if _COLUMN_LABEL.fullmatch(f)), None)
            values = nxt.split(sep)
            if idx is None or len(values) != len(fields):
                continue
            start = starts[j] + sum(len(v) + 1 for v in values[:idx])
            value = values[idx]
            lead = len(value) - len(value.lstrip())
            found = _labelled_date(text, start + lead)
            if found is not None and found[2] <= start + len(value):
                return found
    return None
