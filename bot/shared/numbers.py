"""Numbers as the team reads them: the locale's separators, the shop's currency, rounding only
here at display, and "—" where a figure cannot be computed; and how a stop in the data is said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from babel import Locale
from babel.numbers import (
    NumberPattern,
    format_compact_decimal,
    format_currency,
    format_decimal,
    parse_pattern,
)

from bot.shared.days import weekday_day
from bot.shared.language import _, ngettext, speech_or, workspace_speech

if TYPE_CHECKING:  # the services carry the settings the style is read from
    from bot.services import Services

MISSING = "—"


class Unit(Enum):
    """What a figure counts in."""

    MONEY = "money"  # value in cents (Decimal when divided)
    COUNT = "count"
    RATE = "rate"  # a fraction, shown as a percentage


class Measured(Protocol):
    """A figure's kind (a KPI): what it counts in, and which way is good."""

    @property
    def unit(self) -> Unit: ...

    @property
    def higher_is_better(self) -> bool: ...


# Pure memos of pure functions of their arguments (locale and pattern parsing), per process.
@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=16)
def _pattern(text: str) -> NumberPattern:
    """Parsed once per process, not once per number."""
    return parse_pattern(text)


POINTS = "#,##0.00"  # percentage points: a rate's change, 0.25 pt


@lru_cache(maxsize=16)
def percent_pattern(locale_name: str) -> str:
    """A percentage with one decimal, as the locale writes percentages: `12.3%` in English,
    `12,3 %` in German (the locale's own pattern, its space included)."""
    pattern = _locale(locale_name).percent_formats[None].pattern
    return pattern.replace("0", "0.0", 1) if "." not in pattern else pattern


@lru_cache(maxsize=16)
def _zero(pattern: str, locale_name: str) -> str:
    """Zero in the pattern, which every change is compared with to show "unchanged"."""
    return _pattern(pattern).apply(Decimal(0), _locale(locale_name))


def _decimal_pattern(digits: int) -> str:
    return "#,##0." + "0" * digits if digits else "#,##0"


@dataclass(frozen=True)
class NumberStyle:
    currency: str = "USD"
    locale_name: str = "en_US"

    @property
    def locale(self) -> Locale:
        """Parsed once per process: a reply formats a hundred numbers."""
        return _locale(self.locale_name)

    def money(self, cents: Decimal | int | None) -> str:
        if cents is None:
            return MISSING
        return format_currency(Decimal(cents) / 100, self.currency, locale=self.locale)

    def compact_count(self, value: float) -> str:
        return format_compact_decimal(value, locale=self.locale, fraction_digits=1)

    def count(self, value: Decimal | int | None) -> str:
        if value is None:
            return MISSING
        return format_decimal(round(Decimal(value)), locale=self.locale)

    def rate(self, value: Decimal | None) -> str:
        """`12.3%` · `12,3 %`: a fraction as a percentage."""
        if value is None:
            return MISSING
        return _pattern(percent_pattern(self.locale_name)).apply(value, self.locale)

    def decimal(self, value: Decimal | float | int | None, digits: int = 1) -> str:
        """`3.3` · `3,3`: a number with `digits` decimals (a score, GPM, hours, a ratio)."""
        if value is None:
            return MISSING
        return _pattern(_decimal_pattern(digits)).apply(Decimal(str(value)), self.locale)

    def value(self, kpi: Measured, value: Decimal | int | None) -> str:
        if kpi.unit is Unit.MONEY:
            return self.money(value)
        if kpi.unit is Unit.RATE:
            return self.rate(Decimal(value) if value is not None else None)
        return self.count(value)

    def points(self, change: Decimal) -> str:
        """`0.25 pt` · `0,25 Pp.`: a difference of two rates (fractions), in percentage points."""
        shown = _pattern(POINTS).apply(abs(change) * 100, self.locale)
        return _("{points} pt").format(points=shown)

    def change(self, change: Decimal | None, higher_is_better: bool = True) -> str:
        """`🟢 ▲ 12.3%`: the arrow says the direction, the colour whether that is good."""
        if change is None:
            return MISSING
        zero = _zero(percent_pattern(self.locale_name), self.locale_name)
        return _arrow(change, self.rate(abs(change)), zero, higher_is_better)

    def kpi_change(self, kpi: Measured, change: Decimal | None) -> str:
        """A figure's change as `change` but, for a rate, in percentage points (`🔴 ▼ 0.25 pt`:
        a share that went from 21.78% to 21.53% fell by a quarter of a point, not by 1.1%)."""
        if change is None or kpi.unit is not Unit.RATE:
            return self.change(change, kpi.higher_is_better)
        zero = _("{points} pt").format(points=_zero(POINTS, self.locale_name))
        return _arrow(change, self.points(change), zero, kpi.higher_is_better)


def style_of(services: Services) -> NumberStyle:
    """The answer's number style: the workspace's currency, in the locale of the answer's
    speech (bot.shared.language), so every number of one answer is written one way."""
    return NumberStyle(
        services.settings.currency, speech_or(workspace_speech(services.settings)).locale
    )


def _arrow(change: Decimal, shown: str, zero: str, higher_is_better: bool) -> str:
    if shown == zero:
        return f"⚪ ■ {shown}"
    up = change > 0
    good = up == higher_is_better
    return f"{'🟢' if good else '🔴'} {'▲' if up else '▼'} {shown}"


def no_data_since(last: date, until: date) -> str:
    """`no data since Sun 22 Nov 2026 (14 days)`: a seller whose last day with data is `last`
    while the team's data runs to `until`, said the same by `/kpi`, the card and the gaps."""
    missing = (until - last).days
    days = ngettext("{count} day", "{count} days", missing).format(count=missing)
    return _("no data since {day} ({days})").format(day=weekday_day(last), days=days)
