"""What `/kpi` answers: from the user's words to a rendered snapshot or a helpful refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine

from bot.kpi.engine import resolve_today, snapshot
from bot.kpi.format import NumberStyle
from bot.kpi.periods import Period, PeriodError, day_period
from bot.kpi.query import KpiQuery, QueryError, parse_query
from bot.kpi.render import render_snapshot
from bot.replies import Reply, escape, problem
from bot.services import Services
from storage.kpis import reads as store
from storage.kpis.reads import Scope
from storage.sellers import close_matches, find_seller, list_sellers

SNAPSHOT_USAGE = (
    "/kpi [today|yesterday|week|month|YYYY-MM-DD..YYYY-MM-DD] [category:<name>] "
    "[seller:<name or id>]"
)


@dataclass(frozen=True)
class Resolved:
    scope: Scope
    label: str


def style_of(services: Services) -> NumberStyle:
    return NumberStyle(services.settings.currency, services.settings.locale)


def resolve_scope(engine: Engine, team_id: str, query: KpiQuery) -> Resolved:
    """The rows the question is about; QueryError naming close matches for unknown names."""
    category, seller_id, labels = None, None, []
    if query.category is not None:
        known = store.categories(engine, team_id)
        exact = [c for c in known if c.lower() == query.category.lower()]
        if not exact:
            raise QueryError(
                _unknown("category", query.category, close_matches(known, query.category))
            )
        category = exact[0]
        labels.append(category)
    if query.seller is not None:
        seller = find_seller(engine, team_id, query.seller)
        if seller is None:
            sellers = list_sellers(engine, team_id)
            matches = close_matches([s.name for s in sellers], query.seller)
            raise QueryError(_unknown("seller", query.seller, matches))
        seller_id = seller.id
        labels.append(seller.name)
    return Resolved(Scope(team_id, category, seller_id), " · ".join(labels) or "all sellers")


def _unknown(kind: str, name: str, matches: list[str]) -> str:
    hint = f" Did you mean {', '.join(f'`{kind}:{m}`' for m in matches)}?" if matches else ""
    return f"I don't know the {kind} `{name[:60]}`.{hint}"


def kpi_snapshot_reply(services: Services, team_id: str, text: str) -> Reply:
    """The answer to `/kpi …` (a snapshot, or what to type instead)."""
    today = services.today()
    try:
        query = parse_query(text, today)
        resolved = resolve_scope(services.engine, team_id, query)
    except (PeriodError, QueryError) as error:
        return problem(escape(str(error)), [SNAPSHOT_USAGE])
    period, note = _available(services.engine, resolved.scope, query.period, today)
    result = snapshot(
        services.engine, resolved.scope, period, resolved.label, services.settings.adoption_program
    )
    return render_snapshot(result, style_of(services), note)


def _available(engine: Engine, scope: Scope, period: Period, today: date) -> tuple[Period, str]:
    """For `today` without today's data: the latest complete day, and a note saying so."""
    if period.label != "today":
        return period, ""
    day, complete = resolve_today(engine, scope, today)
    if complete:
        return period, ""
    return day_period(
        day, "latest complete day"
    ), f"Today's data is not in yet; showing {day:%a %d %b}."
