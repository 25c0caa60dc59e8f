"""Gaps and opportunities in each seller's engagement and platform presence.

`seller_gaps()` is the one entry point (the `/seller gaps` list, the seller card, the digest
section and the App Home all call it): data in, rows out. Each rule is a `Rule`: which sellers
it finds, as one numpy condition over every seller's facts (`SellerFacts`, arrays in the
order of the sellers) and the thresholds (settings), and what it says of one of them. Judging
thousands of sellers is then a few array operations, with text only for the rows found.

Figures are judged up to the newest day with figures in the workspace (data arrives a day or
two late), contacts up to today. A working seller without figures for `silent_days` before that
day has stopped sending data: that is its gap, and the rules on its recent figures, which it
does not have, are not judged. Every row of a seller carries the same *GMV at stake*: what the
seller sold in the last 28 days, so the biggest sellers' gaps come first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

import numpy as np
from sqlalchemy.engine import Engine

from bot.kpi.format import no_data_since
from bot.sellers.thresholds import GapThresholds
from storage.kpis.reads import Scope, last_days_with_data, latest_day
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
    NO_DATA = ("Data stopped", "Ask the seller if it still trades, or check the KPI export", False)

    def __init__(self, label: str, next_step: str, opportunity: bool) -> None:
        self.label, self.next_step, self.opportunity = label, next_step, opportunity


@dataclass(frozen=True)
class SellerFacts:
    """Every judged seller's profile and recent figures: one array entry per seller, in the
    order of `sellers` (money in cents)."""

    sellers: list[SellerProfile]
    today: date
    working: np.ndarray  # bool: onboarding or active
    gmv_7: np.ndarray  # the last 7 days to the newest day with figures
    gmv_prev_7: np.ndarray  # the 7 days before those
    gmv_14: np.ndarray
    gmv_prev_14: np.ndarray
    gmv_28: np.ndarray
    since_live: np.ndarray  # days since the last LIVE in the window read; -1: none
    affiliate_days: np.ndarray  # days with affiliate sales in the no-affiliate window
    review_average: np.ndarray  # float; NaN without reviews in the review window
    reviews: np.ndarray
    contact_days: np.ndarray  # days since the last note; -1: none on record
    contacted_lately: np.ndarray  # bool: a note within the no-contact window
    creators: np.ndarray
    missing_programs: list[list[str]]  # of JUDGED_PROGRAMS
    missing_fields: list[tuple[str, ...]]
    figures_until: date | None = None  # the workspace's newest day with figures
    silent_days: np.ndarray | None = None  # days to it without the seller's data; -1: never any


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


@dataclass(frozen=True)
class Rule:
    """`finds`: which sellers have the gap (a bool array); `says`: its evidence for seller i."""

    kind: GapKind
    finds: Callable[[SellerFacts, GapThresholds], np.ndarray]
    says: Callable[[SellerFacts, int, GapThresholds], str]


def _pct(now: np.ndarray, before: np.ndarray) -> np.ndarray:
    """(now − before) ÷ before in whole percent (before > 0 where it is read)."""
    return np.rint((now - before) * 100 / np.maximum(before, 1)).astype(np.int64)


def _base(limits: GapThresholds) -> int:
    return max(limits.min_weekly_gmv_cents, 1)


def _no_live(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return f.working & ((f.since_live < 0) | (f.since_live >= limits.no_live_days))


def _no_live_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    days = int(f.since_live[i])
    return f"no LIVE in {WINDOW_DAYS}+ days" if days < 0 else f"last LIVE {days} days ago"


def _gmv_drop(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    dropped = -_pct(f.gmv_7, f.gmv_prev_7) > limits.gmv_drop_pct
    return f.working & (f.gmv_prev_7 >= _base(limits)) & dropped


def _gmv_drop_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    return f"GMV {int(_pct(f.gmv_7[i : i + 1], f.gmv_prev_7[i : i + 1])[0])}% week over week"


def _program_missing(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return f.working & np.array([bool(m) for m in f.missing_programs], dtype=bool)


def _program_missing_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    names = ("LIVE" if p == "live" else p for p in f.missing_programs[i])
    return "not in " + " or ".join(names)


def _no_affiliate(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return f.working & (f.affiliate_days == 0)


def _no_affiliate_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    return f"no affiliate sales in {limits.no_affiliate_days} days"


def _low_reviews(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return (f.reviews > 0) & (np.nan_to_num(f.review_average, nan=9.0) < limits.low_review_score)


def _low_reviews_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    count = int(f.reviews[i])
    streams = f"{count} review{'s' if count != 1 else ''}"
    return (
        f"average score {f.review_average[i]:.1f} of 5 over {streams} in {limits.review_days} days"
    )


def _profile_incomplete(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return np.array([bool(m) for m in f.missing_fields], dtype=bool)


def _profile_incomplete_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    return "missing " + ", ".join(f.missing_fields[i])


def _no_contact(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    stale = (f.contact_days < 0) | (f.contact_days >= limits.no_contact_days)
    return ~f.contacted_lately & stale


def _no_contact_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    days = int(f.contact_days[i])
    return "no contact on record" if days < 0 else f"last contact {days} days ago"


def _growing_no_live(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    live_lately = (f.since_live >= 0) & (f.since_live < 28)
    growing = _pct(f.gmv_14, f.gmv_prev_14) >= limits.growth_pct
    return f.working & (f.gmv_prev_14 >= _base(limits)) & growing & ~live_lately


def _growing_no_live_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    change = int(_pct(f.gmv_14[i : i + 1], f.gmv_prev_14[i : i + 1])[0])
    return f"GMV +{change}% on the 14 days before, no LIVE in 28 days"


def _few_creators(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return (f.gmv_28 >= max(limits.high_gmv_cents, 1)) & (f.creators < limits.few_creators)


def _few_creators_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    count = int(f.creators[i])
    return f"{count} creator{'s' if count != 1 else ''} for its GMV"


def _silent(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    if f.silent_days is None:
        return np.zeros(len(f.sellers), dtype=bool)
    return f.working & (f.silent_days >= limits.silent_days)


def _silent_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    assert f.figures_until is not None and f.silent_days is not None
    days = int(f.silent_days[i])
    return no_data_since(f.figures_until - timedelta(days=days), f.figures_until)


# Judged on the recent days' figures, which a seller whose data stopped does not have: its one
# gap is then that its data stopped.
ON_RECENT_FIGURES = {GapKind.NO_LIVE, GapKind.GMV_DROP, GapKind.NO_AFFILIATE}
ON_RECENT_FIGURES |= {GapKind.GROWING_NO_LIVE}

RULES: tuple[Rule, ...] = (
    Rule(GapKind.NO_DATA, _silent, _silent_says),
    Rule(GapKind.NO_LIVE, _no_live, _no_live_says),
    Rule(GapKind.GMV_DROP, _gmv_drop, _gmv_drop_says),
    Rule(GapKind.PROGRAM_MISSING, _program_missing, _program_missing_says),
    Rule(GapKind.NO_AFFILIATE, _no_affiliate, _no_affiliate_says),
    Rule(GapKind.LOW_REVIEWS, _low_reviews, _low_reviews_says),
    Rule(GapKind.PROFILE_INCOMPLETE, _profile_incomplete, _profile_incomplete_says),
    Rule(GapKind.NO_CONTACT, _no_contact, _no_contact_says),
    Rule(GapKind.GROWING_NO_LIVE, _growing_no_live, _growing_no_live_says),
    Rule(GapKind.FEW_CREATORS, _few_creators, _few_creators_says),
)


def judge(facts: SellerFacts, limits: GapThresholds) -> list[GapRow]:
    """Every gap and opportunity the rules find: biggest GMV at stake first, then by seller
    (in the order given) and in the order of RULES."""
    found = np.stack([rule.finds(facts, limits) for rule in RULES])  # rules × sellers
    silent = _silent(facts, limits)
    found[[n for n, rule in enumerate(RULES) if rule.kind in ON_RECENT_FIGURES]] &= ~silent
    rule_of, seller_of = np.nonzero(found)
    # Sort keys, most significant last: the rule, the seller's position, its GMV at stake.
    order = np.lexsort((rule_of, seller_of, -facts.gmv_28[seller_of]))
    return [
        GapRow(
            RULES[r].kind,
            facts.sellers[i],
            RULES[r].says(facts, i, limits),
            int(facts.gmv_28[i]),
        )
        for r, i in zip(rule_of[order].tolist(), seller_of[order].tolist(), strict=True)
    ]


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
    category, one owner, or one seller), biggest GMV at stake first, then by seller name.
    Prospects only have their profile and contacts judged; paused and churned sellers none."""
    sellers = [
        s
        for s in seller_profiles(engine, team_id, seller_id)
        if s.status in FOLLOWED
        and (category is None or any(same_name(c, category) for c in s.categories))
        and (owner_user_id is None or s.owner_user_id == owner_user_id)
    ]
    end = latest_day(engine, Scope(team_id))
    if not sellers:
        return GapReport([], end)
    facts = seller_facts(engine, team_id, sellers, end or today, today, limits, seller_id)
    return GapReport(judge(facts, limits), end)


