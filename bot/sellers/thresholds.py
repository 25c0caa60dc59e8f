"""The thresholds of the gap and opportunity rules: settings, with the team's defaults.

Each is the setting `SHOPBOT_GAP_<NAME>` (`settings.section(GapThresholds)`); money is in whole
currency units there and in cents here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import setting, whole


def _gap(
    env: str,
    default: int,
    low: int,
    high: int,
    describe: str,
    *,
    money: bool = False,
    heading: str = "",
) -> int:
    """A threshold typed as a whole number from `low` to `high` (currency units when `money`,
    kept in cents)."""
    return setting(
        env,
        str(default),
        whole(low, high, times=100 if money else 1),
        invalid=f"expected a whole number from {low} to {high}",
        describe=describe,
        heading=heading,
    )


@dataclass(frozen=True)
class GapThresholds:
    no_live_days: int = _gap(
        "SHOPBOT_GAP_NO_LIVE_DAYS",
        14,
        1,
        30,
        "No LIVE in this many days (1-30).",
        heading="Seller gaps and opportunities (/seller gaps)",
    )
    gmv_drop_pct: int = _gap(
        "SHOPBOT_GAP_GMV_DROP_PCT", 30, 1, 99, "GMV down more than this percentage week over week…"
    )
    min_weekly_gmv_cents: int = _gap(
        "SHOPBOT_GAP_MIN_WEEKLY_GMV",
        1000,
        0,
        10**7,
        "…when the week before sold at least this much (whole currency units).",
        money=True,
    )
    no_affiliate_days: int = _gap(
        "SHOPBOT_GAP_NO_AFFILIATE_DAYS", 30, 1, 30, "No affiliate sales in this many days (1-30)."
    )
    low_review_score: int = _gap(
        "SHOPBOT_GAP_LOW_REVIEW_SCORE",
        3,
        2,
        5,
        "An average livestream review score below this (2-5)…",
    )
    review_days: int = _gap(
        "SHOPBOT_GAP_REVIEW_DAYS", 60, 1, 365, "…over the streams of this many days."
    )
    no_contact_days: int = _gap(
        "SHOPBOT_GAP_NO_CONTACT_DAYS",
        30,
        1,
        365,
        "No note about the seller (no recorded contact) in this many days.",
    )
    growth_pct: int = _gap(
        "SHOPBOT_GAP_GROWTH_PCT",
        50,
        1,
        1000,
        'Opportunity "fast-growing, no LIVE": GMV of the last 14 days up this percentage on the '
        "14 before.",
    )
    high_gmv_cents: int = _gap(
        "SHOPBOT_GAP_HIGH_GMV",
        20000,
        0,
        10**8,
        'Opportunity "high GMV, few creators": the last 28 days sold at least this much '
        "(currency units)…",
        money=True,
    )
    few_creators: int = _gap(
        "SHOPBOT_GAP_FEW_CREATORS",
        3,
        1,
        100,
        "…with fewer creators working with the seller than this, unless affiliate sales were at "
        "least\nSHOPBOT_GAP_CREATOR_AFFILIATE_PCT of its GMV in those 28 days.",
    )
    creator_affiliate_pct: int = _gap(
        "SHOPBOT_GAP_CREATOR_AFFILIATE_PCT",
        10,
        1,
        100,
        "Affiliate GMV this percentage of a seller's GMV or more: creators are selling for it, "
        "on\nrecord or not.",
    )
    silent_days: int = _gap(
        "SHOPBOT_GAP_SILENT_DAYS",
        3,
        1,
        365,
        '"Data stopped": a working seller with no KPI data in this many days while the team\'s '
        'data\nruns on (1-365). Its card and /kpi say "no data since …" whatever this is.',
    )
