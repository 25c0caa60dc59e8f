"""`/kpi chart [metric] [period] [category:…] [seller:…]`: a KPI per day, against the
previous period of the same length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.charts import line_chart
from bot.kpi.answers import style_of
from bot.kpi.definitions import CHARTABLE, Kpi, Unit
from bot.kpi.engine import trend
from bot.kpi.format import NumberStyle
from bot.kpi.periods import Period
from bot.kpi.query import CHART_WORDS
from bot.kpi.scope import understand
from bot.services import Services
from storage import kpis as store
from storage.kpis import FIGURE_COLUMNS

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class TrendChart:
    png: bytes
    title: str
    summary: str
    filename: str


def cannot_chart(typed: str) -> str:
    return f"I can't chart `{typed}`: pick one of {', '.join(CHARTABLE)}."


def _values(kpi: Kpi, frame_rows: list[dict[Any, Any]]) -> list[float | None]:
    values = []
    for sums in frame_rows:
        value = kpi.compute({**sums, "managed_sellers": 0, "active_sellers": 0})
        values.append(None if value is None else float(Decimal(value)))
    return values


def _axis(kpi: Kpi, style: NumberStyle) -> tuple[str, object]:
    if kpi.unit is Unit.MONEY:
        return style.currency, style.compact_money
    if kpi.unit is Unit.RATE:
        return "%", lambda v: style.rate(Decimal(str(v)))
    return kpi.label, style.compact_count


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
    resolved, period = asked.resolved, asked.period
    if period.is_day:  # a chart of one day says nothing: show the month that ends with it
        end = (
            (store.latest_day(services.engine, resolved.scope) or today)
            if period.is_today
            else period.start
        )
        period = Period(end - timedelta(days=DEFAULT_DAYS - 1), end, f"last {DEFAULT_DAYS} days")
    current = trend(services.engine, resolved.scope, period)
    previous = trend(services.engine, resolved.scope, period.previous())
    rows_now = current[list(FIGURE_COLUMNS)].to_dict("records")
    rows_before = previous[list(FIGURE_COLUMNS)].to_dict("records")
    style = style_of(services)
    label, formatter = _axis(kpi, style)
    values_now, values_before = _values(kpi, rows_now), _values(kpi, rows_before)
    title = f"{kpi.label} · {resolved.label} · {period.describe()}"
    png = line_chart(
        kpi.label,
        f"{resolved.label} · {period.describe()} · per day",
        list(current["day"]),
        [
            (period.describe(), [v or 0 for v in values_now]),
            (period.previous().describe(), [v or 0 for v in values_before]),
        ],
        label,
        formatter,  # type: ignore[arg-type]
    )
    known = [v for v in values_now if v is not None]
    summary = f"{title}: {len(known)} days with data"
    if known and kpi.additive:
        total = sum(Decimal(str(v)) for v in known)
        summary += f", total {style.value(kpi, total)}"
    return TrendChart(png, title, summary, f"kpi-{kpi.key}-{period.start}-{period.end}.png")


__all__ = ["TrendChart", "kpi_trend_chart"]
