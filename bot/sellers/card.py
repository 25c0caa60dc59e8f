"""`/seller <name or id>`: the seller's card, built from its profile, figures, reviews,
creators, notes and open gaps.

The figures cover the 28 days to the newest day with figures in the workspace, against the 28
days before; the trend line is one bar per day of those 28 days. A seller whose data stops
before that day (storage.kpis.reads.seller_last_day) has the days after its last one missing,
not zero: they are drawn as MISSING_DAY, and its days with data are compared with the same
days of the 28 before, as `/kpi` compares them (bot.shared.periods.Period.data_ends).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)
from sqlalchemy.engine import Engine

from bot.sellers.gaps import GapRow, affiliate_selling, seller_gaps
from bot.sellers.thresholds import GapThresholds
from bot.sellers.trend import MISSING_DAY, sparkline
from bot.shared.days import day_text
from bot.shared.kpis.definitions import GMV_SOURCES
from bot.shared.kpis.engine import period_figure
from bot.shared.numbers import NumberStyle, no_data_since
from bot.shared.periods import Period
from bot.shared.replies import Reply, context, escape, header, section, truncate
from bot.shared.sources import LIVE_DAYS
from storage.kpis.reads import Scope, day_list, latest_day, seller_last_day
from storage.matchmaking.outreach import PipelineItem, pipeline_items
from storage.sellers.activity import (
    LastContact,
    ReviewScore,
    SellerDay,
    first_live_day,
    last_contact,
    last_live_day,
    latest_reviews,
    next_follow_up,
    seller_days,
    working_creators,
)
from storage.sellers.profiles import SellerProfile, seller_profile

WINDOW = 28
OUTREACH_SHOWN = 8  # pairs in outreach named on the card; `/match pipeline <seller>` has all
LIVE_LOOK_BACK = 365  # days searched for the last LIVE when the two windows hold none
ADD_SELLER_NOTE = "seller_add_note"
EDIT_SELLER = "seller_edit"
SELLER_CHART = "seller_chart"


@dataclass(frozen=True)
class Totals:
    """A window's sums of the seller's days (money in cents)."""

    gmv_cents: int = 0
    orders: int = 0
    live_sessions: int = 0
    live_minutes: int = 0
    live_views: int = 0
    interactions: int = 0  # likes + comments + shares
    live_gmv_cents: int = 0
    affiliate_gmv_cents: int = 0
    video_gmv_cents: int = 0

    @classmethod
    def of(cls, days: list[SellerDay]) -> Totals:
        return cls(
            gmv_cents=sum(d.gmv_cents for d in days),
            orders=sum(d.orders for d in days),
            live_sessions=sum(d.live_sessions for d in days),
            live_minutes=sum(d.live_minutes for d in days),
            live_views=sum(d.live_views for d in days),
            interactions=sum(d.live_likes + d.live_comments + d.live_shares for d in days),
            live_gmv_cents=sum(d.live_gmv_cents for d in days),
            affiliate_gmv_cents=sum(d.affiliate_gmv_cents for d in days),
            video_gmv_cents=sum(d.video_gmv_cents for d in days),
        )

    @property
    def sums(self) -> dict[str, int]:
        """The money sums under the KPI sheet's names, as the KPI definitions read them."""
        names = ("gmv_cents", "live_gmv_cents", "affiliate_gmv_cents", "video_gmv_cents")
        return {name: getattr(self, name) for name in names}

    @property
    def aov_cents(self) -> Decimal | None:
        return Decimal(self.gmv_cents) / self.orders if self.orders else None

    @property
    def engagement(self) -> Decimal | None:
        return Decimal(self.interactions) / self.live_views if self.live_views else None

    @property
    def live_gpm_cents(self) -> Decimal | None:
        """LIVE GMV per 1,000 LIVE views."""
        return Decimal(self.live_gmv_cents) * 1000 / self.live_views if self.live_views else None


@dataclass(frozen=True)
class SellerCard:
    profile: SellerProfile
    first: date  # the current window
    last: date
    now: Totals
    before: Totals
    daily_gmv: list[int | None]  # cents per day first..last (0 without figures; None: missing)
    last_live: date | None
    live_data_from: date | None  # where the workspace's LIVE data starts (when last_live is None)
    reviews: list[ReviewScore]
    review_count: int
    creators: list[str]
    creators_selling: bool  # affiliate sales show creators selling for it (bot.sellers.gaps)
    outreach: list[PipelineItem]  # pairs in the outreach pipeline with the seller
    gaps: list[GapRow]
    last_contact: LastContact | None
    follow_up: tuple[date, str] | None
    compared: Period | None = None  # the days `before` covers, when the data stops early
    data_ends: date | None = None  # the seller's last day with data, when before `last`


