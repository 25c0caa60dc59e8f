"""An alert as people read it: the metric, the value, the expected range and how far outside
it the value is, the sellers (or categories) that explain the change, and a chart of the last
eight weeks with the expected band; buttons to acknowledge it or mute the rule for 7 days."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import matplotlib.dates as mdates
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.alerts.contributions import Contribution
from bot.alerts.judge import RuleTerms, Verdict, judge
from bot.shared.chart_numbers import ChartNumbers, Kind
from bot.shared.charts import PALETTE, Series, line_figure, png
from bot.shared.kpis.definitions import Kpi
from bot.shared.numbers import NumberStyle, Unit
from bot.shared.replies import context, escape, section

ACKNOWLEDGE = "alert_acknowledge"
MUTE = "alert_mute"
MUTE_DAYS = 7
CHART_WEEKS = 8


@dataclass(frozen=True)
class AlertNews:
    """What a firing says: built once when it is claimed, stored with it, shown again when
    someone acknowledges it."""

    text: str  # the whole alert, mrkdwn
    summary: str  # one line for the App Home


def describe_rule(terms: RuleTerms, kpi: Kpi, style: NumberStyle) -> str:
    """`unusual vs the same weekday of the previous 8 weeks`, `drop 30% vs last week`, …"""
    if terms.kind == "unusual":
        return "unusual for its weekday (median of the same weekday in the previous 8 weeks)"
    if terms.kind in ("drop", "rise"):
        against = (
            "the trailing 7-day average"
            if terms.baseline == "trailing"
            else ("the same weekday last week")
        )
        return f"{terms.kind} {terms.percent}% vs {against}"
    assert terms.threshold is not None
    return f"{terms.kind} {style.value(kpi, terms.threshold)}"


def _range(verdict: Verdict, kpi: Kpi, style: NumberStyle) -> str:
    low = style.value(kpi, verdict.low) if verdict.low is not None else None
    high = style.value(kpi, verdict.high) if verdict.high is not None else None
    if low and high:
        return f"{low} – {high}"
    return f"at least {low}" if low else f"at most {high}"


def _how_far(verdict: Verdict, kpi: Kpi, style: NumberStyle, terms: RuleTerms) -> str:
    share = round(verdict.severity * 100)
    direction = "below" if verdict.below else "above"
    what = {
        "unusual": f"the usual {verdict.day:%A}",
        "below": "the threshold",
        "above": "the threshold",
    }.get(
        terms.kind,
        "the trailing 7-day average"
        if terms.baseline == "trailing"
        else (f"{verdict.day - timedelta(days=7):%a %d %b}"),
    )
    text = f"{share}% {direction} {what} ({style.value(kpi, verdict.expected)})"
    if verdict.spread:
        edge = verdict.low if verdict.below else verdict.high
        assert edge is not None
        spreads = abs(verdict.value - edge) / verdict.spread
        text += (
            f", {spreads:.1f} × the weekday's usual spread (scaled MAD) beyond the edge of "
            "the range"
        )
    return text


def _explained(parts: Sequence[Contribution], kind: str, kpi: Kpi, style: NumberStyle) -> str:
    shown = []
    for part in parts:
        change = style.value(kpi, abs(part.change))
        sign = "−" if part.change < 0 else "+"
        share = f", {round(part.share * 100)}% of the change" if part.share is not None else ""
        shown.append(f"{escape(part.name)} {sign}{change}{share}")
    return f"*Explained mostly by {kind}:* " + " · ".join(shown)


def compose(
    *,
    number: int,
    kpi: Kpi,
    scope_label: str,
    terms: RuleTerms,
    verdict: Verdict,
    sellers: Sequence[Contribution],
    categories: Sequence[Contribution],
    style: NumberStyle,
    worsened_from: Decimal | None = None,
) -> AlertNews:
    """The alert's text (mrkdwn) and its one-line summary."""
    verb = "fell to" if verdict.below else "rose to"
    if terms.kind in ("below", "above"):
        verb = "is at"
    headline = (
        f":rotating_light: *{kpi.label} · {escape(scope_label)}* {verb} "
        f"*{style.value(kpi, verdict.value)}* on {verdict.day:%a %d %b %Y}"
    )
    lines = [
        headline,
        f"Expected range: {_range(verdict, kpi, style)}; the value is "
        f"{_how_far(verdict, kpi, style, terms)}.",
    ]
    if worsened_from is not None:
        lines.append(
            f"Worse than when this alert last spoke ({round(worsened_from * 100)}% off): the "
            "condition has lasted since then."
        )
    if sellers:
        lines.append(_explained(sellers, "sellers", kpi, style))
    if categories:
        lines.append(_explained(categories, "categories", kpi, style))
    if not sellers and not categories and not kpi.additive:
        lines.append("_A ratio is not split by seller; `/kpi` shows its parts._")
    lines.append(f"_Alert {number}: {describe_rule(terms, kpi, style)}._")
    summary = (
        f"{verdict.day:%a %d %b} · {kpi.label} · {scope_label}: {style.value(kpi, verdict.value)}, "
        f"{round(verdict.severity * 100)}% {'below' if verdict.below else 'above'} expected"
    )
    return AlertNews("\n".join(lines), summary)


