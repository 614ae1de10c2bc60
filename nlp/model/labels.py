"""Code sets as class labels: "78830+78306" (primary first, companions sorted), "NONE"."""

from __future__ import annotations

from collections.abc import Sequence

NONE = "NONE"


def to_label(codes: Sequence[str]) -> str:
    if not codes:
        return NONE
    primary, *rest = [str(c).lstrip("+") for c in codes]
    return "+".join([primary, *sorted(rest)])


def from_label(label: str) -> tuple[str, ...]:
    return () if label == NONE else tuple(label.split("+"))
