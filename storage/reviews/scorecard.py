"""The livestream review scorecard: ten criteria, each scored 1–5, declared once, and the fixed
vocabulary of improvement tags.

The review table's score columns (`LivestreamReview.score_<key>` and their range checks), the
review form (with what a 1, a 3 and a 5 look like), cards, reports, the tracker import and
export, the digest's labels and the demo's reviews all follow this order and these keys.
"""

from __future__ import annotations

from dataclasses import dataclass

LOWEST, HIGHEST = 1, 5


@dataclass(frozen=True)
class Criterion:
    key: str  # the column is score_<key>
    label: str
    judges: str  # what a reviewer looks at, in one line
    low: str = ""  # what a 1 looks like
    mid: str = ""  # a 3
    high: str = ""  # a 5

    def anchor(self, score: int) -> str:
        """What a 1, a 3 or a 5 looks like; empty for a 2 or a 4."""
        return {LOWEST: self.low, 3: self.mid, HIGHEST: self.high}.get(score, "")


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "opening_hook",
        "Opening hook",
        "the first minutes: the offer and product up front",
        "slow start, no offer or product for minutes",
        "product shown early, offer unclear",
        "offer and product in the first 30 seconds",
    ),
    Criterion(
        "host_presence",
        "Host presence",
        "the host's presence and energy",
        "flat, reads from a script, leaves the frame",
        "friendly but uneven energy",
        "energetic, confident, talks to the camera",
    ),
    Criterion(
        "product_explanation",
        "Product explanation",
        "selling points, price and usage explained",
        "no price, vague on what it does",
        "main points and price, little on usage",
        "selling points, price, sizes and usage clear",
    ),
    Criterion(
        "demonstration",
        "Demonstration",
        "close-ups, the product shown in use",
        "product never shown in use",
        "shown, few close-ups",
        "close-ups and real use, before and after",
    ),
    Criterion(
        "production",
        "Production",
        "light, audio and a stable camera",
        "dark, noisy or shaking picture",
        "watchable, one weak point",
        "bright, clear sound, steady framing",
    ),
    Criterion(
        "interaction",
        "Interaction",
        "answering and pinning comments, Q&A",
        "comments ignored",
        "some questions answered late",
        "answers by name, pins questions, runs Q&A",
    ),
    Criterion(
        "merchandising",
        "Merchandising",
        "pinned product, flash sales, vouchers",
        "nothing pinned, no promotion",
        "product pinned, one promotion",
        "pinned in time, flash sales and vouchers timed",
    ),
    Criterion(
        "calls_to_action",
        "Calls to action",
        "asking viewers to tap the basket and follow",
        "never asks to buy or follow",
        "asks now and then",
        "clear, repeated asks tied to the offer",
    ),
    Criterion(
        "structure",
        "Structure and length",
        "a planned running order and a fitting length",
        "no plan, too short or drags on",
        "a plan with dead spots",
        "clear segments, 60+ minutes, no dead air",
    ),
    Criterion(
        "compliance",
        "Compliance",
        "no misleading claims, prices and terms shown",
        "misleading claims or off-platform selling",
        "minor slips, corrected",
        "claims backed, prices and terms shown",
    ),
)
SCORECARD: tuple[str, ...] = tuple(criterion.key for criterion in CRITERIA)
SCORECARD_LABELS: dict[str, str] = {criterion.key: criterion.label for criterion in CRITERIA}

# The improvement tags every reviewer picks from (free tags may be added beside them), with
# what each means; shown in the form and in `/review help`.
IMPROVEMENT_TAGS: dict[str, str] = {
    "hook": "the opening minutes",
    "lighting": "light and camera",
    "audio": "sound and microphone",
    "pricing": "price and offer shown and explained",
    "cta": "calls to action",
    "pacing": "rhythm, dead air, length",
    "comments": "answering and pinning comments",
    "demo": "showing the product in use",
    "promotion": "vouchers, flash sales, pinned product",
    "compliance": "claims, policy, prices and terms",
}
