"""The digest's sections. Each returns its lines and charts for the week, or None when it has
nothing to show (never an empty chart); each feature's declaration places its own in the
digest (bot.features: `Feature.digest`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal

import pandas as pd

from bot.digest.content import Chart, SectionPart, WeekData, span
from bot.feedback.report import feedback_digest_section
from bot.kpi.render import category_line, seller_line
from bot.review.report import build_review_report, criteria_post_chart, digest_text
from bot.sellers.gaps import seller_gaps as find_gaps
from bot.sellers.listing import by_seller, seller_gaps_text
from bot.shared.chart_numbers import ChartNumbers, Kind
from bot.shared.charts import Series, bar_chart, chart_filename, day_span, line_chart
from bot.shared.kpis.definitions import GMV_SOURCES
from bot.shared.kpis.engine import CategoryLine, SellerLine
from bot.shared.replies import escape
from bot.shared.report_periods import ReportPeriod
from storage.creators.levels import level_moves
from storage.matchmaking.outreach import STAGES, overdue_count, stage_moves
from storage.reviews.records import ReviewFilter

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
        lines.append(f"*{kpi.label}* {style.value(kpi, figure.value)} · {change}")
    for gmv_kpi, share_kpi in GMV_SOURCES:
        gmv, share = by_key[gmv_kpi.key], by_key[share_kpi.key]
        lines.append(
            f"*{gmv.kpi.label}* {style.value(gmv.kpi, gmv.value)} · "
            f"{style.kpi_change(gmv.kpi, gmv.vs_previous)} · "
            f"{style.value(share.kpi, share.value)} of GMV · "
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
    compared = (
        f"{shown_week} against {shown_before}"
        if any(v is not None for v in before)
        else f"{shown_week} · no data for {shown_before} to compare"
    )
    title = "GMV per day"
    png = line_chart(
        title,
        f"{data.spec.scope_label} · {compared}",
        list(this_week["day"]),
        [Series(shown_week, now), Series(shown_before, before)],
        ChartNumbers(Kind.MONEY, data.style),
        data.style.currency,
    )
    chart = Chart("gmv-by-day", f"{title}, {span(week)}", png, _filename(data, "gmv-by-day"))
    return SectionPart(charts=(chart,))


def _gmv_per_day(days: pd.DataFrame) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in days["gmv_cents"]]


def _filename(data: WeekData, key: str) -> str:
    """`gmv-by-day-home-and-living-2026-11-23-2026-11-29.png`: what, whose, which week."""
    return chart_filename(key, data.spec.scope_label, data.week.start, data.week.end)


def breakdown_chart(data: WeekData) -> SectionPart | None:
    """GMV by category (by seller when the digest covers one category), with the lines."""
    categories = data.snapshot.categories
    if len(categories) > 1:
        return _category_part(data, categories)
    return _seller_part(data, data.snapshot.top_sellers)


def _category_part(data: WeekData, categories: Sequence[CategoryLine]) -> SectionPart | None:
    text = "*Categories* (GMV, share, vs last week)\n" + "\n".join(
        category_line(c, data.style) for c in categories[:CHART_BARS]
    )
    shown = [c for c in categories[:CHART_BARS] if c.gmv_cents > 0]
    if not shown:
        return SectionPart(text)
    bars = [(c.category, c.gmv_cents, c.vs_previous) for c in shown]
    chart = _gmv_bars(data, "gmv-by-category", "GMV by category", "", bars)
    return SectionPart(text, (chart,))


def _seller_part(data: WeekData, sellers: Sequence[SellerLine]) -> SectionPart | None:
    if not sellers:
        return None
    title = f"GMV by seller · {data.spec.scope_label}"
    bars = [(s.name, s.gmv_cents, _relative(s)) for s in sellers]
    chart = _gmv_bars(data, "gmv-by-seller", title, f" · top {len(sellers)}", bars)
    return SectionPart(charts=(chart,))


def _gmv_bars(
    data: WeekData, key: str, title: str, note: str, bars: Sequence[tuple[str, int, Decimal | None]]
) -> Chart:
    """Bars of GMV, each labelled with its amount and its change against the week before."""
    style = data.style
    previous = data.previous
    png = bar_chart(
        title,
        f"{day_span(data.week.start, data.week.end)}{note} · change against "
        f"{day_span(previous.start, previous.end)}",
        [label for label, _, _ in bars],
        [float(cents) for _, cents, _ in bars],
        ChartNumbers(Kind.MONEY, style),
        style.currency,
        notes=[_change(change) for _, _, change in bars],
    )
    return Chart(key, f"{title}, {span(data.week)}", png, _filename(data, key))


def _relative(seller: SellerLine) -> Decimal | None:
    if not seller.previous_gmv_cents:
        return None
    return Decimal(seller.change_cents) / seller.previous_gmv_cents


def _change(change: Decimal | None) -> str:
    """`▲ 4%` (no emoji: chart fonts lack them); empty without a week before to compare."""
    if change is None:
        return ""
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    return f"{arrow} {abs(change):.0%}"


def sellers_and_movers(data: WeekData) -> SectionPart | None:
    style = data.style
    blocks = []
    if data.snapshot.top_sellers:
        lines = [seller_line(s, style, with_change=False) for s in data.snapshot.top_sellers]
        blocks.append("*Top sellers*\n" + "\n".join(lines))
    if data.snapshot.movers:
        lines = [seller_line(s, style, with_change=True) for s in data.snapshot.movers]
        blocks.append("*Biggest movers* (GMV vs last week)\n" + "\n".join(lines))
    return SectionPart("\n\n".join(blocks)) if blocks else None


def livestream_reviews(data: WeekData) -> SectionPart | None:
    """The review report of the week (bot.review.report) in a few lines, with its chart,
    when any stream of the week was reviewed."""
    period = ReportPeriod(data.week.start, data.week.end)
    scope = data.spec.category or "the team"
    which = ReviewFilter(category=data.spec.category)
    report = build_review_report(data.engine, data.spec.team_id, period, which, scope)
    if not report.reviews:
        return None
    key = "review-scores"
    title, png = criteria_post_chart(report)
    return SectionPart(digest_text(report), (Chart(key, title, png, _filename(data, key)),))


def creator_feedback(data: WeekData) -> SectionPart | None:
    """The feedback report's key line and chart (bot.feedback), when the week has notes.

    Notes are about creators, not categories, so a one-category digest leaves them out rather
    than show the whole team's notes under its category's name.
    """
    if data.spec.category is not None:
        return None
    monday_after = data.week.end + timedelta(days=1)  # follow-ups counted as the digest sees them
    report = feedback_digest_section(
        data.engine, data.spec.team_id, data.week.start, data.zone, monday_after
    )
    if report.chart_png is None:  # no notes this week
        return None
    key = "creator-feedback"
    chart = Chart(key, report.chart_title, report.chart_png, _filename(data, key))
    line = escape(report.text).removeprefix("Creator feedback ")
    return SectionPart(f"*Creator feedback* · {line}", (chart,))


SELLER_GAP_SELLERS = 3  # the digest names the sellers with the most at stake, a seller at a time


def seller_gaps(data: WeekData) -> SectionPart | None:
    """The sellers' biggest gaps and opportunities (bot.sellers.gaps) as the week ends, when
    there are any: the top rows by GMV at stake."""
    monday_after = data.week.end + timedelta(days=1)
    rows = find_gaps(
        data.engine,
        data.spec.team_id,
        monday_after,
        data.spec.gap_thresholds,
        category=data.spec.category,
    ).rows
    if not rows:
        return None
    sellers = by_seller(rows)
    shown = "\n".join(seller_gaps_text(gaps, data.style) for gaps in sellers[:SELLER_GAP_SELLERS])
    more = (
        f" (top {SELLER_GAP_SELLERS} of {len(sellers)} sellers: `/seller gaps`)"
        if len(sellers) > SELLER_GAP_SELLERS
        else ""
    )
    return SectionPart("*Seller gaps and opportunities*" + more + "\n" + shown)


def outreach_pipeline(data: WeekData) -> SectionPart | None:
    """The outreach pipeline's week: how many pairs reached each stage, and how many are
    overdue at its end; nothing in a week without moves. Pairs belong to the team, not to a
    category, so a one-category digest leaves them out (as it does feedback)."""
    if data.spec.category is not None:
        return None
    zone = data.zone
    start = datetime.combine(data.week.start, time(), tzinfo=zone)
    end = datetime.combine(data.week.end + timedelta(days=1), time(), tzinfo=zone)
    moves = stage_moves(data.engine, data.spec.team_id, start, end)
    if not moves:
        return None
    reached = " · ".join(f"{moves[stage]} {stage}" for stage in STAGES if moves[stage])
    overdue = overdue_count(data.engine, data.spec.team_id, data.week.end + timedelta(days=1))
    late = f"{overdue} pair{'s' if overdue != 1 else ''} overdue"
    return SectionPart(f"*Outreach pipeline* · this week: {reached} · {late} · `/match pipeline`")


def creator_levels(data: WeekData) -> SectionPart | None:
    """Creators whose level changed in the week (TikTok Shop refreshes levels monthly, so
    most weeks have none and show nothing); left out of one-category digests like feedback."""
    if data.spec.category is not None:
        return None
    moves = level_moves(data.engine, data.spec.team_id, data.week.start, data.week.end)
    if not moves:
        return None
    ups = [m for m in moves if m.level > m.previous_level]
    downs = [m for m in moves if m.level < m.previous_level]
    shown = " · ".join(
        f"@{escape(m.handle)} L{m.previous_level} → L{m.level}" for m in moves[:CHART_BARS]
    )
    more = f" · +{len(moves) - CHART_BARS} more" if len(moves) > CHART_BARS else ""
    return SectionPart(
        f"*Creator levels* · {len(ups)} up, {len(downs)} down: {shown}{more} · `/creator levels`"
    )
