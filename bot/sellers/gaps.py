"""Gaps and opportunities in each seller's engagement and platform presence.

`seller_gaps()` is the one entry point (the `/seller gaps` list, the seller card, the digest
section and the App Home all call it): data in, rows out. Each rule is a small function of one
seller's facts (`SellerFacts`) and the thresholds (settings), so each is tested on its own.

Figures are judged up to the newest day with figures in the workspace (data arrives a day or
two late), contacts up to today. Every row of a seller carries the same *GMV at stake*: what the
seller sold in the last 28 days, so the biggest sellers' gaps come first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy.engine import Engine

from bot.sellers.thresholds import GapThresholds
from storage.kpis.reads import Scope, latest_day
from storage.models import SellerProgram, SellerStatus
from storage.names import same_name
from storage.seller_profiles import SellerProfile, seller_profiles
from storage.seller_signals import (
    WINDOW_DAYS,
    creator_counts,
    last_contacts,
    one_sellers_figures,
    recent_figures,
    review_averages,
)

# Sellers the team works with now; prospects only have their profile and contacts judged.
WORKING = {SellerStatus.ONBOARDING, SellerStatus.ACTIVE}
FOLLOWED = WORKING | {SellerStatus.PROSPECT}
JUDGED_PROGRAMS = (SellerProgram.LIVE.value, SellerProgram.AFFILIATE.value)


class GapKind(Enum):
    """What a row says, with the step the team suggests next (label, next step, opportunity)."""

    NO_LIVE = ("No recent LIVE", "Plan a LIVE with the seller this week", False)
    GMV_DROP = ("GMV dropping", "Call the seller: check stock, prices and listings", False)
    PROGRAM_MISSING = ("Program not joined", "Walk the seller through joining", False)
    NO_AFFILIATE = ("No affiliate sales", "Match the seller with creators (/match)", False)
    LOW_REVIEWS = ("Weak LIVE reviews", "Coach the host on the lowest scorecard items", False)
    PROFILE_INCOMPLETE = ("Profile incomplete", "Fill in the profile (Edit on the card)", False)
    NO_CONTACT = ("No recent contact", "Check in with the seller and note it", False)
    GROWING_NO_LIVE = ("Fast-growing, no LIVE", "Pitch LIVE while demand is rising", True)
    FEW_CREATORS = ("High GMV, few creators", "Recruit affiliate creators for the seller", True)

    def __init__(self, label: str, next_step: str, opportunity: bool) -> None:
        self.label, self.next_step, self.opportunity = label, next_step, opportunity


@dataclass(slots=True)
class SellerFacts:
    """One seller's profile and recent figures, as the rules read them."""

    profile: SellerProfile
    gmv_7: int  # cents, the last 7 days to the newest day with figures
    gmv_prev_7: int  # the 7 days before those
    gmv_14: int
    gmv_prev_14: int
    gmv_28: int
    days_since_live: int | None  # None: no LIVE in the window read (WINDOW_DAYS)
    affiliate_days: int  # days with affiliate sales in the no-affiliate window
    review: tuple[float, int] | None  # (average score, reviews) in the review window
    last_contact: datetime | None  # None: no note about the seller, or one lately
    contacted_lately: bool  # a note within the no-contact window
    creators: int


@dataclass(slots=True)
class GapRow:
    kind: GapKind
    seller: SellerProfile
    evidence: str  # the figure that shows it, plain text
    gmv_at_stake_cents: int

    @property
    def owner_user_id(self) -> str | None:
        return self.seller.owner_user_id


@dataclass(frozen=True)
class GapReport:
    rows: list[GapRow]
    figures_until: date | None  # the newest day with figures judged


Rule = Callable[[SellerFacts, GapThresholds, date], str | None]


def _pct(now: int, before: int) -> int:
    return round((now - before) * 100 / before)


