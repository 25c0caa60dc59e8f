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
from bot.sellers.words import programs_text, status_text
from bot.shared.days import day_text
from bot.shared.kpis.definitions import GMV_SOURCES
from bot.shared.kpis.engine import period_figure
from bot.shared.language import _, ngettext
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
    owner = f"<@{profile.owner_user_id}>" if profile.owner_user_id else _("nobody yet")
    others = [c for c in profile.categories if c != profile.category]
    contacts = [
        " · ".join(escape(part) for part in (c.name, c.role, c.reach) if part)
        for c in profile.contacts
    ]
    programs = programs_text(profile.programs)
    also = "\n" + _("_also_ {categories}").format(categories=escape(", ".join(others)))
    market = f"{escape(profile.market) or '—'} · {escape(profile.tier) or '—'}"
    none_yet = _("none yet")
    fields = [
        _("*Shop id*") + f"\n{escape(profile.key)}",
        _("*Status*") + f"\n{status_text(profile.status)}",
        _("*Main category*") + f"\n{escape(profile.category)}" + (also if others else ""),
        _("*Market · tier*") + f"\n{market}",
        _("*Owner*") + f"\n{owner}",
        _("*Programs*") + f"\n{programs or none_yet}",
        _("*Contacts*") + f"\n{chr(10).join(contacts) or none_yet}",
        _("*Tags*") + f"\n{escape(' '.join('#' + t for t in profile.tags)) or '—'}",
    ]
    return [truncate(f, 2000) for f in fields]


def _sales_text(card: SellerCard, style: NumberStyle) -> str:
    now, before = card.now, card.before
    span = _("*Sales* · {first} – {last}").format(
        first=day_text(card.first), last=day_text(card.last)
    )
    trend = _("`{line}` GMV per day").format(line=sparkline(card.daily_gmv))
    if card.data_ends is None:
        span += " " + _("vs the 28 days before")
    else:
        span += f" · {no_data_since(card.data_ends, card.last)}"
        trend += " " + _("({mark} no data)").format(mark=MISSING_DAY)
        if card.compared is not None:
            span += ": " + _(
                "{first} – {data_ends} vs the same days of the 28 before, {start} – {end}"
            ).format(
                first=day_text(card.first),
                data_ends=day_text(card.data_ends),
                start=day_text(card.compared.start),
                end=day_text(card.compared.end),
            )
    lines = [
        span,
        trend,
        _(
            "GMV {gmv} {gmv_change} · Orders {orders} {orders_change} · AOV {aov} {aov_change}"
        ).format(
            gmv=style.money(now.gmv_cents),
            gmv_change=style.change(change(now.gmv_cents, before.gmv_cents)),
            orders=style.count(now.orders),
            orders_change=style.change(change(now.orders, before.orders)),
            aov=style.money(now.aov_cents),
            aov_change=style.change(change(now.aov_cents, before.aov_cents)),
        ),
    ]
    for gmv_kpi, share_kpi in GMV_SOURCES:
        gmv = period_figure(gmv_kpi, now.sums, before.sums)
        share = period_figure(share_kpi, now.sums, before.sums)
        lines.append(
            _("{kpi} {value} {change} · {share} of GMV {share_change}").format(
                kpi=_(gmv_kpi.label),
                value=style.value(gmv_kpi, gmv.value),
                change=style.kpi_change(gmv_kpi, gmv.vs_previous),
                share=style.value(share_kpi, share.value),
                share_change=style.kpi_change(share_kpi, share.vs_previous),
            )
        )
    return "\n".join(lines)


def _live_text(card: SellerCard, style: NumberStyle) -> str:
    now = card.now
    since = _last_live_text(card)
    hours = round(Decimal(now.live_minutes) / 60, 1)
    return _(
        "*LIVE* ({source}) · {sessions} sessions, {hours} hours, engagement {engagement}, "
        "GPM {gpm} · {since}"
    ).format(
        source=_(LIVE_DAYS),
        sessions=style.count(now.live_sessions),
        hours=style.decimal(hours, 1),
        engagement=style.rate(now.engagement),
        gpm=style.money(now.live_gpm_cents),
        since=since,
    )


