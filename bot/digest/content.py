"""The digest's content: what decides it, what it is made of, and how it is put together.

A digest is a message text (the key numbers, searchable and copyable) plus charts. It is
composed from sections, each a small provider that looks at the week and returns its lines and
charts, or nothing when it has nothing to say. The features declare theirs, each at its place
(bot.features: `Feature.digest`), and the services carry them (`Services.features`).

What a section is written against (the spec, the week's data, a section's part) is in
bot.shared.digest_section, so that a feature writes its sections without importing the digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.shared.days import weekday_day, weekday_short_day
from bot.shared.digest_section import Chart, DigestSpec, Section, WeekData
from bot.shared.kpis.definitions import scope_name
from bot.shared.kpis.weeks import week_name
from bot.shared.language import _, speaking
from bot.shared.replies import escape


@dataclass(frozen=True)
class Digest:
    spec: DigestSpec
    title: str
    text: str
    charts: tuple[Chart, ...]
    has_data: bool


def digest_title(spec: DigestSpec) -> str:
    return _("Weekly digest · {scope} · {week}").format(
        scope=scope_name(spec.category), week=week_name(spec.week)
    )


def compose_digest(engine: Engine, spec: DigestSpec, sections: Sequence[Section]) -> Digest:
    """The digest for `spec`, in its language: every chosen section's lines and charts, or,
    for a week without figures, a short note and no chart at all."""
    with speaking(spec.speech):
        return _composed(engine, spec, sections)


def _composed(engine: Engine, spec: DigestSpec, sections: Sequence[Section]) -> Digest:
    data = WeekData(engine, spec)
    title = digest_title(spec)
    if not data.snapshot.has_data:
        return Digest(spec, title, no_data_note(title, data), (), has_data=False)
    chosen = [s for s in sections if not spec.sections or s.key in spec.sections]
    parts = [part for s in chosen if (part := s.provide(data)) is not None]
    heading = f"*{escape(title)}* " + _("(vs {week})").format(week=week_name(data.previous))
    texts = [heading, *(p.text for p in parts if p.text), footer(data)]
    charts = tuple(chart for p in parts for chart in p.charts)
    return Digest(spec, title, "\n\n".join(texts), charts, has_data=True)


def no_data_note(title: str, data: WeekData) -> str:
    latest = data.snapshot.data_until
    seen = (
        _("The latest figures are from {day}.").format(day=weekday_day(latest))
        if latest
        else _("No data yet.")
    )
    nothing = _("No data for this week: nothing was imported for {week}.").format(
        week=week_name(data.week)
    )
    then = _("Import the week's KPI sheet with `/kpi import`, then `/digest preview`.")
    return f"*{escape(title)}*\n{nothing} {seen} {then}"


def footer(data: WeekData) -> str:
    latest = data.snapshot.data_until
    until = _("Data up to {day}").format(day=weekday_day(latest)) if latest else _("No data yet")
    if latest is not None and latest < data.week.end:
        until += " " + _("(the figures after {day} are not in yet)").format(
            day=weekday_short_day(latest)
        )
    weeks = _("weeks run Monday to Sunday")
    return f"_{until} · {weeks} · `/digest help`_"
