"""Read-only access to the phrase banks and catalogs under `corpus/templates/`.

Every bank is a JSON file loaded once. Choices made from a bank go through `pick` /
`pick_weighted`, which order candidates deterministically so that the same seed gives the
same report whatever the file's key order.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

TEMPLATES = Path(__file__).parent / "templates"

T = TypeVar("T")


@cache
def load(name: str) -> Any:
    """The parsed JSON bank `templates/<name>.json`."""
    with (TEMPLATES / f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    if not options:
        raise ValueError("nothing to pick from")
    return options[rng.randrange(len(options))]


def pick_weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = sorted(k for k, w in weights.items() if w > 0)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


# -- regions -------------------------------------------------------------------------


@cache
def regions() -> dict[str, dict[str, Any]]:
    """Region id -> {"areas", "phrases", "single"}; single-field-of-view spans are `fov<i>`."""
    bank = load("regions")
    out: dict[str, dict[str, Any]] = {}
    for rid, r in bank["regions"].items():
        out[rid] = {"areas": tuple(r["areas"]), "phrases": tuple(r["phrases"]), "single": False}
    for i, r in enumerate(bank["single"]):
        out[f"fov{i}"] = {
            "areas": tuple(r["areas"]),
            "phrases": tuple(r["phrases"]),
            "single": True,
        }
    return out


def region_areas(region_id: str) -> tuple[str, ...]:
    return regions()[region_id]["areas"]


def single_fov_ids() -> list[str]:
    return sorted(k for k, v in regions().items() if v["single"])


# -- tracers ---------------------------------------------------------------------------


def tracer(tracer_id: str) -> dict[str, Any]:
    return load("tracers")["tracers"][tracer_id]


def tracer_canonical(tracer_id: str) -> str:
    return str(tracer(tracer_id)["canonical"])


def isotope_names(isotope: str) -> list[str]:
    return list(load("tracers")["isotopes"][isotope])


def exam(exam_id: str) -> dict[str, Any]:
    return load("exams")[exam_id]
