"""The `/kpi` headline: the figures a category team checks first, each with its one most telling
comparison, named unusual days and the leading category or seller, on one phone screen. Every
figure with every comparison (`bot.kpi.render.render_snapshot`) is one press away (Details) or
one word (`/kpi today full`).

One comparison for the whole answer, named once above the figures:
- one day: the same weekday a week before. Daily sales follow the week (a Sunday is not a
  Saturday), so against the day before a day mostly shows the weekly rhythm, not the business;
- any longer period: the previous period of the same length; a week or month to date, the same
  days of the week or month before (`Period.previous`).
The change shown is the full table's own (`Figure.vs_last_week` or `Figure.vs_previous`), with
its arrow, its colour for the KPI and its unit (percentage points for rates), formatted by the
same `NumberStyle.kpi_change`: the headline only chooses, it never computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.kpi.render import freshness, render_snapshot, snapshot_text, snapshot_title
from bot.shared.days import short_day, weekday_short_day
from bot.shared.kpis.definitions import HEADLINE, Kpi
from bot.shared.kpis.engine import Figure, Snapshot, nothing_to_compare
from bot.shared.kpis.unusual import UnusualDay
from bot.shared.language import _, ngettext
from bot.shared.numbers import NumberStyle
from bot.shared.periods import Period
from bot.shared.replies import BUTTON_VALUE_LIMIT, Reply, context, escape, header, section, shown
from bot.shared.sources import SELLER_DAYS

DETAILS = "kpi_details"  # the action id of the Details button
UNUSUAL_SHOWN = 3  # a long period may have many: the rest are named in Details


@dataclass(frozen=True)
class Baseline:
    """What the headline compares with: the days, how they are named, and a figure's change
    against them as the full table computed it."""

    start: date
    end: date
    named: str
    change: Callable[[Figure], Decimal | None]

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def baseline(period: Period) -> Baseline:
    """The one most telling comparison for the period (see the module's docstring)."""
    if period.is_day:
        day = period.start - timedelta(days=7)
        return Baseline(
            day,
            day,
            _("vs *{day}*, the same day last week").format(day=weekday_short_day(day)),
            lambda figure: figure.vs_last_week,
        )
    before = period.previous()
    span = f"{short_day(before.start)} – {short_day(before.end)}"
    what = (
        before.label
        if period.like_for_like
        else ngettext("the {count} day before", "the {count} days before", period.days).format(
            count=period.days
        )
    )
    named = _("vs *{span}*, {what}").format(span=span, what=what)
    return Baseline(before.start, before.end, named, lambda figure: figure.vs_previous)


def headline_kpis(lead: Kpi | None = None) -> list[Kpi]:
    """The headline's KPIs; the one asked for (`/kpi sessions`) first, even if not one of them."""
    if lead is None:
        return list(HEADLINE)
    return [lead, *(kpi for kpi in HEADLINE if kpi.key != lead.key)]


def figure_line(figure: Figure, compared: Baseline, style: NumberStyle) -> str:
    """`*GMV*  $176,559.96  🔴 ▼ 10.0%`: one line at a phone's width."""
    kpi = figure.kpi
    value = style.value(kpi, figure.value)
    return f"*{kpi.name}*  {value}  {style.kpi_change(kpi, compared.change(figure))}"


def unusual_line(days: list[UnusualDay], period: Period, compared: Baseline) -> str:
    """`:warning: Unusual: Sat 28 Nov, 72% below a usual Saturday (in the comparison).`: the
    unusual days of the period and of its baseline, the UNUSUAL_SHOWN furthest from usual (in
    date order); the days only the full table compares with are left out."""
    inside = [d for d in days if period.start <= d.day <= period.end or compared.holds(d.day)]
    furthest = sorted(inside, key=lambda d: -abs(d.change))[:UNUSUAL_SHOWN]
    named = [
        d.describe()
        + ("" if period.start <= d.day <= period.end else " " + _("(in the comparison)"))
        for d in sorted(furthest, key=lambda d: d.day)
    ]
    if len(inside) > len(named):
        more = len(inside) - len(named)
        named.append(
            ngettext("{count} more in Details", "{count} more in Details", more).format(count=more)
        )
    return _(":warning: Unusual: {days}.").format(days="; ".join(named)) if named else ""


def leader_line(snapshot: Snapshot, style: NumberStyle) -> str:
    """The top category of an answer that covers several, else the top seller of one that
    covers several (a category's), else nothing."""
    if len(snapshot.categories) > 1:
        top = snapshot.categories[0]
        return _("Top category: {category}, {share} of GMV").format(
            category=escape(top.category), share=style.rate(top.share)
        )
    if len(snapshot.top_sellers) > 1:
        seller = snapshot.top_sellers[0]
        return _("Top seller: {seller}, {gmv}").format(
            seller=escape(seller.name), gmv=style.money(seller.gmv_cents)
        )
    return ""


def render_headline(
    snapshot: Snapshot,
    style: NumberStyle,
    note: str = "",
    *,
    lead: Kpi | None = None,
    details: str = "",
    full_command: str = "/kpi today full",
) -> Reply:
    """The compact answer. `details` is the Details button's value (none when empty or too long
    for Slack); `full_command` is what to type for the full table instead."""
    if not snapshot.has_data:
        return render_snapshot(snapshot, style, note)
    compared = baseline(snapshot.period)
    if not snapshot.previous_has_data and not snapshot.period.is_day:
        compared = replace(compared, named=nothing_to_compare(snapshot.period))
    by_key = {figure.kpi.key: figure for figure in snapshot.shown}
    figures = [by_key[kpi.key] for kpi in headline_kpis(lead) if kpi.key in by_key]
    lines = [compared.named, *(figure_line(f, compared, style) for f in figures)]
    blocks: list[Block] = [
        header(snapshot_title(snapshot)),
        context(f"{freshness(snapshot, note)} {_(SELLER_DAYS)}"),
        section("\n".join(lines)),
    ]
    more = [
        line
        for line in (
            unusual_line(snapshot.unusual, snapshot.period, compared),
            leader_line(snapshot, style),
        )
        if line
    ]
    if more:
        blocks.append(section("\n".join(more)))
    typed = shown(full_command, 300)  # a name's backtick cannot end the code span
    hint = _("Every figure and comparison: `{command}`").format(command=typed)
    if details and len(details) <= BUTTON_VALUE_LIMIT:
        button = ButtonElement(text=_("Details"), action_id=DETAILS, value=details)
        blocks.append(ActionsBlock(elements=[button]))
        hint = _("or `{command}`").format(command=typed)
    blocks.append(context(hint))
    return Reply(text=snapshot_text(replace(snapshot, figures=figures), style, note), blocks=blocks)
