"""The thresholds of the gap and opportunity rules: settings, with the team's defaults.

Each is read from `SHOPBOT_GAP_<NAME>` (see `.env.example`); money is in whole currency units
there and in cents here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class GapThresholds:
    no_live_days: int = 14  # no LIVE in this many days
    gmv_drop_pct: int = 30  # GMV down more than this, week over week…
    min_weekly_gmv_cents: int = 100_000  # …when the week before sold at least this
    no_affiliate_days: int = 30  # no affiliate sales in this many days
    low_review_score: int = 3  # an average review score below this…
    review_days: int = 60  # …over the streams of this many days
    no_contact_days: int = 30  # no note about the seller in this many days
    growth_pct: int = 50  # "fast-growing": GMV of the last 14 days up this much on the 14 before
    high_gmv_cents: int = 2_000_000  # "high-GMV": the last 28 days sold at least this…
    few_creators: int = 3  # …with fewer creators than this
    silent_days: int = 3  # no KPI data in this many days while the team's data runs on
    creator_affiliate_pct: int = 10  # affiliate GMV this share of GMV: creators sell for it


# (setting name, the lowest and highest value accepted, whether it is money)
LIMITS: dict[str, tuple[int, int, bool]] = {
    "no_live_days": (1, 30, False),
    "gmv_drop_pct": (1, 99, False),
    "min_weekly_gmv_cents": (0, 10**9, True),
    "no_affiliate_days": (1, 30, False),
    "low_review_score": (2, 5, False),
    "review_days": (1, 365, False),
    "no_contact_days": (1, 365, False),
    "growth_pct": (1, 1000, False),
    "high_gmv_cents": (0, 10**10, True),
    "few_creators": (1, 100, False),
    "silent_days": (1, 365, False),
    "creator_affiliate_pct": (1, 100, False),
}


def setting_name(field: str) -> str:
    return "SHOPBOT_GAP_" + field.removesuffix("_cents").upper()


def read_thresholds(get: dict[str, str]) -> tuple[GapThresholds, str | None]:
    """The thresholds from settings values (name → text); (defaults, the first problem) when
    one is not a whole number in its range."""
    values: dict[str, int] = {}
    for item in fields(GapThresholds):
        name = setting_name(item.name)
        text = get.get(name, "").strip()
        if not text:
            continue
        low, high, money = LIMITS[item.name]
        scale = 100 if money else 1
        if not text.isdigit() or not low <= int(text) * scale <= high:
            return GapThresholds(), (
                f"{name} is invalid: expected a whole number from {low // scale} to {high // scale}"
            )
        values[item.name] = int(text) * scale
    return GapThresholds(**values), None
