"""Gaps and opportunities in each seller's engagement and platform presence.

`seller_gaps()` is the one entry point (the `/seller gaps` list, the seller card, the digest
section and the App Home all call it): data in, rows out. Each rule is a `Rule`: which sellers
it finds, as one numpy condition over every seller's facts (`SellerFacts`, arrays in the
order of the sellers) and the thresholds (settings), and what it says of one of them. Judging
thousands of sellers is then a few array operations, with text only for the rows found.

Figures are judged up to the newest day with figures in the workspace (data arrives a day or
two late), contacts up to today. Every row of a seller carries the same *GMV at stake*: what the
seller sold in the last 28 days, so the biggest sellers' gaps come first; it is the seller's,
counted once wherever the rows are summed up (a seller at a time). A working seller without
figures for `silent_days` before that day has stopped sending data: that is its gap, and the
rules on its recent figures, which it does not have, are not judged.

A seller has one row per fact (`GapKind.fact`): the rules about its LIVE (no recent LIVE, not in
the program, fast-growing without LIVE) or about creators selling for it (no affiliate sales,
not in the program, high GMV with few creators) make one row, led by the first of them in
RULES, with the evidence of each. Where the registry and the KPI data disagree on a program,
the data decides and the row says both ("registry: not in LIVE, but 12 LIVE sessions in the
data since …"). Creators are counted from collaborations and from affiliate sales: affiliate
GMV of at least a share of GMV (a setting) shows creators selling for the seller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

import numpy as np
from babel.numbers import parse_pattern
from sqlalchemy.engine import Engine

from bot.sellers.thresholds import GapThresholds
from bot.sellers.words import field_text
from bot.shared.days import day_text
from bot.shared.language import N_, _, ngettext, speech
from bot.shared.numbers import NumberStyle, no_data_since, percent_pattern
from storage.kpis.reads import Scope, last_days_with_data, latest_day
from storage.names import same_name
from storage.sellers.models import SellerProgram, SellerStatus
from storage.sellers.profiles import SellerProfile, seller_profiles
from storage.sellers.signals import (
    WINDOW_DAYS,
    creator_counts,
    last_contacts,
    one_sellers_figures,
    recent_figures,
    review_averages,
    seller_sums,
)

# Sellers the team works with now; prospects only have their profile and contacts judged.
WORKING = {SellerStatus.ONBOARDING, SellerStatus.ACTIVE}
FOLLOWED = WORKING | {SellerStatus.PROSPECT}
JUDGED_PROGRAMS = (SellerProgram.LIVE.value, SellerProgram.AFFILIATE.value)
# Days of data set against the registry's programs and the GMV at stake: the seller card's.
DATA_WINDOW = 28


class GapKind(Enum):
    """What a row says, with the step the team suggests next (label, next step, opportunity,
    and the fact it is about when other kinds are about it too)."""

    NO_LIVE = (N_("No recent LIVE"), N_("Plan a LIVE with the seller this week"), False, "live")
    GMV_DROP = (N_("GMV dropping"), N_("Call the seller: check stock, prices and listings"), False)
    LIVE_NOT_JOINED = (
        N_("Program not joined"),
        N_("Walk the seller through joining LIVE"),
        False,
        "live",
    )
    LIVE_UNRECORDED = (
        N_("Programs out of date"),
        N_("Add LIVE to the seller's programs (Edit on the card)"),
        False,
        "live",
    )
    AFFILIATE_NOT_JOINED = (
        N_("Program not joined"),
        N_("Walk the seller through joining affiliate"),
        False,
        "affiliate",
    )
    AFFILIATE_UNRECORDED = (
        N_("Programs out of date"),
        N_("Add affiliate to the seller's programs (Edit on the card)"),
        False,
        "affiliate",
    )
    NO_AFFILIATE = (
        N_("No affiliate sales"),
        N_("Match the seller with creators (/match)"),
        False,
        "affiliate",
    )
    LOW_REVIEWS = (
        N_("Weak LIVE reviews"),
        N_("Coach the host on the lowest scorecard items"),
        False,
    )
    PROFILE_INCOMPLETE = (
        N_("Profile incomplete"),
        N_("Fill in the profile (Edit on the card)"),
        False,
    )
    NO_CONTACT = (N_("No recent contact"), N_("Check in with the seller and note it"), False)
    GROWING_NO_LIVE = (
        N_("Fast-growing, no LIVE"),
        N_("Pitch LIVE while demand is rising"),
        True,
        "live",
    )
    FEW_CREATORS = (
        N_("High GMV, few creators"),
        N_("Recruit affiliate creators for the seller"),
        True,
        "affiliate",
    )
    NO_DATA = (
        N_("Data stopped"),
        N_("Ask the seller if it still trades, or check the KPI export"),
        False,
    )

    def __init__(self, label: str, next_step: str, opportunity: bool, fact: str = "") -> None:
        self.label, self.next_step, self.opportunity = label, next_step, opportunity
        self._fact = fact

    @property
    def text(self) -> str:
        """The label in the answer's language."""
        return _(self.label)

    @property
    def step(self) -> str:
        """The next step in the answer's language."""
        return _(self.next_step)

    def step_in_sentence(self) -> str:
        """The next step after a name and a colon: English starts it lowercase (`→ @tom: plan
        a LIVE…`), German as it is written (its nouns keep their capitals)."""
        shown = self.step
        return shown[0].lower() + shown[1:] if shown == self.next_step else shown

    @property
    def fact(self) -> str:
        """What the row is about: kinds about the same fact make one row a seller."""
        return self._fact or self.name


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
    window_start: date  # the first of the DATA_WINDOW days to the newest day with figures
    affiliate_window_days: np.ndarray  # days with affiliate sales in those days
    # Amounts of those days read only where they decide or tell a row (see _with_amounts),
    # else 0: the LIVE sessions, the affiliate GMV.
    live_sessions: np.ndarray
    affiliate_gmv_28: np.ndarray
    review_average: np.ndarray  # float; NaN without reviews in the review window
    reviews: np.ndarray
    contact_days: np.ndarray  # days since the last note; -1: none on record
    contacted_lately: np.ndarray  # bool: a note within the no-contact window
    creators: np.ndarray  # working with the seller today (collaborations)
    missing_programs: list[list[str]]  # of JUDGED_PROGRAMS, as the registry has them
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


