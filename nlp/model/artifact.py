"""Saving and loading the model: a joblib file and a JSON card beside it.

The card records the library versions, the training corpus hash, the metrics reached and
the artifact's own SHA-256. Loading a pickle runs code, so `load_ranker` checks the
file's SHA-256 against the card before `joblib.load`, and refuses a mismatch. It also
compares the card's `code_sha256` with the code installed now: a model trained before the
pipeline, rules or features changed reads features that may no longer mean what they
meant, so loading it logs a warning (and a test keeps the bundled model current).
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
from pathlib import Path
from typing import Any

import joblib

log = logging.getLogger(__name__)

ARTIFACT = "spectcoder-ranker.joblib"
CARD = "spectcoder-ranker.card.json"


class ModelNotFoundError(FileNotFoundError):
    """No model artifact at the given place."""


class ModelIntegrityError(RuntimeError):
    """The artifact does not match its card (changed, truncated, or not ours)."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def code_fingerprint() -> str:
    """SHA-256 of what turns a report into features: pipeline code, patterns, rules, table."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(
        [
            *root.glob("pipeline/*.py"),
            *root.glob("patterns/*.jsonl"),
            *root.glob("coding/*.json"),
            root / "coding" / "rules.py",
            root / "model" / "features.py",
            root / "model" / "ranker.py",
        ]
    )
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn
    import spacy

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "spacy": spacy.__version__,
        "joblib": joblib.__version__,
    }


def _paths(path: Path) -> tuple[Path, Path]:
    if path.suffix == ".joblib":
        return path, path.with_name(path.name.replace(".joblib", ".card.json"))
    return path / ARTIFACT, path / CARD


def save_ranker(ranker: Any, directory: Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write the artifact and its card; returns the card as written."""
    directory.mkdir(parents=True, exist_ok=True)
    artifact, card_path = _paths(directory)
    joblib.dump(ranker, artifact, compress=3)
    full = {
        **card,
        "artifact": artifact.name,
        "artifact_sha256": sha256_file(artifact),
        "libraries": library_versions(),
    }
    card_path.write_text(json.dumps(full, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return full


def read_card(path: Path) -> dict[str, Any]:
    _, card_path = _paths(path)
    if not card_path.exists():
        raise ModelNotFoundError(f"no model card at {card_path}")
    card: dict[str, Any] = json.loads(card_path.read_text(encoding="utf-8"))
    return card


def load_ranker(path: Path) -> Any:
    """The ranker at `path` (a directory holding the artifact, or the .joblib file)."""
    artifact, card_path = _paths(Path(path))
    if not artifact.exists() or not card_path.exists():
        raise ModelNotFoundError(f"no model at {artifact} (run `make train`)")
    card = read_card(Path(path))
    actual = sha256_file(artifact)
    if actual != card.get("artifact_sha256"):
        raise ModelIntegrityError(
            f"{artifact.name} has SHA-256 {actual[:12]}..., its card says "
            f"{str(card.get('artifact_sha256'))[:12]}...: refusing to load it "
            "(retrain with `make train`)"
        )
    ranker = joblib.load(artifact)
    ranker.card = card
    code = code_fingerprint()
    if card.get("code_sha256") != code:
        log.warning(
            "model %s was trained with other pipeline, rules or feature code "
            "(card %.12s..., installed %.12s...): its suggestions may be wrong; "
            "retrain with `make train`",
            card.get("version"),
            str(card.get("code_sha256")),
            code,
        )
    return ranker
