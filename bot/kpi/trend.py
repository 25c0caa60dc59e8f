"""`/kpi chart [metric] [period] [category:…] [seller:…]`: a KPI per day, against the
previous period of the same length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
from matplotlib.figure import Figure
from sqlalchemy.engine import Engine

from bot.kpi.answers import data_days
from bot.kpi.render import compared_days
from bot.kpi.scope import ResolvedScope, understand
from bot.services import Services
from bot.shared.chart_numbers import ChartNumbers, Kind
from bot.shared.charts import Series, chart_filename, day_span, line_figure, png
from bot.shared.kpis.definitions import CHART_WORDS, CHARTABLE, Kpi
from bot.shared.kpis.engine import available, trend
from bot.shared.language import _, ngettext
from bot.shared.numbers import NumberStyle, Unit, style_of
from bot.shared.periods import Period
from bot.shared.replies import escape, shown
from storage.errors import UserError
from storage.kpis.models import FIGURE_COLUMNS

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class TrendChart:
    png: bytes
    title: str  # plain text (the file's title and the image's alt text)
    summary: str  # mrkdwn (the upload's comment)
    filename: str


def cannot_chart(typed: str) -> str:
    return _("I can't chart `{typed}`: pick one of {metrics}.").format(
        typed=typed, metrics=", ".join(CHARTABLE)
    )


@dataclass(frozen=True)
class TrendSeries:
    """What a trend chart is drawn from: the KPI on each day of the period and of the period
    before it, day by day; None where a day has no data (or the KPI cannot be computed)."""

    kpi: Kpi
    scope_label: str
    period: Period
    days: list[date]
    current: list[float | None]
    previous: list[float | None]

    @property
    def compared(self) -> bool:
        return any(v is not None for v in self.previous)


def _values(kpi: Kpi, frame: pd.DataFrame) -> list[float | None]:
    values: list[float | None] = []
    for sums in frame[list(FIGURE_COLUMNS)].to_dict("records"):
        if any(pd.isna(v) for v in sums.values()):  # no rows that day: no figure, not zero
            values.append(None)
            continue
        figures = {str(column): int(v) for column, v in sums.items()}
        value = kpi.compute({**figures, "managed_sellers": 0, "active_sellers": 0})
        values.append(None if value is None else float(Decimal(value)))
    return values


def trend_series(engine: Engine, resolved: ResolvedScope, kpi: Kpi, period: Period) -> TrendSeries:
    current = trend(engine, resolved.scope, period)
    previous = trend(engine, resolved.scope, period.previous())
    return TrendSeries(
        kpi,
        resolved.label,
        period,
        list(current["day"]),
        _values(kpi, current),
        _values(kpi, previous),
    )


def _numbers(kpi: Kpi, style: NumberStyle) -> tuple[ChartNumbers, str]:
    if kpi.unit is Unit.MONEY:
        return ChartNumbers(Kind.MONEY, style), style.currency
    if kpi.unit is Unit.RATE:
        return ChartNumbers(Kind.RATE, style), kpi.name
    return ChartNumbers(Kind.COUNT, style), kpi.name


def trend_figure(series: TrendSeries, style: NumberStyle) -> Figure:
    """The KPI per day, the period before it dashed beside it when it has any data."""
    now, before = series.period, series.period.previous()
    shown_now, shown_before = day_span(now.start, now.end), day_span(before.start, before.end)
    compared = compared_days(shown_now, shown_before, series.compared)
    numbers, label = _numbers(series.kpi, style)
    return line_figure(
        series.kpi.name,
        _("{scope} · per day · {compared}").format(scope=series.scope_label, compared=compared),
        series.days,
        [Series(shown_now, series.current), Series(shown_before, series.previous)],
        numbers,
        label,
    )


def kpi_trend_chart(services: Services, team_id: str, text: str) -> TrendChart:
    """The chart to post; UserError for words it cannot use."""
    today = services.today()
    asked = understand(
        services.engine,
        team_id,
        text,
        today,
        services.settings.locale,
        metrics=CHART_WORDS,
        refusal=cannot_chart,
    )
    kpi = asked.metric or next(iter(CHARTABLE.values()))
    resolved = asked.resolved
    # The same fallback as /kpi: a period to date ends at the latest day with data; a seller's
    # whose data stopped ends at the team's, its missing days left blank.
    period, _note = available(asked.period, data_days(services.engine, resolved.scope)[0], today)
    if period.is_day:  # a chart of one day says nothing: show the month that ends with it
        end = period.start
        period = Period(end - timedelta(days=DEFAULT_DAYS - 1), end, f"last {DEFAULT_DAYS} days")
    series = trend_series(services.engine, resolved, kpi, period)
    known = [v for v in series.current if v is not None]
    if not known:  # an empty frame would say less than a sentence
        raise UserError(
            _("There is no {metric} for {period} in {scope}, so there is nothing to chart.").format(
                metric=kpi.name, period=period.describe(), scope=shown(resolved.label, 100)
            ),
            [f"/kpi chart {kpi.key} last month", "/shopbot status"],
        )
    style = style_of(services)
    title = f"{kpi.name} · {resolved.label} · {period.describe()}"
    image = png(trend_figure(series, style))
    days = ngettext("{count} day with data", "{count} days with data", len(known)).format(
        count=style.count(len(known))
    )
    summary = f"{escape(title)}: {days}"
    if known and kpi.additive:
        total = sum(Decimal(str(v)) for v in known)
        summary += _(", total {total}").format(total=style.value(kpi, total))
    filename = chart_filename(kpi.key, resolved.label, period.start, period.end)
    return TrendChart(image, title, summary, filename)


__all__ = ["TrendChart", "TrendSeries", "kpi_trend_chart", "trend_figure", "trend_series"]
