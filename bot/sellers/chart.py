"""The seller's 90-day trend: GMV per day, and LIVE GMV beside it, as a PNG."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.engine import Engine

from bot.shared.chart_numbers import ChartNumbers, Kind
from bot.shared.charts import Series, chart_filename, day_span, line_chart
from bot.shared.language import _
from bot.shared.numbers import NumberStyle
from storage.kpis.reads import Scope, latest_day
from storage.sellers.activity import seller_days
from storage.sellers.profiles import seller_profile

CHART_DAYS = 90


def seller_chart(
    engine: Engine, team_id: str, seller_id: int, today: date, style: NumberStyle
) -> tuple[bytes, str, str]:
    """(PNG, file name, title) of the seller's GMV and LIVE GMV per day over the 90 days to
    the newest day with figures; a day without figures is a gap in the lines."""
    profile = seller_profile(engine, team_id, seller_id)
    last = latest_day(engine, Scope(team_id)) or today
    first = last - timedelta(days=CHART_DAYS - 1)
    by_day = {d.day: d for d in seller_days(engine, team_id, seller_id, first, last)}
    days = [first + timedelta(days=i) for i in range(CHART_DAYS)]
    gmv = [by_day[d].gmv_cents if d in by_day else None for d in days]
    live = [by_day[d].live_gmv_cents if d in by_day else None for d in days]
    title = _("{seller} · GMV per day").format(seller=profile.name)
    png = line_chart(
        title,
        _("{days} · LIVE GMV beside it").format(days=day_span(first, last)),
        days,
        [Series("GMV", gmv), Series("LIVE GMV", live)],
        ChartNumbers(Kind.MONEY, style),
        style.currency,
    )
    return png, chart_filename("seller", profile.name, first, last), title