def _decimal(value: float) -> str:
    """A score with one decimal as the answer's locale writes it (`2.5` · `2,5`)."""
    return NumberStyle(locale_name=speech().locale).decimal(value)


def whole_percent(percent: int) -> str:
    """`-30%` · `-30 %`: a whole percentage as the answer's locale writes it."""
    style = NumberStyle(locale_name=speech().locale)
    pattern = percent_pattern(style.locale_name).replace("#,##0.0", "0")
    shown = parse_pattern(pattern).apply(Decimal(abs(percent)) / 100, style.locale)
    return f"-{shown}" if percent < 0 else shown


def _pct(now: np.ndarray, before: np.ndarray) -> np.ndarray:
    """(now − before) ÷ before in whole percent (before > 0 where it is read)."""
    return np.rint((now - before) * 100 / np.maximum(before, 1)).astype(np.int64)


def _base(limits: GapThresholds) -> int:
    return max(limits.min_weekly_gmv_cents, 1)


def _no_live(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return f.working & ((f.since_live < 0) | (f.since_live >= limits.no_live_days))


def _no_live_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    days = int(f.since_live[i])
    if days < 0:
        return _("no LIVE in {count}+ days").format(count=WINDOW_DAYS)
    return ngettext("last LIVE {count} day ago", "last LIVE {count} days ago", days).format(
        count=days
    )


def _out_of(program: str, f: SellerFacts) -> np.ndarray:
    """Working sellers the registry has out of the program."""
    return f.working & np.array([program in m for m in f.missing_programs], dtype=bool)


def _live_lately(f: SellerFacts) -> np.ndarray:
    """Sellers with a LIVE in the DATA_WINDOW days."""
    return (f.since_live >= 0) & (f.since_live < DATA_WINDOW)


def _live_not_joined(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return _out_of(SellerProgram.LIVE.value, f) & ~_live_lately(f)


def _live_not_joined_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    return _("not in LIVE")


def _live_unrecorded(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return _out_of(SellerProgram.LIVE.value, f) & _live_lately(f)


def _live_unrecorded_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    sessions = int(f.live_sessions[i])
    return ngettext(
        "registry: not in LIVE, but {count} LIVE session in the data since {day}",
        "registry: not in LIVE, but {count} LIVE sessions in the data since {day}",
        sessions,
    ).format(count=sessions, day=day_text(f.window_start))


def _affiliate_not_joined(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return _out_of(SellerProgram.AFFILIATE.value, f) & (f.affiliate_window_days == 0)


def _affiliate_not_joined_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    return _("not in affiliate")


def _affiliate_unrecorded(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return _out_of(SellerProgram.AFFILIATE.value, f) & (f.affiliate_window_days > 0)


def _affiliate_unrecorded_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    days = int(f.affiliate_window_days[i])
    return ngettext(
        "registry: not in affiliate, but affiliate sales on {count} day in the data since {day}",
        "registry: not in affiliate, but affiliate sales on {count} days in the data since {day}",
        days,
    ).format(count=days, day=day_text(f.window_start))


def _gmv_drop(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    dropped = -_pct(f.gmv_7, f.gmv_prev_7) > limits.gmv_drop_pct
    return f.working & (f.gmv_prev_7 >= _base(limits)) & dropped


def _gmv_drop_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    change = int(_pct(f.gmv_7[i : i + 1], f.gmv_prev_7[i : i + 1])[0])
    return _("GMV {change} week over week").format(change=whole_percent(change))


def _no_affiliate(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return f.working & (f.affiliate_days == 0)


def _no_affiliate_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    days = limits.no_affiliate_days
    return ngettext(
        "no affiliate sales in {count} day", "no affiliate sales in {count} days", days
    ).format(count=days)


def _low_reviews(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return (f.reviews > 0) & (np.nan_to_num(f.review_average, nan=9.0) < limits.low_review_score)


def _low_reviews_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    count = int(f.reviews[i])
    reviews = ngettext("{count} review", "{count} reviews", count).format(count=count)
    return ngettext(
        "average score {average} of 5 over {reviews} in {count} day",
        "average score {average} of 5 over {reviews} in {count} days",
        limits.review_days,
    ).format(
        average=_decimal(round(float(f.review_average[i]), 1)),
        reviews=reviews,
        count=limits.review_days,
    )


def _profile_incomplete(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    return np.array([bool(m) for m in f.missing_fields], dtype=bool)


def _profile_incomplete_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    fields = ", ".join(field_text(field) for field in f.missing_fields[i])
    return _("missing {fields}").format(fields=fields)


def _no_contact(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    stale = (f.contact_days < 0) | (f.contact_days >= limits.no_contact_days)
    return ~f.contacted_lately & stale


def _no_contact_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    days = int(f.contact_days[i])
    if days < 0:
        return _("no contact on record")
    return ngettext("last contact {count} day ago", "last contact {count} days ago", days).format(
        count=days
    )


def _growing_no_live(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    growing = _pct(f.gmv_14, f.gmv_prev_14) >= limits.growth_pct
    return f.working & (f.gmv_prev_14 >= _base(limits)) & growing & ~_live_lately(f)


def _growing_no_live_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    change = int(_pct(f.gmv_14[i : i + 1], f.gmv_prev_14[i : i + 1])[0])
    grown = _("GMV +{change} on the 14 days before").format(change=whole_percent(change))
    # The no-LIVE rule's evidence follows in the same row when it finds the seller too.
    if _no_live(f, limits)[i]:
        return grown
    return _("{grown}, no LIVE in 28 days").format(grown=grown)


def _high_gmv_few_creators(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    """High-GMV sellers with fewer creators on record than the setting (before affiliate
    sales are read)."""
    return (f.gmv_28 >= max(limits.high_gmv_cents, 1)) & (f.creators < limits.few_creators)


def affiliate_selling(
    affiliate_gmv: np.ndarray, gmv: np.ndarray, limits: GapThresholds
) -> np.ndarray:
    """Whether affiliate sales show creators selling for the seller: affiliate GMV at least
    the setting's share of GMV."""
    return (gmv > 0) & (affiliate_gmv * 100 >= gmv * limits.creator_affiliate_pct)


def _few_creators(f: SellerFacts, limits: GapThresholds) -> np.ndarray:
    selling = affiliate_selling(f.affiliate_gmv_28, f.gmv_28, limits)
    return _high_gmv_few_creators(f, limits) & ~selling


def _few_creators_says(f: SellerFacts, i: int, limits: GapThresholds) -> str:
    count = int(f.creators[i])
    share = round(int(f.affiliate_gmv_28[i]) * 100 / int(f.gmv_28[i]))  # high GMV: above 0
    return ngettext(
        "{count} creator on record, affiliate sales {share} of GMV",
        "{count} creators on record, affiliate sales {share} of GMV",
        count,
    ).format(count=count, share=whole_percent(share))


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
ON_RECENT_FIGURES |= {GapKind.GROWING_NO_LIVE, GapKind.FEW_CREATORS}

# Of the rules about one fact, the first that finds a seller leads its row (RULES order).
RULES: tuple[Rule, ...] = (
    Rule(GapKind.NO_DATA, _silent, _silent_says),
    Rule(GapKind.GROWING_NO_LIVE, _growing_no_live, _growing_no_live_says),
    Rule(GapKind.LIVE_NOT_JOINED, _live_not_joined, _live_not_joined_says),
    Rule(GapKind.NO_LIVE, _no_live, _no_live_says),
    Rule(GapKind.LIVE_UNRECORDED, _live_unrecorded, _live_unrecorded_says),
    Rule(GapKind.GMV_DROP, _gmv_drop, _gmv_drop_says),
    Rule(GapKind.FEW_CREATORS, _few_creators, _few_creators_says),
    Rule(GapKind.AFFILIATE_NOT_JOINED, _affiliate_not_joined, _affiliate_not_joined_says),
    Rule(GapKind.NO_AFFILIATE, _no_affiliate, _no_affiliate_says),
    Rule(GapKind.AFFILIATE_UNRECORDED, _affiliate_unrecorded, _affiliate_unrecorded_says),
    Rule(GapKind.LOW_REVIEWS, _low_reviews, _low_reviews_says),
    Rule(GapKind.PROFILE_INCOMPLETE, _profile_incomplete, _profile_incomplete_says),
    Rule(GapKind.NO_CONTACT, _no_contact, _no_contact_says),
)


def judge(facts: SellerFacts, limits: GapThresholds) -> list[GapRow]:
    """One row per seller and fact the rules find: biggest GMV at stake first, then by seller
    (in the order given), its gaps before its opportunities, in the order of RULES."""
    found = np.stack([rule.finds(facts, limits) for rule in RULES])  # rules × sellers
    silent = _silent(facts, limits)
    found[[n for n, rule in enumerate(RULES) if rule.kind in ON_RECENT_FIGURES]] &= ~silent
    same_fact = [
        [q for q, other in enumerate(RULES) if other.kind.fact == rule.kind.fact] for rule in RULES
    ]
    leads = found.copy()
    for r, together in enumerate(same_fact):
        earlier = [q for q in together if q < r]
        if earlier:
            leads[r] &= ~found[earlier].any(axis=0)
    rule_of, seller_of = np.nonzero(leads)
    opportunity = np.array([rule.kind.opportunity for rule in RULES], dtype=bool)[rule_of]
    # Sort keys, most significant last: the rule, gap or opportunity, the seller's position,
    # its GMV at stake.
    order = np.lexsort((rule_of, opportunity, seller_of, -facts.gmv_28[seller_of]))
    return [
        GapRow(
            RULES[r].kind,
            facts.sellers[i],
            "; ".join(RULES[q].says(facts, i, limits) for q in same_fact[r] if found[q, i]),
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
    creators = creator_counts(engine, team_id, today, seller_id)
    no_review = (float("nan"), 0)
    facts = SellerFacts(
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
        window_start=end - timedelta(days=DATA_WINDOW - 1),
        affiliate_window_days=figures.affiliate_days(DATA_WINDOW)[numbers],
        live_sessions=np.zeros(len(sellers), dtype=np.int64),
        affiliate_gmv_28=np.zeros(len(sellers), dtype=np.int64),
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
    return _with_amounts(engine, team_id, facts, end, limits)


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


def _with_amounts(
    engine: Engine,
    team_id: str,
    facts: SellerFacts,
    end: date,
    limits: GapThresholds,
) -> SellerFacts:
    """The facts with the amounts the day flags cannot give, read only for the sellers whose
    rows they decide or tell: the LIVE sessions of those the registry has out of LIVE while
    the data shows a LIVE, the affiliate GMV of high-GMV sellers with few creators on record
    that sold through affiliates."""
    ids = np.array([s.id for s in facts.sellers], dtype=np.int64)
    unrecorded = np.flatnonzero(_live_unrecorded(facts, limits))
    few = np.flatnonzero(_high_gmv_few_creators(facts, limits) & (facts.affiliate_window_days > 0))
    sessions, affiliate = facts.live_sessions.copy(), facts.affiliate_gmv_28.copy()

    def summed(which: np.ndarray, column: str) -> list[int]:
        wanted = ids[which].tolist()
        sums = seller_sums(engine, team_id, facts.window_start, end, wanted, (column,))
        return [sums.get(i, (0,))[0] for i in wanted]

    sessions[unrecorded] = summed(unrecorded, "live_sessions")
    affiliate[few] = summed(few, "affiliate_gmv_cents")
    return replace(facts, live_sessions=sessions, affiliate_gmv_28=affiliate)


def _days_since(contacts: dict[int, datetime | None], seller_id: int, today: date) -> int:
    """Days since the seller's last note (0 for one lately); -1 without any."""
    if seller_id not in contacts:
        return -1
    at = contacts[seller_id]
    return 0 if at is None else (today - at.date()).days