def build_card(
    engine: Engine, team_id: str, seller_id: int, today: date, limits: GapThresholds
) -> SellerCard:
    """Everything the card shows for one seller."""
    profile = seller_profile(engine, team_id, seller_id)
    last = latest_day(engine, Scope(team_id)) or today
    first, before_first = last - timedelta(days=WINDOW - 1), last - timedelta(days=2 * WINDOW - 1)
    days = seller_days(engine, team_id, seller_id, before_first, last)
    current = [d for d in days if d.day >= first]
    data_ends = seller_last_day(engine, team_id, seller_id)
    stopped = data_ends if data_ends is not None and data_ends < last else None
    # The same days as `/kpi` compares: all 28 before, or with the data stopped, as many days
    # from their start as it has (none when it stopped before the window).
    window = Period(first, last, f"last {WINDOW} days", unit="days", data_ends=stopped)
    compared = window.previous() if window.days_with_data else None
    by_day = {d.day: d.gmv_cents for d in current}
    before_days = [d for d in days if compared and compared.start <= d.day <= compared.end]
    live_days = [d.day for d in days if d.live_sessions > 0]
    last_live = max(live_days) if live_days else None
    live_data_from = None
    if last_live is None:
        look_back = before_first - timedelta(days=LIVE_LOOK_BACK)
        last_live = last_live_day(
            engine, team_id, seller_id, look_back, before_first - timedelta(days=1)
        )
        live_data_from = None if last_live else first_live_day(engine, team_id)
    reviews, review_count = latest_reviews(engine, team_id, seller_id)
    now = Totals.of(current)
    selling = affiliate_selling(
        np.array([now.affiliate_gmv_cents]), np.array([now.gmv_cents]), limits
    )
    return SellerCard(
        profile=profile,
        first=first,
        last=last,
        now=now,
        before=Totals.of(before_days),
        daily_gmv=[
            None if stopped and day > stopped else by_day.get(day, 0)
            for day in day_list(first, last)
        ],
        last_live=last_live,
        live_data_from=live_data_from,
        reviews=reviews,
        review_count=review_count,
        creators=working_creators(engine, team_id, seller_id, today),
        creators_selling=bool(selling[0]),
        outreach=pipeline_items(engine, team_id, seller_id=seller_id, limit=OUTREACH_SHOWN),
        gaps=seller_gaps(engine, team_id, today, limits, seller_id=seller_id).rows,
        last_contact=last_contact(engine, team_id, seller_id),
        follow_up=next_follow_up(engine, team_id, seller_id),
        compared=compared if stopped else None,
        data_ends=stopped,
    )


def change(now: Decimal | int | None, before: Decimal | int | None) -> Decimal | None:
    """(now − before) ÷ before; None when there is nothing to compare with."""
    if now is None or not before:
        return None
    return (Decimal(now) - Decimal(before)) / Decimal(before)


def _store_fields(profile: SellerProfile) -> list[str]:
    owner = f"<@{profile.owner_user_id}>" if profile.owner_user_id else "nobody yet"
    others = [c for c in profile.categories if c != profile.category]
    contacts = [
        " · ".join(escape(part) for part in (c.name, c.role, c.reach) if part)
        for c in profile.contacts
    ]
    programs = ", ".join(p.upper() if p == "live" else p for p in profile.programs)
    fields = [
        f"*Shop id*\n{escape(profile.key)}",
        f"*Status*\n{profile.status.title()}",
        f"*Main category*\n{escape(profile.category)}"
        + (f"\n_also_ {escape(', '.join(others))}" if others else ""),
        f"*Market · tier*\n{escape(profile.market) or '—'} · {escape(profile.tier) or '—'}",
        f"*Owner*\n{owner}",
        f"*Programs*\n{programs or 'none yet'}",
        f"*Contacts*\n{chr(10).join(contacts) or 'none yet'}",
        f"*Tags*\n{escape(' '.join('#' + t for t in profile.tags)) or '—'}",
    ]
    return [truncate(f, 2000) for f in fields]


def _sales_text(card: SellerCard, style: NumberStyle) -> str:
    now, before = card.now, card.before
    span = f"*Sales* · {day_text(card.first)} – {day_text(card.last)}"
    trend = f"`{sparkline(card.daily_gmv)}` GMV per day"
    if card.data_ends is None:
        span += " vs the 28 days before"
    else:
        span += f" · {no_data_since(card.data_ends, card.last)}"
        trend += f" ({MISSING_DAY} no data)"
        if card.compared is not None:
            span += (
                f": {day_text(card.first)} – {day_text(card.data_ends)} vs the same days of the "
                f"28 before, {day_text(card.compared.start)} – {day_text(card.compared.end)}"
            )
    lines = [
        span,
        trend,
        f"GMV {style.money(now.gmv_cents)} {style.change(change(now.gmv_cents, before.gmv_cents))}"
        f" · Orders {style.count(now.orders)} {style.change(change(now.orders, before.orders))}"
        f" · AOV {style.money(now.aov_cents)} "
        f"{style.change(change(now.aov_cents, before.aov_cents))}",
    ]
    for gmv_kpi, share_kpi in GMV_SOURCES:
        gmv = period_figure(gmv_kpi, now.sums, before.sums)
        share = period_figure(share_kpi, now.sums, before.sums)
        lines.append(
            f"{gmv_kpi.label} {style.value(gmv_kpi, gmv.value)} "
            f"{style.kpi_change(gmv_kpi, gmv.vs_previous)} · "
            f"{style.value(share_kpi, share.value)} of GMV "
            f"{style.kpi_change(share_kpi, share.vs_previous)}"
        )
    return "\n".join(lines)


