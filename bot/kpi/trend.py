"""`/kpi chart [metric] [period] [category:…] [seller:…]`: a KPI per day, against the
previous period of the same length."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.charts import line_chart
from bot.kpi.answers import style_of
from bot.kpi.definitions import CHART_ALIASES, CHARTABLE, Kpi, Unit
from bot.kpi.engine import trend
from bot.kpi.format import NumberStyle
from bot.kpi.periods import PERIOD_STARTS, Period
from bot.kpi.query import parse_query
from bot.kpi.scope import resolve_scope
from bot.replies import shown
from bot.services import Services
from storage.errors import UserError
from storage.kpis import reads as store
from storage.models import FIGURE_COLUMNS

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class TrendChart:
    png: bytes
    title: str
    summary: str
    filename: str


def _metric(text: str) -> tuple[Kpi, str]:
    """The metric named first (default: the first chartable, GMV) and the rest of the words."""
    first, _, rest = text.strip().partition(" ")
    word = first.lower()
    key = CHART_ALIASES.get(word, word)
    if key in CHARTABLE:
        return CHARTABLE[key], rest
    if re.fullmatch(r"[a-z_]+", word) and word not in PERIOD_STARTS:
        raise UserError(f"I can't chart `{shown(first, 30)}`: pick one of {', '.join(CHARTABLE)}.")
    return next(iter(CHARTABLE.values())), text


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
    kpi, rest = _metric(text)
    today = services.today()
    query = parse_query(rest, today)
    resolved = resolve_scope(services.engine, team_id, query.category, query.seller)
    period = query.period
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
