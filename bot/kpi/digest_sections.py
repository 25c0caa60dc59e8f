"""The KPIs' part of the digest, its opening sections: the key figures, GMV per day, GMV by
category (or seller) and the top sellers and movers. Each returns its lines and charts for the
week, or None when it has nothing to show (never an empty chart); the kpi feature's
declaration (handlers/kpi) places them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from babel.numbers import format_percent

from bot.kpi.render import category_line, compared_days, seller_line
from bot.shared.chart_numbers import ChartNumbers, Kind
from bot.shared.charts import Series, bar_chart, day_span, line_chart
from bot.shared.digest_section import Chart, SectionPart, WeekData
from bot.shared.kpis.definitions import GMV_SOURCES, scope_name
from bot.shared.kpis.engine import CategoryLine, SellerLine
from bot.shared.kpis.weeks import week_name
from bot.shared.language import _
from bot.shared.numbers import NumberStyle
from bot.shared.replies import escape

SUMMARY_KPIS = ("gmv", "orders", "aov", "live_share", "live_engagement", "adoption")
CHART_BARS = 8


def kpi_summary(data: WeekData) -> SectionPart:
    """The six figures leads read first, then the GMV affiliates and videos sold with their
    shares of GMV, each against last week."""
    style = data.style
    by_key = {f.kpi.key: f for f in data.snapshot.figures}
    lines = []
    for key in SUMMARY_KPIS:
        figure = by_key[key]
        kpi = figure.kpi
        change = style.kpi_change(kpi, figure.vs_previous)
        lines.append(f"*{kpi.name}* {style.value(kpi, figure.value)} · {change}")
    for gmv_kpi, share_kpi in GMV_SOURCES:
        gmv, share = by_key[gmv_kpi.key], by_key[share_kpi.key]
        of_gmv = _("{share} of GMV").format(share=style.value(share.kpi, share.value))
        lines.append(
            f"*{gmv.kpi.name}* {style.value(gmv.kpi, gmv.value)} · "
            f"{style.kpi_change(gmv.kpi, gmv.vs_previous)} · {of_gmv} · "
            f"{style.kpi_change(share.kpi, share.vs_previous)}"
        )
    lines += [f"_{escape(note)}_" for note in data.snapshot.notes]
    return SectionPart("\n".join(lines))


def gmv_chart(data: WeekData) -> SectionPart | None:
    """GMV per day, the digest's week over the week before, day by day; days without data
    (not imported yet, or nobody reported) are gaps."""
    this_week, last_week = data.days
    now, before = _gmv_per_day(this_week), _gmv_per_day(last_week)
    if not any(v for v in now):
        return None
    week, previous = data.week, data.previous
    shown_week = day_span(week.start, week.end)
    shown_before = day_span(previous.start, previous.end)
    compared = compared_days(shown_week, shown_before, any(v is not None for v in before))
    title = _("GMV per day")
    png = line_chart(
        title,
        f"{scope_name(data.spec.category)} · {compared}",
        list(this_week["day"]),
        [Series(shown_week, now), Series(shown_before, before)],
        ChartNumbers(Kind.MONEY, data.style),
        data.style.currency,
    )
    chart = Chart(
        "gmv-by-day", f"{title}, {week_name(week)}", png, data.chart_filename("gmv-by-day")
    )
    return SectionPart(charts=(chart,))


def _gmv_per_day(days: pd.DataFrame) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in days["gmv_cents"]]


def breakdown_chart(data: WeekData) -> SectionPart | None:
    """GMV by category (by seller when the digest covers one category), with the lines."""
    categories = data.snapshot.categories
    if len(categories) > 1:
        return _category_part(data, categories)
    return _seller_part(data, data.snapshot.top_sellers)


def _category_part(data: WeekData, categories: Sequence[CategoryLine]) -> SectionPart | None:
    text = (
        _("*Categories* (GMV, share, vs last week)")
        + "\n"
        + "\n".join(category_line(c, data.style) for c in categories[:CHART_BARS])
    )
    shown = [c for c in categories[:CHART_BARS] if c.gmv_cents > 0]
    if not shown:
        return SectionPart(text)
    bars = [(c.category, c.gmv_cents, c.vs_previous) for c in shown]
    chart = _gmv_bars(data, "gmv-by-category", _("GMV by category"), "", bars)
    return SectionPart(text, (chart,))


def _seller_part(data: WeekData, sellers: Sequence[SellerLine]) -> SectionPart | None:
    if not sellers:
        return None
    title = _("GMV by seller · {scope}").format(scope=scope_name(data.spec.category))
    bars = [(s.name, s.gmv_cents, _relative(s)) for s in sellers]
    top = " · " + _("top {count}").format(count=len(sellers))
    chart = _gmv_bars(data, "gmv-by-seller", title, top, bars)
    return SectionPart(charts=(chart,))


def _gmv_bars(
    data: WeekData, key: str, title: str, note: str, bars: Sequence[tuple[str, int, Decimal | None]]
) -> Chart:
    """Bars of GMV, each labelled with its amount and its change against the week before."""
    style = data.style
    previous = data.previous
    against = _("change against {days}").format(days=day_span(previous.start, previous.end))
    png = bar_chart(
        title,
        f"{day_span(data.week.start, data.week.end)}{note} · {against}",
        [label for label, _cents, _change in bars],
        [float(cents) for _label, cents, _change in bars],
        ChartNumbers(Kind.MONEY, style),
        style.currency,
        notes=[_change_note(change, style) for _label, _cents, change in bars],
    )
    return Chart(key, f"{title}, {week_name(data.week)}", png, data.chart_filename(key))


def _relative(seller: SellerLine) -> Decimal | None:
    if not seller.previous_gmv_cents:
        return None
    return Decimal(seller.change_cents) / seller.previous_gmv_cents


def _change_note(change: Decimal | None, style: NumberStyle) -> str:
    """`▲ 4%` (no emoji: chart fonts lack them); empty without a week before to compare."""
    if change is None:
        return ""
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    return f"{arrow} {format_percent(abs(change), locale=style.locale)}"


def sellers_and_movers(data: WeekData) -> SectionPart | None:
    style = data.style
    blocks = []
    if data.snapshot.top_sellers:
        lines = [seller_line(s, style, with_change=False) for s in data.snapshot.top_sellers]
        blocks.append(_("*Top sellers*") + "\n" + "\n".join(lines))
    if data.snapshot.movers:
        lines = [seller_line(s, style, with_change=True) for s in data.snapshot.movers]
        blocks.append(_("*Biggest movers* (GMV vs last week)") + "\n" + "\n".join(lines))
    return SectionPart("\n\n".join(blocks)) if blocks else None