def _live_text(card: SellerCard, style: NumberStyle) -> str:
    now = card.now
    since = _last_live_text(card)
    hours = Decimal(now.live_minutes) / 60
    return (
        f"*LIVE* ({LIVE_DAYS}) · {style.count(now.live_sessions)} sessions, {hours:.1f} hours, "
        f"engagement {style.rate(now.engagement)}, GPM {style.money(now.live_gpm_cents)} · {since}"
    )


def _last_live_text(card: SellerCard) -> str:
    """When the seller last held a LIVE, counted back from the newest day of data; with none,
    since when there is LIVE data to say so."""
    if card.last_live:
        days = (card.last - card.last_live).days
        if days == 0:
            return f"last LIVE on {day_text(card.last)}, the newest day of data"
        return f"last LIVE {days} day{'s' if days != 1 else ''} before {day_text(card.last)}"
    start = card.live_data_from
    if start is None:
        return "no LIVE in the data yet"
    if start > card.first - timedelta(days=WINDOW + LIVE_LOOK_BACK):
        return f"no LIVE since the LIVE data starts ({day_text(start)})"
    return "no LIVE in the last year"


def _reviews_text(card: SellerCard) -> str | None:
    if not card.reviews:
        return None
    lines = [
        f"• {day_text(r.stream_date)} {escape(truncate(r.host_name, 40)) or 'brand host'}: "
        f"{r.average:.1f}/5"
        for r in card.reviews
    ]
    average = sum(r.average for r in card.reviews) / len(card.reviews)
    more = f" of {card.review_count}" if card.review_count > len(card.reviews) else ""
    return (
        f"*Livestream reviews* (latest {len(lines)}{more}, average {average:.1f}/5)\n"
        + "\n".join(lines)
    )


def _gaps_text(gaps: list[GapRow]) -> str:
    if not gaps:
        return "*Open gaps* · none"
    lines = [
        f"• {'💡' if g.kind.opportunity else '⚠️'} *{g.kind.label}*: {escape(g.evidence)} → "
        f"{g.kind.next_step}"
        for g in gaps
    ]
    return "*Open gaps and opportunities*\n" + "\n".join(lines)


def _contact_text(card: SellerCard, today: date) -> str:
    contact = card.last_contact
    last = (
        f"last contact {day_text(contact.at.date())} by <@{contact.author_user_id}>: "
        f"“{escape(truncate(contact.text, 100))}”"
        if contact
        else "no contact on record"
    )
    follow = (
        f"next follow-up {day_text(card.follow_up[0])} (<@{card.follow_up[1]}>)"
        if card.follow_up
        else "no follow-up planned"
    )
    return f"{last} · {follow}"


def seller_card(card: SellerCard, today: date, style: NumberStyle) -> Reply:
    """The card's message: store details, sales with a trend line, LIVE, reviews, creators,
    open gaps, the last contact and the next follow-up, and buttons to add a note, edit the
    seller, or post its 90-day chart."""
    profile = card.profile
    creators = ", ".join(f"@{escape(h)}" for h in card.creators) or "none on record"
    if card.creators_selling:
        share = Decimal(card.now.affiliate_gmv_cents) / card.now.gmv_cents
        creators += (
            f" · affiliate sales are {style.rate(share)} of GMV: creators are selling for it"
        )
    outreach = ", ".join(f"@{escape(p.handle)} ({escape(p.stage)})" for p in card.outreach)
    blocks: list[Block] = [
        header(profile.name),
        SectionBlock(fields=[MarkdownTextObject(text=f) for f in _store_fields(profile)]),
        section(_sales_text(card, style)),
        section(_live_text(card, style)),
    ]
    reviews = _reviews_text(card)
    if reviews:
        blocks.append(section(reviews))
    blocks += [
        section(
            f"*Creators working with the seller* · {creators}\n*In outreach* · {outreach or 'none'}"
        ),
        section(_gaps_text(card.gaps)),
        context(_contact_text(card, today)),
        ActionsBlock(
            block_id="seller_actions",
            elements=[
                ButtonElement(
                    text="Add a note",
                    action_id=ADD_SELLER_NOTE,
                    value=str(profile.id),
                    style="primary",
                ),
                ButtonElement(text="Edit seller", action_id=EDIT_SELLER, value=str(profile.id)),
                ButtonElement(text="90-day chart", action_id=SELLER_CHART, value=str(profile.id)),
            ],
        ),
    ]
    summary = (
        f"{escape(profile.name)}: GMV {style.money(card.now.gmv_cents)} in the 28 days to "
        f"{day_text(card.last)}"
    )
    return Reply(text=summary, blocks=blocks)