def _mute_button(number: int) -> ButtonElement:
    """Carries the rule's number, as the post names it."""
    return ButtonElement(text=f"Mute for {MUTE_DAYS} days", action_id=MUTE, value=str(number))


def alert_blocks(text: str, firing_id: int, number: int) -> list[Block]:
    acknowledge = ButtonElement(
        text="Acknowledge", action_id=ACKNOWLEDGE, value=str(firing_id), style="primary"
    )
    return [section(text), ActionsBlock(elements=[acknowledge, _mute_button(number)])]


def acknowledged_blocks(text: str, number: int, user_id: str, when: datetime) -> list[Block]:
    """The alert once acknowledged: who and when instead of the button; Mute stays."""
    return [
        section(text),
        context(f":white_check_mark: Acknowledged by <@{user_id}> at {when:%H:%M %d %b} UTC"),
        ActionsBlock(elements=[_mute_button(number)]),
    ]


def _numbers(kpi: Kpi, style: NumberStyle) -> tuple[ChartNumbers, str]:
    if kpi.unit is Unit.MONEY:
        return ChartNumbers(Kind.MONEY, style), style.currency
    if kpi.unit is Unit.RATE:
        return ChartNumbers(Kind.RATE, style), kpi.label
    return ChartNumbers(Kind.COUNT, style), kpi.label


def alert_chart(
    kpi: Kpi,
    scope_label: str,
    terms: RuleTerms,
    values: dict[date, Decimal],
    day: date,
    style: NumberStyle,
) -> bytes:
    """The last eight weeks of the metric with the expected band of each day (where its own
    history allows one), the alert's day marked."""
    days = [day - timedelta(days=n) for n in range(CHART_WEEKS * 7 - 1, -1, -1)]
    verdicts = [judge(terms, values, d) for d in days]
    low = [float(v.low) if v is not None and v.low is not None else None for v in verdicts]
    high = [float(v.high) if v is not None and v.high is not None else None for v in verdicts]
    numbers, label = _numbers(kpi, style)
    figure = line_figure(
        kpi.label,
        f"{scope_label} · per day · the expected range shaded",
        days,
        [
            Series(kpi.label, [float(values[d]) if d in values else None for d in days]),
            Series("expected low", low),
            Series("expected high", high),
        ],
        numbers,
        label,
    )
    axes = figure.axes[0]
    x = mdates.date2num(days)
    floor = [
        lo if lo is not None else (hi if hi is not None else float("nan"))
        for lo, hi in zip(low, high, strict=True)
    ]
    ceiling = [
        hi if hi is not None else (lo if lo is not None else float("nan"))
        for lo, hi in zip(low, high, strict=True)
    ]
    axes.fill_between(x, floor, ceiling, color=PALETTE[2], alpha=0.18, linewidth=0)
    axes.axvline(float(x[-1]), color=PALETTE[3], linewidth=1.5, linestyle=":")
    return png(figure)
