"""What `/kpi` answers: from the user's words to a rendered snapshot or a helpful refusal."""

from __future__ import annotations

from datetime import date

from bot.kpi.engine import resolve_today, snapshot
from bot.kpi.format import NumberStyle
from bot.kpi.periods import Period
from bot.kpi.query import parse_query
from bot.kpi.render import render_snapshot
from bot.kpi.scope import resolve_scope
from bot.replies import Reply
from bot.services import Services
from storage.kpis import reads as store


def style_of(services: Services) -> NumberStyle:
    return NumberStyle(services.settings.currency, services.settings.locale)


def kpi_snapshot_reply(services: Services, team_id: str, text: str) -> Reply:
    """The answer to `/kpi …`: a snapshot; UserError for words it cannot use."""
    today = services.today()
    query = parse_query(text, today)
    resolved = resolve_scope(services.engine, team_id, query.category, query.seller)
    latest = store.latest_day(services.engine, resolved.scope)
    period, note = _available(query.period, latest, today)
    result = snapshot(
        services.engine,
        resolved.scope,
        period,
        resolved.label,
        services.settings.adoption_program,
        data_until=latest,
    )
    return render_snapshot(result, style_of(services), note)


def _available(period: Period, latest: date | None, today: date) -> tuple[Period, str]:
    """A period that runs up to today ends at the latest day with data: today, this week and
    this month fall back the same way, to the day, week or month to that day, and say so."""
    if not period.to_date:
        return period, ""
    day, complete = resolve_today(latest, today)
    if complete or day >= period.end:
        return period, ""
    shown = period.as_of(day)
    if period.unit == "day":
        what = f"{day:%a %d %b}"
    else:
        what = f"{shown.label} to {day:%a %d %b}" if shown.to_date else shown.label
    return shown, f"Today's data is not in yet; showing {what}."
