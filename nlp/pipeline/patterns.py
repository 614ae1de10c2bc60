"""Pattern and term lists: JSONL data under `nlp/patterns/`, one pattern per line with an `id`.

Components hold their rows in memory and write them back out with the pipeline
(`to_disk`/`from_disk`), so a saved pipeline keeps the exact rules it ran with.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, Self

PATTERN_DIR = Path(__file__).resolve().parent.parent / "patterns"


class PatternError(ValueError):
    """A pattern file is malformed; the message names the file and line."""


def read_jsonl(path: Path, required: Iterable[str] = ("id",)) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    need = tuple(required)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PatternError(f"{path.name}:{n}: not valid JSON ({exc.msg})") from exc
            missing = [k for k in need if k not in row]
            if missing:
                raise PatternError(f"{path.name}:{n}: missing {', '.join(missing)}")
            if row["id"] in seen:
                raise PatternError(f"{path.name}:{n}: duplicate id {row['id']!r}")
            seen.add(row["id"])
            rows.append(row)
    return rows


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def default_rows(name: str, required: Iterable[str] = ("id",)) -> list[dict[str, Any]]:
    """The rows of a bundled pattern file, e.g. `default_rows("terms.jsonl")`."""
    return read_jsonl(PATTERN_DIR / name, required)


class PatternComponent:
    """Base of the pipeline components whose rules are one JSONL pattern file.

    It owns the rows: the bundled ones to start with, and the saved ones after
    `from_disk`, which is how a saved pipeline keeps the exact rules it ran with. A
    subclass names its file and required columns and builds its matchers in `_compile`,
    which runs whenever the rows change.
    """

    pattern_file: ClassVar[str]
    required: ClassVar[tuple[str, ...]] = ("id",)
    rows: list[dict[str, Any]]

    def _load_default_rows(self) -> None:
        """Take the bundled rows of `pattern_file` and compile them."""
        self.rows = default_rows(self.pattern_file, self.required)
        self._compile()

    def _compile(self) -> None:
        raise NotImplementedError

    def to_disk(self, path: Path, *, exclude: tuple[str, ...] = ()) -> None:
        write_jsonl(Path(path) / self.pattern_file, self.rows)

    def from_disk(self, path: Path, *, exclude: tuple[str, ...] = ()) -> Self:
        self.rows = read_jsonl(Path(path) / self.pattern_file, self.required)
        self._compile()
        return self
