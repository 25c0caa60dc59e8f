"""The livestream review scorecard: ten criteria, each scored 1–5, declared once.

The review table's score columns (`LivestreamReview.score_<key>` and their range checks), the
summaries, the digest's labels and the demo's reviews all follow this order and these keys.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    key: str  # the column is score_<key>
    label: str
    judges: str  # what a reviewer looks at, in one line


CRITERIA: tuple[Criterion, ...] = (
    Criterion("opening_hook", "Opening hook", "the first minutes: the offer and product up front"),
    Criterion("host_presence", "Host presence", "the host's presence and energy"),
    Criterion(
        "product_explanation", "Product explanation", "selling points, price and usage explained"
    ),
    Criterion("demonstration", "Demonstration", "close-ups, the product shown in use"),
    Criterion("production", "Production", "light, audio and a stable camera"),
    Criterion("interaction", "Interaction", "answering and pinning comments, Q&A"),
    Criterion("merchandising", "Merchandising", "pinned product, flash sales, vouchers"),
    Criterion("calls_to_action", "Calls to action", "asking viewers to tap the basket and follow"),
    Criterion("structure", "Structure and length", "a planned running order and a fitting length"),
    Criterion("compliance", "Compliance", "no misleading claims, prices and terms shown"),
)
SCORECARD: tuple[str, ...] = tuple(criterion.key for criterion in CRITERIA)
SCORECARD_LABELS: dict[str, str] = {criterion.key: criterion.label for criterion in CRITERIA}