def _last_live_text(card: SellerCard) -> str:
    """When the seller last held a LIVE, counted back from the newest day of data; with none,
    since when there is LIVE data to say so."""
    if card.last_live:
        days = (card.last - card.last_live).days
        if days == 0:
            return _("last LIVE on {day}, the newest day of data").format(day=day_text(card.last))
        return ngettext(
            "last LIVE {count} day before {day}", "last LIVE {count} days before {day}", days
        ).format(count=days, day=day_text(card.last))
    start = card.live_data_from
    if start is None:
        return _("no LIVE in the data yet")
    if start > card.first - timedelta(days=WINDOW + LIVE_LOOK_BACK):
        return _("no LIVE since the LIVE data starts ({day})").format(day=day_text(start))
    return _("no LIVE in the last year")


def _reviews_text(card: SellerCard, style: NumberStyle) -> str | None:
    if not card.reviews:
        return None
    brand_host = _("brand host")
    lines = [
        f"• {day_text(r.stream_date)} {escape(truncate(r.host_name, 40)) or brand_host}: "
        f"{style.decimal(round(r.average, 1))}/5"
        for r in card.reviews
    ]
    summed = sum((r.average for r in card.reviews), Decimal(0))
    average = style.decimal(round(summed / len(card.reviews), 1))
    heading = (
        _("*Livestream reviews* (latest {shown} of {count}, average {average}/5)")
        if card.review_count > len(card.reviews)
        else _("*Livestream reviews* (latest {shown}, average {average}/5)")
    )
    shown = heading.format(shown=len(lines), count=card.review_count, average=average)
    return shown + "\n" + "\n".join(lines)


def _gaps_text(gaps: list[GapRow]) -> str:
    if not gaps:
        return _("*Open gaps* · none")
    lines = [
        f"• {'💡' if g.kind.opportunity else '⚠️'} *{g.kind.text}*: {escape(g.evidence)} → "
        f"{g.kind.step}"
        for g in gaps
    ]
    return _("*Open gaps and opportunities*") + "\n" + "\n".join(lines)


def _contact_text(card: SellerCard, today: date) -> str:
    contact = card.last_contact
    last = (
        _("last contact {day} by <@{user}>: {text}").format(
            day=day_text(contact.at.date()),
            user=contact.author_user_id,
            text=_("“{text}”").format(text=escape(truncate(contact.text, 100))),
        )
        if contact
        else _("no contact on record")
    )
    follow = (
        _("next follow-up {day} (<@{user}>)").format(
            day=day_text(card.follow_up[0]), user=card.follow_up[1]
        )
        if card.follow_up
        else _("no follow-up planned")
    )
    return f"{last} · {follow}"


def seller_card(card: SellerCard, today: date, style: NumberStyle) -> Reply:
    """The card's message: store details, sales with a trend line, LIVE, reviews, creators,
    open gaps, the last contact and the next follow-up, and buttons to add a note, edit the
    seller, or post its 90-day chart."""
    profile = card.profile
    creators = ", ".join(f"@{escape(h)}" for h in card.creators) or _("none on record")
    if card.creators_selling:
        share = Decimal(card.now.affiliate_gmv_cents) / card.now.gmv_cents
        creators += " · " + _(
            "affiliate sales are {share} of GMV: creators are selling for it"
        ).format(share=style.rate(share))
    outreach = ", ".join(f"@{escape(p.handle)} ({escape(_(p.stage))})" for p in card.outreach)
    blocks: list[Block] = [
        header(profile.name),
        SectionBlock(fields=[MarkdownTextObject(text=f) for f in _store_fields(profile)]),
        section(_sales_text(card, style)),
        section(_live_text(card, style)),
    ]
    reviews = _reviews_text(card, style)
    if reviews:
        blocks.append(section(reviews))
    blocks += [
        section(
            _("*Creators working with the seller* · {creators}").format(creators=creators)
            + "\n"
            + _("*In outreach* · {pairs}").format(pairs=outreach or _("none"))
        ),
        section(_gaps_text(card.gaps)),
        context(_contact_text(card, today)),
        ActionsBlock(
            block_id="seller_actions",
            elements=[
                ButtonElement(
                    text=_("Add a note"),
                    action_id=ADD_SELLER_NOTE,
                    value=str(profile.id),
                    style="primary",
                ),
                ButtonElement(text=_("Edit seller"), action_id=EDIT_SELLER, value=str(profile.id)),
                ButtonElement(
                    text=_("90-day chart"), action_id=SELLER_CHART, value=str(profile.id)
                ),
            ],
        ),
    ]
    summary = _("{seller}: GMV {gmv} in the 28 days to {day}").format(
        seller=escape(profile.name), gmv=style.money(card.now.gmv_cents), day=day_text(card.last)
    )
    return Reply(text=summary, blocks=blocks)
