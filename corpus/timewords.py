"""How one report says when things happened: hours, day words, or calendar dates.

A `Clock` fixes a report's habits once (unit spelling, date format, whether later days
are said in hours, in words or as dates) so that every time expression in one report
agrees with the others, and every expression keeps the day it stands for: a time point
on day 2 is never written in a way that reads as day 1.
"""

from __future__ import annotations

import datetime as dt
import random

from corpus.bank import chance, pick

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def join_list(items: list[str], rng: random.Random | None = None, article: str = "the ") -> str:
    """'a', 'a and b', 'a, b and c' (sometimes with an Oxford comma); items that hold a
    comma or an "and" are joined by "as well as" and the `article` (none for phrases
    that bring their own preposition: "at 4 hours as well as on March 2, 2023")."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    if any(" and " in i or "," in i for i in items):
        return f" as well as {article}".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    oxford = "," if rng is not None and chance(rng, 0.3) else ""
    return f"{', '.join(items[:-1])}{oxford} and {items[-1]}"


class Clock:
    """Time and date wording for one report."""

    def __init__(self, rng: random.Random, dos: dt.date, dated: bool, british: bool = False):
        self.rng = rng
        self.dos = dos
        self.dated = dated
        modes = {"hours": 60, "words": 25}
        if dated:
            modes["dates"] = 15
        keys = sorted(modes)
        self.mode = rng.choices(keys, weights=[modes[k] for k in keys])[0]
        self.unit = pick(rng, ["hours", "hours", "h", "hrs", "hr"])
        self.min_unit = pick(rng, ["minutes", "min", "mins"])
        if british:
            self.date_style = pick(rng, ["dmy_words", "dmy_abbr"])
        else:
            self.date_style = pick(rng, ["mdy", "mdy", "iso", "words", "abbr", "mdy_short"])
        self.count_from_injection = chance(rng, 0.35)
        self.post = pick(
            rng,
            [
                "post injection",
                "post-injection",
                "after injection",
                "p.i.",
                "after tracer injection",
            ],
        )

    # -- dates -------------------------------------------------------------------------
    def date(self, d: dt.date, style: str | None = None) -> str:
        style = style or self.date_style
        if style == "iso":
            return d.isoformat()
        if style == "words":
            return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
        if style == "abbr":
            return f"{d.day:02d}-{MONTHS[d.month - 1][:3]}-{d.year}"
        if style == "dmy_words":
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if style == "dmy_abbr":
            return f"{d.day:02d} {MONTHS[d.month - 1][:3]} {d.year}"
        if style == "mdy_short":
            return f"{d.month}/{d.day}/{d.year % 100:02d}"
        return f"{d.month:02d}/{d.day:02d}/{d.year}"

    def month_year(self, d: dt.date) -> str:
        return pick(
            self.rng,
            [
                f"{d.month}/{d.year}",
                f"{MONTHS[d.month - 1][:3]} {d.year}",
                f"{d.month:02d}/{d.year}",
            ],
        )

    def day_date(self, day: int) -> dt.date:
        return self.dos + dt.timedelta(days=day - 1)

    # -- hours -------------------------------------------------------------------------
    def _unit(self, n: float) -> str:
        if n == 1 and self.unit in ("hours", "hrs"):
            return "hour" if self.unit == "hours" else "hr"
        return self.unit

    def _amount(self, hours: float) -> str:
        """'20 minutes', '4 hours', '2.5 h', '90 min'."""
        minutes = round(hours * 60)
        if hours < 1 or (
            minutes % 60 and hours < 2 and minutes % 15 == 0 and chance(self.rng, 0.5)
        ):
            return f"{minutes} {self.min_unit}"
        n = round(hours, 2)
        return f"{n:g} {self._unit(n)}"

    def _is_hours(self, day: int) -> bool:
        return self.mode == "hours" or day == 1

    def point(self, day: int, hours: float) -> str:
        """An adverbial phrase for one time point: 'at 4 hours', 'the next day', 'on 03/15/2023'."""
        if self.mode == "dates" and day >= 2:
            extra = f" ({self._amount(hours)})" if chance(self.rng, 0.5) else ""
            return f"on {self.date(self.day_date(day))}{extra}"
        if not self._is_hours(day):
            return self._day_words(day, hours)
        amount = self._amount(hours)
        return pick(
            self.rng,
            [
                f"at {amount}",
                f"{amount} {self.post}",
                f"at {amount}",
                f"at approximately {amount}",
                f"{amount} {self.post}",
            ],
        )

    def _day_words(self, day: int, hours: float) -> str:
        if day == 2:
            return pick(
                self.rng,
                [
                    "the next day",
                    "on day 2",
                    "the following morning",
                    "on the following day",
                    "the next morning (day 2)",
                    "on the second day",
                ],
            )
        # One counting habit per report: "day 3" (injection day = day 1) and "2 days after
        # injection" name the same day, and mixing them in one report would mislead.
        if self.count_from_injection:
            return f"{round(hours / 24) if hours >= 24 else day - 1} days {self.post}"
        return f"on day {day}"

    def points(self, pts: list[tuple[int, float]]) -> str:
        """An adverbial phrase for several time points, in order."""
        pts = sorted(set(pts))
        if len(pts) == 1:
            return self.point(*pts[0])
        all_hours = all(self._is_hours(d) for d, _ in pts)
        whole = all(h >= 1 and float(h).is_integer() for _, h in pts)
        if all_hours and whole and chance(self.rng, 0.6):
            nums = [f"{h:g}" for _, h in pts]
            return f"at {join_list(nums)} {self.unit if self.unit != 'hr' else 'hrs'}"
        parts = [self.point(d, h) for d, h in pts]
        if len(parts) == 2 and chance(self.rng, 0.3):
            return f"{parts[0]} and again {parts[1]}"
        return join_list(parts, article="")

    def short(self, day: int, hours: float) -> str:
        """A terse label for tables and key-value lines: '4 h', 'day 2', '03/15/2023'."""
        if self.mode == "dates" and day >= 2:
            return self.date(self.day_date(day))
        if not self._is_hours(day):
            return f"day {day}"
        minutes = round(hours * 60)
        if hours < 1:
            return f"{minutes} min"
        unit = {"hours": "h", "hrs": "hrs", "h": "h", "hr": "hr"}[self.unit]
        return (
            f"{round(hours, 2):g} {unit}" if chance(self.rng, 0.7) else f"{round(hours, 2):g}{unit}"
        )

    def shorts(self, pts: list[tuple[int, float]]) -> str:
        return ", ".join(self.short(d, h) for d, h in sorted(set(pts)))
