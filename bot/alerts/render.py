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
from bot.shared.days import clock, short_day, weekday_day, weekday_name, weekday_short_day
from bot.shared.kpis.definitions import Kpi
from bot.shared.language import _, ngettext
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
        return _("unusual for its weekday (median of the same weekday in the previous 8 weeks)")
    if terms.kind in ("drop", "rise"):
        against = (
            _("the trailing 7-day average")
            if terms.baseline == "trailing"
            else _("the same weekday last week")
        )
        rule = (
            _("drop {percent}% vs {against}")
            if terms.kind == "drop"
            else _("rise {percent}% vs {against}")
        )
        return rule.format(percent=terms.percent, against=against)
    assert terms.threshold is not None
    rule = _("below {value}") if terms.kind == "below" else _("above {value}")
    return rule.format(value=style.value(kpi, terms.threshold))


def _range(verdict: Verdict, kpi: Kpi, style: NumberStyle) -> str:
    low = style.value(kpi, verdict.low) if verdict.low is not None else None
    high = style.value(kpi, verdict.high) if verdict.high is not None else None
    if low and high:
        return f"{low} – {high}"
    if low:
        return _("at least {value}").format(value=low)
    return _("at most {value}").format(value=high)


def _how_far(verdict: Verdict, kpi: Kpi, style: NumberStyle, terms: RuleTerms) -> str:
    share = round(verdict.severity * 100)
    what = {
        "unusual": _("the usual {weekday}").format(weekday=weekday_name(verdict.day)),
        "below": _("the threshold"),
        "above": _("the threshold"),
    }.get(
        terms.kind,
        _("the trailing 7-day average")
        if terms.baseline == "trailing"
        else weekday_short_day(verdict.day - timedelta(days=7)),
    )
    how = (
        _("{share}% below {what} ({expected})")
        if verdict.below
        else _("{share}% above {what} ({expected})")
    )
    text = how.format(share=share, what=what, expected=style.value(kpi, verdict.expected))
    if verdict.spread:
        edge = verdict.low if verdict.below else verdict.high
        assert edge is not None
        spreads = abs(verdict.value - edge) / verdict.spread
        text += _(
            ", {spreads} × the weekday's usual spread (scaled MAD) beyond the edge of the range"
        ).format(spreads=style.decimal(spreads, 1))
    return text


def _explained(parts: Sequence[Contribution], kind: str, kpi: Kpi, style: NumberStyle) -> str:
    shown = []
    for part in parts:
        change = style.value(kpi, abs(part.change))
        sign = "−" if part.change < 0 else "+"
        share = (
            _(", {share}% of the change").format(share=round(part.share * 100))
            if part.share is not None
            else ""
        )
        shown.append(f"{escape(part.name)} {sign}{change}{share}")
    heading = (
        _("*Explained mostly by sellers:*")
        if kind == "sellers"
        else _("*Explained mostly by categories:*")
    )
    return f"{heading} " + " · ".join(shown)


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
    if terms.kind in ("below", "above"):
        said = _("{what} is at {value} on {day}")
    elif verdict.below:
        said = _("{what} fell to {value} on {day}")
    else:
        said = _("{what} rose to {value} on {day}")
    headline = ":rotating_light: " + said.format(
        what=f"*{kpi.name} · {escape(scope_label)}*",
        value=f"*{style.value(kpi, verdict.value)}*",
        day=weekday_day(verdict.day),
    )
    lines = [
        headline,
        _("Expected range: {range}; the value is {how}.").format(
            range=_range(verdict, kpi, style), how=_how_far(verdict, kpi, style, terms)
        ),
    ]
    if worsened_from is not None:
        lines.append(
            _(
                "Worse than when this alert last spoke ({share}% off): the condition has lasted "
                "since then."
            ).format(share=round(worsened_from * 100))
        )
    if sellers:
        lines.append(_explained(sellers, "sellers", kpi, style))
    if categories:
        lines.append(_explained(categories, "categories", kpi, style))
    if not sellers and not categories and not kpi.additive:
        lines.append(_("_A ratio is not split by seller; `/kpi` shows its parts._"))
    lines.append(
        _("_Alert {number}: {rule}._").format(number=number, rule=describe_rule(terms, kpi, style))
    )
    off = (_("{share}% below expected") if verdict.below else _("{share}% above expected")).format(
        share=round(verdict.severity * 100)
    )
    summary = (
        f"{weekday_short_day(verdict.day)} · {kpi.name} · {scope_label}: "
        f"{style.value(kpi, verdict.value)}, {off}"
    )
    return AlertNews("\n".join(lines), summary)


def _mute_button(number: int) -> ButtonElement:
    """Carries the rule's number, as the post names it."""
    text = ngettext("Mute for {count} day", "Mute for {count} days", MUTE_DAYS).format(
        count=MUTE_DAYS
    )
    return ButtonElement(text=text, action_id=MUTE, value=str(number))


def alert_blocks(text: str, firing_id: int, number: int) -> list[Block]:
    acknowledge = ButtonElement(
        text=_("Acknowledge"), action_id=ACKNOWLEDGE, value=str(firing_id), style="primary"
    )
    return [section(text), ActionsBlock(elements=[acknowledge, _mute_button(number)])]


def acknowledged_blocks(text: str, number: int, user_id: str, when: datetime) -> list[Block]:
    """The alert once acknowledged: who and when instead of the button; Mute stays."""
    return [
        section(text),
        context(
            _(":white_check_mark: Acknowledged by {user} at {time} {day} UTC").format(
                user=f"<@{user_id}>", time=clock(when), day=short_day(when.date())
            )
        ),
        ActionsBlock(elements=[_mute_button(number)]),
    ]


def _numbers(kpi: Kpi, style: NumberStyle) -> tuple[ChartNumbers, str]:
    if kpi.unit is Unit.MONEY:
        return ChartNumbers(Kind.MONEY, style), style.currency
    if kpi.unit is Unit.RATE:
        return ChartNumbers(Kind.RATE, style), kpi.name
    return ChartNumbers(Kind.COUNT, style), kpi.name


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
        kpi.name,
        _("{scope} · per day · the expected range shaded").format(scope=scope_label),
        days,
        [
            Series(kpi.name, [float(values[d]) if d in values else None for d in days]),
            Series(_("expected low"), low),
            Series(_("expected high"), high),
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
