"""What `/kpi` answers: from the user's words to a rendered snapshot or a helpful refusal."""

from __future__ import annotations

from dataclasses import replace

from bot.kpi.definitions import Kpi
from bot.kpi.engine import Snapshot, available, snapshot
from bot.kpi.format import NumberStyle
from bot.kpi.render import render_snapshot
from bot.kpi.scope import understand
from bot.replies import Reply
from bot.services import Services
from storage.kpis import reads as store


def style_of(services: Services) -> NumberStyle:
    return NumberStyle(services.settings.currency, services.settings.locale)


def kpi_snapshot_reply(services: Services, team_id: str, text: str) -> Reply:
    """The answer to `/kpi …`: a snapshot; UserError for words it cannot use."""
    today = services.today()
    asked = understand(services.engine, team_id, text, today, services.settings.locale)
    resolved = asked.resolved
    latest = store.latest_day(services.engine, resolved.scope)
    period, note = available(asked.period, latest, today)
    result = snapshot(
        services.engine,
        resolved.scope,
        period,
        resolved.label,
        services.settings.adoption_program,
        data_until=latest,
    )
    return render_snapshot(led_by(result, asked.metric), style_of(services), note)


def led_by(result: Snapshot, metric: Kpi | None) -> Snapshot:
    """The snapshot with the metric asked for (`/kpi gmv`) as its first figure."""
    if metric is None:
        return result
    first = [f for f in result.figures if f.kpi.key == metric.key]
    return replace(result, figures=first + [f for f in result.figures if f.kpi.key != metric.key])
