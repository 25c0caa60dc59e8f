"""What a digest section is written against: the content's spec, the week's data it reads, and
the lines and charts it returns.

A section is a small provider (`Section`: a key and a function) that looks at the week
(`WeekData`) and returns its part (`SectionPart`: mrkdwn lines and charts), or None when it has
nothing to say. Each feature writes its own (bot/<feature>/digest_sections.py) and places it
in its declaration (bot.features: `Feature.digest`); the digest (bot.digest.content) puts the
parts together.

Equal `DigestSpec`s give equal digests, so the spec is the key under which a tick renders a
digest once for every channel that receives it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TypeVar
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.engine import Engine

from bot.shared.charts import chart_filename
from bot.shared.days import month_abbreviation
from bot.shared.kpis.definitions import ALL_CATEGORIES
from bot.shared.kpis.engine import Snapshot, snapshot, trend
from bot.shared.language import Speech, _
from bot.shared.numbers import NumberStyle
from bot.shared.periods import Period
from storage.kpis.reads import Scope

S = TypeVar("S")


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
    language: str = "en"
    """The digest's language (its channel's, bot.shared.speakers), with `locale` its formats."""
    program: str = "live"
    section_settings: tuple[Hashable, ...] = ()
    """The features' settings sections the digest's sections read (the sellers' gap
    thresholds…); a kind not given is read as its defaults (`setting`)."""

    @property
    def style(self) -> NumberStyle:
        return NumberStyle(self.currency, self.locale)

    @property
    def speech(self) -> Speech:
        return Speech(self.language, self.locale)

    @property
    def scope(self) -> Scope:
        """The rows the digest covers: the subscription's category (stored as the data spells
        it) or every category."""
        return Scope(self.team_id, self.category)

    @property
    def scope_label(self) -> str:
        return self.category or ALL_CATEGORIES

    def setting(self, kind: type[S]) -> S:
        """The settings section of `kind` the spec carries, else its defaults."""
        found = next((s for s in self.section_settings if isinstance(s, kind)), None)
        return found if found is not None else kind()


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


class WeekData:
    """What the sections read, each piece fetched once however many sections use it."""

    def __init__(self, engine: Engine, spec: DigestSpec) -> None:
        self.engine = engine
        self.spec = spec
        self.scope = spec.scope
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

    def chart_filename(self, key: str) -> str:
        """`gmv-by-day-home-and-living-2026-11-23-2026-11-29.png`: what, whose, which week."""
        return chart_filename(key, self.spec.scope_label, self.week.start, self.week.end)


SectionProvider = Callable[[WeekData], SectionPart | None]


@dataclass(frozen=True)
class Section:
    key: str
    provide: SectionProvider


def span(period: Period) -> str:
    """`9 – 15 Nov 2026`, `28 Sep – 4 Oct 2026`, `29 Dec 2025 – 4 Jan 2026` · `9. – 15. Nov.
    2026`, `28. Sept. – 4. Okt. 2026`, `29. Dez. 2025 – 4. Jan. 2026`."""
    start, end = period.start, period.end
    if start.year != end.year:
        return _("{start} {start_year} – {end} {end_year}").format(
            start=_day(start), start_year=start.year, end=_day(end), end_year=end.year
        )
    if start.month == end.month:
        return _("{start_day} – {end} {year}").format(
            start_day=start.day, end=_day(end), year=end.year
        )
    return _("{start} – {end} {year}").format(start=_day(start), end=_day(end), year=end.year)


def _day(day: date) -> str:
    return _("{day} {month}").format(day=day.day, month=month_abbreviation(day))
