"""Generate labeled synthetic SPECT reports: sample facts, label them by the rules, render.

    python -m corpus.generate --n 20000 --seed 7 --out corpus/generated/train.jsonl

Each record is built in three independent steps, each with its own seeded
`random.Random` derived from (seed, index):

1. sample a study (`corpus.sample`) and turn it into `StudyFacts` (`corpus.plan`);
2. label the facts with the coding rules (`nlp.coding.rules.apply_rules`), never from text;
3. render a true report of the study in one institutional style (`corpus.compose`,
   `corpus.styles`), with transcription glitches on some.

Record `i` of seed `s` is the same whatever `n` is, and the same study is drawn whatever
style filter is given (the filter only changes the layout).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.compose import Composer
from corpus.noise import add_glitches, hard_wrap
from corpus.plan import Study, to_facts
from corpus.sample import sample_study
from corpus.styles import STYLES
from nlp.facts import StudyFacts

STYLE_NAMES: tuple[str, ...] = tuple(STYLES)
WRAP_RATE = 0.15  # share of reports (of styles that may wrap) shown hard-wrapped


def _rng(seed: int, index: int, purpose: str) -> random.Random:
    # String seeds are hashed with SHA-512 by `random`, so they do not depend on
    # PYTHONHASHSEED: the same (seed, index, purpose) always gives the same stream.
    return random.Random(f"spectcoder-corpus:{seed}:{index}:{purpose}")


def resolve_styles(
    styles: Sequence[str] | None = None, exclude: Sequence[str] | None = None
) -> tuple[str, ...]:
    """The style names to draw from, in declaration order; raises ValueError on unknown names."""
    chosen = list(styles) if styles else list(STYLE_NAMES)
    unknown = sorted(set(chosen) - set(STYLE_NAMES)) + sorted(set(exclude or ()) - set(STYLE_NAMES))
    if unknown:
        raise ValueError(f"unknown style(s) {', '.join(unknown)}; known: {', '.join(STYLE_NAMES)}")
    result = tuple(s for s in STYLE_NAMES if s in chosen and s not in set(exclude or ()))
    if not result:
        raise ValueError("no style left to draw from")
    return result


def label(facts: StudyFacts) -> dict[str, Any]:
    """The `expected` block, alternatives and review reasons, from the coding rules."""
    from nlp.coding.rules import apply_rules

    result = apply_rules(facts, dos=facts.dos if facts.dos_source == "record" else None)
    candidates = list(result.candidates)
    codes = list(candidates[0].codes) if candidates else []
    expected = {
        "codes": codes,
        "primary": codes[0] if codes else "NONE",
        "modality": facts.modality,
        "area_count": facts.area_count,
        "spect_days": facts.spect_days,
        "quantification": facts.quantification,
        "review": bool(result.review_reasons),
    }
    alternatives = [list(c.codes) for c in candidates[1:]]
    return {
        "expected": expected,
        "alternatives": alternatives,
        "review_reasons": [str(r) for r in result.review_reasons],
        "out_of_scope": result.out_of_scope,
        "rationale": candidates[0].rationale if candidates else "",
        "family": result.family,
    }


AREA_WORDS = {"upper_extremities": "upper extremities", "lower_extremities": "lower extremities"}


def explain(study: Study, facts: StudyFacts, lab: dict[str, Any]) -> str:
    """A short 'why': the deciding facts, then the rules' own rationale and review reasons."""
    if study.oos is not None and study.oos != "not_performed":
        what = study.exam.replace("_", " ")
        return f"{what.capitalize()}: its own codes lie outside the policy's tables, so no code is suggested (out of scope)."
    dos = f"DOS {facts.dos.isoformat()}" if facts.dos else "DOS unknown"
    summary = f"{study.study_type.replace('_', ' ')}, {dos} ({lab['family']} family)"
    if facts.has_spect:
        areas = ", ".join(AREA_WORDS.get(a, a) for a in facts.areas)
        mod = {"spect_ct": "SPECT/CT", "spect": "SPECT"}[facts.modality]
        if facts.ct_purpose == "attenuation":
            mod = "SPECT with attenuation-only CT"
        summary += (
            f": {mod} of {facts.area_count} area(s) ({areas}), "
            f"{facts.acquisitions} acquisition(s), {facts.spect_days} day(s)"
        )
    elif facts.modality == "planar":
        summary += ": planar only"
    why = f"{summary}. {lab['rationale']}"
    if lab["review_reasons"]:
        why += f" Review: {', '.join(lab['review_reasons'])} (policy section 10)."
    return why