def no_live(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    days = facts.days_since_live
    if facts.profile.status not in WORKING or (days is not None and days < limits.no_live_days):
        return None
    if days is None:
        return f"no LIVE in {WINDOW_DAYS}+ days"
    return f"last LIVE {days} days ago"


def gmv_drop(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    before, now = facts.gmv_prev_7, facts.gmv_7
    if before < max(limits.min_weekly_gmv_cents, 1) or facts.profile.status not in WORKING:
        return None
    change = _pct(now, before)
    return f"GMV {change}% week over week" if -change > limits.gmv_drop_pct else None


def program_missing(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    missing = [p for p in JUDGED_PROGRAMS if p not in facts.profile.programs]
    if not missing or facts.profile.status not in WORKING:
        return None
    return "not in " + " or ".join("LIVE" if p == "live" else p for p in missing)


def no_affiliate(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    if facts.affiliate_days or facts.profile.status not in WORKING:
        return None
    return f"no affiliate sales in {limits.no_affiliate_days} days"


def low_reviews(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    if facts.review is None or facts.review[0] >= limits.low_review_score:
        return None
    average, count = facts.review
    streams = f"{count} review{'s' if count != 1 else ''}"
    return f"average score {average:.1f} of 5 over {streams} in {limits.review_days} days"


def profile_incomplete(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    missing = facts.profile.missing_fields()
    return "missing " + ", ".join(missing) if missing else None


def no_contact(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    if facts.contacted_lately:
        return None
    if facts.last_contact is None:
        return "no contact on record"
    days = (today - facts.last_contact.date()).days
    return f"last contact {days} days ago" if days >= limits.no_contact_days else None


def growing_no_live(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    before, now = facts.gmv_prev_14, facts.gmv_14
    if facts.profile.status not in WORKING or before < max(limits.min_weekly_gmv_cents, 1):
        return None
    live_recently = facts.days_since_live is not None and facts.days_since_live < 28
    change = _pct(now, before)
    if change < limits.growth_pct or live_recently:
        return None
    return f"GMV +{change}% on the 14 days before, no LIVE in 28 days"


def few_creators(facts: SellerFacts, limits: GapThresholds, today: date) -> str | None:
    if facts.gmv_28 < max(limits.high_gmv_cents, 1) or facts.creators >= limits.few_creators:
        return None
    return f"{facts.creators} creator{'s' if facts.creators != 1 else ''} for its GMV"


RULES: dict[GapKind, Rule] = {
    GapKind.NO_LIVE: no_live,
    GapKind.GMV_DROP: gmv_drop,
    GapKind.PROGRAM_MISSING: program_missing,
    GapKind.NO_AFFILIATE: no_affiliate,
    GapKind.LOW_REVIEWS: low_reviews,
    GapKind.PROFILE_INCOMPLETE: profile_incomplete,
    GapKind.NO_CONTACT: no_contact,
    GapKind.GROWING_NO_LIVE: growing_no_live,
    GapKind.FEW_CREATORS: few_creators,
}


_RULE_ORDER = tuple(RULES.items())


def gaps_of(facts: SellerFacts, limits: GapThresholds, today: date) -> list[GapRow]:
    """The seller's gaps and opportunities, in the order of RULES."""
    if facts.profile.status not in FOLLOWED:
        return []
    rows = []
    for kind, rule in _RULE_ORDER:
        evidence = rule(facts, limits, today)
        if evidence is not None:
            rows.append(GapRow(kind, facts.profile, evidence, facts.gmv_28))
    return rows


def seller_gaps(
    engine: Engine,
    team_id: str,
    today: date,
    limits: GapThresholds,
    *,
    category: str | None = None,
    owner_user_id: str | None = None,
    seller_id: int | None = None,
) -> GapReport:
    """Every open gap and opportunity of the workspace's sellers (optionally those of one
    category, one owner, or one seller), biggest GMV at stake first, then by seller name."""
    sellers = [
        s
        for s in seller_profiles(engine, team_id, seller_id)
        if s.status in FOLLOWED
        and (category is None or any(same_name(c, category) for c in s.categories))
        and (owner_user_id is None or s.owner_user_id == owner_user_id)
    ]
    end = latest_day(engine, Scope(team_id))
    only = seller_id if seller_id is not None else None
    rows = [
        row
        for facts in _facts(engine, team_id, sellers, end or today, today, limits, only)
        for row in gaps_of(facts, limits, today)
    ]
    # Sellers come by name and each seller's rows in the order of RULES: a stable sort on the
    # GMV at stake keeps that order among equals.
    rows.sort(key=lambda r: -r.gmv_at_stake_cents)
    return GapReport(rows, end)


def _facts(
    engine: Engine,
    team_id: str,
    sellers: list[SellerProfile],
    end: date,
    today: date,
    limits: GapThresholds,
    seller_id: int | None,
) -> Iterator[SellerFacts]:
    if not sellers:
        return
    if seller_id is not None:
        [one] = sellers
        figures = one_sellers_figures(engine, team_id, end, one.id, one.number)
    else:
        figures = recent_figures(engine, team_id, end, max(s.number for s in sellers) + 1)
    # Plain lists: indexing numpy arrays one seller at a time costs more than the rules.
    since_live = figures.days_since_live().tolist()
    affiliate = figures.affiliate_days(limits.no_affiliate_days).tolist()
    gmv_7, gmv_prev_7, gmv_14, gmv_prev_14, gmv_28 = (
        figures.gmv_between(first, last).tolist()
        for first, last in ((6, 0), (13, 7), (13, 0), (27, 14), (27, 0))
    )
    since = today - timedelta(days=limits.review_days - 1)
    reviews = review_averages(engine, team_id, since, seller_id)
    lately = today - timedelta(days=limits.no_contact_days - 1)
    contacts = last_contacts(engine, team_id, lately, [s.id for s in sellers])
    creators = creator_counts(engine, team_id, seller_id)
    for seller in sellers:
        n = seller.number
        contact = contacts.get(seller.id)
        yield SellerFacts(
            seller,
            gmv_7[n],
            gmv_prev_7[n],
            gmv_14[n],
            gmv_prev_14[n],
            gmv_28[n],
            since_live[n] if since_live[n] >= 0 else None,
            affiliate[n],
            reviews.get(seller.id),
            contact,
            contact is None and seller.id in contacts,
            creators.get(seller.id, 0),
        )
