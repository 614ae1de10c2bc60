"""The fixed split of the hand-written gold set.

About 30 % of gold reports (chosen by a hash of the id, so the split never moves when
reports are added) are held out: never used to tune patterns, fit the classifier or pick
thresholds, only to report figures. The rest ("tune") may be used for all three.
"""

from __future__ import annotations

import hashlib

HELD_OUT_SHARE = 30  # percent


def gold_split(case_id: str) -> str:
    h = int(hashlib.sha256(case_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "heldout" if h < HELD_OUT_SHARE else "tune"