@dataclass(frozen=True)
class Built:
    """One generated report with what it was made from (for tests and debugging)."""

    study: Study
    facts: StudyFacts
    record: dict[str, Any]


def build(seed: int, index: int, styles: Sequence[str] = STYLE_NAMES) -> Built:
    """Record `index` of corpus `seed`, drawn from `styles`, with its study and facts."""
    style_name = styles[_rng(seed, index, "style").randrange(len(styles))]
    style = STYLES[style_name]
    study = sample_study(_rng(seed, index, "study"))
    facts = to_facts(study)
    lab = label(facts)

    text_rng = _rng(seed, index, "text")
    content = Composer(study, text_rng, style.voice).compose(force_addendum=style.force_addendum)
    text = style.layout(content, text_rng)
    if "glitches" in study.traps:
        text = add_glitches(text, text_rng)
    wrap_rng = _rng(seed, index, "wrap")  # its own stream: other reports keep their text
    wrapped = style.wraps and wrap_rng.random() < WRAP_RATE
    if wrapped:
        text = hard_wrap(text, wrap_rng)

    record: dict[str, Any] = {
        "id": f"GEN-{seed}-{index:06d}",
        "dos": study.dos.isoformat() if study.dos_source == "record" else None,
        "text": text,
        "expected": lab["expected"],
    }
    if lab["alternatives"]:
        record["alternatives"] = lab["alternatives"]
    record["why"] = explain(study, facts, lab)
    tags = list(study.tags)
    tags.append(f"dos:{study.dos_source}")
    if facts.dos is not None and facts.dos.year < 2020:
        tags.append("legacy")
    if content.addendum:
        tags += ["addendum", f"addendum:{content.addendum_kind}"]
    if wrapped:
        tags.append("hard-wrapped")
    record["tags"] = tags
    facts_dict = facts.to_dict()
    del facts_dict["evidence"]
    record["facts"] = facts_dict
    record["style"] = style_name
    return Built(study, facts, record)


def make_record(seed: int, index: int, styles: Sequence[str] = STYLE_NAMES) -> dict[str, Any]:
    """Record `index` of corpus `seed`, drawn from `styles`."""
    return build(seed, index, styles).record


def generate(n: int, seed: int, styles: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Yield `n` labeled reports for `seed`, drawing layouts from `styles` (default: all)."""
    names = resolve_styles(styles)
    for i in range(n):
        yield make_record(seed, i, names)


def _parse_list(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.generate",
        description="Write N labeled synthetic SPECT reports as JSON lines. "
        "Example: python -m corpus.generate --n 2000 --seed 1 --out corpus/generated/dev.jsonl",
    )
    parser.add_argument("--n", type=int, required=True, help="number of reports")
    parser.add_argument("--seed", type=int, required=True, help="corpus seed")
    parser.add_argument("--out", required=True, help="output JSONL path, or - for standard output")
    parser.add_argument(
        "--styles", help=f"comma-separated styles to use (default all): {','.join(STYLE_NAMES)}"
    )
    parser.add_argument("--exclude-styles", help="comma-separated styles to leave out")
    args = parser.parse_args(argv)
    if args.n < 0:
        print("error: --n must be zero or more", file=sys.stderr)
        return 2
    try:
        names = resolve_styles(_parse_list(args.styles), _parse_list(args.exclude_styles))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout if args.out == "-" else None
    if out is None:
        path = Path(args.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = path.open("w", encoding="utf-8", newline="\n")
    else:
        fh = out
    try:
        for i in range(args.n):
            fh.write(json.dumps(make_record(args.seed, i, names), ensure_ascii=False) + "\n")
    finally:
        if fh is not sys.stdout:
            fh.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
