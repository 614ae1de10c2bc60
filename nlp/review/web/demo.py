"""`make run`: score the sample archive, queue it, make a first admin, and serve.

    python -m nlp.review.web.demo [--db var/demo.db] [--port 8000]

The archive is `nlp/samples/archive.jsonl` (lines `{"id", "text", "dos"?}`); without it a
few built-in reports are used. Every report is scored with `nlp.suggest` and loaded into
a SQLite queue (review-routed reports, plus a sample of auto-routed ones). When the
database has no users, an admin is created with the password in
$SPECTCODER_ADMIN_PASSWORD, else a generated one, printed once.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nlp.review import LoadSummary, ReviewStore
from nlp.review.intake import read_jsonl

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ARCHIVE = SAMPLES / "archive.jsonl"
DEFAULT_DB = Path("var") / "demo.db"
ADMIN = "admin"
ADMIN_PASSWORD_ENV = "SPECTCODER_ADMIN_PASSWORD"
DEMO_BATCH = "demo"

# Used when the sample archive is absent: one report per common coding question.
BUILTIN_REPORTS: tuple[dict[str, str], ...] = (
    {
        "id": "demo-bone-spect-ct",
        "dos": "2024-03-14",
        "text": (
            "EXAM: NM BONE SCAN WITH SPECT/CT\nTECHNIQUE: 22 mCi Tc-99m MDP IV. SPECT/CT of "
            "the lumbar spine; the CT was fused for anatomic localization.\nFINDINGS: Intense "
            "uptake in L3.\nIMPRESSION: Solitary L3 metastasis."
        ),
    },
    {
        "id": "demo-two-areas",
        "dos": "2024-04-02",
        "text": (
            "EXAM: NM BONE SPECT\nTECHNIQUE: Tc-99m MDP. SPECT of the chest and of the pelvis "
            "was acquired.\nFINDINGS: Rib and sacral uptake.\nIMPRESSION: Multiple "
            "metastases."
        ),
    },
    {
        "id": "demo-ac-ct",
        "dos": "2024-05-20",
        "text": (
            "EXAM: NM PARATHYROID SPECT/CT\nTECHNIQUE: Tc-99m sestamibi. SPECT/CT of the neck "
            "and chest; the CT was used for attenuation correction only.\nIMPRESSION: Left "
            "inferior parathyroid adenoma."
        ),
    },
    {
        "id": "demo-whole-body",
        "dos": "2019-11-05",
        "text": (
            "EXAM: NM BONE SCAN WHOLE BODY\nTECHNIQUE: Tc-99m MDP whole-body planar images. "
            "SPECT was not performed.\nIMPRESSION: No osseous metastasis."
        ),
    },
    {
        "id": "demo-two-day",
        "dos": "2024-06-11",
        "text": (
            "EXAM: NM TUMOR IMAGING\nTECHNIQUE: In-111 pentetreotide. SPECT/CT of the abdomen "
            "at 4 hours and again at 24 hours for localization.\nIMPRESSION: Pancreatic "
            "neuroendocrine tumor."
        ),
    },
)


def archive_reports(path: Path = ARCHIVE, limit: int | None = None) -> list[dict[str, Any]]:
    """The reports of the sample archive (or the built-in ones when it is absent)."""
    if not path.is_file():
        return [dict(r) for r in BUILTIN_REPORTS]
    reports: list[dict[str, Any]] = []
    for _, obj in read_jsonl(path):
        if isinstance(obj, str) or not isinstance(obj.get("text"), str):
            continue
        reports.append(
            {"id": str(obj.get("id") or f"sample-{len(reports) + 1}"), **_report_fields(obj)}
        )
        if limit is not None and len(reports) >= limit:
            break
    return reports


def _report_fields(obj: dict[str, Any]) -> dict[str, Any]:
    return {"text": obj["text"], "dos": obj.get("dos")}


def score_reports(
    reports: Sequence[dict[str, Any]], model: str | Path | None = None
) -> Iterator[dict[str, Any]]:
    """Scoring records with their text, ready for `ReviewStore.load`. `model` is the
    ranker's path (default: the bundled one; a path without a model: the rules alone)."""
    from nlp.suggest import load_suggester

    suggester = load_suggester(model)
    pairs = ((r["text"], r.get("dos")) for r in reports)
    for report, suggestion in zip(reports, suggester.suggest_many(pairs), strict=True):
        record = suggestion.to_record(id=report["id"])
        record["text"] = report["text"]
        yield record


def seed(
    store: ReviewStore,
    reports: Sequence[dict[str, Any]],
    audit_sample: float = 0.25,
    model: str | Path | None = None,
) -> LoadSummary:
    return store.load(score_reports(reports, model), audit_sample=audit_sample, batch=DEMO_BATCH)


def first_admin(store: ReviewStore) -> tuple[str, str] | None:
    """Create the first admin when there are no users: (username, password), else None."""
    if store.list_users():
        return None
    password = os.environ.get(ADMIN_PASSWORD_ENV) or secrets.token_urlsafe(12)
    store.add_user(ADMIN, password, "admin")
    return ADMIN, password


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", default=str(DEFAULT_DB), help="SQLite file or database URL.")
    ap.add_argument("--archive", type=Path, default=ARCHIVE, help="Reports (JSONL) to queue.")
    ap.add_argument("--limit", type=int, default=2000, help="At most this many reports.")
    ap.add_argument("--model", type=Path, default=None, help="Ranker path (default: bundled).")
    ap.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
    ap.add_argument("--port", type=int, default=8000, help="Port to listen on.")
    ap.add_argument("--no-serve", action="store_true", help="Seed the queue and stop.")
    args = ap.parse_args(argv)

    from nlp.review.web.server import is_loopback, run, url_of

    if not is_loopback(args.host):
        print(f"warning: the demo listens on {args.host}, beyond this machine", file=sys.stderr)
    reports = archive_reports(args.archive, args.limit)
    source = args.archive if args.archive.is_file() else "the built-in demo reports"
    with ReviewStore.open(args.db, client={"app": "spectcoder-demo"}) as store:
        try:
            summary = seed(store, reports, model=args.model)
        except Exception as exc:  # the engine's own failure: say so in one sentence
            print(
                f"error: scoring the demo reports failed ({type(exc).__name__}): check the "
                "model (make train) or pass --model DIR without one to use the rules alone",
                file=sys.stderr,
            )
            return 1
        print(
            f"scored {summary.read} report(s) from {source}; queued {summary.total_enqueued} "
            f"new, {summary.already_queued} already queued"
        )
        login = first_admin(store)
        url = url_of(args.host, args.port)
        print(f"spectcoder review: {url}")
        if login is not None:
            shown = "from $" + ADMIN_PASSWORD_ENV if os.environ.get(ADMIN_PASSWORD_ENV) else None
            print(f"first login: user {login[0]}, password {shown or login[1]} (shown once)")
        else:
            print("sign in with an existing user ('spectcoder users list --db ...')")
        if args.no_serve:
            return 0
        from nlp.review.web import create_app

        if args.model is not None:  # the paste page scores with the same model
            os.environ["SPECTCODER_MODEL"] = str(args.model)
        run(create_app(store, warm=True), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
