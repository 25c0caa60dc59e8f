"""What `/kpi` answers: from the user's words to the headline, or the full snapshot with `full`
or its Details button, or a helpful refusal."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.engine import Engine

from bot.kpi.headline import render_headline
from bot.kpi.query import FULL
from bot.kpi.render import render_snapshot
from bot.kpi.scope import understand
from bot.services import Services
from bot.shared.kpis.definitions import Kpi
from bot.shared.kpis.engine import UNREAD, Snapshot, Unread, available, snapshot, stopped_early
from bot.shared.language import _
from bot.shared.numbers import style_of
from bot.shared.replies import Reply
from storage.errors import UserError
from storage.kpis import reads as store
from storage.kpis.reads import Scope

MAX_WORDS = 1000  # a Details button carries the words; Slack allows 2,000 characters in all


@dataclass(frozen=True)
class Asked:
    """A `/kpi` question as it was asked: the words after `/kpi`, the day, and the latest day
    with data then (None: none yet). The Details button carries it, so the full table it
    shows is the one `full` would have shown beside the headline, whenever it is pressed."""

    words: str
    today: date
    latest: date | None = None

    def to_value(self) -> str:
        latest = self.latest.isoformat() if self.latest else None
        data = {"w": self.words, "d": self.today.isoformat(), "l": latest}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_value(cls, value: str, today: date) -> Asked:
        """The question a Details button carries; UserError for a value the app never made
        (one asked after `today` included)."""
        try:
            data = json.loads(value)
            words, latest = data["w"], data["l"]
            if not isinstance(words, str) or len(words) > MAX_WORDS:
                raise ValueError(words)
            asked = cls(
                words,
                date.fromisoformat(data["d"]),
                date.fromisoformat(latest) if latest is not None else None,
            )
        except (ValueError, KeyError, TypeError):
            asked = None
        if asked is None or asked.today > today:
            raise UserError(_("That button does not hold a KPI question."), [f"/kpi today {FULL}"])
        return asked


def kpi_snapshot_reply(services: Services, team_id: str, text: str) -> Reply:
    """The answer to `/kpi …`: the headline, or every figure with `full`; UserError for words
    it cannot use."""
    return kpi_answer(services, team_id, text, services.today())


def kpi_details_reply(services: Services, team_id: str, value: str) -> Reply:
    """What the headline's Details button shows: the full snapshot `full` would have shown
    when the headline was asked for."""
    asked = Asked.from_value(value, services.today())
    return kpi_answer(services, team_id, asked.words, asked.today, latest=asked.latest, full=True)


def kpi_answer(
    services: Services,
    team_id: str,
    words: str,
    today: date,
    *,
    latest: date | Unread | None = UNREAD,
    full: bool = False,
) -> Reply:
    """The snapshot of `words` asked on `today`, the headline or (`full`, or `full` in the
    words) every figure; `latest` pins the latest day with data (UNREAD: read it now)."""
    locale = services.settings.locale
    understood = understand(services.engine, team_id, words, today, locale, full_switch=True)
    resolved = understood.resolved
    last, data_ends = data_days(services.engine, resolved.scope, latest)
    period, note = available(understood.period, last, today)
    if data_ends is not None and last is not None:
        period, stop = stopped_early(period, data_ends, last)
        note = f"{note} {stop}".strip()
    result = led_by(
        snapshot(
            services.engine,
            resolved.scope,
            period,
            resolved.label,
            services.settings.adoption_program,
            data_until=last,
        ),
        understood.metric,
    )
    if full or understood.full:
        return render_snapshot(result, style_of(services), note)
    words = " ".join(words.split())
    details = Asked(words, today, last).to_value() if len(words) <= MAX_WORDS else ""
    return render_headline(
        result,
        style_of(services),
        note,
        lead=understood.metric,
        details=details,
        full_command=" ".join(["/kpi", *words.split(), FULL]),
    )


def data_days(
    engine: Engine, scope: Scope, latest: date | Unread | None = UNREAD
) -> tuple[date | None, date | None]:
    """(the latest day an answer about `scope` runs to, and a seller's last day with data when
    it stops before that). A seller that stopped reporting is answered on the team's days,
    its missing days said (`stopped_early`); any other scope runs to its own latest day.
    `latest` pins the first (UNREAD: read it now)."""
    if scope.seller_id is not None:
        seller_last = store.seller_last_day(engine, scope.team_id, scope.seller_id)
        team = store.latest_day(engine, Scope(scope.team_id)) if latest is UNREAD else latest
        if seller_last is not None and team is not None and seller_last < team:
            return team, seller_last
    return (store.latest_day(engine, scope) if latest is UNREAD else latest), None


def led_by(result: Snapshot, metric: Kpi | None) -> Snapshot:
    """The snapshot with the metric asked for (`/kpi gmv`) as its first figure."""
    if metric is None:
        return result
    first = [f for f in result.figures if f.kpi.key == metric.key]
    return replace(result, figures=first + [f for f in result.figures if f.kpi.key != metric.key])
