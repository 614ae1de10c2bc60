"""What a batch run produced: counts by primary code and route, confidences, errors.

A `Summary` covers the whole output, including records kept from an earlier run when
resuming, and says how many were scored by this run and how fast. Only ids and error
messages are kept, never report text; at most `MAX_ERRORS_KEPT` errors are listed
(all are counted, and every one is in the output with `"route": "error"`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

MAX_ERRORS_KEPT: Final = 10_000
CONFIDENCE_BINS: Final = 10
NO_CODE: Final = "(none)"


@dataclass
class Summary:
    """Counts of one run's output. `exit_code` is 1 when any record is an error."""

    out: Path | None = None
    records: int = 0
    scored: int = 0
    resumed: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    confidence_bins: list[int] = field(default_factory=lambda: [0] * CONFIDENCE_BINS)
    errors: list[tuple[str, str]] = field(default_factory=list)
    error_count: int = 0
    elapsed: float = 0.0
    interrupted: bool = False
    # Where the records are: `out`, or the parts folder of an unfinished Parquet output.
    location: Path | None = None
    model_versions: Counter[str] = field(default_factory=Counter)

    def add(self, record: dict[str, Any], *, resumed: bool = False) -> None:
        """Count one output record (`resumed`: it was there before this run)."""
        self.records += 1
        if resumed:
            self.resumed += 1
        else:
            self.scored += 1
        route = str(record.get("route") or "error")
        self.by_route[route] += 1
        if route == "error":
            self.error_count += 1
            if len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append((str(record.get("id")), str(record.get("error") or "")))
            return
        self.by_code[str(record.get("primary") or NO_CODE)] += 1
        if record.get("model_version"):
            self.model_versions[str(record["model_version"])] += 1
        confidence = record.get("confidence")
        if isinstance(confidence, int | float):
            index = min(max(int(float(confidence) * CONFIDENCE_BINS), 0), CONFIDENCE_BINS - 1)
            self.confidence_bins[index] += 1

    @property
    def rate(self) -> float:
        """Reports scored by this run per second."""
        return self.scored / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.error_count else 0

    def to_text(self, max_errors: int = 20) -> str:
        """The plain-text summary printed at the end of a run."""
        lines = [
            f"{self.records:,} records in {self.out}"
            + (f" ({self.resumed:,} from the earlier run)" if self.resumed else ""),
            f"scored {self.scored:,} in {self.elapsed:.1f} s ({self.rate:,.1f} reports/s)",
            "by route: " + _counts(self.by_route),
            "by primary code: " + _counts(self.by_code),
        ]
        if self.error_count:
            lines.append(f"{self.error_count:,} errors:")
            lines += [f"  {id}: {message}" for id, message in self.errors[:max_errors]]
            if self.error_count > max_errors:
                lines.append(
                    f"  ... and {self.error_count - max_errors:,} more "
                    '(the records with "route": "error" in the output)'
                )
        return "\n".join(lines)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in counter.most_common()) or "none"