def seller_facts(
    engine: Engine,
    team_id: str,
    sellers: list[SellerProfile],
    end: date,
    today: date,
    limits: GapThresholds,
    seller_id: int | None = None,
) -> SellerFacts:
    """The facts the rules read, for `sellers` (the one `seller_id` when given)."""
    if seller_id is not None:
        [one] = sellers
        figures = one_sellers_figures(engine, team_id, end, one.id, one.number)
    else:
        figures = recent_figures(engine, team_id, end, max(s.number for s in sellers) + 1)
    numbers = np.array([s.number for s in sellers], dtype=np.int64)
    ids = [s.id for s in sellers]
    since = today - timedelta(days=limits.review_days - 1)
    reviews = review_averages(engine, team_id, since, seller_id)
    lately = today - timedelta(days=limits.no_contact_days - 1)
    contacts = last_contacts(engine, team_id, lately, ids)
    creators = creator_counts(engine, team_id, seller_id)
    no_review = (float("nan"), 0)
    return SellerFacts(
        sellers=sellers,
        today=today,
        working=np.array([s.status in WORKING for s in sellers], dtype=bool),
        gmv_7=figures.gmv_between(6, 0)[numbers],
        gmv_prev_7=figures.gmv_between(13, 7)[numbers],
        gmv_14=figures.gmv_between(13, 0)[numbers],
        gmv_prev_14=figures.gmv_between(27, 14)[numbers],
        gmv_28=figures.gmv_between(27, 0)[numbers],
        since_live=figures.days_since_live()[numbers],
        affiliate_days=figures.affiliate_days(limits.no_affiliate_days)[numbers],
        review_average=np.array([reviews.get(i, no_review)[0] for i in ids], dtype=float),
        reviews=np.array([reviews.get(i, no_review)[1] for i in ids], dtype=np.int64),
        contact_days=np.array([_days_since(contacts, i, today) for i in ids], dtype=np.int64),
        contacted_lately=np.array([i in contacts and contacts[i] is None for i in ids], dtype=bool),
        creators=np.array([creators.get(i, 0) for i in ids], dtype=np.int64),
        missing_programs=[[p for p in JUDGED_PROGRAMS if p not in s.programs] for s in sellers],
        missing_fields=[s.missing_fields for s in sellers],
        figures_until=end,
        silent_days=_silent_days(engine, team_id, sellers, end),
    )


def _silent_days(
    engine: Engine, team_id: str, sellers: list[SellerProfile], end: date
) -> np.ndarray:
    """Per seller: the days to `end` after its last day with data (-1: no data at all; only
    working sellers are looked up)."""
    working = [s.number for s in sellers if s.status in WORKING]
    last = last_days_with_data(engine, team_id, working)
    return np.array(
        [(end - last[s.number]).days if s.number in last else -1 for s in sellers], dtype=np.int64
    )


def _days_since(contacts: dict[int, datetime | None], seller_id: int, today: date) -> int:
    """Days since the seller's last note (0 for one lately); -1 without any."""
    if seller_id not in contacts:
        return -1
    at = contacts[seller_id]
    return 0 if at is None else (today - at.date()).days
