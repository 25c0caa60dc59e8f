"""The digest's content: what decides it, what it is made of, and how it is put together.

A digest is a message text (the key numbers, searchable and copyable) plus charts. It is
composed from sections, each a small provider that looks at the week and returns its lines and
charts, or nothing when it has nothing to say. The features declare theirs, each at its place
(bot.features: `Feature.digest`), and the services carry them (`Services.features`).

Equal `DigestSpec`s give equal digests, so the spec is the key under which a tick renders a
digest once for every channel that receives it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.engine import Engine

from bot.kpi.scope import ALL_CATEGORIES, ResolvedScope, known_scope
from bot.sellers.thresholds import GapThresholds
from bot.shared.kpis.engine import Snapshot, snapshot, trend
from bot.shared.numbers import NumberStyle
from bot.shared.periods import Period
from bot.shared.replies import escape


@dataclass(frozen=True)
class DigestSpec:
    """Everything the content depends on (and nothing about where it goes)."""

    team_id: str
    week: Period
    category: str | None
    timezone: str
    sections: tuple[str, ...] = ()  # section keys; empty: every section
    currency: str = "USD"
    locale: str = "en_US"
    program: str = "live"
    gap_thresholds: GapThresholds = field(default_factory=GapThresholds)

    @property
    def style(self) -> NumberStyle:
        return NumberStyle(self.currency, self.locale)

    @property
    def scope(self) -> ResolvedScope:
        """The rows the digest covers: the subscription's category (stored as the data spells
        it) or every category."""
        return known_scope(self.team_id, self.category, everything=ALL_CATEGORIES)

    @property
    def scope_label(self) -> str:
        return self.scope.label


@dataclass(frozen=True)
class Chart:
    key: str  # short and file-name safe: "gmv-by-day"
    title: str
    png: bytes
    filename: str = ""  # with the scope and week; the key's when not given

    @property
    def file_name(self) -> str:
        return self.filename or f"{self.key}.png"


@dataclass(frozen=True)
class SectionPart:
    """What one section adds: mrkdwn lines for the message, and charts."""

    text: str = ""
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class Digest:
    spec: DigestSpec
    title: str
    text: str
    charts: tuple[Chart, ...]
    has_data: bool


class WeekData:
    """What the sections read, each piece fetched once however many sections use it."""

    def __init__(self, engine: Engine, spec: DigestSpec) -> None:
        self.engine = engine
        self.spec = spec
        self.scope = spec.scope.scope
        self.style = spec.style

    @property
    def week(self) -> Period:
        return self.spec.week

    @property
    def previous(self) -> Period:
        return self.spec.week.previous()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.spec.timezone)

    @cached_property
    def snapshot(self) -> Snapshot:
        return snapshot(
            self.engine, self.scope, self.week, self.spec.scope_label, self.spec.program
        )

    @cached_property
    def days(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(the week's days, the week before's), one row per day, <NA> where a day has no
        data."""
        return trend(self.engine, self.scope, self.week), trend(
            self.engine, self.scope, self.previous
        )


SectionProvider = Callable[[WeekData], SectionPart | None]


@dataclass(frozen=True)
class Section:
    key: str
    provide: SectionProvider


def span(period: Period) -> str:
    """`9 – 15 Nov 2026`, `28 Sep – 4 Oct 2026`, `29 Dec 2025 – 4 Jan 2026`."""
    start, end = period.start, period.end
    if start.year != end.year:
        return f"{_day(start)} {start.year} – {_day(end)} {end.year}"
    first = str(start.day) if start.month == end.month else _day(start)
    return f"{first} – {_day(end)} {end.year}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def digest_title(spec: DigestSpec) -> str:
    return f"Weekly digest · {spec.scope_label} · {span(spec.week)}"


def compose_digest(engine: Engine, spec: DigestSpec, sections: Sequence[Section]) -> Digest:
    """The digest for `spec`: every chosen section's lines and charts, or, for a week without
    figures, a short note and no chart at all."""
    data = WeekData(engine, spec)
    title = digest_title(spec)
    if not data.snapshot.has_data:
        return Digest(spec, title, no_data_note(title, data), (), has_data=False)
    chosen = [s for s in sections if not spec.sections or s.key in spec.sections]
    parts = [part for s in chosen if (part := s.provide(data)) is not None]
    heading = f"*{escape(title)}* (vs {span(data.previous)})"
    texts = [heading, *(p.text for p in parts if p.text), footer(data)]
    charts = tuple(chart for p in parts for chart in p.charts)
    return Digest(spec, title, "\n\n".join(texts), charts, has_data=True)


def no_data_note(title: str, data: WeekData) -> str:
    latest = data.snapshot.data_until
    seen = f"The latest figures are from {latest:%a %d %b %Y}." if latest else "No data yet."
    return (
        f"*{escape(title)}*\nNo data for this week: nothing was imported for {span(data.week)}. "
        f"{seen} Import the week's KPI sheet with `/kpi import`, then `/digest preview`."
    )


def footer(data: WeekData) -> str:
    latest = data.snapshot.data_until
    until = f"Data up to {latest:%a %d %b %Y}" if latest else "No data yet"
    if latest is not None and latest < data.week.end:
        until += f" (the figures after {latest:%a %d %b} are not in yet)"
    return f"_{until} · weeks run Monday to Sunday · `/digest help`_"
